// Builders for seed objects with Graph's defaults filled in, shared by the demo seed, generated
// tenants and test fixtures.
import { stableId } from '../../core/ids.ts';
import type { EmuAuthMethod, EmuGroup, EmuMailbox, EmuOrgContact, EmuUser } from '../state/model.ts';

export const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';
export const PHONE_MOBILE_ID = '3179e48a-750b-4051-897c-87b9720928f7';
export const PHONE_ALT_MOBILE_ID = 'b6332ec1-7057-4abe-9331-3d72feddfe41';
export const PHONE_OFFICE_ID = 'e37fc753-ff3b-4958-9484-eaa9425c82bc';

export function makeUser(tenantKey: string, p: Partial<EmuUser> & { userPrincipalName: string; displayName: string }, createdDateTime = '2024-01-15T09:00:00Z'): EmuUser {
  const nick = p.mailNickname ?? p.userPrincipalName.split('@')[0]!.replace(/#EXT#.*/, '');
  const isGuest = p.userType === 'Guest' || p.userPrincipalName.includes('#EXT#');
  return {
    id: p.id ?? stableId(`${tenantKey}:user:${p.userPrincipalName.toLowerCase()}`),
    userPrincipalName: p.userPrincipalName,
    displayName: p.displayName,
    givenName: p.givenName ?? p.displayName.split(' ')[0] ?? null,
    surname: p.surname ?? (p.displayName.split(' ').slice(1).join(' ') || null),
    mail: p.mail !== undefined ? p.mail : isGuest ? null : p.userPrincipalName,
    mailNickname: nick,
    accountEnabled: p.accountEnabled ?? true,
    userType: isGuest ? 'Guest' : 'Member',
    department: p.department ?? null,
    jobTitle: p.jobTitle ?? null,
    companyName: p.companyName ?? null,
    officeLocation: p.officeLocation ?? null,
    city: p.city ?? null,
    country: p.country ?? null,
    mobilePhone: p.mobilePhone ?? null,
    businessPhones: p.businessPhones ?? [],
    usageLocation: p.usageLocation ?? null,
    preferredLanguage: p.preferredLanguage ?? 'en-US',
    employeeId: p.employeeId ?? null,
    employeeType: p.employeeType ?? (isGuest ? null : 'Employee'),
    employeeHireDate: p.employeeHireDate ?? null,
    employeeLeaveDateTime: p.employeeLeaveDateTime ?? null,
    employeeOrgData: p.employeeOrgData ?? null,
    createdDateTime: p.createdDateTime ?? createdDateTime,
    onPremisesSyncEnabled: p.onPremisesSyncEnabled ?? null,
    onPremisesImmutableId: p.onPremisesImmutableId ?? null,
    onPremisesSamAccountName: p.onPremisesSamAccountName ?? null,
    proxyAddresses: p.proxyAddresses ?? (isGuest ? [] : [`SMTP:${p.userPrincipalName}`]),
    otherMails: p.otherMails ?? [],
    managerId: p.managerId ?? null,
    directLicenses: p.directLicenses ?? [],
    signInSessionsValidFromDateTime: p.signInSessionsValidFromDateTime ?? createdDateTime,
    lastPasswordChangeDateTime: p.lastPasswordChangeDateTime ?? createdDateTime,
    passwordHash: p.passwordHash ?? null,
    forceChangePasswordNextSignIn: p.forceChangePasswordNextSignIn ?? false,
  };
}

export function makeGroup(tenantKey: string, p: Partial<EmuGroup> & { displayName: string; kind: 'unified' | 'security' | 'mailEnabledSecurity' | 'distribution'; domain: string }): EmuGroup {
  const nick = p.mailNickname ?? p.displayName.replace(/[^A-Za-z0-9]/g, '');
  const mailEnabled = p.kind !== 'security';
  return {
    id: p.id ?? stableId(`${tenantKey}:group:${p.displayName.toLowerCase()}`),
    displayName: p.displayName,
    description: p.description ?? null,
    mail: mailEnabled ? (p.mail ?? `${nick.toLowerCase()}@${p.domain}`) : null,
    mailNickname: nick,
    mailEnabled,
    securityEnabled: p.kind === 'security' || p.kind === 'mailEnabledSecurity' ? true : false,
    groupTypes: p.groupTypes ?? (p.kind === 'unified' ? ['Unified'] : []),
    membershipRule: p.membershipRule ?? null,
    membershipRuleProcessingState: p.membershipRule ? 'On' : null,
    onPremisesSyncEnabled: p.onPremisesSyncEnabled ?? null,
    visibility: p.kind === 'unified' ? (p.visibility ?? 'Private') : null,
    createdDateTime: p.createdDateTime ?? '2023-06-01T10:00:00Z',
    memberIds: p.memberIds ?? [],
    ownerIds: p.ownerIds ?? [],
    assignedLicenses: p.assignedLicenses ?? [],
    resourceProvisioningOptions: p.resourceProvisioningOptions ?? [],
  };
}

/** A mail contact (Graph orgContact); `alias` defaults to the display name without spaces. */
export function makeContact(tenantKey: string, p: { displayName: string; mail: string; alias?: string; givenName?: string; surname?: string; companyName?: string; jobTitle?: string; createdDateTime?: string }): EmuOrgContact {
  const alias = p.alias ?? p.displayName.replace(/[^A-Za-z0-9]/g, '');
  return {
    id: stableId(`${tenantKey}:contact:${p.mail.toLowerCase()}`),
    displayName: p.displayName,
    givenName: p.givenName ?? null,
    surname: p.surname ?? null,
    mail: p.mail,
    mailNickname: alias,
    proxyAddresses: [`SMTP:${p.mail}`],
    companyName: p.companyName ?? null,
    jobTitle: p.jobTitle ?? null,
    department: null,
    onPremisesSyncEnabled: null,
    createdDateTime: p.createdDateTime ?? '2023-06-01T10:00:00Z',
  };
}

export function makeMailbox(tenantKey: string, user: EmuUser, p: Partial<EmuMailbox> = {}): EmuMailbox {
  const address = user.mail ?? user.userPrincipalName;
  return {
    guid: p.guid ?? stableId(`${tenantKey}:mailbox:${user.id}`),
    userId: user.id,
    alias: p.alias ?? user.mailNickname,
    displayName: p.displayName ?? user.displayName,
    primarySmtpAddress: address,
    emailAddresses: p.emailAddresses ?? [`SMTP:${address}`],
    recipientTypeDetails: p.recipientTypeDetails ?? 'UserMailbox',
    forwardingAddress: p.forwardingAddress ?? null,
    forwardingSmtpAddress: p.forwardingSmtpAddress ?? null,
    deliverToMailboxAndForward: p.deliverToMailboxAndForward ?? false,
    grantSendOnBehalfTo: p.grantSendOnBehalfTo ?? [],
    hiddenFromAddressListsEnabled: p.hiddenFromAddressListsEnabled ?? false,
    litigationHoldEnabled: p.litigationHoldEnabled ?? false,
    totalItemSizeGB: p.totalItemSizeGB ?? 2.5,
    fullAccess: p.fullAccess ?? [],
    sendAs: p.sendAs ?? [],
    autoReply: p.autoReply ?? { autoReplyState: 'Disabled', internalMessage: '', externalMessage: '', externalAudience: 'All', startTime: null, endTime: null },
    timeZone: p.timeZone ?? 'UTC',
    language: p.language ?? 'en-US',
    inboxRules: p.inboxRules ?? [],
    createdDateTime: p.createdDateTime ?? user.createdDateTime,
  };
}

/**
 * Password plus the given second factors; the first second factor is the default. `opts.phoneNumber`
 * (Graph's "+1 4255550123" form) and `opts.idOf` (generated tenants avoid hashing) are optional.
 */
export function makeAuthMethods(tenantKey: string, user: EmuUser, kinds: Array<'microsoftAuthenticator' | 'phone' | 'fido2' | 'email' | 'softwareOath'>, opts: { phoneNumber?: string; idOf?: (kind: string) => string } = {}): EmuAuthMethod[] {
  const out: EmuAuthMethod[] = [{ id: PASSWORD_METHOD_ID, type: 'password', props: { password: null }, createdDateTime: user.createdDateTime }];
  kinds.forEach((k, i) => {
    const id = k === 'phone' ? PHONE_MOBILE_ID : opts.idOf ? opts.idOf(k) : stableId(`${tenantKey}:auth:${user.id}:${k}`);
    const props: Record<string, unknown> =
      k === 'microsoftAuthenticator' ? { displayName: `${user.givenName ?? 'User'}'s iPhone`, deviceTag: 'SoftwareTokenActivated', phoneAppVersion: '6.8.7' }
      : k === 'phone' ? { phoneNumber: opts.phoneNumber ?? `+1 425555${String(user.id.charCodeAt(0) * 7 % 10000).padStart(4, '0')}`, phoneType: 'mobile', smsSignInState: 'notAllowedByPolicy' }
      : k === 'fido2' ? { displayName: 'YubiKey 5 NFC', aaGuid: 'cb69481e-8ff7-4039-93ec-0a2729a154a8', model: 'YubiKey 5 NFC', attestationCertificates: [], attestationLevel: 'attested' }
      : k === 'email' ? { emailAddress: `${user.mailNickname}@outlook.com` }
      : {};
    out.push({ id, type: k, props, createdDateTime: user.createdDateTime, ...(i === 0 ? { isDefault: true } : {}) });
  });
  return out;
}
