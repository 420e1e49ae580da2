import { test, after, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../emulator/harness.ts';
import { MINI_TENANT_ID, MINI_VERIFIED, READONLY_APP } from '../fixtures/mini-seed.ts';
import { AppError } from '../../src/core/errors.ts';
import { TestClock } from '../../src/core/clock.ts';
import { PacingBudget } from '../../src/m365/pacing.ts';
import { harnessClients, type Clients } from './helpers.ts';

let h: Harness;
let c: Clients;
before(async () => {
  h = await startHarness();
  c = harnessClients(h);
});
after(async () => {
  await c.close();
  await h.close();
});

const tenantState = () => h.emu.deps.store.tenant(MINI_TENANT_ID)!;
afterEach(() => {
  tenantState().data.controls.faults = [];
  tenantState().data.controls.throttling = { enabled: false };
});

async function caught(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof AppError, `expected AppError, got ${String(e)}`);
  return e;
}

async function groupId(name: string): Promise<string> {
  const groups = await c.graph.list<{ id: string }>('/groups', { query: { $filter: `displayName eq '${name}'`, $select: 'id' } });
  assert.equal(groups.length, 1, name);
  return groups[0]!.id;
}

test('GET over HTTPS with a token from MSAL; one token request serves many calls', async () => {
  const before = c.transport.tokenRequests().length;
  const results = await Promise.all(Array.from({ length: 12 }, () => c.graph.get<{ userPrincipalName: string }>(`/users/ben.miller@${MINI_VERIFIED}`)));
  assert.ok(results.every((u) => u.userPrincipalName === `ben.miller@${MINI_VERIFIED}`));
  await c.graph.get('/organization');
  assert.ok(c.transport.tokenRequests().length - before <= 1);
  assert.equal(c.transport.tokenRequests().length, 1, 'the whole file uses one Graph token');
});

test('paging follows @odata.nextLink through every user, passing the query once', async () => {
  const all = tenantState().data.users.length;
  const pages: number[] = [];
  const seen = new Set<string>();
  for await (const page of c.graph.pages<{ id: string }>('/users', { query: { $top: '3', $select: 'id,displayName' } })) {
    pages.push(page.length);
    for (const u of page) seen.add(u.id);
  }
  assert.equal(seen.size, all);
  assert.deepEqual(pages, [3, 3, all - 6]);
  const listed = await c.graph.list<{ id: string }>('/users', { query: { $top: '5' } });
  assert.equal(listed.length, all);
});

test('the client-request-id reaches the emulator ledger; a caller-fixed id is kept', async () => {
  const ben = await c.graph.get<{ id: string }>(`/users/ben.miller@${MINI_VERIFIED}`);
  const fixed = '6a1d9b51-7c1e-4c55-9f3a-0d6b0c7e1a11';
  await c.graph.patch(`/users/${ben.id}`, { jobTitle: 'Senior Account Executive' }, { clientRequestId: fixed });
  await c.graph.patch(`/users/${ben.id}`, { jobTitle: 'Account Executive' });
  const entries = h.emu.deps.ledger.list(MINI_TENANT_ID).filter((e) => e.path === `/users/${ben.id}` && e.method === 'PATCH');
  assert.equal(entries.length, 2);
  assert.equal(entries[0]!.clientRequestId, fixed);
  assert.match(entries[1]!.clientRequestId, /^[0-9a-f-]{36}$/);
  assert.notEqual(entries[1]!.clientRequestId, fixed);
});

test('403 from a read-only app is missing_permission with the Graph code', async () => {
  const ro = harnessClients(h, { tenant: { credentials: { kind: 'clientSecret', clientId: READONLY_APP.clientId, clientSecret: READONLY_APP.secret } } });
  try {
    const ben = await ro.graph.get<{ id: string }>(`/users/ben.miller@${MINI_VERIFIED}`);
    const e = await caught(ro.graph.patch(`/users/${ben.id}`, { jobTitle: 'x' }));
    assert.equal(e.code, 'missing_permission');
    assert.equal(e.details?.graphCode, 'Authorization_RequestDenied');
    assert.equal(e.details?.status, 403);
    assert.equal(e.retryable, false);
    assert.deepEqual((await ro.graph.grantedRoles()).sort(), ['Group.Read.All', 'User.Read.All']);
  } finally {
    await ro.close();
  }
});

