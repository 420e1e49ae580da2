// Sets a mailbox's automatic replies (Set-MailboxAutoReplyConfiguration). With both times it is
// Scheduled, otherwise Enabled; `state` lets undo put back any earlier configuration, Disabled
// included, with the messages it had (Exchange keeps them while replies are off).
import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import { defineAction, type ActionContext, type Change, type MissingParam, type PlannedCall } from '../action.ts';
import { prop, resolveMailbox } from '../resolve/mailbox.ts';
import { requestId } from '../support/request-ids.ts';
import { messageParam, userParam } from '../support/schemas.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';
import { exchangeMailPermissions } from './mail-checks.ts';
import { validateWith } from '../support/validation.ts';

const dateTime = (what: string) => z.string().trim()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'Invalid date and time: use ISO 8601, e.g. 2025-03-03T09:00:00Z.')
  .transform((s) => new Date(s).toISOString())
  .describe(what);

const states = ['Enabled', 'Disabled', 'Scheduled'] as const;
type ReplyState = (typeof states)[number];

const params = z.strictObject({
  user: userParam.describe('The mailbox owner: their user principal name or email address.'),
  message: messageParam.optional().describe('The reply sent to people inside the organisation.'),
  externalMessage: messageParam.optional().describe('The reply sent to people outside the organisation; the internal message when not given.'),
  externalAudience: z.enum(['All', 'Known', 'None']).optional()
    .describe('Who outside the organisation gets a reply: All (the default), Known (contacts only) or None.'),
  startTime: dateTime('When replies start (ISO 8601). With endTime, replies are scheduled.').optional(),
  endTime: dateTime('When replies stop (ISO 8601). With startTime, replies are scheduled.').optional(),
  state: z.enum(states).optional()
    .describe('Enabled, Disabled or Scheduled; by default Scheduled when both times are given, otherwise Enabled.'),
});
type Params = z.infer<typeof params>;

// A type alias so it is assignable to ExecuteResult's before/outputs records.
export type AutoReplyConfig = {
  autoReplyState: ReplyState;
  internalMessage: string;
  externalMessage: string;
  externalAudience: 'All' | 'Known' | 'None';
  startTime: string | null;
  endTime: string | null;
};

