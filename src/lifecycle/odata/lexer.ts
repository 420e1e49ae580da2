// Tokens of OData $filter expressions, as lifecycle rules and the LCW API's $filter use them.
// Every token keeps its 0-based offset so an error can point at the exact place in the text.

export type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'guid' | '(' | ')' | ',' | '/' | ':' | 'end';

export interface Token {
  kind: TokenKind;
  /** Identifier name, string contents (unescaped), or the literal's source text. */
  text: string;
  pos: number;
}

/** A problem in an expression, at a 1-based position of its text. */
export class ExpressionError extends Error {
  readonly position: number;
  readonly expression: string;
  readonly reason: string;
  constructor(reason: string, offset: number, expression: string) {
    const position = Math.min(offset, expression.length) + 1;
    super(`${reason} (at position ${position} of "${expression}")`);
    this.name = 'ExpressionError';
    this.reason = reason;
    this.position = position;
    this.expression = expression;
  }
}

const guidRe = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/y;
const dateRe = /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2}))?/y;
const numberRe = /-?\d+(?:\.\d+)?/y;
const identRe = /[A-Za-z_$][A-Za-z0-9_$.]*/y;
const identChar = /[A-Za-z0-9_$]/;

function stickyMatch(re: RegExp, text: string, pos: number): string | undefined {
  re.lastIndex = pos;
  const m = re.exec(text);
  return m ? m[0] : undefined;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '(' || c === ')' || c === ',' || c === '/' || c === ':') {
      tokens.push({ kind: c, text: c, pos: i });
      i++;
      continue;
    }
    if (c === '\'') {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= text.length) throw new ExpressionError('The string that starts here is not closed with a quote', i, text);
        const ch = text[j]!;
        if (ch === '\'') {
          // OData escapes a quote inside a string by doubling it.
          if (text[j + 1] === '\'') { value += '\''; j += 2; continue; }
          break;
        }
        value += ch;
        j++;
      }
      tokens.push({ kind: 'string', text: value, pos: i });
      i = j + 1;
      continue;
    }
    const literal = (kind: TokenKind, s: string | undefined): boolean => {
      if (s === undefined || identChar.test(text[i + s.length] ?? '')) return false;
      tokens.push({ kind, text: s, pos: i });
      i += s.length;
      return true;
    };
    if (literal('guid', stickyMatch(guidRe, text, i))) continue;
    if (/[0-9-]/.test(c)) {
      if (literal('date', stickyMatch(dateRe, text, i))) continue;
      if (literal('number', stickyMatch(numberRe, text, i))) continue;
    }
    const ident = stickyMatch(identRe, text, i);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident, pos: i });
      i += ident.length;
      continue;
    }
    throw new ExpressionError(`Unexpected character '${c}'`, i, text);
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}