test('404 for an unknown user is m365_not_found carrying Request_ResourceNotFound', async () => {
  const e = await caught(c.graph.get(`/users/nobody@${MINI_VERIFIED}`));
  assert.equal(e.code, 'm365_not_found');
  assert.equal(e.details?.graphCode, 'Request_ResourceNotFound');
  assert.match(String(e.details?.clientRequestId), /^[0-9a-f-]{36}$/);
  assert.ok(e.message.includes(`/users/nobody@${MINI_VERIFIED}`));
});

test('400 for a duplicate member keeps Graph\'s code and message', async () => {
  const sales = await groupId('Sales Team');
  const ben = await c.graph.get<{ id: string }>(`/users/ben.miller@${MINI_VERIFIED}`);
  const e = await caught(c.graph.post(`/groups/${sales}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${ben.id}` }));
  assert.equal(e.code, 'm365_bad_request');
  assert.equal(e.details?.graphCode, 'Request_BadRequest');
  assert.match(String(e.details?.graphMessage), /already exist/);
});

test('query values are encoded: guest UPNs with #EXT# and filters with quotes and spaces', async () => {
  const guests = await c.graph.list<{ userPrincipalName: string }>('/users', { query: { $filter: "userType eq 'Guest'" } });
  assert.ok(guests.length >= 1);
  const guest = guests[0]!;
  const got = await c.graph.get<{ userPrincipalName: string }>(`/users/${encodeURIComponent(guest.userPrincipalName)}`);
  assert.equal(got.userPrincipalName, guest.userPrincipalName);
});

test('$batch of 45 requests goes as 20/20/5 and answers in request order', async () => {
  const users = tenantState().data.users;
  const items = Array.from({ length: 45 }, (_, i) => ({ id: `r${i}`, method: 'GET' as const, url: `/users/${users[i % users.length]!.id}?$select=id` }));
  const before = c.transport.to('/$batch').length;
  const results = await c.graph.batch(items);
  const batches = c.transport.to('/$batch').slice(before);
  assert.deepEqual(batches.map((b) => (JSON.parse(b.req.body!) as { requests: unknown[] }).requests.length), [20, 20, 5]);
  assert.deepEqual(results.map((r) => r.id), items.map((i) => i.id));
  assert.ok(results.every((r, i) => r.status === 200 && (r.body as { id: string }).id === users[i % users.length]!.id));
});

test('$batch honours dependsOn and fails dependents of a failed request with 424 without sending them', async () => {
  const ben = await c.graph.get<{ id: string }>(`/users/ben.miller@${MINI_VERIFIED}`);
  const ok = await c.graph.batch([
    { id: 'set', method: 'PATCH', url: `/users/${ben.id}`, body: { department: 'Sales Ops' } },
    { id: 'read', method: 'GET', url: `/users/${ben.id}?$select=department`, dependsOn: ['set'] },
  ]);
  assert.equal(ok[0]!.status, 204);
  assert.equal((ok[1]!.body as { department: string }).department, 'Sales Ops');

  const filler = Array.from({ length: 20 }, (_, i) => ({ id: `f${i}`, method: 'GET' as const, url: `/users/${ben.id}?$select=id` }));
  const before = c.transport.to('/$batch').length;
  const res = await c.graph.batch([
    { id: 'bad', method: 'PATCH', url: '/users/00000000-0000-4000-8000-000000000000', body: { department: 'x' } },
    ...filler,
    // Lands in the second chunk: its prerequisite already failed, so it is never sent.
    { id: 'after', method: 'PATCH', url: `/users/${ben.id}`, body: { department: 'Never' }, dependsOn: ['bad'] },
  ]);
  assert.equal(res[0]!.status, 404);
  assert.equal(res.at(-1)!.status, 424);
  const second = JSON.parse(c.transport.to('/$batch')[before + 1]!.req.body!) as { requests: Array<{ id: string }> };
  assert.deepEqual(second.requests.map((r) => r.id), ['f19'], 'the dependent was not sent');
  assert.equal((await c.graph.get<{ department: string }>(`/users/${ben.id}`, { query: { $select: 'department' } })).department, 'Sales Ops');
});

test('injected 503s are retried after their Retry-After until attempts run out', async () => {
  tenantState().data.controls.faults = [{ rate: 1, kind: 503, path: '^/organization$', retryAfterSeconds: 0.25 }];
  const before = c.sleeps.length;
  const e = await caught(c.graph.get('/organization'));
  assert.equal(e.code, 'm365_unavailable');
  assert.equal(e.details?.graphCode, 'serviceNotAvailable');
  assert.deepEqual(c.sleeps.slice(before), [250, 250, 250, 250], 'five attempts, each wait taken from Retry-After');
});

