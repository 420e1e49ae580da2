// Undo is a new run, itself approval-gated, that applies the inverses of the completed,
// reversible steps in reverse order, built from the before-state each step recorded.
import { AppError } from '../core/errors.ts';
import type { WorkflowDefinition } from './definition.ts';
import { createRun, type CreatedRun } from './planner.ts';
import type { EnginePorts } from './ports.ts';
import { isTerminalRun } from './run-state.ts';
import { checkParams } from '../m365/actions/support/params.ts';

export interface UndoPlan {
  steps: Array<{ fromStep: string; action: string; params: Record<string, unknown> }>;
  notUndoable: Array<{ step: string; reason: string }>;
}

export async function planUndo(ports: EnginePorts, runId: string): Promise<UndoPlan> {
  const run = await ports.runs.getRun(runId);
  if (!run) throw new AppError({ code: 'not_found', message: `No run ${runId}.` });
  if (!isTerminalRun(run.state) || run.state === 'Cancelled') {
    throw new AppError({ code: 'invalid_state', message: `Run ${runId} is ${run.state}; only finished runs can be undone.`, details: { state: run.state } });
  }
  const existing = run.undoneBy ?? (await ports.runs.undoRunOf(runId));
  if (existing) throw new AppError({ code: 'invalid_state', message: `Run ${runId} already has an undo run, ${existing}.`, fix: 'Open that run instead; reject it first if you want a new one.', details: { undoRun: existing } });
  const steps = await ports.runs.getSteps(runId);
  const plan: UndoPlan = { steps: [], notUndoable: [] };
  const domain = ports.contexts.tenant(run.tenantId)?.domain ?? '';
  for (const s of [...steps].reverse()) {
    // A step that reports alreadyDone may still have made its change on an attempt cut short by a
    // crash; the action decides from the before-state it recorded, so every completed step is asked.
    if (s.state !== 'Completed') continue;
    const action = ports.actions.get(s.action);
    if (!action) continue;
    if (!action.undo.reversible) {
      if (!s.alreadyDone) plan.notUndoable.push({ step: s.stepId, reason: action.undo.reason });
      continue;
    }
    // The inverse is built from the parsed parameters (defaults applied), as execute saw them.
    const parsed = checkParams(action.params, s.inputs ?? {}, domain);
    const params = parsed.ok ? parsed.params : (s.inputs ?? {});
    const inverse = action.undo.build(params as never, {
      outputs: s.outputs ?? {}, before: s.before ?? {}, alreadyDone: s.alreadyDone, skipped: s.skipped, summary: s.summary ?? '',
    });
    for (const inv of inverse) plan.steps.push({ fromStep: s.stepId, action: inv.action, params: inv.params });
  }
  return plan;
}

export async function createUndoRun(ports: EnginePorts, runId: string, actor: string | null): Promise<CreatedRun & { notUndoable: UndoPlan['notUndoable'] }> {
  const plan = await planUndo(ports, runId);
  const run = (await ports.runs.getRun(runId))!;
  if (!plan.steps.length) {
    throw new AppError({
      code: 'irreversible',
      message: plan.notUndoable.length
        ? `Nothing in run ${runId} can be undone: ${plan.notUndoable.map((n) => `${n.step}: ${n.reason}`).join('; ')}`
        : `Run ${runId} changed nothing that needs undoing.`,
      details: { notUndoable: plan.notUndoable },
    });
  }
  const definition: WorkflowDefinition = {
    id: `undo-${run.workflowId}`,
    name: `Undo ${run.definition.name}`,
    description: `Reverses run ${runId}.`,
    parameters: [],
    steps: plan.steps.map((s, i) => ({ id: `undo-${i + 1}-${s.fromStep}`, action: s.action, inputs: s.params, continueOnError: true })),
    outputs: {},
  };
  const created = await createRun(ports, {
    tenantId: run.tenantId,
    workflowId: `undo:${run.workflowId}`,
    params: {},
    context: { ...run.context, undoOf: runId, subjectUser: run.subjectUser },
    actor,
    conversationId: run.conversationId,
    definition: { definition, version: run.workflowVersion, workflowId: `undo:${run.workflowId}` },
    undoOf: runId,
  });
  return { ...created, notUndoable: plan.notUndoable };
}
