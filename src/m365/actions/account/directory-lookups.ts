// Small directory reads the account actions share: the tenant's domains (a new UPN must use one of
// them) and a user's manager (a reference, not a property, so it has its own path).
import { AppError } from '../../../core/errors.ts';
import type { ActionContext } from '../action.ts';
import { closestMatches } from '../support/closest.ts';
import { defaultDomain } from '../support/tenant-domain.ts';
import { isNotFound } from './account-checks.ts';

export interface ManagerRef {
  id: string;
  userPrincipalName: string | null;
}

/** The domains users may sign in with: the organisation's verified domains. */
export async function tenantDomains(ctx: ActionContext): Promise<string[]> {
  const org = await ctx.graph.get<{ value: Array<{ verifiedDomains?: Array<{ name: string }> }> }>('/organization', { query: { $select: 'id,verifiedDomains' } });
  const names = (org.value ?? []).flatMap((o) => (o.verifiedDomains ?? []).map((d) => d.name));
  return names.length ? names : [ctx.tenant.domain];
}

/** invalid_parameter unless the UPN's domain is one of the tenant's. */
export async function checkUpnDomain(ctx: ActionContext, upn: string, param = 'user'): Promise<void> {
  const domain = upn.split('@')[1]?.toLowerCase() ?? '';
  const domains = await tenantDomains(ctx);
  if (domains.some((d) => d.toLowerCase() === domain)) return;
  const local = upn.split('@')[0] ?? 'jane.doe';
  // A misspelt domain ("contso.com") most likely meant the nearest one; otherwise the default.
  const meant = closestMatches(domain, domains, 1)[0] ?? (await defaultDomain(ctx));
  throw new AppError({
    code: 'invalid_parameter',
    message: `${domain} is not a domain of ${ctx.tenant.displayName}; its users sign in with ${domains.join(', ')}.`,
    fix: `Use one of the tenant's domains, e.g. ${local}@${meant}, or verify ${domain} in Entra admin centre › Domain names first.`,
    param,
    value: upn,
    details: { domains },
  });
}

/** The user's manager, or null when none is set (Graph answers 404). */
export async function getManager(ctx: ActionContext, userId: string): Promise<ManagerRef | null> {
  try {
    const m = await ctx.graph.get<{ id: string; userPrincipalName?: string | null }>(`/users/${userId}/manager`, { query: { $select: 'id,userPrincipalName' } });
    return { id: m.id, userPrincipalName: m.userPrincipalName ?? null };
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

export async function setManager(ctx: ActionContext, userId: string, managerId: string, clientRequestId: string, justCreated = false): Promise<void> {
  await ctx.graph.put(`/users/${userId}/manager/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/users/${managerId}` }, { clientRequestId, retryNotFound: justCreated });
}

export async function removeManager(ctx: ActionContext, userId: string, clientRequestId: string): Promise<void> {
  try {
    await ctx.graph.delete(`/users/${userId}/manager/$ref`, { clientRequestId });
  } catch (e) {
    // No manager left to remove (a retried call that had gone through) is the state we want.
    if (!isNotFound(e)) throw e;
  }
}
