// The runs aggregate: runs, their steps, secrets and audit rows. Every state change is a
// compare-and-set UPDATE plus an audit row, atomically: one statement with data-modifying CTEs
// where it can be (one round trip), a transaction where the job queue must join in.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { RunPatch, RunRepository, StepPatch } from '../engine/ports.ts';
import type { RunState } from '../engine/run-state.ts';
import { canTransitionRun } from '../engine/run-state.ts';
import type { StepState } from '../engine/step-state.ts';
import type { NewRun, NewStep, RunRecord, StepRecord } from '../engine/types.ts';
import type { WorkflowDefinition } from '../engine/definition.ts';
import type { Database, RunsTable, RunStepsTable } from './schema.ts';

export type Enqueue = (trx: Transaction<Database>, runId: string) => Promise<void>;

const j = (v: unknown) => JSON.stringify(v ?? null);

export function toRun(r: Selectable<RunsTable>): RunRecord {
  return {
    id: r.id, tenantId: r.tenant_id, workflowId: r.workflow_id, workflowVersion: r.workflow_version,
    definition: r.definition as unknown as WorkflowDefinition, engineVersion: r.engine_version, state: r.state as RunState,
    title: r.title, subjectUser: r.subject_user, params: r.params, paramSources: r.param_sources as RunRecord['paramSources'],
    context: r.context, preview: r.preview as RunRecord['preview'], missing: r.missing as RunRecord['missing'],
    errors: r.errors as RunRecord['errors'], outputs: r.outputs, error: r.error as RunRecord['error'],
    undoOf: r.undo_of, undoneBy: r.undone_by, reversible: r.reversible, conversationId: r.conversation_id,
    createdBy: r.created_by, approvedBy: r.approved_by, createdAt: r.created_at, approvedAt: r.approved_at,
    startedAt: r.started_at, finishedAt: r.finished_at, leaseOwner: r.lease_owner, leaseExpiresAt: r.lease_expires_at,
    attempts: r.attempts,
  };
}

export function toStep(s: Selectable<RunStepsTable>): StepRecord {
  return {
    runId: s.run_id, idx: s.idx, stepId: s.step_id, action: s.action, name: s.name, parallel: s.parallel,
    state: s.state as StepState, inputs: s.inputs, outputs: s.outputs, before: s.before,
    skipped: s.skipped as StepRecord['skipped'], alreadyDone: s.already_done, summary: s.summary,
    error: s.error as StepRecord['error'], skipReason: s.skip_reason, scratch: s.scratch, attempts: s.attempts,
    startedAt: s.started_at, finishedAt: s.finished_at, durationMs: s.duration_ms,
  };
}

export class RunsRepo implements RunRepository {
  private readonly db: Kysely<Database>;
  private readonly enqueue: Enqueue;
  constructor(db: Kysely<Database>, enqueue: Enqueue) {
    this.db = db;
    this.enqueue = enqueue;
  }

  async createRun(run: NewRun, steps: NewStep[], actor: string | null): Promise<void> {
    // One statement (data-modifying CTEs) is as atomic as a transaction, in one round trip.
    let q = this.db.with('r', (db) => db.insertInto('runs').values({
      id: run.id, tenant_id: run.tenantId, workflow_id: run.workflowId, workflow_version: run.workflowVersion,
      definition: j(run.definition), engine_version: run.engineVersion, state: run.state, title: run.title,
      subject_user: run.subjectUser, params: j(run.params), param_sources: j(run.paramSources), context: j(run.context),
      preview: j(run.preview), missing: j(run.missing), errors: j(run.errors), undo_of: run.undoOf,
      reversible: run.reversible, conversation_id: run.conversationId, created_by: run.createdBy,
    }).returning('id'));
    if (steps.length) {
      q = q.with('s', (db) => db.insertInto('run_steps').values(steps.map((s) => ({
        run_id: run.id, idx: s.idx, step_id: s.stepId, action: s.action, name: s.name, parallel: s.parallel, state: 'Pending', skipped: '[]',
      }))).returning('run_id')) as unknown as typeof q;
    }
    await q.insertInto('audit_log').values({ actor, entity: 'run', entity_id: run.id, from_state: null, to_state: 'Pending', detail: j({ workflow: run.workflowId, version: run.workflowVersion }) }).execute();
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const r = await this.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRun(r) : undefined;
  }

