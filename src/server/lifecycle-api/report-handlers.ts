// Reports of a workflow: runs, user and task processing results, task reports, their summary
// functions, and executionScope (who the scope selects right now, for previews).
import { compileConditions } from '../../lifecycle/conditions.ts';
import { fetchDirectory, groupMemberIds, selectFor } from '../../lifecycle/directory.ts';
import { lcwErrors } from '../../lifecycle/errors.ts';
import type { Workflow } from '../../lifecycle/model.ts';
import { taskResultJson, type Json, type Window } from '../../lifecycle/reports.ts';
import { PROPERTIES, renderCollection, renderEntity } from './odata-query.ts';
import { contextUrl, type ApiContext, type ApiResult } from './resources.ts';

async function load(ctx: ApiContext): Promise<Workflow> {
  return ctx.lc.operations.workflow(ctx.tenantId, ctx.params.id!, ctx.deleted);
}

function windowOf(ctx: ApiContext): Window {
  const read = (name: string): Date => {
    const raw = ctx.fnArgs[name];
    const v = raw?.replace(/^'(.*)'$/, '$1');
    const t = v ? Date.parse(v) : NaN;
    if (!Number.isFinite(t)) throw lcwErrors.invalid(`The function needs ${name} as a date and time, e.g. summary(startDateTime=2025-01-01T00:00:00Z,endDateTime=2025-01-31T00:00:00Z).`);
    return new Date(t);
  };
  const from = read('startDateTime'), to = read('endDateTime');
  if (from > to) throw lcwErrors.invalid('startDateTime must not be after endDateTime.');
  return { from, to };
}

const base = (ctx: ApiContext, wf: Workflow) => `workflows('${wf.id}')`;

function one(items: Json[], id: string, what: string): Json {
  const found = items.find((x) => x.id === id);
  if (!found) throw lcwErrors.notFound(what, id);
  return found;
}

export async function listRuns(ctx: ApiContext): Promise<ApiResult> {
  const wf = await load(ctx);
  const items = await ctx.reports.runs(ctx.tenantId, wf.id);
  return { status: 200, body: renderCollection(items, ctx.query, { entity: 'run', properties: PROPERTIES.run, context: contextUrl(ctx, `${base(ctx, wf)}/runs`), selfUrl: ctx.selfUrl }) };
}

export async function getRun(ctx: ApiContext): Promise<ApiResult> {
  const wf = await load(ctx);
  const run = one(await ctx.reports.runs(ctx.tenantId, wf.id), ctx.params.runId!, 'run');
  return { status: 200, body: renderEntity(run, ctx.query, { entity: 'run', properties: PROPERTIES.run, context: `${contextUrl(ctx, `${base(ctx, wf)}/runs`)}/$entity` }) };
}

export async function runSummary(ctx: ApiContext): Promise<ApiResult> {
  const wf = await load(ctx);
  const body = await ctx.reports.runSummary(ctx.tenantId, wf.id, windowOf(ctx));
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#microsoft.graph.identityGovernance.runSummary`, ...body } };
}

export async function userResults(ctx: ApiContext): Promise<ApiResult> {
  const wf = await load(ctx);
  const runId = ctx.params.runId;
  if (runId && !(await ctx.lc.results.run(wf.id, runId))) throw lcwErrors.notFound('run', runId);
  const items = await ctx.reports.userResults({ tenantId: ctx.tenantId, workflowId: wf.id, ...(runId ? { runId } : {}) });
  const path = runId ? `${base(ctx, wf)}/runs('${runId}')/userProcessingResults` : `${base(ctx, wf)}/userProcessingResults`;
  return { status: 200, body: renderCollection(items, ctx.query, { entity: 'userProcessingResult', properties: PROPERTIES.userProcessingResult, context: contextUrl(ctx, path), selfUrl: ctx.selfUrl }) };
}

export async function userResult(ctx: ApiContext): Promise<ApiResult> {
  const wf = await load(ctx);
  const items = await ctx.reports.userResults({ tenantId: ctx.tenantId, workflowId: wf.id, ...(ctx.params.runId ? { runId: ctx.params.runId } : {}) });
  const item = one(items, ctx.params.userResultId!, 'userProcessingResult');
  return { status: 200, body: renderEntity(item, ctx.query, { entity: 'userProcessingResult', properties: PROPERTIES.userProcessingResult, context: `${contextUrl(ctx, `${base(ctx, wf)}/userProcessingResults`)}/$entity` }) };
}

