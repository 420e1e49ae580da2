// Add-, Remove- and Get-RecipientPermission: Send As on a mailbox.
import type { EmuMailbox } from '../../state/model.ts';
import type { TenantState } from '../../state/tenant-state.ts';
import type { BoundParams, CmdletDef } from '../cmdlet.ts';
import { findMailbox, findUser } from '../identity.ts';
import { enumValue } from '../params.ts';
import { distinguishedName, trusteeName } from '../render.ts';
import { limitResults, text } from './shared.ts';

const RIGHTS = ['SendAs'] as const;

function checkRights(p: BoundParams): void {
  for (const r of (p.AccessRights as string[] | undefined) ?? []) {
    enumValue('AccessRights', r, 'Microsoft.Exchange.Management.RecipientTasks.RecipientAccessRight[]', RIGHTS);
  }
}

function entry(identity: string, trustee: string): Record<string, unknown> {
  return { Identity: identity, Trustee: trustee, AccessControlType: 'Allow', AccessRights: ['SendAs'], IsInherited: false, InheritanceType: 'None' };
}

export const addRecipientPermission: CmdletDef = {
  name: 'Add-RecipientPermission',
  write: true,
  parameters: { Identity: 'string', Trustee: 'string', AccessRights: 'strings' },
  required: ['Identity', 'Trustee', 'AccessRights'],
  mailboxParam: 'Identity',
  run(p, ctx) {
    checkRights(p);
    const t = ctx.tenant;
    const m = findMailbox(t, text(p, 'Identity'));
    const user = findUser(t, text(p, 'Trustee'));
    if (m.sendAs.includes(user.id)) {
      ctx.warn(`An existing permission entry was found for trustee: ${user.userPrincipalName}.`);
      return [];
    }
    m.sendAs.push(user.id);
    return [entry(m.alias, user.userPrincipalName)];
  },
};

export const removeRecipientPermission: CmdletDef = {
  name: 'Remove-RecipientPermission',
  write: true,
  parameters: { Identity: 'string', Trustee: 'string', AccessRights: 'strings', Deny: 'bool' },
  required: ['Identity', 'Trustee', 'AccessRights'],
  mailboxParam: 'Identity',
  run(p, ctx) {
    checkRights(p);
    const t = ctx.tenant;
    const m = findMailbox(t, text(p, 'Identity'));
    const user = findUser(t, text(p, 'Trustee'));
    if (!m.sendAs.includes(user.id)) {
      ctx.warn(`Can't remove the access control entry on the object "${distinguishedName(t, m.alias)}" for account "${user.userPrincipalName}" because the ACE doesn't exist on the object.`);
      return [];
    }
    m.sendAs = m.sendAs.filter((id) => id !== user.id);
    return [];
  },
};

export const getRecipientPermission: CmdletDef = {
  name: 'Get-RecipientPermission',
  write: false,
  parameters: { Identity: 'string', Trustee: 'string', AccessRights: 'strings', ResultSize: 'resultSize' },
  mailboxParam: 'Identity',
  run(p, ctx) {
    checkRights(p);
    const t = ctx.tenant;
    const mailboxes: EmuMailbox[] = p.Identity ? [findMailbox(t, text(p, 'Identity'))] : t.data.mailboxes;
    const trustee = p.Trustee ? findUser(t, text(p, 'Trustee')).id : undefined;
    const out: Array<Record<string, unknown>> = [];
    for (const m of mailboxes) out.push(...entriesOf(t, m, trustee));
    return limitResults(out, p, ctx);
  },
};

function entriesOf(t: TenantState, m: EmuMailbox, trustee: string | undefined): Array<Record<string, unknown>> {
  if (trustee) return m.sendAs.includes(trustee) ? [entry(m.alias, trusteeName(t, trustee))] : [];
  // The mailbox's own Send As right is listed first, as Exchange does.
  return [entry(m.alias, 'NT AUTHORITY\\SELF'), ...m.sendAs.map((id) => entry(m.alias, trusteeName(t, id)))];
}
