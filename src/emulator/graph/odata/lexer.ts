// The OData $filter lexer. Positions follow Microsoft.OData.Core's ExpressionLexer: a syntax error
// is reported at the offset just past the token that could not be used, which is what Graph echoes
// in "Syntax error at position N in '…'".

export type TokenKind = 'ident' | 'string' | 'number' | 'guid' | 'datetime' | 'lparen' | 'rparen' | 'comma' | 'slash' | 'colon' | 'end';

export interface Token {
  kind: TokenKind;
  /** Identifier or literal text; for strings the unescaped value. */
  text: string;
  start: number;
  /** Offset just past the token. */
  end: number;
}

export class FilterSyntaxError extends Error {}

export function syntaxError(text: string, position: number): FilterSyntaxError {
  return new FilterSyntaxError(`Syntax error at position ${position} in '${text}'.`);
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?/;
const NUMBER = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_.$]*/;

const PUNCTUATION: Record<string, TokenKind> = { '(': 'lparen', ')': 'rparen', ',': 'comma', '/': 'slash', ':': 'colon' };

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    const k = PUNCTUATION[c];
    if (k) { out.push({ kind: k, text: c, start: i, end: i + 1 }); i++; continue; }
    if (c === "'") {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= text.length) {
          throw new FilterSyntaxError(`There is an unterminated string literal at position ${j} in '${text}'.`);
        }
        if (text[j] === "'") {
          if (text[j + 1] === "'") { value += "'"; j += 2; continue; }
          break;
        }
        value += text[j];
        j++;
      }
      out.push({ kind: 'string', text: value, start: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    const rest = text.slice(i);
    const guid = GUID.exec(rest);
    if (guid && !/[A-Za-z0-9_-]/.test(rest[guid[0].length] ?? '')) {
      out.push({ kind: 'guid', text: guid[0], start: i, end: i + guid[0].length });
      i += guid[0].length;
      continue;
    }
    if (c >= '0' && c <= '9' || (c === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const sign = c === '-' ? '-' : '';
      const body = sign ? rest.slice(1) : rest;
      const dt = sign ? null : DATETIME.exec(body);
      if (dt && dt[0].length > 4 && dt[0][4] === '-') {
        out.push({ kind: 'datetime', text: dt[0], start: i, end: i + dt[0].length });
        i += dt[0].length;
        continue;
      }
      const num = NUMBER.exec(body);
      if (num) {
        const len = sign.length + num[0].length;
        out.push({ kind: 'number', text: sign + num[0], start: i, end: i + len });
        i += len;
        continue;
      }
    }
    const id = IDENT.exec(rest);
    if (id) {
      out.push({ kind: 'ident', text: id[0], start: i, end: i + id[0].length });
      i += id[0].length;
      continue;
    }
    throw syntaxError(text, i + 1);
  }
  out.push({ kind: 'end', text: '', start: text.length, end: text.length });
  return out;
}
