// The runs aggregate: runs, their steps, secrets and audit rows. Every state change is a
// compare-and-set UPDATE plus an audit row, atomically: one statement with data-modifying CTEs
// where it can be (one round trip), a transaction where the job queue must join in.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { FinalWrite, RunRepository, RunPatch, StepPatch, StepWrite } from '../engine/ports.ts';
import type { RunState } from '../engine/run-state.ts';
import { canTransitionRun } from '../engine/run-state.ts';
import type { StepState } from '../engine/step-state.ts';
import type { NewRun, NewStep, RunRecord, StepRecord } from '../engine/types.ts';
import type { WorkflowDefinition } from '../engine/definition.ts';
import { GroupCommit } from './group-commit.ts';
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

/** A run_steps row as json_agg gives it: timestamps arrive as text. */
type StepJson = Omit<Selectable<RunStepsTable>, 'started_at' | 'finished_at'> & { started_at: string | null; finished_at: string | null };

function stepFromJson(s: StepJson): StepRecord {
  return toStep({ ...s, started_at: s.started_at ? new Date(s.started_at) : null, finished_at: s.finished_at ? new Date(s.finished_at) : null });
}

interface CheckpointRequest {
  runId: string;
  owner: string;
  steps: StepWrite[];
  final: FinalWrite | undefined;
  /** The rows as JSON objects, without their place in the batch. */
  stepRows: string[];
  finalRow: string | undefined;
}

interface ClaimRequest {
  id: string;
  owner: string;
  leaseMs: number;
}

interface CheckpointResult {
  steps: boolean[];
  final: boolean;
}

/** Ids as one PostgreSQL array literal (a uuid holds no character that needs quoting). */
function uuidArray(ids: string[]): string {
  for (const id of ids) if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Error(`Not a run id: ${id}`);
  return `{${[...new Set(ids)].join(',')}}`;
}

/** A step write as a row of the batch: the columns it sets are named in `keys`. */
function stepRow(runId: string, owner: string, w: StepWrite): Record<string, unknown> {
  const p = w.patch;
  const row: Record<string, unknown> = { run_id: runId, idx: w.idx, owner, from: w.from, started: !!p.started, finished: !!p.finished, inc: !!p.incrementAttempts };
  const keys: string[] = [];
  const set = (key: string, value: unknown) => {
    if (value === undefined) return;
    keys.push(key);
    row[key] = value;
  };
  set('state', p.state);
  set('inputs', p.inputs);
  set('outputs', p.outputs);
  set('before', p.before);
  set('skipped', p.skipped);
  set('already_done', p.alreadyDone);
  set('summary', p.summary);
  set('error', p.error);
  set('skip_reason', p.skipReason);
  set('scratch', p.scratch);
  set('duration_ms', p.durationMs === undefined ? undefined : Math.round(p.durationMs));
  row.keys = keys;
  return row;
}

function finalFields(p: RunPatch): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  const keys: string[] = [];
  if (p.outputs !== undefined) { keys.push('outputs'); row.outputs = p.outputs; }
  if (p.error !== undefined) { keys.push('error'); row.error = p.error; }
  if (p.reversible !== undefined) { keys.push('reversible'); row.reversible = p.reversible; }
  return { ...row, keys };
}

