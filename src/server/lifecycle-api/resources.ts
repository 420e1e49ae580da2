// Graph JSON of the lifecycle resources the model holds (workflows, versions, templates, task
// definitions, custom task extensions, settings), and the context of one API request.
import type { Lifecycle } from '../../lifecycle/service.ts';
import { NO_SETTINGS, NOT_QUARANTINED, T, type CustomTaskExtension, type Settings, type Workflow, type WorkflowSetting, type WorkflowVersion } from '../../lifecycle/model.ts';
import { taskJson, type Json, type Reports } from '../../lifecycle/reports.ts';
import type { TaskDefinition } from '../../lifecycle/task-definitions.ts';
import type { WorkflowTemplate } from '../../lifecycle/templates.ts';
import type { Caller } from '../http/auth.ts';
import type { Runtime } from '../runtime.ts';
import type { Query } from './odata-query.ts';

export interface ApiContext {
  rt: Runtime;
  lc: Lifecycle;
  reports: Reports;
  tenantId: string;
  caller: Caller;
  method: string;
  params: Record<string, string>;
  /** Parameters of a function segment, e.g. summary(startDateTime=…,endDateTime=…). */
  fnArgs: Record<string, string>;
  query: Query;
  body: unknown;
  /** https://host/graph/{tenant}/{version} */
  root: string;
  /** The requested URL without its query. */
  selfUrl: string;
  /** Reached through deletedItems/workflows/{id}/…: the workflow is a soft-deleted one. */
  deleted: boolean;
}

export interface ApiResult {
  status: number;
  body?: unknown;
}

export const CONTAINER = 'identityGovernance/lifecycleWorkflows';

export function contextUrl(ctx: ApiContext, path: string): string {
  return `${ctx.root}/$metadata#${CONTAINER}/${path}`;
}

export function workflowJson(wf: Workflow, opts: { tasks: boolean; nextPassAt: Date | null; now: Date }): Json {
  const scheduled = wf.isEnabled && wf.isSchedulingEnabled && !wf.deletedDateTime && wf.executionConditions['@odata.type'] !== T.onDemand;
  return {
    id: wf.id,
    category: wf.category,
    createdDateTime: wf.createdDateTime,
    deletedDateTime: wf.deletedDateTime,
    description: wf.description,
    displayName: wf.displayName,
    executionConditions: wf.executionConditions,
    isEnabled: wf.isEnabled,
    isSchedulingEnabled: wf.isSchedulingEnabled,
    lastModifiedDateTime: wf.lastModifiedDateTime,
    nextScheduleRunDateTime: scheduled ? (opts.nextPassAt ?? opts.now).toISOString() : null,
    quarantineDetails: { ...(wf.quarantineDetails ?? NOT_QUARANTINED) },
    settings: settingJson(wf.settings),
    version: wf.version,
    ...(opts.tasks ? { tasks: wf.tasks.map(taskJson) } : {}),
  };
}

/** workflowSetting; versions saved before quarantine existed have none. */
function settingJson(s: WorkflowSetting | undefined): Json {
  return { quarantineConfiguration: (s ?? NO_SETTINGS).quarantineConfiguration };
}

export function versionJson(v: WorkflowVersion, tasks: boolean): Json {
  return {
    versionNumber: v.versionNumber,
    category: v.category,
    createdDateTime: v.createdDateTime,
    description: v.description,
    displayName: v.displayName,
    executionConditions: v.executionConditions,
    isEnabled: v.isEnabled,
    isSchedulingEnabled: v.isSchedulingEnabled,
    lastModifiedDateTime: v.lastModifiedDateTime,
    settings: settingJson(v.settings),
    ...(tasks ? { tasks: v.tasks.map(taskJson) } : {}),
  };
}

export function templateJson(t: WorkflowTemplate, tasks: boolean): Json {
  return {
    id: t.id, category: t.category, description: t.description, displayName: t.displayName, executionConditions: t.executionConditions,
    ...(tasks ? { tasks: t.tasks.map(taskJson) } : {}),
  };
}

export function definitionJson(d: TaskDefinition): Json {
  return { id: d.id, category: d.category, continueOnError: false, description: d.description, displayName: d.displayName, parameters: d.parameters, version: d.version };
}

export function extensionJson(x: CustomTaskExtension): Json {
  return {
    id: x.id, displayName: x.displayName, description: x.description, endpointConfiguration: x.endpointConfiguration,
    authenticationConfiguration: x.authenticationConfiguration, clientConfiguration: x.clientConfiguration,
    callbackConfiguration: x.callbackConfiguration, createdDateTime: x.createdDateTime, lastModifiedDateTime: x.lastModifiedDateTime,
  };
}

export function settingsJson(s: Settings): Json {
  return { workflowScheduleIntervalInHours: s.workflowScheduleIntervalInHours, emailSettings: s.emailSettings, quarantineConfiguration: s.quarantineConfiguration };
}
