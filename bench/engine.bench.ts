// The engine's cost, against the real PostgreSQL (DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/test) in a fresh schema, next to bare pg-boss on the same
// database as the baseline:
//   - overhead per step: a 3-step workflow of a no-op action, one run at a time; each step's time
//     from the previous checkpoint to its own Completed checkpoint (the action itself does nothing);
//   - runs per second: many 3-step runs proposed, approved and executed concurrently;
//   - pg-boss jobs per second: send, work and complete of empty jobs at the same concurrency.
// Options: --runs N (throughput phase), --steps-runs N (overhead phase), --concurrency C.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { z } from 'zod';
import { silentLogger } from '../src/core/logger.ts';
import { SecretBox } from '../src/core/secret-box.ts';
import type { WorkflowDefinition } from '../src/engine/definition.ts';
import type { EngineEvent } from '../src/engine/events.ts';
import { createRun } from '../src/engine/planner.ts';
import { isTerminalRun } from '../src/engine/run-state.ts';
import { bossSchemaOf } from '../src/jobs/boss.ts';
import { defineAction, type ActionDefinition } from '../src/m365/actions/action.ts';
import { demoTenants } from '../src/m365/demo-tenants.ts';
import { TenantRegistry } from '../src/m365/tenant-registry.ts';
import { startRuntime, type Runtime } from '../src/server/runtime.ts';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const ACTOR = '00000000-0000-4000-8000-0000000be4c7';

const noop = defineAction({
  id: 'bench-noop', title: 'No-op', description: 'Does nothing; measures the engine around it.', category: 'account',
  params: z.strictObject({ n: z.number().int().optional() }),
  secrets: [],
  permissions: { graph: [], exchange: false },
  validate: async () => ({ errors: [], missing: [], warnings: [] }),
  preview: async () => ({ calls: [], changes: [], skipped: [], alreadyDone: false, warnings: [] }),
  execute: async (_ctx, p) => ({ outputs: { n: p.n ?? 0 }, before: {}, alreadyDone: false, skipped: [], summary: 'nothing' }),
  undo: { reversible: false, reason: 'It did nothing.' },
});

const threeSteps: WorkflowDefinition = {
  id: 'bench-three-noops', name: 'Three no-ops', description: 'Benchmark workflow.', parameters: [],
  steps: [1, 2, 3].map((n) => ({ id: `s${n}`, action: noop.id, inputs: { n }, continueOnError: false })),
  outputs: {},
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Resolves when `count` runs have ended, counting terminal events on the bus. */
function terminalCounter(rt: Runtime): { done(count: number): Promise<void>; off(): void } {
  let ended = 0;
  let waiter: { count: number; resolve: () => void } | undefined;
  const off = rt.bus.subscribe((e) => {
    if (e.type !== 'run' || !isTerminalRun(e.state)) return;
    ended++;
    if (waiter && ended >= waiter.count) waiter.resolve();
  });
  return {
    done: (count) => new Promise<void>((resolve) => {
      if (ended >= count) resolve();
      else waiter = { count, resolve };
    }),
    off,
  };
}

async function propose(rt: Runtime, tenantId: string): Promise<string> {
  const card = await createRun(rt.ports, { tenantId, workflowId: threeSteps.id!, params: {}, actor: null });
  if (card.errors.length) throw new Error(`benchmark card has errors: ${JSON.stringify(card.errors)}`);
  if (!(await rt.runs.approve(card.id, ACTOR))) throw new Error('approve failed');
  return card.id;
}

/** One run at a time: per step, the time from the previous checkpoint to its Completed one. */
async function stepOverhead(rt: Runtime, tenantId: string, runs: number): Promise<number[]> {
  const samples: number[] = [];
  let last = 0;
  let current: string | undefined;
  const off = rt.bus.subscribe((e: EngineEvent) => {
    if (e.runId !== current) return;
    const now = performance.now();
    if (e.type === 'run' && e.state === 'Running') last = now;
    else if (e.type === 'step' && e.state === 'Completed') {
      samples.push(now - last);
      last = now;
    }
  });
  const counter = terminalCounter(rt);
  try {
    for (let i = 0; i < runs; i++) {
      const card = await createRun(rt.ports, { tenantId, workflowId: threeSteps.id!, params: {}, actor: null });
      current = card.id;
      await rt.runs.approve(card.id, ACTOR);
      await counter.done(i + 1);
    }
  } finally {
    off();
    counter.off();
  }
  return samples;
}

/** `total` runs proposed and approved by `concurrency` clients at once, executed by the worker. */
async function runThroughput(rt: Runtime, tenantId: string, total: number, concurrency: number): Promise<{ perSecond: number; cpuMicrosPerRun: number }> {
  const counter = terminalCounter(rt);
  let next = 0;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      await propose(rt, tenantId);
    }
  }));
  await counter.done(total);
  counter.off();
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: total / ((performance.now() - started) / 1000), cpuMicrosPerRun: (cpu.user + cpu.system) / total };
}

