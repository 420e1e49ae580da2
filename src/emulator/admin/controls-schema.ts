// Validation of realism controls sent to the control plane, and JSON merge patch (RFC 7396) for
// PATCH: objects merge key by key, null removes a key, arrays and scalars replace.
import { z } from 'zod';
import type { RealismControls } from '../state/model.ts';

const validRegex = (s: string) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
};
const MAX_MS = 600_000;
const ms = z.number().min(0).max(MAX_MS);

const latency = z.strictObject({
  mode: z.enum(['off', 'fixed', 'uniform', 'lognormal']),
  ms: ms.optional(),
  maxMs: ms.optional(),
  p99Ms: ms.optional(),
}).superRefine((l, ctx) => {
  if (l.mode !== 'off' && l.ms === undefined) ctx.addIssue({ code: 'custom', path: ['ms'], message: `latency mode '${l.mode}' needs ms` });
  if (l.mode === 'uniform' && (l.maxMs === undefined || l.ms === undefined || l.maxMs < l.ms)) {
    ctx.addIssue({ code: 'custom', path: ['maxMs'], message: 'uniform latency needs maxMs >= ms' });
  }
  if (l.mode === 'lognormal' && (l.p99Ms === undefined || l.ms === undefined || l.p99Ms <= l.ms)) {
    ctx.addIssue({ code: 'custom', path: ['p99Ms'], message: 'lognormal latency needs p99Ms > ms (the median)' });
  }
});

const budget = z.int().min(1).max(10_000_000).optional();
const throttling = z.strictObject({
  enabled: z.boolean(),
  resourceUnitsPer10s: budget,
  writesPer150s: budget,
  tenantWritesPer5min: budget,
  mailboxConcurrency: z.int().min(1).max(1000).optional(),
  exchangeRequestsPerMailboxPer10min: budget,
});

const fault = z.strictObject({
  rate: z.number().min(0).max(1),
  kind: z.union([z.literal(429), z.literal(500), z.literal(503), z.literal(504), z.literal('reset')]),
  path: z.string().max(500).refine(validRegex, 'not a valid regular expression').optional(),
  method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']).optional(),
  retryAfterSeconds: z.number().min(0).max(3600).optional(),
  surface: z.enum(['graph', 'exchange']).optional(),
  cmdlet: z.string().max(200).refine(validRegex, 'not a valid regular expression').optional(),
});

export const controlsSchema = z.strictObject({
  latency,
  throttling,
  faults: z.array(fault).max(100),
  readAfterCreateDelayMs: z.int().min(0).max(3_600_000),
  randomSeed: z.int().min(-(2 ** 31)).max(2 ** 32).optional(),
});

export type ControlsResult = { ok: true; controls: RealismControls } | { ok: false; message: string };

export function validateControls(value: unknown): ControlsResult {
  const r = controlsSchema.safeParse(value);
  if (r.success) return { ok: true, controls: r.data as RealismControls };
  const message = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`).join('; ');
  return { ok: false, message };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** RFC 7396 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
