// Reading a reply to open questions: a choice's value or label, its number ("2", "the second one"),
// an address for a person, a licence name for a licence, or the text itself for a free-text
// question. Values typed rather than picked are looked up in the tenant like any other name.
import type { Lookup } from './intent.ts';
import { toItems } from './language/items.ts';
import { tokenize } from './language/tokens.ts';
import type { Question } from './questions.ts';

export interface Answer {
  question: Question;
  value: string;
  /** Typed, not picked from the choices: the tenant must settle it. */
  lookup?: Lookup['kind'];
}

const ordinals: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, last: -1, '1st': 1, '2nd': 2, '3rd': 3, '4th': 4, '5th': 5 };

function ordinal(text: string): number | undefined {
  const t = text.trim().toLowerCase().replace(/[.!]+$/, '');
  const m = /^(?:(?:option|number|choice|no\.?)\s*|#)?(\d{1,2})$/.exec(t);
  if (m) return Number(m[1]);
  const w = /^(?:the\s+)?(first|second|third|fourth|fifth|sixth|last|1st|2nd|3rd|4th|5th)(?:\s+(?:one|option|choice))?$/.exec(t);
  return w ? ordinals[w[1]!] : undefined;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The choice a reply picks, if it picks one. */
export function pickChoice(text: string, q: Question): string | undefined {
  const choices = q.choices ?? [];
  if (!choices.length) return undefined;
  const t = text.trim().toLowerCase();
  const n = ordinal(text);
  if (n !== undefined) return (n === -1 ? choices[choices.length - 1] : choices[n - 1])?.value;
  const exact = choices.find((c) => c.value.toLowerCase() === t || c.label.toLowerCase() === t);
  if (exact) return exact.value;
  const inside = choices.filter((c) => new RegExp(`(^|[^\\w@.])${escape(c.value.toLowerCase())}($|[^\\w@])`).test(t));
  return inside.length === 1 ? inside[0]!.value : undefined;
}

/**
 * What the reply answers. `explicit` are answers sent as data ({param: value}); the text fills the
 * rest. Free text goes to a text question only when it is the one question left.
 */
export function readAnswers(text: string, questions: readonly Question[], explicit: Readonly<Record<string, string>> = {}): Answer[] {
  const out: Answer[] = [];
  const open = new Set(questions);
  for (const q of questions) {
    const given = explicit[q.param];
    if (given === undefined) continue;
    const picked = pickChoice(given, q);
    out.push(picked ? { question: q, value: picked } : { question: q, value: given, ...(lookupKind(q) ? { lookup: lookupKind(q)! } : {}) });
    open.delete(q);
  }
  if (!text.trim()) return out;
  for (const q of [...open]) {
    const picked = pickChoice(text, q);
    if (picked) { out.push({ question: q, value: picked }); open.delete(q); }
  }
  if (!open.size) return out;
  const items = toItems(tokenize(text), text, new Date());
  const emails = items.filter((it) => it.kind === 'email').map((it) => it.norm);
  const skus = items.filter((it) => it.kind === 'sku').map((it) => it.norm);
  for (const q of [...open]) {
    if ((q.kind === 'person' || q.kind === 'upn') && emails.length) { out.push({ question: q, value: emails.shift()!, ...(q.kind === 'person' ? { lookup: 'user' as const } : {}) }); open.delete(q); }
    else if (q.kind === 'sku' && skus.length) { out.push({ question: q, value: skus.shift()!, lookup: 'sku' }); open.delete(q); }
  }
  // One question left and nothing else said: the whole reply is the answer ("Jane Smith", "Finance").
  if (open.size === 1 && !out.length) {
    const q = [...open][0]!;
    const value = text.trim().replace(/^["'“]|["'”]$/g, '').replace(/[.!]+$/, '').trim();
    if (value && value.length <= 256 && q.kind !== 'upn' && q.kind !== 'enum' && q.kind !== 'sku') {
      out.push({ question: q, value, ...(lookupKind(q) ? { lookup: lookupKind(q)! } : {}) });
    }
  }
  return out;
}

function lookupKind(q: Question): Lookup['kind'] | undefined {
  if (q.kind === 'person') return 'user';
  if (q.kind === 'sku') return 'sku';
  if (q.kind === 'group') return 'group';
  return undefined;
}

/** "cancel", "never mind", "forget it": drop the open questions. */
export function isCancel(text: string): boolean {
  return /^\s*(cancel|never\s?mind|nevermind|forget it|stop|abort|drop it|no thanks|nothing)\b[\s.!]*$/i.test(text);
}
