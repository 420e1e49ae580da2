// Changes a user's directory attributes (department, job title, dates, manager, …). Only fields
// whose live value differs are sent, the old values are kept for undo, and a synced user's
// on-premises-mastered fields are refused up front instead of being overwritten at the next sync.
import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import { defineAction, type ActionContext, type Change, type PlannedCall } from '../action.ts';
import { resolveUser, type ResolvedUser } from '../resolve/user.ts';
import { missingPermissions } from '../support/permissions.ts';
import { requestId } from '../support/request-ids.ts';
import { userParam } from '../support/schemas.ts';
import { syncedObjectError } from './account-checks.ts';
import { validateWith } from '../support/validation.ts';
import { getManager, removeManager, setManager } from './directory-lookups.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';
import { ATTRIBUTES, CLOUD_MASTERED, attributeSchemas, readAttributes, sameValue, type Attribute, type Field, type LiveAttributes } from './user-attributes.ts';

const params = z.strictObject({
  user: userParam,
  ...attributeSchemas,
  manager: userParam.nullable().optional().describe('The manager\'s user principal name or email address; null removes the manager.'),
});
type Params = z.infer<typeof params>;

const permissions = { graph: [['User.ReadWrite.All', 'Directory.ReadWrite.All']], exchange: false };
/** Microsoft guards the leave date with its own permission (leaver workflows trigger on it). */
const leaveDatePermissions = { graph: [['User-LifeCycleInfo.ReadWrite.All', 'Directory.ReadWrite.All']], exchange: false };
const FIELD_NAMES: readonly Field[] = [...ATTRIBUTES, 'manager'];

function requested(p: Params): Field[] {
  return FIELD_NAMES.filter((f) => p[f] !== undefined);
}

function nothingToChange(): AppError {
  return new AppError({
    code: 'missing_parameter',
    message: 'update-user needs at least one attribute to change.',
    fix: `Give one or more of: ${FIELD_NAMES.join(', ')}.`,
  });
}

function refusedForSynced(u: { userPrincipalName: string; onPremisesSyncEnabled: boolean | null }, fields: Field[]): AppError | undefined {
  if (!u.onPremisesSyncEnabled) return undefined;
  const mastered = fields.filter((f) => !CLOUD_MASTERED.has(f));
  return mastered.length ? syncedObjectError(u, mastered.join(', '), mastered[0]) : undefined;
}

interface Plan {
  user: ResolvedUser;
  live: LiveAttributes;
  /** Field changes, manager as UPNs; only fields whose live value differs. */
  changes: Change[];
  patch: Record<string, unknown>;
  manager?: { action: 'set'; id: string; upn: string } | { action: 'remove' };
  currentManager: { id: string; userPrincipalName: string | null } | null;
}

async function plan(ctx: ActionContext, p: Params): Promise<Plan> {
  const user = await resolveUser(ctx, p.user);
  const live = await readAttributes(ctx, user.id);
  const changes: Change[] = [];
  const patch: Record<string, unknown> = {};
  for (const f of ATTRIBUTES) {
    const wanted = p[f as Attribute];
    if (wanted === undefined || sameValue(f, live[f], wanted)) continue;
    patch[f] = wanted;
    changes.push({ object: user.userPrincipalName, field: f, before: live[f] ?? null, after: wanted });
  }
  const out: Plan = { user, live, changes, patch, currentManager: null };
  if (p.manager !== undefined) {
    const current = await getManager(ctx, user.id);
    out.currentManager = current;
    if (p.manager === null) {
      if (current) {
        out.manager = { action: 'remove' };
        changes.push({ object: user.userPrincipalName, field: 'manager', before: current.userPrincipalName ?? current.id, after: null });
      }
    } else {
      const m = await resolveUser(ctx, p.manager, 'manager');
      if (m.id === user.id) throw new AppError({ code: 'invalid_parameter', message: `${user.userPrincipalName} cannot be their own manager.`, fix: 'Name a different manager.', param: 'manager', value: p.manager });
      if (current?.id !== m.id) {
        out.manager = { action: 'set', id: m.id, upn: m.userPrincipalName };
        changes.push({ object: user.userPrincipalName, field: 'manager', before: current ? (current.userPrincipalName ?? current.id) : null, after: m.userPrincipalName });
      }
    }
  }
  return out;
}

