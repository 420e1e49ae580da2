// Workflows and what hangs off them in the definition: CRUD, createNewVersion, activate, restore,
// deletedItems, tasks (with the custom extension callback) and versions.
import { lcwErrors } from '../../lifecycle/errors.ts';
import type { Workflow } from '../../lifecycle/model.ts';
import { taskJson, taskResultJson } from '../../lifecycle/reports.ts';
import { expansions, PROPERTIES, renderCollection, renderEntity } from './odata-query.ts';
import { contextUrl, versionJson, workflowJson, type ApiContext, type ApiResult } from './resources.ts';

async function load(ctx: ApiContext, deleted = ctx.deleted): Promise<Workflow> {
  return ctx.lc.operations.workflow(ctx.tenantId, ctx.params.id!, deleted);
}

async function render(ctx: ApiContext, wf: Workflow, tasks: boolean) {
  const s = await ctx.lc.repo.settings(ctx.tenantId);
  return workflowJson(wf, { tasks, nextPassAt: s.nextPassAt, now: ctx.lc.clock.date() });
}

const workflowsContext = (ctx: ApiContext) => contextUrl(ctx, ctx.deleted ? 'deletedItems/workflows' : 'workflows');

export async function listWorkflows(ctx: ApiContext): Promise<ApiResult> {
  const expanded = expansions(ctx.query, 'workflow', ['tasks']);
  const items = await Promise.all((await ctx.lc.repo.workflows(ctx.tenantId, { deleted: ctx.deleted })).map((wf) => render(ctx, wf, expanded.has('tasks'))));
  return { status: 200, body: renderCollection(items, ctx.query, { entity: 'workflow', properties: PROPERTIES.workflow, context: workflowsContext(ctx), selfUrl: ctx.selfUrl, expanded }) };
}

export async function getWorkflow(ctx: ApiContext): Promise<ApiResult> {
  const expanded = expansions(ctx.query, 'workflow', ['tasks']);
  const wf = await load(ctx);
  return { status: 200, body: renderEntity(await render(ctx, wf, expanded.has('tasks')), ctx.query, { entity: 'workflow', properties: PROPERTIES.workflow, context: `${workflowsContext(ctx)}/$entity`, expanded }) };
}

export async function createWorkflow(ctx: ApiContext): Promise<ApiResult> {
  const wf = await ctx.lc.operations.create(ctx.tenantId, ctx.body, ctx.caller.account.id);
  return { status: 201, body: { '@odata.context': `${contextUrl(ctx, 'workflows')}/$entity`, ...(await render(ctx, wf, false)) } };
}

export async function patchWorkflow(ctx: ApiContext): Promise<ApiResult> {
  await ctx.lc.operations.patch(ctx.tenantId, ctx.params.id!, ctx.body, ctx.caller.account.id);
  return { status: 204 };
}

export async function deleteWorkflow(ctx: ApiContext): Promise<ApiResult> {
  if (ctx.deleted) await ctx.lc.operations.purge(ctx.tenantId, ctx.params.id!);
  else await ctx.lc.operations.softDelete(ctx.tenantId, ctx.params.id!);
  return { status: 204 };
}

export async function createNewVersion(ctx: ApiContext): Promise<ApiResult> {
  if (ctx.deleted) throw lcwErrors.invalid('A deleted workflow cannot get a new version; restore it first.');
  const wf = await ctx.lc.operations.newVersion(ctx.tenantId, ctx.params.id!, ctx.body, ctx.caller.account.id);
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#microsoft.graph.identityGovernance.workflow`, ...(await render(ctx, wf, true)) } };
}

export async function activate(ctx: ApiContext): Promise<ApiResult> {
  if (ctx.deleted) throw lcwErrors.invalid('A deleted workflow cannot run; restore it first.');
  await ctx.lc.operations.activate(ctx.tenantId, ctx.params.id!, ctx.body);
  return { status: 204 };
}

export async function restore(ctx: ApiContext): Promise<ApiResult> {
  const wf = await ctx.lc.operations.restore(ctx.tenantId, ctx.params.id!);
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#microsoft.graph.identityGovernance.workflow`, ...(await render(ctx, wf, false)) } };
}

// --- tasks -------------------------------------------------------------------------------------

export async function listTasks(ctx: ApiContext): Promise<ApiResult> {
  const wf = await load(ctx);
  return { status: 200, body: renderCollection(wf.tasks.map(taskJson), ctx.query, { entity: 'task', properties: PROPERTIES.task, context: contextUrl(ctx, `workflows('${wf.id}')/tasks`), selfUrl: ctx.selfUrl }) };
}

