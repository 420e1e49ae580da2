// Renders a collection the way Graph does: $filter, $search, $orderby, $select, $top, $count and
// @odata.nextLink with an opaque $skiptoken. The skiptoken is an offset into the filtered, ordered
// list; that list is kept per (tenant version, path, query) so paging through thousands of users
// filters and sorts once, not once per page.
import { GraphError } from './errors.ts';
import type { EmuResponse, GraphContext } from './route.ts';
import { openSpec, specFor, type EntitySpec } from './odata/entities.ts';
import { compileFilter, FilterSyntaxError, type CompiledFilter } from './odata/filter.ts';
import { checkOrderBy, parseOrderBy, sortBy, type OrderKey } from './odata/orderby.ts';
import { canonicalName, checkFilter, queryErrors, queryMode, type QueryMode } from './odata/query-rules.ts';
import { parseSearch, searchMatches, type SearchQuery } from './odata/search.ts';
import { pagedList } from './odata/result-cache.ts';

export interface CollectionQuery<T> {
  /** Which entity's query rules apply: 'user', 'group', 'directoryObject', or any other name (no rules). */
  entity: 'user' | 'group' | 'directoryObject' | (string & {});
  /** The record $filter/$orderby/$search read; defaults to the serialized item. */
  toFilterable?: (item: T) => Record<string, unknown>;
}

export interface CollectionOptions<T> {
  /** `@odata.context` suffix after `$metadata#`, e.g. `users`. */
  context: string;
  /** Turns a stored object into its Graph JSON (before $select). */
  serialize: (item: T) => Record<string, unknown>;
  /** Default page size (Graph: 100 for users and groups). */
  defaultTop?: number;
  maxTop?: number;
  /** Query support. Without it $filter/$orderby/$search still work over the serialized items, with no directory rules. */
  query?: CollectionQuery<T>;
}

interface PreparedQuery<T> {
  spec: EntitySpec;
  mode: QueryMode;
  filter: CompiledFilter | undefined;
  search: SearchQuery | undefined;
  order: OrderKey[] | undefined;
  view: (item: T) => Record<string, unknown>;
}

function prepare<T>(ctx: GraphContext, opts: { serialize: (item: T) => Record<string, unknown>; query?: CollectionQuery<T> }, countSegment: boolean): PreparedQuery<T> {
  const spec = opts.query ? specFor(opts.query.entity) : openSpec('entity', false);
  const mode = queryMode(ctx.headers, ctx.query);
  if (countSegment && spec.directory && !mode.eventual) throw queryErrors.countSegmentNeedsHeader();
  // The $count segment is itself the count; the advanced rules then need only the header.
  const ruleMode: QueryMode = countSegment ? { eventual: mode.eventual, count: true } : mode;
  if (spec.directory && ctx.query.$skip !== undefined) throw new GraphError(400, 'Request_BadRequest', "'$skip' is not supported by the service.");
  let filter: CompiledFilter | undefined;
  const rawFilter = ctx.query.$filter;
  if (rawFilter !== undefined) {
    try {
      filter = compileFilter(rawFilter);
    } catch (e) {
      if (e instanceof FilterSyntaxError) throw new GraphError(400, 'BadRequest', `Invalid filter clause: ${e.message}`);
      throw e;
    }
    checkFilter(filter.ast, spec, ruleMode);
  }
  let search: SearchQuery | undefined;
  if (ctx.query.$search !== undefined) {
    if (spec.directory && !mode.eventual) throw queryErrors.searchNeedsHeader();
    search = parseSearch(ctx.query.$search, spec);
  }
  let order: OrderKey[] | undefined;
  if (ctx.query.$orderby !== undefined && !countSegment) {
    order = checkOrderBy(parseOrderBy(ctx.query.$orderby), spec, ruleMode, filter !== undefined);
  }
  const view = opts.query?.toFilterable ?? opts.serialize;
  return { spec, mode, filter, search, order, view };
}

/** The items the query selects, in order; cached for the pages after the first. */
function select<T>(ctx: GraphContext, items: readonly T[], q: PreparedQuery<T>, paging: boolean): readonly T[] {
  if (!q.filter && !q.search && !q.order) return items;
  const key = [ctx.path, q.filter?.text ?? '', q.search ? ctx.query.$search : '', q.order ? ctx.query.$orderby : ''].join('\n');
  return pagedList(ctx.tenant, key, paging, () => {
    let list: readonly T[] = items;
    if (q.filter || q.search) {
      const f = q.filter, s = q.search;
      list = items.filter((item) => {
        const rec = q.view(item);
        return (!f || f.test(rec)) && (!s || searchMatches(rec, s));
      });
    }
    if (q.order) list = sortBy(list, q.order, q.view);
    return list;
  });
}

