// Issues a Temporary Access Pass: a time-limited passcode the user signs in with to register MFA or
// passwordless methods (onboarding, or after reset-mfa). Microsoft shows the pass only in the answer
// to the create call, so it is stored in scratch the moment it arrives; a re-run that finds the pass
// it stored reports it again instead of issuing a second one.
import { z } from 'zod';
import { AppError, isAppError } from '../../../core/errors.ts';
import { MASK } from '../../../core/secrets.ts';
import { defineAction, type ActionContext, type Change, type PlannedCall } from '../action.ts';
import { resolveUser, type ResolvedUser } from '../resolve/user.ts';
import { requestId } from '../support/request-ids.ts';
import { userParam } from '../support/schemas.ts';
import { guestError, isGuest, isNotFound } from './account-checks.ts';
import { validateWith } from '../support/validation.ts';
import { happenedSince, markSent } from '../support/step-memory.ts';

const params = z.strictObject({
  user: userParam,
  lifetimeInMinutes: z.number().int().min(10).max(43200).default(60).describe('How long the pass works, in minutes (10 to 43200, i.e. 30 days); default 60. The tenant\'s TAP policy may allow less.'),
  isUsableOnce: z.boolean().default(false).describe('Whether the pass works for one sign-in only; default false.'),
  startDateTime: z.iso.datetime({ offset: true }).optional().describe('When the pass starts to work (ISO 8601); default now.'),
  replaceExisting: z.boolean().default(false).describe('Delete the user\'s current pass first, if they have one (a user can hold only one); default false.'),
});
type Params = z.infer<typeof params>;

const permissions = { graph: [['UserAuthenticationMethod.ReadWrite.All']], exchange: false };

interface TapMethod {
  id: string;
  createdDateTime: string | null;
  startDateTime: string | null;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  temporaryAccessPass?: string | null;
}

/** What this step keeps of the pass it created: the only copy of the secret there will ever be. */
interface SavedTap extends Record<string, unknown> {
  id: string;
  pass: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
}

const TAP_KEY = 'tap';

function expiry(start: string, minutes: number): string {
  return new Date(Date.parse(start) + minutes * 60_000).toISOString().replace(/\.000Z$/, 'Z');
}

function describeTap(t: TapMethod): string {
  const start = t.startDateTime ?? t.createdDateTime;
  return start ? `pass valid ${start} to ${expiry(start, t.lifetimeInMinutes)}` : 'existing pass';
}

async function listTaps(ctx: ActionContext, userId: string): Promise<TapMethod[]> {
  return ctx.graph.list<TapMethod>(`/users/${userId}/authentication/temporaryAccessPassMethods`);
}

interface Situation {
  user: ResolvedUser;
  /** The pass this step created earlier and still holds the secret of. */
  saved: SavedTap | undefined;
  /** A pass this step created whose answer was lost: its secret is unknown, so it is replaced. */
  orphan: TapMethod | undefined;
  /** Passes someone else created. */
  others: TapMethod[];
}

async function situation(ctx: ActionContext, p: Params): Promise<Situation> {
  const user = await resolveUser(ctx, p.user);
  const taps = await listTaps(ctx, user.id);
  const savedRecord = ctx.scratch.get<SavedTap>(TAP_KEY);
  const saved = savedRecord && taps.some((t) => t.id === savedRecord.id) ? savedRecord : undefined;
  const sentAt = ctx.scratch.get<string>('sentAt');
  const orphan = saved ? undefined : taps.find((t) => happenedSince(t.createdDateTime, sentAt));
  const others = taps.filter((t) => t.id !== saved?.id && t !== orphan);
  return { user, saved, orphan, others };
}

function existingConflict(s: Situation): AppError {
  const upn = s.user.userPrincipalName;
  return new AppError({
    code: 'conflict',
    message: `${upn} already has a Temporary Access Pass (${s.others.map(describeTap).join('; ')}); a user can hold only one.`,
    fix: `Run again with replaceExisting: true to delete the current pass and issue a new one, or delete it in Entra admin centre › Users › ${upn} › Authentication methods.`,
    param: 'user',
    value: upn,
  });
}

function createBody(p: Params): Record<string, unknown> {
  return { lifetimeInMinutes: p.lifetimeInMinutes, isUsableOnce: p.isUsableOnce, ...(p.startDateTime ? { startDateTime: p.startDateTime } : {}) };
}

