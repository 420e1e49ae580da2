// Processing one user: re-check just before acting, plan the tasks as engine steps, then one engine
// run per user — created and approved by the lifecycle system actor, because a lifecycle run is
// approved by the workflow's activation, not card by card. The engine's run and step states are
// mapped back to Microsoft's processing statuses as they change.
import { EventEmitter } from 'node:events';
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../core/clock.ts';
import { toAppError } from '../core/errors.ts';
import { stableId } from '../core/ids.ts';
import type { Logger } from '../core/logger.ts';
import type { WorkflowDefinition } from '../engine/definition.ts';
import type { EngineEvent } from '../engine/events.ts';
import { createRun } from '../engine/planner.ts';
import type { EnginePorts } from '../engine/ports.ts';
import { isTerminalRun } from '../engine/run-state.ts';
import type { M365Connector } from '../m365/connector.ts';
import type { LifecycleRepo } from '../store/lifecycle-repo.ts';
import type { LifecycleResultsRepo, UserResultRecord } from '../store/lifecycle-results-repo.ts';
import type { Database } from '../store/schema.ts';
import { compileConditions } from './conditions.ts';
import { extensionConfig } from './custom-extension.ts';
import { fetchManager, fetchUser, selectFor, userGroupIds, type DirectoryUser } from './directory.ts';
import { isTerminalStatus, type ProcessingStatus, type WorkflowDefinitionPart } from './model.ts';
import { taskStatusOf, userStatusOf, type TaskOutcome } from './status.ts';
import { planTasks } from './task-plan.ts';

/** Engine runs of lifecycle workflows carry this workflow id prefix. */
export const LCW_ENGINE_PREFIX = 'lcw:';
/** The actor that creates and approves lifecycle engine runs (uuid-shaped, no account behind it). */
export const SYSTEM_ACTOR = stableId('tenantflow:system:lifecycle-workflows');

export interface ProcessorDeps {
  db: Kysely<Database>;
  repo: LifecycleRepo;
  results: LifecycleResultsRepo;
  ports: EnginePorts;
  connector: M365Connector;
  clock: Clock;
  log: Logger;
  concurrency: number;
}

/** A dispatching process holds a queued user this long before another may take it over. */
const CLAIM_MS = 120_000;

export class Processor {
  /** Emits 'change' whenever a user or task result may have changed, once the processor's own bookkeeping is done. */
  readonly changes = new EventEmitter();
  private readonly deps: ProcessorDeps;
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private active = 0;
  private readonly reconciling = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(deps: ProcessorDeps) {
    this.deps = deps;
    this.changes.setMaxListeners(0);
  }

  /** Dispatches the users (by user result id) in the background, a few at a time. */
  enqueue(ids: readonly string[]): void {
    for (const id of ids) {
      if (this.queued.has(id)) continue;
      this.queued.add(id);
      this.queue.push(id);
    }
    this.pump();
  }

