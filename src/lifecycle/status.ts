// How Microsoft's processing statuses follow from the durable engine's run and step states, and how
// run and task-report statuses follow from the results they hold (ED lifecycle-workflow-history.md).
import { assertNever } from '../core/assert-never.ts';
import type { RunState } from '../engine/run-state.ts';
import type { StepState } from '../engine/step-state.ts';
import type { ProcessingStatus } from './model.ts';

/** A task is carried by one or more engine steps. */
export function taskStatusOf(steps: readonly StepState[]): ProcessingStatus {
  if (!steps.length) return 'queued';
  if (steps.includes('Failed')) return 'failed';
  if (steps.every((s) => s === 'Completed')) return 'completed';
  // Skipped steps are the ones the engine did not run after an earlier task failed.
  if (steps.every((s) => s === 'Skipped')) return 'canceled';
  if (steps.every((s) => s === 'Completed' || s === 'Skipped')) return 'completed';
  if (steps.every((s) => s === 'Pending')) return 'queued';
  return 'inProgress';
}

export interface TaskOutcome {
  status: ProcessingStatus;
  continueOnError: boolean;
}

/**
 * A user's status once the engine run has finished: failed when a task that stops the workflow
 * failed (or every task failed), completedWithErrors when tasks marked continueOnError failed.
 */
export function userStatusOf(run: RunState, tasks: readonly TaskOutcome[]): ProcessingStatus {
  switch (run) {
    case 'Pending':
    case 'Approved':
      return 'queued';
    case 'Running':
      return 'inProgress';
    case 'Cancelled':
      return 'canceled';
    case 'Completed':
    case 'Failed':
    case 'PartialSuccess': {
      const failed = tasks.filter((t) => t.status === 'failed');
      if (!failed.length) return 'completed';
      if (failed.some((t) => !t.continueOnError) || failed.length === tasks.length) return 'failed';
      return 'completedWithErrors';
    }
    default:
      return assertNever(run);
  }
}

/**
 * The status of a set of results (a run's users, or a task report's tasks): queued until one
 * starts; then in progress until all are done; completed when all succeeded; failed when every
 * one that was not canceled failed; completedWithErrors when some failed, or when all were
 * canceled before running, as Microsoft reports it. Canceled ones are not counted as failures.
 */
export function aggregateStatus(counts: Partial<Record<ProcessingStatus, number>>): ProcessingStatus {
  const n = (s: ProcessingStatus) => counts[s] ?? 0;
  const total = n('queued') + n('inProgress') + n('completed') + n('completedWithErrors') + n('canceled') + n('failed');
  if (total === 0) return 'completed';
  if (n('queued') === total) return 'queued';
  if (n('queued') + n('inProgress') > 0) return 'inProgress';
  const ran = total - n('canceled');
  if (ran === 0) return 'completedWithErrors';
  if (n('failed') === ran) return 'failed';
  if (n('failed') + n('completedWithErrors') > 0) return 'completedWithErrors';
  return 'completed';
}
