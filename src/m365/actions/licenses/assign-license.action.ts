// Assigns one licence to a user. Microsoft refuses assignLicense for a user without a usage
// location, so one is set first (the parameter, else the tenant's default) — never silently:
// the card shows the PATCH. A user who already holds the SKU, directly or through a group, is
// left alone.
import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import { defineAction, type ActionContext, type Change, type PlannedCall, type UndoStep } from '../action.ts';
import { freeUnits, resolveSku, skuLabel, tenantSkus, type TenantSku } from '../resolve/sku.ts';
import { resolveUser, type ResolvedUser } from '../resolve/user.ts';
import { missingPermissions } from '../support/permissions.ts';
import { requestId } from '../support/request-ids.ts';
import { skuParam, usageLocationParam, userParam } from '../support/schemas.ts';
import {
  assignLicenseCall, groupNames, holdingOf, licenceChange, noFreeLicensesError, planNames, quoteList, reloadUser, resolvePlans, samePlans, usageLocationCall,
} from './license-state.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';
import { userRead, writeOrConfirm } from './step-support.ts';
import { validateWith } from '../support/validation.ts';

export const disabledPlansParam = z.array(z.string().trim().min(1).max(100)).max(50)
  .describe('Service plans of the licence to switch off, by name (e.g. "EXCHANGE_S_ENTERPRISE") or servicePlanId; [] keeps every plan on. Given, it asks for a direct assignment with exactly these plans, even when a group already passes the licence on.');

const params = z.strictObject({
  user: userParam,
  sku: skuParam,
  usageLocation: usageLocationParam.optional()
    .describe('Usage location to set when the user has none (two-letter country code). Defaults to the tenant\'s default; an existing usage location is never changed.'),
  disabledPlans: disabledPlansParam.optional(),
});
type Params = z.infer<typeof params>;

const licenseWrite = ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'];
const permissions = { graph: [licenseWrite, userRead], exchange: false };
/** Setting usageLocation is a user property write, which LicenseAssignment.ReadWrite.All does not cover. */
const usageLocationWrite = { graph: [['User.ReadWrite.All', 'Directory.ReadWrite.All']], exchange: false };

type Status = 'new' | 'plans' | 'held' | 'inherited';

interface AssignPlan {
  user: ResolvedUser;
  sku: TenantSku;
  skus: TenantSku[];
  status: Status;
  /** Disabled plan ids to send (the request's, else the existing direct assignment's, else none). */
  disabledPlans: string[];
  /** The direct assignment's disabled plans before, when status is 'plans'. */
  previousPlans: string[] | undefined;
  inheritedFrom: string[];
  /** The usage location to PATCH first, and where it came from. */
  setUsageLocation: { value: string; source: 'parameter' | 'tenant default' } | undefined;
  problems: AppError[];
  warnings: string[];
}

export interface AssignBefore {
  skuId: string;
  skuPartNumber: string;
  /** added: we assigned the SKU; plans: we changed the plans of an existing direct assignment. */
  change: 'added' | 'plans' | 'none';
  previousDisabledPlans: string[] | null;
  usageLocationBefore: string | null;
  /** The usage location we set, or null when we left it alone. */
  usageLocationSet: string | null;
}

