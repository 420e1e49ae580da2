// The SQL of the conversation aggregate: conversations, their messages and their proposals
// (migrations/002_chat.sql). Memory is stored as JSON; it never holds a secret.
import { sql, type Kysely, type Selectable } from 'kysely';
import { newId } from '../core/ids.ts';
import type { Database } from '../store/schema.ts';
import { emptyMemory, readMemory, type Memory } from './memory.ts';
import type { Question } from './questions.ts';

export interface Conversation {
  id: string;
  accountId: string;
  tenantId: string;
  ticketRef: string | null;
  subjectUser: string | null;
  title: string;
  memory: Memory;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredMessage {
  id: string;
  role: 'technician' | 'assistant';
  text: string;
  intents: unknown[];
  questions: Question[];
  runIds: string[];
  createdAt: Date;
}

export interface Proposal {
  id: string;
  conversationId: string;
  messageId: string | null;
  action: string;
  params: Record<string, unknown>;
  state: 'asking' | 'proposed' | 'superseded' | 'dropped';
  questions: Question[];
  runId: string | null;
  source: 'rules' | 'llm';
  createdAt: Date;
}

/** Longest message text kept; a flood is stored cut, with a marker. */
const MAX_STORED_TEXT = 20_000;

function clip(text: string): string {
  return text.length > MAX_STORED_TEXT ? `${text.slice(0, MAX_STORED_TEXT)}… [cut: ${text.length} characters]` : text;
}

function toConversation(r: Selectable<Database['conversations']>): Conversation {
  return {
    id: r.id, accountId: r.account_id, tenantId: r.tenant_id, ticketRef: r.ticket_ref, subjectUser: r.subject_user, title: r.title,
    memory: readMemory(r.memory), createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export class ConversationsRepo {
  private readonly db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async create(c: { accountId: string; tenantId: string; ticketRef?: string | null; subjectUser?: string | null; title?: string }): Promise<Conversation> {
    const memory = emptyMemory();
    const row = await this.db.insertInto('conversations').values({
      id: newId(), account_id: c.accountId, tenant_id: c.tenantId, ticket_ref: c.ticketRef ?? null, subject_user: c.subjectUser?.toLowerCase() ?? null,
      title: c.title ?? '', memory: JSON.stringify(memory),
    }).returningAll().executeTakeFirstOrThrow();
    return toConversation(row);
  }

  async get(id: string): Promise<Conversation | undefined> {
    const row = await this.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toConversation(row) : undefined;
  }

  async byTicket(accountId: string, tenantId: string, ticketRef: string): Promise<Conversation | undefined> {
    const row = await this.db.selectFrom('conversations').selectAll()
      .where('account_id', '=', accountId).where('tenant_id', '=', tenantId).where('ticket_ref', '=', ticketRef).executeTakeFirst();
    return row ? toConversation(row) : undefined;
  }

  async listFor(accountId: string, tenants: readonly string[], limit: number): Promise<Conversation[]> {
    if (!tenants.length) return [];
    const rows = await this.db.selectFrom('conversations').selectAll()
      .where('account_id', '=', accountId).where('tenant_id', 'in', tenants).orderBy('updated_at', 'desc').limit(limit).execute();
    return rows.map(toConversation);
  }

  async saveMemory(id: string, memory: Memory, title?: string): Promise<void> {
    await this.db.updateTable('conversations')
      .set({ memory: JSON.stringify(memory), updated_at: sql`now()`, ...(title !== undefined ? { title } : {}) })
      .where('id', '=', id).execute();
  }

  async addMessage(conversationId: string, m: { role: StoredMessage['role']; text: string; intents?: unknown[]; questions?: Question[]; runIds?: string[] }): Promise<string> {
    const row = await this.db.insertInto('conversation_messages').values({
      conversation_id: conversationId, role: m.role, text: clip(m.text), intents: JSON.stringify(m.intents ?? []),
      questions: JSON.stringify(m.questions ?? []), run_ids: JSON.stringify(m.runIds ?? []),
    }).returning('id').executeTakeFirstOrThrow();
    return String(row.id);
  }

  async messages(conversationId: string, limit = 200): Promise<StoredMessage[]> {
    const rows = await this.db.selectFrom('conversation_messages').selectAll().where('conversation_id', '=', conversationId)
      .orderBy('id', 'desc').limit(limit).execute();
    return rows.reverse().map((r) => ({
      id: String(r.id), role: r.role, text: r.text, intents: r.intents as unknown[], questions: r.questions as unknown as Question[],
      runIds: r.run_ids as string[], createdAt: r.created_at,
    }));
  }

  async addProposal(p: Omit<Proposal, 'id' | 'createdAt'>): Promise<string> {
    const id = newId();
    await this.db.insertInto('conversation_proposals').values({
      id, conversation_id: p.conversationId, message_id: p.messageId, action: p.action, params: JSON.stringify(p.params), state: p.state,
      questions: JSON.stringify(p.questions), run_id: p.runId, source: p.source,
    }).execute();
    return id;
  }

  async asking(conversationId: string): Promise<Proposal[]> {
    const rows = await this.db.selectFrom('conversation_proposals').selectAll()
      .where('conversation_id', '=', conversationId).where('state', '=', 'asking').orderBy('created_at').execute();
    return rows.map((r) => ({
      id: r.id, conversationId: r.conversation_id, messageId: r.message_id === null ? null : String(r.message_id), action: r.action,
      params: r.params as Record<string, unknown>, state: r.state, questions: r.questions as unknown as Question[], runId: r.run_id,
      source: r.source, createdAt: r.created_at,
    }));
  }

  async updateProposal(id: string, patch: { state?: Proposal['state']; params?: Record<string, unknown>; questions?: Question[]; runId?: string | null }): Promise<void> {
    await this.db.updateTable('conversation_proposals').set({
      updated_at: sql`now()`,
      ...(patch.state ? { state: patch.state } : {}),
      ...(patch.params ? { params: JSON.stringify(patch.params) } : {}),
      ...(patch.questions ? { questions: JSON.stringify(patch.questions) } : {}),
      ...(patch.runId !== undefined ? { run_id: patch.runId } : {}),
    }).where('id', '=', id).execute();
  }

  /** Finished runs of the conversation not yet read into its memory, oldest first. */
  async finishedRunIds(conversationId: string, absorbed: readonly string[]): Promise<string[]> {
    let q = this.db.selectFrom('runs').select('id').where('conversation_id', '=', conversationId).where('state', 'in', ['Completed', 'PartialSuccess']);
    if (absorbed.length) q = q.where('id', 'not in', absorbed);
    const rows = await q.orderBy('finished_at').limit(50).execute();
    return rows.map((r) => r.id);
  }
}
