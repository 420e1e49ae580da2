// Exchange identity resolution: a mailbox, recipient or group named by GUID, UPN, primary SMTP
// address, any proxy address, alias or display name, as Exchange's -Identity accepts. Display
// names are tried last and must be unique.
import type { EmuGroup, EmuMailbox, EmuUser } from '../state/model.ts';
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
  return g ? g.displayName : id;
}
