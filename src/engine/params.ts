// Parameter resolution, in a fixed order: user input, then conversation or ticket context, then
// tenant defaults, then workflow defaults. (Earlier step outputs bind step inputs at run time.)
// Each value records where it came from, and the card shows it.
import { AppError } from '../core/errors.ts';
import type { WorkflowDefinition, WorkflowParameter } from './definition.ts';
import type { MissingQuestion, ParamSource } from './types.ts';

export interface ResolvedParams {
  values: Record<string, unknown>;
  sources: Record<string, ParamSource>;
  missing: MissingQuestion[];
  errors: AppError[];
}

const emailRe = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
}

export function resolveParams(
  def: WorkflowDefinition,
  input: Record<string, unknown>,
  context: Record<string, unknown>,
  tenantDefaults: Record<string, unknown>,
  domain: string,
): ResolvedParams {
  const values: Record<string, unknown> = {};
  const sources: Record<string, ParamSource> = {};
  const missing: MissingQuestion[] = [];
  const errors: AppError[] = [];
  const known = new Set(def.parameters.map((p) => p.name));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) {
      errors.push(new AppError({
        code: 'unknown_parameter',
        message: `'${def.name}' has no parameter '${key}'.`,
        fix: `Use one of: ${[...known].join(', ') || '(none)'}.`,
        param: key,
        value: input[key],
      }));
    }
  }
  for (const p of def.parameters) {
    const candidates: Array<[ParamSource, unknown]> = [
      ['input', input[p.name]],
      ['context', context[p.name]],
      ['tenant.defaults', tenantDefaults[p.name]],
      ['workflow.default', p.default],
    ];
    const hit = candidates.find(([, v]) => present(v));
    if (!hit) {
      if (p.required) missing.push({ param: p.name, question: questionFor(p) });
      continue;
    }
    const [source, raw] = hit;
    const coerced = coerce(p, raw, domain);
    if (coerced instanceof AppError) {
      errors.push(coerced);
      continue;
    }
    values[p.name] = coerced;
    sources[p.name] = source;
  }
  return { values, sources, missing, errors };
}

export function questionFor(p: WorkflowParameter): string {
  const what = p.description ? p.description.replace(/\.$/, '') : p.name;
  return `${what}?`;
}

/** Coerces text from a CLI or chat into the parameter's type, checking its format. */
export function coerce(p: WorkflowParameter, raw: unknown, domain: string): unknown {
  const bad = (message: string, fix: string) =>
    new AppError({ code: 'invalid_parameter', message: `${message} Value: ${typeof raw === 'string' ? raw : JSON.stringify(raw)}. Fix: ${fix}`, fix, param: p.name, value: raw });
  switch (p.type) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && /^(true|yes|1|on)$/i.test(raw)) return true;
      if (typeof raw === 'string' && /^(false|no|0|off)$/i.test(raw)) return false;
      return bad(`'${p.name}' must be true or false.`, 'Use true or false.');
    }
    case 'integer':
    case 'number': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isFinite(n) || (p.type === 'integer' && !Number.isInteger(n))) return bad(`'${p.name}' must be a${p.type === 'integer' ? 'n integer' : ' number'}.`, 'Give a number.');
      return n;
    }
    case 'string[]': {
      const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [raw];
      const items = list.map((x) => String(x).trim()).filter(Boolean);
      for (const item of items) {
        const err = checkFormat(p, item, domain);
        if (err) return bad(err.message, err.fix);
      }
      return items;
    }
    case 'string': {
      if (typeof raw !== 'string' && typeof raw !== 'number') return bad(`'${p.name}' must be text.`, 'Give a text value.');
      const s = String(raw).trim();
      const err = checkFormat(p, s, domain);
      return err ? bad(err.message, err.fix) : s;
    }
  }
}

function checkFormat(p: WorkflowParameter, s: string, domain: string): { message: string; fix: string } | undefined {
  switch (p.format) {
    case 'email':
    case 'upn':
      return emailRe.test(s) ? undefined : { message: 'Invalid email format.', fix: `provide the full address, ${s.split('@')[0] || 'john.doe'}@${domain}` };
    case 'country':
      return /^[A-Za-z]{2}$/.test(s) ? undefined : { message: 'Invalid usage location.', fix: 'use a two-letter country code such as US, GB or DE' };
    case 'date':
    case 'datetime':
      return Number.isFinite(Date.parse(s)) ? undefined : { message: 'Invalid date.', fix: 'use an ISO 8601 date such as 2026-12-31' };
    default:
      return undefined;
  }
}
