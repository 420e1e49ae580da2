// Exchange side of a seeded organisation: a mailbox for every holder of an Exchange-bearing licence,
// the shared mailboxes info@ and support@ (each with its disabled user, as in Microsoft 365),
// delegations, existing forwardings, out-of-office replies and inbox rules, and the mail contacts
// of the organisation's outside suppliers.
import type { EmuMailbox, EmuOrgContact, EmuUser } from '../state/model.ts';
import { makeContact, makeMailbox, makeUser } from './builders.ts';
import { exchangeSkuIds } from './org-licensing.ts';
import type { Person } from './org-people.ts';
import type { Rng } from './prng.ts';
import type { SeedClock } from './seed-clock.ts';

export interface MailOptions {
  key: string;
  domain: string;
  initialDomain: string;
  /** Short company name for display names ("Contoso"). */
  brand: string;
  rng: Rng;
  clock: SeedClock;
  people: readonly Person[];
  fastIds: boolean;
}

export interface MailResult {
  mailboxes: EmuMailbox[];
  /** The disabled users behind the shared mailboxes. */
  sharedUsers: EmuUser[];
  /** Mail contacts: outside suppliers' addresses, members of the IT distribution list. */
  contacts: EmuOrgContact[];
}

/**
 * The IT department's outside suppliers, as mail contacts. Made without the random stream, so
 * adding them changed nothing else the seed draws.
 */
export function buildContacts(o: Pick<MailOptions, 'key' | 'clock'>): EmuOrgContact[] {
  return [
    makeContact(o.key, {
      displayName: 'Kai Carter (Adatum)', givenName: 'Kai', surname: 'Carter', mail: 'kai.carter@adatum.com', alias: 'KaiCarterAdatum',
      companyName: 'Adatum Corporation', jobTitle: 'Account Engineer', createdDateTime: o.clock.at(-640, 9 * 60),
    }),
    makeContact(o.key, {
      displayName: 'Northwind Traders Support', mail: 'support@northwindtraders.com', alias: 'NorthwindSupport',
      companyName: 'Northwind Traders', createdDateTime: o.clock.at(-410, 15 * 60),
    }),
  ];
}

type Rule = EmuMailbox['inboxRules'][number];

