// The paths of the lifecycleWorkflows API (graph-api.md A2) and their handlers. Bound actions and
// functions are accepted in the short form (`activate`, `summary(…)`) and the namespace-qualified
// form Kiota SDKs send (`microsoft.graph.identityGovernance.activate`); everything under
// deletedItems/workflows/{id}/… reads the soft-deleted workflow.
import { LcwError, lcwErrors } from '../../lifecycle/errors.ts';
import * as C from './container-handlers.ts';
import * as R from './report-handlers.ts';
import type { ApiContext, ApiResult } from './resources.ts';
import * as S from './scoped-handlers.ts';
import * as W from './workflow-handlers.ts';

type Handler = (ctx: ApiContext) => Promise<ApiResult>;
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Pattern segments: literal names (case-insensitive for actions), `:param`, `name()` functions, `:param()` named functions. */
const routes: Array<[Method, string, Handler]> = [
  ['GET', '', C.container],
  ['GET', 'workflows', W.listWorkflows],
  ['POST', 'workflows', W.createWorkflow],
  ['GET', 'workflows/:id', W.getWorkflow],
  ['PATCH', 'workflows/:id', W.patchWorkflow],
  ['DELETE', 'workflows/:id', W.deleteWorkflow],
  ['POST', 'workflows/:id/activate', W.activate],
  ['POST', 'workflows/:id/createNewVersion', W.createNewVersion],
  ['POST', 'workflows/:id/restore', W.restore],
  ['POST', 'workflows/:id/activateWithScope', S.activateWithScope],
  ['POST', 'workflows/:id/cancelProcessing', S.cancelProcessing],
  ['POST', 'workflows/:id/previewWorkflow', S.previewWorkflow],
  ['POST', 'workflows/:id/previewTaskFailures', S.previewTaskFailures],
  ['POST', 'workflows/:id/clearQuarantine', S.clearQuarantine],
  ['GET', 'workflows/:id/executionScope', R.executionScope],
  ['GET', 'workflows/:id/tasks', W.listTasks],
  ['GET', 'workflows/:id/tasks/:taskId', W.getTask],
  ['PATCH', 'workflows/:id/tasks/:taskId', W.patchTask],
  ['GET', 'workflows/:id/tasks/:taskId/taskProcessingResults', W.taskProcessingResultsOfTask],
  ['POST', 'workflows/:id/tasks/:taskId/taskProcessingResults/:resultId/resume', W.resume],
  ['GET', 'workflows/:id/versions', W.listVersions],
  ['GET', 'workflows/:id/versions/:versionNumber', W.getVersion],
  ['GET', 'workflows/:id/versions/:versionNumber/tasks', W.versionTasks],
  ['GET', 'workflows/:id/versions/:versionNumber/tasks/:taskId', W.versionTask],
  ['GET', 'workflows/:id/runs', R.listRuns],
  ['GET', 'workflows/:id/runs/summary()', R.runSummary],
  ['GET', 'workflows/:id/runs/:runId', R.getRun],
  ['GET', 'workflows/:id/runs/:runId/userProcessingResults', R.userResults],
  ['GET', 'workflows/:id/runs/:runId/userProcessingResults/:userResultId', R.userResult],
  ['GET', 'workflows/:id/runs/:runId/userProcessingResults/:userResultId/taskProcessingResults', R.taskResults],
  ['GET', 'workflows/:id/runs/:runId/taskProcessingResults', R.taskResults],
  ['GET', 'workflows/:id/runs/:runId/reprocessedRuns', S.reprocessedRuns],
  ['GET', 'workflows/:id/runs/:runId/userProcessingResults/:userResultId/reprocessedRuns', S.reprocessedRuns],
  ['GET', 'workflows/:id/userProcessingResults', R.userResults],
  ['GET', 'workflows/:id/userProcessingResults/summary()', R.userSummary],
  ['GET', 'workflows/:id/userProcessingResults/:userResultId', R.userResult],
  ['GET', 'workflows/:id/userProcessingResults/:userResultId/taskProcessingResults', R.taskResults],
  ['GET', 'workflows/:id/taskReports', R.taskReports],
  ['GET', 'workflows/:id/taskReports/summary()', R.taskReportSummary],
  ['GET', 'workflows/:id/taskReports/:reportId', R.taskReport],
  ['GET', 'workflows/:id/taskReports/:reportId/taskProcessingResults', R.taskResults],
  ['GET', 'workflowTemplates', C.listTemplates],
  ['GET', 'workflowTemplates/:templateId', C.getTemplate],
  ['GET', 'workflowTemplates/:templateId/tasks', C.templateTasks],
  ['GET', 'workflowTemplates/:templateId/tasks/:taskId', C.templateTask],
  ['GET', 'taskDefinitions', C.listDefinitions],
  ['GET', 'taskDefinitions/:definitionId', C.getDefinition],
  ['GET', 'customTaskExtensions', C.listExtensions],
  ['POST', 'customTaskExtensions', C.createExtension],
  ['GET', 'customTaskExtensions/:extensionId', C.getExtension],
  ['PATCH', 'customTaskExtensions/:extensionId', C.patchExtension],
  ['DELETE', 'customTaskExtensions/:extensionId', C.deleteExtension],
  ['GET', 'settings', C.getSettings],
  ['PATCH', 'settings', C.patchSettings],
  ['GET', 'insights/:function()', C.insight],
];

