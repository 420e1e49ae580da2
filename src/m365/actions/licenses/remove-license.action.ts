// Removes a user's directly assigned licences: one SKU, or all of them for offboarding. Licences a
// group passes on cannot be removed from the user (Graph refuses); they are listed as skipped with
// the group to leave, and naming a SKU the user holds only through a group is an error.
import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import { defineAction, type ActionContext, type Change, type Preview, type Skip } from '../action.ts';
import { resolveSku, skuLabel, tenantSkus, skuById, type TenantSku } from '../resolve/sku.ts';
import { resolveUser, type ResolvedUser } from '../resolve/user.ts';
import { requestId } from '../support/request-ids.ts';
import { skuParam, userParam } from '../support/schemas.ts';
import {
  assignLicenseCall, groupNames, holdingsOf, inheritedOnlyError, licenceChange, planNames, quoteList, reloadUser, skuName, type SkuHolding,
} from './license-state.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';
import { groupRead, userRead, writeOrConfirm } from './step-support.ts';
import { validateWith } from '../support/validation.ts';

const params = z.strictObject({
  user: userParam,
  sku: skuParam.optional().describe('The licence to remove (a friendly name, partNumber or skuId). Omit, or set all, to remove every directly assigned licence.'),
  all: z.boolean().optional().describe('Remove every directly assigned licence. Licences inherited from groups are skipped.'),
});
type Params = z.infer<typeof params>;

const permissions = {
  graph: [['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'], userRead, groupRead],
  exchange: false,
};

export interface RemovedLicence {
  skuId: string;
  skuPartNumber: string;
  /** Disabled plan ids, so undo restores the assignment exactly. */
  disabledPlans: string[];
}

export type RemoveBefore = { removed: RemovedLicence[] };

interface RemovePlan {
  user: ResolvedUser;
  skus: TenantSku[];
  remove: RemovedLicence[];
  skipped: Skip[];
  warnings: string[];
}

function wantsAll(p: Params): boolean {
  return p.all === true || p.sku === undefined;
}

function bothGiven(p: Params): AppError | undefined {
  if (p.all !== true || p.sku === undefined) return undefined;
  return new AppError({
    code: 'invalid_parameter',
    message: `Both sku ('${p.sku}') and all were given; remove-license removes either one licence or all of them.`,
    fix: 'Give sku to remove one licence, or all: true (without sku) to remove every directly assigned licence.',
    param: 'all',
    value: true,
  });
}

function removed(sku: TenantSku | undefined, skuId: string, h: SkuHolding, skus: readonly TenantSku[]): RemovedLicence {
  return { skuId: sku?.skuId ?? skuId, skuPartNumber: skuName(skus, skuId), disabledPlans: h.direct?.disabledPlans ?? [] };
}

async function planRemove(ctx: ActionContext, p: Params): Promise<RemovePlan> {
  const conflict = bothGiven(p);
  if (conflict) throw conflict;
  const user = await resolveUser(ctx, p.user);
  const skus = await tenantSkus(ctx);
  const holdings = holdingsOf(user);
  const names = await groupNames(ctx, [...holdings.values()].flatMap((h) => h.viaGroups));
  const inheritedSkip = (h: SkuHolding): Skip => {
    const groups = h.viaGroups.map((g) => names.get(g) ?? g);
    const leaves = `${user.userPrincipalName} leaves ${groups.length > 1 ? 'those groups' : 'that group'}`;
    return {
      item: skuName(skus, h.skuId),
      // Held both ways, the direct assignment goes and the inherited one stays: say both.
      reason: h.direct
        ? `Also inherited from ${quoteList(groups)}: only the direct assignment is removed; the user keeps the licence until ${leaves}.`
        : `Inherited from ${quoteList(groups)}; it goes when ${leaves}.`,
      code: 'group_inherited_license',
    };
  };
  const plan: RemovePlan = { user, skus, remove: [], skipped: [], warnings: [] };
  if (wantsAll(p)) {
    for (const h of holdings.values()) {
      if (h.direct) plan.remove.push(removed(skuById(skus, h.skuId), h.skuId, h, skus));
      if (h.viaGroups.length) plan.skipped.push(inheritedSkip(h));
    }
  } else {
    const sku = await resolveSku(ctx, p.sku!, 'sku', skus);
    const h = holdings.get(sku.skuId.toLowerCase());
    if (h && !h.direct) throw inheritedOnlyError(user, sku, h.viaGroups.map((g) => names.get(g) ?? g), 'sku');
    if (h?.direct) plan.remove.push(removed(sku, sku.skuId, h, skus));
    if (h?.viaGroups.length) {
      plan.skipped.push(inheritedSkip(h));
      plan.warnings.push(`${user.userPrincipalName} keeps ${skuLabel(sku)}: it is also inherited from a group.`);
    }
  }
  plan.warnings.push(...mailboxWarning(plan, holdings));
  return plan;
}

