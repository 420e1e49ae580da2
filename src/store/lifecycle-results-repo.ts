// Lifecycle runs and processing results: one row per user per run, one per task per user. Run and
// task-report figures are aggregates of these rows, computed when read, so they cannot drift from
// the results they count.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ExecutionType, ProcessingStatus, Subject, Task } from '../lifecycle/model.ts';
import type { Database, LcwTaskResultsTable, LcwUserResultsTable } from './schema.ts';
import { isUuid } from '../core/ids.ts';

const j = (v: unknown) => JSON.stringify(v ?? null);

export interface RunRecord {
  id: string;
  tenantId: string;
  workflowId: string;
  workflowVersion: number;
  executionType: ExecutionType;
  scheduledAt: Date;
  activatedOnScope: Record<string, unknown> | null;
  /** When cancelProcessing froze the run. */
  canceledAt?: Date | null;
}

export interface UserResultRecord {
  id: string;
  tenantId: string;
  runId: string;
  workflowId: string;
  workflowVersion: number;
  userId: string;
  subject: Subject;
  triggerKey: string;
  executionType: ExecutionType;
  status: ProcessingStatus;
  scheduledAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  engineRunId: string | null;
}

export interface TaskResultRecord {
  id: string;
  tenantId: string;
  userResultId: string;
  runId: string;
  workflowId: string;
  taskId: string;
  taskDefinitionId: string;
  executionSequence: number;
  continueOnError: boolean;
  task: Task;
  subject: Subject;
  status: ProcessingStatus;
  failureReason: string | null;
  processingInfo: string | null;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  stepIdxs: number[];
  resumeStatus: string | null;
}

export interface NewUserProcessing {
  user: Omit<UserResultRecord, 'startedAt' | 'completedAt' | 'engineRunId' | 'status'>;
  tasks: Array<Omit<TaskResultRecord, 'startedAt' | 'completedAt' | 'stepIdxs' | 'resumeStatus' | 'status' | 'failureReason' | 'processingInfo'>>;
}

/** Counts by status of the results under one key (a run, or a run and task). */
export interface StatusCounts {
  key: string;
  counts: Partial<Record<ProcessingStatus, number>>;
  startedAt: Date | null;
  completedAt: Date | null;
  lastUpdatedAt: Date | null;
}

function toUser(r: Selectable<LcwUserResultsTable>): UserResultRecord {
  return {
    id: r.id, tenantId: r.tenant_id, runId: r.run_id, workflowId: r.workflow_id, workflowVersion: r.workflow_version, userId: r.user_id,
    subject: r.subject as unknown as Subject, triggerKey: r.trigger_key, executionType: r.execution_type as ExecutionType,
    status: r.status as ProcessingStatus, scheduledAt: r.scheduled_at, startedAt: r.started_at, completedAt: r.completed_at, engineRunId: r.engine_run_id,
  };
}

function toTask(r: Selectable<LcwTaskResultsTable>): TaskResultRecord {
  return {
    id: r.id, tenantId: r.tenant_id, userResultId: r.user_result_id, runId: r.run_id, workflowId: r.workflow_id, taskId: r.task_id,
    taskDefinitionId: r.task_definition_id, executionSequence: r.execution_sequence, continueOnError: r.continue_on_error,
    task: r.task as unknown as Task, subject: r.subject as unknown as Subject, status: r.status as ProcessingStatus,
    failureReason: r.failure_reason, processingInfo: r.processing_info, createdAt: r.created_at, startedAt: r.started_at,
    completedAt: r.completed_at, stepIdxs: r.step_idxs, resumeStatus: r.resume_status,
  };
}

