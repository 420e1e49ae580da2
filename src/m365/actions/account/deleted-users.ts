// Soft-deleted users (directory/deletedItems). Microsoft renames a deleted user's UPN to its object
// id without dashes followed by the original UPN, so the original name is recovered by stripping
// that prefix; a person names the user they deleted by its old address or by its id.
import { AppError, isAppError } from '../../../core/errors.ts';
import type { ActionContext } from '../action.ts';
import { closestMatches } from '../support/closest.ts';
import { isNotFound } from './account-checks.ts';

export interface DeletedUser {
  id: string;
  /** The address the user had before deletion. */
  userPrincipalName: string;
  displayName: string;
  deletedDateTime: string | null;
}

interface RawDeleted {
  id: string;
  userPrincipalName: string;
  displayName: string;
  deletedDateTime?: string | null;
}

export function originalUpn(id: string, upn: string): string {
  const prefix = id.replace(/-/g, '').toLowerCase();
  return upn.toLowerCase().startsWith(prefix) && upn.length > prefix.length ? upn.slice(prefix.length) : upn;
}

function toDeleted(r: RawDeleted): DeletedUser {
  return { id: r.id, userPrincipalName: originalUpn(r.id, r.userPrincipalName), displayName: r.displayName, deletedDateTime: r.deletedDateTime ?? null };
}

export async function listDeletedUsers(ctx: ActionContext): Promise<DeletedUser[]> {
  // No $select: the default property set already carries these, and deletedDateTime with it.
  const raw = await ctx.graph.list<RawDeleted>('/directory/deletedItems/microsoft.graph.user');
  return raw.map(toDeleted);
}

/** The deleted user with this id, or undefined when it is not in the recycle bin. */
export async function getDeletedUser(ctx: ActionContext, id: string): Promise<DeletedUser | undefined> {
  try {
    return toDeleted(await ctx.graph.get<RawDeleted>(`/directory/deletedItems/${id}`));
  } catch (e) {
    if (isNotFound(e) || (isAppError(e) && e.code === 'm365_bad_request')) return undefined;
    throw e;
  }
}

/**
 * The deleted users an identity names: by id, or by original address. Several users deleted
 * under the same address are all returned, newest first, so the caller can ask which one.
 */
export async function matchDeleted(ctx: ActionContext, identity: string): Promise<DeletedUser[]> {
  const all = await listDeletedUsers(ctx);
  const k = identity.toLowerCase();
  return all
    .filter((d) => d.id.toLowerCase() === k || d.userPrincipalName.toLowerCase() === k)
    .sort((a, b) => Date.parse(b.deletedDateTime ?? '') - Date.parse(a.deletedDateTime ?? ''));
}

export async function unknownDeletedUser(ctx: ActionContext, identity: string, param = 'user'): Promise<AppError> {
  const all = await listDeletedUsers(ctx);
  const suggestions = closestMatches(identity, all.map((d) => d.userPrincipalName));
  return new AppError({
    code: 'unknown_user',
    message: `No deleted user '${identity}' in ${ctx.tenant.domain}'s recycle bin.`,
    fix: suggestions.length
      ? `Check the address. Closest deleted users: ${suggestions.join(', ')}. Deleted users can be restored for 30 days.`
      : 'Deleted users can be restored for 30 days after deletion; after that they are gone for good.',
    param,
    value: identity,
    details: { suggestions },
  });
}
