// "Generate TAP and send email": create-temporary-access-pass, then send-email with the pass in the
// body, in one step. The pass goes from the first action's result into the message and nowhere
// else: not into step inputs or outputs, not into the run's history.
import { z } from 'zod';
import { defineAction } from '../../m365/actions/action.ts';
import { emailParam, userParam } from '../../m365/actions/support/schemas.ts';
import { catalogAction, LCW_ACTIONS, runInner } from './support.ts';

const params = z.strictObject({
  user: userParam,
  sender: userParam,
  to: z.array(emailParam('A recipient.')).min(1),
  cc: z.array(emailParam('A cc recipient.')).default([]),
  subject: z.string().min(1).max(255),
  /** May hold {{temporaryAccessPass}}, filled in once the pass exists. */
  message: z.string().max(8000),
  lifetimeInMinutes: z.number().int().min(10).max(43200),
  isUsableOnce: z.boolean(),
  startDateTime: z.iso.datetime({ offset: true }).optional(),
});

const TAP = 'create-temporary-access-pass';
const MAIL = 'send-email';

export const tapEmailAction = defineAction({
  id: LCW_ACTIONS.tapEmail,
  title: 'Generate TAP and send email',
  description: 'Issues a Temporary Access Pass and emails it (to the manager by default).',
  category: 'account',
  params,
  secrets: [],
  permissions: { graph: [['UserAuthenticationMethod.ReadWrite.All'], ['Mail.Send']], exchange: false },
  async validate(ctx, p) {
    const tap = await catalogAction(TAP).validate(ctx, { user: p.user, lifetimeInMinutes: p.lifetimeInMinutes, isUsableOnce: p.isUsableOnce, replaceExisting: false, ...(p.startDateTime ? { startDateTime: p.startDateTime } : {}) });
    const mail = await catalogAction(MAIL).validate(ctx, { user: p.sender, to: p.to, subject: p.subject, message: p.message, ...(p.cc.length ? { cc: p.cc } : {}) });
    return { errors: [...tap.errors, ...mail.errors], missing: [...tap.missing, ...mail.missing], warnings: [...tap.warnings, ...mail.warnings] };
  },
  async preview(_ctx, p) {
    return {
      calls: [
        { surface: 'graph', method: 'POST', target: `/users/${p.user}/authentication/temporaryAccessPassMethods`, description: `Issue a ${p.lifetimeInMinutes}-minute pass for ${p.user}` },
        { surface: 'graph', method: 'POST', target: `/users/${p.sender}/sendMail`, description: `Email the pass to ${[...p.to, ...p.cc].join(', ')}` },
      ],
      changes: [], skipped: [], alreadyDone: false, warnings: [],
    };
  },
  async execute(ctx, p) {
    const tap = await runInner(ctx, TAP, { user: p.user, lifetimeInMinutes: p.lifetimeInMinutes, isUsableOnce: p.isUsableOnce, replaceExisting: false, ...(p.startDateTime ? { startDateTime: p.startDateTime } : {}) });
    const pass = String(tap.outputs.temporaryAccessPass ?? '');
    const message = p.message.split('{{temporaryAccessPass}}').join(pass);
    const mail = await runInner(ctx, MAIL, { user: p.sender, to: p.to, subject: p.subject, message, ...(p.cc.length ? { cc: p.cc } : {}) });
    return {
      outputs: { userPrincipalName: p.user, methodId: tap.outputs.methodId, expiresDateTime: tap.outputs.expiresDateTime, sentTo: [...p.to, ...p.cc] },
      before: {},
      alreadyDone: tap.alreadyDone && mail.alreadyDone,
      skipped: [],
      summary: `Issued a Temporary Access Pass for ${p.user} (until ${String(tap.outputs.expiresDateTime)}) and emailed it to ${[...p.to, ...p.cc].join(', ')}.`,
    };
  },
  undo: { reversible: false, reason: 'A sent email cannot be unsent; the pass expires on its own.' },
});
