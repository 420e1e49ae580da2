// Kysely's view of the tables in migrations/*.sql. Keep in step with the SQL.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface AccountsTable {
  id: string;
  username: string;
  password_hash: string;
  role: 'technician' | 'reviewer' | 'admin';
  tenants: ColumnType<string[], string[] | undefined, string[]>;
  disabled: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Where review notifications are mailed (005_design.sql); optional. */
  email: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SessionsTable {
  token_hash: string;
  account_id: string;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: string;
  account_id: string;
  token_hash: string;
  name: string;
  created_at: Generated<Date>;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
}

export interface WorkflowsTable {
  id: string;
  name: string;
  description: Generated<string>;
  builtin: Generated<boolean>;
  active_version: number | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface WorkflowVersionsTable {
  workflow_id: string;
  version: number;
  definition: JSONColumnType<Record<string, unknown>>;
  state: string;
  author: string | null;
  note: Generated<string>;
  created_at: Generated<Date>;
  // Review bookkeeping (005_design.sql): a version may be submitted more than once, each a round.
  review_round: Generated<number>;
  submitted_by: string | null;
  submitted_at: NullableTimestamp;
  submit_note: string | null;
  test_params: Json<Record<string, unknown>> | null;
  test_tenant: string | null;
}

export interface WorkflowReviewsTable {
  id: Generated<string>;
  workflow_id: string;
  version: number;
  round: number;
  reviewer: string;
  decision: 'approve' | 'request-changes';
  comment: Generated<string>;
  created_at: Generated<Date>;
}

export interface DesignSettingsTable {
  key: string;
  value: Json<unknown>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface RunsTable {
  id: string;
  tenant_id: string;
  workflow_id: string;
  workflow_version: number;
  definition: Json<Record<string, unknown>>;
  engine_version: number;
  state: string;
  title: Generated<string>;
  subject_user: string | null;
  params: Json<Record<string, unknown>>;
  param_sources: Json<Record<string, unknown>>;
  preview: Json<unknown> | null;
  missing: Json<unknown[]>;
  errors: Json<unknown[]>;
  outputs: Json<Record<string, unknown>> | null;
  error: Json<unknown> | null;
  undo_of: string | null;
  undone_by: string | null;
  reversible: Generated<boolean>;
  conversation_id: string | null;
  context: Json<Record<string, unknown>>;
  created_by: string | null;
  approved_by: string | null;
  created_at: Generated<Date>;
  approved_at: NullableTimestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  lease_owner: string | null;
  lease_expires_at: NullableTimestamp;
  attempts: Generated<number>;
  version: Generated<number>;
}

export interface RunStepsTable {
  run_id: string;
  idx: number;
  step_id: string;
  action: string;
  name: string;
  parallel: string | null;
  state: string;
  inputs: Json<Record<string, unknown>> | null;
  outputs: Json<Record<string, unknown>> | null;
  before: Json<Record<string, unknown>> | null;
  skipped: Json<unknown[]>;
  already_done: Generated<boolean>;
  summary: string | null;
  error: Json<unknown> | null;
  skip_reason: string | null;
  scratch: string | null;
  attempts: Generated<number>;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  duration_ms: number | null;
}

export interface RunSecretsTable {
  run_id: string;
  name: string;
  step_id: string;
  ciphertext: string;
  revealed_at: NullableTimestamp;
  revealed_to: string | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Generated<Date>;
  actor: string | null;
  entity: string;
  entity_id: string;
  from_state: string | null;
  to_state: string;
  detail: Json<Record<string, unknown>>;
}

export interface NotificationsTable {
  id: string;
  account_id: string;
  /** Null for a workflow notification (005_design.sql). */
  run_id: string | null;
  kind: string;
  /** Null for a workflow notification: workflows serve every tenant. */
  tenant_id: string | null;
  title: string;
  state: string;
  created_at: Generated<Date>;
  read_at: NullableTimestamp;
  workflow_id: string | null;
  workflow_version: number | null;
}

// Lifecycle workflows (migrations/004_lifecycle.sql).
export interface LcwSettingsTable {
  tenant_id: string;
  schedule_interval_hours: Generated<number>;
  email_settings: Json<{ senderDomain: string | null; useCompanyBranding: boolean }>;
  next_pass_at: NullableTimestamp;
  last_pass_at: NullableTimestamp;
  updated_at: Generated<Date>;
  /** The tenant's quarantineConfiguration, or null (007_lifecycle_quarantine.sql). */
  quarantine_configuration: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
}

export interface LcwWorkflowsTable {
  id: string;
  tenant_id: string;
  category: string;
  display_name: string;
  description: string | null;
  is_enabled: boolean;
  is_scheduling_enabled: boolean;
  version: number;
  execution_conditions: Json<Record<string, unknown>>;
  tasks: Json<unknown[]>;
  created_at: Timestamp;
  created_by: string | null;
  last_modified_at: Timestamp;
  last_modified_by: string | null;
  deleted_at: NullableTimestamp;
  /** workflowSetting and quarantineDetails (007_lifecycle_quarantine.sql). */
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  quarantine_type: ColumnType<string, string | undefined, string>;
  quarantined_at: NullableTimestamp;
  quarantine_reason: ColumnType<string | null, string | null | undefined, string | null>;
  quarantine_due: ColumnType<number | null, number | null | undefined, number | null>;
  released_for: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface LcwWorkflowVersionsTable {
  workflow_id: string;
  version_number: number;
  body: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface LcwRunsTable {
  id: string;
  tenant_id: string;
  workflow_id: string;
  workflow_version: number;
  execution_type: string;
  scheduled_at: Timestamp;
  activated_on_scope: Json<Record<string, unknown>> | null;
  /** Set by cancelProcessing: the run is frozen as canceled. */
  canceled_at?: NullableTimestamp;
}

export interface LcwUserResultsTable {
  id: string;
  tenant_id: string;
  run_id: string;
  workflow_id: string;
  workflow_version: number;
  user_id: string;
  subject: Json<Record<string, unknown>>;
  trigger_key: string;
  execution_type: string;
  status: string;
  scheduled_at: Timestamp;
  started_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  engine_run_id: string | null;
  claimed_until: NullableTimestamp;
}

export interface LcwTaskResultsTable {
  id: string;
  tenant_id: string;
  user_result_id: string;
  run_id: string;
  workflow_id: string;
  task_id: string;
  task_definition_id: string;
  execution_sequence: number;
  continue_on_error: boolean;
  task: Json<Record<string, unknown>>;
  subject: Json<Record<string, unknown>>;
  status: string;
  failure_reason: string | null;
  processing_info: string | null;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  step_idxs: ColumnType<number[], number[] | undefined, number[]>;
  resume_status: string | null;
  resumed_at: NullableTimestamp;
}

export interface LcwCustomTaskExtensionsTable {
  id: string;
  tenant_id: string;
  display_name: string;
  description: string | null;
  endpoint_configuration: Json<Record<string, unknown>> | null;
  authentication_configuration: Json<Record<string, unknown>> | null;
  client_configuration: Json<Record<string, unknown>> | null;
  callback_configuration: Json<Record<string, unknown>> | null;
  created_at: Timestamp;
  last_modified_at: Timestamp;
}

export interface LcwSnapshotsTable {
  tenant_id: string;
  kind: string;
  generation: number;
  data: Json<unknown>;
  updated_at: Timestamp;
}

export interface ConversationsTable {
  id: string;
  account_id: string;
  tenant_id: string;
  ticket_ref: string | null;
  subject_user: string | null;
  title: Generated<string>;
  memory: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ConversationMessagesTable {
  id: Generated<string>;
  conversation_id: string;
  role: 'technician' | 'assistant';
  text: string;
  intents: Json<unknown[]>;
  questions: Json<unknown[]>;
  run_ids: Json<string[]>;
  created_at: Generated<Date>;
}

export interface ConversationProposalsTable {
  id: string;
  conversation_id: string;
  message_id: string | null;
  action: string;
  params: Json<Record<string, unknown>>;
  state: 'asking' | 'proposed' | 'superseded' | 'dropped';
  questions: Json<unknown[]>;
  run_id: string | null;
  source: Generated<'rules' | 'llm'>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface Database {
  accounts: AccountsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  workflows: WorkflowsTable;
  workflow_versions: WorkflowVersionsTable;
  runs: RunsTable;
  run_steps: RunStepsTable;
  run_secrets: RunSecretsTable;
  audit_log: AuditLogTable;
  notifications: NotificationsTable;
  workflow_reviews: WorkflowReviewsTable;
  design_settings: DesignSettingsTable;
  lcw_settings: LcwSettingsTable;
  lcw_workflows: LcwWorkflowsTable;
  lcw_workflow_versions: LcwWorkflowVersionsTable;
  lcw_runs: LcwRunsTable;
  lcw_user_results: LcwUserResultsTable;
  lcw_task_results: LcwTaskResultsTable;
  lcw_custom_task_extensions: LcwCustomTaskExtensionsTable;
  lcw_snapshots: LcwSnapshotsTable;
  conversations: ConversationsTable;
  conversation_messages: ConversationMessagesTable;
  conversation_proposals: ConversationProposalsTable;
}
