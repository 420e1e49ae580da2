// Signs the user out everywhere: revokeSignInSessions invalidates refresh tokens and session
// cookies by moving signInSessionsValidFromDateTime to now. Access tokens already issued live on
// until they expire (about an hour), which the card says.
import { z } from 'zod';
import { defineAction, type ActionContext } from '../action.ts';
import { resolveUser, type ResolvedUser } from '../resolve/user.ts';
import { requestId } from '../support/request-ids.ts';
import { userParam } from '../support/schemas.ts';
import { guestError, isGuest } from './account-checks.ts';
import { validateWith } from '../support/validation.ts';
import { happenedSince, markSent } from '../support/step-memory.ts';

const params = z.strictObject({ user: userParam });
const permissions = { graph: [['User.RevokeSessions.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All']], exchange: false };

const tokenWarning = 'Access tokens already issued stay valid until they expire (up to about an hour).';

function doneEarlier(ctx: ActionContext, u: ResolvedUser): boolean {
  return ctx.scratch.get<boolean>('completed') === true || happenedSince(u.signInSessionsValidFromDateTime, ctx.scratch.get<string>('sentAt'));
}

export const revokeSessions = defineAction({
  id: 'revoke-sessions',
  title: 'Sign out everywhere',
  description: 'Revokes all of the user\'s refresh tokens and sign-in sessions, so every app and device must sign in again.',
  category: 'account',
  params,
  secrets: [],
  permissions,
  validate: (ctx, p) => validateWith(ctx, permissions, async (c) => {
    const u = await c.attempt(() => resolveUser(ctx, p.user));
    if (u && isGuest(u)) c.errors.push(guestError(ctx, u, 'their sign-in sessions'));
  }),
  async preview(ctx, p) {
    const u = await resolveUser(ctx, p.user);
    const alreadyDone = doneEarlier(ctx, u);
    return {
      calls: alreadyDone ? [] : [{ surface: 'graph', method: 'POST', target: `/users/${u.id}/revokeSignInSessions`, description: `Revoke every sign-in session of ${u.userPrincipalName}` }],
      changes: alreadyDone ? [] : [{ object: u.userPrincipalName, field: 'signInSessionsValidFromDateTime', before: u.signInSessionsValidFromDateTime, after: 'the time of the call' }],
      skipped: [],
      alreadyDone,
      warnings: [tokenWarning],
    };
  },
  async execute(ctx, p) {
    const u = await resolveUser(ctx, p.user);
    if (isGuest(u)) throw guestError(ctx, u, 'their sign-in sessions');
    const before = { signInSessionsValidFromDateTime: u.signInSessionsValidFromDateTime };
    if (doneEarlier(ctx, u)) {
      const outputs = { userId: u.id, userPrincipalName: u.userPrincipalName, revokedAt: ctx.scratch.get<string>('sentAt') ?? u.signInSessionsValidFromDateTime };
      return { outputs, before, alreadyDone: true, skipped: [], summary: `The sessions of ${u.userPrincipalName} were already revoked by this step.` };
    }
    const sentAt = await markSent(ctx);
    await ctx.graph.post(`/users/${u.id}/revokeSignInSessions`, {}, { clientRequestId: requestId(ctx.idempotencyKey, 'revoke-sessions') });
    await ctx.scratch.set('completed', true);
    return {
      outputs: { userId: u.id, userPrincipalName: u.userPrincipalName, revokedAt: sentAt },
      before,
      alreadyDone: false,
      skipped: [],
      summary: `Revoked every sign-in session of ${u.userPrincipalName}. ${tokenWarning}`,
    };
  },
  undo: { reversible: false, reason: 'Revoked sessions cannot be restored; the user simply signs in again.' },
});