export function buildMail(o: MailOptions): MailResult {
  const { rng, clock } = o;
  const mailboxes: EmuMailbox[] = [];
  const boxOf = new Map<Person, EmuMailbox>();
  for (const p of o.people) {
    if (!p.user.directLicenses.some((l) => exchangeSkuIds.has(l.skuId))) continue;
    const u = p.user;
    const leftAndDisabled = p.lifecycle === 'leftRecently' && !u.accountEnabled;
    const m = makeMailbox(o.key, u, {
      guid: o.fastIds ? rng.uuid() : undefined,
      emailAddresses: [`SMTP:${u.userPrincipalName}`, `smtp:${u.mailNickname}@${o.initialDomain}`],
      totalItemSizeGB: Math.round((0.2 + rng.next() ** 2 * 40) * 100) / 100,
      litigationHoldEnabled: p.role !== 'staff' || (u.department === 'Finance' && rng.chance(0.2)),
      hiddenFromAddressListsEnabled: leftAndDisabled,
      timeZone: p.office.timeZone,
      language: p.office.language,
    });
    mailboxes.push(m);
    boxOf.set(p, m);
  }

  const sharedUsers: EmuUser[] = [];
  const shared = (alias: string, displayName: string, sizeGB: number): EmuMailbox => {
    const upn = `${alias}@${o.domain}`;
    const u = makeUser(o.key, {
      id: o.fastIds ? rng.uuid() : undefined,
      userPrincipalName: upn, displayName, givenName: null, surname: null, mailNickname: alias, accountEnabled: false,
      proxyAddresses: [`SMTP:${upn}`, `smtp:${alias}@${o.initialDomain}`],
      createdDateTime: clock.at(-rng.range(700, 2000), 11 * 60),
    });
    // Shared mailbox users have no given name or employee type, unlike people.
    u.givenName = null;
    u.surname = null;
    u.employeeType = null;
    u.lastPasswordChangeDateTime = u.createdDateTime;
    u.signInSessionsValidFromDateTime = u.createdDateTime;
    sharedUsers.push(u);
    const m = makeMailbox(o.key, u, {
      guid: o.fastIds ? rng.uuid() : undefined,
      recipientTypeDetails: 'SharedMailbox',
      emailAddresses: [`SMTP:${upn}`, `smtp:${alias}@${o.initialDomain}`],
      totalItemSizeGB: sizeGB,
      timeZone: 'UTC',
    });
    mailboxes.push(m);
    return m;
  };
  const info = shared('info', `${o.brand} Info`, 12.4);
  const support = shared('support', `${o.brand} Support`, 31.7);

  // Delegates and targets are active, unnamed mailbox holders, so the demo's named users start clean.
  const active = o.people.filter((p) => boxOf.has(p) && p.lifecycle === 'active' && p.user.accountEnabled && !p.named && p.role === 'staff');
  const fullAccess = (m: EmuMailbox, p: Person, automapping = true) =>
    m.fullAccess.push({ userId: p.user.id, accessRights: ['FullAccess'], automapping, deny: false, inheritanceType: 'All' });
  const deskStaff = active.filter((p) => p.user.department === 'IT');
  for (const p of rng.sample(deskStaff, 3)) {
    fullAccess(support, p);
    support.sendAs.push(p.user.id);
  }
  const marketers = rng.sample(active.filter((p) => p.user.department === 'Marketing'), 2);
  marketers.forEach((p, i) => {
    fullAccess(info, p, i === 0);
    if (i === 0) info.sendAs.push(p.user.id);
  });
  const ceo = o.people.find((p) => p.role === 'ceo');
  const assistant = o.people.find((p) => p.user.jobTitle === 'Executive Assistant' && boxOf.has(p));
  const ceoBox = ceo && boxOf.get(ceo);
  if (ceoBox && assistant) {
    fullAccess(ceoBox, assistant);
    ceoBox.grantSendOnBehalfTo.push(assistant.user.id);
  }

  const managerOf = (p: Person) => o.people.find((x) => x.user.id === p.user.managerId);
  const withBox = (ps: readonly Person[]) => ps.filter((p) => boxOf.has(p) && !p.named && p.role === 'staff');
  const left = withBox(o.people.filter((p) => p.lifecycle === 'leftRecently'));
  const total = mailboxes.length;

  // Forwardings: leavers' mail to their manager (internal), and personal addresses (external).
  const atLeast = total >= 50 ? 3 : 1;
  const forwardCount = Math.max(atLeast, Math.round(total * 0.01));
  const leaversForwarded = rng.sample(left, Math.ceil(forwardCount / 2));
  for (const p of leaversForwarded) {
    const mgr = managerOf(p);
    if (!mgr) continue;
    const m = boxOf.get(p)!;
    m.forwardingAddress = mgr.user.id; // a recipient id, as Set-Mailbox -ForwardingAddress stores it
    m.deliverToMailboxAndForward = false;
  }
  for (const p of rng.sample(active, forwardCount - leaversForwarded.length)) {
    const m = boxOf.get(p)!;
    m.forwardingSmtpAddress = `smtp:${p.user.mailNickname.replace('.', '')}${rng.range(1, 99)}@outlook.com`;
    m.deliverToMailboxAndForward = rng.chance(0.7);
  }

  // Out of office: a leaver's notice, someone's scheduled holiday, people away now.
  const oofCount = Math.max(atLeast === 3 ? 2 : 1, Math.round(total * 0.005));
  const noForward = active.filter((p) => !boxOf.get(p)!.forwardingSmtpAddress);
  const away = rng.sample(noForward, oofCount);
  const leaver = left.find((p) => !leaversForwarded.includes(p));
  if (leaver) {
    const mgr = managerOf(leaver);
    const msg = `${leaver.user.displayName} no longer works at ${o.brand}. Please contact ${mgr?.user.displayName ?? 'the service desk'}${mgr ? ` (${mgr.user.userPrincipalName})` : ''} instead.`;
    boxOf.get(leaver)!.autoReply = { autoReplyState: 'Enabled', internalMessage: msg, externalMessage: msg, externalAudience: 'All', startTime: null, endTime: null };
  }
  away.forEach((p, i) => {
    const m = boxOf.get(p)!;
    const mgr = managerOf(p);
    const cover = mgr ? ` For anything urgent please contact ${mgr.user.displayName}.` : '';
    if (i === 0) {
      const start = rng.range(2, 6);
      m.autoReply = {
        autoReplyState: 'Scheduled', internalMessage: `I'm on annual leave with no access to email.${cover}`,
        externalMessage: 'Thank you for your message. I am on annual leave and will reply when I am back.',
        externalAudience: 'Known', startTime: clock.at(start, 8 * 60), endTime: clock.at(start + rng.range(5, 14), 17 * 60),
      };
    } else {
      m.autoReply = {
        autoReplyState: 'Enabled', internalMessage: `I'm out of the office with limited access to email.${cover}`,
        externalMessage: 'Thank you for your message. I am out of the office and will reply as soon as I can.',
        externalAudience: 'All', startTime: null, endTime: null,
      };
    }
  });

  const ruleCount = Math.max(atLeast, Math.round(total * 0.02));
  rng.sample(active, ruleCount).forEach((p, i) => boxOf.get(p)!.inboxRules.push(ruleFor(i, p, o, rng)));
  return { mailboxes, sharedUsers, contacts: buildContacts(o) };
}

function ruleFor(i: number, p: Person, o: MailOptions, rng: Rng): Rule {
  // Exchange's RuleIdentity is an unsigned 64-bit number.
  const id = ((BigInt(rng.u32()) << 32n) | BigInt(rng.u32())).toString();
  const base: Rule = { id, name: '', enabled: true, forwardTo: [], redirectTo: [], deleteMessage: false, moveToFolder: null };
  switch (i % 4) {
    case 0: return { ...base, name: 'Newsletters', moveToFolder: 'Newsletters' };
    case 1: return { ...base, name: 'Invoices to Finance', forwardTo: [`finance@${o.domain}`] };
    case 2: return { ...base, name: 'Delete promotions', deleteMessage: true };
    default: return { ...base, name: 'Copy to home', enabled: false, redirectTo: [`${p.user.mailNickname.replace('.', '')}.home@gmail.com`] };
  }
}
