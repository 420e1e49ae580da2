// The emulator's data model. Field names follow Microsoft Graph (and Exchange for mailboxes) so the
// seed files read like Graph JSON. Relations are stored by id; derived views (assignedLicenses,
// consumedUnits, dynamic membership) are computed by the functions in state/derived.ts.

export interface LicenseAssignment {
  skuId: string;
  disabledPlans: string[];
}

export interface EmuUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  mailNickname: string;
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  department: string | null;
  jobTitle: string | null;
  companyName: string | null;
  officeLocation: string | null;
  city: string | null;
  country: string | null;
  mobilePhone: string | null;
  businessPhones: string[];
  usageLocation: string | null;
  preferredLanguage: string | null;
  employeeId: string | null;
  employeeType: string | null;
  employeeHireDate: string | null;
  employeeLeaveDateTime: string | null;
  employeeOrgData: { division: string | null; costCenter: string | null } | null;
  createdDateTime: string;
  onPremisesSyncEnabled: boolean | null;
  onPremisesImmutableId: string | null;
  onPremisesSamAccountName: string | null;
  proxyAddresses: string[];
  otherMails: string[];
  /** Id of the manager (a user), or null. */
  managerId: string | null;
  /** Directly assigned licences only; group-inherited ones are derived from group membership. */
  directLicenses: LicenseAssignment[];
  signInSessionsValidFromDateTime: string;
  lastPasswordChangeDateTime: string;
  /** Never returned by the API; kept so a reset can be checked in tests. */
  passwordHash: string | null;
  forceChangePasswordNextSignIn: boolean;
  /** Extra Graph properties the seed carried that the model does not name (kept round-trip). */
  extra?: Record<string, unknown>;
}

export type GroupKind = 'unified' | 'security' | 'mailEnabledSecurity' | 'distribution';

export interface EmuGroup {
  id: string;
  displayName: string;
  description: string | null;
  mail: string | null;
  mailNickname: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  /** 'Unified' for Microsoft 365 groups, 'DynamicMembership' for dynamic ones. */
  groupTypes: string[];
  membershipRule: string | null;
  membershipRuleProcessingState: 'On' | 'Paused' | null;
  onPremisesSyncEnabled: boolean | null;
  visibility: 'Public' | 'Private' | 'HiddenMembership' | null;
  createdDateTime: string;
  /**
   * Static members: ids of users, nested groups and mail contacts (orgContacts), as Graph's
   * members collection holds directoryObjects. Dynamic groups compute theirs from membershipRule.
   */
  memberIds: string[];
  ownerIds: string[];
  /** Group-based licensing. */
  assignedLicenses: LicenseAssignment[];
  /** ['Team'] when the group is a team. */
  resourceProvisioningOptions: string[];
  /** conversationMember id per user id, for teams. */
  teamMembershipIds?: Record<string, string>;
  /** Team owners among members (user ids). */
  teamOwnerIds?: string[];
  /** Other Graph group properties set at create/update (classification, preferredLanguage, theme …). */
  extra?: Record<string, unknown>;
}

/**
 * A mail contact (Graph orgContact, Exchange MailContact): an external address in the directory.
 * Read-only in Graph (Exchange or directory sync owns it); it can be a member of groups.
 */
export interface EmuOrgContact {
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string;
  mailNickname: string;
  proxyAddresses: string[];
  companyName: string | null;
  jobTitle: string | null;
  department: string | null;
  onPremisesSyncEnabled: boolean | null;
  createdDateTime: string;
}

export interface ServicePlan {
  servicePlanId: string;
  servicePlanName: string;
  provisioningStatus: string;
  appliesTo: string;
}

export interface EmuSku {
  skuId: string;
  skuPartNumber: string;
  /** Friendly product name ("Microsoft 365 E3"); not a Graph property, used by the inspector. */
  displayName: string;
  appliesTo: 'User' | 'Company';
  capabilityStatus: 'Enabled' | 'Suspended' | 'Warning' | 'LockedOut';
  prepaidUnits: { enabled: number; suspended: number; warning: number; lockedOut: number };
  servicePlans: ServicePlan[];
  subscriptionIds: string[];
  /** Whether the SKU carries an Exchange Online plan (a mailbox is provisioned on assignment). */
  includesExchange: boolean;
}

