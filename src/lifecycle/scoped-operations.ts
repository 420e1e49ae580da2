// The workflow actions that act on a chosen scope of users or runs (graph-api.md A2, A5):
// activateWithScope (users, a group, or re-processing a run's or results' users and tasks),
// cancelProcessing, previewWorkflow, previewTaskFailures, clearQuarantine, and the reprocessedRuns
// links a re-processing leaves behind.
import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.ts';
import { newId } from '../core/ids.ts';
import type { M365Connector } from '../m365/connector.ts';
import type { LifecycleRepo } from '../store/lifecycle-repo.ts';
import type { LifecycleResultsRepo, NewUserProcessing, RunRecord, UserResultRecord } from '../store/lifecycle-results-repo.ts';
import type { Database } from '../store/schema.ts';
import { LCW_ACTIONS } from './actions/support.ts';
import { compileConditions, timeTriggerKey } from './conditions.ts';
import { extensionConfig } from './custom-extension.ts';
import { fetchUser, groupMemberIds, selectFor, userGroupIds, type DirectoryUser } from './directory.ts';
import { lcwErrors } from './errors.ts';
import { LIMITS, NS, T, type Subject, type Task, type Workflow } from './model.ts';
import { notQuarantined, type LifecycleOperations } from './operations.ts';
import type { Processor } from './processor.ts';
import { newProcessing } from './scheduler.ts';
import { aggregateStatus } from './status.ts';
import { planTasks } from './task-plan.ts';
import { isObject } from './workflow-input.ts';

export const SCOPE = {
  user: `#${NS}.activateUserScope`,
  group: `#${NS}.activateGroupScope`,
  run: `#${NS}.activateRunScope`,
  results: `#${NS}.activateProcessingResultScope`,
} as const;

export interface PreviewFailedTask {
  definitionId: string;
  failureReason: string;
  name: string;
  taskId: string;
}

export interface ScopedDeps {
  db: Kysely<Database>;
  repo: LifecycleRepo;
  results: LifecycleResultsRepo;
  processor: Processor;
  connector: M365Connector;
  clock: Clock;
  operations: LifecycleOperations;
}

/** The type name of a scope object, with or without the leading '#'. */
function typeOf(o: Record<string, unknown>): string {
  const t = o['@odata.type'];
  return typeof t === 'string' ? `#${t.replace(/^#/, '')}` : '';
}

function idsOf(list: unknown, what: string): string[] {
  if (!Array.isArray(list) || !list.length || list.some((s) => !isObject(s) || typeof s.id !== 'string' || !s.id)) {
    throw lcwErrors.invalid(`${what} is required: a list of objects, each {"id": "…"}.`);
  }
  return [...new Set(list.map((s) => String((s as { id: string }).id)))];
}

function scopeOf(body: unknown): Record<string, unknown> {
  const scope = isObject(body) ? body.scope : undefined;
  if (!isObject(scope)) throw lcwErrors.invalid('scope is required: {"scope": {"@odata.type": "#microsoft.graph.identityGovernance.activateUserScope", …}}.');
  return scope;
}

function enumOf<V extends string>(v: unknown, name: string, values: readonly V[]): V {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw lcwErrors.invalid(`${name} must be one of ${values.join(', ')}, not ${JSON.stringify(v ?? null)}.`);
  return v as V;
}

export class ScopedOperations {
  private readonly d: ScopedDeps;
  constructor(deps: ScopedDeps) {
    this.d = deps;
  }

  private async enabledWorkflow(tenantId: string, id: string): Promise<Workflow> {
    const wf = await this.d.operations.workflow(tenantId, id);
    if (!wf.isEnabled) throw lcwErrors.invalid('The workflow is disabled; enable it (PATCH isEnabled true) before running it.');
    notQuarantined(wf);
    return wf;
  }

  private async users(tenantId: string, ids: string[]): Promise<DirectoryUser[]> {
    const graph = this.d.connector.graph(tenantId);
    const out: DirectoryUser[] = [];
    for (const uid of ids) {
      const u = await fetchUser(graph, uid, selectFor([]));
      if (!u) throw lcwErrors.invalid(`The subject '${uid}' is not a user of this tenant.`);
      out.push(u);
    }
    return out;
  }

