-- Lifecycle workflows (Microsoft's identityGovernance/lifecycleWorkflows model), per tenant.

-- Tenant settings and the tenant-wide schedule: next_pass_at is claimed with a compare-and-set
-- UPDATE so one process runs each pass.
create table lcw_settings (
  tenant_id text primary key,
  schedule_interval_hours int not null default 3 check (schedule_interval_hours between 1 and 24),
  email_settings jsonb not null default '{"senderDomain": null, "useCompanyBranding": false}',
  next_pass_at timestamptz,
  last_pass_at timestamptz,
  updated_at timestamptz not null default now()
);

create table lcw_workflows (
  id uuid primary key,
  tenant_id text not null,
  category text not null check (category in ('joiner', 'leaver', 'mover')),
  display_name text not null,
  description text,
  is_enabled boolean not null,
  is_scheduling_enabled boolean not null,
  version int not null,
  -- The current version's conditions and tasks; earlier ones live in lcw_workflow_versions.
  execution_conditions jsonb not null,
  tasks jsonb not null,
  created_at timestamptz not null,
  created_by text,
  last_modified_at timestamptz not null,
  last_modified_by text,
  deleted_at timestamptz
);
create index lcw_workflows_tenant on lcw_workflows (tenant_id, deleted_at);

-- Immutable snapshots, one per version (the current one included).
create table lcw_workflow_versions (
  workflow_id uuid not null references lcw_workflows (id) on delete cascade,
  version_number int not null,
  body jsonb not null,
  created_at timestamptz not null,
  primary key (workflow_id, version_number)
);

create table lcw_runs (
  id uuid primary key,
  tenant_id text not null,
  workflow_id uuid not null references lcw_workflows (id) on delete cascade,
  workflow_version int not null,
  execution_type text not null check (execution_type in ('scheduled', 'onDemand')),
  scheduled_at timestamptz not null,
  activated_on_scope jsonb
);
create index lcw_runs_workflow on lcw_runs (workflow_id, scheduled_at desc);
create index lcw_runs_tenant on lcw_runs (tenant_id, scheduled_at desc);

create table lcw_user_results (
  id uuid primary key,
  tenant_id text not null,
  run_id uuid not null references lcw_runs (id) on delete cascade,
  workflow_id uuid not null references lcw_workflows (id) on delete cascade,
  workflow_version int not null,
  user_id text not null,
  subject jsonb not null,
  -- What made the user due (the trigger date, the detected change, or the on-demand run).
  trigger_key text not null,
  execution_type text not null,
  status text not null check (status in ('queued', 'inProgress', 'completed', 'completedWithErrors', 'canceled', 'failed')),
  scheduled_at timestamptz not null,
  started_at timestamptz,
  completed_at timestamptz,
  engine_run_id uuid,
  -- A process dispatching this user holds it until then; a crashed one's users are taken again.
  claimed_until timestamptz,
  -- A user is processed once per workflow version and trigger.
  unique (workflow_id, workflow_version, user_id, trigger_key)
);
create index lcw_user_results_run on lcw_user_results (run_id);
create index lcw_user_results_workflow on lcw_user_results (workflow_id, scheduled_at desc);
create index lcw_user_results_engine on lcw_user_results (engine_run_id);
create index lcw_user_results_open on lcw_user_results (tenant_id) where status in ('queued', 'inProgress');

create table lcw_task_results (
  id uuid primary key,
  tenant_id text not null,
  user_result_id uuid not null references lcw_user_results (id) on delete cascade,
  run_id uuid not null,
  workflow_id uuid not null,
  task_id uuid not null,
  task_definition_id text not null,
  execution_sequence int not null,
  continue_on_error boolean not null,
  task jsonb not null,
  subject jsonb not null,
  status text not null check (status in ('queued', 'inProgress', 'completed', 'completedWithErrors', 'canceled', 'failed')),
  failure_reason text,
  processing_info text,
  created_at timestamptz not null,
  started_at timestamptz,
  completed_at timestamptz,
  -- The engine steps (run_steps.idx) that carry this task.
  step_idxs int[] not null default '{}',
  -- A custom task extension's callback, recorded by resume.
  resume_status text,
  resumed_at timestamptz
);
create index lcw_task_results_user on lcw_task_results (user_result_id);
create index lcw_task_results_run on lcw_task_results (run_id);
create index lcw_task_results_task on lcw_task_results (workflow_id, task_id);

create table lcw_custom_task_extensions (
  id uuid primary key,
  tenant_id text not null,
  display_name text not null,
  description text,
  endpoint_configuration jsonb,
  authentication_configuration jsonb,
  client_configuration jsonb,
  callback_configuration jsonb,
  created_at timestamptz not null,
  last_modified_at timestamptz not null
);
create index lcw_custom_task_extensions_tenant on lcw_custom_task_extensions (tenant_id);

-- What a pass saw last (watched attributes per user, members per group), so the next pass can
-- tell what changed. generation counts saves: a change is keyed by the generation it was seen against.
create table lcw_snapshots (
  tenant_id text not null,
  kind text not null,
  generation int not null,
  data jsonb not null,
  updated_at timestamptz not null,
  primary key (tenant_id, kind)
);