export class RunsRepo implements RunRepository {
  private readonly db: Kysely<Database>;
  private readonly enqueue: Enqueue;
  private readonly checkpoints: GroupCommit<CheckpointRequest, CheckpointResult>;
  private readonly claims: GroupCommit<ClaimRequest, { run: RunRecord; steps: StepRecord[] } | undefined>;
  constructor(db: Kysely<Database>, enqueue: Enqueue, opts: { maxInFlight?: number } = {}) {
    this.db = db;
    this.enqueue = enqueue;
    // Concurrent runs' checkpoints share statements (and commits); two writes to one step or one
    // run's end never share one.
    this.checkpoints = new GroupCommit((reqs) => this.writeCheckpoints(reqs), {
      ...(opts.maxInFlight !== undefined ? { maxInFlight: opts.maxInFlight } : {}),
      keysOf: (r: CheckpointRequest) => [...r.steps.map((w) => `${r.runId}:${w.idx}`), ...(r.final ? [r.runId] : [])],
    });
    this.claims = new GroupCommit((reqs) => this.writeClaims(reqs), {
      ...(opts.maxInFlight !== undefined ? { maxInFlight: opts.maxInFlight } : {}),
      keysOf: (r: ClaimRequest) => [r.id],
    });
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

  claim(id: string, owner: string, leaseMs: number): Promise<{ run: RunRecord; steps: StepRecord[] } | undefined> {
    return this.claims.submit({ id, owner, leaseMs });
  }

  /**
   * Takes (or renews) the leases of many runs in one statement, with their audit rows, and reads
   * back each run claimed with its steps: Approved → Running, or Running whose lease expired or is
   * already the caller's.
   */
  private async writeClaims(reqs: ClaimRequest[]): Promise<Array<{ run: RunRecord; steps: StepRecord[] } | undefined>> {
    const ids = uuidArray(reqs.map((r) => r.id));
    const { rows } = await sql<Selectable<RunsTable> & { k: number; steps_json: StepJson[] }>`
      with c as (
        select * from jsonb_to_recordset(${JSON.stringify(reqs.map((r, k) => ({ k, id: r.id, owner: r.owner, lease_ms: r.leaseMs })))}::jsonb)
          as x(k int, id uuid, owner text, lease_ms int)
      ),
      upd as (
        update runs r set
          state = 'Running',
          lease_owner = c.owner,
          lease_expires_at = now() + make_interval(secs => c.lease_ms / 1000.0),
          started_at = coalesce(r.started_at, now()),
          attempts = r.attempts + 1,
          version = r.version + 1
        from c
        where r.id = any(${ids}::uuid[]) and r.id = c.id and (r.state = 'Approved' or (r.state = 'Running' and (r.lease_expires_at < now() or r.lease_owner = c.owner or r.lease_expires_at is null)))
        returning c.k, r.*
      ),
      aud as (
        insert into audit_log (actor, entity, entity_id, from_state, to_state, detail)
        select null, 'run', upd.id::text, case when upd.attempts > 1 then 'Running' else 'Approved' end, 'Running',
          jsonb_build_object('owner', upd.lease_owner, 'attempt', upd.attempts)
        from upd
        returning 1
      )
      select upd.*, (select coalesce(json_agg(s order by s.idx), '[]'::json) from run_steps s where s.run_id = upd.id) as steps_json
      from upd`.execute(this.db);
    const byK = new Map(rows.map((row) => {
      const { k, steps_json: stepsJson, ...run } = row;
      return [Number(k), { run: toRun(run), steps: stepsJson.map(stepFromJson) }] as const;
    }));
    return reqs.map((_, k) => byK.get(k));
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

  checkpoint(runId: string, owner: string, steps: StepWrite[], final?: FinalWrite): Promise<{ steps: boolean[]; final: boolean }> {
    if (final && !canTransitionRun('Running', final.to)) throw new Error(`A run cannot go from Running to ${final.to}.`);
    // Serialised here, so a value JSON cannot hold fails its own caller and no other.
    const stepRows = steps.map((w) => JSON.stringify(stepRow(runId, owner, w)));
    const finalRow = final ? JSON.stringify({ run_id: runId, owner, to: final.to, ...finalFields(final.patch) }) : undefined;
    return this.checkpoints.submit({ runId, owner, steps, final, stepRows, finalRow });
  }

  /**
   * Many runs' checkpoints in one statement. Every write is a compare-and-set guarded by its
   * worker's lease; all see one snapshot, so a worker that lost a lease changes nothing of that run.
   */
  private async writeCheckpoints(reqs: CheckpointRequest[]): Promise<CheckpointResult[]> {
    // Each row carries k, its place in the batch (step rows numbered across all requests).
    const stepRows: string[] = [];
    const finalRows: string[] = [];
    const firstRow: number[] = [];
    reqs.forEach((r, k) => {
      firstRow.push(stepRows.length);
      for (const row of r.stepRows) stepRows.push(`{"k":${stepRows.length},${row.slice(1)}`);
      if (r.finalRow) finalRows.push(`{"k":${k},${r.finalRow.slice(1)}`);
    });
    // The explicit id list lets the planner reach the rows by primary key: it cannot see inside the
    // JSON, guesses 100 rows and would otherwise scan whole tables.
    const ids = uuidArray(reqs.map((r) => r.runId));
    const { rows } = await sql<{ steps: number[]; finals: number[] }>`
      with v as (
        select * from jsonb_to_recordset(${`[${stepRows.join(',')}]`}::jsonb) as x(
          k int, run_id uuid, idx int, owner text, "from" text[], keys text[], state text, inputs jsonb, outputs jsonb,
          before jsonb, skipped jsonb, already_done boolean, summary text, error jsonb, skip_reason text, scratch text,
          started boolean, finished boolean, duration_ms int, inc boolean)
      ),
      s as (
        update run_steps t set
          state = case when 'state' = any(v.keys) then v.state else t.state end,
          inputs = case when 'inputs' = any(v.keys) then v.inputs else t.inputs end,
          outputs = case when 'outputs' = any(v.keys) then v.outputs else t.outputs end,
          before = case when 'before' = any(v.keys) then v.before else t.before end,
          skipped = case when 'skipped' = any(v.keys) then coalesce(v.skipped, '[]'::jsonb) else t.skipped end,
          already_done = case when 'already_done' = any(v.keys) then v.already_done else t.already_done end,
          summary = case when 'summary' = any(v.keys) then v.summary else t.summary end,
          error = case when 'error' = any(v.keys) then v.error else t.error end,
          skip_reason = case when 'skip_reason' = any(v.keys) then v.skip_reason else t.skip_reason end,
          scratch = case when 'scratch' = any(v.keys) then v.scratch else t.scratch end,
          duration_ms = case when 'duration_ms' = any(v.keys) then v.duration_ms else t.duration_ms end,
          started_at = case when v.started then now() else t.started_at end,
          finished_at = case when v.finished then now() else t.finished_at end,
          attempts = t.attempts + case when v.inc then 1 else 0 end
        from v
        where t.run_id = any(${ids}::uuid[]) and t.run_id = v.run_id and t.idx = v.idx and t.state = any(v."from")
          and exists (select 1 from runs r where r.id = v.run_id and r.lease_owner = v.owner)
        returning v.k
      ),
      f as (
        select * from jsonb_to_recordset(${`[${finalRows.join(',')}]`}::jsonb) as y(
          k int, run_id uuid, owner text, "to" text, keys text[], outputs jsonb, error jsonb, reversible boolean)
      ),
      fin as (
        update runs r set
          state = f."to",
          version = r.version + 1,
          outputs = case when 'outputs' = any(f.keys) then f.outputs else r.outputs end,
          error = case when 'error' = any(f.keys) then f.error else r.error end,
          reversible = case when 'reversible' = any(f.keys) then f.reversible else r.reversible end,
          lease_owner = null,
          lease_expires_at = null,
          finished_at = now()
        from f
        where r.id = any(${ids}::uuid[]) and r.id = f.run_id and r.state = 'Running' and r.lease_owner = f.owner
        returning f.k, r.id, f."to"
      ),
      aud as (
        insert into audit_log (actor, entity, entity_id, from_state, to_state, detail)
        select null, 'run', fin.id::text, 'Running', fin."to", '{}'::jsonb from fin
        returning 1
      )
      select (select coalesce(array_agg(k), '{}') from s) as steps, (select coalesce(array_agg(k), '{}') from fin) as finals`.execute(this.db);
    const stepsDone = new Set(rows[0]!.steps.map(Number));
    const finalsDone = new Set(rows[0]!.finals.map(Number));
    return reqs.map((r, k) => ({ steps: r.steps.map((_, i) => stepsDone.has(firstRow[k]! + i)), final: finalsDone.has(k) }));
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
