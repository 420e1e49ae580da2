// The emulator's throughput: paged user reads and user PATCHes against the demo tenant, with
// concurrent keep-alive clients, next to a trivial route on the same server as the baseline, so the
// ratio is the emulator's own cost over bare Fastify. The emulator runs in this process; the load
// generator (undici Pool) in a worker thread. Server CPU per request is measured on the emulator's
// thread, so it stays comparable when the machine is busy.
// Options: --requests N (per phase), --concurrency C, --max-seconds S (per phase).
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { silentLogger } from '../src/core/logger.ts';
import { offControls } from '../src/emulator/realism/presets.ts';
import { DEMO_APP_ID, DEMO_APP_SECRET } from '../src/emulator/seed/demo-app.ts';
import { startEmulator } from '../src/emulator/server.ts';
import type { LoadMessage, LoadSpec, PhaseResult } from './http-load.ts';

interface Measured extends PhaseResult {
  /** CPU of the emulator's thread per request, µs. */
  serverCpuMicros: number;
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

function line(r: Measured): string {
  return `${r.name.padEnd(34)} ${fmt(r.requests).padStart(7)} req in ${r.seconds.toFixed(2).padStart(5)} s  ${fmt(r.perSecond).padStart(7)} req/s  ` +
    `p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  server CPU ${fmt(r.serverCpuMicros)} µs/req` +
    (r.failed ? `  FAILED ${r.failed} (first: ${r.firstFailure})` : '');
}

/** Runs the phases in a worker, timing this thread's CPU across each one. */
function runLoad(spec: LoadSpec, onResult: (r: Measured) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./http-load.ts', import.meta.url), { workerData: spec });
    let cpu0 = process.threadCpuUsage();
    worker.on('message', (m: LoadMessage) => {
      if (m.type === 'start') cpu0 = process.threadCpuUsage();
      else if (m.type === 'end') {
        const cpu = process.threadCpuUsage(cpu0);
        onResult({ ...m.result, serverCpuMicros: (cpu.user + cpu.system) / Math.max(1, m.result.requests) });
      } else resolve();
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`load worker exited with ${code}`))));
  });
}

export default async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { requests: { type: 'string', default: '20000' }, concurrency: { type: 'string', default: '32' }, 'max-seconds': { type: 'string', default: '20' } },
  });
  const total = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const maxMs = Number(values['max-seconds']) * 1000;
  if (!(total > 0 && concurrency > 0 && maxMs > 0)) throw new Error('--requests, --concurrency and --max-seconds must be positive numbers');

  const dataDir = mkdtempSync(join(tmpdir(), 'tf-bench-'));
  const emu = await startEmulator({ dataDir, seeds: ['demo'], snapshot: false, controls: offControls(), logger: silentLogger });
  try {
    const res = await fetch(`${emu.httpUrl}/contoso.onmicrosoft.com/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_APP_ID, client_secret: DEMO_APP_SECRET, scope: 'https://graph.microsoft.com/.default' }),
    });
    const token = ((await res.json()) as { access_token?: string }).access_token;
    if (!token) throw new Error(`no token for ${DEMO_APP_ID}: HTTP ${res.status}`);
    const tenant = emu.deps.store.tenant('contoso.onmicrosoft.com')!;
    // Directory-synced users are read-only in the cloud (Graph answers 400), so writes go to cloud users.
    const userIds = tenant.data.users.filter((u) => !u.onPremisesSyncEnabled).map((u) => u.id);

    console.log(`emulator bench: demo seed (${tenant.data.users.length} users in contoso), ${concurrency} requests in flight over keep-alive ` +
      `from a worker thread, ${availableParallelism()} CPUs, Node ${process.version}, realism off`);
    const warm = Math.min(2000, total);
    const results = new Map<string, Measured>();
    await runLoad({
      origin: emu.httpUrl, token, userIds, concurrency, maxMs,
      phases: [
        // Warm-up first, so the JIT has compiled the hot paths before anything is measured.
        { name: 'warm-up health', kind: 'health', requests: warm, measured: false },
        { name: 'warm-up reads', kind: 'pagedReads', requests: warm, measured: false },
        { name: 'warm-up patches', kind: 'patches', requests: Math.min(500, total), measured: false },
        { name: 'baseline GET /_emulator/health', kind: 'health', requests: total, measured: true },
        { name: 'paged GET /v1.0/users?$top=100', kind: 'pagedReads', requests: total, measured: true },
        { name: 'PATCH /v1.0/users/{id} jobTitle', kind: 'patches', requests: Math.ceil(total / 2), measured: true },
      ],
    }, (r) => {
      if (!r.measured) return;
      results.set(r.name, r);
      console.log(line(r));
    });
    const baseline = results.get('baseline GET /_emulator/health')!;
    const reads = results.get('paged GET /v1.0/users?$top=100')!;
    const writes = results.get('PATCH /v1.0/users/{id} jobTitle')!;
    console.log(`ratios to baseline: reads ${(reads.perSecond / baseline.perSecond).toFixed(3)}, patches ${(writes.perSecond / baseline.perSecond).toFixed(3)}; ` +
      `server CPU per read ${(reads.serverCpuMicros / baseline.serverCpuMicros).toFixed(1)}× a bare route ` +
      `(reads ${reads.perSecond >= 3000 ? 'meet' : 'are BELOW'} the 3,000/s target)`);
    console.log(JSON.stringify({
      readsPerSecond: Math.round(reads.perSecond),
      patchesPerSecond: Math.round(writes.perSecond),
      baselineRequestsPerSecond: Math.round(baseline.perSecond),
    }));
  } finally {
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
