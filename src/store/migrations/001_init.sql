-- Accounts, sessions and API tokens.
create table accounts (
  id uuid primary key,
  username text not null unique,
  password_hash text not null,
  role text not null check (role in ('technician', 'reviewer', 'admin')),
  tenants text[] not null default '{}',
  disabled boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table sessions (
  token_hash text primary key,
  account_id uuid not null references accounts(id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_account on sessions(account_id);

create table api_tokens (
  id uuid primary key,
  account_id uuid not null references accounts(id) on delete cascade,
  token_hash text not null unique,
  name text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  last_used_at timestamptz
);

-- Workflow definitions and their immutable versions.
create table workflows (
  id text primary key,
  name text not null,
  description text not null default '',
  builtin boolean not null default false,
  active_version int,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table workflow_versions (
  workflow_id text not null references workflows(id) on delete cascade,
  version int not null,
  definition jsonb not null,
  state text not null check (state in ('Draft', 'AwaitingReview', 'Approved', 'ChangesRequested', 'Active', 'Superseded')),
  author uuid,
  note text not null default '',
  created_at timestamptz not null default now(),
  primary key (workflow_id, version)
);

-- Runs: one execution of one workflow version with resolved parameters.
create table runs (
  id uuid primary key,
  tenant_id text not null,
  workflow_id text not null,
  workflow_version int not null,
  -- The definition as it was when the run was created: a run resumes with what it started with.
  definition jsonb not null,
  engine_version int not null,
  state text not null check (state in ('Pending', 'Approved', 'Running', 'Completed', 'Failed', 'PartialSuccess', 'Cancelled')),
  title text not null default '',
  subject_user text,
  params jsonb not null,
  param_sources jsonb not null default '{}',
  preview jsonb,
  missing jsonb not null default '[]',
  errors jsonb not null default '[]',
  outputs jsonb,
  error jsonb,
  undo_of uuid references runs(id),
  undone_by uuid,
  reversible boolean not null default false,
  conversation_id uuid,
  context jsonb not null default '{}',
  created_by uuid,
  approved_by uuid,
  created_at timestamptz not null default now(),
  approved_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  lease_owner text,
  lease_expires_at timestamptz,
  attempts int not null default 0,
  version int not null default 0
);
create index runs_tenant_created on runs(tenant_id, created_at desc);
create index runs_state on runs(state) where state in ('Approved', 'Running');
create index runs_workflow on runs(workflow_id, created_at desc);
create index runs_subject on runs(subject_user);

create table run_steps (
  run_id uuid not null references runs(id) on delete cascade,
  idx int not null,
  step_id text not null,
  action text not null,
  name text not null,
  parallel text,
  state text not null check (state in ('Pending', 'Running', 'Completed', 'Failed', 'Skipped')),
  inputs jsonb,
  outputs jsonb,
  before jsonb,
  skipped jsonb not null default '[]',
  already_done boolean not null default false,
  summary text,
  error jsonb,
  skip_reason text,
  scratch text,
  attempts int not null default 0,
  started_at timestamptz,
  finished_at timestamptz,
  duration_ms int,
  primary key (run_id, idx)
);

-- Generated credentials, encrypted, handed over once to the approver.
create table run_secrets (
  run_id uuid not null references runs(id) on delete cascade,
  name text not null,
  step_id text not null,
  ciphertext text not null,
  revealed_at timestamptz,
  revealed_to uuid,
  primary key (run_id, name)
);

-- Every state transition of every machine.
create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  actor uuid,
  entity text not null,
  entity_id text not null,
  from_state text,
  to_state text not null,
  detail jsonb not null default '{}'
);
create index audit_entity on audit_log(entity, entity_id);
