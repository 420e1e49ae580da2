// /organization and /domains: the tenant itself, its verified domains and which one is the default
// (the first custom domain when there is one, else the initial *.onmicrosoft.com domain).
import type { TenantState } from '../state/tenant-state.ts';
import { collectionResponse } from './collection.ts';
import { graphErrors } from './errors.ts';
import { perms, type GraphContext, type GraphRoute } from './route.ts';

const DOMAIN_READ = ['Domain.Read.All', 'Domain.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

interface DomainInfo {
  name: string;
  isDefault: boolean;
  isInitial: boolean;
}

function domainsOf(t: TenantState): DomainInfo[] {
  const custom = t.data.verifiedDomains.filter((d) => d.toLowerCase() !== t.data.initialDomain.toLowerCase());
  const dflt = (custom[0] ?? t.data.initialDomain).toLowerCase();
  return [t.data.initialDomain, ...custom].map((name) => ({ name, isDefault: name.toLowerCase() === dflt, isInitial: name === t.data.initialDomain }));
}

/** The earliest date the tenant's objects carry stands in for when the tenant was created. */
function tenantCreated(t: TenantState): string {
  let first: string | undefined;
  for (const o of [...t.data.users, ...t.data.groups]) if (o.createdDateTime && (first === undefined || o.createdDateTime < first)) first = o.createdDateTime;
  return first ?? '2020-01-01T00:00:00Z';
}

function organizationJson(t: TenantState): Record<string, unknown> {
  const synced = t.data.users.some((u) => u.onPremisesSyncEnabled === true);
  const created = tenantCreated(t);
  const assignedPlans = t.data.skus.flatMap((s) => s.servicePlans.map((p) => ({
    assignedDateTime: created, capabilityStatus: s.capabilityStatus, service: p.servicePlanName, servicePlanId: p.servicePlanId,
  })));
  return {
    id: t.id,
    deletedDateTime: null,
    businessPhones: [],
    city: null,
    country: null,
    countryLetterCode: t.data.defaultUsageLocation ?? 'US',
    createdDateTime: created,
    defaultUsageLocation: t.data.defaultUsageLocation,
    displayName: t.data.displayName,
    marketingNotificationEmails: [],
    onPremisesLastSyncDateTime: synced ? created : null,
    onPremisesSyncEnabled: synced ? true : null,
    postalCode: null,
    preferredLanguage: 'en',
    securityComplianceNotificationMails: [],
    securityComplianceNotificationPhones: [],
    state: null,
    street: null,
    technicalNotificationMails: [`admin@${t.data.initialDomain}`],
    tenantType: 'AAD',
    directorySizeQuota: { used: t.data.users.length + t.data.groups.length, total: 300000 },
    privacyProfile: null,
    assignedPlans,
    provisionedPlans: [],
    verifiedDomains: domainsOf(t).map((d) => ({
      capabilities: 'Email, OfficeCommunicationsOnline', isDefault: d.isDefault, isInitial: d.isInitial, name: d.name, type: 'Managed',
    })),
  };
}

function domainJson(d: DomainInfo): Record<string, unknown> {
  return {
    authenticationType: 'Managed',
    availabilityStatus: null,
    id: d.name,
    isAdminManaged: true,
    isDefault: d.isDefault,
    isInitial: d.isInitial,
    isRoot: true,
    isVerified: true,
    passwordNotificationWindowInDays: 14,
    passwordValidityPeriodInDays: 2147483647,
    supportedServices: ['Email', 'OfficeCommunicationsOnline'],
    state: null,
  };
}

export const routes: GraphRoute[] = [
  {
    method: 'GET', path: '/organization', permissions: perms.orgRead,
    handler: (ctx: GraphContext) => collectionResponse(ctx, [ctx.tenant], { context: 'organization', serialize: organizationJson }),
  },
  {
    method: 'GET', path: '/organization/:id', permissions: perms.orgRead,
    handler: (ctx: GraphContext) => {
      if ((ctx.params.id ?? '').toLowerCase() !== ctx.tenant.id.toLowerCase()) throw graphErrors.notFound(ctx.params.id ?? '');
      return { status: 200, body: { '@odata.context': `${ctx.baseUrl}/$metadata#organization/$entity`, ...organizationJson(ctx.tenant) } };
    },
  },
  {
    method: 'GET', path: '/domains', permissions: DOMAIN_READ,
    handler: (ctx: GraphContext) => collectionResponse(ctx, domainsOf(ctx.tenant), { context: 'domains', serialize: domainJson }),
  },
  {
    method: 'GET', path: '/domains/:id', permissions: DOMAIN_READ,
    handler: (ctx: GraphContext) => {
      const d = domainsOf(ctx.tenant).find((x) => x.name.toLowerCase() === (ctx.params.id ?? '').toLowerCase());
      if (!d) throw graphErrors.notFound(ctx.params.id ?? '');
      return { status: 200, body: { '@odata.context': `${ctx.baseUrl}/$metadata#domains/$entity`, ...domainJson(d) } };
    },
  },
];
