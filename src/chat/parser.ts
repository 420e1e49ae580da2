// The deterministic reader: text in, intents out, with no I/O. It reads a pasted ticket's request,
// splits the message into clauses, lets the rules recognise each, then settles who each request is
// about (addresses, names, "her", "this user", the ticket's user) in the order written.
import {
  proposableIds, type Draft, type Lookup, type ParseContext, type ParsedIntent, type ParseResult, type PersonRef, type TicketInfo,
} from './intent.ts';
import { splitClauses } from './language/clauses.ts';
import { isBulkDestruction, isEmpty, looksLikeCode } from './language/guard.ts';
import { toItems } from './language/items.ts';
import { interpret } from './language/rules.ts';
import { readTicket } from './language/ticket.ts';
import { MAX_TEXT, tokenize } from './language/tokens.ts';
import { ClauseView } from './language/view.ts';

export interface ParseOptions {
  /** The day relative dates ("Friday", "tomorrow") count from; default now. */
  now?: Date;
  /** Action and workflow ids that exist here; intents outside them are dropped. */
  known?: ReadonlySet<string>;
}

/** Most intents one message may propose; a message asking for more is a list to split up. */
export const MAX_INTENTS = 12;

/** Longest chat message read as requests; a longer text is only read when it is a ticket. */
export const MAX_MESSAGE = 4_000;

const proposable: ReadonlySet<string> = new Set(proposableIds);
const skuParams = new Set(['sku', 'fromSku', 'toSku']);
const groupParams = new Set(['group', 'addGroups', 'removeGroups']);
/** Actions with no user parameter: nothing is inherited into them. */
const userless = new Set(['audit-licenses', 'create-group', 'list-group-members']);

/** A request, or a person named in a clause that asked for nothing ("Diego leaves on Friday."). */
type Step = { draft: Draft } | { mention: PersonRef };

function readSteps(text: string, now: Date): { steps: Step[]; bulk: boolean } {
  const items = toItems(tokenize(text), text, now);
  const today = now.toISOString().slice(0, 10);
  const steps: Step[] = [];
  let bulk = false;
  for (const clause of splitClauses(items)) {
    const v = new ClauseView(clause, text, today);
    if (isBulkDestruction(v)) {
      bulk = true;
      continue;
    }
    const drafts = interpret(v);
    if (drafts.length) for (const draft of drafts) steps.push({ draft });
    else {
      v.resetClaims();
      const p = v.primary();
      if (p && (p.kind === 'email' || (p.kind === 'name' && v.items[p.at]!.cap))) steps.push({ mention: { kind: p.kind, value: p.value } });
    }
  }
  return { steps, bulk };
}

function asRef(value: string | undefined): PersonRef | undefined {
  if (!value) return undefined;
  return value.includes('@') ? { kind: 'email', value: value.toLowerCase() } : { kind: 'name', value };
}

/**
 * Settles pronouns, "this user", the requester and left-out users, in the order written. A request
 * that names no one takes the person named before it ("reset X's password and revoke her
 * sessions"), or, when it comes first, the person named after it ("reset MFA and sign out all
 * sessions for X").
 */
