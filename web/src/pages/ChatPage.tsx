// The chat: a ticket reference, the thread (your messages, replies, follow-up questions as choice
// chips, action cards) and the message box. Enter sends; Shift+Enter starts a new line.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Button, Input, Spinner, Tag, Text, Textarea, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { Add20Regular, Bot20Regular, Send20Filled, TicketDiagonal20Regular } from '@fluentui/react-icons';
import { get } from '../lib/api.ts';
import { addCard, attachTicket, newConversation, openConversation, rememberedConversation, send, setDraft, useChat, type Entry } from '../lib/chat-store.ts';
import { navigate } from '../lib/router.ts';
import { useSession } from '../lib/session.ts';
import type { Question } from '../lib/types.ts';
import { ErrorBox } from '../components/ErrorBox.tsx';
import { RunCard } from '../components/RunCard.tsx';

const useStyles = makeStyles({
  page: { height: '100%', display: 'flex', flexDirection: 'column', minHeight: 0 },
  bar: {
    display: 'flex', alignItems: 'center', gap: '8px 16px', flexWrap: 'wrap', padding: '10px 20px', background: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, '@media (max-width: 720px)': { padding: '8px 12px' },
  },
  barTitle: { flexGrow: 1, margin: 0, '@media (max-width: 720px)': { display: 'none' } },
  newLabel: { '@media (max-width: 720px)': { display: 'none' } },
  newShort: { display: 'none', '@media (max-width: 720px)': { display: 'inline' } },
  ticketForm: { display: 'flex', alignItems: 'center', gap: '6px', '@media (max-width: 720px)': { flexGrow: 1 } },
  ticketInput: { width: '150px', '@media (max-width: 720px)': { width: '0', flexGrow: 1 } },
  thread: { flexGrow: 1, overflowY: 'auto', padding: '20px', '@media (max-width: 720px)': { padding: '12px' } },
  column: { maxWidth: '920px', margin: '0 auto', display: 'flex', flexDirection: 'column', gap: '14px' },
  user: {
    alignSelf: 'flex-end', maxWidth: '80%', background: tokens.colorBrandBackground, color: tokens.colorNeutralForegroundOnBrand,
    padding: '8px 12px', borderRadius: '12px 12px 2px 12px', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere',
  },
  assistant: { display: 'flex', gap: '10px', alignItems: 'flex-start', minWidth: 0 },
  avatar: {
    width: '28px', height: '28px', borderRadius: '50%', background: tokens.colorBrandBackground2, color: tokens.colorBrandForeground1,
    display: 'grid', placeItems: 'center', flexShrink: 0, '@media (max-width: 720px)': { display: 'none' },
  },
  bubble: { display: 'flex', flexDirection: 'column', gap: '10px', minWidth: 0, flexGrow: 1 },
  reply: {
    alignSelf: 'flex-start', background: tokens.colorNeutralBackground1, padding: '8px 12px', borderRadius: '12px 12px 12px 2px',
    border: `1px solid ${tokens.colorNeutralStroke2}`, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxWidth: '100%', boxSizing: 'border-box',
  },
  question: { display: 'flex', flexDirection: 'column', gap: '6px' },
  chips: { display: 'flex', flexWrap: 'wrap', gap: '6px' },
  note: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  noteLine: { alignSelf: 'center', color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, background: tokens.colorNeutralBackground3, padding: '4px 12px', borderRadius: '12px', textAlign: 'center' },
  empty: { textAlign: 'center', padding: '32px 8px', display: 'flex', flexDirection: 'column', gap: '12px', alignItems: 'center' },
  composer: {
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`, background: tokens.colorNeutralBackground1, padding: '12px 20px',
    '@media (max-width: 720px)': { padding: '8px 12px' },
  },
  composerRow: { maxWidth: '920px', margin: '0 auto', display: 'flex', gap: '8px', alignItems: 'flex-end' },
  textarea: { flexGrow: 1 },
});

function QuestionChips({ q, disabled }: { q: Question; disabled: boolean }) {
  const s = useStyles();
  return (
    <div className={s.question} role="group" aria-label={q.question}>
      <Text weight="semibold">{q.question}</Text>
      {!!q.choices?.length && (
        <div className={s.chips}>
          {q.choices.map((c) => (
            <Button key={c.value} size="small" shape="circular" disabled={disabled} onClick={() => void send(c.label, { [q.param]: c.value })} title={c.value !== c.label ? c.value : undefined}>
              {c.label}
            </Button>
          ))}
        </div>
      )}
    </div>
  );
}

function EntryView({ e, sending }: { e: Entry; sending: boolean }) {
  const s = useStyles();
  const undone = (id: string) => addCard(id, 'Here is the undo, as its own card: approve it to put things back.');
  switch (e.kind) {
    case 'user':
      return <div className={s.user} data-testid="user-message">{e.text}</div>;
    case 'error':
      return <ErrorBox error={e.error} title="The message could not be handled" />;
    case 'note':
      return <div className={s.noteLine}>{e.text}</div>;
    case 'card':
    case 'assistant':
      return (
        <div className={s.assistant}>
          <span className={s.avatar} aria-hidden="true"><Bot20Regular /></span>
          <div className={s.bubble}>
            {e.kind === 'assistant' && <div className={s.reply} data-testid="assistant-reply">{replyText(e.text, e.questions)}</div>}
            {e.kind === 'card' && <div className={s.reply}>{e.note}</div>}
            {e.kind === 'assistant' && e.questions.map((q) => <QuestionChips key={q.param + q.question} q={q} disabled={sending} />)}
            {(e.kind === 'assistant' ? e.runIds : [e.runId]).map((id) => <RunCard key={id} runId={id} onUndo={undone} />)}
          </div>
        </div>
      );
  }
}

/** The reply without the lines that ask the open questions: those are shown as chips below it. */
function replyText(text: string, questions: Question[]): string {
  if (!questions.length) return text;
  const asked = questions.map((q) => q.question);
  return text.split('\n').filter((line) => !asked.some((q) => line.startsWith(q))).join('\n').trim() || text;
}

/** What a screen reader announces: the latest reply (progress inside cards is not read out on every step). */
function lastReply(entries: Entry[]): string {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.kind === 'assistant') return `${e.text}${e.runIds.length ? ` ${e.runIds.length} card${e.runIds.length > 1 ? 's' : ''}.` : ''}${e.questions.map((q) => ` ${q.question}`).join('')}`;
    if (e.kind === 'error') return e.error.message;
  }
  return '';
}

/** Example requests for the empty thread, using a real user of the demo tenant when there is one. */
function useSuggestions(tenantId: string | undefined, demo: boolean): string[] {
  const [user, setUser] = useState<string | null>(null);
  useEffect(() => {
    setUser(null);
    if (!tenantId || !demo) return;
    let cancelled = false;
    get<{ value: Array<{ userPrincipalName: string; accountEnabled: boolean; userType: string; licenses: string[]; onPremisesSyncEnabled: boolean | null }> }>(`/api/demo/tenants/${tenantId}/users?top=25`)
      .then((r) => {
        const pick = r.value.find((u) => u.accountEnabled && u.userType === 'Member' && u.licenses.length && !u.onPremisesSyncEnabled) ?? r.value[0];
        if (!cancelled && pick) setUser(pick.userPrincipalName);
      })
      .catch(() => {});
    return () => { cancelled = true; };
  }, [tenantId, demo]);
  const who = user ?? 'someone@yourcustomer.com';
  return [`reset password for ${who}`, `disable ${who} and set an out of office`, `offboard ${who}`, `assign E3 to ${who}`];
}

export default function ChatPage({ conversationId }: { conversationId?: string | undefined }) {
  const s = useStyles();
  const chat = useChat();
  const { tenant, demoTenants } = useSession();
  const [ticket, setTicket] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  const end = useRef<HTMLDivElement>(null);
  const suggestions = useSuggestions(tenant?.id, demoTenants.some((t) => t.id === tenant?.id));

  useEffect(() => {
    if (conversationId) void openConversation(conversationId);
    else if (!chat.entries.length && !chat.conversationId) {
      const remembered = rememberedConversation();
      if (remembered) void openConversation(remembered, { silent: true });
    }
    // Only when the address changes: the store keeps the thread otherwise.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [conversationId]);

  // New messages scroll into view; progress inside a card never does (it would make the page jump).
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [chat.entries.length]);

  useEffect(() => {
    if (chat.focusToken) {
      const el = box.current;
      el?.focus();
      el?.setSelectionRange(el.value.length, el.value.length);
    }
  }, [chat.focusToken]);

  const submit = () => {
    if (!chat.draft.trim() || chat.sending) return;
    void send(chat.draft);
    if (conversationId) navigate('/chat', { replace: true });
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <div className={s.page}>
      <div className={s.bar}>
        <Title3 as="h1" className={s.barTitle}>Chat</Title3>
        {chat.ticket ? (
          <Tag icon={<TicketDiagonal20Regular />} appearance="brand" aria-label={`Ticket ${chat.ticket}`}>{`Ticket ${chat.ticket}`}</Tag>
        ) : (
          <form className={s.ticketForm} onSubmit={(e) => { e.preventDefault(); void attachTicket(ticket).then(() => setTicket('')); }}>
            <Input className={s.ticketInput} size="small" value={ticket} onChange={(_, d) => setTicket(d.value)} aria-label="Ticket reference" placeholder="Ticket reference" contentBefore={<TicketDiagonal20Regular aria-hidden="true" />} />
            <Button size="small" type="submit" disabled={!ticket.trim()}>Attach</Button>
          </form>
        )}
        <Button size="small" icon={<Add20Regular />} onClick={() => { newConversation(tenant?.id); navigate('/chat', { replace: true }); }}><span className={s.newLabel}>New conversation</span><span className={s.newShort}>New</span></Button>
      </div>
      <div className="visually-hidden" aria-live="polite">{lastReply(chat.entries)}</div>
      <div className={s.thread} aria-busy={chat.sending}>
        <div className={s.column}>
          {!chat.entries.length && !chat.sending && (
            <div className={s.empty}>
              <Title3 as="h2">What needs doing{tenant ? ` in ${tenant.displayName}` : ''}?</Title3>
              <Text className={s.note}>Ask in plain words. Each request becomes a card with a preview; nothing changes until you approve it.</Text>
              <div className={s.chips} style={{ justifyContent: 'center' }} role="group" aria-label="Examples">
                {suggestions.map((x) => <Button key={x} size="small" shape="circular" onClick={() => setDraft(x, true)}>{x}</Button>)}
              </div>
            </div>
          )}
          {chat.entries.map((e) => <EntryView key={e.key} e={e} sending={chat.sending} />)}
          {chat.sending && <Spinner size="small" label="Working it out…" labelPosition="after" style={{ alignSelf: 'flex-start' }} />}
          <div ref={end} />
        </div>
      </div>
      <div className={s.composer}>
        <form className={s.composerRow} onSubmit={(e) => { e.preventDefault(); submit(); }}>
          <Textarea
            ref={box}
            className={s.textarea}
            aria-label="Message"
            placeholder={tenant ? `Ask for a change in ${tenant.displayName}, in plain words` : 'Pick a tenant first'}
            value={chat.draft}
            onChange={(_, d) => setDraft(d.value)}
            onKeyDown={onKey}
            resize="none"
            rows={2}
            disabled={!tenant}
          />
          <Button type="submit" appearance="primary" icon={<Send20Filled />} disabled={!chat.draft.trim() || chat.sending || !tenant}>Send</Button>
        </form>
      </div>
    </div>
  );
}
