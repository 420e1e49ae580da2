// Executes an approved run inside the worker that holds its lease. Each step transition is
// committed before the next starts; a step is re-entered after a crash with the same idempotency
// key and scratch, so the action's own idempotency makes the effect happen once.
import { AppError, toAppError, type ErrorBody } from '../core/errors.ts';
import { sleep } from '../core/clock.ts';
import { MASK, maskSecrets } from '../core/secrets.ts';
import type { ActionDefinition, ExecuteResult, Scratch } from '../m365/actions/action.ts';
import { checkParams } from '../m365/actions/support/params.ts';
import type { WorkflowStep } from './definition.ts';
import { compileCondition, evaluate, references, type Scope } from './expressions.ts';
import { Checkpoints } from './checkpoints.ts';
import type { EngineEvent } from './events.ts';
import type { EnginePorts, StepPatch } from './ports.ts';
import type { RunState } from './run-state.ts';
import type { StepState } from './step-state.ts';
import type { RunRecord, StepRecord } from './types.ts';

export interface ExecuteOptions {
  owner: string;
  leaseMs: number;
  /** Default per-step timeout when the definition gives none. */
  defaultTimeoutSeconds?: number;
  /** Backoff between step retries is multiplied by this (tests shrink it). */
  backoffScale?: number;
  /** Told once the claim is settled (taken or found held elsewhere), before any step runs. */
  onClaimed?: () => void;
}

export async function executeRun(ports: EnginePorts, runId: string, opts: ExecuteOptions): Promise<RunState | undefined> {
  const claimed = await ports.runs.claim(runId, opts.owner, opts.leaseMs);
  opts.onClaimed?.();
  if (!claimed) return undefined;
  const { run, steps } = claimed;
  const cp = new Checkpoints(ports.runs, runId, opts.owner);
  const tenant = ports.contexts.tenant(run.tenantId);
  if (!tenant) {
    const error = new AppError({ code: 'unknown_tenant', message: `Tenant ${run.tenantId} is no longer configured.` }).toJSON();
    if (await cp.finish({ to: 'Failed', patch: { error } })) emitRun(ports, run, 'Failed', steps);
    return 'Failed';
  }
  emitRun(ports, run, 'Running', steps);
  const scope: Scope = {
    params: run.params,
    context: run.context,
    tenant: { id: tenant.id, domain: tenant.domain, displayName: tenant.displayName, defaults: tenant.defaults },
    steps: {},
  };
  for (const s of steps) if (s.state === 'Completed') scope.steps[s.stepId] = { outputs: s.outputs ?? {}, state: s.state };

  const byId = new Map(run.definition.steps.map((s) => [s.id, s]));
  const groups: StepRecord[][] = [];
  for (const s of steps) {
    const last = groups[groups.length - 1];
    if (last && s.parallel && last[0]!.parallel === s.parallel) last.push(s);
    else groups.push([s]);
  }
  const exec: StepRun = { ports, run, all: steps, scope, opts, cp, sequential: true };
  let stopped = steps.some((s) => s.state === 'Failed' && !byId.get(s.stepId)?.continueOnError);
  for (const group of groups) {
    // A step alone ends with the next write; parallel steps each write their end at once, so a
    // fast step's progress does not wait for a slow sibling.
    const g = { ...exec, sequential: group.length === 1 };
    if (stopped) {
      for (const s of group) {
        if (s.state === 'Pending') await finishStep(g, s, 'Skipped', { skipReason: 'Not run: an earlier step failed.' });
      }
      continue;
    }
    const results = await Promise.all(group.map((s) => runStep(g, s, byId.get(s.stepId)!)));
    if (results.some((r) => r === 'Failed-stop')) stopped = true;
  }

  const final = finalState(steps);
  const firstError = steps.find((s) => s.state === 'Failed')?.error ?? null;
  const outputs = maskSecretRefs(evaluate(run.definition.outputs, scope) as Record<string, unknown>, run, ports);
  const reversible = steps.some((s) => s.state === 'Completed' && !s.alreadyDone && ports.actions.get(s.action)?.undo.reversible === true);
  const ok = await cp.finish({ to: final, patch: { outputs, error: firstError, reversible } });
  if (ok) emitRun(ports, run, final, steps);
  return final;
}

type StepOutcome = 'Completed' | 'Skipped' | 'Failed-continue' | 'Failed-stop' | 'Resumed';

