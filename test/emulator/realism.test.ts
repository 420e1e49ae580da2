// Realism controls: Microsoft's throttling budgets, seeded faults and latency, driven directly
// through createRealism with a hand-moved clock, plus one pass over HTTP.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRealism, type AdmitDecision, type AdmitRequest, type Realism } from '../../src/emulator/realism/realism.ts';
import { drawLatencyMs } from '../../src/emulator/realism/latency.ts';
import { seededRandom } from '../../src/emulator/realism/random.ts';
import { EmulatorStore } from '../../src/emulator/state/store.ts';
import type { RealismControls } from '../../src/emulator/state/model.ts';
import type { TenantState } from '../../src/emulator/state/tenant-state.ts';
import { FULL_APP, MINI_DOMAIN, MINI_TENANT_ID, miniSeed } from '../fixtures/mini-seed.ts';
import { startHarness, type Harness } from './harness.ts';

const APP = FULL_APP.clientId;

function setup(controls: Partial<RealismControls>, opts: { sleep?: (ms: number) => Promise<void> } = {}) {
  const store = new EmulatorStore();
  store.loadSeed(miniSeed());
  const tenant = store.tenant(MINI_DOMAIN)!;
  tenant.data.controls = { latency: { mode: 'off' }, throttling: { enabled: false }, faults: [], readAfterCreateDelayMs: 0, ...controls };
  const clock = { t: 1_700_000_000_000 };
  const realism = createRealism(store, () => clock.t, opts);
  const admit = (over: Partial<AdmitRequest> = {}) =>
    realism.admit({ tenant, appId: APP, surface: 'graph', method: 'GET', path: '/users', write: false, cost: 1, ...over });
  return { store, tenant, clock, realism, admit };
}

function throttled(d: AdmitDecision): Extract<AdmitDecision, { kind: 'throttled' }> {
  assert.equal(d.kind, 'throttled', `expected a throttled decision, got ${d.kind}`);
  return d as Extract<AdmitDecision, { kind: 'throttled' }>;
}

