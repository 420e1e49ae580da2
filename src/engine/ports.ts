// What the engine needs from the world. The store, the job queue and the M365 connector implement
// these; tests implement them in memory. The engine imports no HTTP framework and no driver.
import type { Clock } from '../core/clock.ts';
import type { ActionContext, ActionDefinition, Scratch, TenantInfo } from '../m365/actions/action.ts';
import type { WorkflowDefinition } from './definition.ts';
import type { EventSink } from './events.ts';
import type { RunState } from './run-state.ts';
import type { StepState } from './step-state.ts';
import type { NewRun, NewStep, RunRecord, StepRecord } from './types.ts';

export interface RunPatch {
  outputs?: Record<string, unknown> | null;
  error?: unknown;
  approvedBy?: string;
  undoneBy?: string;
  leaseOwner?: string | null;
  leaseMs?: number;
  reversible?: boolean;
}

export interface StepPatch {
  state?: StepState;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  before?: Record<string, unknown>;
  skipped?: unknown[];
  alreadyDone?: boolean;
  summary?: string;
  error?: unknown;
  skipReason?: string;
  scratch?: string;
  started?: boolean;
  finished?: boolean;
  durationMs?: number;
  incrementAttempts?: boolean;
  /** Only while this worker still holds the run's lease (a worker that lost it must stop writing). */
  owner?: string;
}

/** A step checkpoint: a compare-and-set from one of `from` to the patch's state. */
export interface StepWrite {
  idx: number;
  patch: StepPatch;
  from: readonly StepState[];
}

/** The run's end: Running → a terminal state, clearing the lease. */
export interface FinalWrite {
  to: RunState;
  patch: RunPatch;
}

export interface RunRepository {
  createRun(run: NewRun, steps: NewStep[], actor: string | null): Promise<void>;
  getRun(id: string): Promise<RunRecord | undefined>;
  getSteps(runId: string): Promise<StepRecord[]>;
  /** Compare-and-set on state, plus an audit row. False when the run was not in `from`. */
  transition(id: string, from: readonly RunState[], to: RunState, patch: RunPatch, actor: string | null): Promise<boolean>;
  /** Pending → Approved and the dispatch job, in one transaction. */
  approve(id: string, actor: string): Promise<boolean>;
  /** Takes (or renews) the run's lease: Approved → Running, or Running whose lease expired or is ours. */
  claim(id: string, owner: string, leaseMs: number): Promise<{ run: RunRecord; steps: StepRecord[] } | undefined>;
  heartbeat(ids: string[], owner: string, leaseMs: number): Promise<void>;
  /** Runs whose worker died: Running with an expired lease, or Approved and never picked up. */
  orphaned(staleApprovedMs: number, limit: number): Promise<string[]>;
  updateStep(runId: string, idx: number, patch: StepPatch, from?: readonly StepState[]): Promise<boolean>;
  /**
   * Step checkpoints and, optionally, the run's final transition with its audit row, atomically in
   * one round trip. Each applies only while `owner` holds the run's lease; says which applied.
   */
  checkpoint(runId: string, owner: string, steps: StepWrite[], final?: FinalWrite): Promise<{ steps: boolean[]; final: boolean }>;
  /** A run (not Cancelled) that undoes this one, if any. */
  undoRunOf(runId: string): Promise<string | undefined>;
  putSecrets(runId: string, secrets: Array<{ name: string; stepId: string; ciphertext: string }>): Promise<void>;
}

export interface ActionRegistry {
  get(id: string): ActionDefinition | undefined;
}

export interface ContextFactory {
  tenant(tenantId: string): TenantInfo | undefined;
  create(tenantId: string, opts: { idempotencyKey: string; scratch: Scratch }): ActionContext;
}

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

export interface WorkflowSource {
  /** The version technicians may run (Active), or a given version. */
  get(id: string, version?: number): Promise<{ definition: WorkflowDefinition; version: number } | undefined>;
}

export interface EnginePorts {
  runs: RunRepository;
  actions: ActionRegistry;
  contexts: ContextFactory;
  events: EventSink;
  secrets: SecretBox;
  clock: Clock;
  workflows: WorkflowSource;
}

/** Bumped when execution semantics change; stored on each run (Temporal's lesson). */
export const ENGINE_VERSION = 1;