  async getSteps(runId: string): Promise<StepRecord[]> {
    const rows = await this.db.selectFrom('run_steps').selectAll().where('run_id', '=', runId).orderBy('idx').execute();
    return rows.map(toStep);
  }

  async transition(id: string, from: readonly RunState[], to: RunState, patch: RunPatch, actor: string | null): Promise<boolean> {
    const allowed = from.filter((f) => canTransitionRun(f, to));
    if (!allowed.length) return false;
    const terminal = to === 'Completed' || to === 'Failed' || to === 'PartialSuccess' || to === 'Cancelled';
    // Compare-and-set plus the audit row in one statement: the row is locked, its state checked,
    // updated and audited atomically, in one round trip.
    const rows = await this.db
      .with('prev', (db) => db.selectFrom('runs').select(['id', 'state']).where('id', '=', id).forUpdate())
      .with('upd', (db) => db.updateTable('runs').from('prev').set({
        state: to,
        version: sql`runs.version + 1`,
        ...(patch.outputs !== undefined ? { outputs: j(patch.outputs) } : {}),
        ...(patch.error !== undefined ? { error: j(patch.error) } : {}),
        ...(patch.undoneBy !== undefined ? { undone_by: patch.undoneBy } : {}),
        ...(patch.reversible !== undefined ? { reversible: patch.reversible } : {}),
        ...(patch.leaseOwner !== undefined ? { lease_owner: patch.leaseOwner, lease_expires_at: null } : {}),
        ...(terminal ? { finished_at: sql`now()` } : {}),
      }).whereRef('runs.id', '=', 'prev.id').where('prev.state', 'in', allowed).returning(['runs.id as id', 'prev.state as from_state']))
      .insertInto('audit_log')
      .columns(['actor', 'entity', 'entity_id', 'from_state', 'to_state', 'detail'])
      .expression((eb) => eb.selectFrom('upd').select([
        sql<string | null>`${actor}::uuid`.as('actor'), sql<string>`'run'`.as('entity'), sql<string>`upd.id::text`.as('entity_id'),
        'upd.from_state', sql<string>`${to}`.as('to_state'), sql<string>`'{}'::jsonb`.as('detail'),
      ]))
      .returning('id')
      .execute();
    return rows.length === 1;
  }

