// From tokens to items: typos corrected, phrases recognised as concepts, licence names, dates,
// pronouns and "this user" marked, and an out-of-office or email message (after a colon, in
// quotes, or after "saying") kept whole as one item.
import { matchDateAt } from './dates.ts';
import {
  conjunctions, deicticDeterminers, deicticNouns, fillerWords, nameLikeWords, personPronouns, phrasesByFirst, prepositions, protectedWords, type Concept,
} from './lexicon.ts';
import { matchSkuAt, skuVocabulary } from './skus.ts';
import type { Token } from './tokens.ts';
import { TypoCorrector } from './typo.ts';

export type ItemKind = 'concept' | 'email' | 'quote' | 'message' | 'sku' | 'date' | 'pronoun' | 'deictic' | 'filler' | 'prep' | 'conj' | 'word' | 'punct';

export interface Item {
  kind: ItemKind;
  concept?: Concept;
  /** Exactly as typed (for a message: the message). */
  raw: string;
  /** Lower-case (corrected) words; the address for an email; the label for a licence; YYYY-MM-DD for a date. */
  norm: string;
  start: number;
  end: number;
  cap: boolean;
  initial: boolean;
  poss: boolean;
}

const vocabulary: string[] = [];
for (const list of phrasesByFirst.values()) for (const e of list) for (const w of e.words) if (/^[a-z]+$/.test(w)) vocabulary.push(w);
vocabulary.push(...skuVocabulary);
const corrector = new TypoCorrector(vocabulary);

const auxiliaries = new Set(['is', 'can', 'cant', 'cannot', 'has', 'needs', 'was', 'will', 'should', 'does', 'doesnt', 'wants', 'forgot', 'lost', 'isnt', 'would', 'must', 'keeps', 'and']);
const licenceWords = new Set(['license', 'licence', 'licenses', 'licences', 'plan', 'seat', 'seats', 'subscription', 'sku']);
const licenceVerbs = new Set(['assign', 'give', 'remove', 'add', 'swap', 'switch', 'license', 'licence', 'upgrade', 'downgrade', 'unassign', 'to', 'from', 'with', 'an', 'a']);
const signOutVerbs = new Set(['log', 'sign', 'kick', 'boot']);
const messageLeads = new Set(['saying', 'says', 'say', 'reading', 'reads', 'stating', 'states']);
const messageNouns = new Set(['message', 'reply', 'text', 'body', 'wording', 'note']);

function correctWord(tokens: readonly Token[], i: number): string {
  const t = tokens[i]!;
  const w = t.norm;
  if (!/^[a-z]+$/.test(w) || fillerWords.has(w) || prepositions.has(w) || conjunctions.has(w) || personPronouns.has(w) || protectedWords.has(w) || nameLikeWords.has(w)) return w;
  if (t.cap) {
    // A capitalised word inside a sentence, or next to another capitalised word, is a name.
    const next = tokens[i + 1];
    const prev = tokens[i - 1];
    if (!t.initial || (next?.kind === 'word' && next.cap) || (prev?.kind === 'word' && prev.cap)) return w;
    if (next && auxiliaries.has(next.norm)) return w;
  }
  return corrector.correct(w) ?? w;
}

function isNameLike(t: Token | undefined): boolean {
  return t !== undefined && (t.kind === 'email' || (t.kind === 'word' && (t.cap || !fillerWords.has(t.norm))));
}

/** "log X out", "sign her out of everything": the verb and its "out" with a person between. */
function signOutGap(tokens: readonly Token[], words: readonly string[], i: number): number | undefined {
  if (!signOutVerbs.has(words[i]!)) return undefined;
  for (let j = i + 2; j <= Math.min(i + 5, tokens.length - 1); j++) {
    if (words[j] === 'out' || (words[j] === 'off' && words[i] !== 'kick')) {
      const between = tokens.slice(i + 1, j);
      if (!between.every((t, k) => isNameLike(t) || personPronouns.has(words[i + 1 + k]!) || deicticDeterminers.has(words[i + 1 + k]!) || deicticNouns.has(words[i + 1 + k]!))) return undefined;
      // "kick X out of HR" leaves a group; "kick X out of all devices" signs out.
      if ((words[i] === 'kick' || words[i] === 'boot') && words[j + 1] === 'of' && !/^(all|every|everything|everywhere|devices|sessions|office)$/.test(words[j + 2] ?? '')) return undefined;
      return j;
    }
    if (tokens[j]!.kind === 'punct') return undefined;
  }
  return undefined;
}

/** "turn X's account back on", "switch her auto-reply off": the verb and its particle around the object. */
function turnGap(tokens: readonly Token[], words: readonly string[], i: number): { at: number; word: 'on' | 'off' } | undefined {
  if (words[i] !== 'turn' && words[i] !== 'switch') return undefined;
  if (words[i + 1] === 'on' || words[i + 1] === 'off' || words[i + 1] === 'of') return undefined;
  for (let j = i + 2; j <= Math.min(i + 7, tokens.length - 1); j++) {
    if (tokens[j]!.kind === 'punct') return undefined;
    if (words[j] === 'on' || words[j] === 'off') {
      const next = tokens[j + 1];
      // The particle ends the phrase: "turn X's account back on", not "turn X's phone on its side".
      if (next && next.kind !== 'punct' && !/^(for|please|again|now|today|asap|and|then|too)$/.test(words[j + 1]!)) return undefined;
      return { at: j, word: words[j] as 'on' | 'off' };
    }
  }
  return undefined;
}

