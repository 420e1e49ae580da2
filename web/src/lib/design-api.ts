// The workflow design lifecycle as the web app reads it (src/server/routes/design.routes.ts):
// definitions, versions with their design states, validation, diffs, review and activation.
import { api, get, post, qs } from './api.ts';
import type { ErrorBody, JsonSchema, StepPreview, Question } from './types.ts';

export type DesignState = 'Draft' | 'AwaitingReview' | 'Approved' | 'ChangesRequested' | 'Active' | 'Superseded';
export const paramTypes = ['string', 'boolean', 'integer', 'number', 'string[]'] as const;
export const paramFormats = ['email', 'upn', 'sku', 'group', 'date', 'datetime', 'country', 'text'] as const;
export type ParamType = (typeof paramTypes)[number];

export interface DefParameter {
  name: string;
  type: ParamType;
  required: boolean;
  format?: (typeof paramFormats)[number];
  default?: unknown;
  description: string;
  secret?: boolean;
}

export interface DefStep {
  id: string;
  name?: string;
  action: string;
  inputs: Record<string, unknown>;
  when?: string;
  parallel?: string;
  continueOnError: boolean;
  timeoutSeconds?: number;
  retry?: { maxAttempts: number; backoffSeconds: number };
}

export interface Definition {
  id?: string;
  name: string;
  description: string;
  category?: string;
  parameters: DefParameter[];
  steps: DefStep[];
  outputs: Record<string, unknown>;
}

export interface LintProblem {
  severity: 'error' | 'warning';
  step?: string;
  field?: string;
  code: string;
  message: string;
}

export interface Person {
  id: string;
  username: string | null;
}

export interface VersionView {
  workflowId: string;
  version: number;
  state: DesignState;
  name: string;
  author: Person | null;
  note: string;
  createdAt: string;
  review: { round: number; submittedBy: string | null; submittedAt: string | null; note: string | null; testParams: Record<string, unknown> | null; testTenant: string | null } | null;
}

export interface SavedVersion extends VersionView {
  definition: Definition;
  problems: LintProblem[];
  latest?: boolean;
  reviews?: ReviewView[];
}

export interface ReviewView {
  version: number;
  round: number;
  reviewer: Person;
  decision: 'approve' | 'request-changes';
  comment: string;
  createdAt: string;
}

export interface WorkflowSummary {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
  activeVersion: number | null;
  headVersion: number;
  state: DesignState;
  approvalsRequired: number;
}

export interface DiffChange {
  scope: 'workflow' | 'parameter' | 'step' | 'output';
  op: 'added' | 'removed' | 'changed' | 'moved';
  id?: string;
  field?: string;
  before?: unknown;
  after?: unknown;
  text: string;
}

export interface DiffSummary {
  stepsAdded: number;
  stepsRemoved: number;
  stepsChanged: number;
  stepsMoved: number;
  parametersChanged: number;
  outputsChanged: number;
}

export interface Diff {
  from: number;
  to: number;
  summary: DiffSummary;
  changes: DiffChange[];
}

export interface DryRun {
  tenant: { id: string; domain: string };
  params: Record<string, unknown>;
  preview: { steps: StepPreview[] };
  missing: Question[];
  errors: ErrorBody[];
}

/** POST …/versions/:n/test-run: a real Pending card of that version in a demo tenant (admins). */
export interface TestRunAnswer {
  id: string;
  state: 'Pending';
  preview: { steps: StepPreview[] };
  missing: Question[];
  errors: ErrorBody[];
  version: number;
}

export interface ReviewPage {
  workflow: WorkflowSummary;
  version: VersionView & { definition: Definition };
  diff: Diff;
  problems: LintProblem[];
  approvals: { count: number; required: number };
  reviews: ReviewView[];
  you: { canReview: boolean; reason: string | null };
  dryRun: { result: DryRun | null; error: ErrorBody | null };
}

