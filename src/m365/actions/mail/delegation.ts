// Reading who may use a mailbox: FullAccess (Get-MailboxPermission), SendAs
// (Get-RecipientPermission) and SendOnBehalf (the mailbox's GrantSendOnBehalfTo). Exchange prints a
// trustee by whatever name it holds (UPN, alias, display name), so a trustee is matched against
// every name the delegate has rather than one string.
import { AppError, isAppError } from '../../../core/errors.ts';
import type { ActionContext, PlannedCall } from '../action.ts';
import { getMailbox, identitiesOf, namesUser, prop, resolveMailbox, type MailboxInfo, type ResolvedMailbox } from '../resolve/mailbox.ts';
import { resolveUser, type ResolvedUser } from '../resolve/user.ts';
import type { Checks } from '../support/validation.ts';

export interface Delegation {
  owner: ResolvedMailbox;
  delegate: ResolvedUser;
  delegateMailbox: MailboxInfo | undefined;
  delegateIds: Set<string>;
}

export type MailboxRight = 'FullAccess' | 'SendOnBehalf';

function sameUserError(owner: ResolvedMailbox): AppError {
  return new AppError({
    code: 'invalid_parameter',
    message: `The delegate is the mailbox owner, ${owner.user.userPrincipalName}; an owner always has access to their own mailbox.`,
    fix: 'Name a different user as the delegate.',
    param: 'delegate',
    value: owner.user.userPrincipalName,
  });
}

async function withDelegateMailbox(ctx: ActionContext, owner: ResolvedMailbox, d: ResolvedUser): Promise<Delegation> {
  const delegateMailbox = await getMailbox(ctx, d.userPrincipalName);
  return { owner, delegate: d, delegateMailbox, delegateIds: identitiesOf(d, delegateMailbox) };
}

export async function resolveDelegation(ctx: ActionContext, user: string, delegate: string): Promise<Delegation> {
  const owner = await resolveMailbox(ctx, user);
  const d = await resolveUser(ctx, delegate, 'delegate');
  if (d.id === owner.user.id) throw sameUserError(owner);
  return withDelegateMailbox(ctx, owner, d);
}

/** validate(): reports an unknown mailbox and an unknown delegate together. */
export async function checkDelegation(ctx: ActionContext, c: Checks, user: string, delegate: string): Promise<Delegation | undefined> {
  const owner = await c.attempt(() => resolveMailbox(ctx, user));
  const d = await c.attempt(() => resolveUser(ctx, delegate, 'delegate'));
  if (!owner || !d) return undefined;
  if (owner.user.id === d.id) {
    c.errors.push(sameUserError(owner));
    return undefined;
  }
  return withDelegateMailbox(ctx, owner, d);
}

export function disabledDelegateWarning(d: ResolvedUser): string {
  return `${d.userPrincipalName} is disabled and cannot sign in to use this access.`;
}

function rights(entry: Record<string, unknown>): string[] {
  const v = prop(entry, 'AccessRights');
  const list = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : [];
  return list.map((r) => r.trim().toLowerCase());
}

function isTrue(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.toLowerCase() === 'true');
}

export interface FullAccessEntry {
  autoMapping: boolean;
}

/** The delegate's explicit (not inherited, not deny) FullAccess entry on the mailbox, if any. */
export async function findFullAccess(ctx: ActionContext, d: Delegation): Promise<FullAccessEntry | undefined> {
  const upn = d.owner.user.userPrincipalName;
  const res = await ctx.exchange.invoke('Get-MailboxPermission', { Identity: upn }, { anchorMailbox: upn });
  for (const entry of res.value) {
    if (!namesUser(String(prop(entry, 'User') ?? ''), d.delegateIds)) continue;
    if (isTrue(prop(entry, 'Deny')) || isTrue(prop(entry, 'IsInherited'))) continue;
    if (!rights(entry).includes('fullaccess')) continue;
    // Exchange does not report automapping on every version; when absent, the default (on) applies.
    const am = prop(entry, 'AutoMapping') ?? prop(entry, 'Automapping');
    return { autoMapping: am === undefined || am === null ? true : isTrue(am) };
  }
  return undefined;
}

export async function hasSendAs(ctx: ActionContext, d: Delegation): Promise<boolean> {
  const upn = d.owner.user.userPrincipalName;
  const res = await ctx.exchange.invoke('Get-RecipientPermission', { Identity: upn }, { anchorMailbox: upn });
  return res.value.some((entry) =>
    namesUser(String(prop(entry, 'Trustee') ?? ''), d.delegateIds)
    && rights(entry).includes('sendas')
    && String(prop(entry, 'AccessControlType') ?? 'Allow').toLowerCase() !== 'deny'
    && !isTrue(prop(entry, 'IsInherited')));
}

export function hasSendOnBehalf(d: Delegation): boolean {
  return d.owner.mailbox.grantSendOnBehalfTo.some((t) => namesUser(t, d.delegateIds));
}

/** Whether the delegate holds the right now (FullAccess read live; SendOnBehalf from the mailbox). */
export async function holdsRight(ctx: ActionContext, d: Delegation, right: MailboxRight): Promise<{ held: boolean; autoMapping: boolean | undefined }> {
  if (right === 'SendOnBehalf') return { held: hasSendOnBehalf(d), autoMapping: undefined };
  const entry = await findFullAccess(ctx, d);
  return { held: !!entry, autoMapping: entry?.autoMapping };
}

export const accessRightsLabel: Record<MailboxRight, string> = {
  FullAccess: 'Full Access',
  SendOnBehalf: 'Send on Behalf',
};

const ABSENT_ACE = /ACE doesn't exist|access control entry.*(doesn't|does not) exist/i;

/**
 * Sends a removal and says whether it removed anything. Exchange reports an entry that is not
 * there (a concurrent removal won the race) as a warning, or on some versions an error, with the
 * words "ACE doesn't exist"; the text is all it gives, and CIPP matches the same words.
 */
export async function revoke(ctx: ActionContext, call: PlannedCall, anchorMailbox: string, clientRequestId: string): Promise<'removed' | 'absent'> {
  try {
    const res = await ctx.exchange.invoke(call.target, call.body as Record<string, unknown>, { anchorMailbox, clientRequestId });
    return res.warnings.some((w) => ABSENT_ACE.test(w)) ? 'absent' : 'removed';
  } catch (e) {
    if (isAppError(e) && ABSENT_ACE.test(e.message)) return 'absent';
    throw e;
  }
}
