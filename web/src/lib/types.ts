// The shapes the API answers, as the web app reads them (see src/server/run-view.ts and the routes).

export type RunState = 'Pending' | 'Approved' | 'Running' | 'Completed' | 'Failed' | 'PartialSuccess' | 'Cancelled';
export type StepState = 'Pending' | 'Running' | 'Completed' | 'Failed' | 'Skipped';
export type ParamSource = 'input' | 'context' | 'tenant.defaults' | 'workflow.default' | string;

export const terminalRunStates: readonly RunState[] = ['Completed', 'Failed', 'PartialSuccess', 'Cancelled'];
export const isTerminal = (s: RunState): boolean => terminalRunStates.includes(s);

export interface ErrorBody {
  code: string;
  message: string;
  fix: string;
  param?: string;
  value?: unknown;
  details?: Record<string, unknown>;
}

export interface Change {
  object: string;
  field: string;
  before: unknown;
  after: unknown;
}

export interface StepPreview {
  stepId: string;
  action: string;
  title: string;
  skipped?: string;
  deferred?: boolean;
  inputs?: Record<string, unknown>;
  /** The calls it will make; present once the step was previewed. */
  calls?: unknown[];
  changes?: Change[];
  skippedItems?: Array<{ item: string; reason: string }>;
  alreadyDone?: boolean;
  warnings?: string[];
}

export interface Question {
  param: string;
  question: string;
  choices?: Array<{ value: string; label: string }>;
}

export interface StepView {
  id: string;
  name: string;
  action: string;
  state: StepState;
  durationMs: number | null;
  inputs: Record<string, unknown> | null;
  outputs: Record<string, unknown> | null;
  error: ErrorBody | null;
  skipped: Array<{ item: string; reason: string; code?: string }>;
  skipReason: string | null;
  alreadyDone: boolean;
  summary: string | null;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunView {
  id: string;
  state: RunState;
  tenant: string;
  workflow: string;
  version: number;
  title: string;
  user: string | null;
  params: Record<string, unknown>;
  paramSources: Record<string, ParamSource>;
  context: Record<string, unknown>;
  preview: { steps: StepPreview[] } | null;
  missing: Question[];
  errors: ErrorBody[];
  outputs: Record<string, unknown> | null;
  error: ErrorBody | null;
  steps: StepView[];
  percent: number;
  elapsedMs: number;
  undoOf: string | null;
  undoRun: string | null;
  reversible: boolean;
  conversationId: string | null;
  createdBy: string | null;
  approvedBy: string | null;
  createdAt: string;
  approvedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunSummary {
  id: string;
  state: RunState;
  tenant: string;
  workflow: string;
  version: number;
  title: string;
  user: string | null;
  createdAt: string;
  finishedAt: string | null;
  createdBy: string | null;
  approvedBy: string | null;
  undoOf: string | null;
  undoRun: string | null;
  reversible: boolean;
  conversationId: string | null;
  error: ErrorBody | null;
}

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
  stepId: string;
  idx: number;
  state: StepState;
  durationMs: number | null;
  percent: number;
  elapsedMs: number;
  at: string;
  error?: ErrorBody;
}

export interface Tenant {
  id: string;
  domain: string;
  displayName: string;
}

export interface Me {
  user: { id: string; username: string; role: string; tenants: string[] };
  csrfToken: string | null;
  tenants: string[];
}

export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  default?: unknown;
  format?: string;
}

export interface ActionInfo {
  id: string;
  title: string;
  description: string;
  category: string;
  secrets: string[];
  reversible: boolean;
  irreversibleReason?: string;
  parameters: JsonSchema;
}

export interface WorkflowInfo {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
  kind: 'workflow' | 'action';
  latestState?: string;
  activeVersion?: number | null;
}

export interface WorkflowParam {
  name: string;
  type?: string;
  required?: boolean;
  description?: string;
  default?: unknown;
  secret?: boolean;
}

export interface NotificationItem {
  id: string;
  runId: string;
  kind: string;
  tenant: string;
  title: string;
  state: string;
  createdAt: string;
  read: boolean;
}

/** What the chat API answers to a message (issue 5). */
export interface ChatAnswer {
  reply: string;
  cards: Array<Partial<RunView> & { id: string }>;
  questions: Question[];
}
