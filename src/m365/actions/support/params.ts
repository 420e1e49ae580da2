// Checks raw parameters against an action's schema. Every problem becomes an AppError naming the
// parameter, the error, the value and the fix; a missing required value is reported separately so
// the chat can ask for it rather than fail. One error per parameter: the first thing wrong with a
// value is what the person fixes, and zod can report one mistake several ways.
import type { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import type { MissingParam } from '../action.ts';
import { closestMatches } from './closest.ts';
import { fixFor } from './schemas.ts';

export type ParamCheck<T> =
  | { ok: true; params: T }
  | { ok: false; errors: AppError[]; missing: MissingParam[] };

type Issue = z.core.$ZodIssue;

export function checkParams<S extends z.ZodType>(schema: S, raw: unknown, domain: string): ParamCheck<z.infer<S>> {
  const res = schema.safeParse(raw ?? {});
  if (res.success) return { ok: true, params: res.data };
  const errors: AppError[] = [];
  const missing: MissingParam[] = [];
  const seen = new Set<string>();
  const input = (raw ?? {}) as Record<string, unknown>;
  for (const issue of res.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys((schema as { shape?: Record<string, unknown> }).shape ?? {});
      for (const key of issue.keys) {
        const near = closestMatches(key, known, 1)[0];
        errors.push(new AppError({
          code: 'unknown_parameter',
          message: `Unknown parameter '${key}'.${near ? ` Did you mean '${near}'?` : ''}`,
          fix: near ? `Use '${near}'.` : `This action takes: ${known.join(', ')}.`,
          param: key,
          value: input[key],
        }));
      }
      continue;
    }
    const param = String(issue.path[0] ?? '');
    if (seen.has(param)) continue;
    seen.add(param);
    const whole = param ? input[param] : raw;
    if (whole === undefined && issue.code === 'invalid_type') {
      missing.push({ param, question: `What is the ${humanName(param)}?` });
      continue;
    }
    // For a bad element of a list, show and fix the element, not the whole list.
    const value = issue.path.length > 1 ? valueAt(input, issue.path) : whole;
    const problem = describe(issue);
    // A wrong type is fixed by the right type; a malformed value by the parameter's own advice.
    const fix = issue.code === 'invalid_type' ? genericFix(issue, value) ?? fixFor(param, value, domain) : fixFor(param, value, domain) ?? genericFix(issue, value);
    errors.push(new AppError({
      code: 'invalid_parameter',
      message: `${problem} Value: ${shown(value)}.${fix ? ` Fix: ${fix}` : ''}`,
      ...(fix ? { fix } : {}),
      param,
      value,
    }));
  }
  return { ok: false, errors, missing };
}

function valueAt(input: Record<string, unknown>, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function shown(v: unknown): string {
  if (typeof v === 'string') return v === '' ? '(empty)' : v;
  return v === undefined ? '(none)' : JSON.stringify(v);
}

/** zod's own wording ("Too small: expected number to be >=10") is for developers. */
const ZOD_DEFAULT = /^(Too (small|big):|Invalid (input|option|string|ISO|element|key|union)\b|Invalid$)/;

function ensurePeriod(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

const typeNames: Record<string, string> = {
  string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'an object',
};

function describe(issue: Issue): string {
  if (!ZOD_DEFAULT.test(issue.message)) return ensurePeriod(issue.message);
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'A value is required.' : `Too short: at least ${issue.minimum} characters.`;
      if (issue.origin === 'array') return `Too few: at least ${issue.minimum} ${Number(issue.minimum) === 1 ? 'item' : 'items'}.`;
      return `Must be at least ${issue.minimum}.`;
    case 'too_big':
      if (issue.origin === 'string') return `Too long: at most ${issue.maximum} characters.`;
      if (issue.origin === 'array') return `Too many: at most ${issue.maximum} items.`;
      return `Must be at most ${issue.maximum}.`;
    case 'invalid_value':
      return `Must be one of ${issue.values.map(String).join(', ')}.`;
    case 'invalid_type':
      return `Expected ${typeNames[issue.expected] ?? issue.expected}.`;
    case 'invalid_format':
      return issue.format === 'datetime' ? 'Invalid date and time.' : issue.format === 'date' ? 'Invalid date.' : `Invalid ${issue.format}.`;
    case 'invalid_union':
      return 'Invalid value.';
    default:
      return ensurePeriod(issue.message);
  }
}

function genericFix(issue: Issue, value: unknown): string | undefined {
  switch (issue.code) {
    case 'invalid_value':
      return `Use one of: ${issue.values.map(String).join(', ')}.`;
    case 'too_small':
      return issue.origin === 'number' || issue.origin === 'bigint' ? `Use ${issue.minimum} or more.` : undefined;
    case 'too_big':
      if (issue.origin === 'string') return `Shorten it to ${issue.maximum} characters or fewer.`;
      if (issue.origin === 'array') return `Give at most ${issue.maximum}, or run the action more than once.`;
      return `Use ${issue.maximum} or less.`;
    case 'invalid_type':
      if (issue.expected === 'boolean') return 'Use true or false.';
      if (issue.expected === 'int') return 'Use a whole number.';
      if (issue.expected === 'number') return 'Use a number.';
      if (issue.expected === 'array' && value !== null && value !== undefined) return `Give a list, e.g. ${JSON.stringify([value])}.`;
      return undefined;
    case 'invalid_format':
      return issue.format === 'datetime' ? 'Use an ISO 8601 date and time in UTC, e.g. 2026-03-31T17:00:00Z.' : undefined;
    default:
      return undefined;
  }
}

export function humanName(param: string): string {
  const names: Record<string, string> = {
    user: 'user (their email address)', sku: 'licence', fromSku: 'licence to remove', toSku: 'licence to assign',
    group: 'group', name: 'group name', forwardTo: 'address to forward to', message: 'message', delegate: 'delegate (their email address)',
    accessRights: 'access right (FullAccess or SendOnBehalf)', displayName: 'display name', usageLocation: 'usage location (country code)',
  };
  return names[param] ?? param.replace(/([A-Z])/g, ' $1').toLowerCase();
}