describe('identity throttling (resource units per app+tenant)', () => {
  test('the size-class budget runs dry and refills exactly by the announced Retry-After', async () => {
    const { admit, clock, tenant } = setup({ throttling: { enabled: true } });
    assert.equal(tenant.sizeClass(), 'S');
    // S tenants get 3,500 RU per 10 s: 700 requests of cost 5, then the bucket is empty.
    for (let i = 0; i < 700; i++) assert.equal((await admit({ cost: 5 })).kind, 'ok', `request ${i}`);
    const t = throttled(await admit({ cost: 5 }));
    assert.equal(t.headers['x-ms-throttle-scope'], `Tenant_Application/ReadWrite/${APP}/${MINI_TENANT_ID}`);
    assert.equal(t.headers['x-ms-throttle-information'], 'ResourceUnitLimitExceeded');
    assert.equal(t.headers['Retry-After'], String(t.retryAfterSeconds));
    // The throttled request accrued 5 RU of debt: 10 RU at 350 RU/s is 28.6 ms, floored to 0.1 s.
    assert.equal(t.retryAfterSeconds, 0.1);
    clock.t += t.retryAfterSeconds * 1000;
    assert.equal((await admit({ cost: 5 })).kind, 'ok');
  });

  test('early retries accrue usage and lengthen the wait; waiting exactly Retry-After gets in', async () => {
    const { admit, clock } = setup({ throttling: { enabled: true, resourceUnitsPer10s: 100 } });
    for (let i = 0; i < 14; i++) assert.equal((await admit({ cost: 7 })).kind, 'ok');
    // 2 RU left; the request is refused, its 7 RU accrue (−5), and 12 RU refill at 10 RU/s.
    const first = throttled(await admit({ cost: 7 }));
    assert.equal(first.retryAfterSeconds, 1.2);
    clock.t += 600; // too early: +6 RU, then −7 again
    const second = throttled(await admit({ cost: 7 }));
    assert.equal(second.retryAfterSeconds, 1.3);
    clock.t += 1299;
    throttled(await admit({ cost: 7 }));
  });

  test('waiting the fractional Retry-After exactly is always enough', async () => {
    const { admit, clock } = setup({ throttling: { enabled: true, resourceUnitsPer10s: 300 } });
    for (let i = 0; i < 42; i++) assert.equal((await admit({ cost: 7 })).kind, 'ok');
    const t = throttled(await admit({ cost: 7 }));
    assert.ok(t.retryAfterSeconds >= 0.1);
    assert.equal(Math.round(t.retryAfterSeconds * 1000), t.retryAfterSeconds * 1000, 'at most 3 decimals');
    assert.notEqual(Math.round(t.retryAfterSeconds), t.retryAfterSeconds, 'fractional seconds are kept');
    clock.t += t.retryAfterSeconds * 1000;
    assert.equal((await admit({ cost: 7 })).kind, 'ok');
  });

  test('a client pacing at the budget never sees a 429 (the bucket refills continuously)', async () => {
    const { admit, clock } = setup({ throttling: { enabled: true, resourceUnitsPer10s: 100 } });
    for (let i = 0; i < 10; i++) assert.equal((await admit({ cost: 10 })).kind, 'ok');
    for (let i = 0; i < 500; i++) {
      clock.t += 1000; // 10 RU per second is exactly 100 RU per 10 s
      assert.equal((await admit({ cost: 10 })).kind, 'ok', `paced request ${i}`);
    }
  });

  test('usage above 80% is announced; the cost is always announced', async () => {
    const { admit } = setup({ throttling: { enabled: true, resourceUnitsPer10s: 100 } });
    const low = await admit({ cost: 10 });
    assert.equal(low.kind, 'ok');
    if (low.kind === 'ok') {
      assert.equal(low.headers['x-ms-resource-unit'], '10');
      assert.equal(low.headers['x-ms-throttle-limit-percentage'], undefined);
    }
    for (let i = 0; i < 7; i++) await admit({ cost: 10 });
    const high = await admit({ cost: 10 });
    assert.equal(high.kind === 'ok' && high.headers['x-ms-throttle-limit-percentage'], '0.9');
  });

  test('budgets belong to app+tenant: another app is not throttled', async () => {
    const { admit } = setup({ throttling: { enabled: true, resourceUnitsPer10s: 10 } });
    await admit({ cost: 10 });
    throttled(await admit({ cost: 1 }));
    assert.equal((await admit({ cost: 1, appId: 'other-app' })).kind, 'ok');
  });

  test('with throttling off nothing is ever refused', async () => {
    const { admit } = setup({ throttling: { enabled: false, resourceUnitsPer10s: 1 } });
    for (let i = 0; i < 5000; i++) assert.equal((await admit({ cost: 5, write: true })).kind, 'ok');
  });

  test('reset forgets the usage of that tenant', async () => {
    const { admit, realism } = setup({ throttling: { enabled: true, resourceUnitsPer10s: 10 } });
    await admit({ cost: 10 });
    throttled(await admit());
    realism.reset(MINI_TENANT_ID);
    assert.equal((await admit()).kind, 'ok');
  });
});

describe('write limits', () => {
  test('3,000 writes per 150 s per app+tenant by default; reads are unaffected', async () => {
    const { admit, clock } = setup({ throttling: { enabled: true, resourceUnitsPer10s: 1_000_000 } });
    for (let i = 0; i < 3000; i++) assert.equal((await admit({ method: 'PATCH', write: true })).kind, 'ok', `write ${i}`);
    const t = throttled(await admit({ method: 'PATCH', write: true }));
    assert.equal(t.headers['x-ms-throttle-information'], 'WriteLimitExceeded');
    assert.equal(t.headers['x-ms-throttle-scope'], `Tenant_Application/Write/${APP}/${MINI_TENANT_ID}`);
    // Debt of one write: 2 writes at 20 per second.
    assert.equal(t.retryAfterSeconds, 0.1);
    assert.equal((await admit()).kind, 'ok', 'reads still pass');
    clock.t += 100;
    assert.equal((await admit({ method: 'PATCH', write: true })).kind, 'ok');
  });

  test('an override lowers the per-app write limit, with the wait computed from it', async () => {
    const { admit } = setup({ throttling: { enabled: true, writesPer150s: 5 } });
    for (let i = 0; i < 5; i++) assert.equal((await admit({ write: true, method: 'POST' })).kind, 'ok');
    const t = throttled(await admit({ write: true, method: 'POST' }));
    assert.equal(t.retryAfterSeconds, 60); // 2 writes at 5 per 150 s
  });

  test('the tenant-wide write limit spans apps', async () => {
    const { admit } = setup({ throttling: { enabled: true, tenantWritesPer5min: 3 } });
    assert.equal((await admit({ write: true, appId: 'a' })).kind, 'ok');
    assert.equal((await admit({ write: true, appId: 'b' })).kind, 'ok');
    assert.equal((await admit({ write: true, appId: 'c' })).kind, 'ok');
    const t = throttled(await admit({ write: true, appId: 'd' }));
    assert.equal(t.headers['x-ms-throttle-scope'], `Tenant/Write/d/${MINI_TENANT_ID}`);
    assert.equal(t.headers['x-ms-throttle-information'], 'WriteLimitExceeded');
  });
});

