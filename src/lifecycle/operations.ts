// What the Graph-compatible API does to lifecycle workflows, with Microsoft's rules and limits:
// create, new versions, the few in-place updates, soft delete and restore, on-demand activation,
// custom task extensions with their callback, and tenant settings.
import type { Clock } from '../core/clock.ts';
import { newId } from '../core/ids.ts';
import type { M365Connector } from '../m365/connector.ts';
import type { LifecycleRepo } from '../store/lifecycle-repo.ts';
import type { LifecycleResultsRepo, TaskResultRecord } from '../store/lifecycle-results-repo.ts';
import { readExtensionConfig, type ResumeWaiters } from './custom-extension.ts';
import { fetchUser, selectFor } from './directory.ts';
import { lcwErrors } from './errors.ts';
import { isQuarantined, LIMITS, NO_SETTINGS, NOT_QUARANTINED, type CustomTaskExtension, type Settings, type Workflow, type WorkflowVersion } from './model.ts';
import type { Processor } from './processor.ts';
import { readQuarantineConfiguration } from './quarantine.ts';
import { newProcessing } from './scheduler.ts';
import { isObject, readDisplayName, readWorkflow, readWorkflowPatch, type TaskChecks } from './workflow-input.ts';

export interface OperationsDeps {
  repo: LifecycleRepo;
  results: LifecycleResultsRepo;
  processor: Processor;
  connector: M365Connector;
  clock: Clock;
  waiters: ResumeWaiters;
}

export class LifecycleOperations {
  private readonly d: OperationsDeps;
  constructor(deps: OperationsDeps) {
    this.d = deps;
  }

  private checks(tenantId: string): TaskChecks {
    return { extensionExists: async (id) => (await this.d.repo.extension(tenantId, id)) !== undefined };
  }

  async workflow(tenantId: string, id: string, deleted = false): Promise<Workflow> {
    const wf = await this.d.repo.workflow(tenantId, id, { deleted });
    if (!wf) throw lcwErrors.notFound(deleted ? 'deleted workflow' : 'workflow', id);
    return wf;
  }

  private async uniqueName(tenantId: string, name: string, exceptId?: string): Promise<void> {
    if (await this.d.repo.nameTaken(tenantId, name, exceptId)) throw lcwErrors.invalid(`A workflow named '${name}' already exists in this tenant; workflow display names are unique.`);
  }

  async create(tenantId: string, body: unknown, actor: string): Promise<Workflow> {
    if ((await this.d.repo.countWorkflows(tenantId)) >= LIMITS.workflowsPerTenant) {
      throw lcwErrors.limit(`The tenant already has ${LIMITS.workflowsPerTenant} workflows, the most a tenant can have. Delete a workflow first.`);
    }
    const def = await readWorkflow(body, this.checks(tenantId));
    await this.uniqueName(tenantId, def.displayName);
    const now = this.d.clock.date().toISOString();
    const wf: Workflow = {
      ...def, settings: def.settings ?? { ...NO_SETTINGS }, id: newId(), tenantId, version: 1, createdDateTime: now, lastModifiedDateTime: now,
      deletedDateTime: null, createdBy: actor, lastModifiedBy: actor, quarantineDetails: { ...NOT_QUARANTINED },
    };
    await this.d.repo.insertWorkflow(wf, versionOf(wf));
    return wf;
  }

  /** createNewVersion: tasks and conditions change only here; the old definition stays as a version. */
  async newVersion(tenantId: string, id: string, body: unknown, actor: string): Promise<Workflow> {
    const wf = await this.workflow(tenantId, id);
    // Microsoft's documented body is {"workflow": {...}}; one of its own examples sends the workflow bare.
    const raw = isObject(body) && isObject(body.workflow) && Object.keys(body).every((k) => k === 'workflow' || k.startsWith('@odata.')) ? body.workflow : body;
    const def = await readWorkflow(raw, this.checks(tenantId), wf.category);
    await this.uniqueName(tenantId, def.displayName, wf.id);
    const now = this.d.clock.date().toISOString();
    // A new version keeps the quarantine configuration unless the body replaces it, and a
    // quarantined workflow stays quarantined: only clearQuarantine releases it.
    const next: Workflow = { ...wf, ...def, settings: def.settings ?? wf.settings ?? { ...NO_SETTINGS }, version: wf.version + 1, lastModifiedDateTime: now, lastModifiedBy: actor };
    if (!(await this.d.repo.addVersion(next, wf.version, versionOf(next)))) {
      throw lcwErrors.invalid('The workflow changed while this version was being created; read it again and retry.');
    }
    return next;
  }

