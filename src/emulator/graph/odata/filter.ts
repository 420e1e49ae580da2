// $filter compiled to a predicate over a plain record. Each distinct filter text is parsed and
// compiled once (bounded cache), so paging through a filtered collection costs no re-parsing.
// Comparisons follow the directory's rules: strings compare case-insensitively, GUIDs and
// DateTimeOffsets by value, and property names match whatever their case.
import type { CompareOp, FilterNode, Literal, Operand } from './filter-ast.ts';
import { parseFilter } from './filter-parser.ts';
import { FilterSyntaxError } from './lexer.ts';

export { FilterSyntaxError };

type Env = Record<string, unknown>;
type Pred = (rec: Record<string, unknown>, env: Env) => boolean;
type Getter = (rec: Record<string, unknown>, env: Env) => unknown;

export interface CompiledFilter {
  text: string;
  ast: FilterNode;
  test(rec: Record<string, unknown>): boolean;
}

const cache = new Map<string, CompiledFilter>();
const CACHE_MAX = 500;

/** Parses and compiles `text`; throws FilterSyntaxError for a malformed filter. */
export function compileFilter(text: string): CompiledFilter {
  const hit = cache.get(text);
  if (hit) return hit;
  const ast = parseFilter(text);
  const pred = compileNode(ast);
  const compiled: CompiledFilter = { text, ast, test: (rec) => pred(rec, {}) };
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(text, compiled);
  return compiled;
}

/**
 * A record may resolve names itself (a lazy view over a stored object) by carrying a function
 * under this key; it receives the name as written and answers regardless of case.
 */
export const RESOLVE_PROPERTY: unique symbol = Symbol('resolveProperty');

/** Reads a property by name, ignoring case, learning each name's stored spelling once. */
const spelling = new Map<string, string>();
export function readProp(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== 'object') return undefined;
  const o = obj as Record<string | symbol, unknown>;
  const resolve = o[RESOLVE_PROPERTY];
  if (typeof resolve === 'function') return (resolve as (n: string) => unknown).call(o, name);
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  const known = spelling.get(lower);
  if (known !== undefined && known in o) return o[known];
  for (const k of Object.keys(o)) {
    if (k.toLowerCase() === lower) {
      spelling.set(lower, k);
      return o[k];
    }
  }
  return undefined;
}

function readPath(obj: unknown, path: readonly string[]): unknown {
  let v = obj;
  for (const seg of path) {
    if (Array.isArray(v)) v = v.map((x) => readProp(x, seg));
    else v = readProp(v, seg);
  }
  return v;
}

function compileNode(n: FilterNode): Pred {
  switch (n.kind) {
    case 'and': {
      const l = compileNode(n.left), r = compileNode(n.right);
      return (rec, env) => l(rec, env) && r(rec, env);
    }
    case 'or': {
      const l = compileNode(n.left), r = compileNode(n.right);
      return (rec, env) => l(rec, env) || r(rec, env);
    }
    case 'not': {
      const e = compileNode(n.expr);
      return (rec, env) => !e(rec, env);
    }
    case 'cmp':
      return compileCompare(n.op, n.left, n.right);
    case 'in': {
      const get = compileOperand(n.left);
      const lits = n.values;
      return (rec, env) => {
        const v = get(rec, env);
        return lits.some((lit) => equalsLiteral(v, lit));
      };
    }
    case 'fn': {
      const a = compileOperand(n.args[0]), b = compileOperand(n.args[1]);
      const op = n.name === 'startswith' ? (x: string, y: string) => x.startsWith(y)
        : n.name === 'endswith' ? (x: string, y: string) => x.endsWith(y)
        : (x: string, y: string) => x.includes(y);
      return (rec, env) => {
        const y = b(rec, env);
        if (typeof y !== 'string') return false;
        const needle = y.toLowerCase();
        const x = a(rec, env);
        if (Array.isArray(x)) return x.some((e) => typeof e === 'string' && op(e.toLowerCase(), needle));
        return typeof x === 'string' && op(x.toLowerCase(), needle);
      };
    }
    case 'lambda': {
      const path = n.path;
      const body = n.body ? compileNode(n.body) : null;
      const variable = n.variable;
      const all = n.op === 'all';
      return (rec, env) => {
        const coll = readPath(rec, path);
        if (!Array.isArray(coll)) return all;
        if (!body || !variable) return coll.length > 0;
        const test = (el: unknown) => body(rec, { ...env, [variable]: el });
        return all ? coll.every(test) : coll.some(test);
      };
    }
    case 'bool': {
      const get = compileOperand(n.operand);
      return (rec, env) => get(rec, env) === true;
    }
  }
}