/** Losing the last Exchange plan starts the mailbox's 30-day deletion clock. */
function mailboxWarning(plan: RemovePlan, holdings: Map<string, SkuHolding>): string[] {
  const exchangeIn = (skuId: string, disabled: readonly string[]) =>
    !!skuById(plan.skus, skuId)?.servicePlans.some((s) => s.servicePlanName.startsWith('EXCHANGE_S_') && !disabled.includes(s.servicePlanId.toLowerCase()));
  const going = new Set(plan.remove.map((r) => r.skuId.toLowerCase()));
  const losing = plan.remove.some((r) => exchangeIn(r.skuId, r.disabledPlans));
  const keeps = [...holdings.values()].some((h) => h.viaGroups.length || (!going.has(h.skuId) && h.direct && exchangeIn(h.skuId, h.direct.disabledPlans)));
  if (!losing || keeps || !plan.user.mail) return [];
  return [mailboxLossWarning(plan.user.userPrincipalName)];
}

function mailboxLossWarning(upn: string): string {
  return `${upn} loses Exchange Online: the mailbox is deleted 30 days later. Convert it to a shared mailbox first if it must be kept.`;
}

/** An earlier step of the run converts the mailbox to shared: it is kept without a licence. */
function inContext(preview: Preview, earlier: readonly Change[]): Preview {
  const shared = (upn: string) => earlier.some((c) => c.field === 'RecipientTypeDetails' && c.after === 'SharedMailbox' && String(c.object).toLowerCase() === upn.toLowerCase());
  const warnings = preview.warnings.filter((w) => {
    const upn = /^(\S+) loses Exchange Online: /.exec(w)?.[1];
    return !upn || w !== mailboxLossWarning(upn) || !shared(upn);
  });
  return { ...preview, warnings };
}

function bodyOf(plan: RemovePlan) {
  return { addLicenses: [], removeLicenses: plan.remove.map((r) => r.skuId) };
}

function labels(plan: RemovePlan): string {
  return plan.remove.map((r) => skuLabel(skuById(plan.skus, r.skuId) ?? r)).join(', ');
}

export const removeLicense = defineAction({
  id: 'remove-license',
  title: 'Remove licence',
  description: 'Removes one directly assigned licence from a user, or all of them; licences inherited from groups are skipped with the group named.',
  category: 'licenses',
  params,
  secrets: [],
  permissions,
  validate: (ctx, p) => validateWith(ctx, permissions, async (c) => {
    const plan = await c.attempt(() => planRemove(ctx, p));
    if (plan) c.warnings.push(...plan.warnings);
  }),
  async preview(ctx, p) {
    const plan = await planRemove(ctx, p);
    const alreadyDone = plan.remove.length === 0;
    return {
      calls: alreadyDone ? [] : [assignLicenseCall(plan.user, bodyOf(plan), `Remove ${labels(plan)} from ${plan.user.userPrincipalName}`)],
      changes: licenceChange(plan.user, plan.skus, [], plan.remove.map((r) => r.skuId)),
      skipped: plan.skipped,
      alreadyDone,
      warnings: plan.warnings,
    };
  },
  async execute(ctx, p) {
    const plan = await planRemove(ctx, p);
    const u = plan.user;
    const outputs = (list: RemovedLicence[]) => ({
      userId: u.id,
      userPrincipalName: u.userPrincipalName,
      removed: list.map((r) => ({ skuId: r.skuId, skuPartNumber: r.skuPartNumber, disabledPlans: planNames(skuById(plan.skus, r.skuId), r.disabledPlans) })),
      skipped: plan.skipped.map((s) => ({ sku: s.item, reason: s.reason })),
    });
    if (plan.remove.length === 0) {
      const before = earlierBefore<RemoveBefore>(ctx) ?? { removed: [] };
      return {
        outputs: outputs(before.removed), before: { ...before }, alreadyDone: true, skipped: plan.skipped,
        summary: before.removed.length
          ? `${u.userPrincipalName}'s licences were already removed by an earlier attempt.`
          : `${u.userPrincipalName} had no ${p.sku && !wantsAll(p) ? `${p.sku} ` : 'direct '}licence to remove.`,
      };
    }
    // A re-run after a crash may find part of the work done; undo must still restore all of it.
    const before = await recordBefore<RemoveBefore>(ctx, { removed: plan.remove });
    const going = plan.remove.map((r) => r.skuId.toLowerCase());
    await writeOrConfirm(
      () => ctx.graph.post(`/users/${u.id}/assignLicense`, bodyOf(plan), { clientRequestId: requestId(ctx.idempotencyKey, 'remove') }),
      async () => {
        const now = holdingsOf(await reloadUser(ctx, u));
        return going.every((id) => !now.get(id)?.direct);
      },
    );
    return {
      outputs: outputs(before.removed),
      before: { ...before },
      alreadyDone: false,
      skipped: plan.skipped,
      summary: `Removed ${labels(plan)} from ${u.userPrincipalName}.${plan.skipped.length ? ` Skipped ${plan.skipped.length} inherited licence${plan.skipped.length > 1 ? 's' : ''}.` : ''}`,
    };
  },
  inContext,
  undo: {
    reversible: true,
    build: (p, r) => (r.before as unknown as RemoveBefore).removed.map((l) => ({
      action: 'assign-license',
      params: { user: p.user, sku: l.skuPartNumber, disabledPlans: l.disabledPlans },
    })),
  },
});
