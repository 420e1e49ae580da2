// A readable diff between two workflow definitions, as a reviewer reads a runbook change: steps
// added, removed, moved or changed (action, bindings, conditions, parallel group, error handling,
// timeouts, retries), parameters, outputs and the workflow's own fields. Each change is data
// (scope, op, id, field, before, after) plus one sentence, so the web can render either.
import type { WorkflowDefinition, WorkflowParameter, WorkflowStep } from './definition.ts';

export type DiffOp = 'added' | 'removed' | 'changed' | 'moved';
export type DiffScope = 'workflow' | 'parameter' | 'step' | 'output';

export interface DiffChange {
  scope: DiffScope;
  op: DiffOp;
  /** The parameter name, step id or output key; absent for the workflow's own fields. */
  id?: string;
  /** What changed within it: 'action', 'inputs.user', 'when', 'position', 'type', … */
  field?: string;
  before?: unknown;
  after?: unknown;
  text: string;
}

export interface DiffSummary {
  stepsAdded: number;
  stepsRemoved: number;
  stepsChanged: number;
  stepsMoved: number;
  parametersChanged: number;
  outputsChanged: number;
}

/** A definition with nothing in it: the base of a diff for a workflow that has no Active version yet. */
const empty: Pick<WorkflowDefinition, 'name' | 'description' | 'parameters' | 'steps' | 'outputs'> & { category?: string } = {
  name: '', description: '', parameters: [], steps: [], outputs: {},
};

export function diffDefinitions(before: WorkflowDefinition | undefined, after: WorkflowDefinition): DiffChange[] {
  const a = before ?? empty;
  const out: DiffChange[] = [];
  if (before) {
    for (const field of ['name', 'description', 'category'] as const) {
      if (!same(a[field], after[field])) out.push(fieldChange('workflow', undefined, field, a[field], after[field], `Workflow ${field}`));
    }
  }
  diffParameters(a.parameters, after.parameters, out);
  diffSteps(a.steps, after.steps, out);
  diffRecord('output', 'Output', a.outputs, after.outputs, out);
  return out;
}

export function summarize(changes: readonly DiffChange[]): DiffSummary {
  const stepIds = (op: DiffOp) => new Set(changes.filter((c) => c.scope === 'step' && c.op === op).map((c) => c.id)).size;
  return {
    stepsAdded: stepIds('added'),
    stepsRemoved: stepIds('removed'),
    stepsChanged: stepIds('changed'),
    stepsMoved: stepIds('moved'),
    parametersChanged: new Set(changes.filter((c) => c.scope === 'parameter').map((c) => c.id)).size,
    outputsChanged: changes.filter((c) => c.scope === 'output').length,
  };
}

function diffParameters(before: readonly WorkflowParameter[], after: readonly WorkflowParameter[], out: DiffChange[]): void {
  const old = new Map(before.map((p) => [p.name, p]));
  const now = new Map(after.map((p) => [p.name, p]));
  for (const p of before) {
    if (!now.has(p.name)) out.push({ scope: 'parameter', op: 'removed', id: p.name, before: p, text: `Parameter '${p.name}' removed.` });
  }
  for (const p of after) {
    const was = old.get(p.name);
    if (!was) {
      out.push({ scope: 'parameter', op: 'added', id: p.name, after: p, text: `Parameter '${p.name}' added (${describeParam(p)}).` });
      continue;
    }
    for (const field of ['type', 'required', 'format', 'default', 'description', 'secret'] as const) {
      if (!same(was[field], p[field])) out.push(fieldChange('parameter', p.name, field, was[field], p[field], `Parameter '${p.name}': ${field}`));
    }
  }
}

const stepFields = ['name', 'action', 'when', 'parallel', 'continueOnError', 'timeoutSeconds', 'retry'] as const;
const stepFieldWords: Record<(typeof stepFields)[number], string> = {
  name: 'name',
  action: 'action',
  when: 'condition',
  parallel: 'parallel group',
  continueOnError: 'continue on error',
  timeoutSeconds: 'timeout (seconds)',
  retry: 'retry policy',
};