  /** activateWithScope: an on-demand run (type activatedWithScope) over the scope's users; the conditions are not checked. */
  async activateWithScope(tenantId: string, id: string, body: unknown): Promise<string> {
    const wf = await this.enabledWorkflow(tenantId, id);
    const scope = scopeOf(body);
    const type = typeOf(scope);
    const runId = newId();
    const now = this.d.clock.date();
    const key = `activatedWithScope:${runId}`;
    let users: NewUserProcessing[];
    let recorded: Record<string, unknown>;
    if (type === SCOPE.user) {
      const ids = idsOf(scope.users, 'scope.users');
      if (ids.length > LIMITS.onDemandSubjects) throw lcwErrors.limit(`A workflow can be run on demand for at most ${LIMITS.onDemandSubjects} users at a time, not ${ids.length}.`);
      users = newProcessing(wf, runId, 'activatedWithScope', now, (await this.users(tenantId, ids)).map((user) => ({ user, triggerKey: key })));
      recorded = { '@odata.type': SCOPE.user, users: ids.map((i) => ({ id: i })) };
    } else if (type === SCOPE.group) {
      const group = isObject(scope.group) && typeof scope.group.id === 'string' && scope.group.id ? scope.group.id : undefined;
      if (!group) throw lcwErrors.invalid('scope.group is required: {"id": "<group object id>"}.');
      const graph = this.d.connector.graph(tenantId);
      // An unknown group reads as one without members.
      const members = await groupMemberIds(graph, group);
      const found: DirectoryUser[] = [];
      // A few reads at a time: a group may hold thousands of users.
      for (let i = 0; i < members.length; i += 20) {
        for (const u of await Promise.all(members.slice(i, i + 20).map((m) => fetchUser(graph, m, selectFor([]))))) if (u) found.push(u);
      }
      if (!found.length) throw lcwErrors.invalid(`The group '${group}' does not exist in this tenant or has no user members to process.`);
      users = newProcessing(wf, runId, 'activatedWithScope', now, found.map((user) => ({ user, triggerKey: key })));
      recorded = { '@odata.type': SCOPE.group, group: { id: group } };
    } else if (type === SCOPE.run || type === SCOPE.results) {
      const taskScope = enumOf(scope.taskScope, 'scope.taskScope', ['allTasks', 'failedTasks'] as const);
      let sources: UserResultRecord[];
      if (type === SCOPE.run) {
        const runRef = isObject(scope.run) && typeof scope.run.id === 'string' ? scope.run.id : undefined;
        if (!runRef) throw lcwErrors.invalid('scope.run is required: {"id": "<run id>"}.');
        const userScope = enumOf(scope.userScope, 'scope.userScope', ['allUsers', 'failedUsers'] as const);
        const source = await this.d.results.run(wf.id, runRef);
        if (!source) throw lcwErrors.invalid(`The run '${runRef}' is not a run of this workflow.`);
        if (source.executionType === 'preview') throw lcwErrors.invalid(`The run '${runRef}' is a preview; it processed nobody, so there is nothing to process again.`);
        sources = (await this.d.results.userResults({ tenantId, runId: runRef }))
          .filter((u) => (userScope === 'allUsers' ? u.status !== 'queued' && u.status !== 'inProgress' : u.status === 'failed' || u.status === 'completedWithErrors'));
        recorded = { '@odata.type': SCOPE.run, run: { id: runRef }, taskScope, userScope };
      } else {
        const ids = idsOf(scope.processingResults, 'scope.processingResults');
        sources = [];
        for (const rid of ids) {
          const ur = await this.d.results.userResult(rid);
          if (!ur || ur.tenantId !== tenantId || ur.workflowId !== wf.id) throw lcwErrors.invalid(`The userProcessingResult '${rid}' is not one of this workflow.`);
          if (ur.executionType === 'preview') throw lcwErrors.invalid(`The userProcessingResult '${rid}' belongs to a preview; there is nothing to process again.`);
          if (ur.status === 'queued' || ur.status === 'inProgress') throw lcwErrors.invalid(`The userProcessingResult '${rid}' is still ${ur.status}; only finished results can be processed again.`);
          sources.push(ur);
        }
        recorded = { '@odata.type': SCOPE.results, processingResults: ids.map((i) => ({ id: i })), taskScope };
      }
      users = await this.reprocessing(wf, runId, now, sources, taskScope);
      if (!users.length) throw lcwErrors.invalid(`Nothing in the scope is left to process again: no ${taskScope === 'failedTasks' ? 'failed tasks' : 'finished users'} were found.`);
    } else {
      throw lcwErrors.invalid(`scope must be an activationScope: @odata.type ${Object.values(SCOPE).join(', ')}; not ${JSON.stringify(scope['@odata.type'] ?? null)}.`);
    }
    const inserted = await this.d.results.createRun({ id: runId, tenantId, workflowId: wf.id, workflowVersion: wf.version, executionType: 'activatedWithScope', scheduledAt: now, activatedOnScope: recorded }, users);
    this.d.processor.enqueue(inserted.map((u) => u.id));
    return runId;
  }

