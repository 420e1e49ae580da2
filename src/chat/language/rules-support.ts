// Building blocks the rules share: a draft for a one-user action, group and value slots cut from
// the clause, and the roles of two people (who gets access to whose mailbox).
import type { Draft, PersonRef } from '../intent.ts';
import type { Item } from './items.ts';
import type { ClauseView, Ref } from './view.ts';

export type Rule = (v: ClauseView) => Draft[] | undefined;

export function person(r: Ref): PersonRef {
  return { kind: r.kind, value: r.value } as PersonRef;
}

/**
 * A person who receives something (access, forwarded mail): "her manager" or "Jane's boss" is
 * the manager of the person named, not that person.
 */
export function recipient(v: ClauseView, r: Ref): PersonRef {
  const next = v.items[r.end];
  const possessive = r.poss || (r.kind === 'pointer' && /^(?:her|his|their)$/.test(r.value));
  if (r.kind !== 'requester' && possessive && next?.concept === 'MANAGER') return { kind: 'manager', value: `${r.value}'s manager`, of: person(r) };
  return person(r);
}

/** A draft whose user is the clause's person; one draft per address when several are listed. */
export function single(v: ClauseView, action: string, params: Record<string, unknown> = {}, exclude: ReadonlySet<Ref> = new Set()): Draft[] {
  const emails = v.refs().filter((r) => r.kind === 'email' && !exclude.has(r));
  if (emails.length > 1) return emails.map((r) => ({ action, params: { ...params }, people: { user: person(r) }, inheritsUser: false }));
  const p = v.primary(exclude);
  return [{ action, params, people: p ? { user: person(p) } : {}, inheritsUser: !p }];
}

const groupWords = /\s+(?:security\s+group|distribution\s+list|distribution\s+group|mailing\s+list|m365\s+group|microsoft\s+365\s+group|dl|grp|groups?|teams?)$/i;
const slotStops = (it: Item): boolean => it.kind === 'email' || it.kind === 'pronoun' || it.kind === 'deictic' || it.kind === 'message' || it.kind === 'date'
  || (it.kind === 'prep' && (it.norm === 'for' || it.norm === 'from' || it.norm === 'as' || it.norm === 'with' || it.norm === 'on' || it.norm === 'by'));

/** Whether a slot's items hold a real name, not just "the tenant" or "a group". */
function meaningful(items: readonly Item[]): boolean {
  return items.some((it) => it.kind === 'word' || it.kind === 'quote' || it.kind === 'sku' || (it.cap && it.kind !== 'filler'));
}

/**
 * The group named after one of `preps` ("to HR", "from the Finance group", "of Sales Team"), as a
 * name or a list ("HR and Finance"). Lower-case "group"/"team" at the end is not part of the name.
 */
export function groupAfter(v: ClauseView, preps: readonly string[], opts: { after?: number; stopAtPrep?: boolean } = {}): { names: string[]; at: number } | undefined {
  for (let k = opts.after ?? 0; k < v.items.length; k++) {
    const it = v.items[k]!;
    if (!((it.kind === 'prep' || it.kind === 'filler') && preps.includes(it.norm)) && !(it.concept && preps.includes(it.norm))) continue;
    if (v.claimed.has(k)) continue;
    let start = k;
    if (it.norm === 'out' && v.items[k + 1]?.norm === 'of') start = k + 1;
    const quote = v.items[start + 1]?.kind === 'quote' ? v.items[start + 1]! : undefined;
    if (quote) {
      v.claim(start + 1, start + 2);
      return { names: [quote.raw], at: k };
    }
    const slot = v.textAfter(start, (x) => slotStops(x) || (opts.stopAtPrep === true && x.kind === 'prep'));
    if (!slot) continue;
    const items = v.items.slice(slot.from, slot.to);
    if (!meaningful(items)) continue;
    const raw = slot.text.replace(groupWords, (m) => (/[A-Z]/.test(m.trim()[0]!) ? m : '')).trim();
    const names = splitList(raw);
    if (!names.length) continue;
    v.claim(slot.from, slot.to);
    return { names, at: k };
  }
  return undefined;
}