  get busy(): boolean {
    return this.active > 0 || this.queue.length > 0 || this.reconciling.size > 0;
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  private pump(): void {
    while (!this.stopped && this.active < this.deps.concurrency && this.queue.length) {
      const id = this.queue.shift()!;
      this.active++;
      this.dispatch(id)
        .catch((e: unknown) => this.deps.log.error({ err: e, userResultId: id }, 'lifecycle dispatch failed'))
        .finally(() => {
          this.active--;
          this.queued.delete(id);
          this.changes.emit('change');
          this.pump();
        });
    }
  }

  private async cancel(ur: UserResultRecord, reason: string): Promise<void> {
    await this.deps.results.cancelUser(ur.id, reason, this.deps.clock.date());
  }

  /**
   * Dispatches one queued user. A transient failure (Microsoft 365 throttling or unavailable)
   * leaves the user queued: the claim lapses and a later tick tries again. Any other failure
   * ends the user as failed, with the reason on each task.
   */
  async dispatch(id: string): Promise<void> {
    const now = this.deps.clock.date();
    if (!(await this.deps.results.claimDispatch(id, now, new Date(now.getTime() + CLAIM_MS)))) return;
    const ur = (await this.deps.results.userResult(id))!;
    try {
      await this.dispatchClaimed(ur, now);
    } catch (e) {
      const err = toAppError(e);
      if (err.retryable) throw e;
      this.deps.log.warn({ err: e, userResultId: id }, 'lifecycle user could not be processed');
      await this.deps.results.failUser(ur.id, `The user could not be processed: ${err.message}`, this.deps.clock.date());
    }
  }

  private async dispatchClaimed(ur: UserResultRecord, now: Date): Promise<void> {
    const { repo, results } = this.deps;
    if (!this.deps.ports.contexts.tenant(ur.tenantId)) return this.cancel(ur, 'The tenant is no longer configured in Tenantflow.');
    const wf = await repo.workflowById(ur.workflowId);
    if (!wf || wf.deletedDateTime) return this.cancel(ur, 'The workflow was deleted before this user was processed.');
    if (!wf.isEnabled) return this.cancel(ur, 'The workflow was disabled before this user was processed.');
    if (ur.executionType === 'scheduled' && !wf.isSchedulingEnabled) return this.cancel(ur, 'Scheduling was turned off before this user was processed.');
    const version: WorkflowDefinitionPart | undefined = ur.workflowVersion === wf.version ? wf : await repo.version(wf.id, ur.workflowVersion);
    if (!version) return this.cancel(ur, `Version ${ur.workflowVersion} of the workflow no longer exists.`);
    const graph = this.deps.connector.graph(ur.tenantId);
    const conditions = compileConditions(version.executionConditions);
    const user = await fetchUser(graph, ur.userId, selectFor(conditions.properties));
    if (!user) return this.cancel(ur, 'The user no longer exists in the tenant.');
    if (ur.executionType === 'scheduled' && !(await this.stillDue(ur, user, conditions, now.getTime()))) {
      return this.cancel(ur, 'The user no longer meets the workflow\'s execution conditions.');
    }
    const manager = await fetchManager(graph, user.id);
    const taskResults = await results.taskResults({ tenantId: ur.tenantId, userResultId: ur.id });
    const taskResultIds = new Map(taskResults.map((t) => [t.taskId, t.id]));
    const tenant = this.deps.ports.contexts.tenant(ur.tenantId);
    const planned = await planTasks(version.tasks.filter((t) => taskResultIds.has(t.id)), {
      tenantDefaults: tenant?.defaults ?? {}, user, manager, taskResultIds, now: now.getTime(),
      lookupUser: async (uid) => {
        const u = await fetchUser(graph, uid, ['id', 'mail', 'userPrincipalName']);
        return u ? { id: u.id, mail: (u.mail as string | null) ?? null, userPrincipalName: (u.userPrincipalName as string | null) ?? null } : undefined;
      },
      extensionWaitSeconds: async (xid) => {
        const x = await repo.extension(ur.tenantId, xid);
        const ms = x ? extensionConfig(x).callbackTimeoutMs : undefined;
        return ms === undefined ? undefined : Math.ceil(ms / 1000);
      },
    });
    const steps = planned.flatMap((p) => p.steps);
    if (!steps.length) {
      await results.setUserStatus(ur.id, 'completed', { startedAt: now, completedAt: now });
      return;
    }
    const stepsByTask = new Map<string, number[]>();
    let idx = 0;
    for (const p of planned) stepsByTask.set(taskResultIds.get(p.task.id)!, p.steps.map(() => idx++));
    const upn = String(user.userPrincipalName ?? user.id);
    const engineWorkflowId = `${LCW_ENGINE_PREFIX}${wf.id}`;
    const definition: WorkflowDefinition = {
      name: `${wf.displayName}: ${String(user.displayName ?? upn)}`,
      description: `Lifecycle workflow ${wf.displayName} (version ${ur.workflowVersion}, ${wf.category}) for ${upn}.`,
      category: 'lifecycle', parameters: [], steps, outputs: {},
    };
    // A dispatcher that died after creating the engine run left it behind: use it, never a second one.
    let engineRunId = await this.engineRunFor(engineWorkflowId, ur.id);
    if (!engineRunId) {
      const created = await createRun(this.deps.ports, {
        tenantId: ur.tenantId, workflowId: engineWorkflowId, params: {}, actor: SYSTEM_ACTOR,
        context: { subjectUser: upn.toLowerCase(), lifecycleUserResultId: ur.id, lifecycleWorkflowId: wf.id, lifecycleRunId: ur.runId },
        definition: { definition, version: ur.workflowVersion, workflowId: engineWorkflowId },
      });
      engineRunId = created.id;
    }
    await results.setEngineRun(ur.id, engineRunId, stepsByTask);
    const run = await this.deps.ports.runs.getRun(engineRunId);
    if (run?.state === 'Pending') await this.deps.ports.runs.approve(engineRunId, SYSTEM_ACTOR);
    await this.reconcile(engineRunId);
  }

  private async engineRunFor(engineWorkflowId: string, userResultId: string): Promise<string | undefined> {
    const r = await this.deps.db.selectFrom('runs').select('id').where('workflow_id', '=', engineWorkflowId)
      .where(sql<string>`context->>'lifecycleUserResultId'`, '=', userResultId).executeTakeFirst();
    return r?.id;
  }

  /** The re-check just before processing: the same trigger still holds and the user is still in scope. */
  private async stillDue(ur: UserResultRecord, user: DirectoryUser, c: ReturnType<typeof compileConditions>, now: number): Promise<boolean> {
    if (c.rule && !c.rule.test(user)) return false;
    const t = c.trigger;
    if (!t) return false;
    switch (t.kind) {
      case 'timeBased': {
        const v = user[t.attribute];
        const fireAt = typeof v === 'string' ? Date.parse(v) + t.offsetMs : NaN;
        return Number.isFinite(fireAt) && fireAt <= now && fireAt === Date.parse(ur.triggerKey);
      }
      case 'attributeChange':
        return true;
      case 'membershipChange': {
        const groupId = /^membershipChange:(.+)@\d+$/.exec(ur.triggerKey)?.[1];
        if (!groupId) return false;
        const member = (await userGroupIds(this.deps.connector.graph(ur.tenantId), user.id)).includes(groupId);
        return t.changeType === 'add' ? member : !member;
      }
    }
  }

  onEngineEvent(e: EngineEvent): void {
    if (e.workflowId.startsWith(LCW_ENGINE_PREFIX)) void this.reconcile(e.runId).catch((err: unknown) => this.deps.log.error({ err, runId: e.runId }, 'lifecycle reconcile failed'));
  }

  /** Brings the user's and tasks' statuses in line with the engine run; one at a time per run. */
  reconcile(engineRunId: string): Promise<void> {
    const prev = this.reconciling.get(engineRunId) ?? Promise.resolve();
    const next = prev.then(() => this.reconcileNow(engineRunId));
    const tracked = next.finally(() => {
      if (this.reconciling.get(engineRunId) === tracked) this.reconciling.delete(engineRunId);
      // Announced once the bookkeeping is done, so a listener sees this processor idle.
      this.changes.emit('change');
    });
    this.reconciling.set(engineRunId, tracked);
    return tracked;
  }

  private async reconcileNow(engineRunId: string): Promise<void> {
    const { results, ports, clock } = this.deps;
    const ur = await results.userResultByEngineRun(engineRunId);
    if (!ur || isTerminalStatus(ur.status)) return;
    const run = await ports.runs.getRun(engineRunId);
    if (!run) return;
    const steps = await ports.runs.getSteps(engineRunId);
    const tasks = await results.taskResults({ tenantId: ur.tenantId, userResultId: ur.id });
    const now = clock.date();
    const runOver = isTerminalRun(run.state);
    const outcomes: TaskOutcome[] = [];
    for (const t of tasks) {
      const mine = t.stepIdxs.map((i) => steps[i]).filter((s) => s !== undefined);
      let status: ProcessingStatus = taskStatusOf(mine.map((s) => s.state));
      // A run that ended without reaching a task (its tenant was removed, for one) leaves it canceled.
      if (runOver && !isTerminalStatus(status)) status = 'canceled';
      const failed = mine.find((s) => s.state === 'Failed');
      const failureReason = failed?.error ? failed.error.message : null;
      const info = mine.map((s) => s.summary ?? s.skipReason).filter(Boolean).join(' ') || null;
      // A task never goes back to queued: a reconcile that read the steps before one started must
      // not undo the inProgress a custom task extension set before calling out.
      if (status !== 'queued' && (status !== t.status || failureReason !== t.failureReason || info !== t.processingInfo)) {
        await results.setTaskStatus(t.id, status, {
          failureReason, processingInfo: info, startedAt: now,
          ...(isTerminalStatus(status) ? { completedAt: now } : {}),
        });
      }
      outcomes.push({ status, continueOnError: t.continueOnError });
    }
    let status = userStatusOf(run.state, outcomes);
    if (runOver && run.state === 'Failed' && !outcomes.some((o) => o.status === 'failed')) status = 'failed';
    if (status !== ur.status) {
      await results.setUserStatus(ur.id, status, {
        ...(status !== 'queued' ? { startedAt: now } : {}),
        ...(isTerminalStatus(status) ? { completedAt: now } : {}),
      });
    }
  }
}
