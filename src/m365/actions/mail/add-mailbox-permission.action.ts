// Gives a delegate Full Access to a mailbox (Add-MailboxPermission) or lets them send on the
// owner's behalf (Set-Mailbox GrantSendOnBehalfTo, a multi-valued property edited with an add
// hash table so other delegates are kept).
import { z } from 'zod';
import { defineAction, type PlannedCall } from '../action.ts';
import { noMailboxError } from '../resolve/mailbox.ts';
import { requestId } from '../support/request-ids.ts';
import { userParam } from '../support/schemas.ts';
import { accessRightsLabel, checkDelegation, disabledDelegateWarning, holdsRight, resolveDelegation, type Delegation, type MailboxRight } from './delegation.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';
import { exchangeMailPermissions } from './mail-checks.ts';
import { validateWith } from '../support/validation.ts';

export const accessRightsParam = z.enum(['FullAccess', 'SendOnBehalf'])
  .describe('FullAccess (open and read the mailbox) or SendOnBehalf (send mail "on behalf of" the owner).');

const params = z.strictObject({
  user: userParam.describe('The mailbox to share: its owner\'s user principal name or email address.'),
  delegate: userParam.describe('The user who gets access: their user principal name or email address.'),
  accessRights: accessRightsParam.default('FullAccess'),
  autoMapping: z.boolean().default(true)
    .describe('FullAccess only: whether Outlook adds the mailbox to the delegate\'s folder list automatically.'),
});
type Params = z.infer<typeof params>;

function grantCall(d: Delegation, right: MailboxRight, autoMapping: boolean): PlannedCall {
  const upn = d.owner.user.userPrincipalName;
  const who = d.delegate.userPrincipalName;
  if (right === 'FullAccess') {
    return {
      surface: 'exchange', method: 'POST', target: 'Add-MailboxPermission',
      body: { Identity: upn, User: who, AccessRights: ['FullAccess'], AutoMapping: autoMapping, InheritanceType: 'All', Confirm: false },
      description: `Give ${who} Full Access to ${upn}'s mailbox${autoMapping ? ' (added to their Outlook automatically)' : ''}`,
    };
  }
  return {
    surface: 'exchange', method: 'POST', target: 'Set-Mailbox',
    body: { Identity: upn, GrantSendOnBehalfTo: { '@odata.type': '#Exchange.GenericHashTable', add: [who] } },
    description: `Let ${who} send on behalf of ${upn}`,
  };
}

function outputsOf(d: Delegation, p: Params) {
  return {
    mailbox: d.owner.user.userPrincipalName,
    delegate: d.delegate.userPrincipalName,
    accessRights: p.accessRights,
    autoMapping: p.accessRights === 'FullAccess' ? p.autoMapping : null,
  };
}

export const addMailboxPermission = defineAction({
  id: 'add-mailbox-permission',
  title: 'Give mailbox access',
  description: 'Gives a delegate Full Access to a mailbox, or the right to send on the owner\'s behalf.',
  category: 'mail',
  params,
  secrets: [],
  permissions: exchangeMailPermissions,
  validate: (ctx, p) => validateWith(ctx, exchangeMailPermissions, async (c) => {
    const d = await checkDelegation(ctx, c, p.user, p.delegate);
    if (!d) return;
    if (!d.delegate.accountEnabled) c.warnings.push(disabledDelegateWarning(d.delegate));
    // Exchange only accepts mail-enabled recipients in GrantSendOnBehalfTo.
    if (p.accessRights === 'SendOnBehalf' && !d.delegateMailbox) c.errors.push(noMailboxError(ctx, d.delegate, 'delegate'));
  }),
  async preview(ctx, p) {
    const d = await resolveDelegation(ctx, p.user, p.delegate);
    const { held } = await holdsRight(ctx, d, p.accessRights);
    return {
      calls: held ? [] : [grantCall(d, p.accessRights, p.autoMapping)],
      changes: [{ object: d.owner.user.userPrincipalName, field: `${p.accessRights}:${d.delegate.userPrincipalName}`, before: held, after: true }],
      skipped: [],
      alreadyDone: held,
      warnings: d.delegate.accountEnabled ? [] : [disabledDelegateWarning(d.delegate)],
    };
  },
  async execute(ctx, p) {
    const d = await resolveDelegation(ctx, p.user, p.delegate);
    const outputs = outputsOf(d, p);
    const label = accessRightsLabel[p.accessRights];
    const { held } = await holdsRight(ctx, d, p.accessRights);
    if (held) {
      const before = earlierBefore(ctx) ?? { granted: true };
      return { outputs, before, alreadyDone: true, skipped: [], summary: `${outputs.delegate} already had ${label} on ${outputs.mailbox}.` };
    }
    const before = await recordBefore(ctx, { granted: false });
    const call = grantCall(d, p.accessRights, p.autoMapping);
    await ctx.exchange.invoke(call.target, call.body as Record<string, unknown>, {
      anchorMailbox: outputs.mailbox,
      clientRequestId: requestId(ctx.idempotencyKey, `grant-${p.accessRights}`),
    });
    return { outputs, before, alreadyDone: false, skipped: [], summary: `Gave ${outputs.delegate} ${label} on ${outputs.mailbox}.` };
  },
  undo: {
    reversible: true,
    // Read from the before-state, not alreadyDone: a re-run after a crash reports alreadyDone for
    // a grant its first attempt made, and that grant must still be undoable. The names come from
    // the outputs (resolved, defaults applied), since the engine hands build the raw inputs.
    build: (_p, r) => (r.before.granted !== false
      ? []
      : [{ action: 'remove-mailbox-permission', params: { user: r.outputs.mailbox, delegate: r.outputs.delegate, accessRights: r.outputs.accessRights } }]),
  },
});
