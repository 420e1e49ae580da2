// The run state machine: Pending → Approved → Running → Completed | Failed | PartialSuccess;
// Pending → Cancelled. Every change goes through a repository's transition(), which checks this
// table, writes a compare-and-set update plus an audit row, and emits an event.

export const runStates = ['Pending', 'Approved', 'Running', 'Completed', 'Failed', 'PartialSuccess', 'Cancelled'] as const;
export type RunState = (typeof runStates)[number];

export const terminalRunStates = ['Completed', 'Failed', 'PartialSuccess', 'Cancelled'] as const satisfies readonly RunState[];

const transitions: Record<RunState, readonly RunState[]> = {
  Pending: ['Approved', 'Cancelled'],
  Approved: ['Running'],
  // Running → Running is a resume by another worker after a lease expired.
  Running: ['Running', 'Completed', 'Failed', 'PartialSuccess'],
  Completed: [],
  Failed: [],
  PartialSuccess: [],
  Cancelled: [],
};

export function canTransitionRun(from: RunState, to: RunState): boolean {
  return transitions[from].includes(to);
}

export function isTerminalRun(s: RunState): boolean {
  return (terminalRunStates as readonly RunState[]).includes(s);
}

export function isRunState(s: string): s is RunState {
  return (runStates as readonly string[]).includes(s);
}
