// Removes a user from named groups, or from every group they are directly in (offboarding).
// Dynamic and synced groups cannot be left from the cloud: naming one is an error, and "all"
// lists them as skipped with the reason. Groups that assign licences are left too — on purpose,
// groups go before licences — and the card says which inherited licences go with them. A group
// the user is in only through a nested group is not left by removing them from it: when that
// nested group stays, it is listed as skipped with the group to remove them from instead; when
// this step leaves that nested group too, the card says the user leaves it with it.
import { z } from 'zod';
import { isAppError, type AppError } from '../../../core/errors.ts';
import { defineAction, type ActionContext, type Skip } from '../action.ts';
import { directGroupsOf, groupLabel, notEditableError, notEditableReason, type ResolvedGroup } from '../resolve/group.ts';
import { tenantSkus, type TenantSku } from '../resolve/sku.ts';
import { resolveUser, type ResolvedUser } from '../resolve/user.ts';
import { userParam } from '../support/schemas.ts';
import { skuName } from '../licenses/license-state.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';
import { validateWith } from '../support/validation.ts';
import {
  asList, changeMembership, exchangePermissionFor, groupsParam, memberChange, membershipCall, membershipPermissions, refOf, resolveGroups, type GroupRef,
} from './membership.ts';
import { names, nestedMemberships } from './nesting.ts';

const params = z.strictObject({
  user: userParam,
  group: groupsParam.optional().describe('The group to remove the user from, or a list of groups. Omit, or set all, to remove the user from every group they are directly in.'),
  all: z.boolean().optional().describe('Remove the user from every group they are directly in; dynamic and on-premises synced groups are skipped with the reason.'),
});
type Params = z.infer<typeof params>;

export type RemoveBefore = { removed: GroupRef[] };

interface RemovePlan {
  user: ResolvedUser;
  /** Groups to leave (the user is a member of each right now). */
  leave: ResolvedGroup[];
  /** Every group considered, with whether the user is in it now. */
  considered: Array<{ group: ResolvedGroup; member: boolean }>;
  skips: Array<{ groupId: string; skip: Skip }>;
  problems: AppError[];
  warnings: string[];
}

function wantsAll(p: Params): boolean {
  return p.all === true || p.group === undefined;
}

async function planRemove(ctx: ActionContext, p: Params): Promise<RemovePlan> {
  const user = await resolveUser(ctx, p.user);
  const current = await directGroupsOf(ctx, user.id);
  const memberIds = new Set(current.map((g) => g.id.toLowerCase()));
  const plan: RemovePlan = { user, leave: [], considered: [], skips: [], problems: [], warnings: [] };
  if (wantsAll(p)) {
    for (const g of asList(p.group)) plan.warnings.push(`all is set, so '${g}' is one of every group ${user.userPrincipalName} leaves.`);
    for (const g of current) {
      const why = notEditableReason(g);
      if (why) plan.skips.push({ groupId: g.id, skip: { item: g.displayName, reason: why.reason, code: why.code } });
      else plan.leave.push(g);
    }
    plan.considered = plan.leave.map((g) => ({ group: g, member: true }));
    await reportNested(ctx, plan, current);
  } else {
    const { groups, errors } = await resolveGroups(ctx, asList(p.group));
    plan.problems.push(...errors);
    const notDirect: ResolvedGroup[] = [];
    for (const g of groups) {
      const refusal = notEditableError(g);
      if (refusal) plan.problems.push(refusal);
      const member = memberIds.has(g.id.toLowerCase());
      plan.considered.push({ group: g, member });
      if (!member) notDirect.push(g);
      else if (!refusal) plan.leave.push(g);
    }
    if (notDirect.length) {
      const named = new Set(notDirect.map((g) => g.id.toLowerCase()));
      const nested = await reportNested(ctx, plan, current, named);
      for (const g of notDirect) {
        if (!nested.has(g.id.toLowerCase())) plan.skips.push({ groupId: g.id, skip: { item: g.displayName, reason: `${user.userPrincipalName} is not a member.` } });
      }
    }
  }
  plan.warnings.push(...(await licenceWarnings(ctx, user, plan.leave)));
  return plan;
}

/**
 * Groups the user is in only through nesting (limited to `only` when given): a skip naming the
 * nested group to remove them from when it stays, a warning when this step leaves it too.
 * Returns the ids (lower-case) of the groups it reported.
 */
async function reportNested(ctx: ActionContext, plan: RemovePlan, direct: readonly ResolvedGroup[], only?: ReadonlySet<string>): Promise<Set<string>> {
  const reported = new Set<string>();
  const upn = plan.user.userPrincipalName;
  const leaving = new Set(plan.leave.map((g) => g.id.toLowerCase()));
  for (const n of await nestedMemberships(ctx, plan.user.id, direct)) {
    const id = n.group.id.toLowerCase();
    if (only && !only.has(id)) continue;
    reported.add(id);
    const staying = n.via.filter((v) => !leaving.has(v.id.toLowerCase()));
    if (staying.length) {
      plan.skips.push({ groupId: n.group.id, skip: { item: n.group.displayName, reason: `${upn} is a member through ${names(staying)}; remove them from ${names(staying)} instead.` } });
    } else {
      plan.warnings.push(`${upn} also leaves '${n.group.displayName}', which they are in only through ${names(n.via)}.`);
    }
  }
  return reported;
}

