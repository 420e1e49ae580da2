// Soft-deletes a user: Entra keeps them in the recycle bin for 30 days, with licences released and
// the mailbox soft-deleted alongside, so restore-user brings everything back within that window.
// Synced users are refused: deleting them in the cloud is undone (or fought) by the next sync.
import { z } from 'zod';
import { defineAction } from '../action.ts';
import { findUser, resolveUser, type ResolvedUser } from '../resolve/user.ts';
import { requestId } from '../support/request-ids.ts';
import { userParam } from '../support/schemas.ts';
import { isNotFound, syncedObjectError } from './account-checks.ts';
import { validateWith } from '../support/validation.ts';
import { getDeletedUser, matchDeleted } from './deleted-users.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';

const params = z.strictObject({ user: userParam });
const permissions = { graph: [['User.DeleteRestore.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All']], exchange: false };

interface DeleteBefore extends Record<string, unknown> {
  userId: string;
  userPrincipalName: string;
  deleted: boolean;
}

function warningsFor(u: ResolvedUser): string[] {
  const w = ['The user stays restorable for 30 days (restore-user); after that the deletion is permanent.'];
  if (u.assignedLicenses.length) w.push(`${u.assignedLicenses.length} licence(s) of ${u.userPrincipalName} are released; a mailbox on litigation hold becomes inactive.`);
  return w;
}

const syncedRefusal = (u: ResolvedUser) => syncedObjectError(u, 'the account\'s existence', 'user');

export const deleteUser = defineAction({
  id: 'delete-user',
  title: 'Delete user',
  description: 'Soft-deletes the user (restorable for 30 days with restore-user). Synced users must be deleted in on-premises AD.',
  category: 'account',
  params,
  secrets: [],
  permissions,
  validate: (ctx, p) => validateWith(ctx, permissions, async (c) => {
    if (!(await findUser(ctx, p.user)) && (await matchDeleted(ctx, p.user)).length) {
      c.warnings.push(`${p.user} is already deleted; nothing to do.`);
      return;
    }
    const u = await c.attempt(() => resolveUser(ctx, p.user));
    if (!u) return;
    if (u.onPremisesSyncEnabled) c.errors.push(syncedRefusal(u));
    else c.warnings.push(...warningsFor(u));
  }),
  async preview(ctx, p) {
    const u = await findUser(ctx, p.user);
    if (!u) {
      // Already in the recycle bin: nothing left to do.
      if ((await matchDeleted(ctx, p.user)).length) return { calls: [], changes: [], skipped: [], alreadyDone: true, warnings: [] };
    }
    // Not found anywhere: resolveUser throws unknown_user with the closest matches.
    const user = u ?? (await resolveUser(ctx, p.user));
    if (user.onPremisesSyncEnabled) throw syncedRefusal(user);
    return {
      calls: [{ surface: 'graph', method: 'DELETE', target: `/users/${user.id}`, description: `Delete ${user.userPrincipalName} (soft delete, restorable for 30 days)` }],
      changes: [{ object: user.userPrincipalName, field: 'deleted', before: false, after: true }],
      skipped: [],
      alreadyDone: false,
      warnings: warningsFor(user),
    };
  },
  async execute(ctx, p) {
    const earlier = earlierBefore<DeleteBefore>(ctx);
    // A re-run follows the object the first attempt chose, even if its address was reused since.
    const u = await findUser(ctx, earlier?.userId ?? p.user);
    if (!u) {
      const gone = earlier ? await getDeletedUser(ctx, earlier.userId) : (await matchDeleted(ctx, p.user))[0];
      if (gone) {
        return {
          outputs: { userId: gone.id, userPrincipalName: gone.userPrincipalName },
          before: earlier ?? { userId: gone.id, userPrincipalName: gone.userPrincipalName, deleted: true },
          alreadyDone: true,
          skipped: [],
          summary: `${gone.userPrincipalName} was already deleted.`,
        };
      }
    }
    const user = u ?? (await resolveUser(ctx, p.user));
    if (user.onPremisesSyncEnabled) throw syncedRefusal(user);
    const before = await recordBefore<DeleteBefore>(ctx, { userId: user.id, userPrincipalName: user.userPrincipalName, deleted: false });
    try {
      await ctx.graph.delete(`/users/${user.id}`, { clientRequestId: requestId(ctx.idempotencyKey, 'delete-user') });
    } catch (e) {
      // Gone already: a retried call whose first try had gone through.
      if (!isNotFound(e)) throw e;
    }
    return {
      outputs: { userId: user.id, userPrincipalName: user.userPrincipalName },
      before,
      alreadyDone: false,
      skipped: [],
      summary: `Deleted ${user.userPrincipalName}; it can be restored for 30 days.`,
    };
  },
  undo: {
    reversible: true,
    build: (_p, r) => (r.before.deleted === false ? [{ action: 'restore-user', params: { user: r.before.userId } }] : []),
  },
});
