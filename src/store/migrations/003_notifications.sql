-- In-app notifications: one row per person per finished run they started or approved.
create table notifications (
  id uuid primary key,
  account_id uuid not null references accounts(id) on delete cascade,
  run_id uuid not null,
  kind text not null,
  tenant_id text not null,
  title text not null,
  state text not null,
  created_at timestamptz not null default now(),
  read_at timestamptz,
  -- Several processes may see the same terminal event; the first insert wins.
  unique (account_id, run_id, kind)
);
create index notifications_account_created on notifications (account_id, created_at desc);
