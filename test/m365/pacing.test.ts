import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClock } from '../../src/core/clock.ts';
import { PacingBudget, tenantSizeForUserCount, type PacingRequest } from '../../src/m365/pacing.ts';
import { graphRequestCost } from '../../src/m365/resource-cost.ts';

const T = 'tenant-a';
const APP = 'app-1';

function budget(opts: { headroom?: number } = {}) {
  const clock = new TestClock(0);
  const sleeps: number[] = [];
  const pacing = new PacingBudget({ clock, headroom: opts.headroom ?? 1, sleep: async (ms) => { sleeps.push(ms); clock.advance(ms); } });
  return { clock, pacing, sleeps };
}

function graphGet(path: string, query = ''): PacingRequest {
  const c = graphRequestCost('GET', path, new URLSearchParams(query));
  return { tenantId: T, appId: APP, surface: 'graph', requests: 1, ru: c.ru, writes: c.writes };
}

function graphWrite(path: string, method = 'PATCH', tenantId = T, appId = APP): PacingRequest {
  const c = graphRequestCost(method, path, new URLSearchParams());
  return { tenantId, appId, surface: 'graph', requests: 1, ru: c.ru, writes: c.writes };
}

test('resource units follow Microsoft\'s cost table and modifiers', () => {
  const cost = (m: string, p: string, q = '') => graphRequestCost(m, p, new URLSearchParams(q));
  assert.deepEqual(cost('GET', '/users'), { identity: true, ru: 2, writes: 0 });
  assert.equal(cost('GET', '/users/abc').ru, 2);
  assert.equal(cost('GET', '/users', '$select=id,displayName').ru, 1);
  assert.equal(cost('GET', '/groups/g1/members').ru, 3);
  assert.equal(cost('GET', '/groups/g1/members', '$top=10').ru, 2);
  assert.equal(cost('GET', '/groups/g1/transitiveMembers').ru, 5);
  assert.equal(cost('GET', '/subscribedSkus').ru, 3);
  assert.equal(cost('GET', '/users/u1/licenseDetails').ru, 2);
  assert.equal(cost('GET', '/users/u1/memberOf').ru, 2);
  assert.equal(cost('GET', '/users/u1/memberOf', '$select=id&$top=5').ru, 1, 'never below 1');
  assert.equal(cost('GET', '/groups/g1').ru, 1);
  assert.equal(cost('GET', '/groups/g1', '$expand=members').ru, 2);
  assert.deepEqual(cost('PATCH', '/users/u1'), { identity: true, ru: 1, writes: 1 });
  assert.deepEqual(cost('POST', '/groups/g1/members/$ref'), { identity: true, ru: 1, writes: 1 });
  assert.deepEqual(cost('POST', '/users/u1/checkMemberGroups'), { identity: true, ru: 4, writes: 0 });
  assert.deepEqual(cost('GET', '/users/u1/mailboxSettings'), { identity: false, ru: 0, writes: 0 });
  assert.equal(tenantSizeForUserCount(49), 'S');
  assert.equal(tenantSizeForUserCount(500), 'M');
  assert.equal(tenantSizeForUserCount(501), 'L');
});

test('reads flow freely up to the RU budget, then at exactly the refill rate', () => {
  const { pacing, clock } = budget();
  // A medium tenant has 5,000 RU per 10 s; GET /users costs 2, which refills in 4 ms.
  for (let i = 0; i < 2500; i++) assert.equal(pacing.reserve(graphGet('/users')), 0);
  assert.equal(pacing.reserve(graphGet('/users')), 4);
  assert.equal(pacing.reserve(graphGet('/users')), 8, 'queued behind the previous reservation');
  clock.advance(4_000);
  // 4 s refilled 2,000 RU (1,000 reads) of which 2 reads were already promised: 998 go at once.
  let free = 0;
  while (pacing.reserve(graphGet('/users')) === 0) free++;
  assert.equal(free, 998);
});

test('the tenant size class sets the RU budget (S 3,500, L 8,000)', () => {
  for (const [size, ru] of [['S', 3500], ['L', 8000]] as const) {
    const { pacing } = budget();
    pacing.setTenantSize(T, size);
    let free = 0;
    while (pacing.reserve(graphGet('/groups/g1')) === 0) free++;
    assert.equal(free, ru);
  }
});

