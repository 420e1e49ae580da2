// Replaces one licence with another in a single assignLicense call (add and remove together), so
// the user is never without a licence and the mailbox never sees a gap. The licence given up
// must be a direct one; the new one needs a free unit.
import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import { defineAction, type ActionContext, type Change, type PlannedCall } from '../action.ts';
import { freeUnits, resolveSku, skuLabel, tenantSkus, type TenantSku } from '../resolve/sku.ts';
import { resolveUser, type ResolvedUser } from '../resolve/user.ts';
import { requestId } from '../support/request-ids.ts';
import { skuParam, userParam } from '../support/schemas.ts';
import { disabledPlansParam } from './assign-license.action.ts';
import {
  assignLicenseCall, groupNames, holdingOf, inheritedOnlyError, licenceChange, noFreeLicensesError, planNames, reloadUser, resolvePlans,
} from './license-state.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';
import { groupRead, userRead, writeOrConfirm } from './step-support.ts';
import { validateWith } from '../support/validation.ts';

const params = z.strictObject({
  user: userParam,
  fromSku: skuParam.describe('The licence the user gives up: a friendly name, partNumber or skuId.'),
  toSku: skuParam.describe('The licence the user gets instead: a friendly name, partNumber or skuId.'),
  disabledPlans: disabledPlansParam.optional().describe('Service plans of the new licence to switch off, by name or servicePlanId. Omit to keep every plan on.'),
});
type Params = z.infer<typeof params>;

const permissions = {
  graph: [['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'], userRead, groupRead],
  exchange: false,
};

export type SwapBefore = {
  from: { skuId: string; skuPartNumber: string; disabledPlans: string[] };
  to: { skuId: string; skuPartNumber: string };
  /** Whether the user already held the new licence (then undo only gives the old one back). */
  toHeld: boolean;
  /** Whether this step made the swap (false when the tenant was already in the end state). */
  swapped: boolean;
};

interface SwapPlan {
  user: ResolvedUser;
  skus: TenantSku[];
  from: TenantSku;
  to: TenantSku;
  /** The direct assignment of `from`, when the user still has it. */
  fromPlans: string[] | undefined;
  toHeld: boolean;
  toPlans: string[];
  problems: AppError[];
  warnings: string[];
}

async function planSwap(ctx: ActionContext, p: Params): Promise<SwapPlan> {
  const user = await resolveUser(ctx, p.user);
  const skus = await tenantSkus(ctx);
  const from = await resolveSku(ctx, p.fromSku, 'fromSku', skus);
  const to = await resolveSku(ctx, p.toSku, 'toSku', skus);
  if (from.skuId === to.skuId) {
    throw new AppError({
      code: 'invalid_parameter',
      message: `fromSku and toSku are both ${skuLabel(from)}.`,
      fix: 'Name two different licences, or use assign-license to change the plans of one licence.',
      param: 'toSku',
      value: p.toSku,
    });
  }
  const fromHolding = holdingOf(user, from.skuId);
  const toHolding = holdingOf(user, to.skuId);
  const toHeld = !!toHolding;
  const problems: AppError[] = [];
  const warnings: string[] = [];
  if (fromHolding && !fromHolding.direct) {
    problems.push(inheritedOnlyError(user, from, [...(await groupNames(ctx, fromHolding.viaGroups)).values()], 'fromSku'));
  }
  if (!fromHolding && !toHeld) {
    problems.push(new AppError({
      code: 'invalid_state',
      message: `${user.userPrincipalName} has neither ${skuLabel(from)} nor ${skuLabel(to)}; there is nothing to swap.`,
      fix: `Use assign-license to give ${user.userPrincipalName} ${skuLabel(to)}.`,
      param: 'fromSku',
      value: p.fromSku,
    }));
  }
  if (!toHeld && fromHolding?.direct) {
    if (freeUnits(to) < 1) problems.push(noFreeLicensesError(ctx, to, skus, 'toSku'));
    if (!user.usageLocation) {
      // A licensed user nearly always has one; Microsoft still checks, so say so before the call.
      problems.push(new AppError({
        code: 'usage_location_required',
        message: `${user.userPrincipalName} has no usage location; Microsoft assigns licences only to users with one.`,
        fix: `Set ${user.userPrincipalName}'s usage location (update-user with a two-letter usageLocation such as US), then swap.`,
        param: 'user',
        value: user.userPrincipalName,
      }));
    }
  }
  if (toHolding && !toHolding.direct) warnings.push(`${user.userPrincipalName} already gets ${skuLabel(to)} from a group; only ${skuLabel(from)} is removed.`);
  return {
    user, skus, from, to,
    fromPlans: fromHolding?.direct?.disabledPlans,
    toHeld,
    toPlans: p.disabledPlans === undefined ? [] : resolvePlans(to, p.disabledPlans, 'disabledPlans'),
    problems, warnings,
  };
}

