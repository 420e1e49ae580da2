// `npm run test:crash`: the long crash test of issue 4. At least 200 SIGKILLs of worker processes
// in the middle of offboarding runs, against the real PostgreSQL (DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/test). It fails unless every run ends Completed, no effect is
// made twice, every leaver ends offboarded, and every interrupted run resumes within 10 s.
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL, runCrashTest, summarise } from '../test/engine/crash-harness.ts';

const RESUME_BOUND_MS = 10_000;

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '200' },
    runs: { type: 'string', default: '300' },
    'runs-per-round': { type: 'string', default: '30' },
    workers: { type: 'string', default: '3' },
    'lease-ms': { type: 'string' },
    'latency-ms': { type: 'string', default: '15' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});
if (values.help) {
  console.log('Usage: npm run test:crash -- [--kills 200] [--runs 300] [--runs-per-round 30] [--workers 3] [--lease-ms N] [--latency-ms 15]');
  process.exit(0);
}
const int = (name: keyof typeof values): number | undefined => {
  const raw = values[name];
  if (raw === undefined || typeof raw === 'boolean') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not '${raw}'.`);
  return n;
};

const started = Date.now();
const report = await runCrashTest({
  databaseUrl: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
  kills: int('kills')!,
  runs: int('runs')!,
  runsPerRound: int('runs-per-round')!,
  workers: int('workers')!,
  ...(int('lease-ms') !== undefined ? { leaseMs: int('lease-ms')! } : {}),
  latencyMs: int('latency-ms')!,
  killGapMs: [100, 900],
  log: (l) => console.log(l),
});

console.log(summarise(report));
for (const line of [...report.notCompleted, ...report.problems, ...report.crashes].slice(0, 40)) console.log(`  ${line}`);
const failures: string[] = [];
if (report.kills < int('kills')!) failures.push(`only ${report.kills} kills were delivered`);
if (report.notCompleted.length) failures.push(`${report.notCompleted.length} runs did not end Completed`);
if (report.problems.length) failures.push(`${report.problems.length} problems in the emulator (duplicated effects or wrong end state)`);
if (report.crashes.length) failures.push(`${report.crashes.length} workers exited on their own`);
if (!(report.resumeMaxMs <= RESUME_BOUND_MS)) failures.push(`a run waited ${(report.resumeMaxMs / 1000).toFixed(2)} s to resume (bound ${RESUME_BOUND_MS / 1000} s)`);
console.log(JSON.stringify({ runs: report.runs, kills: report.kills, resumeMaxSeconds: Number((report.resumeMaxMs / 1000).toFixed(2)), resumeP50Seconds: Number((report.resumeP50Ms / 1000).toFixed(2)), seconds: Math.round((Date.now() - started) / 1000), ok: failures.length === 0 }));
if (failures.length) {
  console.error(`CRASH TEST FAILED: ${failures.join('; ')}`);
  process.exitCode = 1;
}