/** What a step's execution needs: the run, its steps, the scope so far and how to checkpoint. */
interface StepRun {
  ports: EnginePorts;
  run: RunRecord;
  all: StepRecord[];
  scope: Scope;
  opts: ExecuteOptions;
  cp: Checkpoints;
  /** The step runs alone: its end may ride with the next write. */
  sequential: boolean;
}

async function runStep(x: StepRun, rec: StepRecord, def: WorkflowStep): Promise<StepOutcome> {
  const { ports, run, scope, opts } = x;
  if (rec.state === 'Completed' || rec.state === 'Skipped') return 'Resumed';
  if (rec.state === 'Failed') return def.continueOnError ? 'Failed-continue' : 'Failed-stop';
  const action = ports.actions.get(rec.action);
  const fail = async (e: AppError): Promise<StepOutcome> => {
    // A step that fails before its action starts still passes through Running (the machine has
    // no shortcut, and the attempt is recorded): one write from Pending, two events.
    const fromPending = rec.state === 'Pending';
    await finishStep(x, rec, 'Failed', {
      error: { ...e.toJSON(), action: rec.action },
      ...(fromPending ? { started: true, incrementAttempts: true } : {}),
    }, fromPending);
    return def.continueOnError ? 'Failed-continue' : 'Failed-stop';
  };
  if (!action) return fail(new AppError({ code: 'unknown_action', message: `Action '${rec.action}' is not in the catalog.` }));
  if (def.when && !compileCondition(def.when).test(scope)) {
    await finishStep(x, rec, 'Skipped', { skipReason: `Condition not met: ${def.when}` });
    return 'Skipped';
  }
  const tenant = ports.contexts.tenant(run.tenantId)!;
  const inputs = evaluate(def.inputs, scope) as Record<string, unknown>;
  const checked = checkParams(action.params, inputs, tenant.domain);
  if (!checked.ok) {
    const first = checked.errors[0] ?? new AppError({ code: 'missing_parameter', message: `Step '${rec.stepId}' has no value for ${checked.missing.map((m) => m.param).join(', ')}.`, param: checked.missing[0]?.param });
    return fail(first);
  }
  const started = ports.clock.now();
  // The fence before the effect: committed (with any queued checkpoint) before the action runs.
  const ok = await x.cp.write({ idx: rec.idx, patch: { state: 'Running', inputs: maskSecrets(inputs, action.secrets), started: rec.state === 'Pending', incrementAttempts: true }, from: ['Pending', 'Running'] });
  if (!ok) return 'Resumed';
  rec.state = 'Running';
  ports.events.emit(stepEvent(ports, run, x.all, rec, null));

  const scratch = await loadScratch(ports, run.id, rec, opts.owner);
  const ctx = ports.contexts.create(run.tenantId, { idempotencyKey: `${run.id}:${rec.stepId}`, scratch });
  const maxAttempts = def.retry?.maxAttempts ?? 3;
  const backoff = (def.retry?.backoffSeconds ?? 2) * 1000 * (opts.backoffScale ?? 1);
  const timeoutMs = (def.timeoutSeconds ?? opts.defaultTimeoutSeconds ?? 300) * 1000;
  let result: ExecuteResult<Record<string, unknown>> | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      result = await withTimeout(action.execute(ctx, checked.params as never), timeoutMs, rec.stepId);
      break;
    } catch (e) {
      const err = toAppError(e);
      if (err.retryable && attempt < maxAttempts) {
        await sleep(Math.max(err.retryAfterMs ?? 0, backoff * 2 ** (attempt - 1)));
        continue;
      }
      return fail(err);
    }
  }
  const outputs = await sealSecretOutputs(ports, run.id, rec.stepId, action, result.outputs);
  scope.steps[rec.stepId] = { outputs: result.outputs, state: 'Completed' };
  await finishStep(x, rec, 'Completed', {
    outputs,
    before: result.before,
    skipped: result.skipped,
    alreadyDone: result.alreadyDone,
    summary: result.summary,
    durationMs: ports.clock.now() - started,
  });
  return 'Completed';
}

/**
 * A step's end. Alone in its group it is queued to commit with the run's next write; in a parallel
 * group it is written at once. Its event is emitted once committed, with the progress of that moment.
 */
