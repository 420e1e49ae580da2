// Read-only views of a tenant for the inspector UI: users, groups, licences and mailboxes with the
// facts a person checks after a run (licences held, mailbox type, delegates), searchable and paged.
import { assignedLicenses, consumedUnits, isDynamic, memberIdsOf } from '../state/derived.ts';
import type { EmuGroup, EmuMailbox, EmuUser } from '../state/model.ts';
import type { TenantState } from '../state/tenant-state.ts';

export interface PageQuery {
  search: string | undefined;
  top: number;
  skip: number;
}

export interface Page {
  value: Array<Record<string, unknown>>;
  count: number;
  top: number;
  skip: number;
}

function page<T>(items: readonly T[], q: PageQuery, haystack: (x: T) => Array<string | null | undefined>, render: (x: T) => Record<string, unknown>): Page {
  const needle = q.search?.trim().toLowerCase();
  const hits = needle ? items.filter((x) => haystack(x).some((s) => s?.toLowerCase().includes(needle))) : items;
  return { value: hits.slice(q.skip, q.skip + q.top).map(render), count: hits.length, top: q.top, skip: q.skip };
}

function partNumbers(t: TenantState, skuIds: string[]): string[] {
  return skuIds.map((id) => t.sku(id)?.skuPartNumber ?? id);
}

export function usersPage(t: TenantState, q: PageQuery): Page {
  return page(t.data.users, q, (u) => [u.displayName, u.userPrincipalName, u.mail, u.department, u.jobTitle, u.id], (u: EmuUser) => ({
    id: u.id,
    displayName: u.displayName,
    userPrincipalName: u.userPrincipalName,
    mail: u.mail,
    accountEnabled: u.accountEnabled,
    userType: u.userType,
    department: u.department,
    jobTitle: u.jobTitle,
    usageLocation: u.usageLocation,
    onPremisesSyncEnabled: u.onPremisesSyncEnabled,
    managerId: u.managerId,
    employeeLeaveDateTime: u.employeeLeaveDateTime,
    licenses: partNumbers(t, assignedLicenses(t, u).map((l) => l.skuId)),
    mailbox: t.mailbox(u.id)?.recipientTypeDetails ?? null,
    authMethods: (t.data.authMethods[u.id] ?? []).map((m) => m.type),
  }));
}

function kindOf(g: EmuGroup): string {
  if (g.groupTypes.includes('Unified')) return 'Microsoft 365';
  if (g.mailEnabled && g.securityEnabled) return 'Mail-enabled security';
  if (g.mailEnabled) return 'Distribution';
  return 'Security';
}

export function groupsPage(t: TenantState, q: PageQuery): Page {
  return page(t.data.groups, q, (g) => [g.displayName, g.mail, g.mailNickname, g.id], (g: EmuGroup) => ({
    id: g.id,
    displayName: g.displayName,
    mail: g.mail,
    kind: kindOf(g),
    dynamic: isDynamic(g),
    membershipRule: g.membershipRule,
    team: g.resourceProvisioningOptions.includes('Team'),
    onPremisesSyncEnabled: g.onPremisesSyncEnabled,
    memberCount: memberIdsOf(t, g).length,
    ownerCount: g.ownerIds.length,
    licenses: partNumbers(t, g.assignedLicenses.map((l) => l.skuId)),
  }));
}

export function licenses(t: TenantState): Array<Record<string, unknown>> {
  const consumed = consumedUnits(t);
  return t.data.skus.map((s) => {
    const used = consumed.get(s.skuId) ?? 0;
    return {
      skuId: s.skuId,
      skuPartNumber: s.skuPartNumber,
      displayName: s.displayName,
      capabilityStatus: s.capabilityStatus,
      prepaid: s.prepaidUnits.enabled,
      consumed: used,
      available: s.prepaidUnits.enabled - used,
      includesExchange: s.includesExchange,
    };
  });
}

export function mailboxesPage(t: TenantState, q: PageQuery): Page {
  const upn = (id: string) => t.user(id)?.userPrincipalName ?? id;
  return page(t.data.mailboxes, q, (m) => [m.displayName, m.primarySmtpAddress, m.alias, upn(m.userId)], (m: EmuMailbox) => ({
    guid: m.guid,
    userId: m.userId,
    userPrincipalName: upn(m.userId),
    displayName: m.displayName,
    primarySmtpAddress: m.primarySmtpAddress,
    recipientTypeDetails: m.recipientTypeDetails,
    forwardingAddress: m.forwardingAddress ? upn(m.forwardingAddress) : null,
    forwardingSmtpAddress: m.forwardingSmtpAddress,
    deliverToMailboxAndForward: m.deliverToMailboxAndForward,
    hiddenFromAddressListsEnabled: m.hiddenFromAddressListsEnabled,
    fullAccess: m.fullAccess.map((e) => upn(e.userId)),
    sendAs: m.sendAs.map(upn),
    sendOnBehalf: m.grantSendOnBehalfTo.map(upn),
    autoReplyState: m.autoReply.autoReplyState,
    inboxRules: m.inboxRules.length,
    totalItemSizeGB: m.totalItemSizeGB,
  }));
}