async function planAssign(ctx: ActionContext, p: Params): Promise<AssignPlan> {
  const user = await resolveUser(ctx, p.user);
  const skus = await tenantSkus(ctx);
  const sku = await resolveSku(ctx, p.sku, 'sku', skus);
  const wanted = p.disabledPlans === undefined ? undefined : resolvePlans(sku, p.disabledPlans);
  const h = holdingOf(user, sku.skuId);
  const warnings: string[] = [];
  const problems: AppError[] = [];
  let status: Status;
  if (h?.direct) status = wanted === undefined || samePlans(wanted, h.direct.disabledPlans) ? 'held' : 'plans';
  // Explicit plans ask for a direct assignment (how undo restores one a group duplicated).
  else if (h?.viaGroups.length && wanted === undefined) status = 'inherited';
  else status = 'new';
  const inheritedFrom = h?.viaGroups.length ? [...(await groupNames(ctx, h.viaGroups)).values()] : [];
  if (status === 'inherited') {
    warnings.push(`${user.userPrincipalName} already gets ${skuLabel(sku)} from ${quoteList(inheritedFrom)}; a direct assignment would only duplicate it.`);
  } else if (status === 'new' && inheritedFrom.length) {
    warnings.push(`${user.userPrincipalName} also gets ${skuLabel(sku)} from ${quoteList(inheritedFrom)}; the direct assignment duplicates it (no extra unit is used).`);
  }
  let setUsageLocation: AssignPlan['setUsageLocation'];
  if (status === 'new' || status === 'plans') {
    if (!user.usageLocation) {
      const fallback = ctx.tenant.defaults.usageLocation?.toUpperCase();
      if (p.usageLocation) setUsageLocation = { value: p.usageLocation, source: 'parameter' };
      else if (fallback) setUsageLocation = { value: fallback, source: 'tenant default' };
      else problems.push(usageLocationRequired(ctx, user));
    } else if (p.usageLocation && p.usageLocation !== user.usageLocation) {
      warnings.push(`${user.userPrincipalName} keeps the usage location ${user.usageLocation}; the given ${p.usageLocation} applies only to users without one.`);
    }
    // A user who holds the SKU through a group already counts one unit; a direct assignment adds none.
    if (status === 'new' && !inheritedFrom.length && freeUnits(sku) < 1) problems.push(noFreeLicensesError(ctx, sku, skus, 'sku'));
    if (!user.accountEnabled) warnings.push(`${user.userPrincipalName} is disabled: the licence is consumed by an account that cannot sign in.`);
  }
  return {
    user, sku, skus, status,
    disabledPlans: wanted ?? h?.direct?.disabledPlans ?? [],
    previousPlans: status === 'plans' ? h?.direct?.disabledPlans : undefined,
    inheritedFrom, setUsageLocation, problems, warnings,
  };
}

function usageLocationRequired(ctx: ActionContext, u: ResolvedUser): AppError {
  return new AppError({
    code: 'usage_location_required',
    message: `${u.userPrincipalName} has no usage location and ${ctx.tenant.domain} has no default one; Microsoft assigns licences only to users with a usage location.`,
    fix: 'Give usageLocation (a two-letter country code such as US, GB or DE), or set a default usage location for the tenant.',
    param: 'usageLocation',
    value: null,
  });
}

function isDone(plan: AssignPlan): boolean {
  return plan.status === 'held' || plan.status === 'inherited';
}

function callsOf(plan: AssignPlan): PlannedCall[] {
  if (isDone(plan)) return [];
  const calls: PlannedCall[] = [];
  if (plan.setUsageLocation) calls.push(usageLocationCall(plan.user, plan.setUsageLocation.value));
  const what = plan.status === 'plans' ? `Change the plans of ${skuLabel(plan.sku)} for` : `Assign ${skuLabel(plan.sku)} to`;
  const off = plan.disabledPlans.length ? ` with ${planNames(plan.sku, plan.disabledPlans).join(', ')} off` : '';
  calls.push(assignLicenseCall(plan.user, { addLicenses: [{ skuId: plan.sku.skuId, disabledPlans: plan.disabledPlans }], removeLicenses: [] }, `${what} ${plan.user.userPrincipalName}${off}`));
  return calls;
}

function changesOf(plan: AssignPlan): Change[] {
  const u = plan.user;
  const changes: Change[] = [];
  if (plan.setUsageLocation) changes.push({ object: u.userPrincipalName, field: 'usageLocation', before: u.usageLocation, after: plan.setUsageLocation.value });
  changes.push(...licenceChange(u, plan.skus, isDone(plan) ? [] : [plan.sku.skuId], []));
  if (plan.status === 'plans') {
    changes.push({ object: u.userPrincipalName, field: `disabledPlans:${plan.sku.skuPartNumber}`, before: planNames(plan.sku, plan.previousPlans ?? []), after: planNames(plan.sku, plan.disabledPlans) });
  }
  return changes;
}

function outputsOf(plan: AssignPlan, usageLocation: string | null) {
  return {
    userId: plan.user.id,
    userPrincipalName: plan.user.userPrincipalName,
    skuId: plan.sku.skuId,
    skuPartNumber: plan.sku.skuPartNumber,
    disabledPlans: planNames(plan.sku, plan.disabledPlans),
    usageLocation,
  };
}