  /**
   * The users of earlier results again, under the version they ran with: every enabled task, or
   * only the tasks that did not complete (failed, or canceled after a failure stopped the user).
   */
  private async reprocessing(wf: Workflow, runId: string, now: Date, sources: UserResultRecord[], taskScope: 'allTasks' | 'failedTasks'): Promise<NewUserProcessing[]> {
    const out: NewUserProcessing[] = [];
    const versions = new Map<number, Task[]>();
    const seen = new Set<string>();
    for (const src of sources) {
      if (seen.has(`${src.workflowVersion}:${src.userId}`)) continue;
      seen.add(`${src.workflowVersion}:${src.userId}`);
      let tasks: Task[];
      if (taskScope === 'failedTasks') {
        tasks = (await this.d.results.taskResults({ tenantId: src.tenantId, userResultId: src.id }))
          .filter((t) => t.status === 'failed' || t.status === 'canceled').map((t) => t.task).sort((a, b) => a.executionSequence - b.executionSequence);
      } else {
        if (!versions.has(src.workflowVersion)) {
          const v = src.workflowVersion === wf.version ? wf : await this.d.repo.version(wf.id, src.workflowVersion);
          versions.set(src.workflowVersion, (v?.tasks ?? []).filter((t) => t.isEnabled));
        }
        tasks = versions.get(src.workflowVersion)!;
      }
      if (!tasks.length) continue;
      const id = newId();
      const subject: Subject = src.subject;
      out.push({
        user: { id, tenantId: wf.tenantId, runId, workflowId: wf.id, workflowVersion: src.workflowVersion, userId: src.userId, subject, triggerKey: `activatedWithScope:${runId}`, executionType: 'activatedWithScope', scheduledAt: now },
        tasks: tasks.map((t) => ({
          id: newId(), tenantId: wf.tenantId, userResultId: id, runId, workflowId: wf.id, taskId: t.id, taskDefinitionId: t.taskDefinitionId,
          executionSequence: t.executionSequence, continueOnError: t.continueOnError, task: t, subject, createdAt: now,
        })),
      });
    }
    return out;
  }

  /**
   * cancelProcessing: freezes the runs as canceled. Users not yet handed to the engine are
   * canceled; a user whose tasks already started finishes them (the engine does not stop a step
   * midway), and the run still reports canceled.
   */
  async cancelProcessing(tenantId: string, id: string, body: unknown): Promise<number> {
    const wf = await this.d.operations.workflow(tenantId, id);
    const scope = scopeOf(body);
    const t = typeOf(scope);
    if (t && t !== `#${NS}.cancelRunsScope`) throw lcwErrors.invalid(`scope must be a #${NS}.cancelRunsScope, not ${JSON.stringify(scope['@odata.type'])}.`);
    const runIds = idsOf(scope.runs, 'scope.runs');
    const runs: RunRecord[] = [];
    for (const rid of runIds) {
      const run = await this.d.results.run(wf.id, rid);
      if (!run) throw lcwErrors.invalid(`The run '${rid}' is not a run of this workflow.`);
      const counts = (await this.d.results.userCountsByRun(tenantId, [rid])).get(rid)?.counts ?? {};
      const status = run.canceledAt ? 'canceled' : aggregateStatus(counts);
      if (status !== 'queued' && status !== 'inProgress') throw lcwErrors.invalid(`The run '${rid}' is ${status}; only queued or in-progress runs can be canceled.`);
      runs.push(run);
    }
    const now = this.d.clock.date();
    let canceled = 0;
    await this.d.db.transaction().execute(async (trx) => {
      for (const run of runs) {
        await trx.updateTable('lcw_runs').set({ canceled_at: now }).where('id', '=', run.id).execute();
        // The same condition a dispatcher claims a user on, so a user is either claimed or canceled.
        const rows = await trx.updateTable('lcw_user_results').set({ status: 'canceled', completed_at: now, claimed_until: null })
          .where('run_id', '=', run.id).where('status', '=', 'queued').where('engine_run_id', 'is', null)
          .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
          .returning('id').execute();
        canceled += rows.length;
        if (rows.length) {
          await trx.updateTable('lcw_task_results').set({ status: 'canceled', completed_at: now, processing_info: 'Canceled by cancelProcessing before it started.' })
            .where('user_result_id', 'in', rows.map((r) => r.id)).where('status', 'in', ['queued', 'inProgress']).execute();
        }
      }
    });
    return canceled;
  }

