// Runs, processing results and task reports as Graph renders them, their counts aggregated from
// the results, and the summary and insight functions over a time window.
import { stableId } from '../core/ids.ts';
import type { LifecycleRepo } from '../store/lifecycle-repo.ts';
import type { LifecycleResultsRepo, RunRecord, StatusCounts, TaskResultRecord, UserResultRecord } from '../store/lifecycle-results-repo.ts';
import type { ProcessingStatus, Task, Workflow, WorkflowCategory } from './model.ts';
import { aggregateStatus } from './status.ts';
import { taskDefinition } from './task-definitions.ts';

export type Json = Record<string, unknown>;
type Counts = Partial<Record<ProcessingStatus, number>>;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const n = (c: Counts, ...s: ProcessingStatus[]) => s.reduce((sum, k) => sum + (c[k] ?? 0), 0);
const total = (c: Counts) => n(c, 'queued', 'inProgress', 'completed', 'completedWithErrors', 'canceled', 'failed');
const none: StatusCounts = { key: '', counts: {}, startedAt: null, completedAt: null, lastUpdatedAt: null };

function subjectJson(s: { id: string; displayName: string | null; userPrincipalName: string | null; mail: string | null }): Json {
  return { id: s.id, displayName: s.displayName, userPrincipalName: s.userPrincipalName, mail: s.mail };
}

export function taskJson(t: Task): Json {
  return {
    id: t.id, arguments: t.arguments, category: t.category, continueOnError: t.continueOnError, description: t.description,
    displayName: t.displayName, executionSequence: t.executionSequence, isEnabled: t.isEnabled, taskDefinitionId: t.taskDefinitionId,
  };
}

export function runJson(r: RunRecord, users: StatusCounts, tasks: StatusCounts): Json {
  // A run cancelProcessing froze reports canceled, whatever its users reached.
  const status = r.canceledAt ? 'canceled' : aggregateStatus(users.counts);
  const done = status !== 'queued' && status !== 'inProgress';
  return {
    id: r.id,
    activatedOnScope: r.activatedOnScope,
    completedDateTime: done ? iso(users.completedAt ?? r.scheduledAt) : null,
    failedTasksCount: n(tasks.counts, 'failed'),
    failedUsersCount: n(users.counts, 'failed', 'completedWithErrors'),
    lastUpdatedDateTime: iso(users.lastUpdatedAt ?? r.scheduledAt),
    processingStatus: status,
    scheduledDateTime: iso(r.scheduledAt),
    startedDateTime: iso(users.startedAt),
    successfulUsersCount: n(users.counts, 'completed'),
    totalTasksCount: total(tasks.counts),
    totalUnprocessedTasksCount: n(tasks.counts, 'queued', 'inProgress', 'canceled'),
    totalUsersCount: total(users.counts),
    workflowExecutionType: r.executionType,
  };
}

export function userResultJson(u: UserResultRecord, tasks: StatusCounts): Json {
  return {
    id: u.id,
    completedDateTime: iso(u.completedAt),
    failedTasksCount: n(tasks.counts, 'failed'),
    processingStatus: u.status,
    scheduledDateTime: iso(u.scheduledAt),
    startedDateTime: iso(u.startedAt),
    totalTasksCount: total(tasks.counts),
    totalUnprocessedTasksCount: n(tasks.counts, 'queued', 'inProgress', 'canceled'),
    workflowExecutionType: u.executionType,
    workflowVersion: u.workflowVersion,
    subject: subjectJson(u.subject),
  };
}

export function taskResultJson(t: TaskResultRecord): Json {
  return {
    id: t.id,
    completedDateTime: iso(t.completedAt),
    createdDateTime: iso(t.createdAt),
    failureReason: t.failureReason,
    processingInfo: t.processingInfo,
    processingStatus: t.status,
    startedDateTime: iso(t.startedAt),
    subject: subjectJson(t.subject),
    task: { id: t.taskId, displayName: t.task.displayName, taskDefinitionId: t.taskDefinitionId, executionSequence: t.executionSequence },
  };
}

