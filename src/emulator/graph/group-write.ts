// Validation of group create and update bodies the way the directory does it: required and
// read-only properties, types, mailNickname rules, and which kinds of group Graph may create.
import type { EmuGroup } from '../state/model.ts';
import { GraphError } from './errors.ts';

const bad = (message: string) => new GraphError(400, 'Request_BadRequest', message);

export const groupWriteErrors = {
  required: (p: string) => bad(`A value is required for property '${p}' of resource 'Group'.`),
  invalidValue: (p: string) => bad(`Invalid value specified for property '${p}' of resource 'Group'.`),
  readOnly: (p: string) => bad(`Property '${p}' is read-only and cannot be set.`),
  unknownProperty: (p: string) => bad(`Invalid property '${p}'.`),
  mailEnabledCreate: () =>
    bad('The service does not currently support writes of mail-enabled groups. Please ensure that the mail-enablement property is unset and the security-enablement property is set.'),
  invalidRule: () => bad('One or more property values specified are invalid.'),
};

type Kind = 'string' | 'nullableString' | 'boolean' | 'nullableBoolean' | 'stringArray';

/** Group properties a client may write, with their JSON types. */
const WRITABLE: Record<string, Kind> = {
  displayName: 'string',
  description: 'nullableString',
  mailNickname: 'string',
  mailEnabled: 'boolean',
  securityEnabled: 'boolean',
  groupTypes: 'stringArray',
  visibility: 'nullableString',
  membershipRule: 'nullableString',
  membershipRuleProcessingState: 'nullableString',
  classification: 'nullableString',
  preferredLanguage: 'nullableString',
  preferredDataLocation: 'nullableString',
  theme: 'nullableString',
  isAssignableToRole: 'nullableBoolean',
  resourceBehaviorOptions: 'stringArray',
  resourceProvisioningOptions: 'stringArray',
};

/** Stored in EmuGroup.extra rather than a field of its own. */
export const EXTRA_PROPS = ['classification', 'preferredLanguage', 'preferredDataLocation', 'theme', 'isAssignableToRole', 'resourceBehaviorOptions'] as const;

const READ_ONLY = new Set([
  'id', 'mail', 'createdDateTime', 'deletedDateTime', 'expirationDateTime', 'renewedDateTime', 'proxyAddresses', 'securityIdentifier',
  'onPremisesSyncEnabled', 'onPremisesDomainName', 'onPremisesLastSyncDateTime', 'onPremisesNetBiosName', 'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier', 'onPremisesProvisioningErrors', 'serviceProvisioningErrors', 'assignedLicenses', 'licenseProcessingState',
  'hasMembersWithLicenseErrors', 'creationOptions', 'uniqueName',
]);

/** Properties that may be written only when the group is created. */
const CREATE_ONLY = new Set(['mailEnabled', 'resourceProvisioningOptions', 'isAssignableToRole']);

/** Annotations a body may carry besides properties. */
const BINDS = new Set(['members@odata.bind', 'owners@odata.bind']);

export interface GroupWrite {
  props: Record<string, unknown>;
  memberRefs: unknown;
  ownerRefs: unknown;
}