  async patch(tenantId: string, id: string, body: unknown, actor: string): Promise<void> {
    const wf = await this.workflow(tenantId, id);
    const p = readWorkflowPatch(body);
    if (p.displayName !== undefined) await this.uniqueName(tenantId, p.displayName, wf.id);
    const isEnabled = p.isEnabled ?? wf.isEnabled;
    // Disabling a workflow stops its schedule too (scheduling needs an enabled workflow).
    const isSchedulingEnabled = p.isSchedulingEnabled ?? (p.isEnabled === false ? false : wf.isSchedulingEnabled);
    if (isSchedulingEnabled && !isEnabled) throw lcwErrors.invalid('isSchedulingEnabled cannot be true while isEnabled is false.');
    await this.d.repo.patchWorkflow(wf.id, { ...p, isEnabled, isSchedulingEnabled }, actor, this.d.clock.date());
  }

  async patchTask(tenantId: string, workflowId: string, taskId: string, body: unknown, actor: string): Promise<void> {
    const wf = await this.workflow(tenantId, workflowId);
    const task = wf.tasks.find((t) => t.id === taskId);
    if (!task) throw lcwErrors.notFound('task', taskId);
    if (!isObject(body)) throw lcwErrors.invalid('The request body must be a task object.');
    const bad = Object.keys(body).filter((k) => k !== 'displayName' && k !== 'description' && !k.startsWith('@odata.'));
    if (bad.length) throw lcwErrors.invalid(`Property '${bad[0]}' of a task cannot be updated with PATCH. Only displayName and description can; use createNewVersion for anything else.`);
    const tasks = wf.tasks.map((t) => (t.id !== taskId ? t : {
      ...t,
      ...('displayName' in body ? { displayName: readDisplayName(body.displayName) } : {}),
      ...('description' in body ? { description: body.description === null ? null : String(body.description) } : {}),
    }));
    await this.d.repo.setTasks(wf.id, tasks, actor, this.d.clock.date());
  }

  async softDelete(tenantId: string, id: string): Promise<void> {
    const wf = await this.workflow(tenantId, id);
    await this.d.repo.softDelete(wf.id, this.d.clock.date());
  }

  async restore(tenantId: string, id: string): Promise<Workflow> {
    const wf = await this.workflow(tenantId, id, true);
    if ((await this.d.repo.countWorkflows(tenantId)) >= LIMITS.workflowsPerTenant) throw lcwErrors.limit(`The tenant already has ${LIMITS.workflowsPerTenant} workflows; delete one before restoring another.`);
    await this.uniqueName(tenantId, wf.displayName, wf.id);
    await this.d.repo.restore(wf.id, this.d.clock.date());
    return (await this.d.repo.workflow(tenantId, id))!;
  }

  async purge(tenantId: string, id: string): Promise<void> {
    const wf = await this.workflow(tenantId, id, true);
    await this.d.repo.purge(wf.id);
  }

  /** On-demand run for at most 10 users, whatever the execution conditions say. */
  async activate(tenantId: string, id: string, body: unknown): Promise<string> {
    const wf = await this.workflow(tenantId, id);
    if (!wf.isEnabled) throw lcwErrors.invalid('The workflow is disabled; enable it (PATCH isEnabled true) before running it on demand.');
    notQuarantined(wf);
    const subjects = isObject(body) ? body.subjects : undefined;
    if (!Array.isArray(subjects) || !subjects.length || subjects.some((s) => !isObject(s) || typeof s.id !== 'string' || !s.id)) {
      throw lcwErrors.invalid('subjects is required: a list of users, each {"id": "<user object id>"}.');
    }
    if (subjects.length > LIMITS.onDemandSubjects) throw lcwErrors.limit(`A workflow can be run on demand for at most ${LIMITS.onDemandSubjects} users at a time, not ${subjects.length}.`);
    const ids = [...new Set(subjects.map((s) => String((s as { id: string }).id)))];
    const graph = this.d.connector.graph(tenantId);
    const users = [];
    for (const uid of ids) {
      const u = await fetchUser(graph, uid, selectFor([]));
      if (!u) throw lcwErrors.invalid(`The subject '${uid}' is not a user of this tenant.`);
      users.push(u);
    }
    const runId = newId();
    const now = this.d.clock.date();
    const inserted = await this.d.results.createRun(
      { id: runId, tenantId, workflowId: wf.id, workflowVersion: wf.version, executionType: 'onDemand', scheduledAt: now, activatedOnScope: { '@odata.type': '#microsoft.graph.identityGovernance.activateUserScope', users: ids.map((i) => ({ id: i })) } },
      newProcessing(wf, runId, 'onDemand', now, users.map((user) => ({ user, triggerKey: `onDemand:${runId}` }))),
    );
    this.d.processor.enqueue(inserted.map((u) => u.id));
    return runId;
  }