/** Bare pg-boss on the same database: `concurrency` senders, a worker fetching `concurrency` at a time. */
async function bossThroughput(rt: Runtime, total: number, concurrency: number): Promise<number> {
  const queue = 'bench-empty-jobs';
  await rt.boss.createQueue(queue, { notify: true }).catch((e: Error) => {
    if (!/already exists/i.test(e.message)) throw e;
  });
  let completed = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  const workId = await rt.boss.work(queue, { batchSize: concurrency, pollingIntervalSeconds: 0.5, burstWhenBatchFull: true }, async (jobs) => {
    completed += jobs.length;
    if (completed >= total) resolveAll();
  });
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      await rt.boss.send(queue, {});
    }
  }));
  await all;
  const perSecond = total / ((performance.now() - started) / 1000);
  await rt.boss.offWork(queue, { id: workId });
  return perSecond;
}

export default async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { runs: { type: 'string', default: '3000' }, 'steps-runs': { type: 'string', default: '300' }, concurrency: { type: 'string', default: '32' } },
  });
  const total = Number(values.runs);
  const stepRuns = Number(values['steps-runs']);
  const concurrency = Number(values.concurrency);
  if (!(total > 0 && stepRuns > 0 && concurrency > 0)) throw new Error('--runs, --steps-runs and --concurrency must be positive numbers');
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const dataDir = mkdtempSync(join(tmpdir(), 'tf-bench-engine-'));
  const registry = new TenantRegistry(demoTenants());
  const rt = await startRuntime({
    databaseUrl, schema: `bench_engine_${process.pid}`, dataDir, registry, logger: silentLogger,
    secrets: new SecretBox(randomBytes(32)), extraActions: [noop as unknown as ActionDefinition],
    worker: { concurrency },
  });
  try {
    await rt.workflows.ensureBuiltins([threeSteps]);
    const tenantId = registry.get('contoso').id;
    // Warm-up: JIT, connection pools, prepared plans.
    await stepOverhead(rt, tenantId, 30);
    await runThroughput(rt, tenantId, 200, concurrency);

    const steps = (await stepOverhead(rt, tenantId, stepRuns)).sort((a, b) => a - b);
    const p50 = percentile(steps, 0.5);
    const p99 = percentile(steps, 0.99);
    console.log(`engine overhead per step (no-op action, ${steps.length} steps): p50 ${p50.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms`);
    const { perSecond: runsPerSecond, cpuMicrosPerRun } = await runThroughput(rt, tenantId, total, concurrency);
    console.log(`3-step no-op runs (propose + approve + execute, ${concurrency} at once): ${runsPerSecond.toFixed(0)} runs/s over ${total} runs, ` +
      `${(cpuMicrosPerRun / 1000).toFixed(2)} ms of this process's CPU per run (the rest is PostgreSQL's)`);
    await bossThroughput(rt, 500, concurrency);
    const jobsPerSecond = await bossThroughput(rt, total, concurrency);
    console.log(`bare pg-boss (send + work + complete of empty jobs, ${concurrency} at once): ${jobsPerSecond.toFixed(0)} jobs/s over ${total} jobs`);
    const ratio = runsPerSecond / jobsPerSecond;
    console.log(`ratio runs/s ÷ pg-boss jobs/s: ${ratio.toFixed(2)}   targets: ≤ 5 ms per step at p50, ≥ 250 runs/s`);
    console.log(JSON.stringify({
      stepOverheadP50Ms: Number(p50.toFixed(3)), stepOverheadP99Ms: Number(p99.toFixed(3)),
      runsPerSecond: Number(runsPerSecond.toFixed(1)), pgBossJobsPerSecond: Number(jobsPerSecond.toFixed(1)), ratio: Number(ratio.toFixed(3)),
    }));
  } finally {
    await rt.worker?.stop();
    await sql.raw(`drop schema if exists ${bossSchemaOf(rt.store)} cascade`).execute(rt.store.db).catch(() => {});
    await sql.raw(`drop schema if exists ${rt.store.schema} cascade`).execute(rt.store.db).catch(() => {});
    await rt.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
