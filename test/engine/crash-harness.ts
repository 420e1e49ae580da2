// The crash test itself: offboarding runs executed by `tenantflow worker` processes that are
// killed with SIGKILL at random moments and replaced, against the real PostgreSQL and an emulator
// process that keeps the effects ledger. It reads outcomes (terminal states, the ledger, the
// tenant) and measures how long each killed worker's runs waited to resume. Used by
// test/engine/crash.test.ts (short) and scripts/crash-test.ts (long).
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { SecretBox } from '../../src/core/secret-box.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createRun } from '../../src/engine/planner.ts';
import { terminalRunStates } from '../../src/engine/run-state.ts';
import { bossSchemaOf } from '../../src/jobs/boss.ts';
import { demoTenants } from '../../src/m365/demo-tenants.ts';
import { TenantRegistry } from '../../src/m365/tenant-registry.ts';
import { startRuntime, type Runtime } from '../../src/server/runtime.ts';
import { startEmulatorProc, WorkerPool, type EmulatorProc } from './crash-procs.ts';
import { checkRound, eligibleLeavers, DELEGATE, DOMAIN } from './crash-checks.ts';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface CrashOptions {
  databaseUrl: string;
  /** SIGKILLs to deliver, each to a worker that holds at least one run at that moment. */
  kills: number;
  /** Runs to execute at least (rounds continue until both targets are met). */
  runs: number;
  runsPerRound: number;
  workers: number;
  /** TENANTFLOW_LEASE_MS of the workers; undefined keeps the product default. */
  leaseMs?: number;
  /** Emulator latency per call, so runs last long enough to be killed in the middle. */
  latencyMs: number;
  /** Random pause before each kill. */
  killGapMs: [number, number];
  log(line: string): void;
}

export interface KillRecord {
  at: Date;
  owner: string;
  runs: string[];
  /** Milliseconds from the kill to the first progress of each held run (claim, step). */
  resumeMs: number[];
}

export interface CrashReport {
  runs: number;
  rounds: number;
  kills: number;
  workersStarted: number;
  /** Runs not Completed (state and first error), per round. */
  notCompleted: string[];
  /** Each round's findings: duplicated effects, tenant state that differs from offboarded. */
  problems: string[];
  /** Worker processes that exited on their own. */
  crashes: string[];
  resumeMaxMs: number;
  resumeP50Ms: number;
  killRecords: KillRecord[];
}

const terminal = terminalRunStates as readonly string[];

