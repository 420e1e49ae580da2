// Add-, Remove- and Get-DistributionGroupMember for distribution lists and mail-enabled security
// groups, whose membership Graph cannot change. The members are the same memberIds Graph reads:
// mail-enabled users, mail contacts and nested mail-enabled groups.
import type { EmuGroup } from '../../state/model.ts';
import type { CmdletContext, CmdletDef } from '../cmdlet.ts';
import { exchangeErrors } from '../errors.ts';
import { findGroupMember, findMailGroup, type GroupMemberRef } from '../identity.ts';
import { contactRecipientObject, groupRecipientObject, recipientObject } from '../render.ts';
import { limitResults, text } from './shared.ts';
import { isDynamic, memberIdsOf } from '../../state/derived.ts';

/** The group, if Exchange manages its membership; otherwise the error Exchange gives. */
function mailGroup(ctx: CmdletContext, identity: string): EmuGroup {
  const g = findMailGroup(ctx.tenant, identity);
  if (g.groupTypes.includes('Unified')) {
    throw exchangeErrors.invalidOperation(
      `The group '${g.displayName}' isn't a distribution group or mail-enabled security group. It's a Microsoft 365 group; change its members with Microsoft Graph or Add-UnifiedGroupLinks.`,
      'Microsoft.Exchange.Configuration.Tasks.RecipientTaskException', 'Ex7E2B0C');
  }
  return g;
}

/** Checks that run before a membership change: sync, dynamic membership, group manager. */
function checkEditable(ctx: CmdletContext, g: EmuGroup, cmdlet: string, bypass: boolean): void {
  if (g.onPremisesSyncEnabled) {
    throw exchangeErrors.invalidOperation(
      `The action '${cmdlet}', 'Members', can't be performed on the object '${g.displayName}' because the object is being synchronized from your on-premises organization. This action should be performed on the object in your on-premises organization.`,
      'Microsoft.Exchange.Configuration.Tasks.TaskInvalidOperationException', 'Ex9E1A7B');
  }
  if (isDynamic(g)) {
    throw exchangeErrors.invalidOperation(`The membership of group '${g.displayName}' is computed from a rule and can't be changed.`,
      'Microsoft.Exchange.Configuration.Tasks.TaskInvalidOperationException', 'Ex9E1A7C');
  }
  // Only the group's managers may change it unless the caller bypasses the check (admins do).
  const callerIsOwner = ctx.claims.upn !== undefined && g.ownerIds.some((id) => ctx.tenant.user(id)?.userPrincipalName.toLowerCase() === ctx.claims.upn!.toLowerCase());
  if (!bypass && !callerIsOwner) {
    throw exchangeErrors.invalidOperation("You don't have sufficient permissions. This operation can only be performed by a manager of the group.",
      'Microsoft.Exchange.Data.OperationRequiresGroupManagerException', 'ExE8F6A1');
  }
}

/** A Microsoft 365 group, or the group itself, cannot be a member of a distribution group. */
function checkMember(g: EmuGroup, member: GroupMemberRef, ref: string): void {
  if (member.kind !== 'group') return;
  if (member.id === g.id) {
    throw exchangeErrors.invalidOperation(`The group "${g.displayName}" can't be a member of itself.`,
      'Microsoft.Exchange.Management.Tasks.RecipientTaskException', 'Ex5C1D0E');
  }
  if (member.group.groupTypes.includes('Unified')) {
    throw exchangeErrors.invalidOperation(`"${ref}" is a Microsoft 365 group. Microsoft 365 groups can't be members of distribution groups or mail-enabled security groups.`,
      'Microsoft.Exchange.Management.Tasks.RecipientTaskException', 'Ex5C1D0F');
  }
}

const changeParams = { Identity: 'string', Member: 'string', BypassSecurityGroupManagerCheck: 'bool' } as const;

export const addDistributionGroupMember: CmdletDef = {
  name: 'Add-DistributionGroupMember',
  write: true,
  parameters: changeParams,
  required: ['Identity', 'Member'],
  run(p, ctx) {
    const g = mailGroup(ctx, text(p, 'Identity'));
    const member = findGroupMember(ctx.tenant, text(p, 'Member'));
    checkEditable(ctx, g, 'Add-DistributionGroupMember', p.BypassSecurityGroupManagerCheck === true);
    checkMember(g, member, text(p, 'Member'));
    if (g.memberIds.includes(member.id)) {
      throw exchangeErrors.invalidOperation(`The recipient "${text(p, 'Member')}" is already a member of the group "${g.displayName}".`,
        'Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException', 'Ex8F5A42');
    }
    g.memberIds.push(member.id);
    return [];
  },
};

export const removeDistributionGroupMember: CmdletDef = {
  name: 'Remove-DistributionGroupMember',
  write: true,
  parameters: changeParams,
  required: ['Identity', 'Member'],
  run(p, ctx) {
    const g = mailGroup(ctx, text(p, 'Identity'));
    const member = findGroupMember(ctx.tenant, text(p, 'Member'));
    checkEditable(ctx, g, 'Remove-DistributionGroupMember', p.BypassSecurityGroupManagerCheck === true);
    if (!g.memberIds.includes(member.id)) {
      throw exchangeErrors.invalidOperation(`The recipient "${text(p, 'Member')}" isn't a member of the group "${g.displayName}".`,
        'Microsoft.Exchange.Management.Tasks.MemberNotFoundException', 'Ex3A8C47');
    }
    g.memberIds = g.memberIds.filter((id) => id !== member.id);
    return [];
  },
};

export const getDistributionGroupMember: CmdletDef = {
  name: 'Get-DistributionGroupMember',
  write: false,
  parameters: { Identity: 'string', ResultSize: 'resultSize' },
  required: ['Identity'],
  run(p, ctx) {
    const t = ctx.tenant;
    const g = mailGroup(ctx, text(p, 'Identity'));
    const members: Array<Record<string, unknown>> = [];
    for (const id of memberIdsOf(t, g)) {
      const u = t.user(id);
      if (u) { members.push(recipientObject(t, u)); continue; }
      const c = t.contact(id);
      if (c) { members.push(contactRecipientObject(c)); continue; }
      const nested = t.group(id);
      if (nested) members.push(groupRecipientObject(nested));
    }
    return limitResults(members, p, ctx);
  },
};