export class LifecycleResultsRepo {
  private readonly db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  /**
   * Schedules users for one run, in one transaction. A user already processed for the same
   * workflow version and trigger is skipped by the unique key; a run nobody is left in is not kept.
   */
  async createRun(run: RunRecord, users: NewUserProcessing[]): Promise<UserResultRecord[]> {
    return this.db.transaction().execute(async (trx) => {
      await trx.insertInto('lcw_runs').values({
        id: run.id, tenant_id: run.tenantId, workflow_id: run.workflowId, workflow_version: run.workflowVersion,
        execution_type: run.executionType, scheduled_at: run.scheduledAt, activated_on_scope: run.activatedOnScope ? j(run.activatedOnScope) : null,
      }).execute();
      const inserted: UserResultRecord[] = [];
      for (const { user: u, tasks } of users) {
        const row = await trx.insertInto('lcw_user_results').values({
          id: u.id, tenant_id: u.tenantId, run_id: u.runId, workflow_id: u.workflowId, workflow_version: u.workflowVersion, user_id: u.userId,
          subject: j(u.subject), trigger_key: u.triggerKey, execution_type: u.executionType, status: 'queued', scheduled_at: u.scheduledAt,
        }).onConflict((oc) => oc.columns(['workflow_id', 'workflow_version', 'user_id', 'trigger_key']).doNothing()).returningAll().executeTakeFirst();
        if (!row) continue;
        inserted.push(toUser(row));
        if (tasks.length) {
          await trx.insertInto('lcw_task_results').values(tasks.map((t) => ({
            id: t.id, tenant_id: t.tenantId, user_result_id: t.userResultId, run_id: t.runId, workflow_id: t.workflowId, task_id: t.taskId,
            task_definition_id: t.taskDefinitionId, execution_sequence: t.executionSequence, continue_on_error: t.continueOnError,
            task: j(t.task), subject: j(t.subject), status: 'queued', created_at: t.createdAt,
          }))).execute();
        }
      }
      if (!inserted.length) await trx.deleteFrom('lcw_runs').where('id', '=', run.id).execute();
      return inserted;
    });
  }

