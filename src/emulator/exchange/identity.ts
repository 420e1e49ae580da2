// Exchange identity resolution: a mailbox, recipient or group named by GUID, UPN, primary SMTP
// address, any proxy address, alias or display name, as Exchange's -Identity accepts. Display
// names are tried last and must be unique.
import type { EmuGroup, EmuMailbox, EmuOrgContact, EmuUser } from '../state/model.ts';
import { ExchangeError } from './errors.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { exchangeErrors } from './errors.ts';

/** The domain controller name Exchange puts in "couldn't be found on …" messages, stable per tenant. */
export function dcName(t: TenantState): string {
  const hex = t.id.replace(/-/g, '');
  const n = (i: number, len: number) => String(parseInt(hex.slice(i, i + 4), 16) % 10 ** len).padStart(len, '0');
  return `NAMPR${n(0, 2)}A${n(4, 3)}.PROD.OUTLOOK.COM`;
}

function norm(s: string): string {
  return s.trim().toLowerCase().replace(/^(smtp|upn|x500|sip):/, '');
}

/** Every exact key (not display name) a mailbox answers to. */
function mailboxMatches(t: TenantState, m: EmuMailbox, k: string): boolean {
  if (m.guid.toLowerCase() === k || m.userId.toLowerCase() === k || m.alias.toLowerCase() === k) return true;
  if (m.primarySmtpAddress.toLowerCase() === k) return true;
  if (m.emailAddresses.some((a) => norm(a) === k)) return true;
  const u = t.user(m.userId);
  return !!u && (u.userPrincipalName.toLowerCase() === k || u.proxyAddresses.some((a) => norm(a) === k));
}

export function tryMailbox(t: TenantState, identity: string): EmuMailbox | undefined {
  const k = norm(identity);
  const direct = t.user(k);
  if (direct) {
    const m = t.mailbox(direct.id);
    if (m) return m;
  }
  const exact = t.data.mailboxes.find((m) => mailboxMatches(t, m, k));
  if (exact) return exact;
  const named = t.data.mailboxes.filter((m) => m.displayName.toLowerCase() === k);
  if (named.length > 1) throw exchangeErrors.ambiguous(identity);
  return named[0];
}

/** The mailbox for -Identity, or Exchange's ManagementObjectNotFoundException. */
export function findMailbox(t: TenantState, identity: string): EmuMailbox {
  const m = tryMailbox(t, identity);
  if (!m) throw exchangeErrors.notFound(identity, dcName(t));
  return m;
}

/**
 * A user named in a recipient parameter (User, Trustee, Member, GrantSendOnBehalfTo …): via its
 * mailbox, by id/UPN/mail/proxy address/alias, or by unique display name.
 */
export function findUser(t: TenantState, ref: string, opts: { mailEnabled?: boolean } = {}): EmuUser {
  const m = tryMailbox(t, ref);
  let u = m ? t.user(m.userId) : t.userByAnyAddress(norm(ref));
  if (!u) {
    const k = norm(ref);
    const named = t.data.users.filter((x) => x.displayName.toLowerCase() === k);
    if (named.length > 1) throw exchangeErrors.ambiguous(ref);
    u = named[0];
  }
  // Only mail-enabled recipients (a mailbox or a mail address) can be members of mail groups.
  if (!u || (opts.mailEnabled && !u.mail && !t.mailbox(u.id))) throw exchangeErrors.recipientNotFound(ref);
  return u;
}

/** A mail-enabled group (distribution, mail-enabled security or Microsoft 365) by id, name, alias or mail. */
export function findMailGroup(t: TenantState, identity: string): EmuGroup {
  const k = norm(identity);
  const byId = t.group(k);
  if (byId?.mailEnabled) return byId;
  const mailGroups = t.data.groups.filter((g) => g.mailEnabled);
  const exact = mailGroups.find((g) => g.mailNickname.toLowerCase() === k || g.mail?.toLowerCase() === k);
  if (exact) return exact;
  const named = mailGroups.filter((g) => g.displayName.toLowerCase() === k);
  if (named.length > 1) throw exchangeErrors.ambiguous(identity);
  if (!named[0]) throw exchangeErrors.notFound(identity, dcName(t));
  return named[0];
}

/** The Name Exchange shows for a recipient id (user or group), as in ForwardingAddress or GrantSendOnBehalfTo. */
export function recipientName(t: TenantState, id: string): string {
  const m = t.mailbox(id);
  if (m) return m.alias;
  const u = t.user(id);
  if (u) return u.mailNickname;
  const g = t.group(id);
  if (g) return g.displayName;
  const c = t.contact(id);
  return c ? c.mailNickname : id;
}

/** A mail contact by id, primary or proxy address, alias, or unique display name. */
export function tryContact(t: TenantState, ref: string): EmuOrgContact | undefined {
  const k = norm(ref);
  const byId = t.contact(k);
  if (byId) return byId;
  const exact = t.contacts.find((c) => c.mail.toLowerCase() === k || c.mailNickname.toLowerCase() === k || c.proxyAddresses.some((a) => norm(a) === k));
  if (exact) return exact;
  const named = t.contacts.filter((c) => c.displayName.toLowerCase() === k);
  if (named.length > 1) throw exchangeErrors.ambiguous(ref);
  return named[0];
}

export type GroupMemberRef =
  | { kind: 'user'; id: string; user: EmuUser }
  | { kind: 'orgContact'; id: string; contact: EmuOrgContact }
  | { kind: 'group'; id: string; group: EmuGroup };

/**
 * The recipient a -Member parameter names: a mail-enabled user, a mail contact, or a mail-enabled
 * group (distribution lists and mail-enabled security groups nest).
 */
export function findGroupMember(t: TenantState, ref: string): GroupMemberRef {
  try {
    const u = findUser(t, ref, { mailEnabled: true });
    return { kind: 'user', id: u.id, user: u };
  } catch (e) {
    if (!(e instanceof ExchangeError) || e.status !== 404) throw e;
  }
  const c = tryContact(t, ref);
  if (c) return { kind: 'orgContact', id: c.id, contact: c };
  try {
    const g = findMailGroup(t, ref);
    return { kind: 'group', id: g.id, group: g };
  } catch (e) {
    if (e instanceof ExchangeError && e.status === 404) throw exchangeErrors.recipientNotFound(ref);
    throw e;
  }
}