function diffSteps(before: readonly WorkflowStep[], after: readonly WorkflowStep[], out: DiffChange[]): void {
  const old = new Map(before.map((s, i) => [s.id, { s, i }]));
  const now = new Map(after.map((s, i) => [s.id, { s, i }]));
  for (const s of before) {
    if (!now.has(s.id)) out.push({ scope: 'step', op: 'removed', id: s.id, before: s, text: `Step '${s.id}' removed (${s.action}).` });
  }
  // A step counts as moved only when it left the longest run of common steps that kept their order,
  // so inserting one step does not report every later step as moved.
  const commonBefore = before.filter((s) => now.has(s.id)).map((s) => s.id);
  const commonAfter = after.filter((s) => old.has(s.id)).map((s) => s.id);
  const stayed = longestCommonSubsequence(commonBefore, commonAfter);
  for (const [idx, s] of after.entries()) {
    const was = old.get(s.id);
    if (!was) {
      out.push({ scope: 'step', op: 'added', id: s.id, after: s, text: `Step '${s.id}' added at position ${idx + 1} (${s.action}).` });
      continue;
    }
    if (!stayed.has(s.id)) {
      out.push({ scope: 'step', op: 'moved', id: s.id, field: 'position', before: was.i + 1, after: idx + 1, text: `Step '${s.id}' moved from position ${was.i + 1} to ${idx + 1}.` });
    }
    for (const field of stepFields) {
      if (!same(was.s[field], s[field])) out.push(fieldChange('step', s.id, field, was.s[field], s[field], `Step '${s.id}': ${stepFieldWords[field]}`));
    }
    diffInputs(s.id, was.s.inputs, s.inputs, out);
  }
}

function diffInputs(stepId: string, before: Record<string, unknown>, after: Record<string, unknown>, out: DiffChange[]): void {
  for (const key of unionKeys(before, after)) {
    const inA = key in before, inB = key in after;
    const field = `inputs.${key}`;
    if (inA && !inB) out.push({ scope: 'step', op: 'changed', id: stepId, field, before: before[key], text: `Step '${stepId}': input '${key}' unbound (was ${show(before[key])}).` });
    else if (!inA && inB) out.push({ scope: 'step', op: 'changed', id: stepId, field, after: after[key], text: `Step '${stepId}': input '${key}' bound to ${show(after[key])}.` });
    else if (!same(before[key], after[key])) out.push({ scope: 'step', op: 'changed', id: stepId, field, before: before[key], after: after[key], text: `Step '${stepId}': input '${key}' changed from ${show(before[key])} to ${show(after[key])}.` });
  }
}

function diffRecord(scope: 'output', word: string, before: Record<string, unknown>, after: Record<string, unknown>, out: DiffChange[]): void {
  for (const key of unionKeys(before, after)) {
    const inA = key in before, inB = key in after;
    if (inA && !inB) out.push({ scope, op: 'removed', id: key, before: before[key], text: `${word} '${key}' removed (was ${show(before[key])}).` });
    else if (!inA && inB) out.push({ scope, op: 'added', id: key, after: after[key], text: `${word} '${key}' added: ${show(after[key])}.` });
    else if (!same(before[key], after[key])) out.push({ scope, op: 'changed', id: key, before: before[key], after: after[key], text: `${word} '${key}' changed from ${show(before[key])} to ${show(after[key])}.` });
  }
}

function fieldChange(scope: DiffScope, id: string | undefined, field: string, before: unknown, after: unknown, label: string): DiffChange {
  const text = before === undefined
    ? `${label} set to ${show(after)}.`
    : after === undefined ? `${label} removed (was ${show(before)}).` : `${label} changed from ${show(before)} to ${show(after)}.`;
  return {
    scope, op: 'changed', ...(id !== undefined ? { id } : {}), field,
    ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}), text,
  };
}

function describeParam(p: WorkflowParameter): string {
  return [p.type, p.format, p.required ? 'required' : 'optional', p.default !== undefined ? `default ${show(p.default)}` : undefined].filter(Boolean).join(', ');
}

function unionKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** Deep equality that ignores key order (definitions round-trip through JSONB, which reorders keys). */
function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}

function longestCommonSubsequence(a: readonly string[], b: readonly string[]): Set<string> {
  // Workflows have tens of steps; the quadratic table is small.
  const dp: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
    }
  }
  const keep = new Set<string>();
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { keep.add(a[i]!); i++; j++; }
    else if (dp[i + 1]![j]! >= dp[i]![j + 1]!) i++;
    else j++;
  }
  return keep;
}
