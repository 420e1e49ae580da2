// The rest of the lifecycleWorkflows container: workflow templates and task definitions (read-only),
// custom task extensions, settings, and the insights functions.
import { lcwErrors } from '../../lifecycle/errors.ts';
import { taskJson } from '../../lifecycle/reports.ts';
import { taskDefinition, taskDefinitions } from '../../lifecycle/task-definitions.ts';
import { workflowTemplate, workflowTemplates } from '../../lifecycle/templates.ts';
import { expansions, PROPERTIES, renderCollection, renderEntity } from './odata-query.ts';
import { contextUrl, definitionJson, extensionJson, settingsJson, templateJson, type ApiContext, type ApiResult } from './resources.ts';

export async function container(ctx: ApiContext): Promise<ApiResult> {
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#identityGovernance/lifecycleWorkflows/$entity` } };
}

export async function listTemplates(ctx: ApiContext): Promise<ApiResult> {
  const expanded = expansions(ctx.query, 'workflowTemplate', ['tasks']);
  const items = workflowTemplates.map((t) => templateJson(t, expanded.has('tasks')));
  return { status: 200, body: renderCollection(items, ctx.query, { entity: 'workflowTemplate', properties: PROPERTIES.workflowTemplate, context: contextUrl(ctx, 'workflowTemplates'), selfUrl: ctx.selfUrl, expanded }) };
}

function template(ctx: ApiContext) {
  const t = workflowTemplate(ctx.params.templateId!);
  if (!t) throw lcwErrors.notFound('workflowTemplate', ctx.params.templateId!);
  return t;
}

export async function getTemplate(ctx: ApiContext): Promise<ApiResult> {
  const expanded = expansions(ctx.query, 'workflowTemplate', ['tasks']);
  return { status: 200, body: renderEntity(templateJson(template(ctx), expanded.has('tasks')), ctx.query, { entity: 'workflowTemplate', properties: PROPERTIES.workflowTemplate, context: `${contextUrl(ctx, 'workflowTemplates')}/$entity`, expanded }) };
}

export async function templateTasks(ctx: ApiContext): Promise<ApiResult> {
  const t = template(ctx);
  return { status: 200, body: renderCollection(t.tasks.map(taskJson), ctx.query, { entity: 'task', properties: PROPERTIES.task, context: contextUrl(ctx, `workflowTemplates('${t.id}')/tasks`), selfUrl: ctx.selfUrl }) };
}

export async function templateTask(ctx: ApiContext): Promise<ApiResult> {
  const t = template(ctx);
  const task = t.tasks.find((x) => x.id === ctx.params.taskId);
  if (!task) throw lcwErrors.notFound('task', ctx.params.taskId!);
  return { status: 200, body: renderEntity(taskJson(task), ctx.query, { entity: 'task', properties: PROPERTIES.task, context: `${contextUrl(ctx, `workflowTemplates('${t.id}')/tasks`)}/$entity` }) };
}

export async function listDefinitions(ctx: ApiContext): Promise<ApiResult> {
  // taskDefinitions are not countable (CSDL), so $count is refused as Graph refuses it.
  if (ctx.query.get('$count') !== undefined) throw lcwErrors.invalid('$count is not supported on taskDefinitions.');
  return { status: 200, body: renderCollection(taskDefinitions.map(definitionJson), ctx.query, { entity: 'taskDefinition', properties: PROPERTIES.taskDefinition, context: contextUrl(ctx, 'taskDefinitions'), selfUrl: ctx.selfUrl }) };
}

export async function getDefinition(ctx: ApiContext): Promise<ApiResult> {
  const d = taskDefinition(ctx.params.definitionId!);
  if (!d) throw lcwErrors.notFound('taskDefinition', ctx.params.definitionId!);
  return { status: 200, body: renderEntity(definitionJson(d), ctx.query, { entity: 'taskDefinition', properties: PROPERTIES.taskDefinition, context: `${contextUrl(ctx, 'taskDefinitions')}/$entity` }) };
}

export async function listExtensions(ctx: ApiContext): Promise<ApiResult> {
  const items = (await ctx.lc.repo.extensions(ctx.tenantId)).map(extensionJson);
  return { status: 200, body: renderCollection(items, ctx.query, { entity: 'customTaskExtension', properties: PROPERTIES.customTaskExtension, context: contextUrl(ctx, 'customTaskExtensions'), selfUrl: ctx.selfUrl }) };
}

export async function createExtension(ctx: ApiContext): Promise<ApiResult> {
  const x = await ctx.lc.operations.createExtension(ctx.tenantId, ctx.body);
  return { status: 201, body: { '@odata.context': `${contextUrl(ctx, 'customTaskExtensions')}/$entity`, ...extensionJson(x) } };
}

export async function getExtension(ctx: ApiContext): Promise<ApiResult> {
  const x = await ctx.lc.operations.extension(ctx.tenantId, ctx.params.extensionId!);
  return { status: 200, body: renderEntity(extensionJson(x), ctx.query, { entity: 'customTaskExtension', properties: PROPERTIES.customTaskExtension, context: `${contextUrl(ctx, 'customTaskExtensions')}/$entity` }) };
}

export async function patchExtension(ctx: ApiContext): Promise<ApiResult> {
  const x = await ctx.lc.operations.updateExtension(ctx.tenantId, ctx.params.extensionId!, ctx.body);
  return { status: 200, body: { '@odata.context': `${contextUrl(ctx, 'customTaskExtensions')}/$entity`, ...extensionJson(x) } };
}

export async function deleteExtension(ctx: ApiContext): Promise<ApiResult> {
  await ctx.lc.operations.deleteExtension(ctx.tenantId, ctx.params.extensionId!);
  return { status: 204 };
}

export async function getSettings(ctx: ApiContext): Promise<ApiResult> {
  const s = await ctx.lc.operations.settings(ctx.tenantId);
  return { status: 200, body: { '@odata.context': `${contextUrl(ctx, 'settings')}/$entity`, ...settingsJson(s) } };
}

export async function patchSettings(ctx: ApiContext): Promise<ApiResult> {
  await ctx.lc.operations.updateSettings(ctx.tenantId, ctx.body);
  return { status: 204 };
}

export async function insight(ctx: ApiContext): Promise<ApiResult> {
  const name = ctx.params.function!;
  const read = (k: string) => {
    const v = ctx.fnArgs[k]?.replace(/^'(.*)'$/, '$1');
    const t = v ? Date.parse(v) : NaN;
    if (!Number.isFinite(t)) throw lcwErrors.invalid(`${name} needs ${k} as a date and time, e.g. ${name}(startDateTime=2025-01-01T00:00:00Z,endDateTime=2025-01-31T00:00:00Z).`);
    return new Date(t);
  };
  const body = await ctx.reports.insight(ctx.tenantId, name, { from: read('startDateTime'), to: read('endDateTime') });
  if (body === undefined) throw lcwErrors.noRoute(`insights/${name}`);
  const type = { workflowsProcessedSummary: 'workflowsInsightsSummary', workflowsProcessedByCategory: 'workflowsInsightsByCategory', topWorkflowsProcessedSummary: 'topWorkflowsInsightsSummary', topTasksProcessedSummary: 'topTasksInsightsSummary' }[name];
  const context = `${ctx.root}/$metadata#${Array.isArray(body) ? `Collection(microsoft.graph.identityGovernance.${type})` : `microsoft.graph.identityGovernance.${type}`}`;
  return { status: 200, body: Array.isArray(body) ? { '@odata.context': context, value: body } : { '@odata.context': context, ...body } };
}
