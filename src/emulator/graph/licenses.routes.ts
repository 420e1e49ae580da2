// Licensing: the tenant's subscribedSkus (consumedUnits always computed from live assignments),
// user and group assignLicense, and a user's licenseDetails.
import type { EmuSku, EmuUser } from '../state/model.ts';
import { consumedUnits, licenseStates, memberIdsOf } from '../state/derived.ts';
import { applySelect, parseSelect } from './collection.ts';
import { bodyObject, contextUrl, requireGroup, requireUser } from './directory-object.ts';
import { graphErrors } from './errors.ts';
import { assignToGroup, assignToUser, parseAssignBody } from './license-assignment.ts';
import { perms, type GraphContext, type GraphRoute } from './route.ts';
import { groupJson } from './serialize-group.ts';
import { userJson } from './serialize-user.ts';

const groupLicenseWrite = ['LicenseAssignment.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'] as const;
const licenseDetailsRead = [...new Set([...perms.userRead, ...perms.licenseRead])];

function skuJson(ctx: GraphContext, sku: EmuSku, consumed: Map<string, number>): Record<string, unknown> {
  return {
    accountName: ctx.tenant.data.initialDomain.split('.')[0],
    accountId: ctx.tenant.id,
    appliesTo: sku.appliesTo,
    capabilityStatus: sku.capabilityStatus,
    consumedUnits: consumed.get(sku.skuId) ?? 0,
    id: `${ctx.tenant.id}_${sku.skuId}`,
    skuId: sku.skuId,
    skuPartNumber: sku.skuPartNumber,
    subscriptionIds: sku.subscriptionIds,
    prepaidUnits: { ...sku.prepaidUnits },
    servicePlans: sku.servicePlans.map((p) => ({ ...p })),
  };
}

function listSkus(ctx: GraphContext) {
  const consumed = consumedUnits(ctx.tenant);
  const select = parseSelect(ctx.query.$select);
  return {
    status: 200,
    body: { '@odata.context': contextUrl(ctx, 'subscribedSkus'), value: ctx.tenant.data.skus.map((s) => applySelect(skuJson(ctx, s, consumed), select, [], false)) },
  };
}

function getSku(ctx: GraphContext) {
  const id = (ctx.params.id ?? '').toLowerCase();
  const sku = ctx.tenant.data.skus.find((s) => `${ctx.tenant.id}_${s.skuId}`.toLowerCase() === id);
  if (!sku) throw graphErrors.notFound(ctx.params.id ?? '');
  const select = parseSelect(ctx.query.$select);
  return { status: 200, body: { '@odata.context': contextUrl(ctx, 'subscribedSkus/$entity'), ...applySelect(skuJson(ctx, sku, consumedUnits(ctx.tenant)), select, [], false) } };
}

function userAssign(ctx: GraphContext) {
  const user = requireUser(ctx, ctx.params.id);
  const req = parseAssignBody(bodyObject(ctx), 'User');
  assignToUser(ctx.tenant, user, req, ctx.now);
  return { status: 200, body: { '@odata.context': contextUrl(ctx, 'users/$entity'), ...userJson(ctx.tenant, user, { version: ctx.version }) } };
}

function groupAssign(ctx: GraphContext) {
  const group = requireGroup(ctx, ctx.params.id);
  const req = parseAssignBody(bodyObject(ctx), 'Group');
  const members = memberIdsOf(ctx.tenant, group).map((id) => ctx.tenant.user(id)).filter((u): u is EmuUser => !!u);
  assignToGroup(ctx.tenant, group, members, req, ctx.now);
  // Graph points the Location of this 202 at the directory's own (v2) address of the group.
  const origin = ctx.baseUrl.slice(0, ctx.baseUrl.lastIndexOf('/'));
  return {
    status: 202,
    headers: { Location: `${origin}/v2/${ctx.tenant.id}/directoryObjects/${group.id}/Microsoft.DirectoryServices.Group` },
    body: { '@odata.context': contextUrl(ctx, 'groups/$entity'), ...groupJson(group, { full: false }) },
  };
}

/** A stable, opaque licenseDetails id per user and SKU (Graph's are base64url strings too). */
function detailId(userId: string, skuId: string): string {
  return Buffer.from(`${userId.replace(/-/g, '')}${skuId.replace(/-/g, '')}`, 'hex').toString('base64url');
}

function licenseDetails(ctx: GraphContext) {
  const user = requireUser(ctx, ctx.params.id);
  // A SKU held both directly and through groups appears once; a plan is off only if every assignment disables it.
  const bySku = new Map<string, string[][]>();
  for (const s of licenseStates(ctx.tenant, user)) {
    const list = bySku.get(s.skuId) ?? [];
    list.push(s.disabledPlans.map((p) => p.toLowerCase()));
    bySku.set(s.skuId, list);
  }
  const select = parseSelect(ctx.query.$select);
  const value = [...bySku.entries()].map(([skuId, disabledSets]) => {
    const sku = ctx.tenant.sku(skuId);
    const disabled = (id: string) => disabledSets.every((set) => set.includes(id.toLowerCase()));
    return applySelect({
      id: detailId(user.id, skuId),
      skuId,
      skuPartNumber: sku?.skuPartNumber ?? null,
      servicePlans: (sku?.servicePlans ?? []).map((p) => ({
        servicePlanId: p.servicePlanId, servicePlanName: p.servicePlanName, provisioningStatus: disabled(p.servicePlanId) ? 'Disabled' : p.provisioningStatus, appliesTo: p.appliesTo,
      })),
    }, select, [], false);
  });
  return { status: 200, body: { '@odata.context': contextUrl(ctx, `users('${user.id}')/licenseDetails`), value } };
}

export const routes: GraphRoute[] = [
  { method: 'GET', path: '/subscribedSkus', permissions: perms.licenseRead, cost: 3, handler: listSkus },
  { method: 'GET', path: '/subscribedSkus/:id', permissions: perms.licenseRead, handler: getSku },
  { method: 'POST', path: '/users/:id/assignLicense', permissions: perms.licenseWrite, handler: userAssign },
  { method: 'GET', path: '/users/:id/licenseDetails', permissions: licenseDetailsRead, cost: 2, handler: licenseDetails },
  { method: 'POST', path: '/groups/:id/assignLicense', permissions: groupLicenseWrite, handler: groupAssign },
];