test('writes are limited to 3,000 per 150 s per app and tenant, and 18,000 per 5 min per tenant', () => {
  const { pacing, clock } = budget();
  pacing.setTenantSize(T, 'L');
  for (let i = 0; i < 3000; i++) {
    assert.equal(pacing.reserve(graphWrite(`/users/u${i}`)), 0);
    if (i % 500 === 499) clock.advance(1000); // stay under the RU budget
  }
  // 6 s passed, refilling 120 writes (one per 50 ms); they go at once, the next waits 50 ms.
  for (let i = 0; i < 120; i++) assert.equal(pacing.reserve(graphWrite('/users/x')), 0);
  assert.equal(pacing.reserve(graphWrite('/users/x')), 50);

  // Other apps cannot see each other, but the tenant-wide write budget binds them all: six apps
  // with 3,000 writes each exhaust 18,000, which refill at one per 300 s / 18,000.
  const b = budget();
  b.pacing.setTenantSize(T, 'L');
  for (let app = 0; app < 6; app++) {
    for (let i = 0; i < 3000; i++) {
      assert.equal(b.pacing.reserve(graphWrite('/users/u', 'PATCH', T, `app-${app}`)), 0);
    }
  }
  assert.equal(Math.round(b.pacing.reserve(graphWrite('/users/u', 'PATCH', T, 'app-6')) * 1000) / 1000, Math.round((300_000 / 18_000) * 1000) / 1000);
});

test('headroom keeps a margin below the published limits', () => {
  const { pacing } = budget({ headroom: 0.9 });
  let free = 0;
  while (pacing.reserve(graphGet('/groups/g1')) === 0) free++;
  assert.equal(free, 4500);
});

test('pacing at the budget never overdraws the service\'s token bucket (no 429s), checked by an independent simulation', async () => {
  const { pacing, clock, sleeps } = budget();
  // The server's view: a 5,000 RU bucket refilled at 0.5 RU/ms; a request finding too few tokens would be a 429.
  const sent: Array<{ t: number; ru: number }> = [];
  const paths = [['/users', ''], ['/groups/g/members', ''], ['/users/u/memberOf', '$select=id'], ['/subscribedSkus', ''], ['/groups/g', '']] as const;
  // mulberry32: a small deterministic generator, so the run is the same every time.
  let seed = 7;
  const rnd = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12_000; i++) {
    const [p, q] = paths[Math.floor(rnd() * paths.length)]!;
    const req = graphGet(p, q);
    const lease = await pacing.acquire(req);
    sent.push({ t: clock.now(), ru: req.ru });
    lease.release();
    if (rnd() < 0.01) clock.advance(Math.floor(rnd() * 300));
  }
  let tokens = 5000;
  let last = 0;
  let lowest = Infinity;
  for (const s of sent) {
    tokens = Math.min(5000, tokens + (s.t - last) * 0.5);
    last = s.t;
    tokens -= s.ru;
    lowest = Math.min(lowest, tokens);
  }
  assert.ok(lowest >= -1e-6, `the bucket went to ${lowest}`);
  assert.ok(lowest < 5, `the budget is actually used, not wasted (lowest ${lowest})`);
  assert.ok(sleeps.length > 0);
});

test('a 429 pauses the budget it names until Retry-After, even for reservations already waiting', async () => {
  const { pacing, clock, sleeps } = budget();
  pacing.throttled(graphGet('/users'), 3_000, `Tenant_Application/ReadWrite/${APP}/${T}`);
  assert.equal(pacing.reserve(graphGet('/users')), 3_000);
  // A different tenant is not paused.
  assert.equal(pacing.reserve({ ...graphGet('/users'), tenantId: 'tenant-b' }), 0);
  // A caller already waiting when a new 429 arrives waits out the new pause as well.
  const pending = pacing.acquire(graphGet('/users'));
  assert.equal(clock.now(), 3_000, 'the waiting caller slept through the first pause');
  pacing.throttled(graphGet('/users'), 2_000, null);
  const lease = await pending;
  assert.deepEqual(sleeps, [3_000, 2_000]);
  assert.equal(lease.waitedMs, 5_000);
  // Tenant scope pauses only the tenant-wide write budget: reads go on.
  pacing.throttled(graphWrite('/users/u'), 5_000, `Tenant/Write/${APP}/${T}`);
  assert.equal(pacing.reserve(graphGet('/groups/g')), 0);
  assert.equal(pacing.reserve(graphWrite('/users/u')), 5_000);
});

test('Exchange calls run at most 4 at a time per mailbox; other mailboxes are not held up', async () => {
  const { pacing } = budget();
  const exo = (mailbox: string): PacingRequest => ({ tenantId: T, appId: APP, surface: 'exchange', requests: 1, ru: 0, writes: 0, mailbox });
  const leases = await Promise.all([1, 2, 3, 4].map(() => pacing.acquire(exo('ben@tailspin.com'))));
  let fifthStarted = false;
  const fifth = pacing.acquire(exo('BEN@tailspin.com')).then((l) => { fifthStarted = true; return l; });
  const other = await pacing.acquire(exo('cara@tailspin.com'));
  await Promise.resolve();
  assert.equal(fifthStarted, false, 'the fifth call on the same mailbox waits for a slot');
  leases[0]!.release();
  const l5 = await fifth;
  assert.equal(fifthStarted, true);
  for (const l of [...leases.slice(1), l5, other]) l.release();
  // Released slots are reusable: four more go at once.
  const again = await Promise.all([1, 2, 3, 4].map(() => pacing.acquire(exo('ben@tailspin.com'))));
  again.forEach((l) => l.release());
});
