// Mailbox-level forwarding as Exchange holds it: ForwardingAddress (a recipient in the tenant),
// ForwardingSmtpAddress (any address, "smtp:x@y") and DeliverToMailboxAndForward (keep a copy).
// Shared by configure-forwarding and remove-forwarding, which are each other's undo.
import type { ActionContext, PlannedCall, UndoStep } from '../action.ts';
import { getMailbox, identitiesOf, namesUser, noMailboxError, stripSmtp, type ResolvedMailbox } from '../resolve/mailbox.ts';
import { findUser, resolveUser } from '../resolve/user.ts';

// A type alias, not an interface, so it is assignable to ExecuteResult's Record before/outputs.
export type ForwardingState = {
  /** The internal recipient, as its primary SMTP address (Exchange prints its alias). */
  forwardingAddress: string | null;
  /** "smtp:x@y", as Exchange prints it. */
  forwardingSmtpAddress: string | null;
  deliverToMailboxAndForward: boolean;
};

export type ForwardTarget =
  | { kind: 'internal'; address: string; ids: Set<string> }
  | { kind: 'external'; address: string };

/** The mailbox's forwarding, with ForwardingAddress turned into an address undo can pass back. */
export async function currentForwarding(ctx: ActionContext, m: ResolvedMailbox): Promise<ForwardingState> {
  const raw = m.mailbox.forwardingAddress;
  let forwardingAddress: string | null = null;
  if (raw) {
    const target = await getMailbox(ctx, raw, m.user.userPrincipalName);
    forwardingAddress = target?.primarySmtpAddress ?? raw;
  }
  return {
    forwardingAddress,
    forwardingSmtpAddress: m.mailbox.forwardingSmtpAddress,
    deliverToMailboxAndForward: m.mailbox.deliverToMailboxAndForward,
  };
}

/**
 * The domains that make an address internal. Accepted domains are an Exchange organisation
 * setting this action does not read; the owner's own addresses and the tenant's domain cover
 * the typo case that matters (a colleague's address misspelt).
 */
function internalDomains(ctx: ActionContext, m: ResolvedMailbox): Set<string> {
  const addresses = [m.user.userPrincipalName, m.user.mail, m.mailbox.primarySmtpAddress, ...m.mailbox.emailAddresses.map(stripSmtp)];
  const domains = addresses.filter((a): a is string => !!a && a.includes('@')).map((a) => a.split('@')[1]!.toLowerCase());
  return new Set([ctx.tenant.domain.toLowerCase(), ...domains]);
}

/**
 * Classifies forwardTo: a member with a mailbox is internal (ForwardingAddress); an address in one
 * of the tenant's domains that names nobody is a typo (unknown_user with the closest matches);
 * anything else, guests included, is external (ForwardingSmtpAddress).
 */
export async function resolveForwardTarget(ctx: ActionContext, owner: ResolvedMailbox, forwardTo: string): Promise<ForwardTarget> {
  const address = forwardTo.trim();
  const user = await findUser(ctx, address);
  if (user && user.userType !== 'Guest') {
    const mailbox = await getMailbox(ctx, user.userPrincipalName, owner.user.userPrincipalName);
    if (!mailbox) throw noMailboxError(ctx, user, 'forwardTo');
    return { kind: 'internal', address: mailbox.primarySmtpAddress, ids: identitiesOf(user, mailbox) };
  }
  if (user) return { kind: 'external', address: user.mail ?? address };
  const domain = address.split('@')[1]?.toLowerCase() ?? '';
  // Throws unknown_user with the closest matches: nobody in the tenant has this address.
  if (internalDomains(ctx, owner).has(domain)) await resolveUser(ctx, address, 'forwardTo');
  return { kind: 'external', address };
}

export function desiredForwarding(target: ForwardTarget, keepCopy: boolean): ForwardingState {
  return target.kind === 'internal'
    ? { forwardingAddress: target.address, forwardingSmtpAddress: null, deliverToMailboxAndForward: keepCopy }
    : { forwardingAddress: null, forwardingSmtpAddress: `smtp:${target.address}`, deliverToMailboxAndForward: keepCopy };
}

/** Whether the mailbox already forwards exactly as asked (Exchange prints the recipient by alias). */
export function forwardsAsAsked(m: ResolvedMailbox, target: ForwardTarget, keepCopy: boolean): boolean {
  const mb = m.mailbox;
  if (mb.deliverToMailboxAndForward !== keepCopy) return false;
  if (target.kind === 'internal') return namesUser(mb.forwardingAddress, target.ids) && !mb.forwardingSmtpAddress;
  return !mb.forwardingAddress && !!mb.forwardingSmtpAddress && stripSmtp(mb.forwardingSmtpAddress).toLowerCase() === target.address.toLowerCase();
}

export function setForwardingCall(upn: string, s: ForwardingState, description: string): PlannedCall {
  return {
    surface: 'exchange', method: 'POST', target: 'Set-Mailbox',
    body: { Identity: upn, ForwardingAddress: s.forwardingAddress, ForwardingSmtpAddress: s.forwardingSmtpAddress, DeliverToMailboxAndForward: s.deliverToMailboxAndForward },
    description,
  };
}

export function forwardingChanges(upn: string, before: ForwardingState, after: ForwardingState) {
  return [
    { object: upn, field: 'ForwardingAddress', before: before.forwardingAddress, after: after.forwardingAddress },
    { object: upn, field: 'ForwardingSmtpAddress', before: before.forwardingSmtpAddress, after: after.forwardingSmtpAddress },
    { object: upn, field: 'DeliverToMailboxAndForward', before: before.deliverToMailboxAndForward, after: after.deliverToMailboxAndForward },
  ];
}

function sameState(a: ForwardingState, b: ForwardingState): boolean {
  const eq = (x: string | null, y: string | null) => (x ?? '').toLowerCase() === (y ?? '').toLowerCase();
  return eq(a.forwardingAddress, b.forwardingAddress) && eq(a.forwardingSmtpAddress, b.forwardingSmtpAddress)
    && a.deliverToMailboxAndForward === b.deliverToMailboxAndForward;
}

export function isForwardingState(v: Record<string, unknown>): v is Record<string, unknown> & ForwardingState {
  return 'forwardingAddress' in v && 'forwardingSmtpAddress' in v && typeof v.deliverToMailboxAndForward === 'boolean';
}

/**
 * The steps that put the before-state back. Exchange lets both addresses be set at once (the
 * recipient wins); the undo restores the one that was in effect.
 */
export function restoreForwarding(user: string, before: ForwardingState, after: ForwardingState): UndoStep[] {
  if (sameState(before, after)) return [];
  const address = before.forwardingAddress ?? (before.forwardingSmtpAddress ? stripSmtp(before.forwardingSmtpAddress) : null);
  if (!address) return [{ action: 'remove-forwarding', params: { user } }];
  return [{ action: 'configure-forwarding', params: { user, forwardTo: address, keepCopy: before.deliverToMailboxAndForward } }];
}