  /** Of these due users, the ones already scheduled for the workflow version under the same trigger key. */
  async alreadyScheduled(workflowId: string, version: number, due: ReadonlyArray<{ userId: string; triggerKey: string }>): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < due.length; i += 5000) {
      const ids = [...new Set(due.slice(i, i + 5000).map((d) => d.userId))];
      const rows = await this.db.selectFrom('lcw_user_results').select(['user_id', 'trigger_key'])
        .where('workflow_id', '=', workflowId).where('workflow_version', '=', version).where('user_id', 'in', ids).execute();
      for (const r of rows) out.add(`${r.user_id}\n${r.trigger_key}`);
    }
    return out;
  }

  async run(workflowId: string, id: string): Promise<RunRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const r = await this.db.selectFrom('lcw_runs').selectAll().where('workflow_id', '=', workflowId).where('id', '=', id).executeTakeFirst();
    return r ? { id: r.id, tenantId: r.tenant_id, workflowId: r.workflow_id, workflowVersion: r.workflow_version, executionType: r.execution_type as ExecutionType, scheduledAt: r.scheduled_at, activatedOnScope: r.activated_on_scope, canceledAt: r.canceled_at ?? null } : undefined;
  }

  async runs(filter: { tenantId: string; workflowId?: string; from?: Date; to?: Date }): Promise<RunRecord[]> {
    if (filter.workflowId && !isUuid(filter.workflowId)) return [];
    let q = this.db.selectFrom('lcw_runs').selectAll().where('tenant_id', '=', filter.tenantId);
    if (filter.workflowId) q = q.where('workflow_id', '=', filter.workflowId);
    if (filter.from) q = q.where('scheduled_at', '>=', filter.from);
    if (filter.to) q = q.where('scheduled_at', '<=', filter.to);
    const rows = await q.orderBy('scheduled_at', 'desc').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, workflowId: r.workflow_id, workflowVersion: r.workflow_version, executionType: r.execution_type as ExecutionType, scheduledAt: r.scheduled_at, activatedOnScope: r.activated_on_scope, canceledAt: r.canceled_at ?? null }));
  }

  // --- user processing results -----------------------------------------------------------------

  async userResult(id: string): Promise<UserResultRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const r = await this.db.selectFrom('lcw_user_results').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toUser(r) : undefined;
  }

  async userResults(filter: { tenantId: string; workflowId?: string; runId?: string; from?: Date; to?: Date }): Promise<UserResultRecord[]> {
    if ((filter.workflowId && !isUuid(filter.workflowId)) || (filter.runId && !isUuid(filter.runId))) return [];
    let q = this.db.selectFrom('lcw_user_results').selectAll().where('tenant_id', '=', filter.tenantId);
    if (filter.workflowId) q = q.where('workflow_id', '=', filter.workflowId);
    if (filter.runId) q = q.where('run_id', '=', filter.runId);
    if (filter.from) q = q.where('scheduled_at', '>=', filter.from);
    if (filter.to) q = q.where('scheduled_at', '<=', filter.to);
    return (await q.orderBy('scheduled_at', 'desc').orderBy('id').execute()).map(toUser);
  }

  async userResultByEngineRun(engineRunId: string): Promise<UserResultRecord | undefined> {
    if (!isUuid(engineRunId)) return undefined;
    const r = await this.db.selectFrom('lcw_user_results').selectAll().where('engine_run_id', '=', engineRunId).executeTakeFirst();
    return r ? toUser(r) : undefined;
  }

  /** Takes a queued user for dispatch until `until`, unless another process holds it or it is dispatched. */
  async claimDispatch(id: string, now: Date, until: Date): Promise<boolean> {
    const res = await this.db.updateTable('lcw_user_results').set({ claimed_until: until })
      .where('id', '=', id).where('status', '=', 'queued').where('engine_run_id', 'is', null)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Queued users with no engine run whose dispatcher is gone (or that nobody took yet). */
  async undispatched(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('lcw_user_results').select('id')
      .where('status', '=', 'queued').where('engine_run_id', 'is', null)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('scheduled_at').limit(limit).execute();
    return rows.map((r) => r.id);
  }

  /** Users whose engine run may have moved on without this process seeing its events. */
  async openWithEngineRun(limit: number): Promise<UserResultRecord[]> {
    const rows = await this.db.selectFrom('lcw_user_results').selectAll()
      .where('status', 'in', ['queued', 'inProgress']).where('engine_run_id', 'is not', null).limit(limit).execute();
    return rows.map(toUser);
  }

  async setEngineRun(userResultId: string, engineRunId: string, steps: Map<string, number[]>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('lcw_user_results').set({ engine_run_id: engineRunId, claimed_until: null }).where('id', '=', userResultId).execute();
      for (const [taskResultId, idxs] of steps) {
        await trx.updateTable('lcw_task_results').set({ step_idxs: idxs }).where('id', '=', taskResultId).execute();
      }
    });
  }

  async setUserStatus(id: string, status: ProcessingStatus, times: { startedAt?: Date; completedAt?: Date }): Promise<void> {
    await this.db.updateTable('lcw_user_results').set({
      status,
      ...(times.startedAt ? { started_at: sql<Date>`coalesce(started_at, ${times.startedAt}::timestamptz)` } : {}),
      ...(times.completedAt ? { completed_at: sql<Date>`coalesce(completed_at, ${times.completedAt}::timestamptz)` } : {}),
    }).where('id', '=', id).execute();
  }

  async setTaskStatus(id: string, status: ProcessingStatus, patch: { failureReason?: string | null; processingInfo?: string | null; startedAt?: Date; completedAt?: Date }): Promise<void> {
    await this.db.updateTable('lcw_task_results').set({
      status,
      ...(patch.failureReason !== undefined ? { failure_reason: patch.failureReason } : {}),
      ...(patch.processingInfo !== undefined ? { processing_info: patch.processingInfo } : {}),
      ...(patch.startedAt ? { started_at: sql<Date>`coalesce(started_at, ${patch.startedAt}::timestamptz)` } : {}),
      ...(patch.completedAt ? { completed_at: sql<Date>`coalesce(completed_at, ${patch.completedAt}::timestamptz)` } : {}),
    }).where('id', '=', id).execute();
  }

  /** A queued task that starts now (a custom task extension about to call out): inProgress, so its callback is accepted. */
  async markTaskInProgress(id: string, now: Date): Promise<void> {
    await this.db.updateTable('lcw_task_results').set({ status: 'inProgress', started_at: sql<Date>`coalesce(started_at, ${now}::timestamptz)` })
      .where('id', '=', id).where('status', '=', 'queued').execute();
  }

  /** A user dropped before processing: the user and every task not yet finished become canceled. */
  async cancelUser(id: string, reason: string, now: Date): Promise<void> {
    await this.endUser(id, 'canceled', { processingInfo: reason }, now);
  }

  /** A user who could not be processed at all (the tenant refused to show the user, say): every task fails with the reason. */
  async failUser(id: string, reason: string, now: Date): Promise<void> {
    await this.endUser(id, 'failed', { failureReason: reason }, now);
  }

  private async endUser(id: string, status: 'canceled' | 'failed', why: { processingInfo?: string; failureReason?: string }, now: Date): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('lcw_user_results').set({ status, completed_at: now, claimed_until: null }).where('id', '=', id).execute();
      await trx.updateTable('lcw_task_results').set({
        status, completed_at: now,
        ...(why.processingInfo !== undefined ? { processing_info: why.processingInfo } : {}),
        ...(why.failureReason !== undefined ? { failure_reason: why.failureReason } : {}),
      }).where('user_result_id', '=', id).where('status', 'in', ['queued', 'inProgress']).execute();
    });
  }

  // --- task processing results -----------------------------------------------------------------

  async taskResult(id: string): Promise<TaskResultRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const r = await this.db.selectFrom('lcw_task_results').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toTask(r) : undefined;
  }

  async taskResults(filter: { tenantId: string; workflowId?: string; taskId?: string; runId?: string; userResultId?: string }): Promise<TaskResultRecord[]> {
    if ([filter.workflowId, filter.taskId, filter.runId, filter.userResultId].some((v) => v !== undefined && !isUuid(v))) return [];
    let q = this.db.selectFrom('lcw_task_results').selectAll().where('tenant_id', '=', filter.tenantId);
    if (filter.workflowId) q = q.where('workflow_id', '=', filter.workflowId);
    if (filter.taskId) q = q.where('task_id', '=', filter.taskId);
    if (filter.runId) q = q.where('run_id', '=', filter.runId);
    if (filter.userResultId) q = q.where('user_result_id', '=', filter.userResultId);
    return (await q.orderBy('created_at', 'desc').orderBy('execution_sequence').orderBy('id').execute()).map(toTask);
  }

  /** Records a custom task extension's callback, only while the task is in progress. */
  async resume(id: string, status: 'completed' | 'failed', now: Date): Promise<boolean> {
    if (!isUuid(id)) return false;
    const res = await this.db.updateTable('lcw_task_results').set({ resume_status: status, resumed_at: now })
      .where('id', '=', id).where('status', '=', 'inProgress').where('resume_status', 'is', null).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  // --- aggregates ------------------------------------------------------------------------------

  /** User results counted by status per run. */
  async userCountsByRun(tenantId: string, runIds: string[]): Promise<Map<string, StatusCounts>> {
    if (!runIds.length) return new Map();
    const rows = await this.db.selectFrom('lcw_user_results')
      .select(['run_id as key', 'status', sql<number>`count(*)::int`.as('n'), sql<Date | null>`min(started_at)`.as('started'),
        sql<Date | null>`max(completed_at)`.as('completed'), sql<Date | null>`max(coalesce(completed_at, started_at, scheduled_at))`.as('updated')])
      .where('tenant_id', '=', tenantId).where('run_id', 'in', runIds).groupBy(['run_id', 'status']).execute();
    return fold(rows);
  }

  /**
   * Task results counted by status: per run (key runId), per run and task (key runId:taskId, with
   * the task's definition id and snapshot), or per user result (key userResultId).
   */
  async taskCounts(tenantId: string, by: 'run' | 'runTask' | 'user', ids: string[]): Promise<Map<string, StatusCounts & { taskDefinitionId?: string; task?: Task }>> {
    if (!ids.length) return new Map();
    const key = by === 'runTask' ? sql<string>`run_id::text || ':' || task_id::text` : by === 'run' ? sql<string>`run_id::text` : sql<string>`user_result_id::text`;
    const rows = await this.db.selectFrom('lcw_task_results')
      .select([key.as('key'), 'status', sql<number>`count(*)::int`.as('n'), sql<Date | null>`min(started_at)`.as('started'),
        sql<Date | null>`max(completed_at)`.as('completed'), sql<Date | null>`max(coalesce(completed_at, started_at, created_at))`.as('updated'),
        sql<string>`min(task_definition_id)`.as('definition'), sql<Task>`(array_agg(task))[1]`.as('task')])
      .where('tenant_id', '=', tenantId).where(by === 'user' ? 'user_result_id' : 'run_id', 'in', ids).groupBy([key, 'status']).execute();
    const out = fold(rows) as Map<string, StatusCounts & { taskDefinitionId?: string; task?: Task }>;
    if (by === 'runTask') {
      for (const r of rows) {
        const c = out.get(r.key)!;
        c.taskDefinitionId = r.definition;
        c.task = r.task;
      }
    }
    return out;
  }
}

function fold(rows: Array<{ key: string; status: string; n: number; started: Date | null; completed: Date | null; updated: Date | null }>): Map<string, StatusCounts> {
  const out = new Map<string, StatusCounts>();
  const min = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a < b ? a : b);
  const max = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a > b ? a : b);
  for (const r of rows) {
    let c = out.get(r.key);
    if (!c) out.set(r.key, (c = { key: r.key, counts: {}, startedAt: null, completedAt: null, lastUpdatedAt: null }));
    c.counts[r.status as ProcessingStatus] = (c.counts[r.status as ProcessingStatus] ?? 0) + Number(r.n);
    c.startedAt = min(c.startedAt, r.started ? new Date(r.started) : null);
    c.completedAt = max(c.completedAt, r.completed ? new Date(r.completed) : null);
    c.lastUpdatedAt = max(c.lastUpdatedAt, r.updated ? new Date(r.updated) : null);
  }
  return out;
}
