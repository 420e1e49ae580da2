// A user's licences as the licence actions reason about them: per SKU, whether it is assigned
// directly (and with which plans off) and which groups pass it on. Graph's assignedLicenses
// merges both; licenseAssignmentStates keeps them apart, and only direct assignments can be
// removed with assignLicense.
import { AppError, isAppError } from '../../../core/errors.ts';
import type { ActionContext, Change, PlannedCall } from '../action.ts';
import { freeUnits, skuById, skuChoices, skuLabel, type TenantSku } from '../resolve/sku.ts';
import type { ResolvedUser } from '../resolve/user.ts';

export interface SkuHolding {
  /** Lower-case skuId. */
  skuId: string;
  /** The direct assignment, or undefined when the SKU comes only through groups. */
  direct: { disabledPlans: string[] } | undefined;
  /** Ids of the groups that pass this SKU on to the user. */
  viaGroups: string[];
}

export function holdingsOf(u: ResolvedUser): Map<string, SkuHolding> {
  const out = new Map<string, SkuHolding>();
  for (const s of u.licenseAssignmentStates ?? []) {
    const id = s.skuId.toLowerCase();
    const h = out.get(id) ?? { skuId: id, direct: undefined, viaGroups: [] };
    if (s.assignedByGroup) h.viaGroups.push(s.assignedByGroup);
    else h.direct = { disabledPlans: [...(s.disabledPlans ?? [])].map((p) => p.toLowerCase()).sort() };
    out.set(id, h);
  }
  return out;
}

export function holdingOf(u: ResolvedUser, skuId: string): SkuHolding | undefined {
  return holdingsOf(u).get(skuId.toLowerCase());
}

/** Display names of groups by id; a group that vanished keeps its id as its name. */
export async function groupNames(ctx: ActionContext, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(ids)) {
    try {
      const g = await ctx.graph.get<{ displayName: string }>(`/groups/${id}`, { query: { $select: 'id,displayName' } });
      names.set(id, g.displayName);
    } catch (e) {
      if (!isAppError(e) || e.code !== 'm365_not_found') throw e;
      names.set(id, id);
    }
  }
  return names;
}

export function quoteList(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}

/** The name a person reads for a SKU id, even one the tenant no longer subscribes to. */
export function skuName(skus: readonly TenantSku[], skuId: string): string {
  const s = skuById(skus, skuId);
  return s ? s.skuPartNumber : skuId;
}

/** The user's effective licences (direct or inherited) by part number, sorted: the diff's unit. */
export function licenceNames(skus: readonly TenantSku[], skuIds: Iterable<string>): string[] {
  return [...new Set([...skuIds].map((id) => skuName(skus, id)))].sort();
}

/**
 * The licence diff of one assignLicense call: what the user holds now and after. A removed SKU
 * that a group also passes on stays in the after-state, because the user keeps it; the direct
 * assignments then get a row of their own, or the card would show a call with no visible effect.
 */
export function licenceChange(u: ResolvedUser, skus: readonly TenantSku[], add: readonly string[], remove: readonly string[]): Change[] {
  const holdings = holdingsOf(u);
  const before = [...holdings.keys()];
  const after = new Set(before);
  for (const id of remove) if (!holdings.get(id.toLowerCase())?.viaGroups.length) after.delete(id.toLowerCase());
  for (const id of add) after.add(id.toLowerCase());
  const changes: Change[] = [{ object: u.userPrincipalName, field: 'licenses', before: licenceNames(skus, before), after: licenceNames(skus, after) }];
  const inheritedToo = [...remove, ...add].some((id) => holdings.get(id.toLowerCase())?.viaGroups.length);
  if (inheritedToo) {
    const direct = [...holdings.values()].filter((h) => h.direct).map((h) => h.skuId);
    const directAfter = new Set(direct);
    for (const id of remove) directAfter.delete(id.toLowerCase());
    for (const id of add) directAfter.add(id.toLowerCase());
    changes.push({ object: u.userPrincipalName, field: 'directLicenses', before: licenceNames(skus, direct), after: licenceNames(skus, directAfter) });
  }
  return changes;
}