export async function getTask(ctx: ApiContext): Promise<ApiResult> {
  const wf = await load(ctx);
  const t = wf.tasks.find((x) => x.id === ctx.params.taskId);
  if (!t) throw lcwErrors.notFound('task', ctx.params.taskId!);
  return { status: 200, body: renderEntity(taskJson(t), ctx.query, { entity: 'task', properties: PROPERTIES.task, context: `${contextUrl(ctx, `workflows('${wf.id}')/tasks`)}/$entity` }) };
}

export async function patchTask(ctx: ApiContext): Promise<ApiResult> {
  if (ctx.deleted) throw lcwErrors.invalid('A deleted workflow cannot be changed; restore it first.');
  await ctx.lc.operations.patchTask(ctx.tenantId, ctx.params.id!, ctx.params.taskId!, ctx.body, ctx.caller.account.id);
  return { status: 204 };
}

export async function taskProcessingResultsOfTask(ctx: ApiContext): Promise<ApiResult> {
  const wf = await load(ctx);
  const results = await ctx.lc.results.taskResults({ tenantId: ctx.tenantId, workflowId: wf.id, taskId: ctx.params.taskId! });
  if (!results.length && !wf.tasks.some((t) => t.id === ctx.params.taskId) && !(await ctx.lc.repo.versions(wf.id)).some((v) => v.tasks.some((t) => t.id === ctx.params.taskId))) {
    throw lcwErrors.notFound('task', ctx.params.taskId!);
  }
  return { status: 200, body: renderCollection(results.map(taskResultJson), ctx.query, { entity: 'taskProcessingResult', properties: PROPERTIES.taskProcessingResult, context: contextUrl(ctx, `workflows('${wf.id}')/tasks('${ctx.params.taskId}')/taskProcessingResults`), selfUrl: ctx.selfUrl }) };
}

export async function resume(ctx: ApiContext): Promise<ApiResult> {
  await load(ctx);
  await ctx.lc.operations.resume(ctx.tenantId, ctx.params.id!, ctx.params.taskId!, ctx.params.resultId!, ctx.body);
  return { status: 204 };
}

// --- versions ----------------------------------------------------------------------------------

async function version(ctx: ApiContext) {
  const wf = await load(ctx);
  const n = Number(ctx.params.versionNumber);
  const v = Number.isInteger(n) ? await ctx.lc.repo.version(wf.id, n) : undefined;
  if (!v) throw lcwErrors.notFound('workflow version', ctx.params.versionNumber!);
  return { wf, v };
}

export async function listVersions(ctx: ApiContext): Promise<ApiResult> {
  const wf = await load(ctx);
  const expanded = expansions(ctx.query, 'workflowVersion', ['tasks']);
  const items = (await ctx.lc.repo.versions(wf.id)).map((v) => versionJson(v, expanded.has('tasks')));
  return { status: 200, body: renderCollection(items, ctx.query, { entity: 'workflowVersion', properties: PROPERTIES.workflowVersion, context: contextUrl(ctx, `workflows('${wf.id}')/versions`), selfUrl: ctx.selfUrl, expanded }) };
}

export async function getVersion(ctx: ApiContext): Promise<ApiResult> {
  const expanded = expansions(ctx.query, 'workflowVersion', ['tasks']);
  const { wf, v } = await version(ctx);
  return { status: 200, body: renderEntity(versionJson(v, expanded.has('tasks')), ctx.query, { entity: 'workflowVersion', properties: PROPERTIES.workflowVersion, context: `${contextUrl(ctx, `workflows('${wf.id}')/versions`)}/$entity`, expanded }) };
}

export async function versionTasks(ctx: ApiContext): Promise<ApiResult> {
  const { wf, v } = await version(ctx);
  return { status: 200, body: renderCollection(v.tasks.map(taskJson), ctx.query, { entity: 'task', properties: PROPERTIES.task, context: contextUrl(ctx, `workflows('${wf.id}')/versions(${v.versionNumber})/tasks`), selfUrl: ctx.selfUrl }) };
}

export async function versionTask(ctx: ApiContext): Promise<ApiResult> {
  const { wf, v } = await version(ctx);
  const t = v.tasks.find((x) => x.id === ctx.params.taskId);
  if (!t) throw lcwErrors.notFound('task', ctx.params.taskId!);
  return { status: 200, body: renderEntity(taskJson(t), ctx.query, { entity: 'task', properties: PROPERTIES.task, context: `${contextUrl(ctx, `workflows('${wf.id}')/versions(${v.versionNumber})/tasks`)}/$entity` }) };
}
