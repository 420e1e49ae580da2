// Sets a generated temporary password the user must change at next sign-in. A cloud user gets it
// through passwordProfile; a synced user through the password method's resetPassword, which Entra
// writes back to on-premises AD (a cloud-only PATCH would be overwritten at the next sync).
import { z } from 'zod';
import { AppError, isAppError } from '../../../core/errors.ts';
import { MASK } from '../../../core/secrets.ts';
import { defineAction, type ActionContext, type PlannedCall } from '../action.ts';
import { resolveUser, type ResolvedUser } from '../resolve/user.ts';
import { missingPermissions } from '../support/permissions.ts';
import { requestId } from '../support/request-ids.ts';
import { userParam } from '../support/schemas.ts';
import { guestError, isGuest, withSecret } from './account-checks.ts';
import { validateWith } from '../support/validation.ts';
import { generatePassword, nameParts } from './password.ts';
import { happenedSince, markSent, remembered } from '../support/step-memory.ts';

export const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';

const params = z.strictObject({ user: userParam });
const permissions = { graph: [['User.ReadWrite.All', 'User-PasswordProfile.ReadWrite.All', 'Directory.ReadWrite.All']], exchange: false };
/** The writeback path goes through the authentication-methods API, which has its own permission. */
const writebackPermissions = { graph: [['UserAuthenticationMethod.ReadWrite.All']], exchange: false };

function resetCall(u: ResolvedUser, password: string): PlannedCall {
  return u.onPremisesSyncEnabled
    ? {
        surface: 'graph', method: 'POST', target: `/users/${u.id}/authentication/methods/${PASSWORD_METHOD_ID}/resetPassword`,
        body: { newPassword: password },
        description: `Reset the password of ${u.userPrincipalName} through password writeback to on-premises AD`,
      }
    : {
        surface: 'graph', method: 'PATCH', target: `/users/${u.id}`,
        body: { passwordProfile: { password, forceChangePasswordNextSignIn: true } },
        description: `Set a temporary password for ${u.userPrincipalName}, to be changed at next sign-in`,
      };
}

/** Done when this step's call went through: marked after it, or seen in lastPasswordChangeDateTime. */
function doneEarlier(ctx: ActionContext, u: ResolvedUser): boolean {
  return ctx.scratch.get<boolean>('completed') === true || happenedSince(u.lastPasswordChangeDateTime, ctx.scratch.get<string>('sentAt'));
}

/** Microsoft serves resetPassword to delegated callers only: an app-only connection is refused. */
function writebackRefused(ctx: ActionContext, u: ResolvedUser): AppError {
  return new AppError({
    code: 'missing_permission',
    message: `${u.userPrincipalName} is synced from on-premises AD, so the reset must go through password writeback, which Microsoft Graph allows only for delegated (GDAP) connections; ${ctx.tenant.connection === 'delegated' ? `${ctx.tenant.domain} refused this connection` : `${ctx.tenant.domain} is connected as an application`}.`,
    fix: `Connect ${ctx.tenant.domain} with GDAP delegated access for a technician holding Authentication Administrator (with UserAuthenticationMethod.ReadWrite.All), or reset the password in on-premises Active Directory.`,
    param: 'user',
    value: u.userPrincipalName,
    details: { surface: 'graph', permission: 'UserAuthenticationMethod.ReadWrite.All', delegatedOnly: true },
  });
}

const syncedWarning = (upn: string) =>
  `${upn} is synced from on-premises AD: the reset is written back there, which needs password writeback enabled in Entra Connect and a delegated (GDAP) connection.`;

export const resetPassword = defineAction({
  id: 'reset-password',
  title: 'Reset password',
  description: 'Sets a generated temporary password that the user must change at next sign-in. Synced users are reset through password writeback.',
  category: 'account',
  params,
  secrets: ['temporaryPassword'],
  permissions,
  validate: (ctx, p) => validateWith(ctx, permissions, async (c) => {
    const u = await c.attempt(() => resolveUser(ctx, p.user));
    if (!u) return;
    if (isGuest(u)) c.errors.push(guestError(ctx, u, 'their password'));
    if (u.onPremisesSyncEnabled) {
      // Refused before approval, not after: Microsoft serves resetPassword to delegated callers only.
      if (ctx.tenant.connection === 'application') c.errors.push(writebackRefused(ctx, u));
      else c.errors.push(...(await missingPermissions(ctx, writebackPermissions)));
      c.warnings.push(syncedWarning(u.userPrincipalName));
    }
    if (!u.accountEnabled) c.warnings.push(`${u.userPrincipalName} is disabled: the new password works only once the account is enabled.`);
  }),
  async preview(ctx, p) {
    const u = await resolveUser(ctx, p.user);
    const alreadyDone = doneEarlier(ctx, u);
    return {
      calls: alreadyDone ? [] : [resetCall(u, MASK)],
      changes: alreadyDone ? [] : [
        { object: u.userPrincipalName, field: 'password', before: 'current password', after: 'new temporary password (shown once)' },
        { object: u.userPrincipalName, field: 'forceChangePasswordNextSignIn', before: null, after: true },
      ],
      skipped: [],
      alreadyDone,
      warnings: [
        ...(u.onPremisesSyncEnabled ? [syncedWarning(u.userPrincipalName)] : []),
        'The new password is shown once, to the approver, when the step completes.',
      ],
    };
  },
  async execute(ctx, p) {
    const u = await resolveUser(ctx, p.user);
    if (isGuest(u)) throw guestError(ctx, u, 'their password');
    // Generated once and kept before the call, so a retry sends (and reports) the same password.
    const password = await remembered(ctx, 'password', () => generatePassword(nameParts(u)));
    const path = u.onPremisesSyncEnabled ? 'writeback' : 'cloud';
    const outputs = { userId: u.id, userPrincipalName: u.userPrincipalName, temporaryPassword: password, forceChangePasswordNextSignIn: true, path };
    const before = { userId: u.id, lastPasswordChangeDateTime: u.lastPasswordChangeDateTime };
    if (doneEarlier(ctx, u)) {
      return { outputs, before, alreadyDone: true, skipped: [], summary: `The password of ${u.userPrincipalName} was already reset by this step.` };
    }
    await markSent(ctx);
    const call = resetCall(u, password);
    const opts = { clientRequestId: requestId(ctx.idempotencyKey, 'reset-password') };
    try {
      await withSecret([password], async () => {
        if (call.method === 'PATCH') await ctx.graph.patch(call.target, call.body, opts);
        else await ctx.graph.post(call.target, call.body, opts);
      });
    } catch (e) {
      if (path === 'writeback' && isAppError(e) && e.code === 'missing_permission') throw writebackRefused(ctx, u);
      throw e;
    }
    await ctx.scratch.set('completed', true);
    return {
      outputs,
      before,
      alreadyDone: false,
      skipped: [],
      summary: path === 'writeback'
        ? `Reset the password of ${u.userPrincipalName} through writeback; they must change it at next sign-in.`
        : `Reset the password of ${u.userPrincipalName}; they must change it at next sign-in.`,
    };
  },
  undo: { reversible: false, reason: 'The previous password is not known to anyone, so it cannot be put back; reset the password again if needed.' },
});