test('with 30 % of writes faulting, every write lands exactly once and retries reuse the client-request-id', async () => {
  const state = tenantState();
  state.data.controls.randomSeed = 1234;
  state.data.controls.faults = [{ rate: 0.3, kind: 503, path: '^/users/[^/]+$', method: 'PATCH', retryAfterSeconds: 1 }];
  const ben = await c.graph.get<{ id: string }>(`/users/ben.miller@${MINI_VERIFIED}`);
  const since = h.emu.deps.ledger.list(MINI_TENANT_ID).at(-1)?.seq ?? 0;
  for (let i = 0; i < 20; i++) await c.graph.patch(`/users/${ben.id}`, { officeLocation: `Room ${i}` });
  const entries = h.emu.deps.ledger.list(MINI_TENANT_ID, since);
  const faults = entries.filter((e) => e.outcome === 'fault');
  const oks = entries.filter((e) => e.outcome === 'ok');
  assert.equal(oks.length, 20, 'each PATCH applied once');
  assert.ok(faults.length > 0, 'some attempts were faulted');
  const okIds = new Set(oks.map((e) => e.clientRequestId));
  assert.equal(okIds.size, 20);
  assert.ok(faults.every((f) => okIds.has(f.clientRequestId)), 'a faulted attempt was retried under the same id');
  assert.equal((await c.graph.get<{ officeLocation: string }>(`/users/${ben.id}`)).officeLocation, 'Room 19');
});

test('$batch retries only the sub-requests that were faulted, each after its own Retry-After', async () => {
  const state = tenantState();
  state.data.controls.randomSeed = 99;
  state.data.controls.faults = [{ rate: 0.3, kind: 429, path: '^/users/[^/]+$', method: 'GET', retryAfterSeconds: 2 }];
  const users = state.data.users;
  const items = Array.from({ length: 30 }, (_, i) => ({ id: `q${i}`, method: 'GET' as const, url: `/users/${users[i % users.length]!.id}` }));
  const before = c.transport.to('/$batch').length;
  const sleepsBefore = c.sleeps.length;
  const results = await c.graph.batch(items);
  assert.ok(results.every((r) => r.status === 200), JSON.stringify(results.map((r) => r.status)));
  const sent = c.transport.to('/$batch').slice(before).map((b) => (JSON.parse(b.req.body!) as { requests: Array<{ id: string }> }).requests.length);
  assert.equal(sent[0], 20);
  assert.equal(sent[1], 10);
  const resent = sent.slice(2).reduce((a, b) => a + b, 0);
  assert.ok(resent > 0 && resent < 30, `only faulted items go again (${resent})`);
  assert.ok(c.sleeps.slice(sleepsBefore).every((ms) => ms === 2000));
});

test('an emulator 429 maps to m365_throttled and pauses the pacing budget for that tenant', async () => {
  const clock = new TestClock(0);
  const pacing = new PacingBudget({ clock, sleep: async (ms) => { clock.advance(ms); } });
  const p = harnessClients(h, { pacing, retry: { maxAttempts: 1 } });
  try {
    tenantState().data.controls.throttling = { enabled: true, resourceUnitsPer10s: 4 };
    await p.graph.get('/users', { query: { $top: '1' } }); // ~1 RU
    const e = await caught((async () => { for (let i = 0; i < 10; i++) await p.graph.get('/users'); })());
    assert.equal(e.code, 'm365_throttled');
    assert.ok((e.retryAfterMs ?? 0) > 0);
    assert.equal(e.details?.graphCode, 'TooManyRequests');
    const wait = pacing.reserve({ tenantId: MINI_TENANT_ID, appId: p.tenant.credentials.clientId, surface: 'graph', requests: 1, ru: 2, writes: 0 });
    assert.equal(wait, e.retryAfterMs, 'the next call waits out Retry-After before it is sent');
  } finally {
    await p.close();
  }
});

test('learnTenantSize counts users and sets the size class', async () => {
  const pacing = new PacingBudget();
  const p = harnessClients(h, { pacing });
  try {
    const n = await p.graph.learnTenantSize();
    assert.equal(n, tenantState().data.users.length);
    assert.equal(pacing.tenantSize(MINI_TENANT_ID), 'S');
  } finally {
    await p.close();
  }
});
