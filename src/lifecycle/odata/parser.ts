// A recursive-descent parser for OData boolean expressions: comparisons (eq ne gt ge lt le), `in`
// lists, `has`, startswith/endswith/contains, and/or/not with parentheses, and `any`/`all` lambdas
// on collections. Precedence is OData's: not binds tighter than and, and tighter than or.
import { ExpressionError, tokenize, type Token, type TokenKind } from './lexer.ts';

export type Literal =
  | { kind: 'literal'; type: 'string'; value: string; pos: number }
  | { kind: 'literal'; type: 'bool'; value: boolean; pos: number }
  | { kind: 'literal'; type: 'null'; value: null; pos: number }
  | { kind: 'literal'; type: 'number'; value: number; pos: number }
  | { kind: 'literal'; type: 'date'; value: string; pos: number }
  | { kind: 'literal'; type: 'guid'; value: string; pos: number };

export interface PathNode {
  kind: 'path';
  segments: string[];
  pos: number;
}

export type Operand = Literal | PathNode | FuncNode;

export const comparisonOps = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;
export type ComparisonOp = (typeof comparisonOps)[number];

export const functionNames = ['startswith', 'endswith', 'contains'] as const;
export type FunctionName = (typeof functionNames)[number];

export interface FuncNode {
  kind: 'func';
  name: FunctionName;
  /** As written (startsWith or startswith), for messages. */
  written: string;
  args: Operand[];
  pos: number;
}

export type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr; pos: number }
  | { kind: 'not'; operand: Expr; pos: number }
  | { kind: 'compare'; op: ComparisonOp; left: Operand; right: Operand; pos: number }
  | { kind: 'in'; left: Operand; values: Literal[]; pos: number }
  | { kind: 'has'; left: Operand; right: Operand; pos: number }
  | { kind: 'call'; func: FuncNode; pos: number }
  | { kind: 'lambda'; quantifier: 'any' | 'all'; collection: PathNode; variable: string | null; body: Expr | null; pos: number };

const keywords = new Set(['and', 'or', 'not', 'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in', 'has', 'true', 'false', 'null', 'any', 'all']);

class Parser {
  private i = 0;
  private readonly tokens: Token[];
  private readonly text: string;
  private readonly variables: string[] = [];

  constructor(text: string) {
    this.text = text;
    this.tokens = tokenize(text);
  }

  parse(): Expr {
    if (this.peek().kind === 'end') throw this.error('The expression is empty', 0);
    const e = this.orExpr();
    const t = this.peek();
    if (t.kind !== 'end') throw this.error(`Expected 'and', 'or' or the end of the expression, found ${describe(t)}`, t.pos);
    return e;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.i++;
    return t;
  }

  private isWord(t: Token, word: string): boolean {
    return t.kind === 'ident' && t.text === word;
  }

  private expect(kind: TokenKind, what: string): Token {
    const t = this.peek();
    if (t.kind !== kind) throw this.error(`Expected ${what}, found ${describe(t)}`, t.pos);
    return this.next();
  }

  private error(reason: string, pos: number): ExpressionError {
    return new ExpressionError(reason, pos, this.text);
  }

  private orExpr(): Expr {
    let left = this.andExpr();
    while (this.isWord(this.peek(), 'or')) {
      const pos = this.next().pos;
      left = { kind: 'or', left, right: this.andExpr(), pos };
    }
    return left;
  }

  private andExpr(): Expr {
    let left = this.unary();
    while (this.isWord(this.peek(), 'and')) {
      const pos = this.next().pos;
      left = { kind: 'and', left, right: this.unary(), pos };
    }
    return left;
  }