export async function userSummary(ctx: ApiContext): Promise<ApiResult> {
  const wf = await load(ctx);
  const body = await ctx.reports.userSummary(ctx.tenantId, wf.id, windowOf(ctx));
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#microsoft.graph.identityGovernance.userSummary`, ...body } };
}

/** Task results of a user result, of a run, or of a task report. */
export async function taskResults(ctx: ApiContext): Promise<ApiResult> {
  const wf = await load(ctx);
  const { runId, userResultId, reportId } = ctx.params;
  let filter: { runId?: string; userResultId?: string; taskId?: string } = {};
  if (userResultId) {
    const ur = await ctx.lc.results.userResult(userResultId);
    if (!ur || ur.workflowId !== wf.id || (runId && ur.runId !== runId)) throw lcwErrors.notFound('userProcessingResult', userResultId);
    filter = { userResultId };
  } else if (reportId) {
    const report = one(await ctx.reports.taskReports(ctx.tenantId, wf.id), reportId, 'taskReport');
    filter = { runId: String(report.runId), taskId: String((report.task as { id: string } | null)?.id ?? '') };
  } else if (runId) {
    if (!(await ctx.lc.results.run(wf.id, runId))) throw lcwErrors.notFound('run', runId);
    filter = { runId };
  }
  const items = (await ctx.lc.results.taskResults({ tenantId: ctx.tenantId, workflowId: wf.id, ...filter })).map(taskResultJson);
  return { status: 200, body: renderCollection(items, ctx.query, { entity: 'taskProcessingResult', properties: PROPERTIES.taskProcessingResult, context: contextUrl(ctx, `${base(ctx, wf)}/taskProcessingResults`), selfUrl: ctx.selfUrl }) };
}

export async function taskReports(ctx: ApiContext): Promise<ApiResult> {
  const wf = await load(ctx);
  const items = await ctx.reports.taskReports(ctx.tenantId, wf.id);
  return { status: 200, body: renderCollection(items, ctx.query, { entity: 'taskReport', properties: PROPERTIES.taskReport, context: contextUrl(ctx, `${base(ctx, wf)}/taskReports`), selfUrl: ctx.selfUrl }) };
}

export async function taskReport(ctx: ApiContext): Promise<ApiResult> {
  const wf = await load(ctx);
  const item = one(await ctx.reports.taskReports(ctx.tenantId, wf.id), ctx.params.reportId!, 'taskReport');
  return { status: 200, body: renderEntity(item, ctx.query, { entity: 'taskReport', properties: PROPERTIES.taskReport, context: `${contextUrl(ctx, `${base(ctx, wf)}/taskReports`)}/$entity` }) };
}

export async function taskReportSummary(ctx: ApiContext): Promise<ApiResult> {
  const wf = await load(ctx);
  const body = await ctx.reports.taskReportSummary(ctx.tenantId, wf.id, windowOf(ctx));
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#microsoft.graph.identityGovernance.taskReportSummary`, ...body } };
}

/** The users the workflow's scope selects now (the trigger aside): what a preview shows. */
export async function executionScope(ctx: ApiContext): Promise<ApiResult> {
  const wf = await load(ctx);
  const c = compileConditions(wf.executionConditions);
  const graph = ctx.rt.connector.graph(ctx.tenantId);
  let users: Json[] = [];
  if (c.rule) {
    users = (await fetchDirectory(graph, selectFor(c.properties))).filter((u) => c.rule!.test(u));
  } else if (c.trigger?.kind === 'membershipChange') {
    const ids = new Set((await Promise.all(c.trigger.groupIds.map((g) => groupMemberIds(graph, g)))).flat());
    users = (await fetchDirectory(graph, selectFor([]))).filter((u) => ids.has(u.id));
  }
  const items = users.map((u) => ({ id: u.id, displayName: u.displayName ?? null, userPrincipalName: u.userPrincipalName ?? null, mail: u.mail ?? null }));
  return { status: 200, body: renderCollection(items, ctx.query, { entity: 'user', properties: PROPERTIES.user, context: `${ctx.root}/$metadata#users`, selfUrl: ctx.selfUrl }) };
}
