// A user as Microsoft Graph renders it. v1.0 returns eleven properties unless $select names others;
// beta returns most stored properties. Derived values (licences, plans) are computed only when the
// response includes them, because listing 5,000 users must not walk every group per user.
import { assignedLicenses, licenseStates } from '../state/derived.ts';
import type { EmuUser } from '../state/model.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { RESOLVE_PROPERTY } from './odata/filter.ts';
import { securityIdentifier } from './serialize-group.ts';

type Getter = (t: TenantState, u: EmuUser, deletedDateTime: string | null) => unknown;

const extra = (name: string, dflt: unknown = null): Getter => (_t, u) => (u.extra && name in u.extra ? u.extra[name] : dflt);
const isGuest = (u: EmuUser) => u.userType === 'Guest';
const synced = (u: EmuUser) => u.onPremisesSyncEnabled === true;

/** Graph's `service` name for the plans the emulator models. */
function serviceOf(planName: string): string {
  if (planName.startsWith('EXCHANGE')) return 'exchange';
  if (planName.startsWith('TEAMS')) return 'TeamspaceAPI';
  if (planName.startsWith('SHAREPOINT')) return 'SharePoint';
  if (planName === 'OFFICESUBSCRIPTION') return 'MicrosoftOffice';
  if (planName.startsWith('AAD_PREMIUM')) return 'AADPremiumService';
  if (planName.startsWith('INTUNE')) return 'SCO';
  if (planName.startsWith('VISIO')) return 'Visio';
  if (planName.startsWith('BI_AZURE')) return 'PowerBI';
  return planName;
}

function assignedPlans(t: TenantState, u: EmuUser): unknown[] {
  const out: unknown[] = [];
  for (const l of assignedLicenses(t, u)) {
    const sku = t.sku(l.skuId);
    if (!sku) continue;
    for (const p of sku.servicePlans) {
      out.push({
        assignedDateTime: u.createdDateTime,
        capabilityStatus: l.disabledPlans.includes(p.servicePlanId) ? 'Deleted' : 'Enabled',
        service: serviceOf(p.servicePlanName),
        servicePlanId: p.servicePlanId,
      });
    }
  }
  return out;
}

