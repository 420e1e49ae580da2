// From a request to a Pending run (a card): resolve parameters, validate every step that can be
// validated now, preview what will change, and store it. Nothing touches the tenant but reads.
import { AppError, toAppError, type ErrorBody } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { maskSecrets } from '../core/secrets.ts';
import type { ActionDefinition, Change, Preview, Scratch, Validation } from '../m365/actions/action.ts';
import { checkParams } from '../m365/actions/support/params.ts';
import type { WorkflowDefinition, WorkflowStep } from './definition.ts';
import { compileCondition, evaluate, references, type Scope } from './expressions.ts';
import { resolveParams } from './params.ts';
import type { EnginePorts } from './ports.ts';
import { ENGINE_VERSION } from './ports.ts';
import type { MissingQuestion, RunPreview, StepPreview } from './types.ts';

export interface CreateRunRequest {
  tenantId: string;
  workflowId: string;
  params: Record<string, unknown>;
  context?: Record<string, unknown>;
  actor: string | null;
  conversationId?: string | null;
  /** Run a given version (admins test-running a Draft); default: the Active version. */
  version?: number;
  /** An ad-hoc definition (undo runs). */
  definition?: { definition: WorkflowDefinition; version: number; workflowId: string };
  undoOf?: string;
}

export interface CreatedRun {
  id: string;
  state: 'Pending';
  preview: RunPreview;
  missing: MissingQuestion[];
  errors: ErrorBody[];
}

/** A scratch that forgets: validate and preview never persist anything. */
const readOnlyScratch: Scratch = { get: () => undefined, set: async () => {} };

export async function createRun(ports: EnginePorts, req: CreateRunRequest): Promise<CreatedRun> {
  const tenant = ports.contexts.tenant(req.tenantId);
  if (!tenant) throw new AppError({ code: 'unknown_tenant', message: `No tenant '${req.tenantId}' is configured.`, param: 'tenant', value: req.tenantId });
  const wf = req.definition ?? (await (async () => {
    const found = await ports.workflows.get(req.workflowId, req.version);
    if (!found) throw new AppError({ code: 'unknown_workflow', message: `No workflow '${req.workflowId}'${req.version ? ` version ${req.version}` : ''}.`, param: 'workflow', value: req.workflowId });
    return { ...found, workflowId: req.workflowId };
  })());
  const def = wf.definition;
  const context = req.context ?? {};
  const resolved = resolveParams(def, req.params, context, tenant.defaults, tenant.domain);
  const missing = [...resolved.missing];
  const errors: AppError[] = [...resolved.errors];
  const scope: Scope = { params: resolved.values, context, tenant: { id: tenant.id, domain: tenant.domain, displayName: tenant.displayName, defaults: tenant.defaults }, steps: {} };
  const steps: StepPreview[] = [];
  const runnable: Array<{ step: StepPreview; action: ActionDefinition; inputs: Record<string, unknown> }> = [];
  const knownChecks: Array<{ step: WorkflowStep; action: ActionDefinition; known: Record<string, unknown> }> = [];

  for (const step of def.steps) {
    const action = ports.actions.get(step.action);
    const title = step.name ?? action?.title ?? step.action;
    const sp: StepPreview = { stepId: step.id, action: step.action, title };
    steps.push(sp);
    if (!action) {
      errors.push(new AppError({ code: 'unknown_action', message: `Step '${step.id}' calls unknown action '${step.action}'.`, value: step.action }));
      continue;
    }
    const whenDependsOnSteps = step.when ? compileCondition(step.when).paths.some((p) => p.startsWith('steps.')) : false;
    const dependsOnSteps = references(step.inputs).some((r) => r.startsWith('steps.')) || whenDependsOnSteps;
    // A condition on parameters, context or tenant defaults is known now, even when the step's
    // inputs wait for earlier steps: the card says it will be skipped.
    if (step.when && !whenDependsOnSteps && !compileCondition(step.when).test(scope)) {
      sp.skipped = `Condition not met: ${step.when}`;
      continue;
    }
    if (dependsOnSteps) {
      sp.deferred = true;
      // What it will use, with each earlier step's output named, since its value is not known yet.
      sp.inputs = maskSecrets(evaluate(step.inputs, placeholderScope(scope, def, ports)) as Record<string, unknown>, action.secrets);
      if (action.validateKnown) knownChecks.push({ step, action, known: knownInputs(step.inputs, scope) });
      continue;
    }
    const inputs = evaluate(step.inputs, scope) as Record<string, unknown>;
    sp.inputs = maskSecrets(inputs, action.secrets);
    if (resolved.missing.length || resolved.errors.length) continue;
    const checked = checkParams(action.params, inputs, tenant.domain);
    if (!checked.ok) {
      errors.push(...checked.errors.map((e) => relabel(e, step.inputs)));
      for (const m of checked.missing) {
        const param = paramBoundTo(step.inputs, m.param) ?? m.param;
        if (!missing.some((x) => x.param === param)) missing.push({ ...m, param });
      }
      continue;
    }
    runnable.push({ step: sp, action, inputs: checked.params as Record<string, unknown> });
  }

  if (!missing.length && !errors.length) {
    // Validate every runnable step, then preview them; both only read the tenant.
    const results: Array<{ r: (typeof runnable)[number]; v: Validation; preview: Preview | undefined }> = await Promise.all(runnable.map(async (r) => {
      const ctx = ports.contexts.create(req.tenantId, { idempotencyKey: `preview:${newId()}`, scratch: readOnlyScratch });
      try {
        const v = await r.action.validate(ctx, r.inputs as never);
        if (v.errors.length || v.missing.length) return { r, v, preview: undefined };
        return { r, v, preview: await r.action.preview(ctx, r.inputs as never) };
      } catch (e) {
        return { r, v: { errors: [toAppError(e)], missing: [], warnings: [] }, preview: undefined };
      }
    }));
    // Steps that wait for earlier ones still have their known inputs checked now: a group that does
    // not exist must stop the card, not the run halfway.
    const known = await Promise.all(knownChecks.map(async (k) => {
      const ctx = ports.contexts.create(req.tenantId, { idempotencyKey: `preview:${newId()}`, scratch: readOnlyScratch });
      try {
        return { k, v: await k.action.validateKnown!(ctx, k.known as never) };
      } catch (e) {
        return { k, v: { errors: [toAppError(e)], missing: [], warnings: [] } };
      }
    }));
    for (const { k, v } of known) {
      errors.push(...v.errors.map((e) => relabel(e, k.step.inputs)));
      const sp = steps.find((s) => s.stepId === k.step.id);
      if (sp && v.warnings.length) sp.warnings = [...new Set([...(sp.warnings ?? []), ...v.warnings])];
    }
    // Each preview in the light of what the earlier steps of this run will change, in step order.
    const earlier: Change[] = [];
    for (const x of results) {
      if (!x.preview) continue;
      // validate and preview often reach the same finding; the card says it once.
      const merged = { ...x.preview, warnings: [...new Set([...x.v.warnings, ...x.preview.warnings])] };
      x.preview = x.r.action.inContext ? x.r.action.inContext(merged, earlier, x.r.inputs as never) : merged;
      earlier.push(...x.preview.changes);
    }
    for (const { r, v, preview } of results) {
      errors.push(...v.errors.map((e) => relabel(e, stepInputs(def, r.step.stepId))));
      for (const m of v.missing) {
        const param = paramBoundTo(stepInputs(def, r.step.stepId), m.param) ?? m.param;
        if (!missing.some((x) => x.param === param)) missing.push({ ...m, param });
      }
      if (preview) {
        r.step.calls = maskSecrets(preview.calls, r.action.secrets);
        r.step.changes = preview.changes;
        r.step.skippedItems = preview.skipped;
        r.step.alreadyDone = preview.alreadyDone;
        r.step.warnings = preview.warnings;
      }
    }
  }

  const id = newId();
  const preview: RunPreview = { steps };
  const errorBodies = errors.map((e) => e.toJSON());
  const subject = typeof resolved.values.user === 'string' ? resolved.values.user.toLowerCase() : typeof context.subjectUser === 'string' ? context.subjectUser : null;
  await ports.runs.createRun({
    id,
    tenantId: req.tenantId,
    workflowId: wf.workflowId,
    workflowVersion: wf.version,
    definition: def,
    engineVersion: ENGINE_VERSION,
    state: 'Pending',
    title: titleOf(def, resolved.values),
    subjectUser: subject,
    params: maskSecrets(resolved.values, def.parameters.filter((p) => p.secret).map((p) => p.name)),
    paramSources: resolved.sources,
    context,
    preview,
    missing,
    errors: errorBodies,
    undoOf: req.undoOf ?? null,
    reversible: false,
    conversationId: req.conversationId ?? null,
    createdBy: req.actor,
  }, def.steps.map((s, idx) => ({ idx, stepId: s.id, action: s.action, name: s.name ?? ports.actions.get(s.action)?.title ?? s.action, parallel: s.parallel ?? null })), req.actor);
  return { id, state: 'Pending', preview, missing, errors: errorBodies };
}

