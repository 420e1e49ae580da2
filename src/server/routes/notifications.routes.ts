// Notifications: when a run ends, the person who started it and the person who approved it each get
// one, listed under the bell and pushed to their open pages (toasts) over a websocket.
import type { FastifyInstance } from 'fastify';
import type {} from '@fastify/websocket';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import type { RunEvent } from '../../engine/events.ts';
import { isTerminalRun } from '../../engine/run-state.ts';
import { NotificationsRepo, type Notification } from '../../store/notifications-repo.ts';
import { callerOf, tenantScope, type Caller } from '../http/auth.ts';
import type { Runtime } from '../runtime.ts';

export const RUN_FINISHED = 'run.finished';

interface Listener {
  socket: { readyState: number; OPEN: number; send(data: string): void };
  /** The tenants the listener may see now; a narrowed scope also narrows what is pushed. */
  scope: Set<string>;
}

export const LIFECYCLE_QUARANTINED = 'lifecycle.quarantined';

function publicNotification(n: Notification) {
  return {
    id: n.id, runId: n.runId, kind: n.kind, tenant: n.tenantId, title: n.title, state: n.state, createdAt: n.createdAt, read: n.readAt !== null,
    workflowId: n.workflowId, workflowVersion: n.workflowVersion,
    // Where the bell leads: the run, the lifecycle workflow, or the workflow version to review.
    link: n.runId ? `/runs/${n.runId}` : n.kind.startsWith('lifecycle.') && n.workflowId ? `/lifecycle/workflows/${n.workflowId}`
      : n.workflowId ? `/workflows/${n.workflowId}/versions/${n.workflowVersion}` : null,
  };
}

/** Pushes a notification created elsewhere (workflow design) to the recipient's open pages. */
const pushers = new WeakMap<Runtime, (n: Notification & { accountId: string }) => void>();
export function pushNotification(rt: Runtime, n: Notification & { accountId: string }): void {
  pushers.get(rt)?.(n);
}

/** Who hears about a finished run: its starter and its approver; a rejection only its starter, and only when someone else rejected it. */
async function recipientsOf(rt: Runtime, e: RunEvent): Promise<string[]> {
  if (e.state !== 'Cancelled') return [e.createdBy, e.approvedBy].filter((x): x is string => !!x);
  if (!e.createdBy) return [];
  const rejectedBy = await rt.store.db.selectFrom('audit_log').select('actor')
    .where('entity', '=', 'run').where('entity_id', '=', e.runId).where('to_state', '=', 'Cancelled')
    .executeTakeFirst();
  return rejectedBy?.actor && rejectedBy.actor !== e.createdBy ? [e.createdBy] : [];
}

export function notificationsRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const repo = new NotificationsRepo(rt.store.db);
    const live = new Map<string, Set<Listener>>();

    const onRunEnded = async (e: RunEvent) => {
      const recipients = await recipientsOf(rt, e);
      if (!recipients.length) return;
      const run = await rt.runs.getRun(e.runId);
      const created = await repo.notify(recipients, { runId: e.runId, kind: RUN_FINISHED, tenantId: e.tenantId, title: run?.title ?? e.workflowId, state: e.state });
      for (const n of created) push(n);
    };
    const push = (n: Notification & { accountId: string }) => {
      const msg = JSON.stringify({ type: 'notification', notification: publicNotification(n) });
      for (const l of live.get(n.accountId) ?? []) {
        if ((n.tenantId === null || l.scope.has(n.tenantId)) && l.socket.readyState === l.socket.OPEN) l.socket.send(msg);
      }
    };
    pushers.set(rt, push);
    // A quarantined lifecycle workflow processes nobody until someone releases it: the admins, and
    // the reviewers of that tenant, hear about it at once.
    const offQuarantine = rt.lifecycle.onQuarantined(async (e) => {
      await (async () => {
        const accounts = (await rt.accounts.list()).filter((a) => !a.disabled && (a.role === 'admin' || (a.role === 'reviewer' && tenantScope(rt, { account: a, via: 'bearer' } satisfies Caller).has(e.tenantId))));
        const created = await repo.notifyLifecycle(accounts.map((a) => a.id), { tenantId: e.tenantId, workflowId: e.workflowId, kind: LIFECYCLE_QUARANTINED, title: `${e.displayName} quarantined: ${e.reason}`, state: 'Quarantined' });
        for (const n of created) push(n);
      })().catch((err: unknown) => rt.log.warn({ err, workflowId: e.workflowId }, 'could not record the quarantine notification'));
    });
    const off = rt.bus.subscribe((e) => {
      if (e.type !== 'run' || !isTerminalRun(e.state)) return;
      onRunEnded(e).catch((err: unknown) => rt.log.warn({ err, runId: e.runId }, 'could not record the run notification'));
    });
    app.addHook('onClose', async () => { off(); offQuarantine(); pushers.delete(rt); });

    r.get('/api/notifications', {
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications, newest first, with the unread count.',
        querystring: z.object({ unread: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(200).default(30) }),
      },
    }, async (req) => {
      const c = callerOf(req);
      const tenants = [...tenantScope(rt, c)];
      const [items, unread] = await Promise.all([
        repo.list(c.account.id, { limit: req.query.limit, unreadOnly: req.query.unread === 'true', tenants }),
        repo.unreadCount(c.account.id, tenants),
      ]);
      return { notifications: items.map(publicNotification), unread };
    });

    r.post('/api/notifications/:id/read', {
      schema: { tags: ['notifications'], summary: 'Mark one notification read.', params: z.object({ id: z.string().uuid('Notification ids are UUIDs.') }) },
    }, async (req) => {
      const c = callerOf(req);
      if (!(await repo.markRead(c.account.id, req.params.id))) {
        throw new AppError({ code: 'not_found', message: `No notification ${req.params.id}.`, fix: 'GET /api/notifications lists yours.' });
      }
      return { id: req.params.id, read: true };
    });

    r.post('/api/notifications/read-all', { schema: { tags: ['notifications'], summary: 'Mark all your notifications read.' } }, async (req) => {
      const c = callerOf(req);
      return { updated: await repo.markAllRead(c.account.id) };
    });

    app.get('/api/notifications/live', { websocket: true, schema: { tags: ['notifications'], summary: 'Websocket pushing your new notifications as they are created.' } }, (socket, req) => {
      const c = callerOf(req);
      const sink: Listener = { socket, scope: tenantScope(rt, c) };
      let set = live.get(c.account.id);
      if (!set) live.set(c.account.id, (set = new Set()));
      set.add(sink);
      socket.on('close', () => {
        set.delete(sink);
        if (!set.size) live.delete(c.account.id);
      });
      socket.send(JSON.stringify({ type: 'hello' }));
    });
  };
}