/** Which inherited licences the user loses with the groups; SKU names when the app may read them. */
async function licenceWarnings(ctx: ActionContext, u: ResolvedUser, leaving: readonly ResolvedGroup[]): Promise<string[]> {
  const licensing = leaving.filter((g) => g.assignedLicenses?.length);
  if (!licensing.length) return [];
  let skus: TenantSku[] = [];
  try {
    skus = await tenantSkus(ctx);
  } catch (e) {
    if (!isAppError(e) || e.code !== 'missing_permission') throw e;
  }
  const direct = new Set(u.licenseAssignmentStates.filter((s) => !s.assignedByGroup).map((s) => s.skuId.toLowerCase()));
  const leavingIds = new Set(leaving.map((g) => g.id.toLowerCase()));
  const otherGroups = new Set(u.licenseAssignmentStates.filter((s) => s.assignedByGroup && !leavingIds.has(s.assignedByGroup.toLowerCase())).map((s) => s.skuId.toLowerCase()));
  return licensing.map((g) => {
    const names = g.assignedLicenses.map((l) => skuName(skus, l.skuId));
    const lost = g.assignedLicenses.filter((l) => !direct.has(l.skuId.toLowerCase()) && !otherGroups.has(l.skuId.toLowerCase())).map((l) => skuName(skus, l.skuId));
    return lost.length
      ? `'${g.displayName}' assigns ${names.join(', ')}: ${u.userPrincipalName} loses ${lost.join(', ')} on leaving it.`
      : `'${g.displayName}' assigns ${names.join(', ')}; ${u.userPrincipalName} keeps ${names.length > 1 ? 'them' : 'it'} through another assignment.`;
  });
}

export const removeFromGroup = defineAction({
  id: 'remove-from-group',
  title: 'Remove from group',
  description: 'Removes a user from named groups, or from every group they are directly in; dynamic and synced groups are skipped with the reason.',
  category: 'groups',
  params,
  secrets: [],
  permissions: membershipPermissions,
  validate: (ctx, p) => validateWith(ctx, membershipPermissions, async (c) => {
    const plan = await c.attempt(() => planRemove(ctx, p));
    if (!plan) return;
    c.errors.push(...plan.problems, ...(await exchangePermissionFor(ctx, plan.leave)));
    c.warnings.push(...plan.warnings);
  }),
  async preview(ctx, p) {
    const plan = await planRemove(ctx, p);
    if (plan.problems[0]) throw plan.problems[0];
    return {
      calls: plan.leave.map((g) => membershipCall('remove', g, plan.user)),
      changes: plan.considered.map(({ group, member }) => memberChange(group, plan.user, member, false)),
      skipped: plan.skips.map((s) => s.skip),
      alreadyDone: plan.leave.length === 0,
      warnings: plan.warnings,
    };
  },
  async execute(ctx, p) {
    const plan = await planRemove(ctx, p);
    const u = plan.user;
    if (plan.problems[0]) throw plan.problems[0];
    const before = plan.leave.length
      ? await recordBefore<RemoveBefore>(ctx, { removed: plan.leave.map(refOf) })
      : earlierBefore<RemoveBefore>(ctx) ?? { removed: [] };
    for (const g of plan.leave) await changeMembership(ctx, 'remove', g, u);
    // On a re-run the groups an earlier attempt left show as "not a member"; they are not skips.
    const removedIds = new Set(before.removed.map((g) => g.id.toLowerCase()));
    const skipped = plan.skips.filter((s) => !removedIds.has(s.groupId.toLowerCase())).map((s) => s.skip);
    return {
      outputs: {
        userId: u.id,
        userPrincipalName: u.userPrincipalName,
        removed: before.removed.map((g) => ({ id: g.id, displayName: g.displayName, kind: g.kind })),
        skipped: skipped.map((s) => ({ group: s.item, reason: s.reason })),
      },
      before: { ...before },
      alreadyDone: plan.leave.length === 0,
      skipped,
      summary: plan.leave.length
        ? `Removed ${u.userPrincipalName} from ${plan.leave.map(groupLabel).join(', ')}.${skipped.length ? ` Skipped ${skipped.length}.` : ''}`
        : before.removed.length
          ? `${u.userPrincipalName} had already left ${before.removed.map((g) => `'${g.displayName}'`).join(', ')} in an earlier attempt.`
          : skipped.length ? `${u.userPrincipalName} was removed from no group. Skipped ${skipped.length}.` : `${u.userPrincipalName} was in no group to remove.`,
    };
  },
  undo: {
    reversible: true,
    build: (p, r) => {
      const removed = (r.before as unknown as RemoveBefore).removed;
      return removed.length ? [{ action: 'add-to-group', params: { user: p.user, group: removed.map((g) => g.id) } }] : [];
    },
  },
});
