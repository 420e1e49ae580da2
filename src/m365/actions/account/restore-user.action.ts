// Brings a soft-deleted user back from the recycle bin (within 30 days of deletion), with their
// licences, group memberships and mailbox. The user is named by their old address or object id;
// a live user holding the same address blocks the restore until it is renamed or removed.
import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import { isUuid } from '../../../core/ids.ts';
import { defineAction, type ActionContext } from '../action.ts';
import { findUser } from '../resolve/user.ts';
import { requestId } from '../support/request-ids.ts';
import { isNotFound } from './account-checks.ts';
import { validateWith } from '../support/validation.ts';
import { matchDeleted, unknownDeletedUser, type DeletedUser } from './deleted-users.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';

const address = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const params = z.strictObject({
  user: z.string().trim().min(1, 'A user is required.')
    .refine((v) => address.test(v) || isUuid(v), 'Give the deleted user\'s former user principal name or their object id.')
    .describe('The deleted user: their former user principal name (e.g. john.doe@contoso.com) or object id.'),
});
const permissions = { graph: [['User.DeleteRestore.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All']], exchange: false };

interface RestoreBefore extends Record<string, unknown> {
  userId: string;
  userPrincipalName: string;
  deleted: boolean;
}

type Target =
  | { kind: 'deleted'; user: DeletedUser }
  | { kind: 'active'; userId: string; userPrincipalName: string };

/** What the identity names now: a deleted user to restore, or a live user (nothing to do). */
async function locate(ctx: ActionContext, identity: string): Promise<Target> {
  const earlier = earlierBefore<RestoreBefore>(ctx);
  if (earlier) {
    // A re-run follows the object the first attempt chose.
    const live = await findUser(ctx, earlier.userId);
    if (live) return { kind: 'active', userId: live.id, userPrincipalName: live.userPrincipalName };
  }
  const matches = await matchDeleted(ctx, earlier?.userId ?? identity);
  if (matches.length > 1) {
    throw new AppError({
      code: 'ambiguous_value',
      message: `${matches.length} deleted users had the address ${identity}.`,
      fix: `Restore by object id: ${matches.map((m) => `${m.id} (deleted ${m.deletedDateTime ?? 'at an unknown time'})`).join(', ')}.`,
      param: 'user',
      value: identity,
      details: { choices: matches.map((m) => ({ value: m.id, label: `${m.displayName}, deleted ${m.deletedDateTime ?? '?'}` })) },
    });
  }
  if (matches[0]) return { kind: 'deleted', user: matches[0] };
  const live = await findUser(ctx, identity);
  if (live) return { kind: 'active', userId: live.id, userPrincipalName: live.userPrincipalName };
  throw await unknownDeletedUser(ctx, identity);
}

/** A live user already using the address blocks the restore (Graph would refuse it). */
async function addressHolder(ctx: ActionContext, d: DeletedUser): Promise<AppError | undefined> {
  const holder = await findUser(ctx, d.userPrincipalName);
  if (!holder || holder.id === d.id) return undefined;
  return new AppError({
    code: 'conflict',
    message: `${d.userPrincipalName} is in use by another user (${holder.displayName}, ${holder.id}), so the deleted user cannot get it back.`,
    fix: `Rename or delete ${holder.userPrincipalName} first, then restore.`,
    param: 'user',
    value: d.userPrincipalName,
  });
}

export const restoreUser = defineAction({
  id: 'restore-user',
  title: 'Restore deleted user',
  description: 'Restores a user deleted in the last 30 days, with their licences, groups and mailbox.',
  category: 'account',
  params,
  secrets: [],
  permissions,
  validate: (ctx, p) => validateWith(ctx, permissions, async (c) => {
    const t = await c.attempt(() => locate(ctx, p.user));
    if (t?.kind === 'active') c.warnings.push(`${t.userPrincipalName} is not deleted; nothing to restore.`);
    if (t?.kind === 'deleted') {
      const conflict = await addressHolder(ctx, t.user);
      if (conflict) c.errors.push(conflict);
    }
  }),
  async preview(ctx, p) {
    const t = await locate(ctx, p.user);
    if (t.kind === 'active') return { calls: [], changes: [], skipped: [], alreadyDone: true, warnings: [] };
    const d = t.user;
    return {
      calls: [{ surface: 'graph', method: 'POST', target: `/directory/deletedItems/${d.id}/restore`, description: `Restore ${d.userPrincipalName} (${d.displayName})` }],
      changes: [{ object: d.userPrincipalName, field: 'deleted', before: true, after: false }],
      skipped: [],
      alreadyDone: false,
      warnings: ['Licences are re-assigned only while free units remain; check the user\'s licences after the restore.'],
    };
  },
  async execute(ctx, p) {
    const t = await locate(ctx, p.user);
    if (t.kind === 'active') {
      return {
        outputs: { userId: t.userId, userPrincipalName: t.userPrincipalName },
        before: earlierBefore(ctx) ?? { userId: t.userId, userPrincipalName: t.userPrincipalName, deleted: false },
        alreadyDone: true,
        skipped: [],
        summary: `${t.userPrincipalName} is not deleted.`,
      };
    }
    const d = t.user;
    const conflict = await addressHolder(ctx, d);
    if (conflict) throw conflict;
    const before = await recordBefore<RestoreBefore>(ctx, { userId: d.id, userPrincipalName: d.userPrincipalName, deleted: true });
    let upn = d.userPrincipalName;
    try {
      const restored = await ctx.graph.post<{ userPrincipalName?: string }>(`/directory/deletedItems/${d.id}/restore`, {}, { clientRequestId: requestId(ctx.idempotencyKey, 'restore-user') });
      if (restored?.userPrincipalName) upn = restored.userPrincipalName;
    } catch (e) {
      // No longer in the recycle bin because a retried call had gone through: fine if the user is back.
      const back = isNotFound(e) ? await findUser(ctx, d.id) : undefined;
      if (!back) throw e;
      upn = back.userPrincipalName;
    }
    return {
      outputs: { userId: d.id, userPrincipalName: upn },
      before,
      alreadyDone: false,
      skipped: [],
      summary: `Restored ${upn} (${d.displayName}).`,
    };
  },
  undo: {
    reversible: true,
    build: (_p, r) => (r.before.deleted === true ? [{ action: 'delete-user', params: { user: String(r.outputs.userPrincipalName) } }] : []),
  },
});
