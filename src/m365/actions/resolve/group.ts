// Finds a group by id, mail address or display name and classifies it, because where a membership
// change must go (Graph or Exchange), or whether it may happen at all, depends on the real type.
import { AppError, isAppError } from '../../../core/errors.ts';
import { isUuid } from '../../../core/ids.ts';
import type { ActionContext } from '../action.ts';
import { closestMatches } from '../support/closest.ts';

export type GroupKind = 'microsoft365' | 'security' | 'mailEnabledSecurity' | 'distribution';

export interface ResolvedGroup {
  id: string;
  displayName: string;
  mail: string | null;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  membershipRule: string | null;
  onPremisesSyncEnabled: boolean | null;
  assignedLicenses: Array<{ skuId: string }>;
}

export const GROUP_SELECT = 'id,displayName,mail,mailEnabled,securityEnabled,groupTypes,membershipRule,onPremisesSyncEnabled,assignedLicenses';

export function groupKind(g: ResolvedGroup): GroupKind {
  if (g.groupTypes.includes('Unified')) return 'microsoft365';
  if (g.mailEnabled && g.securityEnabled) return 'mailEnabledSecurity';
  if (g.mailEnabled) return 'distribution';
  return 'security';
}

export const groupKindLabel: Record<GroupKind, string> = {
  microsoft365: 'Microsoft 365 group',
  security: 'security group',
  mailEnabledSecurity: 'mail-enabled security group',
  distribution: 'distribution list',
};

/** Membership goes through Exchange for mail-enabled security groups and distribution lists. */
export function membershipSurface(g: ResolvedGroup): 'graph' | 'exchange' {
  const k = groupKind(g);
  return k === 'mailEnabledSecurity' || k === 'distribution' ? 'exchange' : 'graph';
}

/** Why the group's membership cannot be edited from the cloud, or undefined when it can. */
export function notEditableReason(g: ResolvedGroup): { code: 'group_not_editable'; reason: string } | undefined {
  if (g.groupTypes.includes('DynamicMembership')) {
    return { code: 'group_not_editable', reason: `'${g.displayName}' is a dynamic group: its members follow the rule ${g.membershipRule ?? '(rule)'}; change the user's attributes instead.` };
  }
  if (g.onPremisesSyncEnabled) {
    return { code: 'group_not_editable', reason: `'${g.displayName}' is synced from on-premises Active Directory; change its membership in AD.` };
  }
  return undefined;
}

function odataString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export async function resolveGroup(ctx: ActionContext, words: string, param = 'group'): Promise<ResolvedGroup> {
  if (isUuid(words)) {
    try {
      return await ctx.graph.get<ResolvedGroup>(`/groups/${words}`, { query: { $select: GROUP_SELECT } });
    } catch (e) {
      if (!isAppError(e) || e.code !== 'm365_not_found') throw e;
    }
  }
  const filter = words.includes('@') ? `mail eq ${odataString(words)}` : `displayName eq ${odataString(words)}`;
  const res = await ctx.graph.get<{ value: ResolvedGroup[] }>('/groups', { query: { $filter: filter, $select: GROUP_SELECT } });
  if (res.value.length === 1) return res.value[0]!;
  if (res.value.length > 1) {
    throw new AppError({
      code: 'ambiguous_value',
      message: `${res.value.length} groups in ${ctx.tenant.domain} are called '${words}'.`,
      fix: 'Name the group by its email address or id.',
      param,
      value: words,
      details: { choices: res.value.map((g) => ({ value: g.id, label: `${g.displayName} (${groupKindLabel[groupKind(g)]}${g.mail ? `, ${g.mail}` : ''})` })) },
    });
  }
  const all = await ctx.graph.list<{ displayName: string }>('/groups', { query: { $select: 'displayName', $top: '999' } });
  const suggestions = closestMatches(words, all.map((g) => g.displayName));
  throw new AppError({
    code: 'unknown_group',
    message: `No group '${words}' in ${ctx.tenant.domain}.`,
    fix: suggestions.length ? `Check the name. Closest matches: ${suggestions.join(', ')}.` : 'Check the group name.',
    param,
    value: words,
    details: { suggestions },
  });
}

/**
 * The groups the user is a direct member of (dynamic ones included: Graph lists computed
 * membership too), with the fields that decide how each may be changed.
 */
export async function directGroupsOf(ctx: ActionContext, userId: string): Promise<ResolvedGroup[]> {
  return ctx.graph.list<ResolvedGroup>(`/users/${userId}/memberOf/microsoft.graph.group`, { query: { $select: GROUP_SELECT, $top: '999' } });
}

/** "Sales Team (Microsoft 365 group)": how a card names a group. */
export function groupLabel(g: ResolvedGroup): string {
  return `${g.displayName} (${groupKindLabel[groupKind(g)]})`;
}

/** group_not_editable for a dynamic or synced group, or undefined when its membership may change. */
export function notEditableError(g: ResolvedGroup, param = 'group'): AppError | undefined {
  const why = notEditableReason(g);
  if (!why) return undefined;
  return new AppError({
    code: why.code,
    message: why.reason,
    fix: g.groupTypes.includes('DynamicMembership')
      ? `Change the user's attributes so the group's rule${g.membershipRule ? ` ${g.membershipRule}` : ''} includes or excludes them, or choose a group with assigned membership.`
      : `Change '${g.displayName}' membership in on-premises Active Directory; it syncs to the cloud.`,
    param,
    value: g.displayName,
    details: { groupId: g.id, kind: groupKind(g), dynamic: g.groupTypes.includes('DynamicMembership'), synced: !!g.onPremisesSyncEnabled },
  });
}
