// Reads a client's workflow JSON (POST /workflows, createNewVersion) into the model, or throws a
// 400 naming the first problem: unknown or missing properties, task definitions, argument values,
// category compatibility and Microsoft's limits. Read-only properties a client echoes back (id,
// version, timestamps, quarantineDetails) are accepted and ignored, as Graph does. settings (the
// quarantine configuration) is part of a definition: set on create and createNewVersion, never PATCHed.
import { newId } from '../core/ids.ts';
import { readConditions } from './conditions.ts';
import { lcwErrors } from './errors.ts';
import { LIMITS, workflowCategories, type KeyValuePair, type Task, type WorkflowCategory, type WorkflowDefinitionPart } from './model.ts';
import { readWorkflowSetting } from './quarantine.ts';
import { definitionAllows, taskDefinition } from './task-definitions.ts';

const WRITABLE = new Set(['category', 'description', 'displayName', 'executionConditions', 'isEnabled', 'isSchedulingEnabled', 'tasks', 'settings']);
const READ_ONLY = new Set(['id', 'version', 'createdDateTime', 'lastModifiedDateTime', 'deletedDateTime', 'nextScheduleRunDateTime', 'createdBy', 'lastModifiedBy', 'quarantineDetails', 'administrationScopeTargets']);
const TASK_PROPS = new Set(['id', 'arguments', 'category', 'continueOnError', 'description', 'displayName', 'executionSequence', 'isEnabled', 'taskDefinitionId']);

/** PATCH /workflows/{id} may change only these (everything else needs createNewVersion). */
export const PATCHABLE = ['displayName', 'description', 'isEnabled', 'isSchedulingEnabled'] as const;

/** Arguments a task cannot run without. */
const REQUIRED_ARGS: Record<string, string[]> = {
  '22085229-5809-45e8-97fd-270d28d66910': ['groupID'],
  '1953a66c-751c-45e5-8bfe-01462c70da3c': ['groupID'],
  'e440ed8d-25a1-4618-84ce-091ed5be5594': ['teamID'],
  '06aa7acb-01af-4824-8899-b14e5ed788d6': ['teamID'],
  '683c87a4-2ad4-420b-97d4-220d90afcd24': ['licenses'],
  '5fc402a8-daaf-4b7b-9203-da868b05fc5f': ['licenses'],
  '4262b724-8dba-4fad-afc3-43fcbb497a0e': ['customTaskExtensionID'],
  '2c8f4a1b-7d3e-4f9c-8a5b-6e1d2c3f4a5b': ['attributeUpdates'],
};

export function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

const isAnnotation = (k: string) => k.startsWith('@odata.') || k.includes('@odata.');

function optionalBool(v: unknown, name: string, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw lcwErrors.invalid(`${name} must be true or false.`);
  return v;
}

function optionalText(v: unknown, name: string, max: number): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw lcwErrors.invalid(`${name} must be a string.`);
  if (v.length > max) throw lcwErrors.invalid(`${name} must be at most ${max} characters.`);
  return v;
}

export function readDisplayName(v: unknown, what = 'displayName'): string {
  if (typeof v !== 'string' || !v.trim()) throw lcwErrors.invalid(`${what} is required.`);
  if (v.length > 256) throw lcwErrors.invalid(`${what} must be at most 256 characters.`);
  return v;
}

function readArguments(raw: unknown, label: string, definitionId: string): KeyValuePair[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw lcwErrors.invalid(`${label}: arguments must be a list of {"name", "value"}.`);
  const def = taskDefinition(definitionId)!;
  const seen = new Set<string>();
  return raw.map((a) => {
    if (!isObject(a) || typeof a.name !== 'string' || typeof a.value !== 'string') throw lcwErrors.invalid(`${label}: each argument is {"name": string, "value": string}.`);
    const param = def.parameters.find((p) => p.name === a.name);
    if (!param) throw lcwErrors.invalid(`${label}: '${a.name}' is not an argument of task definition '${def.displayName}'; its arguments are ${def.parameters.map((p) => p.name).join(', ') || 'none'}.`);
    if (seen.has(a.name)) throw lcwErrors.invalid(`${label}: argument '${a.name}' is given twice.`);
    seen.add(a.name);
    if (param.valueType === 'enum' && a.value !== '' && !param.values.includes(a.value)) throw lcwErrors.invalid(`${label}: argument '${a.name}' must be one of ${param.values.join(', ')}, not '${a.value}'.`);
    if (a.name === 'tapLifetimeMinutes' && a.value !== '') {
      const n = Number(a.value);
      if (!Number.isInteger(n) || n < 10 || n > 43200) throw lcwErrors.invalid(`${label}: tapLifetimeMinutes must be a whole number from 10 to 43200, not '${a.value}'.`);
    }
    return { name: a.name, value: a.value };
  });
}

export interface TaskChecks {
  /** Whether a custom task extension exists in the tenant. */
  extensionExists(id: string): Promise<boolean>;
}

