// Runs: create a card, approve, reject, read, list history, undo, and the one-time hand-over of
// generated credentials to the approver.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { createRun } from '../../engine/planner.ts';
import { runStates } from '../../engine/run-state.ts';
import { createUndoRun } from '../../engine/undo.ts';
import { toRun } from '../../store/runs-repo.ts';
import { callerOf, scopedTenant, tenantScope, type Caller } from '../http/auth.ts';
import { runView } from '../run-view.ts';
import { isDemoTenant } from '../design-review.ts';
import type { Runtime } from '../runtime.ts';

const uuid = z.string().uuid('Run ids are UUIDs.');

export function runsRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    const loadScoped = async (caller: Caller, id: string) => {
      const run = await rt.runs.getRun(id);
      // A run in a tenant the caller cannot see answers exactly like a missing one.
      if (!run || !tenantScope(rt, caller).has(run.tenantId)) throw new AppError({ code: 'not_found', message: `No run ${id}.`, fix: 'Check the run id; GET /api/runs lists yours.' });
      return run;
    };

    r.post('/api/runs', {
      schema: {
        tags: ['runs'],
        summary: 'Propose a run (a card): resolves parameters, validates and previews; nothing runs until approved.',
        body: z.strictObject({
          tenant: z.string().min(1).describe('Tenant id, domain or prefix (contoso).'),
          workflow: z.string().min(1).describe('Workflow or action id, e.g. offboard-user or reset-password.'),
          params: z.record(z.string(), z.unknown()).default({}),
          context: z.record(z.string(), z.unknown()).optional().describe('Conversation or ticket context (e.g. {user}).'),
          conversationId: z.string().uuid().optional(),
          version: z.number().int().positive().optional().describe('Admins may test-run a given version.'),
        }),
      },
    }, async (req, reply) => {
      const caller = callerOf(req);
      const tenantId = scopedTenant(rt, caller, req.body.tenant);
      if (req.body.version !== undefined) {
        if (caller.account.role !== 'admin') throw new AppError({ code: 'forbidden', message: 'Only admins may run a version other than the Active one.' });
        const pinned = await rt.workflows.get(req.body.workflow, req.body.version);
        // A version nobody has activated has not been reviewed: it may touch only a demo tenant.
        if (pinned && pinned.state !== 'Active' && pinned.state !== 'Superseded' && !isDemoTenant(tenantId)) {
          throw new AppError({ code: 'forbidden', message: `Version ${req.body.version} of '${req.body.workflow}' is ${pinned.state}; unreviewed versions may only be test-run against a demo tenant.`, fix: 'Test-run it against contoso or fabrikam, or activate it first.' });
        }
      }
      const created = await createRun(rt.ports, {
        tenantId, workflowId: req.body.workflow, params: req.body.params, context: req.body.context ?? {}, actor: caller.account.id,
        conversationId: req.body.conversationId ?? null, ...(req.body.version !== undefined ? { version: req.body.version } : {}),
      });
      return reply.code(201).send(created);
    });

    r.post('/api/runs/:id/approve', { schema: { tags: ['runs'], summary: 'Approve a Pending run; it is queued in the same transaction.', params: z.object({ id: uuid }) } }, async (req, reply) => {
      const caller = callerOf(req);
      const run = await loadScoped(caller, req.params.id);
      if (run.state !== 'Pending') throw new AppError({ code: 'invalid_state', message: `Run ${run.id} is ${run.state}, not Pending.`, fix: 'Only a Pending run can be approved.', details: { state: run.state } });
      if (run.errors.length || run.missing.length) {
        throw new AppError({
          code: 'invalid_state',
          message: `Run ${run.id} cannot be approved: ${[...run.errors.map((e) => e.message), ...run.missing.map((m) => `missing ${m.param}`)].join('; ')}`,
          fix: 'Create a new run with the missing or corrected parameters.',
          details: { state: run.state, errors: run.errors, missing: run.missing },
        });
      }
      if (!(await rt.runs.approve(run.id, caller.account.id))) {
        const now = await rt.runs.getRun(run.id);
        throw new AppError({ code: 'invalid_state', message: `Run ${run.id} is ${now?.state}, not Pending.`, details: { state: now?.state } });
      }
      const approved = (await rt.runs.getRun(run.id))!;
      rt.bus.emit({ type: 'run', runId: run.id, tenantId: run.tenantId, workflowId: run.workflowId, state: 'Approved', percent: 0, elapsedMs: 0, at: new Date().toISOString(), createdBy: run.createdBy, approvedBy: approved.approvedBy });
      return reply.code(202).send({ id: run.id, state: 'Approved' });
    });

    r.post('/api/runs/:id/reject', { schema: { tags: ['runs'], summary: 'Reject a Pending run (it becomes Cancelled).', params: z.object({ id: uuid }), body: z.strictObject({ reason: z.string().max(2000).optional() }).nullish() } }, async (req) => {
      const caller = callerOf(req);
      const run = await loadScoped(caller, req.params.id);
      if (!(await rt.runs.transition(run.id, ['Pending'], 'Cancelled', {}, caller.account.id))) {
        const now = await rt.runs.getRun(run.id);
        throw new AppError({ code: 'invalid_state', message: `Run ${run.id} is ${now?.state}, not Pending.`, fix: 'Only a Pending run can be rejected.', details: { state: now?.state } });
      }
      rt.bus.emit({ type: 'run', runId: run.id, tenantId: run.tenantId, workflowId: run.workflowId, state: 'Cancelled', percent: 0, elapsedMs: 0, at: new Date().toISOString(), createdBy: run.createdBy, approvedBy: null });
      return { id: run.id, state: 'Cancelled' };
    });

    r.get('/api/runs/:id', { schema: { tags: ['runs'], summary: 'A run with its steps, outputs and errors.', params: z.object({ id: uuid }) } }, async (req) => {
      const run = await loadScoped(callerOf(req), req.params.id);
      return runView(run, await rt.runs.getSteps(run.id), { undoRun: await rt.runs.undoRunOf(run.id), now: Date.now() });
    });

    r.get('/api/runs', {
      schema: {
        tags: ['runs'],
        summary: 'Run history, newest first, within your tenants.',
        querystring: z.object({
          tenant: z.string().optional(),
          state: z.enum(runStates).optional(),
          workflow: z.string().optional(),
          user: z.string().optional(),
          conversation: z.string().uuid().optional(),
          since: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
          until: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          before: z.iso.datetime({ offset: true }).optional().describe('Paging: createdAt of the last run of the previous page.'),
        }),
      },
    }, async (req) => {
      const caller = callerOf(req);
      const q = req.query;
      const scope = [...tenantScope(rt, caller)];
      const tenants = q.tenant ? [scopedTenant(rt, caller, q.tenant)] : scope;
      if (!tenants.length) return { runs: [] };
      let query = rt.store.db.selectFrom('runs').selectAll().where('tenant_id', 'in', tenants);
      if (q.state) query = query.where('state', '=', q.state);
      if (q.workflow) query = query.where('workflow_id', '=', q.workflow);
      if (q.user) query = query.where('subject_user', 'ilike', `%${q.user.replace(/[%_]/g, '\\$&')}%`);
      if (q.conversation) query = query.where('conversation_id', '=', q.conversation);
      if (q.since) query = query.where('created_at', '>=', new Date(q.since));
      if (q.until) query = query.where('created_at', '<', new Date(q.until.length === 10 ? Date.parse(q.until) + 86_400_000 : Date.parse(q.until)));
      if (q.before) query = query.where('created_at', '<', new Date(q.before));
      const rows = await query.orderBy('created_at', 'desc').limit(q.limit).execute();
      const undoIds = rows.length ? await rt.store.db.selectFrom('runs').select(['id', 'undo_of']).where('undo_of', 'in', rows.map((x) => x.id)).where('state', '!=', 'Cancelled').execute() : [];
      const undoBy = new Map(undoIds.map((u) => [u.undo_of!, u.id]));
      return {
        runs: rows.map(toRun).map((run) => ({
          id: run.id, state: run.state, tenant: run.tenantId, workflow: run.workflowId, version: run.workflowVersion, title: run.title,
          user: run.subjectUser, createdAt: run.createdAt, finishedAt: run.finishedAt, createdBy: run.createdBy, approvedBy: run.approvedBy,
          undoOf: run.undoOf, undoRun: undoBy.get(run.id) ?? null, reversible: run.reversible, conversationId: run.conversationId,
          error: run.error,
        })),
      };
    });

    r.post('/api/runs/:id/undo', { schema: { tags: ['runs'], summary: 'Create a Pending run that reverses this one.', params: z.object({ id: uuid }) } }, async (req, reply) => {
      const caller = callerOf(req);
      const run = await loadScoped(caller, req.params.id);
      const created = await createUndoRun(rt.ports, run.id, caller.account.id);
      return reply.code(201).send(created);
    });

    r.get('/api/runs/:id/secrets', { schema: { tags: ['runs'], summary: 'Hands generated credentials to the approver, once; then they are sealed.', params: z.object({ id: uuid }) } }, async (req) => {
      const caller = callerOf(req);
      const run = await loadScoped(caller, req.params.id);
      if (run.approvedBy !== caller.account.id) {
        throw new AppError({ code: 'forbidden', message: 'Only the person who approved this run can see its generated credentials.' });
      }
      const rows = await rt.store.db.updateTable('run_secrets')
        .set({ revealed_at: sql`now()`, revealed_to: caller.account.id })
        .where('run_id', '=', run.id).where('revealed_at', 'is', null)
        .returning(['name', 'step_id', 'ciphertext']).execute();
      if (!rows.length) {
        const any = await rt.store.db.selectFrom('run_secrets').select('name').where('run_id', '=', run.id).executeTakeFirst();
        throw new AppError({
          code: 'invalid_state',
          message: any ? 'The generated credentials of this run were already shown once and are sealed.' : 'This run generated no credentials.',
          fix: any ? 'Reset the password again if it was lost.' : 'Nothing to do.',
        });
      }
      return { secrets: rows.map((s) => ({ name: s.name.split('.').pop(), step: s.step_id, value: rt.ports.secrets.open(s.ciphertext) })) };
    });
  };
}
