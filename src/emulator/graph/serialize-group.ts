// A group as Microsoft Graph renders it. v1.0 returns a fixed default property set; a few
// properties (assignedLicenses, licenseProcessingState …) appear only when $select names them.
import type { EmuGroup } from '../state/model.ts';

/** Properties Graph leaves out unless $select asks for them. */
const SELECT_ONLY = new Set(['assignedLicenses', 'licenseProcessingState', 'hasMembersWithLicenseErrors', 'isArchived', 'membershipRuleProcessingStatus']);

export function groupJson(g: EmuGroup, opts: { full: boolean }): Record<string, unknown> {
  const isTeam = g.resourceProvisioningOptions.includes('Team');
  const all: Record<string, unknown> = {
    id: g.id,
    deletedDateTime: null,
    classification: null,
    createdDateTime: g.createdDateTime,
    creationOptions: isTeam ? ['Team', 'ExchangeProvisioningFlags:3552'] : [],
    description: g.description,
    displayName: g.displayName,
    expirationDateTime: null,
    groupTypes: g.groupTypes,
    isAssignableToRole: null,
    mail: g.mail,
    mailEnabled: g.mailEnabled,
    mailNickname: g.mailNickname,
    membershipRule: g.membershipRule,
    membershipRuleProcessingState: g.membershipRuleProcessingState,
    onPremisesDomainName: null,
    onPremisesLastSyncDateTime: g.onPremisesSyncEnabled ? g.createdDateTime : null,
    onPremisesNetBiosName: null,
    onPremisesSamAccountName: g.onPremisesSyncEnabled ? g.mailNickname : null,
    onPremisesSecurityIdentifier: null,
    onPremisesSyncEnabled: g.onPremisesSyncEnabled,
    preferredDataLocation: null,
    preferredLanguage: null,
    proxyAddresses: g.mail ? [`SMTP:${g.mail}`] : [],
    renewedDateTime: g.createdDateTime,
    resourceBehaviorOptions: [],
    resourceProvisioningOptions: g.resourceProvisioningOptions,
    securityEnabled: g.securityEnabled,
    securityIdentifier: securityIdentifier(g.id),
    theme: null,
    uniqueName: null,
    visibility: g.visibility,
    onPremisesProvisioningErrors: [],
    serviceProvisioningErrors: [],
    ...(g.extra ?? {}),
    assignedLicenses: g.assignedLicenses.map((l) => ({ disabledPlans: l.disabledPlans, skuId: l.skuId })),
    licenseProcessingState: g.assignedLicenses.length ? { state: 'ProcessingComplete' } : null,
    hasMembersWithLicenseErrors: false,
    isArchived: isTeam ? false : null,
  };
  if (opts.full) return all;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) if (!SELECT_ONLY.has(k)) out[k] = v;
  return out;
}

/** Entra's cloud SID for an object: S-1-12-1- followed by the object GUID as four little-endian uint32. */
export function securityIdentifier(guid: string): string | null {
  const hex = guid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) return null;
  const b = Buffer.from(hex, 'hex');
  // .NET's Guid byte order: the first three fields are little-endian.
  const bytes = Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)]);
  const parts = [0, 4, 8, 12].map((o) => bytes.readUInt32LE(o));
  return `S-1-12-1-${parts.join('-')}`;
}
