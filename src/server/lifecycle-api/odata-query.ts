// OData query options over an LCW collection, as Graph answers them: $filter (case-insensitive
// string comparison, `has` for flag enums), $orderby, $select, $expand, $count, $skip, $top and
// paging with an opaque $skiptoken in @odata.nextLink.
import { compileExpression } from '../../lifecycle/odata/compile.ts';
import { ExpressionError } from '../../lifecycle/odata/lexer.ts';
import { parseExpression } from '../../lifecycle/odata/parser.ts';
import { LcwError } from '../../lifecycle/errors.ts';
import type { Json } from '../../lifecycle/reports.ts';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 999;

const bad = (message: string) => new LcwError(400, 'BadRequest', message);

export interface Query {
  raw: URLSearchParams;
  get(name: string): string | undefined;
}

const KNOWN = new Set(['$filter', '$select', '$expand', '$orderby', '$top', '$skip', '$count', '$skiptoken', '$search', '$format']);

export function readQuery(search: string): Query {
  const raw = new URLSearchParams(search);
  for (const k of raw.keys()) {
    if (k.startsWith('$') && !KNOWN.has(k.toLowerCase())) throw bad(`Query option '${k}' is not supported.`);
  }
  const byLower = new Map([...raw.entries()].map(([k, v]) => [k.toLowerCase(), v]));
  return { raw, get: (name) => byLower.get(name.toLowerCase()) };
}

function list(v: string | undefined): string[] {
  return (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** The navigation properties $expand names, checked against the ones this resource has. */
export function expansions(q: Query, entity: string, allowed: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const item of list(q.get('$expand'))) {
    const name = item.split('(')[0]!.trim();
    if (!allowed.includes(name)) throw bad(`Parsing OData Select and Expand failed: Could not find a property named '${name}' on type 'microsoft.graph.identityGovernance.${entity}'.`);
    out.add(name);
  }
  return out;
}

function project(item: Json, select: string[], keep: ReadonlySet<string>): Json {
  if (!select.length) return item;
  const out: Json = {};
  for (const k of Object.keys(item)) if (k.startsWith('@odata.') || select.includes(k) || keep.has(k)) out[k] = item[k];
  return out;
}

function checkSelect(q: Query, entity: string, properties: readonly string[]): string[] {
  const select = list(q.get('$select'));
  for (const s of select) {
    if (!properties.includes(s)) throw bad(`Parsing OData Select and Expand failed: Could not find a property named '${s}' on type 'microsoft.graph.identityGovernance.${entity}'.`);
  }
  return select;
}

export interface CollectionOptions {
  /** Entity type name (for messages), its properties (for $select and $orderby), and the context URL. */
  entity: string;
  properties: readonly string[];
  context: string;
  /** The request URL without its query, for @odata.nextLink. */
  selfUrl: string;
  /** Navigation properties included in items because $expand asked for them. */
  expanded?: ReadonlySet<string>;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).toLowerCase() < String(b).toLowerCase() ? -1 : String(a).toLowerCase() > String(b).toLowerCase() ? 1 : 0;
}

function skipOf(q: Query): number {
  const token = q.get('$skiptoken');
  if (token !== undefined) {
    try {
      const o = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown };
      if (typeof o.o === 'number' && Number.isInteger(o.o) && o.o >= 0) return o.o;
    } catch { /* reported below */ }
    throw bad('The $skiptoken is invalid; use the @odata.nextLink of the previous page as it is.');
  }
  const skip = q.get('$skip');
  if (skip === undefined) return 0;
  const n = Number(skip);
  if (!Number.isInteger(n) || n < 0) throw bad(`Invalid value '${skip}' for $skip; use a whole number of 0 or more.`);
  return n;
}

