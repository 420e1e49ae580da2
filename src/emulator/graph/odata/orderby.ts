// $orderby: a comma list of `property [asc|desc]`. Strings sort the way the directory sorts them:
// case- and accent-insensitive; missing values last; ties keep a stable order by id.
import { GraphError } from '../errors.ts';
import type { EntitySpec } from './entities.ts';
import { readProp } from './filter.ts';
import { canonicalName, queryErrors, type QueryMode } from './query-rules.ts';

export interface OrderKey {
  property: string;
  desc: boolean;
}

export function parseOrderBy(raw: string): OrderKey[] {
  const keys: OrderKey[] = [];
  for (const part of raw.split(',')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_/]*)(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (!m) {
      throw new GraphError(400, 'BadRequest', `Invalid $orderby clause: Syntax error at position ${raw.indexOf(part) + part.length} in '${raw}'.`);
    }
    keys.push({ property: m[1]!, desc: (m[2] ?? '').toLowerCase() === 'desc' });
  }
  return keys;
}

/** Checks what the directory allows to sort on, alone or next to $filter/$search. */
export function checkOrderBy(keys: OrderKey[], spec: EntitySpec, mode: QueryMode, hasFilter: boolean): OrderKey[] {
  const advanced = mode.eventual && mode.count;
  return keys.map((k) => {
    const property = canonicalName(spec, k.property.split('/')[0]!) + (k.property.includes('/') ? k.property.slice(k.property.indexOf('/')) : '');
    if (spec.directory) {
      if (hasFilter && !advanced) throw queryErrors.sortingNotSupported();
      const level = spec.orderBy ? spec.orderBy.get(property.toLowerCase()) : 'default';
      if (level === undefined || (level === 'advanced' && !advanced)) throw queryErrors.sortingNotSupported();
    }
    return { property, desc: k.desc };
  });
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: false });

/** Sorts items by the keys, reading each item's view once. */
export function sortBy<T>(items: readonly T[], keys: OrderKey[], view: (item: T) => Record<string, unknown>): T[] {
  const rows = items.map((item) => {
    const rec = view(item);
    return { item, values: keys.map((k) => readPath(rec, k.property)), id: String(readProp(rec, 'id') ?? '') };
  });
  rows.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const c = compareForSort(a.values[i], b.values[i]);
      if (c !== 0) return keys[i]!.desc ? -c : c;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return rows.map((r) => r.item);
}

function readPath(rec: unknown, path: string): unknown {
  let v = rec;
  for (const seg of path.split('/')) v = readProp(v, seg);
  return v;
}

function compareForSort(a: unknown, b: unknown): number {
  const an = a === undefined || a === null, bn = b === undefined || b === null;
  if (an || bn) return an && bn ? 0 : an ? 1 : -1;
  if (typeof a === 'string' && typeof b === 'string') {
    const ta = Date.parse(a), tb = Date.parse(b);
    if (/^\d{4}-\d{2}-\d{2}T/.test(a) && /^\d{4}-\d{2}-\d{2}T/.test(b) && Number.isFinite(ta) && Number.isFinite(tb)) return ta - tb;
    return collator.compare(a, b);
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  return collator.compare(String(a), String(b));
}