const getters: Record<string, Getter> = {
  id: (_t, u) => u.id,
  deletedDateTime: (_t, _u, d) => d,
  aboutMe: () => null,
  accountEnabled: (_t, u) => u.accountEnabled,
  ageGroup: extra('ageGroup'),
  assignedLicenses: (t, u) => assignedLicenses(t, u).map((l) => ({ disabledPlans: l.disabledPlans, skuId: l.skuId })),
  assignedPlans: (t, u) => assignedPlans(t, u),
  authorizationInfo: () => ({ certificateUserIds: [] }),
  birthday: () => '0001-01-01T08:00:00Z',
  businessPhones: (_t, u) => u.businessPhones,
  city: (_t, u) => u.city,
  companyName: (_t, u) => u.companyName,
  consentProvidedForMinor: extra('consentProvidedForMinor'),
  country: (_t, u) => u.country,
  createdDateTime: (_t, u) => u.createdDateTime,
  creationType: (_t, u) => (isGuest(u) ? 'Invitation' : null),
  customSecurityAttributes: () => null,
  department: (_t, u) => u.department,
  displayName: (_t, u) => u.displayName,
  employeeHireDate: (_t, u) => u.employeeHireDate,
  employeeId: (_t, u) => u.employeeId,
  employeeLeaveDateTime: (_t, u) => u.employeeLeaveDateTime,
  employeeOrgData: (_t, u) => u.employeeOrgData,
  employeeType: (_t, u) => u.employeeType,
  externalUserState: (_t, u) => (isGuest(u) ? 'Accepted' : null),
  externalUserStateChangeDateTime: (_t, u) => (isGuest(u) ? u.createdDateTime : null),
  faxNumber: extra('faxNumber'),
  givenName: (_t, u) => u.givenName,
  hireDate: () => '0001-01-01T08:00:00Z',
  identities: (t, u) => [{ signInType: 'userPrincipalName', issuer: t.data.initialDomain, issuerAssignedId: u.userPrincipalName }],
  imAddresses: (_t, u) => (u.mail && !isGuest(u) ? [u.mail.toLowerCase()] : []),
  interests: () => [],
  isManagementRestricted: () => null,
  isResourceAccount: () => null,
  jobTitle: (_t, u) => u.jobTitle,
  lastPasswordChangeDateTime: (_t, u) => u.lastPasswordChangeDateTime,
  legalAgeGroupClassification: extra('legalAgeGroupClassification'),
  licenseAssignmentStates: (t, u) => licenseStates(t, u).map((s) => ({
    assignedByGroup: s.assignedByGroup, disabledPlans: s.disabledPlans, error: s.error, lastUpdatedDateTime: s.lastUpdatedDateTime ?? u.createdDateTime, skuId: s.skuId, state: s.state,
  })),
  mail: (_t, u) => u.mail,
  mailboxSettings: () => null,
  mailNickname: (_t, u) => u.mailNickname,
  mobilePhone: (_t, u) => u.mobilePhone,
  mySite: () => null,
  officeLocation: (_t, u) => u.officeLocation,
  onPremisesDistinguishedName: (t, u) => (synced(u) ? `CN=${u.displayName},OU=Users,DC=${t.data.initialDomain.split('.')[0]},DC=local` : null),
  onPremisesDomainName: (t, u) => (synced(u) ? `${t.data.initialDomain.split('.')[0]}.local` : null),
  onPremisesExtensionAttributes: (_t, u) => {
    const out: Record<string, unknown> = {};
    const stored = (u.extra?.onPremisesExtensionAttributes ?? {}) as Record<string, unknown>;
    for (let i = 1; i <= 15; i++) out[`extensionAttribute${i}`] = stored[`extensionAttribute${i}`] ?? null;
    return out;
  },
  onPremisesImmutableId: (_t, u) => u.onPremisesImmutableId,
  onPremisesLastSyncDateTime: (_t, u) => (synced(u) ? u.signInSessionsValidFromDateTime : null),
  onPremisesProvisioningErrors: () => [],
  onPremisesSamAccountName: (_t, u) => u.onPremisesSamAccountName ?? (synced(u) ? u.mailNickname : null),
  onPremisesSecurityIdentifier: (_t, u) => (synced(u) ? (securityIdentifier(u.id) ?? '').replace('S-1-12-1-', 'S-1-5-21-') : null),
  onPremisesSyncEnabled: (_t, u) => u.onPremisesSyncEnabled,
  onPremisesUserPrincipalName: (_t, u) => (synced(u) ? u.userPrincipalName : null),
  otherMails: (_t, u) => u.otherMails,
  passwordPolicies: extra('passwordPolicies'),
  // Graph never returns a password; passwordProfile reads back as null.
  passwordProfile: () => null,
  pastProjects: () => [],
  postalCode: extra('postalCode'),
  preferredDataLocation: extra('preferredDataLocation'),
  preferredLanguage: (_t, u) => u.preferredLanguage,
  preferredName: () => null,
  provisionedPlans: () => [],
  proxyAddresses: (_t, u) => u.proxyAddresses,
  responsibilities: () => [],
  schools: () => [],
  securityIdentifier: (_t, u) => securityIdentifier(u.id),
  serviceProvisioningErrors: () => [],
  showInAddressList: extra('showInAddressList'),
  signInActivity: () => null,
  signInSessionsValidFromDateTime: (_t, u) => u.signInSessionsValidFromDateTime,
  skills: () => [],
  state: extra('state'),
  streetAddress: extra('streetAddress'),
  surname: (_t, u) => u.surname,
  usageLocation: (_t, u) => u.usageLocation,
  userPrincipalName: (_t, u) => u.userPrincipalName,
  userType: (_t, u) => u.userType,
};

const lowerToName = new Map(Object.keys(getters).map((k) => [k.toLowerCase(), k]));

export const USER_DEFAULT_V1 = [
  'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id',
] as const;