export function taskReportJson(runId: string, c: StatusCounts & { taskDefinitionId?: string; task?: Task }): Json {
  const status = aggregateStatus(c.counts);
  const def = c.taskDefinitionId ? taskDefinition(c.taskDefinitionId) : undefined;
  return {
    id: stableId(`lcw-task-report:${c.key}`),
    completedDateTime: status !== 'queued' && status !== 'inProgress' ? iso(c.completedAt) : null,
    failedUsersCount: n(c.counts, 'failed'),
    lastUpdatedDateTime: iso(c.lastUpdatedAt),
    processingStatus: status,
    runId,
    startedDateTime: iso(c.startedAt),
    successfulUsersCount: n(c.counts, 'completed'),
    totalUsersCount: total(c.counts),
    unprocessedUsersCount: n(c.counts, 'queued', 'inProgress', 'canceled'),
    task: c.task ? { id: c.task.id, displayName: c.task.displayName, executionSequence: c.task.executionSequence } : null,
    taskDefinition: def ? { id: def.id, displayName: def.displayName } : null,
  };
}

export interface Window {
  from?: Date;
  to?: Date;
}

export class Reports {
  private readonly repo: LifecycleRepo;
  private readonly results: LifecycleResultsRepo;
  constructor(repo: LifecycleRepo, results: LifecycleResultsRepo) {
    this.repo = repo;
    this.results = results;
  }

  async runs(tenantId: string, workflowId: string | undefined, w: Window = {}): Promise<Json[]> {
    return (await this.runRows(tenantId, workflowId, w)).map((r) => r.json);
  }

  private async runRows(tenantId: string, workflowId: string | undefined, w: Window): Promise<Array<{ json: Json; workflowId: string }>> {
    const runs = await this.results.runs({ tenantId, ...(workflowId ? { workflowId } : {}), ...w });
    const ids = runs.map((r) => r.id);
    const [users, tasks] = await Promise.all([this.results.userCountsByRun(tenantId, ids), this.results.taskCounts(tenantId, 'run', ids)]);
    return runs.map((r) => ({ json: runJson(r, users.get(r.id) ?? none, tasks.get(r.id) ?? none), workflowId: r.workflowId }));
  }

  async userResults(filter: { tenantId: string; workflowId?: string; runId?: string } & Window): Promise<Json[]> {
    const users = await this.results.userResults(filter);
    const tasks = await this.results.taskCounts(filter.tenantId, 'user', users.map((u) => u.id));
    return users.map((u) => userResultJson(u, tasks.get(u.id) ?? none));
  }

  async taskReports(tenantId: string, workflowId: string, w: Window = {}): Promise<Json[]> {
    const runs = await this.results.runs({ tenantId, workflowId, ...w });
    const counts = await this.results.taskCounts(tenantId, 'runTask', runs.map((r) => r.id));
    const order = new Map(runs.map((r, i) => [r.id, i]));
    return [...counts.values()]
      .sort((a, b) => (order.get(a.key.split(':')[0]!)! - order.get(b.key.split(':')[0]!)!) || ((a.task?.executionSequence ?? 0) - (b.task?.executionSequence ?? 0)))
      .map((c) => taskReportJson(c.key.split(':')[0]!, c));
  }

  async runSummary(tenantId: string, workflowId: string, w: Window): Promise<Json> {
    const runs = await this.runs(tenantId, workflowId, w);
    return {
      failedRuns: runs.filter((r) => r.processingStatus === 'failed' || r.processingStatus === 'completedWithErrors').length,
      failedTasks: sum(runs, 'failedTasksCount'),
      successfulRuns: runs.filter((r) => r.processingStatus === 'completed').length,
      totalRuns: runs.length,
      totalTasks: sum(runs, 'totalTasksCount'),
      totalUsers: sum(runs, 'totalUsersCount'),
    };
  }

  async userSummary(tenantId: string, workflowId: string, w: Window): Promise<Json> {
    const users = await this.userResults({ tenantId, workflowId, ...w });
    return {
      failedTasks: sum(users, 'failedTasksCount'),
      failedUsers: users.filter((u) => u.processingStatus === 'failed' || u.processingStatus === 'completedWithErrors').length,
      successfulUsers: users.filter((u) => u.processingStatus === 'completed').length,
      totalTasks: sum(users, 'totalTasksCount'),
      totalUsers: users.length,
    };
  }

  async taskReportSummary(tenantId: string, workflowId: string, w: Window): Promise<Json> {
    const reports = await this.taskReports(tenantId, workflowId, w);
    return {
      failedTasks: sum(reports, 'failedUsersCount'),
      successfulTasks: sum(reports, 'successfulUsersCount'),
      totalTasks: sum(reports, 'totalUsersCount'),
      unprocessedTasks: sum(reports, 'unprocessedUsersCount'),
    };
  }