export function toItems(tokens: readonly Token[], text: string, ref: Date): Item[] {
  const words = tokens.map((t, i) => (t.kind === 'word' ? correctWord(tokens, i) : t.kind === 'email' ? '\u0000email' : t.norm));
  const items: Item[] = [];
  const skip = new Set<number>();
  const span = (kind: ItemKind, a: number, b: number, norm: string, concept?: Concept): Item => ({
    kind, ...(concept ? { concept } : {}), raw: text.slice(tokens[a]!.start, tokens[b - 1]!.end), norm, start: tokens[a]!.start, end: tokens[b - 1]!.end,
    cap: tokens[a]!.cap, initial: tokens[a]!.initial, poss: tokens[b - 1]!.poss,
  });
  let i = 0;
  while (i < tokens.length) {
    if (skip.has(i)) { i++; continue; }
    const t = tokens[i]!;
    if (t.kind === 'email') { items.push({ ...span('email', i, i + 1, t.norm) }); i++; continue; }
    if (t.kind === 'quote') { items.push({ ...span('quote', i, i + 1, t.norm), raw: t.norm }); i++; continue; }
    if (t.kind === 'punct') { items.push(span(t.raw === '&' ? 'conj' : 'punct', i, i + 1, t.norm)); i++; continue; }
    const date = matchDateAt(words, i, ref);
    if (date) { items.push(span('date', i, i + date.length, date.date)); i += date.length; continue; }
    const sku = matchSkuAt(words, i);
    if (sku) {
      const after = tokens[i + sku.length];
      const before = words[i - 1];
      // "Visio Users" and "Power BI Users" are groups, not licences.
      const groupName = after?.kind === 'word' && (after.cap || /^(users|group|members)$/.test(after.norm)) && !licenceWords.has(after.norm);
      const licenceContext = licenceWords.has(words[i + sku.length] ?? '') || (before !== undefined && licenceVerbs.has(before));
      if (!groupName && (!sku.phrase.weak || licenceContext)) {
        items.push(span('sku', i, i + sku.length, sku.phrase.label));
        i += sku.length;
        continue;
      }
    }
    const turn = turnGap(tokens, words, i);
    if (turn) {
      items.push(span('concept', i, i + 1, `turn ${turn.word}`, turn.word === 'on' ? 'TURN_ON' : 'TURN_OFF'));
      skip.add(turn.at);
      i++;
      continue;
    }
    const gap = signOutGap(tokens, words, i);
    if (gap !== undefined) {
      items.push(span('concept', i, i + 1, 'sign out', 'SIGNOUT'));
      skip.add(gap);
      i++;
      continue;
    }
    const w = words[i]!;
    if (deicticDeterminers.has(w) && deicticNouns.has(words[i + 1] ?? '') && tokens[i + 1]?.kind === 'word') {
      items.push(span('deictic', i, i + 2, `${w} ${words[i + 1]}`));
      i += 2;
      continue;
    }
    let matched = false;
    for (const e of phrasesByFirst.get(w) ?? []) {
      const n = e.words.length;
      if (i + n > tokens.length) continue;
      let ok = true;
      for (let k = 1; k < n; k++) if (words[i + k] !== e.words[k] || skip.has(i + k) || tokens[i + k]!.kind !== 'word') { ok = false; break; }
      if (!ok) continue;
      items.push(span('concept', i, i + n, e.words.join(' '), e.concept));
      i += n;
      matched = true;
      break;
    }
    if (matched) continue;
    const kind: ItemKind = personPronouns.has(w) ? 'pronoun' : prepositions.has(w) ? 'prep' : conjunctions.has(w) ? 'conj' : fillerWords.has(w) ? 'filler' : 'word';
    items.push({ ...span(kind, i, i + 1, w), raw: t.raw });
    i++;
  }
  return extractMessages(items, text);
}

/** Turns the text of an out-of-office or email message into one item, so nothing inside it is read as a request. */
function extractMessages(items: Item[], text: string): Item[] {
  const out: Item[] = [];
  let messageContext = false;
  for (let k = 0; k < items.length; k++) {
    const it = items[k]!;
    if (it.kind === 'punct' && (it.norm === '\n' || it.norm === '.' || it.norm === '!' || it.norm === '?')) messageContext = false;
    if (it.concept === 'OOO' || it.concept === 'SEND' || (it.concept === 'EMAIL' && !it.initial)) messageContext = true;
    const lead = messageContext && (
      (it.kind === 'punct' && it.norm === ':')
      || (it.kind === 'word' && messageLeads.has(it.norm))
      || ((it.kind === 'word' || it.concept === 'EMAIL') && messageNouns.has(it.norm) && items[k + 1]?.norm === ':'));
    if (lead) {
      const colon = it.norm === ':' ? it : items[k + 1]?.norm === ':' ? items[k + 1]! : it;
      if (colon !== it) out.push(it);
      const from = colon.end;
      const nl = text.indexOf('\n', from);
      const to = nl < 0 ? Math.min(text.length, items[items.length - 1]!.end) : nl;
      const body = text.slice(from, to).trim().replace(/^["“'‘]+|["”'’]+$/g, '').trim();
      if (body && !/^\S+@\S+$/.test(body)) {
        out.push({ kind: 'message', raw: body, norm: body.toLowerCase(), start: from, end: to, cap: false, initial: false, poss: false });
        while (k + 1 < items.length && items[k + 1]!.start < to) k++;
        messageContext = false;
        continue;
      }
    }
    out.push(it);
  }
  return out;
}
