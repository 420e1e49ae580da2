// What one step remembers across attempts (through ctx.scratch, which the engine persists with the
// step). A step can crash after its call reached Microsoft and before its result was stored; the
// re-run must then recognise its own earlier effect instead of repeating it, and undo must still
// learn what the tenant looked like before the first attempt.
import type { ActionContext } from '../action.ts';

/**
 * How far Microsoft's timestamps may trail our clock. Entra stamps changes when it processes them,
 * to the second, on a clock that is not ours; a change stamped this close before our send time
 * still counts as ours.
 */
export const CLOCK_SKEW_MS = 2 * 60_000;

const BEFORE_KEY = 'before';

/** The before-state an earlier attempt recorded ahead of its call, if any. */
export function earlierBefore<T = Record<string, unknown>>(ctx: ActionContext): T | undefined {
  return ctx.scratch.get<T>(BEFORE_KEY);
}

/** Saves the before-state ahead of the mutating call; an earlier attempt's record wins. */
export async function recordBefore<T = Record<string, unknown>>(ctx: ActionContext, before: T): Promise<T> {
  const earlier = earlierBefore<T>(ctx);
  if (earlier !== undefined) return earlier;
  await ctx.scratch.set(BEFORE_KEY, before);
  return before;
}

/** A value generated once per step (a password) and reused by every retry. */
export async function remembered<T>(ctx: ActionContext, key: string, make: () => T): Promise<T> {
  const earlier = ctx.scratch.get<T>(key);
  if (earlier !== undefined) return earlier;
  const value = make();
  await ctx.scratch.set(key, value);
  return value;
}

/** Notes, before a call, the time it is sent; the re-run compares Microsoft's timestamps with it. */
export async function markSent(ctx: ActionContext, key = 'sentAt'): Promise<string> {
  const at = ctx.clock.date().toISOString();
  await ctx.scratch.set(key, at);
  return at;
}

/** Whether `stamp` (a Graph timestamp) is at or after `since`, allowing for clock skew. */
export function happenedSince(stamp: string | null | undefined, since: string | undefined): boolean {
  if (!stamp || !since) return false;
  const t = Date.parse(stamp);
  const s = Date.parse(since);
  return Number.isFinite(t) && Number.isFinite(s) && t >= s - CLOCK_SKEW_MS;
}