export async function readTasks(raw: unknown, category: WorkflowCategory, checks: TaskChecks): Promise<Task[]> {
  if (!Array.isArray(raw) || !raw.length) throw lcwErrors.invalid('tasks is required: a workflow needs at least one task.');
  if (raw.length > LIMITS.tasksPerWorkflow) throw lcwErrors.limit(`A workflow can have at most ${LIMITS.tasksPerWorkflow} tasks; this one has ${raw.length}.`);
  const tasks: Task[] = [];
  for (const [i, t] of raw.entries()) {
    const label = `tasks[${i}]`;
    if (!isObject(t)) throw lcwErrors.invalid(`${label} must be an object.`);
    for (const k of Object.keys(t)) if (!TASK_PROPS.has(k) && !isAnnotation(k)) throw lcwErrors.invalid(`${label}: '${k}' is not a property of a task.`);
    if (typeof t.taskDefinitionId !== 'string' || !t.taskDefinitionId.trim()) throw lcwErrors.invalid(`${label}: taskDefinitionId is required.`);
    const def = taskDefinition(t.taskDefinitionId);
    if (!def) throw lcwErrors.invalid(`${label}: taskDefinitionId '${t.taskDefinitionId}' is not a task definition; GET /identityGovernance/lifecycleWorkflows/taskDefinitions lists them.`);
    if (!definitionAllows(def, category)) throw lcwErrors.invalid(`${label}: task '${def.displayName}' (${def.category}) cannot be used in a ${category} workflow.`);
    const args = readArguments(t.arguments, label, def.id);
    for (const name of REQUIRED_ARGS[def.id.toLowerCase()] ?? []) {
      if (!args.some((a) => a.name === name && a.value.trim())) throw lcwErrors.invalid(`${label}: task '${def.displayName}' needs a value for its '${name}' argument.`);
    }
    const extId = args.find((a) => a.name === 'customTaskExtensionID')?.value.trim();
    if (extId && !(await checks.extensionExists(extId))) throw lcwErrors.invalid(`${label}: customTaskExtensionID '${extId}' is not a custom task extension of this tenant.`);
    tasks.push({
      id: newId(),
      displayName: t.displayName === undefined || t.displayName === null ? def.displayName : readDisplayName(t.displayName, `${label}.displayName`),
      description: optionalText(t.description, `${label}.description`, 1024) ?? def.description,
      taskDefinitionId: def.id,
      category: def.category,
      continueOnError: optionalBool(t.continueOnError, `${label}.continueOnError`, false),
      isEnabled: optionalBool(t.isEnabled, `${label}.isEnabled`, true),
      executionSequence: i + 1,
      arguments: args,
    });
  }
  return tasks;
}

/**
 * A whole workflow definition (create, or the body of createNewVersion). settings is returned only
 * when the body has it: createNewVersion keeps the current quarantine configuration unless the
 * body replaces it (null removes it), so a client that does not know the property cannot drop it.
 */
export async function readWorkflow(raw: unknown, checks: TaskChecks, fixedCategory?: WorkflowCategory): Promise<WorkflowDefinitionPart> {
  if (!isObject(raw)) throw lcwErrors.invalid('The request body must be a workflow object.');
  for (const k of Object.keys(raw)) {
    if (!WRITABLE.has(k) && !READ_ONLY.has(k) && !isAnnotation(k)) throw lcwErrors.invalid(`'${k}' is not a property of microsoft.graph.identityGovernance.workflow.`);
  }
  if (!workflowCategories.includes(raw.category as WorkflowCategory)) throw lcwErrors.invalid(`category is required: one of ${workflowCategories.join(', ')}.`);
  const category = raw.category as WorkflowCategory;
  if (fixedCategory && category !== fixedCategory) throw lcwErrors.invalid(`The category of a workflow cannot change (it is ${fixedCategory}); create a new workflow instead.`);
  const displayName = readDisplayName(raw.displayName);
  const isEnabled = optionalBool(raw.isEnabled, 'isEnabled', true);
  const isSchedulingEnabled = optionalBool(raw.isSchedulingEnabled, 'isSchedulingEnabled', false);
  if (isSchedulingEnabled && !isEnabled) throw lcwErrors.invalid('isSchedulingEnabled cannot be true while isEnabled is false.');
  if (raw.executionConditions === undefined || raw.executionConditions === null) throw lcwErrors.invalid('executionConditions is required.');
  const executionConditions = readConditions(raw.executionConditions, category);
  const tasks = await readTasks(raw.tasks, category, checks);
  const settings = 'settings' in raw ? readWorkflowSetting(raw.settings) : undefined;
  return { category, displayName, description: optionalText(raw.description, 'description', 1024), isEnabled, isSchedulingEnabled, executionConditions, tasks, ...(settings ? { settings } : {}) };
}

/** The fields of a PATCH, or a 400 naming the ones only createNewVersion may change. */
export function readWorkflowPatch(raw: unknown): Partial<Pick<WorkflowDefinitionPart, (typeof PATCHABLE)[number]>> {
  if (!isObject(raw)) throw lcwErrors.invalid('The request body must be a workflow object.');
  const bad = Object.keys(raw).filter((k) => !(PATCHABLE as readonly string[]).includes(k) && !isAnnotation(k));
  if (bad.includes('quarantineDetails')) {
    throw lcwErrors.invalid("Property 'quarantineDetails' cannot be updated with PATCH: it is read-only. Release a quarantined workflow with clearQuarantine.");
  }
  if (bad.length) {
    throw lcwErrors.invalid(`Property '${bad[0]}' cannot be updated with PATCH. Only ${PATCHABLE.join(', ')} can be updated; use createNewVersion to change tasks, executionConditions, settings or other properties.`);
  }
  const out: Partial<Pick<WorkflowDefinitionPart, (typeof PATCHABLE)[number]>> = {};
  if ('displayName' in raw) out.displayName = readDisplayName(raw.displayName);
  if ('description' in raw) out.description = optionalText(raw.description, 'description', 1024);
  if ('isEnabled' in raw) out.isEnabled = optionalBool(raw.isEnabled, 'isEnabled', true);
  if ('isSchedulingEnabled' in raw) out.isSchedulingEnabled = optionalBool(raw.isSchedulingEnabled, 'isSchedulingEnabled', false);
  return out;
}