  /** insights/…(startDateTime, endDateTime), over every workflow of the tenant (deleted ones too). */
  async insight(tenantId: string, name: string, w: Window): Promise<Json | Json[] | undefined> {
    const workflows = new Map<string, Workflow>();
    for (const wf of [...await this.repo.workflows(tenantId), ...await this.repo.workflows(tenantId, { deleted: true })]) workflows.set(wf.id, wf);
    const rows = await this.runRows(tenantId, undefined, w);
    const runs = rows.map((r) => r.json);
    const workflowOf = new Map(rows.map((r) => [r.json, r.workflowId]));
    const ok = (r: Json) => r.processingStatus === 'completed';
    const bad = (r: Json) => r.processingStatus === 'failed' || r.processingStatus === 'completedWithErrors';
    switch (name) {
      case 'workflowsProcessedSummary': {
        const tasks = await this.results.taskCounts(tenantId, 'run', runs.map((r) => String(r.id)));
        let successfulTasks = 0;
        for (const c of tasks.values()) successfulTasks += n(c.counts, 'completed');
        return {
          failedRuns: runs.filter(bad).length, failedTasks: sum(runs, 'failedTasksCount'), failedUsers: sum(runs, 'failedUsersCount'),
          successfulRuns: runs.filter(ok).length, successfulTasks, successfulUsers: sum(runs, 'successfulUsersCount'),
          totalRuns: runs.length, totalTasks: sum(runs, 'totalTasksCount'), totalUsers: sum(runs, 'totalUsersCount'),
        };
      }
      case 'workflowsProcessedByCategory': {
        const out: Json = {};
        for (const cat of ['joiner', 'leaver', 'mover'] as WorkflowCategory[]) {
          const mine = runs.filter((r) => workflows.get(workflowOf.get(r)!)?.category === cat);
          const C = cat[0]!.toUpperCase() + cat.slice(1);
          out[`failed${C}Runs`] = mine.filter(bad).length;
          out[`successful${C}Runs`] = mine.filter(ok).length;
          out[`total${C}Runs`] = mine.length;
        }
        return out;
      }
      case 'topWorkflowsProcessedSummary': {
        const by = new Map<string, Json[]>();
        for (const r of runs) by.set(workflowOf.get(r)!, [...(by.get(workflowOf.get(r)!) ?? []), r]);
        return [...by.entries()].map(([id, rs]) => {
          const wf = workflows.get(id);
          return {
            failedRuns: rs.filter(bad).length, failedUsers: sum(rs, 'failedUsersCount'), successfulRuns: rs.filter(ok).length,
            successfulUsers: sum(rs, 'successfulUsersCount'), totalRuns: rs.length, totalUsers: sum(rs, 'totalUsersCount'),
            workflowCategory: wf?.category ?? null, workflowDisplayName: wf?.displayName ?? null, workflowId: id, workflowVersion: wf?.version ?? null,
          };
        }).sort((a, b) => Number(b.totalRuns) - Number(a.totalRuns));
      }
      case 'topTasksProcessedSummary': {
        const results = (await Promise.all(runs.map((r) => this.results.taskResults({ tenantId, runId: String(r.id) })))).flat();
        const by = new Map<string, TaskResultRecord[]>();
        for (const t of results) by.set(t.taskDefinitionId.toLowerCase(), [...(by.get(t.taskDefinitionId.toLowerCase()) ?? []), t]);
        return [...by.entries()].map(([id, ts]) => ({
          failedTasks: ts.filter((t) => t.status === 'failed').length,
          failedUsers: new Set(ts.filter((t) => t.status === 'failed').map((t) => t.subject.id)).size,
          successfulTasks: ts.filter((t) => t.status === 'completed').length,
          successfulUsers: new Set(ts.filter((t) => t.status === 'completed').map((t) => t.subject.id)).size,
          taskDefinitionDisplayName: taskDefinition(id)?.displayName ?? null,
          taskDefinitionId: taskDefinition(id)?.id ?? id,
          totalTasks: ts.length,
          totalUsers: new Set(ts.map((t) => t.subject.id)).size,
        })).sort((a, b) => b.totalTasks - a.totalTasks);
      }
      default:
        return undefined;
    }
  }
}

function sum(rows: Json[], key: string): number {
  return rows.reduce((s, r) => s + Number(r[key] ?? 0), 0);
}
