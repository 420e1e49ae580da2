// The tenant-wide schedule. Each tick (a timer, or a test calling tick() after moving its clock)
// runs the pass of every tenant whose interval (workflowScheduleIntervalInHours) has elapsed — one
// process per pass, by a compare-and-set on the tenant's next pass time. A pass evaluates only the
// enabled, scheduled workflows, schedules the due users (once per workflow version and trigger,
// by the database's unique key) and hands them to the processor. A workflow whose due users exceed
// its quarantine thresholds (its own quarantineConfiguration, else the tenant's) is quarantined
// instead: nobody is scheduled, and later passes skip it until clearQuarantine releases it.
import type { Clock } from '../core/clock.ts';
import { newId } from '../core/ids.ts';
import type { Logger } from '../core/logger.ts';
import type { M365Connector } from '../m365/connector.ts';
import type { TenantRegistry } from '../m365/tenant-registry.ts';
import type { LifecycleRepo } from '../store/lifecycle-repo.ts';
import type { LifecycleResultsRepo, NewUserProcessing } from '../store/lifecycle-results-repo.ts';
import { groupMemberIds, passSelect, type DirectoryUser } from './directory.ts';
import { DirectorySync } from './directory-sync.ts';
import { attributeSnapshot, compileWorkflow, evaluatePass, type AttributeSnapshot, type CompiledWorkflow, type Due, type GroupState } from './evaluate.ts';
import { isQuarantined, LIMITS, T, type ExecutionType, type QuarantineType, type Settings, type Subject, type Workflow } from './model.ts';
import type { Processor } from './processor.ts';
import { effectiveQuarantineConfiguration, needsScopeSize, quarantineVerdict, scopeSize } from './quarantine.ts';

export interface PassReport {
  tenantId: string;
  workflows: number;
  usersEvaluated: number;
  /** Users newly scheduled, per workflow id. */
  scheduled: Record<string, number>;
  /** Workflows this pass quarantined instead of scheduling their due users, per workflow id. */
  quarantined: Record<string, { type: Exclude<QuarantineType, 'notQuarantined'>; reason: string; due: number; inScope: number | null }>;
  /** Workflows still quarantined (by an earlier pass or another process): nobody scheduled. */
  held: string[];
  /** Workflows whose first pass after clearQuarantine processed the released users without the thresholds. */
  released: string[];
  fetchMs: number;
  evaluateMs: number;
  /** How the directory was read: every user (`full`), or one delta round on the copy kept since the last pass; `received` users came over the wire. */
  directory?: { mode: 'full' | 'delta'; received: number };
}

export interface QuarantinedEvent {
  tenantId: string;
  workflowId: string;
  displayName: string;
  reason: string;
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
  /** Told once when a pass quarantines a workflow (the people who can release it are notified). */
  onQuarantined?: (e: QuarantinedEvent) => Promise<void>;
  /** The directory kept between passes (delta queries); one per scheduler when not given. */
  directory?: DirectorySync;
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
  private readonly directory: DirectorySync;

