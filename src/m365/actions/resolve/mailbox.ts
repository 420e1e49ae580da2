// Finds a user's Exchange Online mailbox. The user is resolved through Graph first (so a typo gets
// the closest matches), then Exchange is asked for the mailbox: a licensed user whose mailbox is
// not provisioned yet, a guest or an unlicensed account has none, and every mail action must say
// so plainly instead of failing inside a cmdlet.
import { AppError, isAppError } from '../../../core/errors.ts';
import type { ActionContext } from '../action.ts';
import { resolveUser, type ResolvedUser } from './user.ts';

/** The Get-Mailbox fields the mail actions read, normalised from Exchange's PascalCase output. */
export interface MailboxInfo {
  identity: string;
  guid: string | null;
  name: string | null;
  alias: string | null;
  displayName: string;
  userPrincipalName: string | null;
  primarySmtpAddress: string;
  externalDirectoryObjectId: string | null;
  recipientTypeDetails: string;
  forwardingAddress: string | null;
  forwardingSmtpAddress: string | null;
  deliverToMailboxAndForward: boolean;
  grantSendOnBehalfTo: string[];
  emailAddresses: string[];
}

export interface ResolvedMailbox {
  user: ResolvedUser;
  mailbox: MailboxInfo;
}

/** Reads a property of an Exchange output object whatever its casing. */
export function prop(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

function strList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => String(x)).filter((x) => x !== '');
  const s = str(v);
  return s ? [s] : [];
}

function bool(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.toLowerCase() === 'true');
}

export function toMailboxInfo(raw: Record<string, unknown>): MailboxInfo {
  const primary = str(prop(raw, 'PrimarySmtpAddress')) ?? str(prop(raw, 'WindowsEmailAddress')) ?? '';
  return {
    identity: str(prop(raw, 'Identity')) ?? str(prop(raw, 'UserPrincipalName')) ?? primary,
    guid: str(prop(raw, 'Guid')) ?? str(prop(raw, 'ExchangeGuid')),
    name: str(prop(raw, 'Name')),
    alias: str(prop(raw, 'Alias')),
    displayName: str(prop(raw, 'DisplayName')) ?? primary,
    userPrincipalName: str(prop(raw, 'UserPrincipalName')),
    primarySmtpAddress: primary,
    externalDirectoryObjectId: str(prop(raw, 'ExternalDirectoryObjectId')),
    recipientTypeDetails: str(prop(raw, 'RecipientTypeDetails')) ?? 'UserMailbox',
    forwardingAddress: str(prop(raw, 'ForwardingAddress')),
    forwardingSmtpAddress: str(prop(raw, 'ForwardingSmtpAddress')),
    deliverToMailboxAndForward: bool(prop(raw, 'DeliverToMailboxAndForward')),
    grantSendOnBehalfTo: strList(prop(raw, 'GrantSendOnBehalfTo')),
    emailAddresses: strList(prop(raw, 'EmailAddresses')),
  };
}

/** The mailbox, or undefined when Exchange has no mailbox with that identity. */
export async function getMailbox(ctx: ActionContext, identity: string, anchorMailbox: string = identity): Promise<MailboxInfo | undefined> {
  try {
    const res = await ctx.exchange.invoke('Get-Mailbox', { Identity: identity }, { anchorMailbox });
    const first = res.value[0];
    return first ? toMailboxInfo(first) : undefined;
  } catch (e) {
    if (isAppError(e) && e.code === 'm365_not_found') return undefined;
    throw e;
  }
}

export function noMailboxError(ctx: ActionContext, user: ResolvedUser, param: string): AppError {
  const upn = user.userPrincipalName;
  const why = user.userType === 'Guest'
    ? `${upn} is a guest; guests have no mailbox in ${ctx.tenant.domain}.`
    : `${upn} has no Exchange Online mailbox in ${ctx.tenant.domain}.`;
  return new AppError({
    code: 'mailbox_not_found',
    message: why,
    fix: user.userType === 'Guest'
      ? 'Choose a member of the tenant who has a mailbox.'
      : `Assign ${upn} a licence that includes Exchange Online (for example Microsoft 365 E3 or Exchange Online Plan 1), wait a few minutes for the mailbox to be created, then retry.`,
    param,
    value: upn,
  });
}

/** The user and their mailbox, or unknown_user (with closest matches) / mailbox_not_found. */
export async function resolveMailbox(ctx: ActionContext, identity: string, param = 'user'): Promise<ResolvedMailbox> {
  const user = await resolveUser(ctx, identity, param);
  const mailbox = await getMailbox(ctx, user.userPrincipalName);
  if (!mailbox) throw noMailboxError(ctx, user, param);
  return { user, mailbox };
}

/** Every name Exchange may print for this user or mailbox (identity, alias, addresses, ids). */
export function identitiesOf(user: ResolvedUser, mailbox?: MailboxInfo): Set<string> {
  const names = [user.id, user.userPrincipalName, user.mail, user.mailNickname, user.displayName];
  if (mailbox) {
    names.push(mailbox.identity, mailbox.guid, mailbox.name, mailbox.alias, mailbox.displayName, mailbox.userPrincipalName,
      mailbox.primarySmtpAddress, mailbox.externalDirectoryObjectId, ...mailbox.emailAddresses.map(stripSmtp));
  }
  return new Set(names.filter((n): n is string => !!n).map((n) => n.toLowerCase()));
}

/** Whether an identity string Exchange returned names this user. */
export function namesUser(value: string | null | undefined, ids: Set<string>): boolean {
  return !!value && ids.has(stripSmtp(value).toLowerCase());
}

export function stripSmtp(address: string): string {
  return address.replace(/^smtp:/i, '');
}