  async approve(id: string, actor: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .with('upd', (db) => db.updateTable('runs')
          .set({ state: 'Approved', approved_by: actor, approved_at: sql`now()`, version: sql`version + 1` })
          .where('id', '=', id).where('state', '=', 'Pending')
          .returning('id'))
        .insertInto('audit_log')
        .columns(['actor', 'entity', 'entity_id', 'from_state', 'to_state', 'detail'])
        .expression((eb) => eb.selectFrom('upd').select([
          sql<string>`${actor}::uuid`.as('actor'), sql<string>`'run'`.as('entity'), sql<string>`upd.id::text`.as('entity_id'),
          sql<string>`'Pending'`.as('from_state'), sql<string>`'Approved'`.as('to_state'), sql<string>`'{}'::jsonb`.as('detail'),
        ]))
        .returning('id')
        .execute();
      if (rows.length !== 1) return false;
      await this.enqueue(trx, id);
      return true;
    });
  }

  async claim(id: string, owner: string, leaseMs: number): Promise<RunRecord | undefined> {
    // The claim and its audit row in one statement (one round trip, atomic).
    const row = await this.db
      .with('upd', (db) => db.updateTable('runs')
        .set({
          state: 'Running',
          lease_owner: owner,
          lease_expires_at: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
          started_at: sql`coalesce(started_at, now())`,
          attempts: sql`attempts + 1`,
          version: sql`version + 1`,
        })
        .where('id', '=', id)
        .where((eb) => eb.or([
          eb('state', '=', 'Approved'),
          eb.and([eb('state', '=', 'Running'), eb.or([eb('lease_expires_at', '<', sql<Date>`now()`), eb('lease_owner', '=', owner), eb('lease_expires_at', 'is', null)])]),
        ]))
        .returningAll())
      .with('aud', (db) => db.insertInto('audit_log')
        .columns(['actor', 'entity', 'entity_id', 'from_state', 'to_state', 'detail'])
        .expression((eb) => eb.selectFrom('upd').select([
          sql<string | null>`null::uuid`.as('actor'), sql<string>`'run'`.as('entity'), sql<string>`upd.id::text`.as('entity_id'),
          sql<string>`case when upd.attempts > 1 then 'Running' else 'Approved' end`.as('from_state'), sql<string>`'Running'`.as('to_state'),
          sql<string>`jsonb_build_object('owner', ${owner}::text, 'attempt', upd.attempts)`.as('detail'),
        ]))
        .returning('id'))
      .selectFrom('upd').selectAll()
      .executeTakeFirst();
    return row ? toRun(row) : undefined;
  }

  async heartbeat(ids: string[], owner: string, leaseMs: number): Promise<void> {
    if (!ids.length) return;
    await this.db.updateTable('runs')
      .set({ lease_expires_at: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
      .where('id', 'in', ids).where('lease_owner', '=', owner).where('state', '=', 'Running')
      .execute();
  }

  async orphaned(staleApprovedMs: number, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('runs').select('id')
      .where((eb) => eb.or([
        eb.and([eb('state', '=', 'Running'), eb('lease_expires_at', '<', sql<Date>`now()`)]),
        eb.and([eb('state', '=', 'Approved'), eb('approved_at', '<', sql<Date>`now() - make_interval(secs => ${staleApprovedMs / 1000})`)]),
      ]))
      // Interrupted runs first, longest-waiting first: with little room, none waits behind newer ones.
      .orderBy(sql`case when state = 'Running' then 0 else 1 end`)
      .orderBy(sql`coalesce(lease_expires_at, approved_at)`)
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  async updateStep(runId: string, idx: number, patch: StepPatch, from?: readonly StepState[]): Promise<boolean> {
    let q = this.db.updateTable('run_steps').set({
      ...(patch.state !== undefined ? { state: patch.state } : {}),
      ...(patch.inputs !== undefined ? { inputs: j(patch.inputs) } : {}),
      ...(patch.outputs !== undefined ? { outputs: j(patch.outputs) } : {}),
      ...(patch.before !== undefined ? { before: j(patch.before) } : {}),
      ...(patch.skipped !== undefined ? { skipped: j(patch.skipped) } : {}),
      ...(patch.alreadyDone !== undefined ? { already_done: patch.alreadyDone } : {}),
      ...(patch.summary !== undefined ? { summary: patch.summary } : {}),
      ...(patch.error !== undefined ? { error: j(patch.error) } : {}),
      ...(patch.skipReason !== undefined ? { skip_reason: patch.skipReason } : {}),
      ...(patch.scratch !== undefined ? { scratch: patch.scratch } : {}),
      ...(patch.started ? { started_at: sql`now()` } : {}),
      ...(patch.finished ? { finished_at: sql`now()` } : {}),
      ...(patch.durationMs !== undefined ? { duration_ms: Math.round(patch.durationMs) } : {}),
      ...(patch.incrementAttempts ? { attempts: sql`attempts + 1` } : {}),
    }).where('run_id', '=', runId).where('idx', '=', idx);
    if (from) q = q.where('state', 'in', [...from]);
    if (patch.owner) {
      const owner = patch.owner;
      q = q.where((eb) => eb.exists(eb.selectFrom('runs').select('id').where('runs.id', '=', runId).where('runs.lease_owner', '=', owner)));
    }
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async undoRunOf(runId: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('runs').select('id').where('undo_of', '=', runId).where('state', '!=', 'Cancelled').executeTakeFirst();
    return r?.id;
  }

  async putSecrets(runId: string, secrets: Array<{ name: string; stepId: string; ciphertext: string }>): Promise<void> {
    if (!secrets.length) return;
    await this.db.insertInto('run_secrets')
      .values(secrets.map((s) => ({ run_id: runId, name: s.name, step_id: s.stepId, ciphertext: s.ciphertext })))
      .onConflict((oc) => oc.columns(['run_id', 'name']).doUpdateSet((eb) => ({ ciphertext: eb.ref('excluded.ciphertext') })))
      .execute();
  }
}