  private unary(): Expr {
    const t = this.peek();
    if (this.isWord(t, 'not')) {
      this.next();
      return { kind: 'not', operand: this.unary(), pos: t.pos };
    }
    if (t.kind === '(') {
      this.next();
      const inner = this.orExpr();
      this.expect(')', "')' to close the parenthesis");
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const start = this.peek();
    if (start.kind === 'end') throw this.error('Expected a condition, found the end of the expression', start.pos);
    if (start.kind === 'ident' && (start.text === 'and' || start.text === 'or')) throw this.error(`Expected a condition before '${start.text}'`, start.pos);
    const left = this.operand();
    if (left.kind === 'lambda') return left;
    const opTok = this.peek();
    if (opTok.kind === 'ident' && (comparisonOps as readonly string[]).includes(opTok.text)) {
      this.next();
      const right = this.operand();
      if (right.kind === 'lambda') throw this.error('A lambda cannot be compared', right.pos);
      return { kind: 'compare', op: opTok.text as ComparisonOp, left, right, pos: opTok.pos };
    }
    if (this.isWord(opTok, 'in')) {
      this.next();
      this.expect('(', "'(' to start the list after 'in'");
      const values: Literal[] = [];
      for (;;) {
        const v = this.operand();
        if (v.kind !== 'literal') throw this.error("The list after 'in' may hold only values (strings, numbers, true, false or null)", v.pos);
        values.push(v);
        const sep = this.peek();
        if (sep.kind === ',') { this.next(); continue; }
        if (sep.kind === ')') { this.next(); break; }
        throw this.error(`Expected ',' or ')' in the list after 'in', found ${describe(sep)}`, sep.pos);
      }
      return { kind: 'in', left, values, pos: opTok.pos };
    }
    if (this.isWord(opTok, 'has')) {
      this.next();
      const right = this.operand();
      if (right.kind === 'lambda') throw this.error("A lambda cannot follow 'has'", right.pos);
      return { kind: 'has', left, right, pos: opTok.pos };
    }
    if (left.kind === 'func') return { kind: 'call', func: left, pos: left.pos };
    if (opTok.kind === 'end') throw this.error(`Expected an operator (eq, ne, in, …) after ${describeOperand(this.text, left)}, found the end of the expression`, opTok.pos);
    throw this.error(`Expected an operator (eq, ne, in, …) after ${describeOperand(this.text, left)}, found ${describe(opTok)}`, opTok.pos);
  }

  private operand(): Operand | Extract<Expr, { kind: 'lambda' }> {
    const t = this.peek();
    switch (t.kind) {
      case 'string': this.next(); return { kind: 'literal', type: 'string', value: t.text, pos: t.pos };
      case 'number': this.next(); return { kind: 'literal', type: 'number', value: Number(t.text), pos: t.pos };
      case 'date': this.next(); return { kind: 'literal', type: 'date', value: t.text, pos: t.pos };
      case 'guid': this.next(); return { kind: 'literal', type: 'guid', value: t.text, pos: t.pos };
      case 'ident': break;
      default: throw this.error(`Expected a property name or a value, found ${describe(t)}`, t.pos);
    }
    if (t.text === 'true' || t.text === 'false') { this.next(); return { kind: 'literal', type: 'bool', value: t.text === 'true', pos: t.pos }; }
    if (t.text === 'null') { this.next(); return { kind: 'literal', type: 'null', value: null, pos: t.pos }; }
    if (keywords.has(t.text)) throw this.error(`Expected a property name or a value, found the keyword '${t.text}'`, t.pos);
    if (this.peek(1).kind === '(') return this.func();
    return this.pathOrLambda();
  }

  private func(): FuncNode {
    const t = this.next();
    const name = t.text.toLowerCase();
    if (!(functionNames as readonly string[]).includes(name)) throw this.error(`Unknown function '${t.text}'; use startsWith, endsWith or contains`, t.pos);
    this.expect('(', `'(' after ${t.text}`);
    const args: Operand[] = [];
    for (;;) {
      const a = this.operand();
      if (a.kind === 'lambda') throw this.error(`A lambda cannot be an argument of ${t.text}`, a.pos);
      args.push(a);
      const sep = this.peek();
      if (sep.kind === ',') { this.next(); continue; }
      if (sep.kind === ')') { this.next(); break; }
      throw this.error(`Expected ',' or ')' in the arguments of ${t.text}, found ${describe(sep)}`, sep.pos);
    }
    if (args.length !== 2) throw this.error(`${t.text} takes two arguments, a property and a string, not ${args.length}`, t.pos);
    return { kind: 'func', name: name as FunctionName, written: t.text, args, pos: t.pos };
  }

  private pathOrLambda(): PathNode | Extract<Expr, { kind: 'lambda' }> {
    const first = this.next();
    const segments = [first.text];
    while (this.peek().kind === '/') {
      this.next();
      const seg = this.expect('ident', 'a property name after \'/\'');
      if ((seg.text === 'any' || seg.text === 'all') && this.peek().kind === '(') {
        return this.lambda(seg.text, { kind: 'path', segments, pos: first.pos }, seg.pos);
      }
      segments.push(seg.text);
    }
    return { kind: 'path', segments, pos: first.pos };
  }

  private lambda(quantifier: 'any' | 'all', collection: PathNode, pos: number): Extract<Expr, { kind: 'lambda' }> {
    this.expect('(', `'(' after ${quantifier}`);
    if (this.peek().kind === ')') {
      this.next();
      if (quantifier === 'all') throw this.error("all() needs a condition, e.g. all(p: p eq 'x')", pos);
      return { kind: 'lambda', quantifier, collection, variable: null, body: null, pos };
    }
    const v = this.expect('ident', `a variable name in ${quantifier}(x: …)`);
    if (keywords.has(v.text)) throw this.error(`'${v.text}' is a keyword and cannot name a lambda variable`, v.pos);
    this.expect(':', `':' after the lambda variable '${v.text}'`);
    this.variables.push(v.text);
    const body = this.orExpr();
    this.variables.pop();
    this.expect(')', `')' to close ${quantifier}(…)`);
    return { kind: 'lambda', quantifier, collection, variable: v.text, body, pos };
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'end': return 'the end of the expression';
    case 'string': return `the string '${t.text}'`;
    case 'ident': return `'${t.text}'`;
    default: return `'${t.text}'`;
  }
}

function describeOperand(text: string, o: Operand): string {
  if (o.kind === 'path') return `'${o.segments.join('/')}'`;
  if (o.kind === 'func') return `${o.written}(…)`;
  return `the value at position ${o.pos + 1} of "${text}"`;
}

export function parseExpression(text: string): Expr {
  return new Parser(text).parse();
}
