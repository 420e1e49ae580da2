// The chat thread, kept outside the page so it survives a visit to History or the Catalog. A
// conversation belongs to one tenant (and optionally a ticket); it is created with the first message.
import { useSyncExternalStore } from 'react';
import { errorText, get, post } from './api.ts';
import { clearRuns, putRun } from './run-store.ts';
import type { ChatAnswer, ErrorBody, Question, RunView } from './types.ts';

export type Entry =
  | { kind: 'user'; key: string; text: string }
  | { kind: 'assistant'; key: string; text: string; runIds: string[]; questions: Question[] }
  | { kind: 'card'; key: string; runId: string; note: string }
  | { kind: 'note'; key: string; text: string }
  | { kind: 'error'; key: string; error: ErrorBody };

export interface ChatState {
  tenantId: string | undefined;
  conversationId: string | undefined;
  ticket: string | undefined;
  entries: Entry[];
  draft: string;
  sending: boolean;
  /** Set when the message box should take the focus (after "Try it"). */
  focusToken: number;
}

const CONVERSATION_KEY = 'tf.conversation';
let state: ChatState = { tenantId: undefined, conversationId: undefined, ticket: undefined, entries: [], draft: '', sending: false, focusToken: 0 };
const listeners = new Set<() => void>();
let seq = 0;
const key = () => `e${++seq}`;

function set(patch: Partial<ChatState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function useChat(): ChatState {
  return useSyncExternalStore((l) => { listeners.add(l); return () => { listeners.delete(l); }; }, () => state);
}

export function setDraft(draft: string, focus = false): void {
  set({ draft, ...(focus ? { focusToken: state.focusToken + 1 } : {}) });
}

/** A fresh conversation in the given tenant (the switcher changed, or "New conversation"). */
export function newConversation(tenantId: string | undefined): void {
  sessionStorage.removeItem(CONVERSATION_KEY);
  set({ tenantId, conversationId: undefined, ticket: undefined, entries: [], sending: false });
}

export function resetChat(): void {
  sessionStorage.removeItem(CONVERSATION_KEY);
  clearRuns();
  state = { tenantId: undefined, conversationId: undefined, ticket: undefined, entries: [], draft: '', sending: false, focusToken: 0 };
  for (const l of listeners) l();
}

function isFullRun(c: Partial<RunView>): c is RunView {
  return Array.isArray(c.steps) && typeof c.paramSources === 'object' && typeof c.tenant === 'string';
}

async function ensureConversation(): Promise<string> {
  if (state.conversationId) return state.conversationId;
  const created = await post<{ id: string }>('/api/conversations', {
    ...(state.tenantId ? { tenant: state.tenantId } : {}),
    ...(state.ticket ? { ticketRef: state.ticket } : {}),
  });
  sessionStorage.setItem(CONVERSATION_KEY, created.id);
  set({ conversationId: created.id });
  return created.id;
}

/** Sends a message; `answers` answers open questions by parameter (a choice chip), `text` is what the thread shows. */
export async function send(text: string, answers?: Record<string, string>): Promise<void> {
  const trimmed = text.trim();
  if (!trimmed || state.sending) return;
  const keepDraft = answers !== undefined;
  set({ sending: true, ...(keepDraft ? {} : { draft: '' }), entries: [...state.entries, { kind: 'user', key: key(), text: trimmed }] });
  try {
    const id = await ensureConversation();
    const answer = await post<ChatAnswer>(`/api/conversations/${id}/messages`, { text: trimmed, ...(answers ? { answers } : {}) });
    const runIds: string[] = [];
    for (const card of answer.cards ?? []) {
      if (isFullRun(card)) putRun(card);
      runIds.push(card.id);
    }
    set({ entries: [...state.entries, { kind: 'assistant', key: key(), text: answer.reply ?? '', runIds, questions: answer.questions ?? [] }] });
  } catch (e) {
    set({ entries: [...state.entries, { kind: 'error', key: key(), error: errorText(e) }] });
  } finally {
    set({ sending: false });
  }
}

/** A new card that did not come from a message (an undo): it joins the thread under its origin. */
export function addCard(runId: string, note: string): void {
  set({ entries: [...state.entries, { kind: 'card', key: key(), runId, note }] });
}

/**
 * Attaches a PSA ticket: a conversation belongs to its ticket from the start, so this opens the
 * ticket's conversation (the same ticket always gives back the same one) or starts it.
 */
export async function attachTicket(ticket: string): Promise<void> {
  const ref = ticket.trim();
  if (!ref || !state.tenantId) return;
  try {
    const c = await post<{ id: string; ticketRef: string | null }>('/api/conversations', { tenant: state.tenantId, ticketRef: ref });
    sessionStorage.setItem(CONVERSATION_KEY, c.id);
    set({ conversationId: c.id, ticket: c.ticketRef ?? ref, entries: [] });
    await openConversation(c.id, { force: true });
    if (!state.entries.length) set({ entries: [{ kind: 'note', key: key(), text: `This conversation is attached to ticket ${ref}. Ask for what the ticket needs.` }] });
  } catch (e) {
    set({ entries: [...state.entries, { kind: 'error', key: key(), error: errorText(e) }] });
  }
}

interface StoredMessage {
  role: 'technician' | 'assistant' | string;
  text: string;
  runIds?: string[];
  questions?: Question[];
}

interface StoredConversation {
  id: string;
  tenant: string;
  ticketRef: string | null;
  messages?: StoredMessage[];
  /** Questions still open: they are asked again as chips under the last reply. */
  questions?: Question[];
  cards?: Array<Partial<RunView> & { id: string }>;
}

/** Reopens a stored conversation (a link from History, or a reload). */
export async function openConversation(id: string, opts: { silent?: boolean; force?: boolean } = {}): Promise<void> {
  if (!opts.force && state.conversationId === id && state.entries.length) return;
  set({ sending: true });
  try {
    const c = await get<StoredConversation>(`/api/conversations/${id}`);
    for (const card of c.cards ?? []) if (isFullRun(card)) putRun(card);
    const entries: Entry[] = [];
    for (const m of c.messages ?? []) {
      if (m.role === 'technician' || m.role === 'user') entries.push({ kind: 'user', key: key(), text: m.text });
      else entries.push({ kind: 'assistant', key: key(), text: m.text, runIds: m.runIds ?? [], questions: [] });
    }
    const last = entries.findLast((e) => e.kind === 'assistant');
    if (last?.kind === 'assistant') last.questions = c.questions ?? [];
    sessionStorage.setItem(CONVERSATION_KEY, id);
    set({ conversationId: id, tenantId: c.tenant ?? state.tenantId, ticket: c.ticketRef ?? undefined, entries });
  } catch (e) {
    // A remembered conversation that is gone (a reset database) just starts a fresh thread.
    if (opts.silent) sessionStorage.removeItem(CONVERSATION_KEY);
    else set({ entries: [{ kind: 'error', key: key(), error: errorText(e) }] });
  } finally {
    set({ sending: false });
  }
}

/** The conversation this browser tab had open before a reload, if any. */
export function rememberedConversation(): string | null {
  return sessionStorage.getItem(CONVERSATION_KEY);
}