function isDone(plan: SwapPlan): boolean {
  return !plan.fromPlans && plan.toHeld;
}

function bodyOf(plan: SwapPlan) {
  return {
    addLicenses: plan.toHeld ? [] : [{ skuId: plan.to.skuId, disabledPlans: plan.toPlans }],
    removeLicenses: [plan.from.skuId],
  };
}

function callsOf(plan: SwapPlan): PlannedCall[] {
  if (isDone(plan)) return [];
  return [assignLicenseCall(plan.user, bodyOf(plan), `Replace ${skuLabel(plan.from)} with ${skuLabel(plan.to)} for ${plan.user.userPrincipalName} in one call`)];
}

function changesOf(plan: SwapPlan): Change[] {
  return isDone(plan) ? licenceChange(plan.user, plan.skus, [], []) : licenceChange(plan.user, plan.skus, [plan.to.skuId], [plan.from.skuId]);
}

export const swapLicense = defineAction({
  id: 'swap-license',
  title: 'Swap licence',
  description: 'Replaces one licence with another in a single call, so the user is never unlicensed.',
  category: 'licenses',
  params,
  secrets: [],
  permissions,
  validate: (ctx, p) => validateWith(ctx, permissions, async (c) => {
    const plan = await c.attempt(() => planSwap(ctx, p));
    if (!plan) return;
    c.errors.push(...plan.problems);
    c.warnings.push(...plan.warnings);
  }),
  async preview(ctx, p) {
    const plan = await planSwap(ctx, p);
    if (plan.problems[0]) throw plan.problems[0];
    return { calls: callsOf(plan), changes: changesOf(plan), skipped: [], alreadyDone: isDone(plan), warnings: plan.warnings };
  },
  async execute(ctx, p) {
    const plan = await planSwap(ctx, p);
    const u = plan.user;
    const outputs = {
      userId: u.id,
      userPrincipalName: u.userPrincipalName,
      fromSku: plan.from.skuPartNumber,
      toSku: plan.to.skuPartNumber,
      disabledPlans: planNames(plan.to, plan.toPlans),
    };
    if (isDone(plan)) {
      const before = earlierBefore<SwapBefore>(ctx) ?? {
        from: { skuId: plan.from.skuId, skuPartNumber: plan.from.skuPartNumber, disabledPlans: [] },
        to: { skuId: plan.to.skuId, skuPartNumber: plan.to.skuPartNumber },
        toHeld: true,
        swapped: false,
      };
      return { outputs, before: { ...before }, alreadyDone: true, skipped: [], summary: `${u.userPrincipalName} already had ${skuLabel(plan.to)} and not ${skuLabel(plan.from)}.` };
    }
    if (plan.problems[0]) throw plan.problems[0];
    const before = await recordBefore<SwapBefore>(ctx, {
      from: { skuId: plan.from.skuId, skuPartNumber: plan.from.skuPartNumber, disabledPlans: plan.fromPlans ?? [] },
      to: { skuId: plan.to.skuId, skuPartNumber: plan.to.skuPartNumber },
      toHeld: plan.toHeld,
      swapped: true,
    });
    await writeOrConfirm(
      () => ctx.graph.post(`/users/${u.id}/assignLicense`, bodyOf(plan), { clientRequestId: requestId(ctx.idempotencyKey, 'swap') }),
      async () => {
        const now = await reloadUser(ctx, u);
        return !holdingOf(now, plan.from.skuId)?.direct && !!holdingOf(now, plan.to.skuId);
      },
    );
    return { outputs, before: { ...before }, alreadyDone: false, skipped: [], summary: `Replaced ${skuLabel(plan.from)} with ${skuLabel(plan.to)} for ${u.userPrincipalName}.` };
  },
  undo: {
    reversible: true,
    build: (p, r) => {
      const b = r.before as unknown as SwapBefore;
      if (!b.swapped) return [];
      if (b.toHeld) return [{ action: 'assign-license', params: { user: p.user, sku: b.from.skuPartNumber, disabledPlans: b.from.disabledPlans } }];
      return [{ action: 'swap-license', params: { user: p.user, fromSku: b.to.skuPartNumber, toSku: b.from.skuPartNumber, disabledPlans: b.from.disabledPlans } }];
    },
  },
});
