// PowerShell-style parameter binding for InvokeCommand: names match case-insensitively, unknown
// names are refused with PowerShell's message, and values are converted to the parameter's kind.
import { commonParameters, type BoundParams, type CmdletDef, type MultiValuedChange, type ParamKind } from './cmdlet.ts';
import { exchangeErrors } from './errors.ts';

export function bindParameters(def: CmdletDef, raw: Record<string, unknown>): BoundParams {
  const out: BoundParams = {};
  const byLower = new Map<string, [string, ParamKind]>();
  for (const [name, kind] of Object.entries(commonParameters)) byLower.set(name.toLowerCase(), [name, kind]);
  for (const [name, kind] of Object.entries(def.parameters)) byLower.set(name.toLowerCase(), [name, kind]);
  for (const [given, value] of Object.entries(raw)) {
    const hit = byLower.get(given.toLowerCase());
    if (!hit) throw exchangeErrors.unknownParameter(given);
    const [name, kind] = hit;
    if (kind === 'any') continue;
    out[name] = convert(name, kind, value);
  }
  const missing = (def.required ?? []).filter((r) => out[r] === undefined || out[r] === null);
  if (missing.length) throw exchangeErrors.missingParameters(missing);
  return out;
}

function convert(name: string, kind: Exclude<ParamKind, 'any'>, v: unknown): BoundParams[string] {
  switch (kind) {
    case 'string':
      if (v === null) return null;
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      throw exchangeErrors.conversion(name, v, 'System.String');
    case 'bool':
      return toBool(name, v);
    case 'strings':
      if (v === null) return null;
      if (typeof v === 'string') return [v];
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
      throw exchangeErrors.conversion(name, v, 'System.String[]');
    case 'date': {
      if (v === null) return null;
      const d = typeof v === 'string' || typeof v === 'number' ? new Date(v) : undefined;
      if (!d || Number.isNaN(d.getTime())) throw exchangeErrors.conversion(name, v, 'System.DateTime');
      return d.toISOString();
    }
    case 'resultSize':
      if (typeof v === 'string' && v.toLowerCase() === 'unlimited') return 'Unlimited';
      if ((typeof v === 'number' || typeof v === 'string') && /^\d+$/.test(String(v)) && Number(v) > 0) return Number(v);
      throw exchangeErrors.conversion(name, v, 'Microsoft.Exchange.Data.Unlimited`1[System.UInt32]',
        `The value "${String(v)}" isn't valid. Valid values are "Unlimited" or a positive integer.`);
    case 'multiValued':
      return toMultiValued(name, v);
  }
}

function toBool(name: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === '$true' || s === '1') return true;
    if (s === 'false' || s === '$false' || s === '0') return false;
  }
  throw exchangeErrors.conversion(name, v, 'System.Boolean',
    'Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.');
}

function strings(name: string, v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw exchangeErrors.conversion(name, v, 'Microsoft.Exchange.Data.MultiValuedProperty`1[System.String]');
}

/** A multi-valued property: a value or list replaces it; a GenericHashTable adds or removes entries. */
function toMultiValued(name: string, v: unknown): MultiValuedChange {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const change: MultiValuedChange = {};
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      const key = k.toLowerCase();
      if (key === '@odata.type') continue;
      if (key === 'add') change.add = strings(name, val);
      else if (key === 'remove') change.remove = strings(name, val);
      else throw exchangeErrors.conversion(name, v, 'Microsoft.Exchange.Data.MultiValuedProperty`1[System.Object]',
        `The hash table key '${k}' isn't valid. Valid keys are "Add" and "Remove".`);
    }
    return change;
  }
  return { replace: strings(name, v) };
}

/** Matches an enum value case-insensitively, returning its canonical spelling. */
export function enumValue<T extends string>(name: string, v: unknown, type: string, allowed: readonly T[]): T {
  const hit = typeof v === 'string' ? allowed.find((a) => a.toLowerCase() === v.trim().toLowerCase()) : undefined;
  if (!hit) throw exchangeErrors.badEnum(name, v, type, allowed);
  return hit;
}
