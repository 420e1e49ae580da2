// Takes a delegate's Full Access (Remove-MailboxPermission) or Send on Behalf (Set-Mailbox
// GrantSendOnBehalfTo remove) away. A right that is not there counts as done, as CIPP treats
// Exchange's "ACE doesn't exist": offboarding removes access in bulk and must not stop on it.
import { z } from 'zod';
import { defineAction, type PlannedCall } from '../action.ts';
import { requestId } from '../support/request-ids.ts';
import { userParam } from '../support/schemas.ts';
import { accessRightsParam } from './add-mailbox-permission.action.ts';
import { accessRightsLabel, checkDelegation, holdsRight, resolveDelegation, revoke, type Delegation, type MailboxRight } from './delegation.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';
import { exchangeMailPermissions } from './mail-checks.ts';
import { validateWith } from '../support/validation.ts';

const params = z.strictObject({
  user: userParam.describe('The mailbox: its owner\'s user principal name or email address.'),
  delegate: userParam.describe('The user whose access is removed: their user principal name or email address.'),
  accessRights: accessRightsParam.default('FullAccess'),
});

function revokeCall(d: Delegation, right: MailboxRight): PlannedCall {
  const upn = d.owner.user.userPrincipalName;
  const who = d.delegate.userPrincipalName;
  if (right === 'FullAccess') {
    return {
      surface: 'exchange', method: 'POST', target: 'Remove-MailboxPermission',
      body: { Identity: upn, User: who, AccessRights: ['FullAccess'], InheritanceType: 'All', Confirm: false },
      description: `Remove ${who}'s Full Access to ${upn}'s mailbox`,
    };
  }
  return {
    surface: 'exchange', method: 'POST', target: 'Set-Mailbox',
    body: { Identity: upn, GrantSendOnBehalfTo: { '@odata.type': '#Exchange.GenericHashTable', remove: [who] } },
    description: `Stop ${who} sending on behalf of ${upn}`,
  };
}

export const removeMailboxPermission = defineAction({
  id: 'remove-mailbox-permission',
  title: 'Remove mailbox access',
  description: 'Removes a delegate\'s Full Access to a mailbox, or their right to send on the owner\'s behalf.',
  category: 'mail',
  params,
  secrets: [],
  permissions: exchangeMailPermissions,
  validate: (ctx, p) => validateWith(ctx, exchangeMailPermissions, async (c) => {
    await checkDelegation(ctx, c, p.user, p.delegate);
  }),
  async preview(ctx, p) {
    const d = await resolveDelegation(ctx, p.user, p.delegate);
    const { held } = await holdsRight(ctx, d, p.accessRights);
    return {
      calls: held ? [revokeCall(d, p.accessRights)] : [],
      changes: [{ object: d.owner.user.userPrincipalName, field: `${p.accessRights}:${d.delegate.userPrincipalName}`, before: held, after: false }],
      skipped: [],
      alreadyDone: !held,
      warnings: p.accessRights === 'FullAccess' && held ? ['Outlook may keep showing the mailbox for up to an hour until it refreshes.'] : [],
    };
  },
  async execute(ctx, p) {
    const d = await resolveDelegation(ctx, p.user, p.delegate);
    const outputs = { mailbox: d.owner.user.userPrincipalName, delegate: d.delegate.userPrincipalName, accessRights: p.accessRights };
    const label = accessRightsLabel[p.accessRights];
    const { held, autoMapping } = await holdsRight(ctx, d, p.accessRights);
    const absent = () => ({
      outputs, before: earlierBefore(ctx) ?? { granted: false }, alreadyDone: true, skipped: [], summary: `${outputs.delegate} had no ${label} on ${outputs.mailbox}.`,
    });
    if (!held) return absent();
    const before = await recordBefore(ctx, { granted: true, ...(autoMapping === undefined ? {} : { autoMapping }) });
    const outcome = await revoke(ctx, revokeCall(d, p.accessRights), outputs.mailbox, requestId(ctx.idempotencyKey, `revoke-${p.accessRights}`));
    // Gone before our call reached it: someone else removed it, so there is nothing for undo to restore.
    if (outcome === 'absent') return { ...absent(), before: { granted: false } };
    return { outputs, before, alreadyDone: false, skipped: [], summary: `Removed ${outputs.delegate}'s ${label} on ${outputs.mailbox}.` };
  },
  undo: {
    reversible: true,
    build: (_p, r) => {
      if (r.before.granted !== true) return [];
      const params: Record<string, unknown> = { user: r.outputs.mailbox, delegate: r.outputs.delegate, accessRights: r.outputs.accessRights };
      if (typeof r.before.autoMapping === 'boolean') params.autoMapping = r.before.autoMapping;
      return [{ action: 'add-mailbox-permission', params }];
    },
  },
});