const timeTail = /\s+(?:(?:next|this|coming|from next|starting next)\s+(?:week|month|year|quarter|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|today|tomorrow|tonight|asap|immediately|effective immediately|right away|please|thanks|thank you)$/i;

/** "Operations next month", "Sales effective immediately" → the name without when it happens. */
export function trimTime(text: string): string {
  let t = text;
  for (let i = 0; i < 3 && timeTail.test(t); i++) t = t.replace(timeTail, '');
  return t.trim() || text;
}

/** "HR and Finance", "HR, Finance & Sales" → each name; "R&D" stays whole. */
export function splitList(text: string): string[] {
  return trimTime(text).split(/\s*,\s*(?:and\s+)?|\s+and\s+|\s+&\s+/i).map((s) => s.replace(/^(the|a|an)\s+/i, '').replace(groupWords, (m) => (/[A-Z]/.test(m.trim()[0]!) ? m : '')).trim()).filter(Boolean);
}

/** One name or several, as the canonical `group` parameter takes them. */
export function groupValue(names: string[]): string | string[] {
  return names.length === 1 ? names[0]! : names;
}

/** The value after a field word: "job title to Team Lead", "department is Sales", "title: CFO". */
export function valueAfter(v: ClauseView, k: number): string | undefined {
  for (let j = k + 1; j < v.items.length; j++) {
    const it = v.items[j]!;
    if (it.kind === 'quote') return it.raw;
    const lead = (it.kind === 'prep' && (it.norm === 'to' || it.norm === 'as' || it.norm === 'into')) || it.norm === 'is' || it.norm === 'be' || it.norm === '=' || it.norm === ':' || it.norm === 'becomes';
    if (!lead) continue;
    const slot = v.textAfter(j, (x, idx) => x.kind === 'email' || x.kind === 'pronoun' || x.kind === 'deictic' || (x.kind === 'prep' && x.norm === 'for' && idx > j + 1) || (x.kind === 'conj' && x.norm === 'and' && idx > j + 1));
    if (!slot) continue;
    const slotItems = v.items.slice(slot.from, slot.to);
    if (!meaningful(slotItems) && !slotItems.some((x) => x.kind === 'concept')) continue;
    v.claim(slot.from, slot.to);
    return trimTime(slot.text.replace(/^(the|a|an)\s+/i, ''));
  }
  return undefined;
}

/**
 * Who is the mailbox owner and who the delegate, for "give A full access to B", "grant full access
 * on B's mailbox to A", "allow A to send as B", "remove A's access on B". A marker (a possessive
 * before "mailbox", "on"/"over"/"of" before a person, the person right after "send as") names the
 * owner; otherwise the first person is the delegate, as in "give A access to B".
 */
export function ownerAndDelegate(v: ClauseView): { owner?: Ref; delegate?: Ref } {
  const refs = v.refs().filter((r) => r.kind !== 'requester');
  const score = (r: Ref): number => {
    let s = 0;
    const next = v.items[r.end];
    if (r.poss && next?.concept && (next.concept === 'MAILBOX' || next.concept === 'SHARED')) s += 3;
    if (r.before === 'on' || r.before === 'over' || r.before === 'of' || r.before === 'as') s += 2;
    if (r.before === 'SEND_AS' || r.before === 'SEND_ON_BEHALF' || r.before === 'FULL_ACCESS' || r.before === 'MAILBOX') s += 2;
    if (r.before === 'to' || r.before === 'into') s += 1;
    if (r.before === 'GIVE' || r.before === 'ADD' || r.before === 'for' || r.before === 'REMOVE' || r.before === 'REVOKE') s -= 2;
    if (r.poss && next?.concept && (next.concept === 'FULL_ACCESS' || next.concept === 'ACCESS' || next.concept === 'SEND_AS')) s -= 2;
    return s;
  };
  if (refs.length === 0) return {};
  if (refs.length === 1) return score(refs[0]!) > 0 ? { owner: refs[0]! } : { delegate: refs[0]! };
  const [a, b] = [refs[0]!, refs[1]!];
  return score(a) > score(b) ? { owner: a, delegate: b } : { owner: b, delegate: a };
}

/** Whether the clause asks to take something away ("remove", "revoke", "no longer", "stop"). */
export function negative(v: ClauseView): boolean {
  return v.has('REMOVE', 'DELETE', 'REVOKE', 'STOP', 'NEG', 'TURN_OFF', 'DISABLE');
}

/** "Finance department", "the Sales team" → "Finance", "Sales" (a capitalised "Team" is part of a name). */
export function bareDepartment(name: string): string {
  return name.replace(/\s+(?:department|dept|team|division|group)$/, '').trim() || name;
}