  // --- custom task extensions ------------------------------------------------------------------

  async createExtension(tenantId: string, body: unknown): Promise<CustomTaskExtension> {
    if (!isObject(body)) throw lcwErrors.invalid('The request body must be a customTaskExtension object.');
    checkExtensionProps(body);
    if ((await this.d.repo.countExtensions(tenantId)) >= LIMITS.customExtensionsPerTenant) {
      throw lcwErrors.limit(`The tenant already has ${LIMITS.customExtensionsPerTenant} custom task extensions, the most a tenant can have.`);
    }
    const cfg = readExtensionConfig(body, false);
    const now = this.d.clock.date().toISOString();
    const x: CustomTaskExtension = {
      id: newId(), tenantId, displayName: readDisplayName(body.displayName), description: typeof body.description === 'string' ? body.description : null,
      endpointConfiguration: cfg.endpoint, authenticationConfiguration: cfg.auth, clientConfiguration: cfg.client, callbackConfiguration: cfg.callback,
      createdDateTime: now, lastModifiedDateTime: now,
    };
    await this.d.repo.insertExtension(x);
    return x;
  }

  async extension(tenantId: string, id: string): Promise<CustomTaskExtension> {
    const x = await this.d.repo.extension(tenantId, id);
    if (!x) throw lcwErrors.notFound('customTaskExtension', id);
    return x;
  }

  async updateExtension(tenantId: string, id: string, body: unknown): Promise<CustomTaskExtension> {
    const x = await this.extension(tenantId, id);
    if (!isObject(body)) throw lcwErrors.invalid('The request body must be a customTaskExtension object.');
    checkExtensionProps(body);
    const cfg = readExtensionConfig(body, true);
    const next: CustomTaskExtension = {
      ...x,
      ...('displayName' in body ? { displayName: readDisplayName(body.displayName) } : {}),
      ...('description' in body ? { description: typeof body.description === 'string' ? body.description : null } : {}),
      ...('endpointConfiguration' in body ? { endpointConfiguration: cfg.endpoint } : {}),
      ...('authenticationConfiguration' in body ? { authenticationConfiguration: cfg.auth } : {}),
      ...('clientConfiguration' in body ? { clientConfiguration: cfg.client } : {}),
      ...('callbackConfiguration' in body ? { callbackConfiguration: cfg.callback } : {}),
      lastModifiedDateTime: this.d.clock.date().toISOString(),
    };
    await this.d.repo.updateExtension(next);
    return next;
  }

  async deleteExtension(tenantId: string, id: string): Promise<void> {
    const x = await this.extension(tenantId, id);
    const users = [...await this.d.repo.workflows(tenantId), ...await this.d.repo.workflows(tenantId, { deleted: true })]
      .filter((w) => w.tasks.some((t) => t.arguments.some((a) => a.name === 'customTaskExtensionID' && a.value.trim() === x.id)));
    if (users.length) throw lcwErrors.invalid(`The custom task extension is used by ${users.map((w) => `'${w.displayName}'`).join(', ')}; remove it from those workflows (a new version) first.`);
    await this.d.repo.deleteExtension(x.id);
  }

  /** The callback of a custom task extension: only while its task processing result is in progress. */
  async resume(tenantId: string, workflowId: string, taskId: string, resultId: string, body: unknown): Promise<void> {
    const tpr = await this.taskResultOf(tenantId, workflowId, taskId, resultId);
    const data = isObject(body) && isObject(body.data) ? body.data : undefined;
    const raw = data?.operationStatus;
    const status = typeof raw === 'string' ? raw.toLowerCase() : '';
    if (status !== 'completed' && status !== 'failed') throw lcwErrors.invalid(`data.operationStatus must be 'completed' or 'failed', not ${JSON.stringify(raw ?? null)}.`);
    if (isObject(body) && ((body.source !== undefined && typeof body.source !== 'string') || (body.type !== undefined && typeof body.type !== 'string'))) {
      throw lcwErrors.invalid('source and type must be strings.');
    }
    if (!(await this.d.results.resume(tpr.id, status, this.d.clock.date()))) {
      throw lcwErrors.invalid(`The task processing result is ${tpr.status}${tpr.resumeStatus ? ' and was already resumed' : ''}; only one in progress can be resumed.`);
    }
    this.d.waiters.notify(tpr.id);
  }