function settle(steps: Step[], ctx: ParseContext, ticket: TicketInfo | undefined): { intents: ParsedIntent[]; lastUser?: string } {
  let last: PersonRef | undefined;
  const intents: ParsedIntent[] = [];
  const explicit: Array<PersonRef | undefined> = [];
  const waiting: number[] = [];
  const resolve = (ref: PersonRef, user?: PersonRef): PersonRef | undefined => {
    if (ref.kind === 'pointer') return last ?? asRef(ctx.lastUser) ?? asRef(ticket?.subjectUser);
    if (ref.kind === 'requester') return ticket ? asRef(ticket.requester) : undefined;
    if (ref.kind === 'manager') {
      // "forward Jane's mail to her manager": "her" is the request's own user when it names one.
      const of = ref.of.kind === 'pointer' && user ? user : resolve(ref.of);
      return of && of.kind !== 'manager' ? { kind: 'manager', value: `${of.value}'s manager`, of } : undefined;
    }
    return ref;
  };
  const setPerson = (intent: ParsedIntent, param: string, r: PersonRef) => {
    intent.params[param] = r.value;
    if (r.kind === 'name') intent.lookups.push({ param, kind: 'user', text: r.value });
    // The directory says who the manager is; until then the card cannot be built.
    if (r.kind === 'manager') intent.lookups.push({ param, kind: 'manager', text: r.of.value });
  };
  // After "onboard Tom Jones", "him" and a bare "Department: Sales" are about Tom, who has no
  // account yet: such requests are marked and folded into the onboarding, never sent elsewhere.
  let newcomer = false;
  for (const step of steps) {
    if ('mention' in step) {
      last = step.mention;
      newcomer = false;
      continue;
    }
    const d = step.draft;
    const intent: ParsedIntent = { action: d.action, params: { ...d.params }, lookups: [], ...(d.weak ? { weak: true } : {}) };
    const pointsAtNewcomer = newcomer && (d.detail || (!d.people.user && d.inheritsUser) || d.people.user?.kind === 'pointer');
    if (d.action === 'onboard-user') newcomer = true;
    else if (d.people.user && d.people.user.kind !== 'pointer') newcomer = false;
    if (d.detail && !pointsAtNewcomer) continue;
    if (pointsAtNewcomer) {
      intent.newcomer = true;
      const { user: _user, ...others } = d.people;
      for (const [param, ref] of Object.entries(others)) {
        const r = resolve(ref);
        if (r) setPerson(intent, param, r);
      }
      intents.push(intent);
      continue;
    }
    const own = d.people.user ? resolve(d.people.user) : undefined;
    for (const [param, ref] of Object.entries(d.people)) {
      const r = param === 'user' ? own : resolve(ref, own);
      if (r) setPerson(intent, param, r);
    }
    if (d.people.user?.kind === 'email' || d.people.user?.kind === 'name') explicit[intents.length] = d.people.user;
    if (!d.people.user && d.inheritsUser && !userless.has(d.action)) {
      if (last) setPerson(intent, 'user', last);
      else waiting.push(intents.length);
    }
    for (const [param, value] of Object.entries(intent.params)) {
      if (skuParams.has(param) && typeof value === 'string') intent.lookups.push({ param, kind: 'sku', text: value });
      if (groupParams.has(param)) for (const g of Array.isArray(value) ? value : [value]) if (typeof g === 'string') intent.lookups.push({ param, kind: 'group', text: g });
    }
    const user = d.people.user ? resolve(d.people.user) : undefined;
    if (user) last = user;
    intents.push(intent);
  }
  for (const i of waiting) {
    const later = explicit.slice(i + 1).find((r) => r !== undefined) ?? asRef(ticket?.subjectUser ?? ctx.subjectUser);
    if (later) setPerson(intents[i]!, 'user', later);
  }
  const lastUser = last?.kind === 'email' ? last.value : undefined;
  return { intents, ...(lastUser ? { lastUser } : {}) };
}

/**
 * "Offboard X, convert the mailbox to shared and give Y full access" is one offboarding run with
 * those options, not three cards: the workflow already does each of them, in a safe order.
 */
/** "help", "what can you do?", "how does this work": asked of Tenantflow itself. */
const helpQuestion = /^\s*(?:hi|hello|hey)?[\s,!.]*(?:help|\?|what (?:can|do) you do|what are you able to do|how (?:does this|do i use (?:this|you)|can you help)|commands|menu|options)\b/i;

/**
 * "Patti is leaving on Friday. Please disable her account and forward her mail to Megan": the
 * person asked for those changes, not for a full offboarding, which would also undo the forwarding.
 */
function dropInferred(intents: ParsedIntent[]): ParsedIntent[] {
  return intents.filter((it) => !it.weak || !intents.some((o) => o !== it && !o.weak && o.params.user !== undefined && o.params.user === it.params.user));
}

function fold(intents: ParsedIntent[]): ParsedIntent[] {
  const out: ParsedIntent[] = [];
  for (const it of intents) {
    const joiner = [...out].reverse().find((o) => o.action === 'onboard-user');
    if (joiner && (it.newcomer || (typeof joiner.params.user === 'string' && it.params.user === joiner.params.user))) {
      if (joinNewcomer(joiner, it)) continue;
    }
    if (it.newcomer) continue;
    const host = [...out].reverse().find((o) => o.action === 'offboard-user');
    const same = host && host.params.user !== undefined && (it.params.user === undefined || it.params.user === host.params.user);
    if (host && same) {
      if (it.action === 'convert-to-shared' && it.params.type === undefined) { host.params.convertToShared = true; continue; }
      if (it.action === 'add-mailbox-permission' && it.params.accessRights === 'FullAccess' && typeof it.params.delegate === 'string') {
        host.params.delegate = it.params.delegate;
        host.lookups.push(...it.lookups.filter((l) => l.param === 'delegate'));
        continue;
      }
      if (it.action === 'set-out-of-office' && it.params.state === undefined) {
        if (typeof it.params.message === 'string') host.params.message = it.params.message;
        continue;
      }
      if (['disable-user', 'revoke-sessions', 'reset-mfa', 'remove-forwarding'].includes(it.action)) continue;
    }
    out.push(it);
  }
  return out;
}