describe('Outlook limits (Exchange and Graph mail)', () => {
  test('4 concurrent requests per app+mailbox; release frees a slot once', async () => {
    const { admit } = setup({ throttling: { enabled: true } });
    const ex = (mailbox: string) => admit({ surface: 'exchange', path: '/InvokeCommand', method: 'POST', mailbox });
    const held = [];
    for (let i = 0; i < 4; i++) {
      const d = await ex('ben');
      assert.equal(d.kind, 'ok');
      held.push(d);
    }
    const t = throttled(await ex('ben'));
    assert.equal(t.headers['x-ms-throttle-information'], 'MailboxConcurrencyLimitExceeded');
    assert.match(t.message ?? '', /MailboxConcurrency/);
    assert.equal((await ex('cara')).kind, 'ok', 'another mailbox has its own slots');
    const first = held[0]!;
    if (first.kind === 'ok') {
      first.release();
      first.release(); // a second release must not free another slot
    }
    const next = await ex('ben');
    assert.equal(next.kind, 'ok');
    throttled(await ex('ben'));
  });

  test('10,000 requests per 10 minutes per app+mailbox, overridable', async () => {
    const { admit, clock } = setup({ throttling: { enabled: true, exchangeRequestsPerMailboxPer10min: 3 } });
    const ex = () => admit({ surface: 'exchange', path: '/InvokeCommand', method: 'POST', mailbox: 'ben' });
    for (let i = 0; i < 3; i++) {
      const d = await ex();
      assert.equal(d.kind, 'ok');
      if (d.kind === 'ok') d.release();
    }
    const t = throttled(await ex());
    assert.equal(t.headers['x-ms-throttle-information'], 'MailboxRequestLimitExceeded');
    assert.equal(t.retryAfterSeconds, 400); // 2 requests at 3 per 600 s
    clock.t += 400_000;
    assert.equal((await ex()).kind, 'ok');
  });

  test('Graph mail calls are metered per mailbox, not against directory RU', async () => {
    const { admit } = setup({ throttling: { enabled: true, resourceUnitsPer10s: 1, exchangeRequestsPerMailboxPer10min: 2 } });
    const mail = () => admit({ method: 'POST', path: '/users/ben.miller@tailspin.com/sendMail', write: true });
    const d = await mail();
    assert.equal(d.kind, 'ok');
    assert.equal(d.kind === 'ok' && d.headers['x-ms-resource-unit'], undefined);
    if (d.kind === 'ok') d.release();
    assert.equal((await admit({ cost: 1 })).kind, 'ok', 'the directory budget was untouched');
    const second = await mail();
    if (second.kind === 'ok') second.release();
    throttled(await mail());
  });
});

