// Helpers the cmdlet families share: Exchange's "nothing changed" warning, result-size limits and
// recipient references that may name a user or a mail-enabled group.
import type { TenantState } from '../../state/tenant-state.ts';
import type { BoundParams, CmdletContext } from '../cmdlet.ts';
import { ExchangeError, exchangeErrors } from '../errors.ts';
import { findMailGroup, findUser } from '../identity.ts';

export function noChangeWarning(ctx: CmdletContext, identity: string): void {
  ctx.warn(`The command completed successfully but no settings of '${identity}' have been modified.`);
}

export const DEFAULT_RESULT_SIZE = 1000;

/** Applies -ResultSize (default 1000) and warns, as Exchange does, when results were cut off. */
export function limitResults<T>(items: T[], p: BoundParams, ctx: CmdletContext): T[] {
  const size = p.ResultSize === 'Unlimited' ? Infinity : typeof p.ResultSize === 'number' ? p.ResultSize : DEFAULT_RESULT_SIZE;
  if (items.length <= size) return items;
  ctx.warn('There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.');
  return items.slice(0, size);
}

/** A recipient id for parameters that take users or mail-enabled groups (ForwardingAddress). */
export function recipientId(t: TenantState, ref: string): string {
  try {
    return findUser(t, ref, { mailEnabled: true }).id;
  } catch (e) {
    if (!(e instanceof ExchangeError) || e.status !== 404) throw e;
  }
  try {
    return findMailGroup(t, ref).id;
  } catch (e) {
    if (e instanceof ExchangeError && e.status === 404) throw exchangeErrors.recipientNotFound(ref);
    throw e;
  }
}

/** Text of a string parameter that must be present (the binder already refused missing ones). */
export function text(p: BoundParams, name: string): string {
  const v = p[name];
  return typeof v === 'string' ? v : '';
}

export function isSet(p: BoundParams, name: string): boolean {
  return p[name] !== undefined;
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a.map((x) => x.toLowerCase()));
  return b.every((x) => s.has(x.toLowerCase()));
}