export interface AuditEntry {
  at: string;
  actor: Person | null;
  version: number | null;
  action: string | null;
  from: string | null;
  to: string | null;
  detail: Record<string, unknown>;
}

/** A workflow as GET /api/workflows lists it (designed and built-in ones; actions are left out). */
export interface WorkflowListItem {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
  activeVersion: number | null;
  latestVersion: number;
  latestState: DesignState | '';
  kind: 'workflow' | 'action';
}

export interface CatalogAction {
  id: string;
  title: string;
  description: string;
  category: string;
  secrets: string[];
  parameters: JsonSchema & { additionalProperties?: unknown };
}

export interface TenantWithDefaults {
  id: string;
  domain: string;
  displayName: string;
  defaults?: Record<string, unknown>;
}

const w = (id: string) => `/api/workflows/${encodeURIComponent(id)}`;

export const designApi = {
  list: () => get<{ workflows: WorkflowListItem[] }>('/api/workflows').then((r) => r.workflows.filter((x) => x.kind === 'workflow')),
  actions: () => get<{ actions: CatalogAction[] }>('/api/actions').then((r) => r.actions),
  tenants: () => get<{ tenants: TenantWithDefaults[] }>('/api/tenants').then((r) => r.tenants),
  /** The definition that serves runs (or the latest), for workflows with no design history. */
  current: (id: string) => get<{ id: string; version: number; definition: Definition }>(w(id)),
  lint: (definition: Definition) => post<{ valid: boolean; problems: LintProblem[] }>('/api/workflows/lint', { definition }),
  create: (definition: Definition, note: string) => post<SavedVersion>('/api/workflows', { definition, note }),
  saveDraft: (id: string, definition: Definition, baseVersion: number, note: string) =>
    api<SavedVersion>('PUT', `${w(id)}/draft`, { definition, baseVersion, note }),
  versions: (id: string) => get<{ workflow: WorkflowSummary; versions: VersionView[] }>(`${w(id)}/versions`),
  version: (id: string, n: number) => get<SavedVersion>(`${w(id)}/versions/${n}`),
  diff: (id: string, from: number, to: number) => get<Diff & { workflowId: string }>(`${w(id)}/diff${qs({ from, to })}`),
  restore: (id: string, n: number, baseVersion: number) => post<SavedVersion>(`${w(id)}/versions/${n}/restore`, { baseVersion }),
  submit: (id: string, body: { note: string; version: number; testParams?: Record<string, unknown>; testTenant?: string }) =>
    post<VersionView>(`${w(id)}/submit`, body),
  review: (id: string, version?: number) => get<ReviewPage>(`${w(id)}/review${qs({ version })}`),
  decide: (id: string, version: number, decision: 'approve' | 'request-changes', comment: string) =>
    post<{ state: DesignState }>(`${w(id)}/review`, { decision, comment, version }),
  reopen: (id: string) => post<VersionView>(`${w(id)}/reopen`),
  activate: (id: string, version: number) => post<{ activeVersion: number }>(`${w(id)}/activate`, { version }),
  dryRun: (id: string, version: number, tenant: string | undefined, params: Record<string, unknown>) =>
    post<DryRun & { version: number }>(`${w(id)}/dry-run`, { version, params, ...(tenant ? { tenant } : {}) }),
  testRun: (id: string, version: number, tenant: string | undefined, params: Record<string, unknown>) =>
    post<TestRunAnswer>(`${w(id)}/versions/${version}/test-run`, { params, ...(tenant ? { tenant } : {}) }),
  audit: (id: string) => get<{ audit: AuditEntry[] }>(`${w(id)}/audit`).then((r) => r.audit),
};

export const designStateLabel: Record<DesignState, string> = {
  Draft: 'Draft',
  AwaitingReview: 'Awaiting review',
  Approved: 'Approved',
  ChangesRequested: 'Changes requested',
  Active: 'Active',
  Superseded: 'Superseded',
};