export function collectionResponse<T>(ctx: GraphContext, items: readonly T[], opts: CollectionOptions<T>): EmuResponse {
  const top = parseTop(ctx.query.$top, opts.defaultTop ?? 100, opts.maxTop ?? 999);
  const q = prepare(ctx, opts, false);
  const selectList = parseSelect(ctx.query.$select);
  const selected = selectList && q.spec.properties ? selectList.map((s) => canonicalName(q.spec, s)) : selectList;
  const offset = ctx.query.$skiptoken === undefined ? 0 : skipTokenOffset(ctx.query.$skiptoken);
  const list = select(ctx, items, q, offset > 0);
  const page = list.slice(offset, offset + top);
  const project = selector(selected, expandedNames(ctx.query.$expand), !q.spec.directory);
  const value = page.map((i) => project(opts.serialize(i)));
  const contextSuffix = selected ? `${opts.context}(${selected.join(',')})` : opts.context;
  const body: Record<string, unknown> = { '@odata.context': `${ctx.baseUrl}/$metadata#${contextSuffix}` };
  const wantsCount = q.mode.count && (!q.spec.directory || q.mode.eventual);
  if (wantsCount) body['@odata.count'] = list.length;
  if (offset + top < list.length) {
    // Graph writes the option names plainly ($top, $skiptoken) and percent-encodes the values.
    const params = Object.entries(ctx.query).filter(([k]) => k !== '$skiptoken').map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
    params.push(`$skiptoken=${encodeSkipToken(offset + top)}`);
    body['@odata.nextLink'] = `${ctx.baseUrl}${ctx.path}?${params.join('&')}`;
  }
  body.value = value;
  return { status: 200, body };
}

/** `GET …/$count`: the number of matching items as text/plain (needs ConsistencyLevel: eventual on directory objects). */
export function countResponse<T>(ctx: GraphContext, items: readonly T[], opts: { serialize: (item: T) => Record<string, unknown>; query?: CollectionQuery<T> }): EmuResponse {
  const q = prepare(ctx, opts, true);
  const list = select(ctx, items, q, false);
  return { status: 200, body: list.length, headers: { 'content-type': 'text/plain;charset=utf-8' } };
}

/** `$top`: 1..max; anything else is the error Graph gives. */
export function parseTop(raw: string | undefined, dflt: number, max: number): number {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isInteger(n) || n < 1 || n > max) {
    throw new GraphError(400, 'Request_BadRequest', `Invalid page size specified: '${raw}'. Must be between 1 and ${max} inclusive.`);
  }
  return n;
}

export function encodeSkipToken(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeSkipToken(token: string | undefined): number {
  if (!token) return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  return m ? Number(m[1]) : 0;
}

/** Like decodeSkipToken, but a token this service did not issue is a client error, not page one again. */
function skipTokenOffset(token: string): number {
  const m = /^o:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  if (!m) throw new GraphError(400, 'Request_BadRequest', 'The specified page token value has expired and can no longer be included in your request.');
  return Number(m[1]);
}

export function parseSelect(raw: string | undefined): string[] | undefined {
  if (!raw) return undefined;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Navigation properties named in $expand (`manager($select=id)` → `manager`). */
export function expandedNames(raw: string | undefined): string[] {
  if (!raw) return [];
  const out: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i <= raw.length; i++) {
    const c = raw[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if ((c === ',' && depth === 0) || i === raw.length) {
      const name = raw.slice(start, i).split('(')[0]!.trim();
      if (name) out.push(name);
      start = i + 1;
    }
  }
  return out;
}

/**
 * Projects an object onto $select. Directory objects return exactly what was selected; other
 * resources (Outlook, Teams) always carry their id. Expanded navigation properties stay.
 */
export function applySelect(obj: Record<string, unknown>, select: string[] | undefined, keep: readonly string[] = [], addId = true): Record<string, unknown> {
  return selector(select, keep, addId)(obj);
}

/** The key of obj a name means: itself when spelt as Graph spells it (the usual case), else any case. */
function keyOf(obj: Record<string, unknown>, name: string, lower: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  for (const k in obj) if (k.toLowerCase() === lower) return k;
  return undefined;
}

/**
 * applySelect prepared once per request: the names are lower-cased once, and a selected name
 * already spelt as the object spells it is found without scanning the object's keys.
 */
export function selector(select: string[] | undefined, keep: readonly string[] = [], addId = true): (obj: Record<string, unknown>) => Record<string, unknown> {
  if (!select) return (obj) => obj;
  const wanted = select.map((name) => ({ name, lower: name.toLowerCase() }));
  const kept = keep.map((name) => ({ name, lower: name.toLowerCase() }));
  const withId = addId && !wanted.some((w) => w.lower === 'id');
  return (obj) => {
    const out: Record<string, unknown> = {};
    if ('@odata.type' in obj) out['@odata.type'] = obj['@odata.type'];
    for (const w of wanted) {
      const key = keyOf(obj, w.name, w.lower);
      out[key ?? w.name] = key ? obj[key] : null;
    }
    if (withId && 'id' in obj) out.id = obj.id;
    for (const k of kept) {
      const key = keyOf(obj, k.name, k.lower);
      if (key) out[key] = obj[key];
    }
    return out;
  };
}