  /**
   * previewWorkflow: a run of type preview that records, per subject, whether the workflow's
   * conditions would process the user now, and executes nothing. A user who would be processed is
   * completed with each task canceled ("not executed"); one who would not is canceled with why.
   */
  async preview(tenantId: string, id: string, body: unknown): Promise<string> {
    const wf = await this.d.operations.workflow(tenantId, id);
    const ids = idsOf(isObject(body) ? body.subjects : undefined, 'subjects');
    if (ids.length > LIMITS.onDemandSubjects) throw lcwErrors.limit(`A preview covers at most ${LIMITS.onDemandSubjects} users at a time, not ${ids.length}.`);
    const c = compileConditions(wf.executionConditions);
    const graph = this.d.connector.graph(tenantId);
    const now = this.d.clock.date();
    const verdicts: Array<{ user: DirectoryUser; why: string | undefined }> = [];
    for (const uid of ids) {
      const user = await fetchUser(graph, uid, selectFor(c.properties));
      if (!user) throw lcwErrors.invalid(`The subject '${uid}' is not a user of this tenant.`);
      let why: string | undefined;
      if (c.onDemandOnly) why = 'The workflow runs on demand only; a schedule never processes anyone.';
      else if (c.rule && !c.rule.test(user)) why = 'The user is outside the scope rule.';
      else if (c.trigger?.kind === 'membershipChange') {
        const groups = new Set(await userGroupIds(graph, user.id));
        if (!c.trigger.groupIds.some((g) => groups.has(g))) why = 'The user is not a member of the scope\'s groups.';
      } else if (c.trigger?.kind === 'timeBased' && !timeTriggerKey(user[c.trigger.attribute], c.trigger.offsetMs, now.getTime())) {
        why = `The time-based trigger (${c.trigger.attribute}) does not fire for the user now.`;
      }
      verdicts.push({ user, why });
    }
    const runId = newId();
    const planned = newProcessing(wf, runId, 'preview', now, verdicts.map((v) => ({ user: v.user, triggerKey: `preview:${runId}` })));
    await this.d.db.transaction().execute(async (trx) => {
      await trx.insertInto('lcw_runs').values({
        id: runId, tenant_id: tenantId, workflow_id: wf.id, workflow_version: wf.version, execution_type: 'preview', scheduled_at: now,
        activated_on_scope: JSON.stringify({ '@odata.type': SCOPE.user, users: ids.map((i) => ({ id: i })) }),
      }).execute();
      for (const [i, { user: u, tasks }] of planned.entries()) {
        const why = verdicts[i]!.why;
        await trx.insertInto('lcw_user_results').values({
          id: u.id, tenant_id: tenantId, run_id: runId, workflow_id: wf.id, workflow_version: wf.version, user_id: u.userId, subject: JSON.stringify(u.subject),
          trigger_key: u.triggerKey, execution_type: 'preview', status: why ? 'canceled' : 'completed', scheduled_at: now, started_at: now, completed_at: now,
        }).execute();
        if (!tasks.length) continue;
        await trx.insertInto('lcw_task_results').values(tasks.map((t) => ({
          id: t.id, tenant_id: tenantId, user_result_id: u.id, run_id: runId, workflow_id: wf.id, task_id: t.taskId, task_definition_id: t.taskDefinitionId,
          execution_sequence: t.executionSequence, continue_on_error: t.continueOnError, task: JSON.stringify(t.task), subject: JSON.stringify(t.subject),
          status: 'canceled', created_at: now, completed_at: now,
          processing_info: why ? `Preview: not processed. ${why}` : 'Preview: the task would run for this user; a preview executes nothing.',
        }))).execute();
      }
    });
    return runId;
  }

