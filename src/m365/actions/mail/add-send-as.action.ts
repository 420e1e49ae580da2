// Lets a delegate send mail as the mailbox (Add-RecipientPermission -AccessRights SendAs): the
// recipient sees the mailbox as the sender, with no "on behalf of".
import { z } from 'zod';
import { defineAction, type PlannedCall } from '../action.ts';
import { requestId } from '../support/request-ids.ts';
import { userParam } from '../support/schemas.ts';
import { checkDelegation, disabledDelegateWarning, hasSendAs, resolveDelegation, type Delegation } from './delegation.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';
import { exchangeMailPermissions } from './mail-checks.ts';
import { validateWith } from '../support/validation.ts';

export const sendAsParams = z.strictObject({
  user: userParam.describe('The mailbox to send as: its owner\'s user principal name or email address.'),
  delegate: userParam.describe('The user who may send as the mailbox: their user principal name or email address.'),
});

export function sendAsCall(d: Delegation, verb: 'Add' | 'Remove'): PlannedCall {
  const upn = d.owner.user.userPrincipalName;
  const who = d.delegate.userPrincipalName;
  return {
    surface: 'exchange', method: 'POST', target: `${verb}-RecipientPermission`,
    body: { Identity: upn, Trustee: who, AccessRights: ['SendAs'], Confirm: false },
    description: verb === 'Add' ? `Let ${who} send as ${upn}` : `Stop ${who} sending as ${upn}`,
  };
}

export const addSendAs = defineAction({
  id: 'add-send-as',
  title: 'Give Send As',
  description: 'Lets a delegate send mail as the mailbox (the recipient sees the mailbox as the sender).',
  category: 'mail',
  params: sendAsParams,
  secrets: [],
  permissions: exchangeMailPermissions,
  validate: (ctx, p) => validateWith(ctx, exchangeMailPermissions, async (c) => {
    const d = await checkDelegation(ctx, c, p.user, p.delegate);
    if (d && !d.delegate.accountEnabled) c.warnings.push(disabledDelegateWarning(d.delegate));
  }),
  async preview(ctx, p) {
    const d = await resolveDelegation(ctx, p.user, p.delegate);
    const held = await hasSendAs(ctx, d);
    return {
      calls: held ? [] : [sendAsCall(d, 'Add')],
      changes: [{ object: d.owner.user.userPrincipalName, field: `SendAs:${d.delegate.userPrincipalName}`, before: held, after: true }],
      skipped: [],
      alreadyDone: held,
      warnings: d.delegate.accountEnabled ? [] : [disabledDelegateWarning(d.delegate)],
    };
  },
  async execute(ctx, p) {
    const d = await resolveDelegation(ctx, p.user, p.delegate);
    const outputs = { mailbox: d.owner.user.userPrincipalName, delegate: d.delegate.userPrincipalName, accessRights: 'SendAs' };
    if (await hasSendAs(ctx, d)) {
      return { outputs, before: earlierBefore(ctx) ?? { granted: true }, alreadyDone: true, skipped: [], summary: `${outputs.delegate} could already send as ${outputs.mailbox}.` };
    }
    const before = await recordBefore(ctx, { granted: false });
    const call = sendAsCall(d, 'Add');
    await ctx.exchange.invoke(call.target, call.body as Record<string, unknown>, {
      anchorMailbox: outputs.mailbox,
      clientRequestId: requestId(ctx.idempotencyKey, 'add-send-as'),
    });
    return { outputs, before, alreadyDone: false, skipped: [], summary: `${outputs.delegate} can now send as ${outputs.mailbox}.` };
  },
  undo: {
    reversible: true,
    build: (_p, r) => (r.before.granted === false ? [{ action: 'remove-send-as', params: { user: r.outputs.mailbox, delegate: r.outputs.delegate } }] : []),
  },
});
