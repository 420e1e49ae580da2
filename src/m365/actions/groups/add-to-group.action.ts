// Adds a user to one or more groups on one card. Each group goes through the surface that owns
// it (Graph or Exchange); dynamic and on-premises synced groups are refused, because their
// membership is decided elsewhere and a cloud write would fail or be overwritten.
import { z } from 'zod';
import type { AppError } from '../../../core/errors.ts';
import { defineAction, type ActionContext, type Skip } from '../action.ts';
import { groupKindLabel, groupLabel, notEditableError, type ResolvedGroup } from '../resolve/group.ts';
import { resolveUser, type ResolvedUser } from '../resolve/user.ts';
import { userParam } from '../support/schemas.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';
import { validateWith } from '../support/validation.ts';
import {
  asList, changeMembership, directGroupIds, exchangePermissionFor, groupsParam, memberChange, membershipCall, membershipPermissions, refOf, resolveGroups, type GroupRef,
} from './membership.ts';

const params = z.strictObject({
  user: userParam,
  group: groupsParam.describe('The group to add the user to (display name, email address or object id), or a list of groups.'),
});
type Params = z.infer<typeof params>;

export type AddBefore = { added: GroupRef[] };

interface AddPlan {
  user: ResolvedUser;
  groups: ResolvedGroup[];
  /** Ids (lower-case) of the groups the user is already in. */
  memberOf: Set<string>;
  problems: AppError[];
  warnings: string[];
}

async function planAdd(ctx: ActionContext, p: Params): Promise<AddPlan> {
  const user = await resolveUser(ctx, p.user);
  const { groups, errors } = await resolveGroups(ctx, asList(p.group));
  const problems = [...errors];
  for (const g of groups) {
    const refusal = notEditableError(g);
    if (refusal) problems.push(refusal);
  }
  const warnings: string[] = [];
  if (user.userType === 'Guest') {
    for (const g of groups.filter((x) => x.groupTypes.includes('Unified'))) warnings.push(`${user.userPrincipalName} is a guest: they get guest access to '${g.displayName}' (files and conversations shared with guests).`);
  }
  return { user, groups, memberOf: await directGroupIds(ctx, user.id), problems, warnings };
}

function pending(plan: AddPlan): ResolvedGroup[] {
  return plan.groups.filter((g) => !plan.memberOf.has(g.id.toLowerCase()));
}

/** Groups the user was in before this step; `addedHere` are ids an earlier attempt added. */
function alreadySkips(plan: AddPlan, addedHere: ReadonlySet<string> = new Set()): Skip[] {
  return plan.groups
    .filter((g) => plan.memberOf.has(g.id.toLowerCase()) && !addedHere.has(g.id.toLowerCase()))
    .map((g) => ({ item: g.displayName, reason: `${plan.user.userPrincipalName} is already a member of this ${groupKindLabel[refOf(g).kind]}.` }));
}

export const addToGroup = defineAction({
  id: 'add-to-group',
  title: 'Add to group',
  description: 'Adds a user to one or more groups: Microsoft 365 and security groups through Graph, distribution lists and mail-enabled security groups through Exchange.',
  category: 'groups',
  params,
  secrets: [],
  permissions: membershipPermissions,
  validate: (ctx, p) => validateWith(ctx, membershipPermissions, async (c) => {
    const plan = await c.attempt(() => planAdd(ctx, p));
    if (!plan) return;
    c.errors.push(...plan.problems, ...(await exchangePermissionFor(ctx, pending(plan))));
    c.warnings.push(...plan.warnings);
  }),
  validateKnown: (ctx, p) => validateWith(ctx, membershipPermissions, async (c) => {
    if (p.group === undefined) return;
    const found = await c.attempt(() => resolveGroups(ctx, asList(p.group!)));
    if (!found) return;
    c.errors.push(...found.errors);
    for (const g of found.groups) {
      const refusal = notEditableError(g);
      if (refusal) c.errors.push(refusal);
    }
    c.errors.push(...(await exchangePermissionFor(ctx, found.groups)));
  }),
  async preview(ctx, p) {
    const plan = await planAdd(ctx, p);
    if (plan.problems[0]) throw plan.problems[0];
    const todo = pending(plan);
    return {
      calls: todo.map((g) => membershipCall('add', g, plan.user)),
      changes: plan.groups.map((g) => memberChange(g, plan.user, plan.memberOf.has(g.id.toLowerCase()), true)),
      skipped: alreadySkips(plan),
      alreadyDone: todo.length === 0,
      warnings: plan.warnings,
    };
  },
  async execute(ctx, p) {
    const plan = await planAdd(ctx, p);
    const u = plan.user;
    if (plan.problems[0]) throw plan.problems[0];
    const todo = pending(plan);
    // An earlier attempt's list wins: it knows which memberships this step created.
    const before = todo.length ? await recordBefore<AddBefore>(ctx, { added: todo.map(refOf) }) : earlierBefore<AddBefore>(ctx) ?? { added: [] };
    for (const g of todo) await changeMembership(ctx, 'add', g, u);
    const skipped = alreadySkips(plan, new Set(before.added.map((g) => g.id.toLowerCase())));
    const names = before.added.map((g) => `'${g.displayName}'`).join(', ');
    return {
      outputs: {
        userId: u.id,
        userPrincipalName: u.userPrincipalName,
        added: before.added.map((g) => ({ id: g.id, displayName: g.displayName, kind: g.kind })),
        skipped: skipped.map((s) => ({ group: s.item, reason: s.reason })),
      },
      before: { ...before },
      alreadyDone: todo.length === 0,
      skipped,
      summary: todo.length
        ? `Added ${u.userPrincipalName} to ${todo.map(groupLabel).join(', ')}.`
        : before.added.length ? `${u.userPrincipalName} was already added to ${names} by an earlier attempt.` : `${u.userPrincipalName} was already a member of every group.`,
    };
  },
  undo: {
    reversible: true,
    build: (p, r) => {
      const added = (r.before as unknown as AddBefore).added;
      return added.length ? [{ action: 'remove-from-group', params: { user: p.user, group: added.map((g) => g.id) } }] : [];
    },
  },
});
