// Finds a user by UPN, email address or object id, the way a technician names them, and answers
// "not found" with the closest matches so the fix is obvious.
import { AppError, isAppError } from '../../../core/errors.ts';
import type { ActionContext } from '../action.ts';
import { closestMatches } from '../support/closest.ts';
import { defaultDomain } from '../support/tenant-domain.ts';

export interface ResolvedUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  mailNickname: string | null;
  accountEnabled: boolean;
  userType: string | null;
  onPremisesSyncEnabled: boolean | null;
  usageLocation: string | null;
  department: string | null;
  jobTitle: string | null;
  signInSessionsValidFromDateTime: string | null;
  lastPasswordChangeDateTime: string | null;
  assignedLicenses: Array<{ skuId: string; disabledPlans: string[] }>;
  licenseAssignmentStates: Array<{ skuId: string; assignedByGroup: string | null; disabledPlans: string[] }>;
}

export const USER_SELECT = [
  'id', 'userPrincipalName', 'displayName', 'givenName', 'surname', 'mail', 'mailNickname', 'accountEnabled', 'userType',
  'onPremisesSyncEnabled', 'usageLocation', 'department', 'jobTitle', 'signInSessionsValidFromDateTime',
  'lastPasswordChangeDateTime', 'assignedLicenses', 'licenseAssignmentStates',
].join(',');

function odataString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Loads the user or throws unknown_user with the closest matches. */
export async function resolveUser(ctx: ActionContext, identity: string, param = 'user'): Promise<ResolvedUser> {
  const found = await findUser(ctx, identity);
  if (found) return found;
  const suggestions = await closestUsers(ctx, identity);
  throw new AppError({
    code: 'unknown_user',
    message: `No user '${identity}' in ${ctx.tenant.domain}.`,
    fix: suggestions.length ? `Check the address. Closest matches: ${suggestions.join(', ')}.` : `Check the address; users in this tenant sign in as name@${await defaultDomain(ctx)}.`,
    param,
    value: identity,
    details: { suggestions },
  });
}

/** The user, or undefined when no user has that UPN, id or address. */
export async function findUser(ctx: ActionContext, identity: string): Promise<ResolvedUser | undefined> {
  try {
    return await ctx.graph.get<ResolvedUser>(`/users/${encodeURIComponent(identity)}`, { query: { $select: USER_SELECT } });
  } catch (e) {
    if (!isAppError(e) || e.code !== 'm365_not_found') throw e;
  }
  if (!identity.includes('@')) return undefined;
  // An email address that is not the UPN: look it up by mail or proxy address.
  const matches = await ctx.graph.get<{ value: ResolvedUser[] }>('/users', {
    query: {
      $filter: `mail eq ${odataString(identity)} or proxyAddresses/any(p:p eq ${odataString(`smtp:${identity}`)})`,
      $select: USER_SELECT,
    },
    headers: { ConsistencyLevel: 'eventual' },
  });
  return matches.value[0];
}

async function closestUsers(ctx: ActionContext, identity: string): Promise<string[]> {
  const local = (identity.split('@')[0] ?? identity).toLowerCase();
  // Each part of the name narrows the search on its own, so a typo in the first name still finds
  // the user by surname ("mgean.bowen" → megan.bowen) and the other way round.
  const parts = [...new Set(local.split(/[._\-\s]+/).filter((p) => p.length >= 2).map((p) => p.slice(0, 3)))].slice(0, 3);
  if (!parts.length) return [];
  const clauses = parts.flatMap((p) => [
    `startswith(userPrincipalName,${odataString(p)})`, `startswith(displayName,${odataString(p)})`,
    `startswith(givenName,${odataString(p)})`, `startswith(surname,${odataString(p)})`,
  ]);
  try {
    const page = await ctx.graph.get<{ value: Array<{ userPrincipalName: string; displayName: string }> }>('/users', {
      query: { $filter: clauses.join(' or '), $select: 'userPrincipalName,displayName', $top: '999' },
    });
    return closestMatches(identity, page.value.map((u) => u.userPrincipalName));
  } catch {
    return [];
  }
}
