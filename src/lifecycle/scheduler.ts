// The tenant-wide schedule. Each tick (a timer, or a test calling tick() after moving its clock)
// runs the pass of every tenant whose interval (workflowScheduleIntervalInHours) has elapsed — one
// process per pass, by a compare-and-set on the tenant's next pass time. A pass evaluates only the
// enabled, scheduled workflows, schedules the due users (once per workflow version and trigger,
// by the database's unique key) and hands them to the processor.
import type { Clock } from '../core/clock.ts';
import { newId } from '../core/ids.ts';
import type { Logger } from '../core/logger.ts';
import type { M365Connector } from '../m365/connector.ts';
import type { TenantRegistry } from '../m365/tenant-registry.ts';
import type { LifecycleRepo } from '../store/lifecycle-repo.ts';
import type { LifecycleResultsRepo, NewUserProcessing } from '../store/lifecycle-results-repo.ts';
import { fetchDirectory, groupMemberIds, passSelect, type DirectoryUser } from './directory.ts';
import { attributeSnapshot, compileWorkflow, evaluatePass, type AttributeSnapshot, type CompiledWorkflow, type GroupState } from './evaluate.ts';
import { LIMITS, T, type ExecutionType, type Subject, type Workflow } from './model.ts';
import type { Processor } from './processor.ts';

export interface PassReport {
  tenantId: string;
  workflows: number;
  usersEvaluated: number;
  /** Users newly scheduled, per workflow id. */
  scheduled: Record<string, number>;
  fetchMs: number;
  evaluateMs: number;
}

export interface SchedulerDeps {
  repo: LifecycleRepo;
  results: LifecycleResultsRepo;
  processor: Processor;
  connector: M365Connector;
  registry: TenantRegistry;
  clock: Clock;
  log: Logger;
  /** Called at the end of each tick (wakes custom-extension waits whose deadline the clock passed). */
  afterTick?: () => void;
}

export function subjectOf(u: DirectoryUser): Subject {
  const s = (k: string) => (typeof u[k] === 'string' ? (u[k] as string) : null);
  return { id: u.id, displayName: s('displayName'), userPrincipalName: s('userPrincipalName'), mail: s('mail') };
}

/** The run and results rows for users about to be processed (queued). */
export function newProcessing(wf: Workflow, runId: string, executionType: ExecutionType, now: Date, users: Array<{ user: DirectoryUser; triggerKey: string }>): NewUserProcessing[] {
  return users.map(({ user, triggerKey }) => {
    const id = newId();
    const subject = subjectOf(user);
    return {
      user: { id, tenantId: wf.tenantId, runId, workflowId: wf.id, workflowVersion: wf.version, userId: user.id, subject, triggerKey, executionType, scheduledAt: now },
      tasks: wf.tasks.filter((t) => t.isEnabled).map((t) => ({
        id: newId(), tenantId: wf.tenantId, userResultId: id, runId, workflowId: wf.id, taskId: t.id, taskDefinitionId: t.taskDefinitionId,
        executionSequence: t.executionSequence, continueOnError: t.continueOnError, task: t, subject, createdAt: now,
      })),
    };
  });
}

export class Scheduler {
  private readonly deps: SchedulerDeps;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PassReport[]> | undefined;

  constructor(deps: SchedulerDeps) {
    this.deps = deps;
  }

  start(tickMs: number): void {
    this.timer = setInterval(() => { void this.tick().catch((e: unknown) => this.deps.log.error({ err: e }, 'lifecycle tick failed')); }, tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One tick; a tick already under way is joined rather than run twice. */
  tick(): Promise<PassReport[]> {
    if (!this.running) this.running = this.tickNow().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async tickNow(): Promise<PassReport[]> {
    const { repo, results, processor, clock, log } = this.deps;
    const now = clock.date();
    const reports: PassReport[] = [];
    for (const t of this.deps.registry.list()) {
      try {
        if (await repo.claimPass(t.id, now)) reports.push(await this.pass(t.id, now));
      } catch (e) {
        log.error({ err: e, tenant: t.id }, 'lifecycle pass failed');
      }
    }
    // Recovery: users a dead process had scheduled or was watching.
    processor.enqueue(await results.undispatched(now, 200));
    for (const ur of await results.openWithEngineRun(500)) void processor.reconcile(ur.engineRunId!);
    await repo.purgeDeletedBefore(new Date(now.getTime() - LIMITS.softDeleteRetentionDays * 86_400_000));
    this.deps.afterTick?.();
    return reports;
  }

  /** The pass of one tenant at `now`. */
  async pass(tenantId: string, now: Date): Promise<PassReport> {
    const { repo, results, processor, log } = this.deps;
    const report: PassReport = { tenantId, workflows: 0, usersEvaluated: 0, scheduled: {}, fetchMs: 0, evaluateMs: 0 };
    const compiled: CompiledWorkflow[] = [];
    for (const wf of await repo.scheduledWorkflows(tenantId)) {
      if (wf.executionConditions['@odata.type'] === T.onDemand) continue;
      try {
        compiled.push(compileWorkflow(wf));
      } catch (e) {
        log.error({ err: e, workflow: wf.id }, 'lifecycle workflow conditions do not compile');
      }
    }
    report.workflows = compiled.length;
    if (!compiled.length) return report;
    const graph = this.deps.connector.graph(tenantId);
    const fetchStart = performance.now();
    const users = await fetchDirectory(graph, passSelect(compiled.flatMap((c) => c.conditions.properties)));
    const watched = [...new Set(compiled.flatMap((c) => (c.conditions.trigger?.kind === 'attributeChange' ? c.conditions.trigger.attributes : [])))];
    const attributes = watched.length ? await repo.snapshot<AttributeSnapshot>(tenantId, 'attributes') : undefined;
    const groups = new Map<string, GroupState>();
    for (const c of compiled) {
      if (c.conditions.trigger?.kind !== 'membershipChange') continue;
      for (const gid of c.conditions.trigger.groupIds) {
        if (groups.has(gid)) continue;
        const prev = await repo.snapshot<string[]>(tenantId, `group:${gid}`);
        groups.set(gid, { previous: prev ? new Set(prev.data) : undefined, generation: prev?.generation ?? 0, current: new Set(await groupMemberIds(graph, gid)) });
      }
    }
    report.fetchMs = performance.now() - fetchStart;
    const evalStart = performance.now();
    const due = evaluatePass(compiled, { now: now.getTime(), users, attributes, groups });
    report.evaluateMs = performance.now() - evalStart;
    report.usersEvaluated = users.length;
    for (const c of compiled) {
      const list = due.get(c.workflow.id) ?? [];
      if (!list.length) continue;
      const runId = newId();
      const inserted = await results.createRun(
        { id: runId, tenantId, workflowId: c.workflow.id, workflowVersion: c.workflow.version, executionType: 'scheduled', scheduledAt: now, activatedOnScope: null },
        newProcessing(c.workflow, runId, 'scheduled', now, list),
      );
      report.scheduled[c.workflow.id] = inserted.length;
      processor.enqueue(inserted.map((u) => u.id));
    }
    // Saved after the users are scheduled: a pass that dies first sees the same changes again,
    // under the same keys, and the unique key keeps them from being processed twice.
    if (watched.length) await repo.saveSnapshot(tenantId, 'attributes', attributeSnapshot(users, watched), now);
    for (const [gid, g] of groups) await repo.saveSnapshot(tenantId, `group:${gid}`, [...g.current], now);
    return report;
  }
}
