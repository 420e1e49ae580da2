// Typed events, one per transition, each with the run's percentage and elapsed time. The server
// relays them over the websocket at /api/events.
import type { RunState } from './run-state.ts';
import type { StepState } from './step-state.ts';

export interface RunEvent {
  type: 'run';
  runId: string;
  tenantId: string;
  workflowId: string;
  state: RunState;
  percent: number;
  elapsedMs: number;
  at: string;
  createdBy: string | null;
  approvedBy: string | null;
}

export interface StepEvent {
  type: 'step';
  runId: string;
  tenantId: string;
  workflowId: string;
  stepId: string;
  idx: number;
  state: StepState;
  durationMs: number | null;
  percent: number;
  elapsedMs: number;
  at: string;
  error?: { code: string; message: string; fix: string };
}

export type EngineEvent = RunEvent | StepEvent;

export interface EventSink {
  emit(e: EngineEvent): void;
}

/** In-process fan-out; the server subscribes its websocket clients here. */
export class EventBus implements EventSink {
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  emit(e: EngineEvent): void {
    for (const l of this.listeners) {
      try { l(e); } catch { /* a listener's failure must not stop a run */ }
    }
  }
  subscribe(l: (e: EngineEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
