// Add-, Remove- and Get-MailboxPermission: FullAccess (and the other mailbox rights) for a user on
// a mailbox. Adding what exists and removing what doesn't are warnings, not errors, as in EXO.
import type { MailboxPermissionEntry } from '../../state/model.ts';
import type { TenantState } from '../../state/tenant-state.ts';
import type { BoundParams, CmdletDef } from '../cmdlet.ts';
import { findMailbox, findUser } from '../identity.ts';
import { enumValue } from '../params.ts';
import { distinguishedName, trusteeName } from '../render.ts';
import { text } from './shared.ts';

const RIGHTS = ['ChangeOwner', 'ChangePermission', 'DeleteItem', 'ExternalAccount', 'FullAccess', 'ReadPermission'] as const;
const INHERITANCE = ['None', 'All', 'Descendents', 'SelfAndChildren', 'Children'] as const;
const RIGHTS_TYPE = 'Microsoft.Exchange.Management.RecipientTasks.MailboxRights[]';

function rightsOf(p: BoundParams): string[] {
  return [...new Set((p.AccessRights as string[]).flatMap((r) => r.split(',')).map((r) => enumValue('AccessRights', r.trim(), RIGHTS_TYPE, RIGHTS)))];
}

function entryObject(t: TenantState, mailboxName: string, e: MailboxPermissionEntry): Record<string, unknown> {
  return {
    Identity: mailboxName,
    User: trusteeName(t, e.userId),
    AccessRights: [...e.accessRights],
    IsInherited: false,
    Deny: e.deny,
    InheritanceType: e.inheritanceType,
  };
}

export const addMailboxPermission: CmdletDef = {
  name: 'Add-MailboxPermission',
  write: true,
  parameters: { Identity: 'string', User: 'string', AccessRights: 'strings', AutoMapping: 'bool', InheritanceType: 'string', Deny: 'bool' },
  required: ['Identity', 'User', 'AccessRights'],
  mailboxParam: 'Identity',
  run(p, ctx) {
    const t = ctx.tenant;
    const m = findMailbox(t, text(p, 'Identity'));
    const user = findUser(t, text(p, 'User'));
    const rights = rightsOf(p);
    const deny = p.Deny === true;
    const inheritanceType = p.InheritanceType !== undefined ? enumValue('InheritanceType', p.InheritanceType, 'System.DirectoryServices.ActiveDirectorySecurityInheritance', INHERITANCE) : 'All';
    const existing = m.fullAccess.find((e) => e.userId === user.id && e.deny === deny);
    if (existing && rights.every((r) => existing.accessRights.includes(r))) {
      ctx.warn(`An existing permission entry was found for user: ${user.userPrincipalName}.`);
      return [];
    }
    let entry = existing;
    if (entry) {
      entry.accessRights = [...new Set([...entry.accessRights, ...rights])];
    } else {
      entry = { userId: user.id, accessRights: rights, automapping: p.AutoMapping !== false, deny, inheritanceType };
      m.fullAccess.push(entry);
    }
    return [entryObject(t, m.alias, entry)];
  },
};

export const removeMailboxPermission: CmdletDef = {
  name: 'Remove-MailboxPermission',
  write: true,
  parameters: { Identity: 'string', User: 'string', AccessRights: 'strings', InheritanceType: 'string', Deny: 'bool', BypassMasterAccountSid: 'bool' },
  required: ['Identity', 'User', 'AccessRights'],
  mailboxParam: 'Identity',
  run(p, ctx) {
    const t = ctx.tenant;
    const m = findMailbox(t, text(p, 'Identity'));
    const user = findUser(t, text(p, 'User'));
    const rights = rightsOf(p);
    const deny = p.Deny === true;
    const entry = m.fullAccess.find((e) => e.userId === user.id && e.deny === deny && rights.some((r) => e.accessRights.includes(r)));
    if (!entry) {
      ctx.warn(`Can't remove the access control entry on the object "${distinguishedName(t, m.alias)}" for account "${user.userPrincipalName}" because the ACE doesn't exist on the object.`);
      return [];
    }
    entry.accessRights = entry.accessRights.filter((r) => !rights.includes(r));
    if (entry.accessRights.length === 0) m.fullAccess = m.fullAccess.filter((e) => e !== entry);
    return [];
  },
};

export const getMailboxPermission: CmdletDef = {
  name: 'Get-MailboxPermission',
  write: false,
  parameters: { Identity: 'string', User: 'string', ResultSize: 'resultSize' },
  required: ['Identity'],
  mailboxParam: 'Identity',
  run(p, ctx) {
    const t = ctx.tenant;
    const m = findMailbox(t, text(p, 'Identity'));
    if (p.User) {
      const user = findUser(t, text(p, 'User'));
      return m.fullAccess.filter((e) => e.userId === user.id).map((e) => entryObject(t, m.alias, e));
    }
    // Exchange always lists the owner's own entry first.
    const self = { Identity: m.alias, User: 'NT AUTHORITY\\SELF', AccessRights: ['FullAccess', 'ReadPermission'], IsInherited: false, Deny: false, InheritanceType: 'All' };
    return [self, ...m.fullAccess.map((e) => entryObject(t, m.alias, e))];
  },
};
