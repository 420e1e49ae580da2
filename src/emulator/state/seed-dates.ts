// Seed files carry absolute dates relative to their `referenceDate`. On load every date-valued
// property is moved by the same number of days, so "leaves in 12 days" stays true whenever the
// emulator starts.
import type { SeedFile } from './model.ts';

const dateKeys = new Set([
  'employeeHireDate', 'employeeLeaveDateTime', 'createdDateTime', 'lastPasswordChangeDateTime',
  'signInSessionsValidFromDateTime', 'deletedDateTime', 'sentDateTime', 'startTime', 'endTime',
]);

export function shiftSeedDates(seed: SeedFile, now: Date): SeedFile {
  if (!seed.referenceDate) return seed;
  const ref = Date.parse(seed.referenceDate + 'T00:00:00Z');
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const delta = today - ref;
  if (!Number.isFinite(ref) || delta === 0) return seed;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (dateKeys.has(k) && typeof x === 'string') {
        const t = Date.parse(x);
        out[k] = Number.isFinite(t) ? new Date(t + delta).toISOString().replace('.000Z', 'Z') : x;
      } else out[k] = walk(x);
    }
    return out;
  };
  return walk(seed) as SeedFile;
}
