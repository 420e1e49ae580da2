// assignLicense for users and groups: body parsing, Microsoft's checks (valid company SKU, usage
// location, free units, group-inherited licences), and the Exchange side effect — a licence with an
// Exchange plan provisions a mailbox for a user who has none.
import type { EmuSku, EmuUser, LicenseAssignment } from '../state/model.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { consumedUnits, licenseStates } from '../state/derived.ts';
import { makeMailbox } from '../seed/builders.ts';
import { isUuid } from '../../core/ids.ts';
import { GraphError, graphErrors } from './errors.ts';

const bad = (message: string) => new GraphError(400, 'Request_BadRequest', message);

export const licenseErrors = {
  invalidSku: (skuId: string) => bad(`License ${skuId} does not correspond to a valid company License.`),
  invalidProperty: (prop: string, resource: string) => bad(`Invalid value specified for property '${prop}' of resource '${resource}'.`),
  notAssigned: (subject: 'User' | 'Group') => bad(`${subject} does not have a corresponding license.`),
};

export interface AssignRequest {
  add: LicenseAssignment[];
  remove: string[];
}

/** `{addLicenses:[{skuId, disabledPlans}], removeLicenses:[skuId]}`; both are required (removeLicenses may be []). */
export function parseAssignBody(body: Record<string, unknown>, resource: 'User' | 'Group'): AssignRequest {
  const addRaw = body.addLicenses;
  const removeRaw = body.removeLicenses;
  if (!Array.isArray(addRaw)) throw licenseErrors.invalidProperty('addLicenses', resource);
  if (!Array.isArray(removeRaw)) throw licenseErrors.invalidProperty('removeLicenses', resource);
  for (const k of Object.keys(body)) if (k !== 'addLicenses' && k !== 'removeLicenses') throw bad(`Invalid property '${k}'.`);
  const add = addRaw.map((a): LicenseAssignment => {
    if (!a || typeof a !== 'object' || Array.isArray(a)) throw licenseErrors.invalidProperty('addLicenses', resource);
    const { skuId, disabledPlans } = a as Record<string, unknown>;
    if (typeof skuId !== 'string' || !isUuid(skuId)) throw licenseErrors.invalidProperty('skuId', 'AssignedLicense');
    if (disabledPlans !== undefined && disabledPlans !== null && (!Array.isArray(disabledPlans) || disabledPlans.some((p) => typeof p !== 'string' || !isUuid(p)))) {
      throw licenseErrors.invalidProperty('disabledPlans', 'AssignedLicense');
    }
    return { skuId: skuId.toLowerCase(), disabledPlans: ((disabledPlans as string[] | null | undefined) ?? []).map((p) => p.toLowerCase()) };
  });
  const remove = removeRaw.map((r) => {
    if (typeof r !== 'string' || !isUuid(r)) throw licenseErrors.invalidProperty('removeLicenses', resource);
    return r.toLowerCase();
  });
  return { add, remove };
}

/** Every SKU must be one the tenant subscribes to; disabled plans must belong to their SKU. */
export function resolveSkus(t: TenantState, req: AssignRequest): Map<string, EmuSku> {
  const skus = new Map<string, EmuSku>();
  for (const id of [...req.add.map((a) => a.skuId), ...req.remove]) {
    const sku = t.sku(id);
    if (!sku) throw licenseErrors.invalidSku(id);
    skus.set(id, sku);
  }
  for (const a of req.add) {
    const plans = new Set(skus.get(a.skuId)!.servicePlans.map((p) => p.servicePlanId.toLowerCase()));
    if (a.disabledPlans.some((p) => !plans.has(p))) throw licenseErrors.invalidProperty('disabledPlans', 'AssignedLicense');
  }
  return skus;
}

/** Units a SKU can still hand out (enabled and warning units are assignable). */
function freeUnits(t: TenantState, sku: EmuSku): number {
  return sku.prepaidUnits.enabled + sku.prepaidUnits.warning - (consumedUnits(t).get(sku.skuId) ?? 0);
}

function hasSku(t: TenantState, u: EmuUser, skuId: string): boolean {
  return licenseStates(t, u).some((s) => s.skuId.toLowerCase() === skuId);
}

