// Live progress over the websocket at /api/events: typed run and step events, in order, filtered by
// run and by tenant, ending with the terminal state; a technician sees only their tenants.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'undici';
import { isTerminalRun, type RunState } from '../../src/engine/run-state.ts';
import { startApiEnv, type ApiEnv } from './harness.ts';

let env: ApiEnv;
let base: string;
let admin: string;
let tech: string;

before(async () => {
  env = await startApiEnv('events');
  await env.app.listen({ host: '127.0.0.1', port: 0 });
  base = `ws://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
  admin = await env.login();
  const created = await env.api('POST', '/api/users', { token: admin, body: { username: 'fabrikam-tech', password: 'fabrikam-tech-password', role: 'technician', tenants: ['fabrikam'] } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  tech = await env.login('fabrikam-tech', 'fabrikam-tech-password');
});
after(async () => { await env.close(); });

interface Subscription {
  events: any[];
  /** Resolves with the events so far once `pred` holds for one of them. */
  until(pred: (e: any) => boolean): Promise<any[]>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** Opens /api/events with a Bearer token in the header; resolves after the server's hello. */
function subscribe(token: string, query = ''): Promise<Subscription> {
  const ws = new WebSocket(`${base}/api/events${query}`, { headers: { authorization: `Bearer ${token}` } });
  const events: any[] = [];
  const waiters: Array<{ pred: (e: any) => boolean; resolve: (v: any[]) => void }> = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.addEventListener('close', (e) => resolve({ code: e.code, reason: e.reason })));
  return new Promise((resolve, reject) => {
    ws.addEventListener('error', () => reject(new Error(`websocket ${query} failed`)));
    ws.addEventListener('close', (e) => reject(new Error(`websocket ${query} closed before hello: ${e.code} ${e.reason}`)));
    ws.addEventListener('message', (m) => {
      const e = JSON.parse(String(m.data));
      if (e.type === 'hello') {
        resolve({
          events, closed,
          until: (pred) => new Promise((res) => {
            if (events.some(pred)) res(events);
            else waiters.push({ pred, resolve: res });
          }),
          close: () => ws.close(),
        });
        return;
      }
      events.push(e);
      for (const w of waiters.splice(0)) {
        if (w.pred(e)) w.resolve(events);
        else waiters.push(w);
      }
    });
  });
}

const terminalOf = (runId: string) => (e: any) => e.type === 'run' && e.runId === runId && isTerminalRun(e.state as RunState);

async function propose(token: string, tenant: string, workflow: string, params: Record<string, unknown>): Promise<string> {
  const r = await env.api('POST', '/api/runs', { token, body: { tenant, workflow, params } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual(r.body.errors, []);
  return r.body.id;
}

/** The events of one run: typed, ordered, monotonic progress, ending in `final`. */
function assertRunStream(events: any[], runId: string, tenantId: string, stepCount: number, final: RunState): void {
  const mine = events.filter((e) => e.runId === runId);
  assert.ok(mine.length > 0);
  for (const e of mine) {
    assert.ok(e.type === 'run' || e.type === 'step', `typed event: ${e.type}`);
    assert.equal(e.tenantId, tenantId);
    assert.equal(typeof e.percent, 'number');
    assert.equal(typeof e.elapsedMs, 'number');
    assert.ok(!Number.isNaN(Date.parse(e.at)), 'each event is timestamped');
  }
  const runStates = mine.filter((e) => e.type === 'run').map((e) => e.state);
  assert.deepEqual(runStates, ['Approved', 'Running', final], 'run transitions in order');
  assert.equal(mine[0].type, 'run');
  assert.equal(mine.at(-1).type, 'run', 'the stream ends with the terminal state');
  assert.equal(mine.at(-1).state, final);
  assert.equal(mine.at(-1).percent, 100);
  for (let i = 1; i < mine.length; i++) {
    assert.ok(mine[i].percent >= mine[i - 1].percent, `percent never goes back (${mine[i - 1].percent} → ${mine[i].percent})`);
    assert.ok(mine[i].elapsedMs >= mine[i - 1].elapsedMs, 'elapsed time never goes back');
  }
  const steps = mine.filter((e) => e.type === 'step');
  const finished = steps.filter((e) => e.state !== 'Running');
  assert.equal(finished.length, stepCount, 'every step reports how it ended');
  assert.deepEqual(finished.map((e) => e.idx), [...Array(stepCount).keys()], 'steps finish in order');
  for (const f of finished) {
    if (f.state === 'Completed') {
      const started = steps.findIndex((e) => e.idx === f.idx && e.state === 'Running');
      assert.ok(started >= 0 && started < steps.indexOf(f), `step ${f.stepId} went Running before ${f.state}`);
      assert.equal(typeof f.durationMs, 'number');
    }
  }
}

test('a run\'s events arrive in order over the websocket, filtered by run and by tenant', async () => {
  const runId = await propose(admin, 'contoso', 'offboard-user', { user: 'irvin.sayers@contoso.com', convertToShared: true });
  const other = await propose(admin, 'contoso', 'disable-user', { user: 'nestor.wilke@contoso.com' });
  const byRun = await subscribe(admin, `?run=${runId}`);
  const byTenant = await subscribe(admin, '?tenant=contoso');

  const done = byRun.until(terminalOf(runId));
  const otherDone = byTenant.until(terminalOf(other));
  assert.equal((await env.api('POST', `/api/runs/${runId}/approve`, { token: admin })).status, 202);
  assert.equal((await env.api('POST', `/api/runs/${other}/approve`, { token: admin })).status, 202);
  const runEvents = await done;
  await byTenant.until(terminalOf(runId));
  await otherDone;

  assert.ok(runEvents.every((e) => e.runId === runId), 'the run filter passes only that run');
  assertRunStream(runEvents, runId, env.contosoId, 9, 'Completed');
  // The delegate step has no delegate to grant: Skipped, and its event says so.
  assert.ok(runEvents.some((e) => e.type === 'step' && e.stepId === 'delegate' && e.state === 'Skipped'));

  assert.deepEqual(new Set(byTenant.events.map((e) => e.runId)), new Set([runId, other]), 'the tenant filter passes both contoso runs');
  assert.deepEqual(byTenant.events.filter((e) => e.runId === runId), runEvents, 'both subscribers saw the same stream');
  assertRunStream(byTenant.events, other, env.contosoId, 1, 'Completed');
  byRun.close();
  byTenant.close();
});

test('a technician receives no events of tenants outside their scope', async () => {
  const refused = await subscribe(tech, '?tenant=contoso').then(
    (s) => { s.close(); return undefined; },
    (e: Error) => e.message,
  );
  assert.match(refused ?? '', /closed before hello: 4404/, 'subscribing to a tenant outside the scope is refused');

  const techAll = await subscribe(tech);
  const adminAll = await subscribe(admin);
  const contosoRun = await propose(admin, 'contoso', 'disable-user', { user: 'lidia.holloway@contoso.com' });
  const fabrikamUser = env.h.emu.deps.store.tenant('fabrikam.onmicrosoft.com')!.data.users.find((u) => u.userType === 'Member' && u.accountEnabled)!;
  const fabrikamRun = await propose(admin, 'fabrikam', 'disable-user', { user: fabrikamUser.userPrincipalName });

  const contosoSeen = adminAll.until(terminalOf(contosoRun));
  assert.equal((await env.api('POST', `/api/runs/${contosoRun}/approve`, { token: admin })).status, 202);
  await contosoSeen;
  // Events go out in order, so once the later fabrikam run has ended for the technician, any
  // contoso event would already have reached them.
  const techSeen = techAll.until(terminalOf(fabrikamRun));
  assert.equal((await env.api('POST', `/api/runs/${fabrikamRun}/approve`, { token: admin })).status, 202);
  await techSeen;

  assert.ok(adminAll.events.some((e) => e.runId === contosoRun), 'the admin saw the contoso run');
  assert.ok(techAll.events.length > 0);
  assert.deepEqual([...new Set(techAll.events.map((e) => e.tenantId))], [env.fabrikamId], 'the technician saw only fabrikam');
  assertRunStream(techAll.events, fabrikamRun, env.fabrikamId, 1, 'Completed');
  techAll.close();
  adminAll.close();
});
