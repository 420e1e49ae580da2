// Typo tolerance: "pasword", "diable", "ofboard", "licnese". A word that is not in the vocabulary is
// replaced by the vocabulary word at the smallest edit distance (insertions, deletions,
// substitutions and adjacent swaps), found through a delete-neighbourhood index (SymSpell's idea),
// so a lookup costs a handful of hash probes instead of a scan of the vocabulary.

/** Optimal string alignment distance, giving up (returning max + 1) once it must exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

function deletes(word: string, depth: number, out: Set<string>): void {
  if (depth === 0) return;
  for (let i = 0; i < word.length; i++) {
    const d = word.slice(0, i) + word.slice(i + 1);
    if (!out.has(d)) {
      out.add(d);
      deletes(d, depth - 1, out);
    }
  }
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** How many edits a word of this length may carry and still be recognised. */
export function allowedEdits(length: number): number {
  if (length < 4) return 0;
  if (length < 7) return 1;
  return 2;
}

export class TypoCorrector {
  private readonly words = new Set<string>();
  private readonly rank = new Map<string, number>();
  private readonly index = new Map<string, string[]>();
  private readonly memo = new Map<string, string | null>();

  /** `vocabulary` in priority order: on a tie, the earlier word wins. */
  constructor(vocabulary: Iterable<string>) {
    let r = 0;
    for (const w of vocabulary) {
      if (this.words.has(w)) continue;
      this.words.add(w);
      this.rank.set(w, r++);
      if (w.length < 4) continue;
      const keys = new Set<string>([w]);
      deletes(w, 2, keys);
      for (const k of keys) {
        const list = this.index.get(k);
        if (list) list.push(w);
        else this.index.set(k, [w]);
      }
    }
  }

  has(word: string): boolean {
    return this.words.has(word);
  }

  /** The vocabulary word meant by `word`, or undefined when it is fine as it is or too far off. */
  correct(word: string): string | undefined {
    if (this.words.has(word)) return undefined;
    const cached = this.memo.get(word);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.lookup(word);
    if (this.memo.size > 5000) this.memo.clear();
    this.memo.set(word, found ?? null);
    return found;
  }

  private lookup(word: string): string | undefined {
    const max = allowedEdits(word.length);
    if (max === 0 || word.length > 24) return undefined;
    const keys = new Set<string>([word]);
    deletes(word, max, keys);
    let best: string | undefined;
    let bestD = max + 1;
    const seen = new Set<string>();
    for (const k of keys) {
      for (const cand of this.index.get(k) ?? []) {
        if (seen.has(cand)) continue;
        seen.add(cand);
        // Technicians rarely get the first letter wrong; requiring it keeps "main" from
        // becoming "mail"'s cousin and "unable" from becoming "enable".
        if (cand[0] !== word[0] && !(cand[1] === word[0] && cand[0] === word[1])) continue;
        const allowed = Math.min(max, allowedEdits(cand.length));
        const d = editDistance(word, cand, allowed);
        if (d > allowed) continue;
        // On a tie the word sharing the longer beginning wins ("ofboard" is "offboard", not "onboard"),
        // then the vocabulary's order.
        const better = d < bestD || (d === bestD && best !== undefined && (
          commonPrefix(word, cand) > commonPrefix(word, best)
          || (commonPrefix(word, cand) === commonPrefix(word, best) && this.rank.get(cand)! < this.rank.get(best)!)));
        if (better) {
          best = cand;
          bestD = d;
        }
      }
    }
    return best;
  }
}
