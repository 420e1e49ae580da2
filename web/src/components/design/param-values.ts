// Values for a workflow's parameters typed into a form (the test run): what each field says about
// its parameter, and the typed values sent to the API. A field left empty sends nothing, so the
// server applies the tenant or workflow default, or asks for a required value as a card would.
import type { DefParameter } from '../../lib/design-api.ts';
import type { ErrorBody, Question } from '../../lib/types.ts';

const typeWords: Record<DefParameter['type'], string> = {
  string: 'Text',
  boolean: 'Yes or no',
  integer: 'A whole number',
  number: 'A number',
  'string[]': 'A list, separated by commas',
};

const formatWords: Partial<Record<NonNullable<DefParameter['format']>, string>> = {
  email: 'an email address',
  upn: 'a user principal name, e.g. jane.doe@contoso.com',
  sku: 'a licence SKU',
  group: 'a group name or id',
  date: 'a date, e.g. 2026-12-31',
  datetime: 'a date and time, e.g. 2026-12-31T09:00:00Z',
  country: 'a two-letter country code',
};

export function showDefault(p: DefParameter): string {
  if (p.default === undefined || p.default === null) return '';
  if (p.type === 'boolean') return p.default ? 'yes' : 'no';
  return Array.isArray(p.default) ? p.default.join(', ') : String(p.default);
}

/** The hint under a field: the description, then the type (and format), then the default. */
export function paramHint(p: DefParameter): string {
  const type = p.format && formatWords[p.format] ? `${typeWords[p.type]}: ${formatWords[p.format]}` : typeWords[p.type];
  const def = showDefault(p);
  return [p.description.trim().replace(/\.$/, ''), type, def ? `Default: ${def}` : p.required ? 'Required' : 'Optional']
    .filter(Boolean).join('. ') + '.';
}

export interface ParsedValues {
  params: Record<string, unknown>;
  /** Parameter → why its text is not a value of its type. */
  invalid: Record<string, string>;
}

/** The typed parameters from the texts typed (booleans as 'true' / 'false' / '' for not set). */
export function parseValues(parameters: readonly DefParameter[], texts: Record<string, string>): ParsedValues {
  const params: Record<string, unknown> = {};
  const invalid: Record<string, string> = {};
  for (const p of parameters) {
    const text = (texts[p.name] ?? '').trim();
    if (!text) continue;
    switch (p.type) {
      case 'boolean':
        params[p.name] = text === 'true';
        break;
      case 'integer':
      case 'number': {
        const n = Number(text);
        if (!Number.isFinite(n) || (p.type === 'integer' && !Number.isInteger(n))) invalid[p.name] = `${typeWords[p.type]} is expected here.`;
        else params[p.name] = n;
        break;
      }
      case 'string[]': {
        const items = text.split(/[,\n]/).map((x) => x.trim()).filter(Boolean);
        if (items.length) params[p.name] = items;
        break;
      }
      case 'string':
        params[p.name] = text;
        break;
    }
  }
  return { params, invalid };
}

/** What the answer says about each field: a missing value's question, or an error's message. */
export function fieldMessages(parameters: readonly DefParameter[], missing: readonly Question[], errors: readonly ErrorBody[]): Record<string, string> {
  const names = new Set(parameters.map((p) => p.name));
  const out: Record<string, string> = {};
  for (const m of missing) if (names.has(m.param)) out[m.param] = `Still needed: ${m.question}`;
  for (const e of errors) if (e.param && names.has(e.param) && !out[e.param]) out[e.param] = e.message;
  return out;
}
