// Stops mailbox-level forwarding: both addresses cleared and DeliverToMailboxAndForward off, the
// way CIPP turns forwarding off. Inbox rules that forward are a separate matter.
import { z } from 'zod';
import { defineAction } from '../action.ts';
import { resolveMailbox, type ResolvedMailbox } from '../resolve/mailbox.ts';
import { requestId } from '../support/request-ids.ts';
import { userParam } from '../support/schemas.ts';
import { currentForwarding, forwardingChanges, isForwardingState, restoreForwarding, setForwardingCall, type ForwardingState } from './forwarding.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';
import { exchangeMailPermissions } from './mail-checks.ts';
import { validateWith } from '../support/validation.ts';

const params = z.strictObject({
  user: userParam.describe('The mailbox whose forwarding stops: its owner\'s user principal name or email address.'),
});

const off: ForwardingState = { forwardingAddress: null, forwardingSmtpAddress: null, deliverToMailboxAndForward: false };

function forwards(m: ResolvedMailbox): boolean {
  return !!m.mailbox.forwardingAddress || !!m.mailbox.forwardingSmtpAddress;
}

export const removeForwarding = defineAction({
  id: 'remove-forwarding',
  title: 'Stop forwarding mail',
  description: 'Removes mailbox-level forwarding (internal and external) so mail stays in the mailbox.',
  category: 'mail',
  params,
  secrets: [],
  permissions: exchangeMailPermissions,
  validate: (ctx, p) => validateWith(ctx, exchangeMailPermissions, async (c) => {
    await c.attempt(() => resolveMailbox(ctx, p.user));
  }),
  async preview(ctx, p) {
    const m = await resolveMailbox(ctx, p.user);
    const upn = m.user.userPrincipalName;
    const alreadyDone = !forwards(m);
    const now = await currentForwarding(ctx, m);
    return {
      calls: alreadyDone ? [] : [setForwardingCall(upn, off, `Stop forwarding ${upn}'s mail`)],
      changes: forwardingChanges(upn, now, alreadyDone ? now : off),
      skipped: [],
      alreadyDone,
      warnings: [],
    };
  },
  async execute(ctx, p) {
    const m = await resolveMailbox(ctx, p.user);
    const upn = m.user.userPrincipalName;
    const outputs = { userPrincipalName: upn, ...off };
    if (!forwards(m)) {
      return { outputs, before: earlierBefore(ctx) ?? off, alreadyDone: true, skipped: [], summary: `${upn}'s mail was not being forwarded.` };
    }
    const before = await recordBefore(ctx, { ...(await currentForwarding(ctx, m)) });
    const call = setForwardingCall(upn, off, `Stop forwarding ${upn}'s mail`);
    await ctx.exchange.invoke(call.target, call.body as Record<string, unknown>, {
      anchorMailbox: upn,
      clientRequestId: requestId(ctx.idempotencyKey, 'remove-forwarding'),
    });
    const was = before.forwardingAddress ?? before.forwardingSmtpAddress;
    return { outputs, before, alreadyDone: false, skipped: [], summary: `Stopped forwarding ${upn}'s mail${was ? ` to ${was}` : ''}.` };
  },
  undo: {
    reversible: true,
    build: (_p, r) => (isForwardingState(r.before) ? restoreForwarding(r.outputs.userPrincipalName, r.before, r.outputs) : []),
  },
});