describe('faults', () => {
  const outcomes = async (seed: number, n: number) => {
    const { admit } = setup({ randomSeed: seed, faults: [{ rate: 0.2, kind: 500 }] });
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push((await admit()).kind);
    return out;
  };

  test('a 20% rule faults about 200 of 1,000 requests', async () => {
    const out = await outcomes(42, 1000);
    const faults = out.filter((k) => k === 'fault').length;
    assert.ok(faults > 150 && faults < 250, `faults: ${faults}`);
  });

  test('the same seed replays the same sequence; another seed does not', async () => {
    const a = await outcomes(7, 300);
    assert.deepEqual(await outcomes(7, 300), a);
    assert.notDeepEqual(await outcomes(8, 300), a);
  });

  test('changing the seed restarts the sequence', async () => {
    const { admit, tenant } = setup({ randomSeed: 7, faults: [{ rate: 0.5, kind: 503 }] });
    const run = async () => { const o = []; for (let i = 0; i < 50; i++) o.push((await admit()).kind); return o; };
    const first = await run();
    tenant.data.controls.randomSeed = 9;
    await run();
    tenant.data.controls.randomSeed = 7;
    assert.deepEqual(await run(), first);
  });

  test('rules match by path and method, and carry their kind and Retry-After', async () => {
    const { admit } = setup({ faults: [{ rate: 1, kind: 503, path: '^/users/[^/]+/assignLicense$', method: 'POST', retryAfterSeconds: 7 }] });
    assert.deepEqual(await admit({ method: 'POST', path: '/users/abc/assignLicense', write: true }), { kind: 'fault', fault: 503, retryAfterSeconds: 7 });
    assert.equal((await admit({ method: 'GET', path: '/users/abc/assignLicense' })).kind, 'ok');
    assert.equal((await admit({ method: 'POST', path: '/users', write: true })).kind, 'ok');
  });

  test('rules can select a surface and an Exchange cmdlet', async () => {
    const { admit } = setup({ faults: [{ rate: 1, kind: 'reset', surface: 'exchange', cmdlet: '^Set-Mailbox$' }] });
    const ex = (cmdlet: string) => admit({ surface: 'exchange', method: 'POST', path: '/InvokeCommand', cmdlet, mailbox: 'x' });
    assert.deepEqual(await ex('Set-Mailbox'), { kind: 'fault', fault: 'reset' });
    assert.equal((await ex('Get-Mailbox')).kind, 'ok');
    assert.equal((await admit({ method: 'POST', path: '/InvokeCommand' })).kind, 'ok', 'Graph is not affected');
  });

  test('a faulted request does not keep its mailbox concurrency slot', async () => {
    const { admit, tenant } = setup({ throttling: { enabled: true, mailboxConcurrency: 1 }, faults: [{ rate: 1, kind: 500 }] });
    const ex = () => admit({ surface: 'exchange', method: 'POST', path: '/InvokeCommand', mailbox: 'ben' });
    assert.equal((await ex()).kind, 'fault');
    tenant.data.controls.faults = [];
    assert.equal((await ex()).kind, 'ok');
  });
});

describe('latency', () => {
  const sample = (n: number, draw: () => number) => Array.from({ length: n }, draw).sort((a, b) => a - b);

  test('fixed and off', () => {
    const rnd = seededRandom(1);
    assert.equal(drawLatencyMs({ mode: 'fixed', ms: 250 }, rnd), 250);
    assert.equal(drawLatencyMs({ mode: 'off', ms: 250 }, rnd), 0);
  });

  test('uniform stays in [ms, maxMs] and spreads over it', () => {
    const rnd = seededRandom(2);
    const xs = sample(10_000, () => drawLatencyMs({ mode: 'uniform', ms: 100, maxMs: 300 }, rnd));
    assert.ok(xs[0]! >= 100 && xs.at(-1)! <= 300);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(Math.abs(mean - 200) < 5, `mean ${mean}`);
    assert.ok(xs[2500]! < 160 && xs[7500]! > 240, 'quartiles near 150 and 250');
  });

  test('lognormal has the requested median and 99th percentile', () => {
    const rnd = seededRandom(3);
    const xs = sample(40_000, () => drawLatencyMs({ mode: 'lognormal', ms: 40, p99Ms: 250 }, rnd));
    const median = xs[20_000]!;
    const p99 = xs[39_600]!;
    assert.ok(Math.abs(median - 40) / 40 < 0.05, `median ${median}`);
    assert.ok(Math.abs(p99 - 250) / 250 < 0.1, `p99 ${p99}`);
    assert.ok(xs[0]! > 0);
  });

  test('admit waits the drawn delay through the injected sleep, and not at all when off', async () => {
    const slept: number[] = [];
    const { admit, tenant } = setup({ latency: { mode: 'fixed', ms: 120 } }, { sleep: async (ms) => { slept.push(ms); } });
    await admit();
    await admit({ surface: 'exchange', path: '/InvokeCommand', method: 'POST' });
    assert.deepEqual(slept, [120, 120]);
    tenant.data.controls.latency = { mode: 'off' };
    await admit();
    assert.equal(slept.length, 2);
  });
});

