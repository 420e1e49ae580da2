// $search on directory objects: `"property:value"` clauses joined by AND / OR (AND binds tighter).
// displayName and description are tokenized (a term matches the start of any word, words split on
// spaces, punctuation and camelCase); other properties match from the start of the value.
import { GraphError } from '../errors.ts';
import type { EntitySpec } from './entities.ts';
import { readProp } from './filter.ts';

export interface SearchClause {
  property: string;
  value: string;
}

/** OR of AND-groups. */
export type SearchQuery = SearchClause[][];

const TOKENIZED = new Set(['displayname', 'description']);

function syntax(raw: string, position: number): GraphError {
  return new GraphError(400, 'BadRequest', `Syntax error: character '${raw[position] ?? ''}' is not valid at position ${position} in '${raw}'.`);
}

export function parseSearch(raw: string, spec: EntitySpec): SearchQuery {
  const groups: SearchQuery = [[]];
  let i = 0;
  let expectClause = true;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === ' ') { i++; continue; }
    if (expectClause) {
      if (c !== '"') throw syntax(raw, i);
      const end = raw.indexOf('"', i + 1);
      if (end < 0) throw syntax(raw, raw.length - 1);
      const body = raw.slice(i + 1, end);
      const colon = body.indexOf(':');
      if (colon <= 0) throw syntax(raw, i + 1 + Math.max(colon, 0));
      const property = body.slice(0, colon).trim();
      if (spec.search && !spec.search.has(property.toLowerCase())) {
        throw new GraphError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${property}' of resource '${spec.resource}'.`);
      }
      groups[groups.length - 1]!.push({ property, value: body.slice(colon + 1).trim() });
      i = end + 1;
      expectClause = false;
      continue;
    }
    const word = /^(AND|OR)\b/i.exec(raw.slice(i));
    if (!word) throw syntax(raw, i);
    if (word[1]!.toUpperCase() === 'OR') groups.push([]);
    i += word[0].length;
    expectClause = true;
  }
  if (expectClause) throw syntax(raw, Math.max(raw.length - 1, 0));
  return groups;
}

function words(s: string): string[] {
  return s
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function clauseMatches(rec: Record<string, unknown>, c: SearchClause): boolean {
  const v = readProp(rec, c.property);
  const values = Array.isArray(v) ? v : [v];
  const needle = c.value.toLowerCase();
  if (!needle) return true;
  if (TOKENIZED.has(c.property.toLowerCase())) {
    const terms = words(c.value);
    return values.some((x) => {
      if (typeof x !== 'string') return false;
      const tokens = words(x);
      return terms.every((t) => tokens.some((w) => w.startsWith(t)));
    });
  }
  return values.some((x) => typeof x === 'string' && x.toLowerCase().replace(/^smtp:/, '').startsWith(needle.replace(/^smtp:/, '')));
}

export function searchMatches(rec: Record<string, unknown>, q: SearchQuery): boolean {
  return q.some((group) => group.every((c) => clauseMatches(rec, c)));
}
