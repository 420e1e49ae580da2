// Bindings and conditions. A value may hold `{{params.user}}`, `{{context.tenant}}`,
// `{{tenant.defaults.usageLocation}}` or `{{steps.create.outputs.userId}}`. A value that is exactly
// one expression keeps its type (a boolean stays a boolean); otherwise it is interpolated as text.
// `when` conditions use the same paths with ==, !=, !, &&, || and literals.

export interface Scope {
  params: Record<string, unknown>;
  context: Record<string, unknown>;
  tenant: { id: string; domain: string; displayName: string; defaults: Record<string, unknown> };
  steps: Record<string, { outputs: Record<string, unknown>; state: string }>;
}

const exprRe = /\{\{\s*([^}]+?)\s*\}\}/g;
const wholeRe = /^\{\{\s*([^}]+?)\s*\}\}$/;

export function lookup(path: string, scope: Scope): unknown {
  let cur: unknown = scope;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** `a || b`: the first alternative with a value. */
function lookupAlternatives(expr: string, scope: Scope): unknown {
  for (const alt of expr.split('||')) {
    const v = lookup(alt.trim(), scope);
    if (v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)) return v;
  }
  return undefined;
}

/** The paths a value refers to, e.g. ['params.user', 'steps.create.outputs.userId']. */
export function references(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') for (const m of v.matchAll(exprRe)) for (const alt of m[1]!.split('||')) out.push(alt.trim());
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}

/** Evaluates bindings in a value; undefined where a whole-expression path has no value. */
export function evaluate(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') {
    const whole = wholeRe.exec(value);
    if (whole) return lookupAlternatives(whole[1]!, scope);
    return value.replace(exprRe, (_, p: string) => {
      const v = lookupAlternatives(p, scope);
      return v === undefined || v === null ? '' : String(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => evaluate(v, scope));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const e = evaluate(v, scope);
      if (e !== undefined) out[k] = e;
    }
    return out;
  }
  return value;
}

type Tok = { t: 'id' | 'str' | 'num' | 'op' | 'lp' | 'rp'; v: string };

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(') { toks.push({ t: 'lp', v: c }); i++; continue; }
    if (c === ')') { toks.push({ t: 'rp', v: c }); i++; continue; }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '&&', '||', '>=', '<='].includes(two)) { toks.push({ t: 'op', v: two }); i += 2; continue; }
    if (c === '!' || c === '>' || c === '<') { toks.push({ t: 'op', v: c }); i++; continue; }
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new Error(`Unterminated string at position ${i}.`);
      toks.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num) { toks.push({ t: 'num', v: num[0] }); i += num[0].length; continue; }
    const id = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(src.slice(i));
    if (id) { toks.push({ t: 'id', v: id[0] }); i += id[0].length; continue; }
    throw new Error(`Unexpected '${c}' at position ${i}.`);
  }
  return toks;
}

/** Compiles a `when` condition once; the result is evaluated per run. Throws on bad syntax. */
export function compileCondition(src: string): { paths: string[]; test: (scope: Scope) => boolean } {
  const toks = tokenize(src.replace(/^\{\{\s*|\s*\}\}$/g, ''));
  let i = 0;
  const paths: string[] = [];
  type Node = (s: Scope) => unknown;
  const expect = (t: Tok['t']) => {
    if (toks[i]?.t !== t) throw new Error(`Expected ${t === 'rp' ? "')'" : t} at token ${i + 1} of '${src}'.`);
    i++;
  };
  const primary = (): Node => {
    const tok = toks[i++];
    if (!tok) throw new Error(`Unexpected end of condition '${src}'.`);
    if (tok.t === 'lp') { const n = or(); expect('rp'); return n; }
    if (tok.t === 'op' && tok.v === '!') { const n = primary(); return (s) => !truthy(n(s)); }
    if (tok.t === 'str') return () => tok.v;
    if (tok.t === 'num') return () => Number(tok.v);
    if (tok.t === 'id') {
      if (tok.v === 'true') return () => true;
      if (tok.v === 'false') return () => false;
      if (tok.v === 'null') return () => null;
      paths.push(tok.v);
      return (s) => lookup(tok.v, s);
    }
    throw new Error(`Unexpected '${tok.v}' in condition '${src}'.`);
  };
  const cmp = (): Node => {
    const left = primary();
    const op = toks[i];
    if (op?.t === 'op' && ['==', '!=', '>', '<', '>=', '<='].includes(op.v)) {
      i++;
      const right = primary();
      return (s) => {
        const a = left(s), b = right(s);
        switch (op.v) {
          case '==': return looseEq(a, b);
          case '!=': return !looseEq(a, b);
          case '>': return Number(a) > Number(b);
          case '<': return Number(a) < Number(b);
          case '>=': return Number(a) >= Number(b);
          default: return Number(a) <= Number(b);
        }
      };
    }
    return left;
  };
  const and = (): Node => {
    let n = cmp();
    while (toks[i]?.v === '&&') { i++; const l = n, r = cmp(); n = (s) => truthy(l(s)) && truthy(r(s)); }
    return n;
  };
  const or = (): Node => {
    let n = and();
    while (toks[i]?.v === '||') { i++; const l = n, r = and(); n = (s) => truthy(l(s)) || truthy(r(s)); }
    return n;
  };
  const root = or();
  if (i !== toks.length) throw new Error(`Unexpected '${toks[i]!.v}' in condition '${src}'.`);
  return { paths, test: (s) => truthy(root(s)) };
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== undefined && v !== null && v !== false && v !== '' && v !== 0;
}

function looseEq(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b || (a == null && b == null);
}
