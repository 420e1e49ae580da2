// What the directory lets a client query on each entity: the known properties (for "Could not
// find a property named …"), which $filter operators work by default and which need the advanced
// query parameters (ConsistencyLevel: eventual + $count=true), what $orderby and $search accept.
// The user table is Microsoft's "Support for filter by properties of directory objects" table.

export type Level = 'default' | 'advanced';
export type FilterOp = 'eq' | 'ne' | 'not' | 'ge' | 'le' | 'in' | 'startsWith' | 'endsWith' | 'contains' | 'null' | 'count';
export type FilterRule = Partial<Record<FilterOp, Level>>;

export interface EntitySpec {
  /** `microsoft.graph.user` */
  typeName: string;
  /** `User`, as the directory names resources in its messages. */
  resource: string;
  /** Directory objects follow the advanced-query rules. */
  directory: boolean;
  /** Lower-case name → Graph spelling; absent for entities whose shape is open. */
  properties?: ReadonlyMap<string, string>;
  /** Lower-case property (or `a/b` path) → operator support; absent = every property, default. */
  filter?: ReadonlyMap<string, FilterRule>;
  orderBy?: ReadonlyMap<string, Level>;
  /** Lower-case property names $search accepts; displayName and description are tokenized. */
  search?: ReadonlySet<string>;
}

const COLUMNS: FilterOp[] = ['eq', 'ne', 'not', 'ge', 'le', 'in', 'startsWith', 'null'];

/** Rows read `eq ne not ge le in startsWith null` with d (default), a (advanced) or - (unsupported). */
function table(rows: Record<string, string>, extra: Record<string, FilterRule> = {}): Map<string, FilterRule> {
  const out = new Map<string, FilterRule>();
  for (const [prop, row] of Object.entries(rows)) {
    const cells = row.split(' ');
    const rule: FilterRule = {};
    COLUMNS.forEach((op, i) => {
      const c = cells[i];
      if (c === 'd') rule[op] = 'default';
      else if (c === 'a') rule[op] = 'advanced';
    });
    out.set(prop.toLowerCase(), { ...rule, ...(extra[prop] ?? {}) });
  }
  return out;
}

function names(list: readonly string[]): Map<string, string> {
  return new Map(list.map((n) => [n.toLowerCase(), n]));
}

export const USER_PROPERTIES = [
  'id', 'deletedDateTime', 'aboutMe', 'accountEnabled', 'ageGroup', 'assignedLicenses', 'assignedPlans', 'authorizationInfo',
  'birthday', 'businessPhones', 'city', 'companyName', 'consentProvidedForMinor', 'country', 'createdDateTime', 'creationType',
  'customSecurityAttributes', 'department', 'displayName', 'employeeHireDate', 'employeeId', 'employeeLeaveDateTime',
  'employeeOrgData', 'employeeType', 'externalUserState', 'externalUserStateChangeDateTime', 'faxNumber', 'givenName',
  'hireDate', 'identities', 'imAddresses', 'interests', 'isManagementRestricted', 'isResourceAccount', 'jobTitle',
  'lastPasswordChangeDateTime', 'legalAgeGroupClassification', 'licenseAssignmentStates', 'mail', 'mailboxSettings',
  'mailNickname', 'mobilePhone', 'mySite', 'officeLocation', 'onPremisesDistinguishedName', 'onPremisesDomainName',
  'onPremisesExtensionAttributes', 'onPremisesImmutableId', 'onPremisesLastSyncDateTime', 'onPremisesProvisioningErrors',
  'onPremisesSamAccountName', 'onPremisesSecurityIdentifier', 'onPremisesSyncEnabled', 'onPremisesUserPrincipalName',
  'otherMails', 'passwordPolicies', 'passwordProfile', 'pastProjects', 'postalCode', 'preferredDataLocation',
  'preferredLanguage', 'preferredName', 'provisionedPlans', 'proxyAddresses', 'responsibilities', 'schools',
  'securityIdentifier', 'serviceProvisioningErrors', 'showInAddressList', 'signInActivity', 'signInSessionsValidFromDateTime',
  'skills', 'state', 'streetAddress', 'surname', 'usageLocation', 'userPrincipalName', 'userType',
  // Navigation properties a client may $expand.
  'manager', 'directReports', 'memberOf', 'transitiveMemberOf', 'ownedObjects', 'licenseDetails',
] as const;

