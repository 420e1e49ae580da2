// Splits text into tokens that keep their place in the original string, so any slot (a group
// name, a job title, an out-of-office message) can be cut from the text exactly as typed.
// Email addresses (guest UPNs with #EXT# included) and quoted strings are single tokens.

export type TokenKind = 'word' | 'email' | 'quote' | 'punct';

export interface Token {
  kind: TokenKind;
  /** Exactly as typed. */
  raw: string;
  /** Lower-case, apostrophes dropped ("can't" → "cant"); for emails the address; for quotes the inner text. */
  norm: string;
  start: number;
  end: number;
  /** Starts with a capital letter. */
  cap: boolean;
  /** First token of a sentence or line. */
  initial: boolean;
  /** Followed by 's (Grady's, grady@contoso.com's). */
  poss: boolean;
}

/** Longest text the parser reads; longer input is cut (a request never needs more). */
export const MAX_TEXT = 20_000;
/** Most tokens the parser looks at. */
export const MAX_TOKENS = 4_000;

const emailRe = /[A-Za-z0-9._%+'#-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/y;
const wordRe = /[\p{L}\p{N}][\p{L}\p{N}_&]*(?:['’][\p{L}\p{N}]+)*/uy;
/**
 * A sign-in name without its domain ("megan.bowen", "j.smith2"): one word, not a sentence end.
 * Each part has two letters or more except a leading initial, so "e.g." and "i.e." stay apart, and
 * a domain ("contoso.com") is not a person.
 */
const handleRe = /[\p{L}][\p{L}\p{N}'’]*(?:\.[\p{L}][\p{L}\p{N}'’]+)+(?![\p{L}\p{N}@]|\.[\p{L}\p{N}])/uy;
const domainTail = /\.(?:com|net|org|io|co|uk|de|nl|fr|be|eu|us|biz|info|local|lan|onmicrosoft|gov|edu|ai|app|dev)$/i;
const isoDateRe = /\d{4}-\d{1,2}-\d{1,2}(?![\p{L}\p{N}])/uy;
const dmyRe = /\d{1,2}[/.]\d{1,2}[/.]\d{4}(?![\p{L}\p{N}])/uy;
const punctChars = new Set(['.', ',', '!', '?', ';', ':', '(', ')', '[', ']', '{', '}', '<', '>', '/', '\\', '|', '=', '*', '+', '$', '%', '~', '^', '`', '\n', '&', '@', '#']);
const sentenceEnd = new Set(['.', '!', '?', '\n', ':', ';']);
const quotePairs: Record<string, string> = { '"': '"', '“': '”', '”': '”', '«': '»', '„': '“', '‘': '’' };

function upper(ch: string | undefined): boolean {
  return ch !== undefined && ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

function possessiveSuffix(text: string, at: number): number {
  const a = text[at];
  if ((a === "'" || a === '’') && (text[at + 1] === 's' || text[at + 1] === 'S') && !/[\p{L}\p{N}]/u.test(text[at + 2] ?? '')) return 2;
  return 0;
}

export function tokenize(input: string): Token[] {
  const text = input.length > MAX_TEXT ? input.slice(0, MAX_TEXT) : input;
  const out: Token[] = [];
  let i = 0;
  let initial = true;
  // Where the next '@' and the next blank are: an address is only tried when an '@' comes before
  // the next blank, which keeps long runs of punctuation from making the scan quadratic.
  let atPos = -1;
  let wsPos = -1;
  const emailPossible = (from: number): boolean => {
    if (atPos !== -2 && atPos < from) atPos = text.indexOf('@', from);
    if (atPos === -1) atPos = -2;
    if (atPos === -2) return false;
    if (wsPos !== -2 && wsPos < from) {
      const m = /\s/.exec(text.slice(from, from + 256));
      wsPos = m ? from + m.index : from + 256;
    }
    return atPos < wsPos && atPos - from <= 128;
  };
  const push = (t: Omit<Token, 'initial'>) => {
    out.push({ ...t, initial });
    initial = t.kind === 'punct' && sentenceEnd.has(t.raw);
  };
  while (i < text.length && out.length < MAX_TOKENS) {
    const ch = text[i]!;
    if (ch === '\n') {
      push({ kind: 'punct', raw: '\n', norm: '\n', start: i, end: i + 1, cap: false, poss: false });
      i++;
      continue;
    }
    if (/\s/.test(ch) || ch === '-' || ch === '–' || ch === '—' || ch === '_') {
      i++;
      continue;
    }
    const open = quotePairs[ch];
    const straightSingle = ch === "'" && (i === 0 || /[\s(:,]/.test(text[i - 1]!));
    if (open || straightSingle) {
      const close = straightSingle ? "'" : open!;
      let j = text.indexOf(close, i + 1);
      // A single quote closes only where a word ends, so "it's" inside a quote does not close it.
      while (straightSingle && j > 0 && /[\p{L}\p{N}]/u.test(text[j + 1] ?? '')) j = text.indexOf(close, j + 1);
      const nl = text.indexOf('\n', i + 1);
      if (j > i + 1 && (nl < 0 || j < nl)) {
        const inner = text.slice(i + 1, j).trim();
        push({ kind: 'quote', raw: text.slice(i, j + 1), norm: inner, start: i, end: j + 1, cap: upper(inner[0]), poss: false });
        i = j + 1;
        continue;
      }
      i++;
      continue;
    }
    if (/[A-Za-z0-9._%+'#-]/.test(ch) && emailPossible(i)) {
      emailRe.lastIndex = i;
      const m = emailRe.exec(text);
      if (m && /[A-Za-z0-9]/.test(m[0][0]!)) {
        const end = i + m[0].length;
        const poss = possessiveSuffix(text, end);
        push({ kind: 'email', raw: m[0], norm: m[0].toLowerCase(), start: i, end, cap: false, poss: poss > 0 });
        i = end + poss;
        continue;
      }
    }
    if (/\d/.test(ch)) {
      const date = [isoDateRe, dmyRe].map((re) => {
        re.lastIndex = i;
        return re.exec(text)?.[0];
      }).find((x) => x !== undefined);
      if (date) {
        push({ kind: 'word', raw: date, norm: date, start: i, end: i + date.length, cap: false, poss: false });
        i += date.length;
        continue;
      }
    }
    handleRe.lastIndex = i;
    const h = handleRe.exec(text);
    if (h && !domainTail.test(h[0]) && h[0].split('.').slice(1).every((part) => part.length >= 2)) {
      const end = i + h[0].length;
      const poss = possessiveSuffix(text, end);
      push({ kind: 'word', raw: h[0], norm: h[0].toLowerCase().replace(/['’]/g, ''), start: i, end, cap: upper(h[0][0]), poss: poss > 0 });
      i = end + poss;
      continue;
    }
    wordRe.lastIndex = i;
    const w = wordRe.exec(text);
    if (w) {
      let raw = w[0];
      let end = i + raw.length;
      let poss = false;
      const m = /['’][sS]$/.exec(raw);
      if (m && raw.length > 2) {
        raw = raw.slice(0, -2);
        poss = true;
      } else if (possessiveSuffix(text, end)) {
        poss = true;
      }
      const norm = raw.toLowerCase().replace(/['’]/g, '');
      push({ kind: 'word', raw, norm, start: i, end: i + raw.length, cap: upper(raw[0]), poss });
      end = i + w[0].length + (poss && !m ? 2 : 0);
      i = end;
      continue;
    }
    if (punctChars.has(ch)) {
      push({ kind: 'punct', raw: ch, norm: ch, start: i, end: i + 1, cap: false, poss: false });
    }
    // Anything else (emoji, symbols) carries no request and is skipped.
    i++;
  }
  return out;
}
