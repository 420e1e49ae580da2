// The short form of the crash test (the long one is `npm run test:crash`): about ten offboarding
// runs executed by worker processes that are SIGKILLed about ten times in the middle of them. Every
// run must end Completed, no effect may be made twice, and every leaver must end offboarded. The
// resume time is printed, not asserted: the long form holds the 10 s bound with default leases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { DEFAULT_DATABASE_URL, runCrashTest, summarise } from './crash-harness.ts';

const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

async function reachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

const skip = (await reachable()) ? false : `no PostgreSQL at ${databaseUrl}: the crash test runs workers against a real server`;

test('runs survive workers killed with SIGKILL at random moments', { skip }, async (t) => {
  const report = await runCrashTest({
    databaseUrl, kills: 10, runs: 10, runsPerRound: 10, workers: 3,
    // Short leases so ten kills fit in seconds; the long form keeps the product's default.
    leaseMs: 2000, latencyMs: 30, killGapMs: [50, 500],
    log: (l) => t.diagnostic(l),
  });
  for (const line of summarise(report).split('\n')) t.diagnostic(line);
  assert.ok(report.kills >= 10, `${report.kills} kills were delivered`);
  assert.ok(report.killRecords.every((k) => k.runs.length > 0), 'every kill hit a worker in the middle of a run');
  assert.ok(report.runs >= 10);
  assert.deepEqual(report.notCompleted, [], 'every run reached Completed');
  assert.deepEqual(report.problems, [], 'no effect was made twice and every leaver is offboarded');
  assert.deepEqual(report.crashes, [], 'no worker died other than by our hand');
  assert.ok(report.killRecords.every((k) => k.resumeMs.every(Number.isFinite)), 'every interrupted run resumed');
});
