// Recursive-descent parser for OData $filter, with Microsoft.OData.Core's precedence:
// or < and < not < comparison. Keywords and function names are case-insensitive, as Graph accepts
// `NOT`, `OR` and `startswith` as well as `startsWith`.
import type { CompareOp, FilterNode, Literal, Operand } from './filter-ast.ts';
import { FilterSyntaxError, syntaxError, tokenize, type Token } from './lexer.ts';

const compareOps = new Set<CompareOp>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const functions = new Set(['startswith', 'endswith', 'contains']);

export function parseFilter(text: string): FilterNode {
  return new Parser(text).parseAll();
}

class Parser {
  private readonly text: string;
  private readonly tokens: Token[];
  private pos = 0;
  /** Lambda variables in scope. */
  private readonly vars: string[] = [];

  constructor(text: string) {
    this.text = text;
    this.tokens = tokenize(text);
  }

  parseAll(): FilterNode {
    if (this.peek().kind === 'end') throw syntaxError(this.text, 0);
    const node = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'end') throw syntaxError(this.text, t.end);
    return node;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private keyword(t: Token, word: string): boolean {
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }

  private expect(kind: Token['kind']): Token {
    const t = this.peek();
    if (t.kind !== kind) throw syntaxError(this.text, t.end);
    return this.next();
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.keyword(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.keyword(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.keyword(this.peek(), 'not')) {
      this.next();
      return { kind: 'not', expr: this.parseUnary() };
    }
    return this.parseComparison();
  }

  private parseComparison(): FilterNode {
    const t = this.peek();
    if (t.kind === 'lparen') {
      this.next();
      const inner = this.parseOr();
      this.expect('rparen');
      return this.boolSuffix(inner);
    }
    if (t.kind === 'ident' && this.peek(1).kind === 'lparen' && !this.isLambdaVar(t.text)) {
      const name = t.text.toLowerCase();
      if (!functions.has(name)) {
        throw new FilterSyntaxError(`An unknown function with name '${t.text}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`);
      }
      this.next();
      this.next();
      const a = this.parseOperand();
      this.expect('comma');
      const b = this.parseOperand();
      this.expect('rparen');
      return this.boolSuffix({ kind: 'fn', name: name as 'startswith' | 'endswith' | 'contains', args: [a, b] });
    }
    const left = this.parseOperandOrLambda();
    if (left.kind === 'lambda') return this.boolSuffix(left);
    const op = this.peek();
    if (op.kind === 'ident') {
      const word = op.text.toLowerCase() as CompareOp;
      if (compareOps.has(word)) {
        this.next();
        return { kind: 'cmp', op: word, left, right: this.parseOperand() };
      }
      if (word === ('in' as string)) {
        this.next();
        this.expect('lparen');
        const values: Literal[] = [this.parseLiteral()];
        while (this.peek().kind === 'comma') {
          this.next();
          values.push(this.parseLiteral());
        }
        this.expect('rparen');
        return { kind: 'in', left, values };
      }
    }
    return { kind: 'bool', operand: left };
  }

  /** `startsWith(x,'a') eq true` and `(…) eq false` are boolean comparisons with a literal. */
  private boolSuffix(node: FilterNode): FilterNode {
    const op = this.peek();
    if (op.kind !== 'ident' || !['eq', 'ne'].includes(op.text.toLowerCase())) return node;
    this.next();
    const lit = this.parseLiteral();
    if (lit.kind !== 'boolean') throw syntaxError(this.text, this.tokens[this.pos - 1]!.end);
    const wantTrue = (op.text.toLowerCase() === 'eq') === lit.value;
    return wantTrue ? node : { kind: 'not', expr: node };
  }

  private isLambdaVar(name: string): boolean {
    return this.vars.includes(name.toLowerCase());
  }

  private parseOperand(): Operand {
    const o = this.parseOperandOrLambda();
    if (o.kind === 'lambda') throw syntaxError(this.text, this.tokens[this.pos - 1]!.end);
    return o;
  }

  private parseOperandOrLambda(): Operand | Extract<FilterNode, { kind: 'lambda' }> {
    const t = this.peek();
    if (t.kind === 'ident') {
      const w = t.text.toLowerCase();
      if (w === 'true' || w === 'false' || w === 'null') return { kind: 'lit', lit: this.parseLiteral() };
      return this.parsePath();
    }
    return { kind: 'lit', lit: this.parseLiteral() };
  }

  private parsePath(): Operand | Extract<FilterNode, { kind: 'lambda' }> {
    const first = this.expect('ident');
    const segments = [first.text];
    while (this.peek().kind === 'slash') {
      this.next();
      const seg = this.expect('ident');
      const w = seg.text.toLowerCase();
      if ((w === 'any' || w === 'all') && this.peek().kind === 'lparen') return this.parseLambda(w, segments);
      if (w === '$count') return { kind: 'count', path: segments };
      segments.push(seg.text);
    }
    if (this.isLambdaVar(first.text)) return { kind: 'var', name: first.text.toLowerCase(), path: segments.slice(1) };
    return { kind: 'prop', path: segments };
  }

  private parseLambda(op: 'any' | 'all', path: string[]): Extract<FilterNode, { kind: 'lambda' }> {
    this.expect('lparen');
    if (this.peek().kind === 'rparen') {
      if (op === 'all') throw syntaxError(this.text, this.peek().end);
      this.next();
      return { kind: 'lambda', op, path, variable: null, body: null };
    }
    const v = this.expect('ident');
    this.expect('colon');
    this.vars.push(v.text.toLowerCase());
    try {
      const body = this.parseOr();
      this.expect('rparen');
      return { kind: 'lambda', op, path, variable: v.text.toLowerCase(), body };
    } finally {
      this.vars.pop();
    }
  }

  private parseLiteral(): Literal {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return { kind: 'string', value: t.text };
      case 'number':
        return { kind: 'number', value: Number(t.text) };
      case 'guid':
        return { kind: 'guid', value: t.text.toLowerCase() };
      case 'datetime': {
        const ms = Date.parse(t.text.length === 10 ? `${t.text}T00:00:00Z` : /[Zz]|[+-]\d{2}:\d{2}$/.test(t.text) ? t.text : `${t.text}Z`);
        if (!Number.isFinite(ms)) throw syntaxError(this.text, t.end);
        return { kind: 'datetime', value: t.text, ms };
      }
      case 'ident': {
        const w = t.text.toLowerCase();
        if (w === 'true' || w === 'false') return { kind: 'boolean', value: w === 'true' };
        if (w === 'null') return { kind: 'null' };
        throw syntaxError(this.text, t.end);
      }
      default:
        throw syntaxError(this.text, t.end);
    }
  }
}
