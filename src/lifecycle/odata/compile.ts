// Turns a parsed expression into a predicate, once: property paths become pre-split accessors and
// literals are pre-converted (lower-cased when comparisons ignore case, dates to milliseconds), so
// evaluating a rule over 100,000 users does no parsing and no allocation per comparison.
import type { ComparisonOp, Expr, FunctionName, Literal, Operand } from './parser.ts';

export type Predicate = (item: unknown) => boolean;

export interface CompileOptions {
  /** Lifecycle rules compare strings exactly (Microsoft's rules are case-sensitive); $filter ignores case. */
  caseInsensitive: boolean;
}

type Scope = { root: unknown; vars: Map<string, unknown> | undefined };
type Getter = (s: Scope) => unknown;

function literalValue(l: Literal): unknown {
  return l.value;
}

function getter(o: Operand, opts: CompileOptions, bound: ReadonlySet<string>): Getter {
  if (o.kind === 'literal') {
    const v = literalValue(o);
    return () => v;
  }
  if (o.kind === 'func') {
    const test = funcTest(o.name, o.args, opts, bound);
    return (s) => test(s);
  }
  const [head, ...rest] = o.segments;
  const fromVar = bound.has(head!);
  return (s) => {
    let cur: unknown = fromVar ? s.vars?.get(head!) : (s.root as Record<string, unknown> | null | undefined)?.[head!];
    for (const seg of rest) {
      if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[seg];
    }
    return cur;
  };
}

function toMs(v: unknown): number {
  return typeof v === 'string' ? Date.parse(v) : NaN;
}

/** A comparison of a value against a fixed literal, with everything about the literal decided now. */
function literalComparer(op: ComparisonOp, l: Literal, opts: CompileOptions): (v: unknown) => boolean {
  switch (l.type) {
    case 'null': {
      if (op === 'eq') return (v) => v === null || v === undefined;
      if (op === 'ne') return (v) => v !== null && v !== undefined;
      return () => false;
    }
    case 'date': {
      const ms = Date.parse(l.value);
      return orderComparer(op, (v) => toMs(v), ms);
    }
    case 'number': return orderComparer(op, (v) => (typeof v === 'number' ? v : NaN), l.value);
    case 'bool': {
      const b = l.value;
      if (op === 'eq') return (v) => v === b;
      if (op === 'ne') return (v) => v !== b;
      return () => false;
    }
    case 'guid': {
      // GUIDs are case-insensitive whatever the dialect.
      const g = l.value.toLowerCase();
      if (op === 'eq') return (v) => typeof v === 'string' && v.toLowerCase() === g;
      if (op === 'ne') return (v) => !(typeof v === 'string' && v.toLowerCase() === g);
      return () => false;
    }
    case 'string': {
      const s = opts.caseInsensitive ? l.value.toLowerCase() : l.value;
      const norm = opts.caseInsensitive ? (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v) : (v: unknown) => v;
      if (op === 'eq') return (v) => norm(v) === s;
      if (op === 'ne') return (v) => norm(v) !== s;
      return (v) => {
        const x = norm(v);
        if (typeof x !== 'string') return false;
        // An ISO date property compared with a quoted date orders by time.
        const a = Date.parse(x), b = Date.parse(s);
        if (Number.isFinite(a) && Number.isFinite(b) && /^\d{4}-\d{2}-\d{2}/.test(x)) return order(op, a, b);
        return order(op, x < s ? -1 : x > s ? 1 : 0, 0);
      };
    }
  }
}

function order(op: ComparisonOp, a: number, b: number): boolean {
  switch (op) {
    case 'eq': return a === b;
    case 'ne': return a !== b;
    case 'gt': return a > b;
    case 'ge': return a >= b;
    case 'lt': return a < b;
    case 'le': return a <= b;
  }
}

function orderComparer(op: ComparisonOp, num: (v: unknown) => number, target: number): (v: unknown) => boolean {
  return (v) => {
    const n = num(v);
    if (!Number.isFinite(n)) return op === 'ne';
    return order(op, n, target);
  };
}

