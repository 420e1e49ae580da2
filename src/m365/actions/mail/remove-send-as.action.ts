// Takes Send As away (Remove-RecipientPermission). A right that is not there counts as done.
import { defineAction } from '../action.ts';
import { requestId } from '../support/request-ids.ts';
import { sendAsCall, sendAsParams } from './add-send-as.action.ts';
import { checkDelegation, hasSendAs, resolveDelegation, revoke } from './delegation.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';
import { exchangeMailPermissions } from './mail-checks.ts';
import { validateWith } from '../support/validation.ts';

export const removeSendAs = defineAction({
  id: 'remove-send-as',
  title: 'Remove Send As',
  description: 'Stops a delegate sending mail as the mailbox.',
  category: 'mail',
  params: sendAsParams,
  secrets: [],
  permissions: exchangeMailPermissions,
  validate: (ctx, p) => validateWith(ctx, exchangeMailPermissions, async (c) => {
    await checkDelegation(ctx, c, p.user, p.delegate);
  }),
  async preview(ctx, p) {
    const d = await resolveDelegation(ctx, p.user, p.delegate);
    const held = await hasSendAs(ctx, d);
    return {
      calls: held ? [sendAsCall(d, 'Remove')] : [],
      changes: [{ object: d.owner.user.userPrincipalName, field: `SendAs:${d.delegate.userPrincipalName}`, before: held, after: false }],
      skipped: [],
      alreadyDone: !held,
      warnings: [],
    };
  },
  async execute(ctx, p) {
    const d = await resolveDelegation(ctx, p.user, p.delegate);
    const outputs = { mailbox: d.owner.user.userPrincipalName, delegate: d.delegate.userPrincipalName, accessRights: 'SendAs' };
    const absent = () => ({
      outputs, before: earlierBefore(ctx) ?? { granted: false }, alreadyDone: true, skipped: [], summary: `${outputs.delegate} could not send as ${outputs.mailbox}.`,
    });
    if (!(await hasSendAs(ctx, d))) return absent();
    const before = await recordBefore(ctx, { granted: true });
    const outcome = await revoke(ctx, sendAsCall(d, 'Remove'), outputs.mailbox, requestId(ctx.idempotencyKey, 'remove-send-as'));
    // Gone before our call reached it: someone else removed it, so there is nothing for undo to restore.
    if (outcome === 'absent') return { ...absent(), before: { granted: false } };
    return { outputs, before, alreadyDone: false, skipped: [], summary: `${outputs.delegate} can no longer send as ${outputs.mailbox}.` };
  },
  undo: {
    reversible: true,
    build: (_p, r) => (r.before.granted === true ? [{ action: 'add-send-as', params: { user: r.outputs.mailbox, delegate: r.outputs.delegate } }] : []),
  },
});
