// What the account actions share in validate(): permissions first (a missing grant makes every
// other check meaningless), then every existence or conflict problem collected so one card lists
// all that is wrong. Also the refusals several actions make (guests, synced users) and the scrub
// that keeps a generated secret out of any error Microsoft sends back.
import { AppError, isAppError, toAppError } from '../../../core/errors.ts';
import { scrubText } from '../../../core/secrets.ts';
import type { ActionContext, MissingParam, RequiredPermissions, Validation } from '../action.ts';
import type { ResolvedUser } from '../resolve/user.ts';
import { missingPermissions } from '../support/permissions.ts';

/** Microsoft manages a guest's sign-in in their home organisation, not in this tenant. */
export function guestError(ctx: ActionContext, u: ResolvedUser, what: string, param = 'user'): AppError {
  return new AppError({
    code: 'invalid_state',
    message: `${u.userPrincipalName} is a guest (external user); ${what} is managed by their home organisation, not by ${ctx.tenant.domain}.`,
    fix: 'Ask the guest\'s own organisation to do this, or remove the guest\'s access here with disable-user or delete-user.',
    param,
    value: u.userPrincipalName,
  });
}

export function isGuest(u: { userType: string | null }): boolean {
  return u.userType === 'Guest';
}

/** Refusal for a change that on-premises AD owns for a synced user. */
export function syncedObjectError(u: { userPrincipalName: string }, what: string, param = 'user'): AppError {
  return new AppError({
    code: 'synced_object',
    message: `${u.userPrincipalName} is synced from on-premises Active Directory; ${what} is mastered there and cannot be changed in the cloud.`,
    fix: `Make the change in on-premises Active Directory for ${u.userPrincipalName}; Entra Connect syncs it to the cloud.`,
    param,
    value: u.userPrincipalName,
  });
}

/** Runs a call that carries a secret; any error it raises is rebuilt without that secret's text. */
export async function withSecret<T>(secrets: ReadonlyArray<string | undefined>, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const err = toAppError(e);
    const known = secrets.filter((s): s is string => !!s);
    const message = scrubText(err.message, known);
    const fix = scrubText(err.fix, known);
    if (message === err.message && fix === err.fix && !leaks(err.value, known) && !leaks(err.details, known)) throw err;
    throw new AppError({
      code: err.code,
      message,
      fix,
      status: err.status,
      ...(err.param !== undefined ? { param: err.param } : {}),
      ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    });
  }
}

function leaks(v: unknown, secrets: readonly string[]): boolean {
  if (v === undefined || v === null) return false;
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return secrets.some((s) => text.includes(s));
}

/** True for the AppError a Graph 404 becomes. */
export function isNotFound(e: unknown): boolean {
  return isAppError(e) && e.code === 'm365_not_found';
}