/** beta's default set: what it returns for a user without $select. */
export const USER_DEFAULT_BETA = [
  'id', 'deletedDateTime', 'accountEnabled', 'ageGroup', 'businessPhones', 'city', 'createdDateTime', 'creationType', 'companyName',
  'consentProvidedForMinor', 'country', 'department', 'displayName', 'employeeId', 'employeeHireDate', 'employeeLeaveDateTime',
  'employeeType', 'externalUserState', 'externalUserStateChangeDateTime', 'faxNumber', 'givenName', 'jobTitle',
  'legalAgeGroupClassification', 'mail', 'mailNickname', 'mobilePhone', 'onPremisesDistinguishedName', 'onPremisesDomainName',
  'onPremisesImmutableId', 'onPremisesLastSyncDateTime', 'onPremisesSecurityIdentifier', 'onPremisesSamAccountName',
  'onPremisesSyncEnabled', 'onPremisesUserPrincipalName', 'otherMails', 'passwordPolicies', 'postalCode', 'preferredDataLocation',
  'preferredLanguage', 'proxyAddresses', 'securityIdentifier', 'showInAddressList', 'signInSessionsValidFromDateTime', 'state',
  'streetAddress', 'surname', 'usageLocation', 'userPrincipalName', 'userType', 'employeeOrgData', 'passwordProfile',
  'assignedLicenses', 'assignedPlans', 'authorizationInfo', 'identities', 'onPremisesExtensionAttributes',
  'onPremisesProvisioningErrors', 'provisionedPlans', 'serviceProvisioningErrors',
] as const;

export interface UserJsonOptions {
  version: 'v1.0' | 'beta';
  /** Property names from $select (any case); absent = the version's default set. */
  select?: readonly string[] | undefined;
  /** For objects in deletedItems. */
  deletedDateTime?: string | null;
}

/** One output property: a Graph property with its getter, or a name only an extension may carry. */
type Field = { name: string; get: Getter } | { name: string; get: undefined };

export type UserRenderer = (t: TenantState, u: EmuUser, deletedDateTime: string | null, odataType?: string) => Record<string, unknown>;

// Property names are resolved once per distinct ($select, version), not once per user and property:
// a page of 100 users with 11 properties would otherwise lower-case and look up 1,100 names.
const renderers = new Map<string, UserRenderer>();
const MAX_RENDERERS = 256;

/** The renderer for a version's default set or a $select list (names in any case, output in list order). */
export function userRenderer(version: 'v1.0' | 'beta', select: readonly string[] | undefined): UserRenderer {
  const key = select ? `s:${select.join(',')}` : version;
  let r = renderers.get(key);
  if (r) return r;
  const names: readonly string[] = select ?? (version === 'beta' ? USER_DEFAULT_BETA : USER_DEFAULT_V1);
  const fields: Field[] = names.map((n) => {
    const name = lowerToName.get(n.toLowerCase());
    return name ? { name, get: getters[name]! } : { name: n, get: undefined };
  });
  r = (t, u, deleted, odataType) => {
    const out: Record<string, unknown> = odataType ? { '@odata.type': odataType } : {};
    for (const f of fields) {
      if (f.get) out[f.name] = f.get(t, u, deleted);
      else if (u.extra && f.name in u.extra) out[f.name] = u.extra[f.name];
    }
    return out;
  };
  if (renderers.size >= MAX_RENDERERS) renderers.clear();
  renderers.set(key, r);
  return r;
}

/** The Graph JSON for one user: the default set, or exactly the $select list in its order. */
export function userJson(t: TenantState, u: EmuUser, opts: UserJsonOptions): Record<string, unknown> {
  return userRenderer(opts.version, opts.select)(t, u, opts.deletedDateTime ?? null);
}

/**
 * What $filter, $orderby and $search read: every Graph property, each computed only when a query
 * touches it, from the live user (so a cached view never goes stale). Never the password hash.
 */
class UserView {
  readonly t: TenantState;
  readonly u: EmuUser;
  readonly deleted: string | null;
  constructor(t: TenantState, u: EmuUser, deleted: string | null) {
    this.t = t;
    this.u = u;
    this.deleted = deleted;
  }
  [RESOLVE_PROPERTY](name: string): unknown {
    const lower = name.toLowerCase();
    const graphName = lowerToName.get(lower);
    if (graphName) return getters[graphName]!(this.t, this.u, this.deleted);
    const more = this.u.extra;
    if (more) for (const k of Object.keys(more)) if (k.toLowerCase() === lower) return more[k];
    return undefined;
  }
}

const views = new WeakMap<EmuUser, UserView>();

export function userFilterView(t: TenantState, u: EmuUser, deletedDateTime: string | null = null): Record<string, unknown> {
  if (deletedDateTime !== null) return new UserView(t, u, deletedDateTime) as unknown as Record<string, unknown>;
  let v = views.get(u);
  if (!v || v.t !== t) views.set(u, (v = new UserView(t, u, null)));
  return v as unknown as Record<string, unknown>;
}
