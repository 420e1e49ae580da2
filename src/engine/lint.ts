// Checks a definition against the action catalog before it can be saved as valid, submitted or
// run: every problem points at its step, so the designer can show it in place.
import type { z } from 'zod';
import type { ActionDefinition } from '../m365/actions/action.ts';
import type { WorkflowDefinition } from './definition.ts';
import { compileCondition, references } from './expressions.ts';

export interface LintProblem {
  severity: 'error' | 'warning';
  step?: string;
  field?: string;
  code: 'unknown_action' | 'duplicate_step' | 'unknown_reference' | 'forward_reference' | 'parallel_reference' | 'split_parallel_group' | 'unbound_input' | 'unknown_input' | 'type_mismatch' | 'bad_condition' | 'unused_parameter' | 'duplicate_parameter';
  message: string;
}

type Shape = Record<string, z.ZodType>;

function shapeOf(a: ActionDefinition): Shape {
  return ((a.params as unknown as { shape?: Shape }).shape ?? {}) as Shape;
}

export function isRequired(field: z.ZodType): boolean {
  return !field.safeParse(undefined).success;
}

export function lintDefinition(def: WorkflowDefinition, getAction: (id: string) => ActionDefinition | undefined): LintProblem[] {
  const problems: LintProblem[] = [];
  const params = new Map<string, WorkflowDefinition['parameters'][number]>();
  for (const p of def.parameters) {
    if (params.has(p.name)) problems.push({ severity: 'error', field: `parameters.${p.name}`, code: 'duplicate_parameter', message: `Parameter '${p.name}' is declared twice.` });
    params.set(p.name, p);
  }
  const used = new Set<string>();
  const seen = new Set<string>();
  const stepIds = new Set(def.steps.map((s) => s.id));
  // Consecutive steps with the same `parallel` label run at once (as the executor groups them), so
  // one cannot read another's outputs.
  const groupOf = new Map<string, number>();
  const groupLabels = new Map<string, number>();
  def.steps.forEach((s, i) => {
    const prev = def.steps[i - 1];
    const group = s.parallel && prev?.parallel === s.parallel ? groupOf.get(prev.id)! : i;
    if (!groupOf.has(s.id)) groupOf.set(s.id, group);
    if (s.parallel && group === i) {
      if (groupLabels.has(s.parallel)) problems.push({ severity: 'warning', step: s.id, field: 'parallel', code: 'split_parallel_group', message: `Parallel group '${s.parallel}' is split: step '${s.id}' does not follow the group's other steps, so it runs separately.` });
      groupLabels.set(s.parallel, group);
    }
  });
  const checkRefs = (paths: string[], step: string | undefined, field: string) => {
    for (const path of paths) {
      const [root, name] = path.split('.');
      if (root === 'params') {
        if (!name || !params.has(name)) problems.push({ severity: 'error', ...(step ? { step } : {}), field, code: 'unknown_reference', message: `'${path}' names no parameter of this workflow.` });
        else used.add(name);
      } else if (root === 'steps') {
        if (!name || !stepIds.has(name)) problems.push({ severity: 'error', ...(step ? { step } : {}), field, code: 'unknown_reference', message: `'${path}' names no step of this workflow.` });
        else if (!seen.has(name)) problems.push({ severity: 'error', ...(step ? { step } : {}), field, code: 'forward_reference', message: `'${path}' refers to step '${name}', which runs ${name === step ? 'as this step' : 'later'}; a step can only use earlier steps' outputs.` });
        else if (step && groupOf.get(name) === groupOf.get(step)) problems.push({ severity: 'error', step, field, code: 'parallel_reference', message: `'${path}' refers to step '${name}', which runs in parallel with '${step}' (group '${def.steps.find((s) => s.id === step)?.parallel}'); move one of them out of the group.` });
      } else if (root !== 'context' && root !== 'tenant') {
        problems.push({ severity: 'error', ...(step ? { step } : {}), field, code: 'unknown_reference', message: `'${path}' must start with params., context., tenant. or steps.` });
      }
    }
  };
  for (const step of def.steps) {
    if (seen.has(step.id)) problems.push({ severity: 'error', step: step.id, code: 'duplicate_step', message: `Step id '${step.id}' is used twice.` });
    const action = getAction(step.action);
    if (!action) {
      problems.push({ severity: 'error', step: step.id, field: 'action', code: 'unknown_action', message: `Step '${step.id}' calls unknown action '${step.action}'.` });
    } else {
      const shape = shapeOf(action);
      for (const [key, field] of Object.entries(shape)) {
        if (isRequired(field) && !(key in step.inputs)) {
          problems.push({ severity: 'error', step: step.id, field: `inputs.${key}`, code: 'unbound_input', message: `Step '${step.id}' (${step.action}) needs input '${key}', which is not bound.` });
        }
      }
      for (const [key, value] of Object.entries(step.inputs)) {
        const field = shape[key];
        if (!field) {
          problems.push({ severity: 'error', step: step.id, field: `inputs.${key}`, code: 'unknown_input', message: `Action '${step.action}' has no input '${key}'.` });
          continue;
        }
        const refs = references(value);
        if (refs.length === 0) {
          const r = field.safeParse(value);
          if (!r.success) problems.push({ severity: 'error', step: step.id, field: `inputs.${key}`, code: 'type_mismatch', message: `Input '${key}' of step '${step.id}': ${r.error.issues[0]?.message ?? 'wrong type'}.` });
        } else if (typeof value === 'string' && /^\{\{[^}]+\}\}$/.test(value.trim()) && refs.length === 1 && refs[0]!.startsWith('params.')) {
          const p = params.get(refs[0]!.slice(7));
          if (p && !typeAccepts(field, p.type)) {
            problems.push({ severity: 'error', step: step.id, field: `inputs.${key}`, code: 'type_mismatch', message: `Input '${key}' of step '${step.id}' expects another type than parameter '${p.name}' (${p.type}).` });
          }
        }
        checkRefs(refs, step.id, `inputs.${key}`);
      }
    }
    if (step.when) {
      try {
        checkRefs(compileCondition(step.when).paths, step.id, 'when');
      } catch (e) {
        problems.push({ severity: 'error', step: step.id, field: 'when', code: 'bad_condition', message: (e as Error).message });
      }
    }
    seen.add(step.id);
  }
  checkRefs(references(def.outputs), undefined, 'outputs');
  for (const p of def.parameters) {
    if (!used.has(p.name)) problems.push({ severity: 'warning', field: `parameters.${p.name}`, code: 'unused_parameter', message: `Parameter '${p.name}' is not used by any step.` });
  }
  return problems;
}

const samples: Record<string, unknown[]> = {
  string: ['x', 'a@b.co', 'US', 'FullAccess', 'Shared', '2025-01-01T00:00:00Z', 'E3'],
  boolean: [true, false],
  integer: [1, 60],
  number: [1.5, 60],
  'string[]': [['a@b.co'], ['x']],
};

/** Whether some value of the parameter's type satisfies the field (probing with samples). */
function typeAccepts(field: z.ZodType, type: string): boolean {
  return (samples[type] ?? []).some((v) => field.safeParse(v).success);
}
