// Type checking of step inputs against each action's JSON Schema (GET /api/actions), in the browser,
// so the designer can flag a wrong value as it is typed. The server's lint is the authority; this
// gives the same answer sooner for literal values and for inputs bound to a whole parameter.
import type { JsonSchema } from '../../lib/types.ts';
import type { ParamType } from '../../lib/design-api.ts';

export type Schema = Omit<JsonSchema, 'anyOf' | 'items' | 'properties'> & {
  anyOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
};

const WHOLE = /^\{\{\s*([^}]+?)\s*\}\}$/;
const ANY_REF = /\{\{[^}]*\}\}/;

export function hasReference(v: unknown): boolean {
  if (typeof v === 'string') return ANY_REF.test(v);
  if (Array.isArray(v)) return v.some(hasReference);
  if (v && typeof v === 'object') return Object.values(v).some(hasReference);
  return false;
}

/** The single path of a value that is exactly one expression, e.g. "params.user". */
export function wholeReference(v: unknown): string | undefined {
  return typeof v === 'string' ? WHOLE.exec(v.trim())?.[1] : undefined;
}

function typesOf(s: Schema): string[] {
  if (s.anyOf) return s.anyOf.flatMap((x) => typesOf(x));
  if (s.enum) return [...new Set(s.enum.map((e) => (Array.isArray(e) ? 'array' : typeof e)))];
  if (s.type === undefined) return ['any'];
  return Array.isArray(s.type) ? s.type : [s.type];
}

/** "a string", "true or false", "a list of strings", "one of All, Known, None". */
export function describeSchema(s: Schema): string {
  if (s.enum) return `one of ${s.enum.map(String).join(', ')}`;
  if (s.anyOf) return s.anyOf.map((x) => describeSchema(x)).join(' or ');
  const t = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (t) {
    case 'string': return 'text';
    case 'boolean': return 'true or false';
    case 'integer': return 'a whole number';
    case 'number': return 'a number';
    case 'array': return `a list of ${s.items ? describeSchema(s.items).replace(/^text$/, 'texts') : 'values'}`;
    case 'object': return 'an object';
    default: return 'a value';
  }
}

/** Why a literal value does not fit the schema, or null when it does. */
export function checkValue(value: unknown, s: Schema): string | null {
  if (s.anyOf) {
    const errs = s.anyOf.map((x) => checkValue(value, x));
    return errs.some((e) => e === null) ? null : `Expects ${describeSchema(s)}.`;
  }
  if (s.enum && !s.enum.some((e) => e === value)) return `Expects ${describeSchema(s)}; got ${JSON.stringify(value)}.`;
  const types = typesOf(s);
  const t = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  const fits = types.includes('any') || types.includes(t) || (t === 'number' && types.includes('integer') && Number.isInteger(value));
  if (!fits) return `Expects ${describeSchema(s)}; got ${t === 'string' ? 'text' : t}.`;
  if (typeof value === 'number' && types.includes('integer') && !types.includes('number') && !Number.isInteger(value)) return 'Expects a whole number.';
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.trim().length < s.minLength) return 'Must not be empty.';
    if (s.maxLength !== undefined && value.length > s.maxLength) return `At most ${s.maxLength} characters (this has ${value.length}).`;
    if (s.pattern) {
      let re: RegExp | undefined;
      try { re = new RegExp(s.pattern); } catch { re = undefined; }
      if (re && !re.test(value)) return /@/.test(s.pattern) ? 'Expects an email address or user principal name, e.g. jane.doe@contoso.com.' : `Does not match the expected form (${s.pattern}).`;
    }
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) return `At least ${s.minimum}.`;
    if (s.maximum !== undefined && value > s.maximum) return `At most ${s.maximum}.`;
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) return `At least ${s.minItems} item${s.minItems === 1 ? '' : 's'}.`;
    if (s.maxItems !== undefined && value.length > s.maxItems) return `At most ${s.maxItems} items.`;
    if (s.items) {
      for (const [i, item] of value.entries()) {
        const e = checkValue(item, s.items);
        if (e) return `Item ${i + 1}: ${e}`;
      }
    }
  }
  return null;
}

/** Whether a parameter of this type can feed the input (the schema accepts some value of it). */
export function acceptsParamType(s: Schema, type: ParamType): boolean {
  const types = typesOf(s);
  if (types.includes('any')) return true;
  switch (type) {
    case 'string': return types.includes('string');
    case 'boolean': return types.includes('boolean');
    case 'integer': return types.includes('integer') || types.includes('number');
    case 'number': return types.includes('number');
    case 'string[]': return types.includes('array');
    default: return true;
  }
}

/**
 * Turns what was typed into an input box into the value stored in the definition: bindings stay
 * text; otherwise booleans, numbers and lists are read as the schema wants them.
 */
export function parseInputText(text: string, s: Schema | undefined): unknown {
  const t = text.trim();
  if (hasReference(t) && !t.startsWith('[')) return text;
  const types = s ? typesOf(s) : ['string'];
  if (t.startsWith('[') || t.startsWith('{')) {
    try { return JSON.parse(t); } catch { return text; }
  }
  if (types.includes('boolean') && /^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if ((types.includes('integer') || types.includes('number')) && !types.includes('string') && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (types.includes('array') && !types.includes('string')) return t.split(',').map((x) => x.trim()).filter(Boolean);
  return text;
}

/** The inverse of parseInputText: how a stored value reads in an input box. */
export function formatInputValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  return JSON.stringify(v);
}