function funcTest(name: FunctionName, args: Operand[], opts: CompileOptions, bound: ReadonlySet<string>): (s: Scope) => boolean {
  const subject = getter(args[0]!, opts, bound);
  const argument = getter(args[1]!, opts, bound);
  const fold = opts.caseInsensitive ? (x: string) => x.toLowerCase() : (x: string) => x;
  const test = name === 'startswith' ? (a: string, b: string) => a.startsWith(b)
    : name === 'endswith' ? (a: string, b: string) => a.endsWith(b)
      : (a: string, b: string) => a.includes(b);
  return (s) => {
    const a = subject(s), b = argument(s);
    return typeof a === 'string' && typeof b === 'string' && test(fold(a), fold(b));
  };
}

function compileNode(e: Expr, opts: CompileOptions, bound: ReadonlySet<string>): (s: Scope) => boolean {
  switch (e.kind) {
    case 'and': {
      const l = compileNode(e.left, opts, bound), r = compileNode(e.right, opts, bound);
      return (s) => l(s) && r(s);
    }
    case 'or': {
      const l = compileNode(e.left, opts, bound), r = compileNode(e.right, opts, bound);
      return (s) => l(s) || r(s);
    }
    case 'not': {
      const inner = compileNode(e.operand, opts, bound);
      return (s) => !inner(s);
    }
    case 'compare': {
      if (e.right.kind === 'literal') {
        const get = getter(e.left, opts, bound), cmp = literalComparer(e.op, e.right, opts);
        return (s) => cmp(get(s));
      }
      if (e.left.kind === 'literal') {
        const flipped: Record<ComparisonOp, ComparisonOp> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };
        const get = getter(e.right, opts, bound), cmp = literalComparer(flipped[e.op], e.left, opts);
        return (s) => cmp(get(s));
      }
      const l = getter(e.left, opts, bound), r = getter(e.right, opts, bound);
      return (s) => {
        const a = l(s), b = r(s);
        if (typeof a === 'string' && typeof b === 'string' && opts.caseInsensitive) return order(e.op, a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0, 0);
        if (typeof a === 'number' && typeof b === 'number') return order(e.op, a, b);
        if (e.op === 'eq') return a === b;
        if (e.op === 'ne') return a !== b;
        return typeof a === 'string' && typeof b === 'string' && order(e.op, a < b ? -1 : a > b ? 1 : 0, 0);
      };
    }
    case 'in': {
      const get = getter(e.left, opts, bound);
      const tests = e.values.map((v) => literalComparer('eq', v, opts));
      return (s) => {
        const v = get(s);
        for (const t of tests) if (t(v)) return true;
        return false;
      };
    }
    case 'has': {
      const get = getter(e.left, opts, bound), flag = getter(e.right, opts, bound);
      return (s) => {
        const v = get(s), f = flag(s);
        if (typeof v !== 'string' || typeof f !== 'string') return false;
        const wanted = f.toLowerCase();
        return v.split(',').some((x) => x.trim().toLowerCase() === wanted);
      };
    }
    case 'call': return funcTest(e.func.name, e.func.args, opts, bound);
    case 'lambda': {
      const collection = getter(e.collection, opts, bound);
      if (!e.body || !e.variable) return (s) => Array.isArray(collection(s)) && (collection(s) as unknown[]).length > 0;
      const name = e.variable;
      const body = compileNode(e.body, opts, new Set([...bound, name]));
      const all = e.quantifier === 'all';
      return (s) => {
        const items = collection(s);
        if (!Array.isArray(items)) return all;
        const vars = new Map(s.vars ?? []);
        const inner: Scope = { root: s.root, vars };
        for (const item of items) {
          vars.set(name, item);
          const ok = body(inner);
          if (all && !ok) return false;
          if (!all && ok) return true;
        }
        return all;
      };
    }
  }
}

export function compileExpression(e: Expr, opts: CompileOptions): Predicate {
  const test = compileNode(e, opts, new Set());
  return (item) => test({ root: item, vars: undefined });
}