  constructor(deps: SchedulerDeps) {
    this.deps = deps;
    this.directory = deps.directory ?? new DirectorySync();
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
    const report: PassReport = { tenantId, workflows: 0, usersEvaluated: 0, scheduled: {}, quarantined: {}, held: [], released: [], fetchMs: 0, evaluateMs: 0 };
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
    const fetched = await this.directory.fetch(tenantId, graph, passSelect(compiled.flatMap((c) => c.conditions.properties)));
    const users = fetched.users;
    report.directory = { mode: fetched.mode, received: fetched.received };
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
    let tenantSettings: Settings | undefined;
    const releases: string[] = [];
    for (const c of compiled) {
      if (isQuarantined(c.workflow)) {
        report.held.push(c.workflow.id);
        continue;
      }
      if (c.workflow.quarantineRelease !== null && c.workflow.quarantineRelease !== undefined) releases.push(c.workflow.id);
      const list = due.get(c.workflow.id) ?? [];
      if (!list.length) continue;
      tenantSettings ??= await repo.settings(tenantId);
      if (await this.quarantines(c, list, { tenantSettings, users, groups, now, report })) continue;
      const runId = newId();
      const inserted = await results.createRun(
        { id: runId, tenantId, workflowId: c.workflow.id, workflowVersion: c.workflow.version, executionType: 'scheduled', scheduledAt: now, activatedOnScope: null },
        newProcessing(c.workflow, runId, 'scheduled', now, list),
      );
      report.scheduled[c.workflow.id] = inserted.length;
      processor.enqueue(inserted.map((u) => u.id));
    }
    // A release covers the first pass after it; ended after scheduling, so a pass that dies first
    // runs under it again (and the unique key keeps users from being processed twice).
    for (const id of releases) await repo.endRelease(id);
    // Saved after the users are scheduled: a pass that dies first sees the same changes again,
    // under the same keys, and the unique key keeps them from being processed twice.
    if (watched.length) await repo.saveSnapshot(tenantId, 'attributes', attributeSnapshot(users, watched), now);
    for (const [gid, g] of groups) await repo.saveSnapshot(tenantId, `group:${gid}`, [...g.current], now);
    return report;
  }

  /**
   * Whether the workflow's newly due users (those not already scheduled for this version and
   * trigger) exceed its quarantine thresholds; if so it is quarantined and nobody is scheduled.
   * The first pass after clearQuarantine processes up to as many users as were held unchecked.
   */
  private async quarantines(c: CompiledWorkflow, list: Due[], ctx: { tenantSettings: Settings; users: readonly DirectoryUser[]; groups: ReadonlyMap<string, GroupState>; now: Date; report: PassReport }): Promise<boolean> {
    const { repo, results, log } = this.deps;
    const wf = c.workflow;
    const cfg = effectiveQuarantineConfiguration(wf, ctx.tenantSettings);
    if (!cfg) return false;
    const done = await results.alreadyScheduled(wf.id, wf.version, list.map((d) => ({ userId: d.user.id, triggerKey: d.triggerKey })));
    const fresh = list.filter((d) => !done.has(`${d.user.id}\n${d.triggerKey}`)).length;
    if (!fresh) return false;
    if (wf.quarantineRelease !== null && wf.quarantineRelease !== undefined && fresh <= wf.quarantineRelease) {
      ctx.report.released.push(wf.id);
      log.info({ tenant: wf.tenantId, workflow: wf.id, due: fresh }, `lifecycle workflow '${wf.displayName}' released from quarantine: processing its ${fresh} due users`);
      return false;
    }
    const inScope = needsScopeSize(cfg) ? scopeSize(c, ctx.users, ctx.groups, list) : null;
    const verdict = quarantineVerdict(cfg, { due: fresh, inScope: inScope ?? 0 });
    if (!verdict) return false;
    // One pass or process quarantines it; either way nobody is scheduled.
    if (await repo.quarantine(wf.id, { quarantineType: verdict.type, quarantineReason: verdict.reason, quarantinedDateTime: ctx.now.toISOString() }, fresh)) {
      ctx.report.quarantined[wf.id] = { type: verdict.type, reason: verdict.reason, due: fresh, inScope };
      // Awaited, so the pass is over only once the people who can release it have been told.
      await this.deps.onQuarantined?.({ tenantId: wf.tenantId, workflowId: wf.id, displayName: wf.displayName, reason: verdict.reason })
        .catch((err: unknown) => log.warn({ err, workflow: wf.id }, 'could not tell anyone about the quarantine'));
      log.warn({ tenant: wf.tenantId, workflow: wf.id, quarantineType: verdict.type, due: fresh, inScope }, `lifecycle workflow '${wf.displayName}' quarantined: ${verdict.reason}`);
    } else {
      ctx.report.held.push(wf.id);
    }
    return true;
  }
}