export type AuthMethodType =
  | 'password'
  | 'microsoftAuthenticator'
  | 'phone'
  | 'fido2'
  | 'email'
  | 'softwareOath'
  | 'temporaryAccessPass'
  | 'windowsHelloForBusiness';

export interface EmuAuthMethod {
  id: string;
  type: AuthMethodType;
  /** Graph properties of the method (phoneNumber, phoneType, displayName, model, …). */
  props: Record<string, unknown>;
  createdDateTime: string;
  /** Set on the user's default second factor; it cannot be deleted while other methods remain. */
  isDefault?: boolean;
  /** temporaryAccessPass only: the secret, never returned after creation. */
  secret?: string;
}

export interface AutoReplyConfig {
  /** Exchange AutoReplyState: Disabled | Enabled | Scheduled. */
  autoReplyState: 'Disabled' | 'Enabled' | 'Scheduled';
  internalMessage: string;
  externalMessage: string;
  externalAudience: 'None' | 'Known' | 'All';
  startTime: string | null;
  endTime: string | null;
  /** Calendar options of Set-MailboxAutoReplyConfiguration (absent: Exchange's defaults). */
  createOOFEvent?: boolean;
  oofEventSubject?: string | null;
  autoDeclineFutureRequestsWhenOOF?: boolean;
  declineEventsForScheduledOOF?: boolean;
  declineAllEventsForScheduledOOF?: boolean;
  declineMeetingMessage?: string | null;
}

export interface MailboxPermissionEntry {
  /** Trustee: user id. */
  userId: string;
  accessRights: string[];
  automapping: boolean;
  deny: boolean;
  inheritanceType: string;
}

export interface EmuMailbox {
  /** Exchange object guid. */
  guid: string;
  /** The Entra user this mailbox belongs to (shared mailboxes have a disabled user too). */
  userId: string;
  alias: string;
  displayName: string;
  primarySmtpAddress: string;
  emailAddresses: string[];
  recipientTypeDetails: 'UserMailbox' | 'SharedMailbox' | 'RoomMailbox' | 'EquipmentMailbox';
  forwardingAddress: string | null;
  forwardingSmtpAddress: string | null;
  deliverToMailboxAndForward: boolean;
  /** User ids with SendOnBehalf. */
  grantSendOnBehalfTo: string[];
  hiddenFromAddressListsEnabled: boolean;
  litigationHoldEnabled: boolean;
  /** Mailbox size in GB (shared mailboxes above 50 GB need a licence). */
  totalItemSizeGB: number;
  fullAccess: MailboxPermissionEntry[];
  /** User ids with SendAs. */
  sendAs: string[];
  autoReply: AutoReplyConfig;
  timeZone: string;
  language: string;
  /** Inbox rules as Exchange reports them (name, enabled, forwardTo …). */
  inboxRules: Array<{ id: string; name: string; enabled: boolean; forwardTo: string[]; redirectTo: string[]; deleteMessage: boolean; moveToFolder: string | null }>;
  createdDateTime: string;
  /** Other Graph mailboxSettings (dateFormat, timeFormat, workingHours, …) once a client sets them. */
  settingsExtra?: Record<string, unknown>;
  /** Shared mailboxes: keep a copy of mail sent as / on behalf of the mailbox (Set-Mailbox). */
  messageCopyForSentAsEnabled?: boolean;
  messageCopyForSendOnBehalfEnabled?: boolean;
}

export interface OutboxMessage {
  id: string;
  fromUserId: string;
  from: string;
  subject: string;
  body: { contentType: string; content: string };
  toRecipients: string[];
  ccRecipients: string[];
  bccRecipients: string[];
  saveToSentItems: boolean;
  sentDateTime: string;
}

export interface AppGrant {
  /** Graph application permissions (roles) granted in this tenant. */
  graphRoles: string[];
  /** Exchange application permissions (Exchange.ManageAsApp) granted in this tenant. */
  exchangeRoles: string[];
}

