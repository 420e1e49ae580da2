// Forwards a mailbox's mail (Set-Mailbox). A colleague's mailbox goes in ForwardingAddress; any
// other address in ForwardingSmtpAddress, which Exchange Online's outbound spam policy blocks by
// default, so the card warns before anyone relies on it.
import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import { defineAction } from '../action.ts';
import { resolveMailbox } from '../resolve/mailbox.ts';
import { requestId } from '../support/request-ids.ts';
import { emailParam, userParam } from '../support/schemas.ts';
import {
  currentForwarding, desiredForwarding, forwardingChanges, forwardsAsAsked, isForwardingState, resolveForwardTarget,
  restoreForwarding, setForwardingCall, type ForwardTarget,
} from './forwarding.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';
import { exchangeMailPermissions } from './mail-checks.ts';
import { validateWith } from '../support/validation.ts';

const params = z.strictObject({
  user: userParam.describe('The mailbox whose mail is forwarded: its owner\'s user principal name or email address.'),
  forwardTo: emailParam('Where mail goes: a colleague\'s address, or an external address.'),
  keepCopy: z.boolean().default(true).describe('Keep a copy in the mailbox as well as forwarding it (DeliverToMailboxAndForward).'),
});

const externalWarning = (address: string) =>
  `${address} is outside the organisation. Exchange Online's outbound spam filter policy blocks automatic external forwarding by default; unless the tenant's policy allows it, forwarded mail bounces with 550 5.7.520.`;

function describe(upn: string, t: ForwardTarget, keepCopy: boolean): string {
  return `Forward ${upn}'s mail to ${t.address}${t.kind === 'external' ? ' (external)' : ''}, ${keepCopy ? 'keeping' : 'without keeping'} a copy`;
}

export const configureForwarding = defineAction({
  id: 'configure-forwarding',
  title: 'Forward mail',
  description: 'Forwards all mail sent to a mailbox to another address, optionally keeping a copy.',
  category: 'mail',
  params,
  secrets: [],
  permissions: exchangeMailPermissions,
  validate: (ctx, p) => validateWith(ctx, exchangeMailPermissions, async (c) => {
    const m = await c.attempt(() => resolveMailbox(ctx, p.user));
    if (!m) return;
    const target = await c.attempt(() => resolveForwardTarget(ctx, m, p.forwardTo));
    if (target && target.kind === 'internal' && target.ids.has(m.user.userPrincipalName.toLowerCase())) {
      c.errors.push(new AppError({
        code: 'invalid_parameter',
        message: `${p.forwardTo} is ${m.user.userPrincipalName}'s own mailbox; a mailbox cannot forward to itself.`,
        fix: 'Name the colleague or address the mail should go to.',
        param: 'forwardTo',
        value: p.forwardTo,
      }));
    }
    if (target?.kind === 'external') c.warnings.push(externalWarning(target.address));
  }),
  async preview(ctx, p) {
    const m = await resolveMailbox(ctx, p.user);
    const target = await resolveForwardTarget(ctx, m, p.forwardTo);
    const upn = m.user.userPrincipalName;
    const after = desiredForwarding(target, p.keepCopy);
    const alreadyDone = forwardsAsAsked(m, target, p.keepCopy);
    return {
      calls: alreadyDone ? [] : [setForwardingCall(upn, after, describe(upn, target, p.keepCopy))],
      changes: forwardingChanges(upn, await currentForwarding(ctx, m), after),
      skipped: [],
      alreadyDone,
      warnings: target.kind === 'external' ? [externalWarning(target.address)] : [],
    };
  },
  async execute(ctx, p) {
    const m = await resolveMailbox(ctx, p.user);
    const target = await resolveForwardTarget(ctx, m, p.forwardTo);
    const upn = m.user.userPrincipalName;
    const after = desiredForwarding(target, p.keepCopy);
    const outputs = { userPrincipalName: upn, ...after, external: target.kind === 'external' };
    if (forwardsAsAsked(m, target, p.keepCopy)) {
      const before = earlierBefore(ctx) ?? after;
      return { outputs, before, alreadyDone: true, skipped: [], summary: `${upn}'s mail was already forwarded to ${target.address}.` };
    }
    const before = await recordBefore(ctx, { ...(await currentForwarding(ctx, m)) });
    const call = setForwardingCall(upn, after, describe(upn, target, p.keepCopy));
    await ctx.exchange.invoke(call.target, call.body as Record<string, unknown>, {
      anchorMailbox: upn,
      clientRequestId: requestId(ctx.idempotencyKey, 'set-forwarding'),
    });
    return { outputs, before, alreadyDone: false, skipped: [], summary: `${describe(upn, target, p.keepCopy)}.` };
  },
  undo: {
    reversible: true,
    build: (_p, r) => (isForwardingState(r.before) ? restoreForwarding(r.outputs.userPrincipalName, r.before, r.outputs) : []),
  },
});
