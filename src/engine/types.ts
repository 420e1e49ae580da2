// Records the engine reads and writes through its repository port.
import type { ErrorBody } from '../core/errors.ts';
import type { WorkflowDefinition } from './definition.ts';
import type { RunState } from './run-state.ts';
import type { StepState } from './step-state.ts';

export type ParamSource = 'input' | 'context' | 'tenant.defaults' | 'workflow.default';

export interface StepPreview {
  stepId: string;
  action: string;
  title: string;
  /** Not run: its condition is false, with the reason. */
  skipped?: string;
  /** Inputs depend on an earlier step's outputs; previewed when the run reaches it. */
  deferred?: boolean;
  inputs?: Record<string, unknown>;
  calls?: unknown[];
  changes?: Array<{ object: string; field: string; before: unknown; after: unknown }>;
  skippedItems?: Array<{ item: string; reason: string }>;
  alreadyDone?: boolean;
  warnings?: string[];
}

export interface RunPreview {
  steps: StepPreview[];
}

export interface MissingQuestion {
  param: string;
  question: string;
  choices?: Array<{ value: string; label: string }>;
}

export interface RunRecord {
  id: string;
  tenantId: string;
  workflowId: string;
  workflowVersion: number;
  definition: WorkflowDefinition;
  engineVersion: number;
  state: RunState;
  title: string;
  subjectUser: string | null;
  params: Record<string, unknown>;
  paramSources: Record<string, ParamSource>;
  context: Record<string, unknown>;
  preview: RunPreview | null;
  missing: MissingQuestion[];
  errors: ErrorBody[];
  outputs: Record<string, unknown> | null;
  error: ErrorBody | null;
  undoOf: string | null;
  undoneBy: string | null;
  reversible: boolean;
  conversationId: string | null;
  createdBy: string | null;
  approvedBy: string | null;
  createdAt: Date;
  approvedAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  attempts: number;
}

export interface StepRecord {
  runId: string;
  idx: number;
  stepId: string;
  action: string;
  name: string;
  parallel: string | null;
  state: StepState;
  inputs: Record<string, unknown> | null;
  outputs: Record<string, unknown> | null;
  before: Record<string, unknown> | null;
  skipped: Array<{ item: string; reason: string; code?: string }>;
  alreadyDone: boolean;
  summary: string | null;
  error: (ErrorBody & { action?: string }) | null;
  skipReason: string | null;
  /** Encrypted JSON of the step's scratch values. */
  scratch: string | null;
  attempts: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
}

export type NewRun = Omit<RunRecord, 'createdAt' | 'approvedAt' | 'startedAt' | 'finishedAt' | 'leaseOwner' | 'leaseExpiresAt' | 'attempts' | 'approvedBy' | 'outputs' | 'error' | 'undoneBy'>;
export type NewStep = Pick<StepRecord, 'idx' | 'stepId' | 'action' | 'name' | 'parallel'>;