describe('over HTTP', () => {
  let h: Harness;
  let realismOf: () => Realism;
  before(async () => {
    h = await startHarness();
    realismOf = () => h.emu.deps.realism;
  });
  after(async () => { await h.close(); });

  const patchControls = (body: unknown) =>
    fetch(`${h.base}/_emulator/tenants/${MINI_DOMAIN}/controls`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  test('a throttled Graph call answers 429 TooManyRequests with Retry-After and innerError.code 429', async () => {
    assert.equal((await patchControls({ throttling: { enabled: true, resourceUnitsPer10s: 5 } })).status, 200);
    try {
      const first = await h.graph('/v1.0/subscribedSkus');
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('x-ms-resource-unit'), '3');
      const second = await h.graph('/v1.0/subscribedSkus');
      assert.equal(second.status, 429);
      assert.equal(second.body.error.code, 'TooManyRequests');
      assert.equal(second.body.error.innerError.code, '429');
      const retry = Number(second.headers.get('retry-after'));
      assert.ok(retry > 0, 'Retry-After is a positive number of seconds');
      assert.equal(second.headers.get('x-ms-throttle-information'), 'ResourceUnitLimitExceeded');
      assert.match(second.headers.get('x-ms-throttle-scope') ?? '', /^Tenant_Application\/ReadWrite\//);
    } finally {
      await patchControls({ throttling: { enabled: false, resourceUnitsPer10s: null } });
      realismOf().reset(MINI_TENANT_ID);
    }
  });

  test("a 'reset' fault drops the connection and the write is in the ledger as a fault", async () => {
    await fetch(`${h.base}/_emulator/tenants/${MINI_DOMAIN}/ledger`, { method: 'DELETE' });
    await patchControls({ faults: [{ rate: 1, kind: 'reset', path: '^/groups$', method: 'POST' }] });
    try {
      await assert.rejects(h.graph('/v1.0/groups', {
        method: 'POST',
        body: { displayName: 'Reset Probe', mailEnabled: false, mailNickname: 'resetprobe', securityEnabled: true },
        headers: { 'client-request-id': 'reset-probe-1' },
      }));
      const ledger = await (await fetch(`${h.base}/_emulator/tenants/${MINI_DOMAIN}/ledger?outcome=fault`)).json() as any;
      const entry = ledger.value.find((e: any) => e.clientRequestId === 'reset-probe-1');
      assert.ok(entry, 'the faulted write is recorded');
      assert.equal(entry.surface, 'graph');
      assert.equal(entry.method, 'POST');
      assert.equal(entry.path, '/groups');
    } finally {
      await patchControls({ faults: [] });
    }
  });

  test('a faulted Exchange write answers the fault and is recorded with its cmdlet', async () => {
    await patchControls({ faults: [{ rate: 1, kind: 503, surface: 'exchange', cmdlet: 'Set-Mailbox', retryAfterSeconds: 4 }] });
    try {
      const r = await h.exo('Set-Mailbox', { Identity: 'ben.miller@tailspin.com', HiddenFromAddressListsEnabled: true });
      assert.equal(r.status, 503);
      assert.equal(r.headers.get('retry-after'), '4');
      const ledger = await (await fetch(`${h.base}/_emulator/tenants/${MINI_DOMAIN}/ledger?surface=exchange&outcome=fault`)).json() as any;
      assert.equal(ledger.value.at(-1).cmdlet, 'Set-Mailbox');
      const mbx = await h.exo('Get-Mailbox', { Identity: 'ben.miller@tailspin.com' });
      assert.equal(mbx.body.value[0].HiddenFromAddressListsEnabled, false, 'the faulted write changed nothing');
    } finally {
      await patchControls({ faults: [] });
    }
  });
});