/** Checks a user assignLicense request and applies it; nothing changes when a check fails. */
export function assignToUser(t: TenantState, user: EmuUser, req: AssignRequest, now: number): void {
  const skus = resolveSkus(t, req);
  if (req.add.length && !user.usageLocation) throw graphErrors.invalidUsageLocation();
  for (const skuId of req.remove) {
    if (user.directLicenses.some((l) => l.skuId.toLowerCase() === skuId)) continue;
    if (hasSku(t, user, skuId)) throw graphErrors.groupInheritedRemoval();
    throw licenseErrors.notAssigned('User');
  }
  for (const a of req.add) {
    const sku = skus.get(a.skuId)!;
    if (!hasSku(t, user, a.skuId) && freeUnits(t, sku) < 1) throw graphErrors.noFreeUnits(sku.skuId);
  }
  user.directLicenses = user.directLicenses.filter((l) => !req.remove.includes(l.skuId.toLowerCase()));
  for (const a of req.add) {
    const sku = skus.get(a.skuId)!;
    const existing = user.directLicenses.find((l) => l.skuId.toLowerCase() === a.skuId);
    if (existing) existing.disabledPlans = a.disabledPlans;
    else user.directLicenses.push({ skuId: sku.skuId, disabledPlans: a.disabledPlans });
  }
  t.userChanged(user, ['licenses']);
  t.touch();
  provisionMailboxes(t, [user], req.add, skus, now);
}

/** Group-based licensing: members inherit; units must cover the members who do not have the SKU yet. */
export function assignToGroup(t: TenantState, group: { assignedLicenses: LicenseAssignment[] }, members: EmuUser[], req: AssignRequest, now: number): void {
  const skus = resolveSkus(t, req);
  for (const skuId of req.remove) {
    if (!group.assignedLicenses.some((l) => l.skuId.toLowerCase() === skuId)) throw licenseErrors.notAssigned('Group');
  }
  for (const a of req.add) {
    const sku = skus.get(a.skuId)!;
    const needed = members.filter((u) => !hasSku(t, u, a.skuId)).length;
    if (needed > 0 && freeUnits(t, sku) < needed) throw graphErrors.noFreeUnits(sku.skuId);
  }
  group.assignedLicenses = group.assignedLicenses.filter((l) => !req.remove.includes(l.skuId.toLowerCase()));
  for (const a of req.add) {
    const sku = skus.get(a.skuId)!;
    const existing = group.assignedLicenses.find((l) => l.skuId.toLowerCase() === a.skuId);
    if (existing) existing.disabledPlans = a.disabledPlans;
    else group.assignedLicenses.push({ skuId: sku.skuId, disabledPlans: a.disabledPlans });
  }
  for (const u of members) t.userChanged(u, ['licenses']);
  t.touch();
  provisionMailboxes(t, members, req.add, skus, now);
}

/**
 * Exchange creates a mailbox when a user first gets a licence with an enabled Exchange plan.
 * Removing the licence later keeps the mailbox (Exchange's grace period), so nothing here deletes.
 */
function provisionMailboxes(t: TenantState, users: EmuUser[], added: LicenseAssignment[], skus: Map<string, EmuSku>, now: number): void {
  const grantsExchange = added.some((a) => {
    const sku = skus.get(a.skuId)!;
    return sku.includesExchange && sku.servicePlans.some((p) => p.servicePlanName.startsWith('EXCHANGE_S_') && !a.disabledPlans.includes(p.servicePlanId.toLowerCase()));
  });
  if (!grantsExchange) return;
  for (const u of users) {
    if (u.userType === 'Guest' || t.mailbox(u.id)) continue;
    // Exchange stamps the primary address on the user when it creates the mailbox.
    if (!u.mail) u.mail = u.userPrincipalName;
    if (!u.proxyAddresses.some((p) => p.startsWith('SMTP:'))) u.proxyAddresses = [`SMTP:${u.userPrincipalName}`, ...u.proxyAddresses];
    t.userChanged(u, ['mail', 'proxyAddresses']);
    t.addMailbox(makeMailbox(t.id, u, { createdDateTime: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z') }));
  }
}