/** Exchange dates arrive as ISO strings or, from older endpoints, as "/Date(ms)/". */
function isoOrNull(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  const legacy = /^\/Date\((-?\d+)\)\/$/.exec(String(v));
  const ms = typeof v === 'number' ? v : legacy ? Number(legacy[1]) : Date.parse(String(v));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

async function readConfig(ctx: ActionContext, upn: string): Promise<AutoReplyConfig> {
  const res = await ctx.exchange.invoke('Get-MailboxAutoReplyConfiguration', { Identity: upn }, { anchorMailbox: upn });
  const raw = res.value[0] ?? {};
  const state = String(prop(raw, 'AutoReplyState') ?? 'Disabled');
  const audience = String(prop(raw, 'ExternalAudience') ?? 'None');
  return {
    autoReplyState: (states as readonly string[]).includes(state) ? (state as ReplyState) : 'Disabled',
    internalMessage: String(prop(raw, 'InternalMessage') ?? ''),
    externalMessage: String(prop(raw, 'ExternalMessage') ?? ''),
    externalAudience: audience === 'All' || audience === 'Known' ? audience : 'None',
    startTime: isoOrNull(prop(raw, 'StartTime')),
    endTime: isoOrNull(prop(raw, 'EndTime')),
  };
}

function stateOf(p: Params): ReplyState {
  return p.state ?? (p.startTime && p.endTime ? 'Scheduled' : 'Enabled');
}

const missingMessage: MissingParam = { param: 'message', question: 'What should the out-of-office reply say?' };

/** Problems with the combination of values (each value alone already passed the schema). */
function combinationErrors(p: Params): AppError[] {
  const errors: AppError[] = [];
  const bad = (param: string, message: string, fix: string, value: unknown) =>
    errors.push(new AppError({ code: 'invalid_parameter', message, fix, param, value }));
  if (!!p.startTime !== !!p.endTime) {
    bad(p.startTime ? 'endTime' : 'startTime', 'Scheduled replies need both a start and an end time.', 'Give both startTime and endTime, or neither to turn replies on now.', p.startTime ?? p.endTime);
  }
  if (p.state === 'Scheduled' && !(p.startTime && p.endTime)) {
    bad('state', 'State Scheduled needs a start and an end time.', 'Give startTime and endTime.', p.state);
  }
  if (p.startTime && p.endTime && Date.parse(p.endTime) <= Date.parse(p.startTime)) {
    bad('endTime', `The end time ${p.endTime} is not after the start time ${p.startTime}.`, 'Give an end time later than the start time.', p.endTime);
  }
  return errors;
}

/** The configuration the step establishes; fields it does not set keep their current values. */
function desired(p: Params, current: AutoReplyConfig): AutoReplyConfig {
  const state = stateOf(p);
  if (p.message === undefined && state !== 'Disabled') {
    throw new AppError({ code: 'missing_parameter', message: 'The out-of-office message is missing.', fix: 'Provide the message the reply should say.', param: 'message' });
  }
  const internal = p.message ?? current.internalMessage;
  return {
    autoReplyState: state,
    internalMessage: internal,
    externalMessage: p.externalMessage ?? (p.message === undefined ? current.externalMessage : internal),
    // Turning replies off leaves the audience as it was; turning them on defaults it to All.
    externalAudience: p.externalAudience ?? (state === 'Disabled' ? current.externalAudience : 'All'),
    startTime: p.startTime ?? current.startTime,
    endTime: p.endTime ?? current.endTime,
  };
}

function sameConfig(a: AutoReplyConfig, b: AutoReplyConfig): boolean {
  return (Object.keys(a) as Array<keyof AutoReplyConfig>).every((k) => a[k] === b[k]);
}

function setCall(upn: string, c: AutoReplyConfig): PlannedCall {
  const body: Record<string, unknown> = {
    Identity: upn,
    AutoReplyState: c.autoReplyState,
    InternalMessage: c.internalMessage,
    ExternalMessage: c.externalMessage,
    ExternalAudience: c.externalAudience,
  };
  if (c.startTime) body.StartTime = c.startTime;
  if (c.endTime) body.EndTime = c.endTime;
  const what = c.autoReplyState === 'Disabled' ? 'Turn off' : c.autoReplyState === 'Scheduled' ? `Schedule (${c.startTime} to ${c.endTime})` : 'Turn on';
  return { surface: 'exchange', method: 'POST', target: 'Set-MailboxAutoReplyConfiguration', body, description: `${what} automatic replies for ${upn}` };
}

function changesOf(upn: string, before: AutoReplyConfig, after: AutoReplyConfig): Change[] {
  return (Object.keys(after) as Array<keyof AutoReplyConfig>)
    .filter((k) => before[k] !== after[k])
    .map((k) => ({ object: upn, field: k[0]!.toUpperCase() + k.slice(1), before: before[k], after: after[k] }));
}

export const setOutOfOffice = defineAction({
  id: 'set-out-of-office',
  title: 'Set out of office',
  description: 'Turns on (or schedules) automatic replies for a mailbox, with an internal and an external message.',
  category: 'mail',
  params,
  secrets: [],
  permissions: exchangeMailPermissions,
  async validate(ctx, p) {
    const v = await validateWith(ctx, exchangeMailPermissions, async (c) => {
      c.errors.push(...combinationErrors(p));
      await c.attempt(() => resolveMailbox(ctx, p.user));
    });
    // A missing message is a question back to the person, not an error.
    if (p.message === undefined && stateOf(p) !== 'Disabled') v.missing.push(missingMessage);
    return v;
  },
  async preview(ctx, p) {
    const m = await resolveMailbox(ctx, p.user);
    const upn = m.user.userPrincipalName;
    const before = await readConfig(ctx, upn);
    const after = desired(p, before);
    const alreadyDone = sameConfig(before, after);
    return {
      calls: alreadyDone ? [] : [setCall(upn, after)],
      changes: changesOf(upn, before, after),
      skipped: [],
      alreadyDone,
      warnings: m.mailbox.recipientTypeDetails === 'SharedMailbox' ? [`${upn} is a shared mailbox: replies go to everyone who writes to it.`] : [],
    };
  },
  async execute(ctx, p) {
    const errors = combinationErrors(p);
    if (errors[0]) throw errors[0];
    const m = await resolveMailbox(ctx, p.user);
    const upn = m.user.userPrincipalName;
    const current = await readConfig(ctx, upn);
    const after = desired(p, current);
    const outputs = { userPrincipalName: upn, ...after };
    if (sameConfig(current, after)) {
      return { outputs, before: earlierBefore(ctx) ?? current, alreadyDone: true, skipped: [], summary: `${upn}'s automatic replies were already set this way.` };
    }
    const before = await recordBefore(ctx, current);
    const call = setCall(upn, after);
    await ctx.exchange.invoke(call.target, call.body as Record<string, unknown>, {
      anchorMailbox: upn,
      clientRequestId: requestId(ctx.idempotencyKey, 'set-auto-reply'),
    });
    return { outputs, before, alreadyDone: false, skipped: [], summary: `${call.description}.` };
  },
  undo: {
    reversible: true,
    build: (_p, r) => {
      const b = r.before as Partial<AutoReplyConfig>;
      if (!b.autoReplyState) return [];
      const before = b as AutoReplyConfig;
      const { userPrincipalName, ...after } = r.outputs;
      if (sameConfig(before, after)) return [];
      const params: Record<string, unknown> = {
        user: userPrincipalName,
        state: before.autoReplyState,
        message: before.internalMessage,
        externalMessage: before.externalMessage,
        externalAudience: before.externalAudience,
      };
      if (before.startTime) params.startTime = before.startTime;
      if (before.endTime) params.endTime = before.endTime;
      return [{ action: 'set-out-of-office', params }];
    },
  },
});