async function finishStep(x: StepRun, rec: StepRecord, state: StepState, patch: StepPatch, viaRunning = false): Promise<void> {
  const write = { idx: rec.idx, patch: { ...patch, state, finished: true }, from: state === 'Skipped' || viaRunning ? ['Pending'] as const : ['Running'] as const };
  const { ports, run, all } = x;
  const apply = (): (() => void) => {
    const events = viaRunning ? [stepEvent(ports, run, all, { ...rec, state: 'Running' }, null)] : [];
    rec.state = state;
    if (patch.alreadyDone !== undefined) rec.alreadyDone = Boolean(patch.alreadyDone);
    if (patch.error !== undefined) rec.error = patch.error as StepRecord['error'];
    rec.durationMs = patch.durationMs ?? rec.durationMs;
    events.push(stepEvent(ports, run, all, rec, (patch.error as ErrorBody | undefined) ?? null));
    return () => { for (const e of events) ports.events.emit(e); };
  };
  if (x.sequential) {
    // The run's outcome is computed from these states; if the write later fails, the lease was
    // lost and the final transition fails with it, in the same statement.
    x.cp.defer(write, apply());
    return;
  }
  if (await x.cp.write(write)) apply()();
}

function finalState(steps: StepRecord[]): RunState {
  const failed = steps.filter((s) => s.state === 'Failed');
  if (!failed.length) return 'Completed';
  return steps.some((s) => s.state === 'Completed') ? 'PartialSuccess' : 'Failed';
}

/** The step's durable scratch; writes apply only while `owner` holds the run's lease. */
async function loadScratch(ports: EnginePorts, runId: string, rec: StepRecord, owner: string): Promise<Scratch> {
  const values: Record<string, unknown> = rec.scratch ? JSON.parse(ports.secrets.open(rec.scratch)) : {};
  return {
    get: <T>(key: string) => values[key] as T | undefined,
    set: async (key: string, value: unknown) => {
      values[key] = value;
      const sealed = ports.secrets.seal(JSON.stringify(values));
      rec.scratch = sealed;
      await ports.runs.updateStep(runId, rec.idx, { scratch: sealed, owner });
    },
  };
}

async function sealSecretOutputs(ports: EnginePorts, runId: string, stepId: string, action: ActionDefinition, outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const secrets = action.secrets.filter((k) => typeof outputs[k] === 'string' && outputs[k] !== '');
  if (!secrets.length) return outputs;
  await ports.runs.putSecrets(runId, secrets.map((k) => ({ name: `${stepId}.${k}`, stepId, ciphertext: ports.secrets.seal(String(outputs[k])) })));
  const masked = { ...outputs };
  for (const k of secrets) masked[k] = MASK;
  return masked;
}

/** Workflow outputs that carry a step's secret output are masked too; the secret is in run_secrets. */
function maskSecretRefs(outputs: Record<string, unknown>, run: RunRecord, ports: EnginePorts): Record<string, unknown> {
  const secretRefs = new Set(run.definition.steps.flatMap((s) => (ports.actions.get(s.action)?.secrets ?? []).map((k) => `steps.${s.id}.outputs.${k}`)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(outputs)) {
    out[k] = references(run.definition.outputs[k]).some((r) => secretRefs.has(r)) && v !== undefined && v !== '' ? MASK : v;
  }
  return out;
}

function withTimeout<T>(p: Promise<T>, ms: number, stepId: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError({ code: 'step_timeout', message: `Step '${stepId}' did not finish within ${Math.round(ms / 1000)} s.` })), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export function progressOf(steps: StepRecord[]): number {
  if (!steps.length) return 100;
  const done = steps.filter((s) => s.state === 'Completed' || s.state === 'Skipped' || s.state === 'Failed').length;
  return Math.round((done / steps.length) * 100);
}

function elapsed(ports: EnginePorts, run: RunRecord): number {
  return run.startedAt ? ports.clock.now() - run.startedAt.getTime() : 0;
}

function emitRun(ports: EnginePorts, run: RunRecord, state: RunState, steps: StepRecord[]): void {
  ports.events.emit({
    type: 'run', runId: run.id, tenantId: run.tenantId, workflowId: run.workflowId, state,
    percent: progressOf(steps), elapsedMs: elapsed(ports, run), at: new Date(ports.clock.now()).toISOString(),
    createdBy: run.createdBy, approvedBy: run.approvedBy,
  });
}

function stepEvent(ports: EnginePorts, run: RunRecord, all: StepRecord[], rec: StepRecord, error: ErrorBody | null): EngineEvent {
  return {
    type: 'step', runId: run.id, tenantId: run.tenantId, workflowId: run.workflowId, stepId: rec.stepId, idx: rec.idx,
    state: rec.state, durationMs: rec.durationMs, percent: progressOf(all), elapsedMs: elapsed(ports, run),
    at: new Date(ports.clock.now()).toISOString(),
    ...(error ? { error: { code: error.code, message: error.message, fix: error.fix } } : {}),
  };
}