export const GROUP_PROPERTIES = [
  'id', 'deletedDateTime', 'allowExternalSenders', 'assignedLabels', 'assignedLicenses', 'autoSubscribeNewMembers',
  'classification', 'createdDateTime', 'creationOptions', 'description', 'displayName', 'expirationDateTime', 'groupTypes',
  'hasMembersWithLicenseErrors', 'hideFromAddressLists', 'hideFromOutlookClients', 'isArchived', 'isAssignableToRole',
  'isSubscribedByMail', 'licenseProcessingState', 'mail', 'mailEnabled', 'mailNickname', 'membershipRule',
  'membershipRuleProcessingState', 'onPremisesDomainName', 'onPremisesLastSyncDateTime', 'onPremisesNetBiosName',
  'onPremisesProvisioningErrors', 'onPremisesSamAccountName', 'onPremisesSecurityIdentifier', 'onPremisesSyncEnabled',
  'preferredDataLocation', 'preferredLanguage', 'proxyAddresses', 'renewedDateTime', 'resourceBehaviorOptions',
  'resourceProvisioningOptions', 'securityEnabled', 'securityIdentifier', 'serviceProvisioningErrors', 'theme',
  'uniqueName', 'unseenCount', 'visibility',
  'members', 'owners', 'memberOf', 'transitiveMembers', 'transitiveMemberOf', 'team',
] as const;

const userFilter = table({
  accountEnabled: 'd a a a a d - -',
  ageGroup: 'd a a - - d - -',
  assignedLicenses: 'd - a - - - - -',
  assignedPlans: 'd - a - - - - -',
  businessPhones: 'd - a - - - - -',
  city: 'd a a d - d d a',
  companyName: 'a a a a a a a a',
  consentProvidedForMinor: 'd a a - - d - -',
  country: 'd a a d d d d a',
  createdDateTime: 'd a a d d a - -',
  creationType: 'd a a - - d - -',
  deletedDateTime: 'd a a d d a - -',
  department: 'd a a d d d d a',
  displayName: 'd a a - - d d a',
  employeeHireDate: 'a a - a a a - -',
  employeeLeaveDateTime: 'a a - a a a - -',
  'employeeOrgData/costCenter': 'a a - a a a a a',
  'employeeOrgData/division': 'a a - a a a a a',
  employeeId: 'd a - - a - d a',
  employeeType: 'a a - a a a a -',
  givenName: 'd a - d d d d a',
  id: 'd a a - - - - -',
  identities: 'd - - - - - - -',
  imAddresses: 'd a a d d - d -',
  isResourceAccount: 'd a - - - - - -',
  jobTitle: 'd a - d d d - a',
  mail: 'd a - d d d d -',
  mailNickname: 'd a - d d d d a',
  mobilePhone: 'a a - a a a a a',
  officeLocation: 'a a - a a a a a',
  onPremisesExtensionAttributes: 'a a - a a a - -',
  onPremisesImmutableId: 'a a - a a a - -',
  onPremisesLastSyncDateTime: 'a a - a a a - -',
  onPremisesSamAccountName: 'a a - a a a a -',
  onPremisesSecurityIdentifier: 'd a - - - d - a',
  onPremisesSyncEnabled: 'd a - a a d - -',
  onPremisesUserPrincipalName: 'd a - d d d d -',
  otherMails: 'd a - d d d d -',
  passwordPolicies: 'a a - - - - - a',
  postalCode: 'a a - a a a a a',
  preferredLanguage: 'a a - a a a a a',
  proxyAddresses: 'd a - d d - d a',
  showInAddressList: 'a a - a a a - -',
  signInActivity: 'd a - d d - - -',
  state: 'd a - d d d d a',
  streetAddress: 'a a - a a a a a',
  surname: 'd a - d d d d a',
  usageLocation: 'd a - d d d d -',
  userPrincipalName: 'd a - - d d d -',
  userType: 'd a a - - d - a',
}, {
  // endsWith works (advanced only) on these four; $count of a collection is advanced only.
  mail: { endsWith: 'advanced' },
  otherMails: { endsWith: 'advanced', count: 'advanced' },
  userPrincipalName: { endsWith: 'advanced' },
  proxyAddresses: { endsWith: 'advanced', count: 'advanced' },
  assignedLicenses: { count: 'advanced' },
  businessPhones: { count: 'advanced' },
});

