// The workflow design state machine, one state per stored version:
//   Draft → AwaitingReview → Approved | ChangesRequested;  ChangesRequested → Draft;
//   Approved → Active (an admin);  Active → Superseded (another version was activated).
// Every save is a new immutable version that starts as Draft, so editing an Active workflow
// never touches the version that serves runs. Every change of state goes through the store's
// transition(), which checks this table, writes a compare-and-set update plus an audit row
// (entity 'workflow') and emits a DesignEvent.

export const designStates = ['Draft', 'AwaitingReview', 'Approved', 'ChangesRequested', 'Active', 'Superseded'] as const;
export type DesignState = (typeof designStates)[number];

const transitions: Record<DesignState, readonly DesignState[]> = {
  Draft: ['AwaitingReview'],
  AwaitingReview: ['Approved', 'ChangesRequested'],
  ChangesRequested: ['Draft'],
  Approved: ['Active'],
  Active: ['Superseded'],
  Superseded: [],
};

export function canTransitionDesign(from: DesignState, to: DesignState): boolean {
  return transitions[from].includes(to);
}

/** The states a version may reach `to` from: what a compare-and-set update checks. */
export function designSources(to: DesignState): DesignState[] {
  return designStates.filter((s) => transitions[s].includes(to));
}

export function isDesignState(s: string): s is DesignState {
  return (designStates as readonly string[]).includes(s);
}

/** While a version is under review nobody may save over it: the reviewers would review a moving target. */
export function isUnderReview(s: DesignState): boolean {
  return s === 'AwaitingReview';
}

/** Only Active versions run for technicians; every other state is design work. */
export function isServing(s: DesignState): boolean {
  return s === 'Active';
}

/** What caused a change, so a reader of the audit trail (and a notifier) needs no guessing. */
export const designActions = ['create', 'save', 'restore', 'submit', 'approve', 'request-changes', 'reopen', 'activate', 'supersede'] as const;
export type DesignAction = (typeof designActions)[number];

export interface DesignEvent {
  type: 'workflow';
  workflowId: string;
  version: number;
  action: DesignAction;
  /** null for a new version (create, save, restore). */
  from: DesignState | null;
  to: DesignState;
  actor: string | null;
  at: string;
  /** The author of the version (four eyes, notifications). */
  author: string | null;
  note?: string;
}

export interface DesignEventSink {
  emit(e: DesignEvent): void;
}

/** In-process fan-out of design events (notifications subscribe here). */
export class DesignEventBus implements DesignEventSink {
  private readonly listeners = new Set<(e: DesignEvent) => void>();
  emit(e: DesignEvent): void {
    for (const l of this.listeners) {
      try { l(e); } catch { /* a listener's failure must not undo a committed transition */ }
    }
  }
  subscribe(l: (e: DesignEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