/** Splits and type-checks a create or update body; throws Graph's error for the first problem. */
export function parseGroupWrite(body: Record<string, unknown>, mode: 'create' | 'update'): GroupWrite {
  const props: Record<string, unknown> = {};
  let memberRefs: unknown;
  let ownerRefs: unknown;
  for (const [key, value] of Object.entries(body)) {
    if (key === '@odata.type') continue;
    if (BINDS.has(key)) {
      if (key.startsWith('members')) memberRefs = value;
      else ownerRefs = value;
      continue;
    }
    const name = Object.keys(WRITABLE).find((k) => k.toLowerCase() === key.toLowerCase());
    if (!name) {
      if ([...READ_ONLY].some((k) => k.toLowerCase() === key.toLowerCase())) throw groupWriteErrors.readOnly(key);
      throw groupWriteErrors.unknownProperty(key);
    }
    if (mode === 'update' && CREATE_ONLY.has(name)) throw groupWriteErrors.readOnly(name);
    if (!typeOk(WRITABLE[name]!, value)) throw groupWriteErrors.invalidValue(name);
    props[name] = value;
  }
  if (mode === 'create') {
    for (const p of ['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled']) if (props[p] === undefined) throw groupWriteErrors.required(p);
  }
  if (props.displayName !== undefined && !String(props.displayName).trim()) throw groupWriteErrors.invalidValue('displayName');
  if (typeof props.displayName === 'string' && props.displayName.length > 256) throw groupWriteErrors.invalidValue('displayName');
  if (props.mailNickname !== undefined && !validNickname(String(props.mailNickname))) throw groupWriteErrors.invalidValue('mailNickname');
  if (props.visibility !== undefined && props.visibility !== null) {
    const v = normalizeVisibility(String(props.visibility));
    if (!v) throw groupWriteErrors.invalidValue('visibility');
    props.visibility = v;
  }
  if (props.membershipRuleProcessingState !== undefined && props.membershipRuleProcessingState !== null) {
    const s = String(props.membershipRuleProcessingState).toLowerCase();
    if (s !== 'on' && s !== 'paused') throw groupWriteErrors.invalidValue('membershipRuleProcessingState');
    props.membershipRuleProcessingState = s === 'on' ? 'On' : 'Paused';
  }
  if (props.groupTypes !== undefined) {
    const types = props.groupTypes as string[];
    const known = types.map((t) => (t.toLowerCase() === 'unified' ? 'Unified' : t.toLowerCase() === 'dynamicmembership' ? 'DynamicMembership' : undefined));
    if (known.some((t) => t === undefined)) throw groupWriteErrors.invalidValue('groupTypes');
    props.groupTypes = [...new Set(known as string[])];
  }
  return { props, memberRefs, ownerRefs };
}

function typeOk(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case 'string': return typeof v === 'string';
    case 'nullableString': return v === null || typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'nullableBoolean': return v === null || typeof v === 'boolean';
    case 'stringArray': return Array.isArray(v) && v.every((x) => typeof x === 'string');
  }
}

/** Entra's mailNickname: 1–64 ASCII characters, none of @ ( ) \ [ ] " ; : < > , or space. */
export function validNickname(n: string): boolean {
  return n.length >= 1 && n.length <= 64 && /^[\x21-\x7e]+$/.test(n) && !/[@()\\[\]";:<>,]/.test(n);
}

function normalizeVisibility(v: string): EmuGroup['visibility'] | undefined {
  const l = v.toLowerCase();
  return l === 'public' ? 'Public' : l === 'private' ? 'Private' : l === 'hiddenmembership' ? 'HiddenMembership' : undefined;
}

/**
 * Graph creates only Microsoft 365 groups and plain security groups; mail-enabled security groups
 * and distribution lists belong to Exchange.
 */
export function assertCreatableKind(p: Record<string, unknown>): void {
  const unified = ((p.groupTypes as string[] | undefined) ?? []).includes('Unified');
  if (!unified && (p.mailEnabled === true || p.securityEnabled !== true)) throw groupWriteErrors.mailEnabledCreate();
  // Hidden membership exists only for Microsoft 365 groups and only at creation.
  if (!unified && p.visibility === 'HiddenMembership') throw groupWriteErrors.invalidValue('visibility');
}

/** Dynamic groups need a rule and a processing state; a rule needs the DynamicMembership type. */
export function assertDynamicConsistent(groupTypes: readonly string[], rule: string | null, state: string | null): void {
  const dynamic = groupTypes.includes('DynamicMembership');
  if (dynamic && (!rule || !state)) throw groupWriteErrors.invalidRule();
  if (!dynamic && rule) throw groupWriteErrors.invalidRule();
}