const groupFilter = table({
  assignedLicenses: 'd - a - - - - -',
  classification: 'd a a d d d d a',
  createdDateTime: 'a a a a a a - -',
  deletedDateTime: 'd a a d d a - -',
  description: 'a a a a a a a a',
  displayName: 'd a a - - d d a',
  expirationDateTime: 'd a a d d d - -',
  groupTypes: 'd - a - - - - -',
  hasMembersWithLicenseErrors: 'd a a - - - - -',
  id: 'd a a - - d - -',
  isAssignableToRole: 'd a a - - d - a',
  mail: 'd a a d d d d a',
  mailEnabled: 'd a a - - d - -',
  mailNickname: 'd a a d d d d a',
  membershipRule: 'a a a - - - a a',
  onPremisesSecurityIdentifier: 'd a a - - d - a',
  onPremisesSyncEnabled: 'd a a - - d - a',
  preferredLanguage: 'a a a a a a a a',
  proxyAddresses: 'd a a d d - d a',
  renewedDateTime: 'd a a d d d - -',
  resourceProvisioningOptions: 'd - a - - - - -',
  securityEnabled: 'd a a - - d - -',
  securityIdentifier: 'd a a - - d - -',
  visibility: 'a a a - - a - a',
}, {
  mail: { endsWith: 'advanced' },
  proxyAddresses: { endsWith: 'advanced', count: 'advanced' },
  assignedLicenses: { count: 'advanced' },
});

export const userSpec: EntitySpec = {
  typeName: 'microsoft.graph.user',
  resource: 'User',
  directory: true,
  properties: names(USER_PROPERTIES),
  filter: userFilter,
  orderBy: new Map<string, Level>([['displayname', 'default'], ['userprincipalname', 'default'], ['createddatetime', 'advanced'], ['deleteddatetime', 'advanced']]),
  search: new Set(['displayname', 'givenname', 'surname', 'mail', 'mailnickname', 'userprincipalname', 'othermails', 'proxyaddresses', 'jobtitle', 'department', 'employeeid']),
};

export const groupSpec: EntitySpec = {
  typeName: 'microsoft.graph.group',
  resource: 'Group',
  directory: true,
  properties: names(GROUP_PROPERTIES),
  filter: groupFilter,
  orderBy: new Map<string, Level>([['displayname', 'default'], ['createddatetime', 'advanced'], ['deleteddatetime', 'advanced']]),
  search: new Set(['displayname', 'description', 'mail', 'mailnickname', 'proxyaddresses']),
};

/** Users and groups mixed (memberOf, members, deletedItems without a cast): either's properties. */
export const directoryObjectSpec: EntitySpec = {
  typeName: 'microsoft.graph.directoryObject',
  resource: 'DirectoryObject',
  directory: true,
  properties: new Map([...names(USER_PROPERTIES), ...names(GROUP_PROPERTIES)]),
  filter: new Map([...groupFilter, ...userFilter]),
  orderBy: new Map<string, Level>([['displayname', 'default'], ['createddatetime', 'advanced'], ['deleteddatetime', 'advanced']]),
  search: new Set([...userSpec.search!, ...groupSpec.search!]),
};

/** A spec for entities without a table: any property, every operator, no advanced rules. */
export function openSpec(name: string, directory = false): EntitySpec {
  return { typeName: `microsoft.graph.${name}`, resource: name.charAt(0).toUpperCase() + name.slice(1), directory };
}

export function specFor(entity: string): EntitySpec {
  switch (entity) {
    case 'user': return userSpec;
    case 'group': return groupSpec;
    case 'directoryObject': return directoryObjectSpec;
    default: return openSpec(entity, false);
  }
}