function plannedCalls(pl: Plan): PlannedCall[] {
  const calls: PlannedCall[] = [];
  const upn = pl.user.userPrincipalName;
  if (Object.keys(pl.patch).length) calls.push({ surface: 'graph', method: 'PATCH', target: `/users/${pl.user.id}`, body: pl.patch, description: `Update ${Object.keys(pl.patch).join(', ')} of ${upn}` });
  if (pl.manager?.action === 'set') calls.push({ surface: 'graph', method: 'PUT', target: `/users/${pl.user.id}/manager/$ref`, body: { '@odata.id': `https://graph.microsoft.com/v1.0/users/${pl.manager.id}` }, description: `Set ${pl.manager.upn} as manager of ${upn}` });
  if (pl.manager?.action === 'remove') calls.push({ surface: 'graph', method: 'DELETE', target: `/users/${pl.user.id}/manager/$ref`, description: `Remove the manager of ${upn}` });
  return calls;
}

export const updateUser = defineAction({
  id: 'update-user',
  title: 'Update user attributes',
  description: 'Changes directory attributes of a user: names, department, job title, office, phone, address, usage location, hire and leave dates, manager.',
  category: 'account',
  params,
  secrets: [],
  permissions,
  validate: (ctx, p) => validateWith(ctx, permissions, async (c) => {
    const fields = requested(p);
    if (!fields.length) c.errors.push(nothingToChange());
    if (p.employeeLeaveDateTime !== undefined) c.errors.push(...(await missingPermissions(ctx, leaveDatePermissions)));
    const u = await c.attempt(() => resolveUser(ctx, p.user));
    if (!u) return;
    const refused = refusedForSynced(u, fields);
    if (refused) c.errors.push(refused);
    if (p.manager) {
      const m = await c.attempt(() => resolveUser(ctx, p.manager!, 'manager'));
      if (m && m.id === u.id) c.errors.push(new AppError({ code: 'invalid_parameter', message: `${u.userPrincipalName} cannot be their own manager.`, fix: 'Name a different manager.', param: 'manager', value: p.manager }));
    }
  }),
  async preview(ctx, p) {
    const pl = await plan(ctx, p);
    return { calls: plannedCalls(pl), changes: pl.changes, skipped: [], alreadyDone: pl.changes.length === 0, warnings: [] };
  },
  async execute(ctx, p) {
    const fields = requested(p);
    if (!fields.length) throw nothingToChange();
    const pl = await plan(ctx, p);
    const refused = refusedForSynced(pl.live, fields);
    if (refused) throw refused;
    const upn = pl.user.userPrincipalName;
    const outputs = { userId: pl.user.id, userPrincipalName: upn, changed: pl.changes.map((c) => c.field) };
    if (!pl.changes.length) {
      return { outputs, before: earlierBefore(ctx) ?? { values: {} }, alreadyDone: true, skipped: [], summary: `${upn} already had these values.` };
    }
    const before = await recordBefore(ctx, { values: Object.fromEntries(pl.changes.map((c) => [c.field, c.before])) });
    if (Object.keys(pl.patch).length) await ctx.graph.patch(`/users/${pl.user.id}`, pl.patch, { clientRequestId: requestId(ctx.idempotencyKey, 'update-user') });
    if (pl.manager?.action === 'set') await setManager(ctx, pl.user.id, pl.manager.id, requestId(ctx.idempotencyKey, 'set-manager'));
    if (pl.manager?.action === 'remove') await removeManager(ctx, pl.user.id, requestId(ctx.idempotencyKey, 'remove-manager'));
    return {
      outputs,
      before,
      alreadyDone: false,
      skipped: [],
      summary: `Updated ${upn}: ${pl.changes.map((c) => `${c.field} ${fmt(c.before)} → ${fmt(c.after)}`).join('; ')}.`,
    };
  },
  undo: {
    reversible: true,
    build: (p, r) => {
      const values = (r.before.values ?? {}) as Record<string, unknown>;
      return Object.keys(values).length ? [{ action: 'update-user', params: { user: p.user, ...values } }] : [];
    },
  },
});

function fmt(v: unknown): string {
  return v === null || v === undefined ? '(none)' : JSON.stringify(v);
}
