// One message, several requests: "reset the password for X and revoke her sessions" is two
// clauses. A sentence ends a clause; "and", "then", "also" or a comma end one only when a new
// request follows (a verb, or a person followed by a need), so "add X to HR and Finance" stays one.
import type { Item } from './items.ts';
import { verbConcepts } from './lexicon.ts';

const hardStops = new Set(['.', '!', '?', ';', '\n']);
/** A request is a few dozen words; a longer run without punctuation is cut, so rules stay linear. */
const MAX_CLAUSE_ITEMS = 80;
const splitters = new Set(['and', 'then', 'also', 'plus', '&', 'afterwards', 'next', 'finally', 'but', 'after']);
const needs = new Set(['NEED', 'FORGOT', 'LEAVING', 'MOVE', 'REREGISTER']);

function startsRequest(items: readonly Item[], from: number): boolean {
  let k = from;
  while (k < items.length && (items[k]!.kind === 'filler' || items[k]!.kind === 'conj' || items[k]!.norm === ',')) k++;
  const it = items[k];
  if (!it) return false;
  if (it.kind === 'concept' && verbConcepts.has(it.concept!)) return true;
  if (it.kind === 'concept' && (it.concept === 'OOO' || it.concept === 'TAP' || it.concept === 'INCIDENT')) return true;
  if (it.kind === 'email' || it.kind === 'pronoun' || it.kind === 'deictic') {
    let j = k + 1;
    while (j < items.length && items[j]!.kind === 'filler') j++;
    const next = items[j];
    return next?.kind === 'concept' && (needs.has(next.concept!) || verbConcepts.has(next.concept!));
  }
  return false;
}

export function splitClauses(items: readonly Item[]): Item[][] {
  const clauses: Item[][] = [];
  let cur: Item[] = [];
  const flush = () => {
    if (cur.some((x) => x.kind !== 'punct' && x.kind !== 'filler' && x.kind !== 'conj')) clauses.push(cur);
    cur = [];
  };
  for (let k = 0; k < items.length; k++) {
    const it = items[k]!;
    if (it.kind === 'punct' && hardStops.has(it.norm)) { flush(); continue; }
    const isSplitter = (it.kind === 'conj' && splitters.has(it.norm)) || (it.kind === 'punct' && it.norm === ',') || (it.kind === 'filler' && it.norm === 'then');
    if (isSplitter && cur.length && startsRequest(items, k + 1)) { flush(); continue; }
    cur.push(it);
    if (cur.length >= MAX_CLAUSE_ITEMS) flush();
  }
  flush();
  return clauses;
}