export function renderCollection(items: Json[], q: Query, o: CollectionOptions): Json {
  let rows = items;
  const filter = q.get('$filter');
  if (filter !== undefined) {
    try {
      const test = compileExpression(parseExpression(filter), { caseInsensitive: true });
      rows = rows.filter((r) => test(r));
    } catch (e) {
      if (e instanceof ExpressionError) throw bad(`Invalid filter clause: ${e.message}`);
      throw e;
    }
  }
  const orderby = q.get('$orderby');
  if (orderby !== undefined) {
    const keys = list(orderby).map((part) => {
      const [prop, dir, extra] = part.split(/\s+/);
      if (!prop || extra || (dir && dir !== 'asc' && dir !== 'desc') || !o.properties.includes(prop)) throw bad(`Invalid $orderby '${part}': use a property of ${o.entity} and optionally asc or desc.`);
      return { prop, desc: dir === 'desc' };
    });
    rows = [...rows].sort((a, b) => {
      for (const k of keys) {
        const c = compare(a[k.prop], b[k.prop]);
        if (c) return k.desc ? -c : c;
      }
      return 0;
    });
  }
  const topRaw = q.get('$top');
  const top = topRaw === undefined ? DEFAULT_PAGE : Number(topRaw);
  if (!Number.isInteger(top) || top < 0 || top > MAX_PAGE) throw bad(`Invalid value '${topRaw}' for $top; use a whole number from 0 to ${MAX_PAGE}.`);
  const countRaw = q.get('$count');
  if (countRaw !== undefined && countRaw !== 'true' && countRaw !== 'false') throw bad(`Invalid value '${countRaw}' for $count; use true or false.`);
  const select = checkSelect(q, o.entity, o.properties);
  const skip = skipOf(q);
  const page = rows.slice(skip, skip + top);
  const out: Json = { '@odata.context': o.context };
  if (countRaw === 'true') out['@odata.count'] = rows.length;
  const next = skip + top;
  if (next < rows.length) {
    // Keys keep their '$' as Graph writes them ($skiptoken=…); values are percent-encoded.
    const params = [...q.raw.entries()].filter(([k]) => !['$skiptoken', '$skip'].includes(k.toLowerCase()));
    params.push(['$skiptoken', Buffer.from(JSON.stringify({ o: next })).toString('base64url')]);
    out['@odata.nextLink'] = `${o.selfUrl}?${params.map(([k, v]) => `${encodeURIComponent(k).replace(/^%24/, '$')}=${encodeURIComponent(v)}`).join('&')}`;
  }
  out.value = page.map((r) => project(r, select, o.expanded ?? new Set()));
  return out;
}

export function renderEntity(item: Json, q: Query, o: Omit<CollectionOptions, 'selfUrl'>): Json {
  const select = checkSelect(q, o.entity, o.properties);
  return { '@odata.context': o.context, ...project(item, select, o.expanded ?? new Set()) };
}

/** Properties per entity type, for $select and $orderby. */
export const PROPERTIES = {
  workflow: ['id', 'category', 'createdDateTime', 'deletedDateTime', 'description', 'displayName', 'executionConditions', 'isEnabled', 'isSchedulingEnabled', 'lastModifiedDateTime', 'nextScheduleRunDateTime', 'quarantineDetails', 'settings', 'version', 'tasks'],
  workflowVersion: ['versionNumber', 'category', 'createdDateTime', 'description', 'displayName', 'executionConditions', 'isEnabled', 'isSchedulingEnabled', 'lastModifiedDateTime', 'settings', 'tasks'],
  task: ['id', 'arguments', 'category', 'continueOnError', 'description', 'displayName', 'executionSequence', 'isEnabled', 'taskDefinitionId'],
  run: ['id', 'activatedOnScope', 'completedDateTime', 'failedTasksCount', 'failedUsersCount', 'lastUpdatedDateTime', 'processingStatus', 'scheduledDateTime', 'startedDateTime', 'successfulUsersCount', 'totalTasksCount', 'totalUnprocessedTasksCount', 'totalUsersCount', 'workflowExecutionType'],
  userProcessingResult: ['id', 'completedDateTime', 'failedTasksCount', 'processingStatus', 'scheduledDateTime', 'startedDateTime', 'totalTasksCount', 'totalUnprocessedTasksCount', 'workflowExecutionType', 'workflowVersion', 'subject'],
  taskProcessingResult: ['id', 'completedDateTime', 'createdDateTime', 'failureReason', 'processingInfo', 'processingStatus', 'startedDateTime', 'subject', 'task'],
  taskReport: ['id', 'completedDateTime', 'failedUsersCount', 'lastUpdatedDateTime', 'processingStatus', 'runId', 'startedDateTime', 'successfulUsersCount', 'totalUsersCount', 'unprocessedUsersCount', 'task', 'taskDefinition'],
  workflowTemplate: ['id', 'category', 'description', 'displayName', 'executionConditions', 'tasks'],
  taskDefinition: ['id', 'category', 'continueOnError', 'description', 'displayName', 'parameters', 'version'],
  customTaskExtension: ['id', 'displayName', 'description', 'endpointConfiguration', 'authenticationConfiguration', 'clientConfiguration', 'callbackConfiguration', 'createdDateTime', 'lastModifiedDateTime'],
  user: ['id', 'displayName', 'userPrincipalName', 'mail'],
} as const;