  /**
   * previewTaskFailures: the enabled tasks that would fail for any user, found by planning them
   * for a stand-in user with a manager: unknown definitions, missing or unusable arguments, tasks
   * Tenantflow cannot carry out, and custom extensions that are gone or have no endpoint URL.
   */
  async taskFailures(tenantId: string, id: string): Promise<PreviewFailedTask[]> {
    const wf = await this.d.operations.workflow(tenantId, id);
    const standIn = { id: '00000000-0000-0000-0000-000000000001', displayName: 'Preview user', userPrincipalName: 'preview.user@preview.invalid', mail: 'preview.user@preview.invalid' };
    const planned = await planTasks(wf.tasks, {
      tenantDefaults: {}, user: standIn, manager: { ...standIn, id: '00000000-0000-0000-0000-000000000002', userPrincipalName: 'preview.manager@preview.invalid', mail: 'preview.manager@preview.invalid' },
      taskResultIds: new Map(), now: this.d.clock.now(),
      lookupUser: async (uid) => ({ id: uid, mail: 'preview.recipient@preview.invalid', userPrincipalName: 'preview.recipient@preview.invalid' }),
      extensionWaitSeconds: async () => undefined,
    });
    const out: PreviewFailedTask[] = [];
    for (const p of planned) {
      const row = (failureReason: string) => out.push({ definitionId: p.task.taskDefinitionId, failureReason, name: p.task.displayName, taskId: p.task.id });
      const failing = p.steps.find((s) => s.action === LCW_ACTIONS.failure);
      if (failing) { row(String((failing.inputs as { reason?: unknown }).reason)); continue; }
      const ext = p.steps.find((s) => s.action === LCW_ACTIONS.customExtension);
      if (ext) {
        const xid = String((ext.inputs as { customTaskExtensionId?: unknown }).customTaskExtensionId ?? '');
        const x = await this.d.repo.extension(tenantId, xid);
        if (!x) row(`The custom task extension '${xid}' does not exist in this tenant.`);
        else if (!extensionConfig(x).url) row(`The custom task extension '${x.displayName}' has no endpointConfiguration url to call.`);
      }
    }
    return out;
  }

  /**
   * clearQuarantine: releases a quarantined workflow, and the next pass schedules the users still
   * due then. On a workflow that is not quarantined it changes nothing and answers 200 with the
   * workflow, as Microsoft documents no error for that case.
   */
  async clearQuarantine(tenantId: string, id: string): Promise<Workflow> {
    const wf = await this.d.operations.workflow(tenantId, id);
    if (await this.d.repo.clearQuarantine(wf.id)) return this.d.operations.workflow(tenantId, id);
    return wf;
  }

  /**
   * The runs that re-processed a run (activateRunScope naming it, or activateProcessingResultScope
   * naming one of its results), or one user result (naming it, or its run with the same user in it).
   */
  async reprocessedRuns(tenantId: string, wf: Workflow, runId: string, userResultId?: string): Promise<string[]> {
    const run = await this.d.results.run(wf.id, runId);
    if (!run) throw lcwErrors.notFound('run', runId);
    let target: UserResultRecord | undefined;
    if (userResultId) {
      target = await this.d.results.userResult(userResultId);
      if (!target || target.runId !== runId || target.workflowId !== wf.id) throw lcwErrors.notFound('userProcessingResult', userResultId);
    }
    const mine = target ? new Set([target.id]) : new Set((await this.d.results.userResults({ tenantId, runId })).map((u) => u.id));
    const out: string[] = [];
    for (const r of await this.d.results.runs({ tenantId, workflowId: wf.id })) {
      const s = r.activatedOnScope;
      if (!s || r.executionType !== 'activatedWithScope') continue;
      const t = typeOf(s);
      if (t === SCOPE.run && isObject(s.run) && s.run.id === runId) {
        if (!target || (await this.d.results.userResults({ tenantId, runId: r.id })).some((u) => u.userId === target.userId)) out.push(r.id);
      } else if (t === SCOPE.results && Array.isArray(s.processingResults) && s.processingResults.some((p) => isObject(p) && typeof p.id === 'string' && mine.has(p.id))) {
        out.push(r.id);
      }
    }
    return out;
  }
}
