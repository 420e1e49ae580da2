// The directory's advanced-query rules: which $filter clauses, $orderby and $search a request may
// use without `ConsistencyLevel: eventual` and `$count=true`, with the errors Graph answers when a
// request asks for more than it declared.
import { GraphError } from '../errors.ts';
import type { FilterNode, Operand } from './filter-ast.ts';
import type { EntitySpec, FilterOp, FilterRule, Level } from './entities.ts';

export interface QueryMode {
  /** `ConsistencyLevel: eventual` was sent. */
  eventual: boolean;
  /** `$count=true` was sent. */
  count: boolean;
}

export function queryMode(headers: Record<string, string | undefined>, query: Record<string, string>): QueryMode {
  return {
    eventual: (headers['consistencylevel'] ?? '').trim().toLowerCase() === 'eventual',
    count: (query.$count ?? '').toLowerCase() === 'true',
  };
}

const ADVANCED_HINT = 'is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information';

export const queryErrors = {
  unknownProperty: (spec: EntitySpec, name: string) =>
    new GraphError(400, 'BadRequest', `Could not find a property named '${name}' on type '${spec.typeName}'.`),
  unsupportedProperty: (spec: EntitySpec, name: string) =>
    new GraphError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${name}' of resource '${spec.resource}'.`),
  operatorNeedsAdvanced: (op: string) => new GraphError(400, 'Request_UnsupportedQuery', `Operator '${op}' ${ADVANCED_HINT}`),
  sortingNotSupported: () => new GraphError(400, 'Request_UnsupportedQuery', 'Sorting not supported for current query.'),
  searchNeedsHeader: () =>
    new GraphError(400, 'Request_UnsupportedQuery', "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'"),
  countSegmentNeedsHeader: () => new GraphError(400, 'Request_BadRequest', '$count is not currently supported.'),
};

/** Resolves a property name against the entity, by its case-insensitive spelling. */
export function canonicalName(spec: EntitySpec, name: string): string {
  if (!spec.properties) return name;
  const c = spec.properties.get(name.toLowerCase());
  if (!c) throw queryErrors.unknownProperty(spec, name);
  return c;
}

interface Clause {
  /** The property path as written, for messages. */
  path: string[];
  op: FilterOp;
  /** Operator name for the "Operator 'x' …" message when it is one of the advanced operators. */
  opName: string;
}

/** Throws the error Graph gives when the filter uses what the entity or the request mode lacks. */
export function checkFilter(ast: FilterNode, spec: EntitySpec, mode: QueryMode): void {
  const advanced = mode.eventual && mode.count;
  const clauses: Clause[] = [];
  collect(ast, null, clauses);
  for (const c of clauses) {
    const first = c.path[0];
    if (first === undefined) continue;
    canonicalName(spec, first);
    if (!spec.directory) continue;
    const generic: Level | undefined = c.op === 'contains' ? undefined : c.op === 'ne' || c.op === 'not' || c.op === 'endsWith' || c.op === 'count' ? 'advanced' : 'default';
    const level = spec.filter ? levelFor(spec.filter, c) : generic;
    const display = c.path.join('/');
    if (level === undefined) throw queryErrors.unsupportedProperty(spec, display);
    if (level === 'advanced' && !advanced) {
      if (c.op === 'ne' || c.op === 'not' || c.op === 'endsWith') throw queryErrors.operatorNeedsAdvanced(c.opName);
      throw queryErrors.unsupportedProperty(spec, display);
    }
  }
}

function levelFor(table: ReadonlyMap<string, FilterRule>, c: Clause): Level | undefined {
  const rule = table.get(c.path.join('/').toLowerCase()) ?? (c.path.length > 1 ? undefined : table.get(c.path[0]!.toLowerCase()));
  if (!rule) return undefined;
  // "in" works wherever eq works by default; ne and not work (advanced) wherever eq works.
  const eq = rule.eq;
  switch (c.op) {
    case 'in': return rule.in ?? (eq === 'default' ? 'default' : eq);
    case 'ne':
    case 'not': return rule[c.op] ?? (eq ? 'advanced' : undefined);
    default: return rule[c.op];
  }
}

function collect(n: FilterNode, lambdaPath: string[] | null, out: Clause[]): void {
  const pathOf = (o: Operand): string[] | null => {
    if (o.kind === 'prop') return o.path;
    if (o.kind === 'var') return lambdaPath;
    if (o.kind === 'count') return o.path;
    return null;
  };
  const isNull = (o: Operand) => o.kind === 'lit' && o.lit.kind === 'null';
  switch (n.kind) {
    case 'and':
    case 'or':
      collect(n.left, lambdaPath, out);
      collect(n.right, lambdaPath, out);
      return;
    case 'not': {
      const inner: Clause[] = [];
      collect(n.expr, lambdaPath, inner);
      for (const c of inner) out.push(c, { path: c.path, op: 'not', opName: 'not' });
      if (!inner.length) out.push({ path: [], op: 'not', opName: 'not' });
      return;
    }
    case 'cmp': {
      const [prop, other] = pathOf(n.left) ? [n.left, n.right] : [n.right, n.left];
      const path = pathOf(prop);
      if (!path) return;
      if (prop.kind === 'count') {
        out.push({ path, op: 'count', opName: '$count' });
        return;
      }
      const op: FilterOp = n.op === 'eq' ? 'eq' : n.op === 'ne' ? 'ne' : n.op === 'gt' || n.op === 'ge' ? 'ge' : 'le';
      out.push({ path, op, opName: n.op });
      if (isNull(other)) out.push({ path, op: 'null', opName: n.op });
      return;
    }
    case 'in': {
      const path = pathOf(n.left);
      if (path) out.push({ path, op: 'in', opName: 'in' });
      return;
    }
    case 'fn': {
      const path = pathOf(n.args[0]) ?? pathOf(n.args[1]);
      if (!path) return;
      const op: FilterOp = n.name === 'startswith' ? 'startsWith' : n.name === 'endswith' ? 'endsWith' : 'contains';
      out.push({ path, op, opName: op });
      return;
    }
    case 'lambda':
      if (n.body) collect(n.body, n.path, out);
      else out.push({ path: n.path, op: 'count', opName: 'any' });
      return;
    case 'bool': {
      const path = pathOf(n.operand);
      if (path) out.push({ path, op: 'eq', opName: 'eq' });
      return;
    }
  }
}
