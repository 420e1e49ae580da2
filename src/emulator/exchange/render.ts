// Objects shaped like Exchange Online's cmdlet output (the properties clients read; EXO returns
// many more). Names are Exchange's PascalCase.
import type { EmuGroup, EmuMailbox, EmuOrgContact, EmuUser } from '../state/model.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { dcName, recipientName } from './identity.ts';

export function distinguishedName(t: TenantState, name: string): string {
  const dc = dcName(t).split('.')[0]!;
  return `CN=${name},OU=${t.data.initialDomain},OU=Microsoft Exchange Hosted Organizations,DC=${dc},DC=PROD,DC=OUTLOOK,DC=COM`;
}

export function mailboxObject(t: TenantState, m: EmuMailbox): Record<string, unknown> {
  const u = t.user(m.userId);
  const resource = m.recipientTypeDetails === 'RoomMailbox' ? 'Room' : m.recipientTypeDetails === 'EquipmentMailbox' ? 'Equipment' : null;
  return {
    Identity: m.alias,
    Id: m.alias,
    Name: m.alias,
    DistinguishedName: distinguishedName(t, m.alias),
    Guid: m.guid,
    ExchangeGuid: m.guid,
    ExternalDirectoryObjectId: m.userId,
    UserPrincipalName: u?.userPrincipalName ?? m.primarySmtpAddress,
    Alias: m.alias,
    DisplayName: m.displayName,
    PrimarySmtpAddress: m.primarySmtpAddress,
    WindowsEmailAddress: m.primarySmtpAddress,
    EmailAddresses: [...m.emailAddresses],
    RecipientType: 'UserMailbox',
    RecipientTypeDetails: m.recipientTypeDetails,
    IsShared: m.recipientTypeDetails === 'SharedMailbox',
    IsResource: resource !== null,
    ResourceType: resource,
    AccountDisabled: u ? !u.accountEnabled : false,
    ForwardingAddress: m.forwardingAddress ? recipientName(t, m.forwardingAddress) : null,
    ForwardingSmtpAddress: m.forwardingSmtpAddress,
    DeliverToMailboxAndForward: m.deliverToMailboxAndForward,
    GrantSendOnBehalfTo: m.grantSendOnBehalfTo.map((id) => recipientName(t, id)),
    HiddenFromAddressListsEnabled: m.hiddenFromAddressListsEnabled,
    LitigationHoldEnabled: m.litigationHoldEnabled,
    MessageCopyForSentAsEnabled: m.messageCopyForSentAsEnabled ?? false,
    MessageCopyForSendOnBehalfEnabled: m.messageCopyForSendOnBehalfEnabled ?? false,
    ProhibitSendReceiveQuota: '50 GB (53,687,091,200 bytes)',
    ArchiveStatus: 'None',
    WhenCreated: m.createdDateTime,
    WhenCreatedUTC: m.createdDateTime,
  };
}

/** A recipient as Get-DistributionGroupMember lists it. */
export function recipientObject(t: TenantState, u: EmuUser): Record<string, unknown> {
  const m = t.mailbox(u.id);
  const name = m?.alias ?? u.mailNickname;
  return {
    Identity: name,
    Name: name,
    Alias: m?.alias ?? u.mailNickname,
    DisplayName: u.displayName,
    PrimarySmtpAddress: m?.primarySmtpAddress ?? u.mail ?? '',
    RecipientType: m ? 'UserMailbox' : u.mail ? 'MailUser' : 'User',
    RecipientTypeDetails: m?.recipientTypeDetails ?? (u.userType === 'Guest' ? 'GuestMailUser' : u.mail ? 'MailUser' : 'User'),
    ExternalDirectoryObjectId: u.id,
    Guid: m?.guid ?? u.id,
  };
}

/** A mail contact as Get-DistributionGroupMember lists it. */
export function contactRecipientObject(c: EmuOrgContact): Record<string, unknown> {
  return {
    Identity: c.mailNickname,
    Name: c.mailNickname,
    Alias: c.mailNickname,
    DisplayName: c.displayName,
    PrimarySmtpAddress: c.mail,
    ExternalEmailAddress: `SMTP:${c.mail}`,
    RecipientType: 'MailContact',
    RecipientTypeDetails: 'MailContact',
    ExternalDirectoryObjectId: c.id,
    Guid: c.id,
  };
}

/** A nested group as Get-DistributionGroupMember lists it. */
export function groupRecipientObject(g: EmuGroup): Record<string, unknown> {
  const unified = g.groupTypes.includes('Unified');
  const type = !g.mailEnabled ? 'Group' : g.securityEnabled && !unified ? 'MailUniversalSecurityGroup' : 'MailUniversalDistributionGroup';
  const details = !g.mailEnabled ? 'UniversalSecurityGroup' : unified ? 'GroupMailbox' : type;
  return {
    Identity: g.displayName,
    Name: g.displayName,
    Alias: g.mailNickname,
    DisplayName: g.displayName,
    PrimarySmtpAddress: g.mail ?? '',
    RecipientType: type,
    RecipientTypeDetails: details,
    ExternalDirectoryObjectId: g.id,
    Guid: g.id,
  };
}

/** How Exchange names a trustee in permission output: the user's UPN. */
export function trusteeName(t: TenantState, userId: string): string {
  return t.user(userId)?.userPrincipalName ?? userId;
}