/** The scope with every step output standing for itself: "‹Create user: userPrincipalName›". */
function placeholderScope(scope: Scope, def: WorkflowDefinition, ports: EnginePorts): Scope {
  const steps: Scope['steps'] = {};
  for (const s of def.steps) {
    const title = s.name ?? ports.actions.get(s.action)?.title ?? s.id;
    steps[s.id] = { state: 'Completed', outputs: new Proxy({}, { get: (_, key) => (typeof key === 'string' ? `‹${title}: ${key}›` : undefined) }) };
  }
  return { ...scope, steps };
}

/** A step's inputs that do not wait for an earlier step, evaluated (the others left out). */
function knownInputs(inputs: Record<string, unknown>, scope: Scope): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (references(v).some((r) => r.startsWith('steps.'))) continue;
    const value = evaluate(v, scope);
    if (value !== undefined && value !== '') out[k] = value;
  }
  return out;
}

function titleOf(def: WorkflowDefinition, params: Record<string, unknown>): string {
  const who = params.user ?? params.displayName ?? params.name ?? params.group;
  return who ? `${def.name}: ${String(who)}` : def.name;
}

function stepInputs(def: WorkflowDefinition, stepId: string): Record<string, unknown> {
  return def.steps.find((s) => s.id === stepId)?.inputs ?? {};
}

/** The workflow parameter a step input is bound to (`{{params.user}}` → user). */
function paramBoundTo(inputs: Record<string, unknown>, input: string): string | undefined {
  const v = inputs[input];
  if (typeof v !== 'string') return undefined;
  const m = /^\{\{\s*params\.([A-Za-z0-9_-]+)\s*\}\}$/.exec(v.trim());
  return m?.[1];
}

/** Re-labels a step-level error with the workflow parameter the person actually typed. */
function relabel(e: AppError, inputs: Record<string, unknown>): AppError {
  if (!e.param) return e;
  const param = paramBoundTo(inputs, e.param);
  if (!param || param === e.param) return e;
  return new AppError({ code: e.code, message: e.message, fix: e.fix, param, value: e.value, ...(e.details ? { details: e.details } : {}) });
}