/** Fields a new starter's details may give the onboarding (the rest of a detail is not taken). */
const joinerFields = ['department', 'jobTitle', 'usageLocation', 'manager', 'displayName'];

/**
 * "needs E3", "Department: Sales", "add him to Finance" about the new starter: the onboarding
 * takes the licence, the fields and the groups. False when the request is not one it can take.
 */
function joinNewcomer(joiner: ParsedIntent, it: ParsedIntent): boolean {
  const take = (param: string) => {
    if (it.params[param] === undefined || joiner.params[param] !== undefined) return;
    joiner.params[param] = it.params[param];
    joiner.lookups.push(...it.lookups.filter((l) => l.param === param));
  };
  if (it.action === 'assign-license') take('sku');
  else if (it.action === 'update-user') for (const f of joinerFields) take(f);
  else if (it.action === 'add-to-group') {
    const add = (Array.isArray(it.params.group) ? it.params.group : [it.params.group]).filter((g): g is string => typeof g === 'string');
    const had = Array.isArray(joiner.params.group) ? joiner.params.group as string[] : typeof joiner.params.group === 'string' ? [joiner.params.group] : [];
    joiner.params.group = [...new Set([...had, ...add])];
    joiner.lookups.push(...it.lookups.filter((l) => l.param === 'group'));
  } else return false;
  return true;
}

/** "Megan" and megan.bowen@contoso.com in one message are one person: the address wins. */
function samePerson(name: string, email: string): boolean {
  const local = new Set(email.split('@')[0]!.toLowerCase().split(/[._-]+/));
  const words = name.toLowerCase().split(/\s+/);
  return words.length > 0 && words.every((w) => local.has(w));
}

function dedupe(intents: ParsedIntent[], mentioned: readonly string[]): ParsedIntent[] {
  for (const it of intents) {
    for (const lookup of it.lookups.filter((l) => l.kind === 'user')) {
      const address = mentioned.find((e) => samePerson(lookup.text, e));
      if (!address) continue;
      it.params[lookup.param] = address;
      it.lookups = it.lookups.filter((l) => l !== lookup);
    }
  }
  const seen = new Set<string>();
  return intents.filter((i) => {
    const key = `${i.action}:${JSON.stringify(i.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function parseIntents(text: unknown, context: ParseContext = {}, opts: ParseOptions = {}): ParseResult {
  const input = typeof text === 'string' ? (text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text) : '';
  if (isEmpty(input)) return { intents: [], refusal: 'empty' };
  if (looksLikeCode(input)) return { intents: [], refusal: 'code' };
  const now = opts.now ?? new Date();
  const t = readTicket(input);
  if (!t && input.trim().length > MAX_MESSAGE) return { intents: [], refusal: 'long' };
  const ticket: TicketInfo | undefined = t ? {
    ...(t.subject ? { subject: t.subject } : {}), ...(t.requester ? { requester: t.requester } : {}),
    ...(t.subjectUser ?? context.subjectUser ? { subjectUser: t.subjectUser ?? context.subjectUser } : {}),
  } : undefined;
  let read = readSteps(t ? t.body : input, now);
  if (t && !read.steps.some((s) => 'draft' in s) && !read.bulk && t.subject) read = readSteps(t.subject, now);
  if (read.bulk) return { intents: [], refusal: 'bulk', ...(ticket ? { ticket } : {}) };
  const settled = settle(read.steps, context, ticket);
  const mentioned = [
    ...read.steps.flatMap((s) => ('mention' in s ? [s.mention] : Object.values(s.draft.people))).filter((r) => r.kind === 'email').map((r) => r.value),
  ];
  const intents = dedupe(fold(dropInferred(settled.intents)), mentioned).filter((i) => proposable.has(i.action) && (!opts.known || opts.known.has(i.action))).slice(0, MAX_INTENTS);
  return {
    intents,
    ...(intents.length ? {} : { refusal: helpQuestion.test(input) ? 'help' as const : 'unknown' as const }),
    ...(ticket ? { ticket } : {}),
    ...(settled.lastUser ? { lastUser: settled.lastUser } : {}),
  };
}