export interface EmuApp {
  appId: string;
  displayName: string;
  /** Client secrets (plain text in the seed; the emulator is a test double). */
  secrets: string[];
  /** PEM certificates whose private keys may sign client assertions. */
  certificates: Array<{ thumbprint: string; pem: string }>;
}

export interface PartnerRefreshToken {
  refreshToken: string;
  appId: string;
  /** The partner technician's UPN (shows as the token's upn). */
  upn: string;
}

export interface DeletedItem {
  kind: 'user' | 'group';
  deletedDateTime: string;
  user?: EmuUser;
  group?: EmuGroup;
  /** Memberships the object had at deletion (restored with it). */
  memberOf?: string[];
  mailbox?: EmuMailbox;
  authMethods?: EmuAuthMethod[];
  /** Groups the deleted user owned, and the teams it owned (restored with it). */
  ownerOf?: string[];
  teamOwnerOf?: string[];
  /** Users whose manager the deleted user was (their manager link comes back on restore). */
  directReportIds?: string[];
}

export interface LatencyControl {
  mode: 'off' | 'fixed' | 'uniform' | 'lognormal';
  /** fixed: the delay; uniform: min; lognormal: median. */
  ms?: number;
  maxMs?: number;
  p99Ms?: number;
}

export interface ThrottlingControl {
  enabled: boolean;
  /** Overrides of Microsoft's published budgets; defaults come from the tenant's size. */
  resourceUnitsPer10s?: number;
  writesPer150s?: number;
  tenantWritesPer5min?: number;
  mailboxConcurrency?: number;
  exchangeRequestsPerMailboxPer10min?: number;
}

export interface FaultRule {
  /** Probability 0..1 that a matching request fails. */
  rate: number;
  /** 429, 500, 503, 504, or 'reset' to drop the connection. */
  kind: 429 | 500 | 503 | 504 | 'reset';
  /** Regular expression matched against the path (without query). */
  path?: string;
  method?: string;
  /** Retry-After seconds for 429/503. */
  retryAfterSeconds?: number;
  /** Only requests to this surface (default: both). */
  surface?: 'graph' | 'exchange';
  /** Exchange: regular expression matched against the cmdlet name. */
  cmdlet?: string;
}

export interface RealismControls {
  latency: LatencyControl;
  throttling: ThrottlingControl;
  faults: FaultRule[];
  /** A newly created object answers 404 on reads by id for this many ms. */
  readAfterCreateDelayMs: number;
  /** Seed for the random generator (latency, faults), for repeatable runs. */
  randomSeed?: number;
}

export function defaultControls(): RealismControls {
  return { latency: { mode: 'off' }, throttling: { enabled: false }, faults: [], readAfterCreateDelayMs: 0 };
}

/** A tenant as held in memory. Plain data, so it snapshots to JSON. */
export interface TenantData {
  id: string;
  displayName: string;
  /** The initial *.onmicrosoft.com domain. */
  initialDomain: string;
  verifiedDomains: string[];
  defaultUsageLocation: string | null;
  users: EmuUser[];
  groups: EmuGroup[];
  /** Mail contacts; optional so seeds and snapshots written before contacts existed still load. */
  orgContacts?: EmuOrgContact[];
  skus: EmuSku[];
  mailboxes: EmuMailbox[];
  authMethods: Record<string, EmuAuthMethod[]>;
  apps: Record<string, AppGrant>;
  deletedItems: Record<string, DeletedItem>;
  outbox: OutboxMessage[];
  controls: RealismControls;
}

/** What a seed file holds: one or more tenants plus the app registrations they consent to. */
export interface SeedFile {
  /** Dates in the seed are relative to this day; they are shifted so it becomes the load day. */
  referenceDate?: string;
  apps: EmuApp[];
  partnerRefreshTokens?: PartnerRefreshToken[];
  tenants: TenantSeed[];
}

export type TenantSeed = Omit<TenantData, 'controls' | 'deletedItems' | 'outbox'> & {
  controls?: Partial<RealismControls>;
  deletedItems?: Record<string, DeletedItem>;
  outbox?: OutboxMessage[];
};