const NAMESPACE = /^microsoft\.graph\.identityGovernance\./i;

interface Segment {
  name: string;
  args: Record<string, string> | undefined;
}

/** Splits `summary(startDateTime=…,endDateTime=…)` into its name and arguments. */
function segment(raw: string): Segment {
  const s = raw.replace(NAMESPACE, '');
  const open = s.indexOf('(');
  if (open < 0 || !s.endsWith(')')) return { name: s, args: undefined };
  const args: Record<string, string> = {};
  for (const part of s.slice(open + 1, -1).split(',')) {
    if (!part.trim()) continue;
    const eq = part.indexOf('=');
    if (eq < 0) throw lcwErrors.invalid(`Function parameter '${part}' must be name=value.`);
    args[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { name: s.slice(0, open), args };
}

const compiled = routes.map(([method, pattern, handler]) => ({ method, parts: pattern ? pattern.split('/') : [], handler }));

export interface Match {
  handler: Handler;
  params: Record<string, string>;
  fnArgs: Record<string, string>;
  deleted: boolean;
}

/** Finds the handler of a path below lifecycleWorkflows/ (segments already URL-decoded). */
export function match(method: string, rawSegments: string[]): Match {
  let segments = rawSegments.map(segment);
  let deleted = false;
  const lower = (i: number) => segments[i]?.name.toLowerCase();
  if (lower(0) === 'deleteditems' && lower(1) === 'workflows') {
    deleted = true;
    segments = segments.slice(1);
  } else if (lower(0) === 'deleteditems' && segments.length === 1) {
    throw lcwErrors.noRoute('deletedItems');
  }
  let pathMatched = false;
  for (const r of compiled) {
    if (r.parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let fnArgs: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < r.parts.length && ok; i++) {
      const p = r.parts[i]!, s = segments[i]!;
      const fn = p.endsWith('()');
      const name = fn ? p.slice(0, -2) : p;
      if (fn !== (s.args !== undefined)) { ok = false; break; }
      if (name.startsWith(':')) params[name.slice(1)] = s.name;
      else ok = name.toLowerCase() === s.name.toLowerCase();
      if (fn && ok) fnArgs = s.args!;
    }
    if (!ok) continue;
    pathMatched = true;
    if (r.method !== method) continue;
    return { handler: r.handler, params, fnArgs, deleted };
  }
  const path = rawSegments.join('/');
  if (pathMatched) throw lcwErrors.methodNotAllowed(method, path);
  throw new LcwError(400, 'BadRequest', `Resource not found for the segment '${rawSegments[rawSegments.length - 1] ?? 'lifecycleWorkflows'}' in '${path}'.`);
}