function compileOperand(o: Operand): Getter {
  switch (o.kind) {
    case 'prop': {
      const path = o.path;
      if (path.length === 1) {
        const name = path[0]!;
        return (rec) => readProp(rec, name);
      }
      return (rec) => readPath(rec, path);
    }
    case 'var': {
      const name = o.name, path = o.path;
      return (_rec, env) => (path.length ? readPath(env[name], path) : env[name]);
    }
    case 'count': {
      const path = o.path;
      return (rec) => {
        const v = readPath(rec, path);
        return Array.isArray(v) ? v.length : 0;
      };
    }
    case 'lit': {
      const v = literalValue(o.lit);
      return () => v;
    }
  }
}

function literalValue(lit: Literal): unknown {
  switch (lit.kind) {
    case 'null': return null;
    case 'datetime': return new Date(lit.ms);
    default: return lit.value;
  }
}

function equalsLiteral(v: unknown, lit: Literal): boolean {
  return compareValues(v, literalValue(lit)) === 0;
}

/**
 * Orders two values the way the directory compares them; undefined when they cannot be compared
 * (a null against a value, or values of unrelated types). Collections match when any element does.
 */
function compareValues(a: unknown, b: unknown): number | undefined {
  if (Array.isArray(a)) {
    for (const e of a) if (compareValues(e, b) === 0) return 0;
    return undefined;
  }
  const an = a === undefined ? null : a;
  const bn = b === undefined ? null : b;
  if (an === null || bn === null) return an === bn ? 0 : undefined;
  if (an instanceof Date || bn instanceof Date) {
    const x = toMs(an), y = toMs(bn);
    if (x === undefined || y === undefined) return undefined;
    return x === y ? 0 : x < y ? -1 : 1;
  }
  if (typeof an === 'string' && typeof bn === 'string') {
    const x = an.toLowerCase(), y = bn.toLowerCase();
    return x === y ? 0 : x < y ? -1 : 1;
  }
  if (typeof an === 'number' && typeof bn === 'number') return an === bn ? 0 : an < bn ? -1 : 1;
  if (typeof an === 'boolean' && typeof bn === 'boolean') return an === bn ? 0 : an ? 1 : -1;
  return undefined;
}

function toMs(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : undefined;
  }
  return undefined;
}

function compileCompare(op: CompareOp, left: Operand, right: Operand): Pred {
  const l = compileOperand(left), r = compileOperand(right);
  if (op === 'eq') return (rec, env) => compareValues(l(rec, env), r(rec, env)) === 0;
  if (op === 'ne') return (rec, env) => compareValues(l(rec, env), r(rec, env)) !== 0;
  const ok = op === 'gt' ? (c: number) => c > 0 : op === 'ge' ? (c: number) => c >= 0 : op === 'lt' ? (c: number) => c < 0 : (c: number) => c <= 0;
  // Range comparisons never match a missing value: null ge x is false, and so is null le null.
  return (rec, env) => {
    const a = l(rec, env), b = r(rec, env);
    if (a === null || a === undefined || b === null || b === undefined) return false;
    const c = compareValues(a, b);
    return c !== undefined && ok(c);
  };
}