export async function runCrashTest(o: CrashOptions): Promise<CrashReport> {
  if (!(await reachable(o.databaseUrl))) throw new Error(`PostgreSQL is not reachable at ${o.databaseUrl}; the crash test needs a real server (set DATABASE_URL).`);
  const dataDir = mkdtempSync(join(tmpdir(), 'tf-crash-'));
  const schema = `crash_${process.pid}_${randomBytes(3).toString('hex')}`;
  const key = randomBytes(32).toString('hex');
  let emu: EmulatorProc | undefined;
  let rt: Runtime | undefined;
  let pool: WorkerPool | undefined;
  try {
    emu = await startEmulatorProc(dataDir);
    await patchControls(emu, { latency: o.latencyMs > 0 ? { mode: 'fixed', ms: o.latencyMs } : { mode: 'off' } });
    // This process only proposes and approves; the worker processes execute.
    rt = await startRuntime({
      databaseUrl: o.databaseUrl, schema, dataDir, worker: false, logger: silentLogger,
      secrets: new SecretBox(Buffer.from(key, 'hex')),
      registry: new TenantRegistry(demoTenants({ tlsPort: emu.tlsPort, caPemPath: join(dataDir, 'emulator-cert.pem') })),
    });
    pool = new WorkerPool({
      ...process.env,
      DATABASE_URL: o.databaseUrl, TENANTFLOW_DB_SCHEMA: schema, TENANTFLOW_EMULATOR: 'off',
      EMULATOR_PORT: new URL(emu.httpUrl).port, EMULATOR_TLS_PORT: String(emu.tlsPort), TENANTFLOW_DATA_DIR: dataDir,
      TENANTFLOW_SECRET_KEY: key, LOG_LEVEL: 'warn',
      ...(o.leaseMs !== undefined ? { TENANTFLOW_LEASE_MS: String(o.leaseMs) } : {}),
    });
    await pool.fill(o.workers);
    o.log(`emulator ${emu.httpUrl}, schema ${schema}, ${o.workers} workers${o.leaseMs ? `, lease ${o.leaseMs} ms` : ''}`);
    return await drive(o, emu, rt, pool);
  } finally {
    await pool?.stop();
    if (rt) {
      await sql.raw(`drop schema if exists ${bossSchemaOf(rt.store)} cascade`).execute(rt.store.db).catch(() => {});
      await sql.raw(`drop schema if exists ${schema} cascade`).execute(rt.store.db).catch(() => {});
      await rt.close();
    }
    await emu?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function drive(o: CrashOptions, emu: EmulatorProc, rt: Runtime, pool: WorkerPool): Promise<CrashReport> {
  const leavers = eligibleLeavers();
  if (leavers.length < o.runsPerRound) throw new Error(`Only ${leavers.length} demo users can be offboarded; lower runsPerRound.`);
  const tenantId = rt.registry.get(DOMAIN).id;
  const killRecords: KillRecord[] = [];
  const report: CrashReport = { runs: 0, rounds: 0, kills: 0, workersStarted: 0, notCompleted: [], problems: [], crashes: pool.graveyard, resumeMaxMs: 0, resumeP50Ms: 0, killRecords };
  let active = true;
  const killer = (async () => {
    while (active && killRecords.length < o.kills) {
      await pause(randomInt(o.killGapMs[0], o.killGapMs[1] + 1));
      const k = await killOneHolder(rt, pool);
      if (k) {
        killRecords.push(k);
        if (killRecords.length % 25 === 0) o.log(`${killRecords.length} kills`);
      }
    }
  })();

  try {
    let cursor = 0;
    while (report.runs < o.runs || killRecords.length < o.kills) {
      report.rounds++;
      const roundStart = new Date();
      const batch = Array.from({ length: o.runsPerRound }, () => leavers[cursor++ % leavers.length]!);
      const ids = await Promise.all(batch.map(async (user) => {
        const card = await createRun(rt.ports, { tenantId, workflowId: 'offboard-user', params: { user, convertToShared: true, delegate: DELEGATE }, actor: null });
        if (card.errors.length || card.missing.length) throw new Error(`The card for ${user} is not approvable: ${JSON.stringify([...card.errors, ...card.missing])}`);
        return card.id;
      }));
      for (const id of ids) await rt.runs.approve(id, '00000000-0000-4000-8000-00000000c4a5');
      await untilTerminal(rt, ids, o, pool);
      report.runs += ids.length;
      const rows = await rt.store.db.selectFrom('runs').select(['id', 'state', 'error', 'subject_user']).where('id', 'in', ids).execute();
      for (const r of rows) if (r.state !== 'Completed') report.notCompleted.push(`round ${report.rounds}: ${r.subject_user} ${r.state} ${JSON.stringify(r.error)}`);
      const problems = await checkRound(emu.httpUrl, batch, roundStart);
      report.problems.push(...problems.map((p) => `round ${report.rounds}: ${p}`));
      o.log(`round ${report.rounds}: ${ids.length} runs terminal, ${killRecords.length} kills so far, ${problems.length} problems`);
      // A fresh tenant (and an empty ledger) for the next round; the latency control survives a reset.
      const reset = await fetch(`${emu.httpUrl}/_emulator/tenants/${DOMAIN}/reset`, { method: 'POST' });
      if (!reset.ok) throw new Error(`emulator reset failed: ${reset.status}`);
    }
  } finally {
    active = false;
    await killer;
  }

  await measureResume(rt, killRecords);
  const all = killRecords.flatMap((k) => k.resumeMs).sort((a, b) => a - b);
  report.kills = killRecords.length;
  report.workersStarted = pool.spawned;
  report.resumeMaxMs = all.at(-1) ?? 0;
  report.resumeP50Ms = all.length ? all[Math.floor(all.length / 2)]! : 0;
  return report;
}

/** Kills a worker that holds a run right now, and notes which runs it held. */
async function killOneHolder(rt: Runtime, pool: WorkerPool): Promise<KillRecord | undefined> {
  const holders = await rt.store.db.selectFrom('runs').select('lease_owner').distinct()
    .where('state', '=', 'Running').where('lease_expires_at', '>', sql<Date>`now()`).where('lease_owner', 'is not', null).execute();
  const owners = new Set(holders.map((h) => h.lease_owner));
  const candidates = pool.alive.filter((w) => w.owner && owners.has(w.owner));
  if (!candidates.length) return undefined;
  const victim = candidates[randomInt(candidates.length)]!;
  const at = new Date();
  await pool.kill(victim);
  const held = await rt.store.db.selectFrom('runs').select('id').where('lease_owner', '=', victim.owner!).where('state', '=', 'Running').execute();
  return { at, owner: victim.owner!, runs: held.map((r) => r.id), resumeMs: [] };
}

/** Polls the store (the runs live in other processes) until every run of the round has ended. */
async function untilTerminal(rt: Runtime, ids: string[], o: CrashOptions, pool: WorkerPool): Promise<void> {
  // A run that makes no progress for this long is stuck: the test fails and says which.
  const stuckMs = Math.max(60_000, (o.leaseMs ?? 6000) * 10);
  let lastProgress = Date.now();
  let lastSignature = '';
  for (;;) {
    const rows = await rt.store.db.selectFrom('runs').select(['id', 'state', 'version']).where('id', 'in', ids).execute();
    if (rows.every((r) => terminal.includes(r.state))) return;
    const signature = rows.map((r) => `${r.id}:${r.version}`).join(',');
    if (signature !== lastSignature) {
      lastSignature = signature;
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress > stuckMs) {
      const stuck = rows.filter((r) => !terminal.includes(r.state)).map((r) => `${r.id} ${r.state}`);
      throw new Error(`Runs made no progress for ${stuckMs / 1000} s: ${stuck.join(', ')}\nworkers alive: ${pool.alive.length}\n${pool.graveyard.slice(-3).join('\n')}`);
    }
    await pause(200);
  }
}

/** For each run a killed worker held: the first progress after the kill (a claim, or a step). */
async function measureResume(rt: Runtime, kills: KillRecord[]): Promise<void> {
  for (const k of kills) {
    for (const runId of k.runs) {
      const audit = await rt.store.db.selectFrom('audit_log').select((eb) => eb.fn.min('at').as('at'))
        .where('entity_id', '=', runId).where('at', '>', k.at).executeTakeFirst();
      const step = await rt.store.db.selectFrom('run_steps').select((eb) => eb.fn.min('finished_at').as('at'))
        .where('run_id', '=', runId).where('finished_at', '>', k.at).executeTakeFirst();
      const times = [audit?.at, step?.at].filter((t): t is Date => t instanceof Date).map((t) => t.getTime());
      if (times.length) k.resumeMs.push(Math.min(...times) - k.at.getTime());
      else k.resumeMs.push(Number.POSITIVE_INFINITY);
    }
  }
}

async function patchControls(emu: EmulatorProc, patch: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${emu.httpUrl}/_emulator/tenants/${DOMAIN}/controls`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) });
  if (!res.ok) throw new Error(`setting emulator controls failed: ${res.status} ${await res.text()}`);
}

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

/** The chaos schedule's own pauses (and the cross-process poll): there is no event to await. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function summarise(r: CrashReport): string {
  const fmt = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'never');
  const all = r.killRecords.flatMap((k) => k.resumeMs).sort((a, b) => a - b);
  const at = (p: number) => (all.length ? all[Math.min(all.length - 1, Math.floor(all.length * p))]! : 0);
  return [
    `runs ${r.runs} in ${r.rounds} rounds, ${r.kills} SIGKILLs (${r.workersStarted} worker processes started)`,
    `runs not Completed: ${r.notCompleted.length}; problems: ${r.problems.length}; workers that crashed on their own: ${r.crashes.length}`,
    `resume after a kill over ${all.length} interrupted runs: p50 ${fmt(at(0.5))}, p90 ${fmt(at(0.9))}, p99 ${fmt(at(0.99))}, max ${fmt(r.resumeMaxMs)}; over 10 s: ${all.filter((x) => x > 10_000).length}`,
  ].join('\n');
}