async function deleteTaps(ctx: ActionContext, userId: string, taps: TapMethod[]): Promise<void> {
  for (const t of taps) {
    try {
      await ctx.graph.delete(`/users/${userId}/authentication/temporaryAccessPassMethods/${t.id}`, { clientRequestId: requestId(ctx.idempotencyKey, `delete-tap:${t.id}`) });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/**
 * Creates the pass. If Microsoft refuses because the user already holds one, and that one is this
 * call's own (a retry after a lost answer), its secret is unknowable: delete it and create once more.
 */
async function create(ctx: ActionContext, userId: string, p: Params): Promise<TapMethod> {
  const path = `/users/${userId}/authentication/temporaryAccessPassMethods`;
  const sentAt = await markSent(ctx);
  try {
    return await ctx.graph.post<TapMethod>(path, createBody(p), { clientRequestId: requestId(ctx.idempotencyKey, 'create-tap') });
  } catch (e) {
    if (!isAppError(e) || e.code !== 'm365_bad_request') throw e;
    const own = (await listTaps(ctx, userId)).filter((t) => happenedSince(t.createdDateTime, sentAt));
    if (!own.length) throw e;
    await deleteTaps(ctx, userId, own);
    await markSent(ctx);
    return ctx.graph.post<TapMethod>(path, createBody(p), { clientRequestId: requestId(ctx.idempotencyKey, 'create-tap:again') });
  }
}

export const createTemporaryAccessPass = defineAction({
  id: 'create-temporary-access-pass',
  title: 'Create Temporary Access Pass',
  description: 'Issues a time-limited passcode the user signs in with to set up MFA or passwordless methods.',
  category: 'account',
  params,
  secrets: ['temporaryAccessPass'],
  permissions,
  validate: (ctx, p) => validateWith(ctx, permissions, async (c) => {
    const s = await c.attempt(() => situation(ctx, p));
    if (!s) return;
    if (isGuest(s.user)) c.errors.push(guestError(ctx, s.user, 'their sign-in methods'));
    if (s.others.length && !p.replaceExisting) c.errors.push(existingConflict(s));
    if (!s.user.accountEnabled) c.warnings.push(`${s.user.userPrincipalName} is disabled and cannot sign in with the pass until enabled.`);
    if (p.startDateTime && Date.parse(p.startDateTime) + p.lifetimeInMinutes * 60_000 <= ctx.clock.now()) {
      c.errors.push(new AppError({ code: 'invalid_parameter', message: `A pass starting ${p.startDateTime} for ${p.lifetimeInMinutes} minutes has already expired.`, fix: 'Give a later startDateTime, or leave it out to start now.', param: 'startDateTime', value: p.startDateTime }));
    }
  }),
  async preview(ctx, p) {
    const s = await situation(ctx, p);
    if (s.saved) return { calls: [], changes: [], skipped: [], alreadyDone: true, warnings: [] };
    const upn = s.user.userPrincipalName;
    const replaced = [...(s.orphan ? [s.orphan] : []), ...(p.replaceExisting ? s.others : [])];
    const calls: PlannedCall[] = replaced.map((t) => ({ surface: 'graph', method: 'DELETE', target: `/users/${s.user.id}/authentication/temporaryAccessPassMethods/${t.id}`, description: `Delete the current pass of ${upn}` }));
    calls.push({ surface: 'graph', method: 'POST', target: `/users/${s.user.id}/authentication/temporaryAccessPassMethods`, body: createBody(p), description: `Issue a ${p.lifetimeInMinutes}-minute${p.isUsableOnce ? ' one-time' : ''} pass for ${upn}` });
    const old = replaced[0];
    const changes: Change[] = [
      { object: upn, field: 'temporaryAccessPass', before: old ? MASK : null, after: MASK },
      { object: upn, field: 'temporaryAccessPass.lifetimeInMinutes', before: old?.lifetimeInMinutes ?? null, after: p.lifetimeInMinutes },
      { object: upn, field: 'temporaryAccessPass.isUsableOnce', before: old?.isUsableOnce ?? null, after: p.isUsableOnce },
    ];
    return { calls, changes, skipped: [], alreadyDone: false, warnings: ['The pass is shown once, to the approver, when the step completes.'] };
  },
  async execute(ctx, p) {
    const s = await situation(ctx, p);
    const upn = s.user.userPrincipalName;
    const outputsOf = (t: SavedTap) => ({
      userId: s.user.id, userPrincipalName: upn, temporaryAccessPass: t.pass, methodId: t.id, startDateTime: t.startDateTime,
      expiresDateTime: expiry(t.startDateTime, t.lifetimeInMinutes), lifetimeInMinutes: t.lifetimeInMinutes, isUsableOnce: t.isUsableOnce,
    });
    if (s.saved) {
      return { outputs: outputsOf(s.saved), before: ctx.scratch.get<Record<string, unknown>>('before') ?? {}, alreadyDone: true, skipped: [], summary: `A pass for ${upn} was already issued by this step.` };
    }
    if (isGuest(s.user)) throw guestError(ctx, s.user, 'their sign-in methods');
    if (s.others.length && !p.replaceExisting) throw existingConflict(s);
    const before = ctx.scratch.get<Record<string, unknown>>('before') ?? { replaced: s.others.map((t) => ({ id: t.id, createdDateTime: t.createdDateTime })) };
    await ctx.scratch.set('before', before);
    await deleteTaps(ctx, s.user.id, [...(s.orphan ? [s.orphan] : []), ...s.others]);
    const created = await create(ctx, s.user.id, p);
    if (!created.temporaryAccessPass) {
      throw new AppError({ code: 'internal_error', message: `Microsoft created a pass for ${upn} (${created.id}) but did not return it.`, fix: `Delete the pass in Entra admin centre and retry.` });
    }
    const saved: SavedTap = {
      id: created.id,
      pass: created.temporaryAccessPass,
      startDateTime: created.startDateTime ?? created.createdDateTime ?? ctx.clock.date().toISOString(),
      lifetimeInMinutes: created.lifetimeInMinutes ?? p.lifetimeInMinutes,
      isUsableOnce: created.isUsableOnce ?? p.isUsableOnce,
    };
    await ctx.scratch.set(TAP_KEY, saved);
    const outputs = outputsOf(saved);
    return {
      outputs,
      before,
      alreadyDone: false,
      skipped: [],
      summary: `Issued a ${saved.lifetimeInMinutes}-minute${saved.isUsableOnce ? ' one-time' : ''} Temporary Access Pass for ${upn}, valid until ${outputs.expiresDateTime}.`,
    };
  },
  undo: { reversible: false, reason: 'A temporary access pass expires on its own; delete it in Entra if needed.' },
});
