// The load generator for bench/emulator.bench.ts, run in a worker thread so the client's work
// (sending, receiving and decoding 35 KB pages) does not share the event loop it is measuring.
// Phases run one after another; each is announced ('start') and reported ('end') to the parent.
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

export type PhaseKind = 'health' | 'pagedReads' | 'patches';

export interface PhaseSpec {
  name: string;
  kind: PhaseKind;
  requests: number;
  /** Printed, or only there to warm the JIT. */
  measured: boolean;
}

export interface LoadSpec {
  origin: string;
  token: string;
  /** Users the PATCH phase writes (cloud-mastered, so Graph accepts the write). */
  userIds: string[];
  concurrency: number;
  maxMs: number;
  phases: PhaseSpec[];
}

export interface PhaseResult {
  name: string;
  measured: boolean;
  requests: number;
  failed: number;
  firstFailure: string | null;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export type LoadMessage = { type: 'start'; name: string } | { type: 'end'; result: PhaseResult } | { type: 'done' };

/** One request; resolves to an error text when the answer is not what a client expects. */
type Step = () => Promise<string | null>;

const FIRST_PAGE = '/v1.0/users?$top=100';
const NEXT_LINK = '"@odata.nextLink":"';

async function main(spec: LoadSpec): Promise<void> {
  const pool = new Pool(spec.origin, { connections: spec.concurrency, pipelining: 1 });
  const headers = { authorization: `Bearer ${spec.token}` };
  const writeHeaders = { ...headers, 'content-type': 'application/json' };
  let patchSeq = 0;

  const health = (): Step => async () => {
    const r = await pool.request({ path: '/_emulator/health', method: 'GET' });
    await r.body.dump();
    return r.statusCode === 200 ? null : `health HTTP ${r.statusCode}`;
  };
  // Each client walks the directory page by page, as a sync job does, and starts over at the end.
  const pagedReads = (): Step => {
    let path = FIRST_PAGE;
    return async () => {
      const r = await pool.request({ path, method: 'GET', headers });
      const text = await r.body.text();
      if (r.statusCode !== 200) {
        path = FIRST_PAGE;
        return `GET users HTTP ${r.statusCode}: ${text.slice(0, 200)}`;
      }
      // The link is cut from the text: JSON.parse of every page would bench the client, not the emulator.
      const at = text.indexOf(NEXT_LINK);
      const next = at < 0 ? undefined : text.slice(at + NEXT_LINK.length, text.indexOf('"', at + NEXT_LINK.length));
      path = next ? next.slice(next.indexOf('/v1.0/')) : FIRST_PAGE;
      return text.includes('"value":[{') ? null : 'GET users answered without users in value[]';
    };
  };
  const patches = (): Step => async () => {
    const n = patchSeq++;
    const r = await pool.request({
      path: `/v1.0/users/${spec.userIds[n % spec.userIds.length]}`, method: 'PATCH', headers: writeHeaders,
      body: JSON.stringify({ jobTitle: `Benchmark Title ${n % 50}` }),
    });
    const text = await r.body.text();
    return r.statusCode === 204 ? null : `PATCH user HTTP ${r.statusCode}: ${text.slice(0, 200)}`;
  };
  const workers: Record<PhaseKind, () => Step> = { health, pagedReads, patches };

  try {
    for (const p of spec.phases) {
      post({ type: 'start', name: p.name });
      post({ type: 'end', result: await phase(p, spec.concurrency, spec.maxMs, workers[p.kind]) });
    }
  } finally {
    await pool.close();
  }
  post({ type: 'done' });
}

async function phase(p: PhaseSpec, concurrency: number, maxMs: number, makeStep: () => Step): Promise<PhaseResult> {
  const latencies = new Float64Array(p.requests);
  let issued = 0;
  let failed = 0;
  let firstFailure: string | null = null;
  const start = performance.now();
  const deadline = start + maxMs;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    const step = makeStep();
    while (issued < p.requests && performance.now() < deadline) {
      const i = issued++;
      const t0 = performance.now();
      let problem: string | null;
      try {
        problem = await step();
      } catch (e) {
        problem = (e as Error).message;
      }
      latencies[i] = performance.now() - t0;
      if (problem) {
        failed++;
        firstFailure ??= problem;
      }
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  const done = latencies.subarray(0, issued).sort();
  const pct = (q: number) => done[Math.min(done.length - 1, Math.floor(done.length * q))] ?? 0;
  return { name: p.name, measured: p.measured, requests: issued, failed, firstFailure, seconds, perSecond: (issued - failed) / seconds, p50: pct(0.5), p99: pct(0.99) };
}

function post(m: LoadMessage): void {
  parentPort!.postMessage(m);
}

if (parentPort) await main(workerData as LoadSpec);
