// Workflow actions over a chosen scope: activateWithScope, cancelProcessing, previewWorkflow,
// previewTaskFailures, clearQuarantine, and the reprocessedRuns of a run or user result.
import { lcwErrors } from '../../lifecycle/errors.ts';
import { ScopedOperations } from '../../lifecycle/scoped-operations.ts';
import { PROPERTIES, renderCollection } from './odata-query.ts';
import { contextUrl, workflowJson, type ApiContext, type ApiResult } from './resources.ts';

function ops(ctx: ApiContext): ScopedOperations {
  return new ScopedOperations({
    db: ctx.rt.store.db, repo: ctx.lc.repo, results: ctx.lc.results, processor: ctx.lc.processor,
    connector: ctx.rt.connector, clock: ctx.lc.clock, operations: ctx.lc.operations,
  });
}

function notDeleted(ctx: ApiContext, what: string): void {
  if (ctx.deleted) throw lcwErrors.invalid(`A deleted workflow cannot ${what}; restore it first.`);
}

export async function activateWithScope(ctx: ApiContext): Promise<ApiResult> {
  notDeleted(ctx, 'run');
  await ops(ctx).activateWithScope(ctx.tenantId, ctx.params.id!, ctx.body);
  return { status: 204 };
}

export async function cancelProcessing(ctx: ApiContext): Promise<ApiResult> {
  notDeleted(ctx, 'have its processing canceled');
  await ops(ctx).cancelProcessing(ctx.tenantId, ctx.params.id!, ctx.body);
  return { status: 204 };
}

export async function previewWorkflow(ctx: ApiContext): Promise<ApiResult> {
  notDeleted(ctx, 'be previewed');
  await ops(ctx).preview(ctx.tenantId, ctx.params.id!, ctx.body);
  return { status: 204 };
}

export async function previewTaskFailures(ctx: ApiContext): Promise<ApiResult> {
  notDeleted(ctx, 'be previewed');
  const value = await ops(ctx).taskFailures(ctx.tenantId, ctx.params.id!);
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#Collection(microsoft.graph.identityGovernance.previewFailedTask)`, value } };
}

export async function clearQuarantine(ctx: ApiContext): Promise<ApiResult> {
  notDeleted(ctx, 'leave quarantine');
  const wf = await ops(ctx).clearQuarantine(ctx.tenantId, ctx.params.id!);
  const s = await ctx.lc.repo.settings(ctx.tenantId);
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#microsoft.graph.identityGovernance.workflow`, ...workflowJson(wf, { tasks: false, nextPassAt: s.nextPassAt, now: ctx.lc.clock.date() }) } };
}

export async function reprocessedRuns(ctx: ApiContext): Promise<ApiResult> {
  const wf = await ctx.lc.operations.workflow(ctx.tenantId, ctx.params.id!, ctx.deleted);
  const ids = new Set(await ops(ctx).reprocessedRuns(ctx.tenantId, wf, ctx.params.runId!, ctx.params.userResultId));
  const items = (await ctx.reports.runs(ctx.tenantId, wf.id)).filter((r) => ids.has(String(r.id)));
  const path = `workflows('${wf.id}')/runs('${ctx.params.runId}')${ctx.params.userResultId ? `/userProcessingResults('${ctx.params.userResultId}')` : ''}/reprocessedRuns`;
  return { status: 200, body: renderCollection(items, ctx.query, { entity: 'run', properties: PROPERTIES.run, context: contextUrl(ctx, path), selfUrl: ctx.selfUrl }) };
}
