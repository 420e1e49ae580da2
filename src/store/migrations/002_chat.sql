-- Chat: conversations (a technician's thread in one tenant, optionally attached to a PSA ticket),
-- their messages, and the proposals each message made (one per intent: asking for what is missing,
-- or proposed as a Pending run).
create table conversations (
  id uuid primary key,
  account_id uuid not null references accounts(id) on delete cascade,
  tenant_id text not null,
  ticket_ref text,
  -- The user the ticket is about: what a request that names no one is about.
  subject_user text,
  title text not null default '',
  -- Who "this user" is, the outputs of completed runs; never a secret.
  memory jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index conversations_account on conversations(account_id, updated_at desc);
create unique index conversations_ticket on conversations(account_id, tenant_id, ticket_ref) where ticket_ref is not null;

create table conversation_messages (
  id bigserial primary key,
  conversation_id uuid not null references conversations(id) on delete cascade,
  role text not null check (role in ('technician', 'assistant')),
  text text not null,
  intents jsonb not null default '[]',
  questions jsonb not null default '[]',
  run_ids jsonb not null default '[]',
  created_at timestamptz not null default now()
);
create index conversation_messages_conversation on conversation_messages(conversation_id, id);

create table conversation_proposals (
  id uuid primary key,
  conversation_id uuid not null references conversations(id) on delete cascade,
  message_id bigint references conversation_messages(id) on delete set null,
  action text not null,
  params jsonb not null default '{}',
  state text not null check (state in ('asking', 'proposed', 'superseded', 'dropped')),
  questions jsonb not null default '[]',
  run_id uuid,
  source text not null default 'rules' check (source in ('rules', 'llm')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index conversation_proposals_asking on conversation_proposals(conversation_id, created_at) where state = 'asking';
