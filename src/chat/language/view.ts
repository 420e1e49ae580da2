// What the rules ask of a clause: which concepts it holds, who it names (addresses, names,
// pronouns, "this user"), and the text after a word ("to Team Lead", "from the HR group").
import type { Item } from './items.ts';
import { fillerWords, protectedWords, verbConcepts, type Concept } from './lexicon.ts';

export type RefKind = 'email' | 'name' | 'pointer' | 'requester';

/** A person the clause names. `pointer` is a pronoun or "this user": someone named before. */
export interface Ref {
  kind: RefKind;
  value: string;
  /** Index of its first item in the clause. */
  at: number;
  end: number;
  poss: boolean;
  /** The preposition or concept right before it. */
  before: string | undefined;
}

const nameWord = /^[\p{L}][\p{L}'’.]*$/u;
const firstPerson = new Set(['my', 'me', 'i', 'mine', 'myself']);
/** What happens to a person, said right after their name: "X forgot", "X is leaving", "X needs". */
const subjectConcepts = new Set(['FORGOT', 'REREGISTER', 'LEAVING', 'NEED', 'MOVE']);
const greetings = new Set(['hi', 'hello', 'hey', 'dear', 'team', 'morning', 'good', 'afternoon', 'all', 'folks', 'there']);
/** Lower-case words that may follow a verb but never name a person. */
const notNames = new Set(['all', 'every', 'each', 'his', 'her', 'their', 'new', 'another', 'account', 'one', 'someone', 'them', 'everyone']);

/** Whether `before` (from ClauseView.before) is a request verb: "disable jane smith", "onboard sam taylor". */
function afterVerb(before: string | undefined): boolean {
  return before !== undefined && /^[A-Z_]+$/.test(before) && verbConcepts.has(before as Concept);
}

export class ClauseView {
  readonly items: readonly Item[];
  readonly text: string;
  /** The reference day (YYYY-MM-DD) relative dates count from. */
  readonly today: string;
  private readonly set = new Set<Concept>();
  /** Items a rule has taken for a slot, so they are not read again as a person. */
  readonly claimed = new Set<number>();
  private refCache: Ref[] | undefined;

  constructor(items: readonly Item[], text: string, today: string) {
    this.items = items;
    this.text = text;
    this.today = today;
    for (const it of items) if (it.concept) this.set.add(it.concept);
  }

  has(...cs: Concept[]): boolean {
    return cs.some((c) => this.set.has(c));
  }

  all(...cs: Concept[]): boolean {
    return cs.every((c) => this.set.has(c));
  }

  index(c: Concept, from = 0): number {
    for (let k = from; k < this.items.length; k++) if (this.items[k]!.concept === c) return k;
    return -1;
  }

  /** Any item with this lower-case text (words, fillers, prepositions). */
  word(w: string): number {
    return this.items.findIndex((it) => it.norm === w && it.kind !== 'email');
  }

  kinds(kind: Item['kind']): Item[] {
    return this.items.filter((it) => it.kind === kind);
  }

  skus(): Item[] {
    return this.kinds('sku');
  }

  message(): string | undefined {
    const m = this.items.find((it) => it.kind === 'message') ?? this.items.find((it) => it.kind === 'quote');
    return m?.raw;
  }

  /** The preposition or concept word right before item k (fillers skipped). */
  before(k: number): string | undefined {
    for (let j = k - 1; j >= 0; j--) {
      const it = this.items[j]!;
      if (it.kind === 'filler' && it.norm !== 'to') continue;
      return it.kind === 'prep' || it.kind === 'filler' ? it.norm : it.concept ?? it.norm;
    }
    return undefined;
  }

  resetClaims(): void {
    if (this.claimed.size) {
      this.claimed.clear();
      this.refCache = undefined;
    }
  }

  claim(from: number, to: number): void {
    for (let k = from; k < to; k++) this.claimed.add(k);
    this.refCache = undefined;
  }

  /**
   * The people the clause names, in order. A run of capitalised words is a name; a lower-case run
   * is one only where a person is expected (right after a verb, "for", "of", or as a possessive).
   */
  refs(): Ref[] {
    if (this.refCache) return this.refCache;
    const out: Ref[] = [];
    const items = this.items;
    for (let k = 0; k < items.length; k++) {
      if (this.claimed.has(k)) continue;
      const it = items[k]!;
      if (it.kind === 'email') out.push({ kind: 'email', value: it.norm, at: k, end: k + 1, poss: it.poss, before: this.before(k) });
      else if (it.kind === 'pronoun' || it.kind === 'deictic') out.push({ kind: 'pointer', value: it.norm, at: k, end: k + 1, poss: it.poss, before: this.before(k) });
      else if (it.kind === 'filler' && firstPerson.has(it.norm)) out.push({ kind: 'requester', value: it.norm, at: k, end: k + 1, poss: it.norm === 'my', before: this.before(k) });
      else if (it.kind === 'word' && nameWord.test(it.raw)) {
        // Up to four words; a possessive ends the name ("Jane Smith's password").
        let end = k;
        while (end < items.length && end - k < 4 && !this.claimed.has(end) && items[end]!.kind === 'word' && nameWord.test(items[end]!.raw)) {
          end++;
          if (items[end - 1]!.poss) break;
        }
        const run = items.slice(k, end);
        const before = this.before(k);
        const capitalised = run.every((x) => x.cap);
        // "from patti" names whom something is taken from (a group after "from" is claimed first by its rule).
        const slot = before === 'for' || before === 'of' || before === 'from' || afterVerb(before) || run[run.length - 1]!.poss;
        // A sign-in name ("megan.bowen") names a person wherever it stands.
        const handle = run.length === 1 && run[0]!.raw.includes('.') && !run[0]!.raw.endsWith('.');
        // "megan bowen lost her phone", "jane smith forgot her password": a lower-case full name
        // opening the clause, right before what happened to them.
        let then = end;
        while (then < items.length && then < end + 2 && /^(?:is|was|has|had|will|be|just|also)$/.test(items[then]!.norm)) then++;
        const subject = run.length >= 2 && items.slice(0, k).every((x) => x.kind === 'filler' || x.kind === 'punct' || greetings.has(x.norm))
          && items[then]?.kind === 'concept' && subjectConcepts.has(items[then]!.concept!);
        const plausible = run.every((x) => !protectedWords.has(x.norm) && !fillerWords.has(x.norm) && !notNames.has(x.norm) && x.norm.length > 1);
        if ((capitalised || slot || handle || subject) && plausible) {
          out.push({ kind: 'name', value: run.map((x) => x.raw).join(' '), at: k, end, poss: run[run.length - 1]!.poss, before });
        }
        k = end - 1;
      }
    }
    this.refCache = out;
    return out;
  }

  /** The first person named, addresses first (a name and an address in one clause are one person). */
  primary(exclude: ReadonlySet<Ref> = new Set()): Ref | undefined {
    const refs = this.refs().filter((r) => !exclude.has(r));
    return refs.find((r) => r.kind === 'email') ?? this.bestName(refs) ?? refs.find((r) => r.kind === 'pointer') ?? refs.find((r) => r.kind === 'requester');
  }

  /** A name in a person's slot ("for Jane Smith", "Jane's password") beats a capitalised word elsewhere. */
  private bestName(refs: readonly Ref[]): Ref | undefined {
    let best: Ref | undefined;
    let bestScore = -1;
    for (const r of refs) {
      if (r.kind !== 'name') continue;
      const it = this.items[r.at]!;
      const score = r.poss || r.before === 'for' || r.before === 'of' || afterVerb(r.before) ? 2 : it.cap && !it.initial ? 1 : 0;
      if (score > bestScore) { best = r; bestScore = score; }
    }
    return best;
  }

  /**
   * The raw text after item `k` up to the end of the clause or the first item `stop` accepts,
   * with articles, trailing politeness and a trailing "group"/"team" word removed.
   */
  textAfter(k: number, stop: (it: Item, j: number) => boolean = () => false, trailing: RegExp = /$^/): { text: string; from: number; to: number } | undefined {
    let j = k + 1;
    while (j < this.items.length && this.items[j]!.kind === 'filler' && /^(the|a|an|our|my|this|that)$/.test(this.items[j]!.norm)) j++;
    const from = j;
    while (j < this.items.length && !stop(this.items[j]!, j)) j++;
    let to = j;
    while (to > from && (this.items[to - 1]!.kind === 'punct' || (this.items[to - 1]!.kind === 'filler' && !this.items[to - 1]!.cap))) to--;
    if (to <= from) return undefined;
    const text = this.text.slice(this.items[from]!.start, this.items[to - 1]!.end).replace(trailing, '').replace(/[\s,.;:!?]+$/, '').trim();
    return text ? { text, from, to } : undefined;
  }
}
