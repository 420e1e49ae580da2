-- Workflow design: review rounds on each version, the reviews themselves, design settings
-- (approvals required, review mail) and an optional mail address per account.

-- A version can be submitted, sent back (ChangesRequested), reopened and submitted again: each
-- submission is a new round, and only the current round's approvals count.
alter table workflow_versions
  add column review_round int not null default 0,
  add column submitted_by uuid,
  add column submitted_at timestamptz,
  add column submit_note text,
  -- Sample parameters (and demo tenant) for the reviewers' dry-run preview.
  add column test_params jsonb,
  add column test_tenant text;

create table workflow_reviews (
  id bigserial primary key,
  workflow_id text not null,
  version int not null,
  round int not null,
  reviewer uuid not null,
  decision text not null check (decision in ('approve', 'request-changes')),
  comment text not null default '',
  created_at timestamptz not null default now(),
  foreign key (workflow_id, version) references workflow_versions(workflow_id, version) on delete cascade,
  -- Four eyes counts people, not clicks: one decision per reviewer per round.
  unique (workflow_id, version, round, reviewer)
);

create table design_settings (
  key text primary key,
  value jsonb not null,
  updated_by uuid,
  updated_at timestamptz not null default now()
);

alter table accounts add column email text;

-- Notifications also tell reviewers about workflow versions: those rows name a workflow version
-- instead of a run and belong to no tenant (a workflow serves every tenant).
alter table notifications
  alter column run_id drop not null,
  alter column tenant_id drop not null,
  add column workflow_id text,
  add column workflow_version int;
create index notifications_workflow on notifications (workflow_id, workflow_version) where workflow_id is not null;
