// Sends an email from a mailbox through Graph (POST /users/{id}/sendMail, 202 with no body). A
// message cannot be recalled and Graph has no idempotency key for it, so the step records
// `sent` in scratch right after the 202 and a re-run checks that before anything else.
import { z } from 'zod';
import { isAppError } from '../../../core/errors.ts';
import { defineAction, type ActionContext, type PlannedCall, type RequiredPermissions } from '../action.ts';
import { getMailbox, noMailboxError } from '../resolve/mailbox.ts';
import { resolveUser, type ResolvedUser } from '../resolve/user.ts';
import { requestId } from '../support/request-ids.ts';
import { emailParam, messageParam, userParam } from '../support/schemas.ts';
import { validateWith } from '../support/validation.ts';

const recipient = emailParam('An email address.');
const recipients = (what: string) => z.union([recipient, z.array(recipient).min(1).max(100)]).describe(what);

const params = z.strictObject({
  user: userParam.describe('The sender: the mailbox the email is sent from (user principal name or email address).'),
  to: recipients('Who the email goes to: one address or a list.'),
  subject: z.string().trim().min(1, 'A subject is required.').max(255).describe('The subject line.'),
  message: messageParam.describe('The body of the email (plain text).'),
  cc: recipients('Who gets a copy: one address or a list.').optional(),
});
type Params = z.infer<typeof params>;

const permissions: RequiredPermissions = {
  graph: [['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'], ['Mail.Send']],
  exchange: false,
};

const SENT_KEY = 'sent';

function list(v: string | string[] | undefined): string[] {
  const all = v === undefined ? [] : Array.isArray(v) ? v : [v];
  const unique = new Map<string, string>();
  for (const a of all) if (!unique.has(a.toLowerCase())) unique.set(a.toLowerCase(), a);
  return [...unique.values()];
}

function sendCall(sender: ResolvedUser, p: Params): PlannedCall {
  const toAddr = (address: string) => ({ emailAddress: { address } });
  const cc = list(p.cc);
  return {
    surface: 'graph', method: 'POST', target: `/users/${sender.id}/sendMail`,
    body: {
      message: {
        subject: p.subject,
        body: { contentType: 'Text', content: p.message },
        toRecipients: list(p.to).map(toAddr),
        ...(cc.length ? { ccRecipients: cc.map(toAddr) } : {}),
      },
      saveToSentItems: true,
    },
    description: `Send "${p.subject}" from ${sender.userPrincipalName} to ${[...list(p.to), ...cc].join(', ')}`,
  };
}

/**
 * The sender's mailbox is checked through Exchange when the app may use it; an app with only
 * Mail.Send learns of a missing mailbox from sendMail's 404 instead.
 */
async function checkMailbox(ctx: ActionContext, sender: ResolvedUser): Promise<void> {
  let exchangeRoles: string[];
  try {
    exchangeRoles = await ctx.exchange.grantedRoles();
  } catch {
    return;
  }
  if (!exchangeRoles.includes('Exchange.ManageAsApp')) return;
  if (!(await getMailbox(ctx, sender.userPrincipalName))) throw noMailboxError(ctx, sender, 'user');
}

function outputsOf(sender: ResolvedUser, p: Params) {
  return { from: sender.userPrincipalName, messageSubject: p.subject, recipients: list(p.to), ccRecipients: list(p.cc) };
}

export const sendEmail = defineAction({
  id: 'send-email',
  title: 'Send email',
  description: 'Sends an email from a mailbox (saved to its Sent Items). An email cannot be unsent.',
  category: 'mail',
  params,
  secrets: [],
  permissions,
  validate: (ctx, p) => validateWith(ctx, permissions, async (c) => {
    const sender = await c.attempt(() => resolveUser(ctx, p.user));
    if (sender) await c.attempt(() => checkMailbox(ctx, sender));
  }),
  async preview(ctx, p) {
    const sender = await resolveUser(ctx, p.user);
    const sent = ctx.scratch.get<boolean>(SENT_KEY) === true;
    const all = [...list(p.to), ...list(p.cc)];
    return {
      calls: sent ? [] : [sendCall(sender, p)],
      changes: [{ object: sender.userPrincipalName, field: 'sentMessage', before: null, after: { subject: p.subject, recipients: all } }],
      skipped: [],
      alreadyDone: sent,
      warnings: ['An email cannot be unsent: check the recipients and the text before approving.'],
    };
  },
  async execute(ctx, p) {
    const sender = await resolveUser(ctx, p.user);
    const outputs = outputsOf(sender, p);
    const before = { sent: false };
    if (ctx.scratch.get<boolean>(SENT_KEY) === true) {
      return { outputs, before, alreadyDone: true, skipped: [], summary: `"${p.subject}" was already sent from ${outputs.from}.` };
    }
    const call = sendCall(sender, p);
    try {
      await ctx.graph.post(call.target, call.body, { clientRequestId: requestId(ctx.idempotencyKey, 'send-mail') });
    } catch (e) {
      // Graph answers 404 (ErrorInvalidUser / MailboxNotEnabledForRESTAPI) for a user with no mailbox.
      if (isAppError(e) && e.code === 'm365_not_found') throw noMailboxError(ctx, sender, 'user');
      throw e;
    }
    await ctx.scratch.set(SENT_KEY, true);
    return { outputs, before, alreadyDone: false, skipped: [], summary: `Sent "${p.subject}" from ${outputs.from} to ${[...outputs.recipients, ...outputs.ccRecipients].join(', ')}.` };
  },
  undo: { reversible: false, reason: 'An email cannot be unsent.' },
});
