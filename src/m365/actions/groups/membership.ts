// Changing one user's membership of one group, through the surface that owns the group: Graph for
// Microsoft 365 and security groups, Exchange for mail-enabled security groups and distribution
// lists (Graph refuses those). The group's type is read live, never trusted from the request.
import { z } from 'zod';
import { AppError, isAppError, toAppError } from '../../../core/errors.ts';
import type { ActionContext, PlannedCall, RequiredPermissions } from '../action.ts';
import {
  directGroupsOf, groupKind, groupLabel, membershipSurface, resolveGroup, type GroupKind, type ResolvedGroup,
} from '../resolve/group.ts';
import type { ResolvedUser } from '../resolve/user.ts';
import { groupParam } from '../support/schemas.ts';
import { missingPermissions } from '../support/permissions.ts';
import { requestId } from '../support/request-ids.ts';
import { writeOrConfirm, userRead } from '../licenses/step-support.ts';

export const groupsParam = z.union([groupParam, z.array(groupParam).min(1).max(100)])
  .describe('A group (display name, email address or object id), or a list of groups.');

export const memberWrite = ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];
/** Graph permissions of the membership actions; Exchange's is checked only when a group needs it. */
export const membershipPermissions: RequiredPermissions = { graph: [memberWrite, userRead], exchange: false };

export function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** What a card and undo need to know about a group whose membership changed. */
export type GroupRef = { id: string; displayName: string; kind: GroupKind; surface: 'graph' | 'exchange' };

export function refOf(g: ResolvedGroup): GroupRef {
  return { id: g.id, displayName: g.displayName, kind: groupKind(g), surface: membershipSurface(g) };
}

/** Resolves each named group once (by id), collecting every unknown or ambiguous name. */
export async function resolveGroups(ctx: ActionContext, words: readonly string[], param = 'group'): Promise<{ groups: ResolvedGroup[]; errors: AppError[] }> {
  const groups = new Map<string, ResolvedGroup>();
  const errors: AppError[] = [];
  for (const w of words) {
    try {
      const g = await resolveGroup(ctx, w, param);
      groups.set(g.id, g);
    } catch (e) {
      if (!isAppError(e) || e.errorClass !== 'user') throw e;
      errors.push(toAppError(e));
    }
  }
  return { groups: [...groups.values()], errors };
}

/** Ids of the groups the user is a direct member of. */
export async function directGroupIds(ctx: ActionContext, userId: string): Promise<Set<string>> {
  return new Set((await directGroupsOf(ctx, userId)).map((g) => g.id.toLowerCase()));
}

/** Exchange.ManageAsApp is needed only when one of the groups lives in Exchange. */
export async function exchangePermissionFor(ctx: ActionContext, groups: readonly ResolvedGroup[]): Promise<AppError[]> {
  if (!groups.some((g) => membershipSurface(g) === 'exchange')) return [];
  return missingPermissions(ctx, { graph: [], exchange: true });
}

export function membershipCall(op: 'add' | 'remove', g: ResolvedGroup, u: ResolvedUser): PlannedCall {
  const label = groupLabel(g);
  if (membershipSurface(g) === 'exchange') {
    return {
      surface: 'exchange',
      method: 'POST',
      target: op === 'add' ? 'Add-DistributionGroupMember' : 'Remove-DistributionGroupMember',
      body: { Identity: g.id, Member: u.userPrincipalName, BypassSecurityGroupManagerCheck: true },
      description: `${op === 'add' ? 'Add' : 'Remove'} ${u.userPrincipalName} ${op === 'add' ? 'to' : 'from'} ${label} through Exchange Online (Graph cannot change its members)`,
    };
  }
  return op === 'add'
    ? {
      surface: 'graph', method: 'POST', target: `/groups/${g.id}/members/$ref`,
      body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${u.id}` },
      description: `Add ${u.userPrincipalName} to ${label}`,
    }
    : { surface: 'graph', method: 'DELETE', target: `/groups/${g.id}/members/${u.id}/$ref`, description: `Remove ${u.userPrincipalName} from ${label}` };
}

/**
 * Makes one membership change. A refused call is accepted when the membership is as wanted
 * anyway (a retry after a lost response meets "already a member" / "not found").
 */
export async function changeMembership(ctx: ActionContext, op: 'add' | 'remove', g: ResolvedGroup, u: ResolvedUser): Promise<void> {
  const call = membershipCall(op, g, u);
  const clientRequestId = requestId(ctx.idempotencyKey, `${op}-${g.id}`);
  const write = async () => {
    if (call.surface === 'exchange') {
      await ctx.exchange.invoke(call.target, call.body as Record<string, unknown>, { clientRequestId });
    } else if (op === 'add') {
      await ctx.graph.post(call.target, call.body, { clientRequestId });
    } else {
      await ctx.graph.delete(call.target, { clientRequestId });
    }
  };
  await writeOrConfirm(write, async () => (await directGroupIds(ctx, u.id)).has(g.id.toLowerCase()) === (op === 'add'));
}

export function memberChange(g: ResolvedGroup, u: ResolvedUser, before: boolean, after: boolean) {
  return { object: g.displayName, field: `member:${u.userPrincipalName}`, before, after };
}
