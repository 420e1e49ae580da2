// The step state machine: Pending → Running → Completed | Failed | Skipped. A timeout is a Failed
// with code step_timeout. Running → Running is a resume after a crash (same idempotency key).

export const stepStates = ['Pending', 'Running', 'Completed', 'Failed', 'Skipped'] as const;
export type StepState = (typeof stepStates)[number];

const transitions: Record<StepState, readonly StepState[]> = {
  Pending: ['Running', 'Skipped'],
  Running: ['Running', 'Completed', 'Failed'],
  Completed: [],
  Failed: [],
  Skipped: [],
};

export function canTransitionStep(from: StepState, to: StepState): boolean {
  return transitions[from].includes(to);
}

export function isTerminalStep(s: StepState): boolean {
  return s === 'Completed' || s === 'Failed' || s === 'Skipped';
}