export const assignLicense = defineAction({
  id: 'assign-license',
  title: 'Assign licence',
  description: 'Assigns a licence to a user, setting the usage location first when the user has none.',
  category: 'licenses',
  params,
  secrets: [],
  permissions,
  validate: (ctx, p) => validateWith(ctx, permissions, async (c) => {
    const plan = await c.attempt(() => planAssign(ctx, p));
    if (!plan) return;
    c.errors.push(...plan.problems);
    c.warnings.push(...plan.warnings);
    if (plan.setUsageLocation && !isDone(plan)) c.errors.push(...(await missingPermissions(ctx, usageLocationWrite)));
  }),
  validateKnown: (ctx, p) => validateWith(ctx, permissions, async (c) => {
    if (p.sku === undefined) return;
    const skus = await tenantSkus(ctx);
    const sku = await c.attempt(() => resolveSku(ctx, p.sku!, 'sku', skus));
    // The user is new, so the licence must come from the free units.
    if (sku && freeUnits(sku) < 1) c.errors.push(noFreeLicensesError(ctx, sku, skus, 'sku'));
  }),
  async preview(ctx, p) {
    const plan = await planAssign(ctx, p);
    if (plan.problems[0]) throw plan.problems[0];
    const warnings = [...plan.warnings];
    if (plan.setUsageLocation?.source === 'tenant default') {
      warnings.push(`${plan.user.userPrincipalName} has no usage location; the tenant default ${plan.setUsageLocation.value} is set first.`);
    }
    return { calls: callsOf(plan), changes: changesOf(plan), skipped: [], alreadyDone: isDone(plan), warnings };
  },
  async execute(ctx, p) {
    const plan = await planAssign(ctx, p);
    const u = plan.user;
    if (isDone(plan)) {
      const before = earlierBefore<AssignBefore>(ctx) ?? {
        skuId: plan.sku.skuId, skuPartNumber: plan.sku.skuPartNumber, change: 'none', previousDisabledPlans: null, usageLocationBefore: u.usageLocation, usageLocationSet: null,
      };
      const how = plan.status === 'inherited' ? ` through ${quoteList(plan.inheritedFrom)}` : '';
      return {
        outputs: outputsOf(plan, u.usageLocation), before: { ...before }, alreadyDone: true, skipped: [],
        summary: `${u.userPrincipalName} already had ${skuLabel(plan.sku)}${how}.`,
      };
    }
    if (plan.problems[0]) throw plan.problems[0];
    const before = await recordBefore<AssignBefore>(ctx, {
      skuId: plan.sku.skuId,
      skuPartNumber: plan.sku.skuPartNumber,
      change: plan.status === 'plans' ? 'plans' : 'added',
      previousDisabledPlans: plan.previousPlans ?? null,
      usageLocationBefore: u.usageLocation,
      usageLocationSet: plan.setUsageLocation?.value ?? null,
    });
    const location = plan.setUsageLocation?.value;
    if (location) {
      await writeOrConfirm(
        () => ctx.graph.patch(`/users/${u.id}`, { usageLocation: location }, { clientRequestId: requestId(ctx.idempotencyKey, 'usage-location') }),
        async () => (await reloadUser(ctx, u)).usageLocation === location,
      );
    }
    const body = { addLicenses: [{ skuId: plan.sku.skuId, disabledPlans: plan.disabledPlans }], removeLicenses: [] };
    await writeOrConfirm(
      () => ctx.graph.post(`/users/${u.id}/assignLicense`, body, { clientRequestId: requestId(ctx.idempotencyKey, 'assign') }),
      async () => {
        const direct = holdingOf(await reloadUser(ctx, u), plan.sku.skuId)?.direct;
        return !!direct && samePlans(direct.disabledPlans, plan.disabledPlans);
      },
    );
    const where = location ? ` (usage location set to ${location})` : '';
    return {
      outputs: outputsOf(plan, location ?? u.usageLocation),
      before: { ...before },
      alreadyDone: false,
      skipped: [],
      summary: plan.status === 'plans'
        ? `Changed the plans of ${skuLabel(plan.sku)} for ${u.userPrincipalName}.`
        : `Assigned ${skuLabel(plan.sku)} to ${u.userPrincipalName}${where}.`,
    };
  },
  undo: {
    reversible: true,
    build: (p, r) => {
      const b = r.before as unknown as AssignBefore;
      const steps: UndoStep[] = [];
      if (b.change === 'added') steps.push({ action: 'remove-license', params: { user: p.user, sku: b.skuPartNumber } });
      if (b.change === 'plans') steps.push({ action: 'assign-license', params: { user: p.user, sku: b.skuPartNumber, disabledPlans: b.previousDisabledPlans ?? [] } });
      // The licence goes first: Microsoft refuses to clear the usage location of a licensed user.
      if (b.usageLocationSet) steps.push({ action: 'update-user', params: { user: p.user, usageLocation: b.usageLocationBefore } });
      return steps;
    },
  },
});
