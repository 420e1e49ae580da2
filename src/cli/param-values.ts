// Turns `--param key=value` text into the values an action's schema takes. The schema decides:
// "2024" stays text for a subject but is a number for lifetimeInMinutes; "a,b" is a list only
// where a list is accepted ("Hi, there" stays a message; "Finance,VPN Users" is two groups);
// "null" is null (update-user clears a field with it); enum values match in any case, as they
// do in Exchange. A key given twice collects a list.

export interface PropertySchema {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: PropertySchema[];
  items?: PropertySchema;
  default?: unknown;
  description?: string;
}

export interface ObjectSchema {
  properties?: Record<string, PropertySchema>;
  required?: string[];
}

interface Accepts {
  types: Set<string>;
  enums: string[];
}

function accepts(p: PropertySchema | undefined): Accepts {
  const out: Accepts = { types: new Set(), enums: [] };
  const visit = (s: PropertySchema) => {
    for (const t of [s.type ?? []].flat()) out.types.add(t);
    if (s.enum) out.enums.push(...s.enum.map(String));
    for (const a of s.anyOf ?? []) visit(a);
  };
  if (p) visit(p);
  return out;
}

function scalar(text: string, a: Accepts): unknown {
  const t = text.trim();
  if (t === 'null') return null;
  const e = a.enums.find((x) => x.toLowerCase() === t.toLowerCase());
  if (e !== undefined) return e;
  if (a.types.has('boolean') && /^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if ((a.types.has('integer') || a.types.has('number')) && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return text;
}

/** The value of one `key=value`, shaped for the parameter's schema. */
export function coerceValue(text: string, p: PropertySchema | undefined): unknown {
  const a = accepts(p);
  if (!p) return text;
  if (text.trim() === 'null') return null;
  const list = a.types.has('array');
  const single = [...a.types].some((t) => t !== 'array' && t !== 'null') || a.enums.length > 0;
  if (list && (!single || text.includes(','))) {
    const item = accepts(p.items ?? p.anyOf?.find((x) => x.items)?.items);
    return text.split(',').map((x) => x.trim()).filter(Boolean).map((x) => scalar(x, item));
  }
  return scalar(text, a);
}

export type ParsedParams = { ok: true; raw: Record<string, unknown> } | { ok: false; error: string };

export function parseParamArgs(pairs: readonly string[], schema: ObjectSchema): ParsedParams {
  const raw: Record<string, unknown> = {};
  for (const kv of pairs) {
    const i = kv.indexOf('=');
    if (i <= 0) return { ok: false, error: `--param expects key=value, not '${kv}'.` };
    const key = kv.slice(0, i).trim();
    const p = schema.properties?.[key];
    const value = coerceValue(kv.slice(i + 1), p);
    if (!(key in raw)) {
      raw[key] = value;
      continue;
    }
    if (!accepts(p).types.has('array')) return { ok: false, error: `--param ${key} is given twice; it takes one value.` };
    raw[key] = [raw[key], value].flat();
  }
  return { ok: true, raw };
}
