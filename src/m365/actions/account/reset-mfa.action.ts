// Removes every MFA method a user registered (phone, Authenticator, FIDO2 key, …) so they must
// register again at next sign-in: the usual answer to a lost phone or a compromised factor. The
// password is not an MFA method and stays.
import { z } from 'zod';
import { isAppError } from '../../../core/errors.ts';
import { defineAction, type Skip } from '../action.ts';
import { resolveUser } from '../resolve/user.ts';
import { requestId } from '../support/request-ids.ts';
import { userParam } from '../support/schemas.ts';
import { deletePath, listAuthMethods, removalOrder, type AuthMethod } from './auth-methods.ts';
import { isNotFound } from './account-checks.ts';
import { validateWith } from '../support/validation.ts';

const params = z.strictObject({ user: userParam });
const permissions = { graph: [['UserAuthenticationMethod.ReadWrite.All']], exchange: false };

const passwordSkip: Skip = { item: 'password', reason: 'The password is not an MFA method; use reset-password to change it.' };
const REMOVED_KEY = 'removed';

export const resetMfa = defineAction({
  id: 'reset-mfa',
  title: 'Reset MFA',
  description: 'Removes all of the user\'s registered MFA methods (phone, Authenticator app, security keys, …) so they register again at next sign-in. The password is kept.',
  category: 'account',
  params,
  secrets: [],
  permissions,
  // Guests are not refused: MFA a guest registered in this tenant is this tenant's to reset.
  validate: (ctx, p) => validateWith(ctx, permissions, async (c) => {
    await c.attempt(() => resolveUser(ctx, p.user));
  }),
  async preview(ctx, p) {
    const u = await resolveUser(ctx, p.user);
    const order = removalOrder(await listAuthMethods(ctx, u.id));
    return {
      calls: order.map((m) => ({ surface: 'graph' as const, method: 'DELETE', target: deletePath(u.id, m), description: `Remove ${m.label} (${m.type})` })),
      changes: order.map((m) => ({ object: u.userPrincipalName, field: `authenticationMethod:${m.type}:${m.id}`, before: m.label, after: null })),
      skipped: [passwordSkip],
      alreadyDone: order.length === 0,
      warnings: order.length ? [`${u.userPrincipalName} must register MFA again at next sign-in; consider create-temporary-access-pass to help them.`] : [],
    };
  },
  async execute(ctx, p) {
    const u = await resolveUser(ctx, p.user);
    // What earlier attempts of this step removed: the re-run reports it too, and removes only the rest.
    const removed = [...(ctx.scratch.get<AuthMethod[]>(REMOVED_KEY) ?? [])];
    const queue = removalOrder(await listAuthMethods(ctx, u.id));
    const alreadyDone = queue.length === 0;
    const deferred = new Set<string>();
    while (queue.length) {
      const m = queue.shift()!;
      try {
        await ctx.graph.delete(deletePath(u.id, m), { clientRequestId: requestId(ctx.idempotencyKey, `delete-method:${m.id}${deferred.has(m.id) ? ':last' : ''}`) });
      } catch (e) {
        // Gone already (a retried call that had gone through): that is the state we want.
        if (!isNotFound(e)) {
          // The default method is refused while others remain: try it again once the rest are gone.
          if (isAppError(e) && e.code === 'm365_bad_request' && !deferred.has(m.id) && queue.length) {
            deferred.add(m.id);
            queue.push(m);
            continue;
          }
          throw e;
        }
      }
      removed.push(m);
      await ctx.scratch.set(REMOVED_KEY, removed);
    }
    const outputs = { userId: u.id, userPrincipalName: u.userPrincipalName, removedMethods: removed.map((m) => m.type), removedCount: removed.length };
    return {
      outputs,
      before: { methods: removed },
      alreadyDone,
      skipped: [passwordSkip],
      summary: alreadyDone && !removed.length
        ? `${u.userPrincipalName} had no MFA methods to remove.`
        : alreadyDone
          ? `The MFA methods of ${u.userPrincipalName} were already removed by this step (${removed.length}).`
          : `Removed ${removed.length} MFA method(s) of ${u.userPrincipalName}: ${removed.map((m) => m.type).join(', ')}. They register again at next sign-in.`,
    };
  },
  undo: { reversible: false, reason: 'Removed MFA methods cannot be re-registered on the user\'s behalf; the user registers them again (a temporary access pass helps).' },
});