export interface AssignBody {
  addLicenses: Array<{ skuId: string; disabledPlans: string[] }>;
  removeLicenses: string[];
}

export function assignLicenseCall(u: ResolvedUser, body: AssignBody, description: string): PlannedCall {
  return { surface: 'graph', method: 'POST', target: `/users/${u.id}/assignLicense`, body, description };
}

export function usageLocationCall(u: ResolvedUser, usageLocation: string): PlannedCall {
  return {
    surface: 'graph', method: 'PATCH', target: `/users/${u.id}`, body: { usageLocation },
    description: `Set ${u.userPrincipalName}'s usage location to ${usageLocation} (required before a licence can be assigned)`,
  };
}

/** Re-reads the user (licence states and usage location) after a write. */
export async function reloadUser(ctx: ActionContext, u: ResolvedUser): Promise<ResolvedUser> {
  return ctx.graph.get<ResolvedUser>(`/users/${u.id}`, {
    query: { $select: 'id,userPrincipalName,displayName,accountEnabled,usageLocation,assignedLicenses,licenseAssignmentStates' },
  });
}

export function noFreeLicensesError(ctx: ActionContext, sku: TenantSku, all: readonly TenantSku[], param: string): AppError {
  const withFree = all.filter((s) => freeUnits(s) > 0);
  return new AppError({
    code: 'no_free_licenses',
    message: `${ctx.tenant.domain} has no free ${skuLabel(sku)} licence: ${sku.consumedUnits} of ${sku.prepaidUnits.enabled + sku.prepaidUnits.warning} are in use.`,
    fix: `Buy more ${skuLabel(sku)} licences or remove one from a user who no longer needs it.${withFree.length ? ` Licences with free units: ${skuChoices(withFree).map((c) => c.label).join('; ')}.` : ''}`,
    param,
    value: sku.skuPartNumber,
    details: { sku: sku.skuPartNumber, consumed: sku.consumedUnits, free: 0, choices: skuChoices(all) },
  });
}

export function inheritedOnlyError(u: ResolvedUser, sku: TenantSku, groups: readonly string[], param: string): AppError {
  return new AppError({
    code: 'group_inherited_license',
    message: `${u.userPrincipalName} gets ${skuLabel(sku)} from the group${groups.length > 1 ? 's' : ''} ${quoteList(groups)}, not by direct assignment; it cannot be removed from the user.`,
    fix: `Remove ${u.userPrincipalName} from ${quoteList(groups)} (remove-from-group), or remove the licence from the group.`,
    param,
    value: sku.skuPartNumber,
    details: { groups },
  });
}

/**
 * Service plans named by servicePlanName ("EXCHANGE_S_ENTERPRISE") or servicePlanId, as the
 * lower-case ids assignLicense takes; an unknown plan is an error listing the SKU's plans.
 */
export function resolvePlans(sku: TenantSku, words: readonly string[], param = 'disabledPlans'): string[] {
  const out: string[] = [];
  for (const w of words) {
    const lw = w.trim().toLowerCase();
    const plan = sku.servicePlans.find((p) => p.servicePlanId.toLowerCase() === lw || p.servicePlanName.toLowerCase() === lw);
    if (!plan) {
      throw new AppError({
        code: 'invalid_parameter',
        message: `${skuLabel(sku)} has no service plan '${w}'.`,
        fix: `Use plan names of ${sku.skuPartNumber}: ${sku.servicePlans.map((p) => p.servicePlanName).join(', ')}.`,
        param,
        value: w,
        details: { choices: sku.servicePlans.map((p) => ({ value: p.servicePlanName, label: p.servicePlanName })) },
      });
    }
    out.push(plan.servicePlanId.toLowerCase());
  }
  return [...new Set(out)].sort();
}

export function planNames(sku: TenantSku | undefined, ids: readonly string[]): string[] {
  return ids.map((id) => sku?.servicePlans.find((p) => p.servicePlanId.toLowerCase() === id.toLowerCase())?.servicePlanName ?? id);
}

export function samePlans(a: readonly string[], b: readonly string[]): boolean {
  const x = [...a].map((s) => s.toLowerCase()).sort();
  const y = [...b].map((s) => s.toLowerCase()).sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