  async taskResultOf(tenantId: string, workflowId: string, taskId: string, resultId: string): Promise<TaskResultRecord> {
    const tpr = await this.d.results.taskResult(resultId);
    if (!tpr || tpr.tenantId !== tenantId || tpr.workflowId !== workflowId || tpr.taskId !== taskId) throw lcwErrors.notFound('taskProcessingResult', resultId);
    return tpr;
  }

  // --- settings ----------------------------------------------------------------------------------

  async settings(tenantId: string): Promise<Settings> {
    const s = await this.d.repo.settings(tenantId);
    return { workflowScheduleIntervalInHours: s.workflowScheduleIntervalInHours, emailSettings: s.emailSettings, quarantineConfiguration: s.quarantineConfiguration };
  }

  async updateSettings(tenantId: string, body: unknown): Promise<void> {
    if (!isObject(body)) throw lcwErrors.invalid('The request body must be a lifecycleManagementSettings object.');
    const bad = Object.keys(body).filter((k) => k !== 'workflowScheduleIntervalInHours' && k !== 'emailSettings' && k !== 'quarantineConfiguration' && !k.startsWith('@odata.'));
    if (bad.length) throw lcwErrors.invalid(`'${bad[0]}' is not a property of lifecycleManagementSettings that can be updated.`);
    const s = await this.settings(tenantId);
    if ('workflowScheduleIntervalInHours' in body) {
      const h = body.workflowScheduleIntervalInHours;
      const { min, max } = LIMITS.scheduleIntervalHours;
      if (typeof h !== 'number' || !Number.isInteger(h) || h < min || h > max) throw lcwErrors.invalid(`workflowScheduleIntervalInHours must be a whole number from ${min} to ${max}, not ${JSON.stringify(h)}.`);
      s.workflowScheduleIntervalInHours = h;
    }
    if ('emailSettings' in body) {
      const e = body.emailSettings;
      if (!isObject(e)) throw lcwErrors.invalid('emailSettings must be an object {senderDomain, useCompanyBranding}.');
      if (e.senderDomain !== undefined && e.senderDomain !== null && (typeof e.senderDomain !== 'string' || !/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(e.senderDomain))) throw lcwErrors.invalid(`emailSettings.senderDomain must be a domain name, not ${JSON.stringify(e.senderDomain)}.`);
      if (e.useCompanyBranding !== undefined && typeof e.useCompanyBranding !== 'boolean') throw lcwErrors.invalid('emailSettings.useCompanyBranding must be true or false.');
      s.emailSettings = {
        senderDomain: e.senderDomain === undefined ? s.emailSettings.senderDomain : (e.senderDomain as string | null),
        useCompanyBranding: typeof e.useCompanyBranding === 'boolean' ? e.useCompanyBranding : s.emailSettings.useCompanyBranding,
      };
    }
    if ('quarantineConfiguration' in body) s.quarantineConfiguration = readQuarantineConfiguration(body.quarantineConfiguration, 'quarantineConfiguration');
    await this.d.repo.updateSettings(tenantId, s);
  }
}

/**
 * A quarantined workflow runs for nobody until it is released (Microsoft: clearQuarantine "allows
 * the workflow to run again"), on demand included; previewWorkflow, which executes nothing, still works.
 */
export function notQuarantined(wf: Workflow): void {
  if (!isQuarantined(wf)) return;
  throw lcwErrors.invalid(`The workflow is quarantined: ${wf.quarantineDetails!.quarantineReason ?? `${wf.quarantineDetails!.quarantineType}.`} Review why, then release it with clearQuarantine before running it.`);
}

const EXTENSION_PROPS = new Set(['id', 'displayName', 'description', 'endpointConfiguration', 'authenticationConfiguration', 'clientConfiguration', 'callbackConfiguration', 'createdDateTime', 'lastModifiedDateTime']);

function checkExtensionProps(body: Record<string, unknown>): void {
  for (const k of Object.keys(body)) {
    if (!EXTENSION_PROPS.has(k) && !k.startsWith('@odata.')) throw lcwErrors.invalid(`'${k}' is not a property of microsoft.graph.identityGovernance.customTaskExtension.`);
  }
}

export function versionOf(wf: Workflow): WorkflowVersion {
  return {
    versionNumber: wf.version, category: wf.category, displayName: wf.displayName, description: wf.description, isEnabled: wf.isEnabled,
    isSchedulingEnabled: wf.isSchedulingEnabled, executionConditions: wf.executionConditions, tasks: wf.tasks, settings: wf.settings ?? { ...NO_SETTINGS },
    createdDateTime: wf.lastModifiedDateTime, lastModifiedDateTime: wf.lastModifiedDateTime, createdBy: wf.lastModifiedBy,
  };
}
