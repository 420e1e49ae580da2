import { test, after, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../emulator/harness.ts';
import { MINI_TENANT_ID, MINI_VERIFIED, READONLY_APP } from '../fixtures/mini-seed.ts';
import { AppError } from '../../src/core/errors.ts';
import { ExchangeClient, systemAnchor } from '../../src/m365/exchange-client.ts';
import type { Send } from '../../src/m365/http-transport.ts';
import { harnessClients, instantRetry, type Clients } from './helpers.ts';

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
});

async function caught(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof AppError, `expected AppError, got ${String(e)}`);
  return e;
}

test('InvokeCommand runs a cmdlet with the Exchange token, the system anchor and a 1000-item page preference', async () => {
  const res = await c.exchange.invoke('Get-Mailbox', { Identity: `ben.miller@${MINI_VERIFIED}` });
  assert.equal(res.value.length, 1);
  assert.equal(String(res.value[0]!.UserPrincipalName ?? res.value[0]!.PrimarySmtpAddress).toLowerCase(), `ben.miller@${MINI_VERIFIED}`);
  assert.deepEqual(res.warnings, []);
  const call = c.transport.to('/InvokeCommand').at(-1)!;
  assert.equal(call.req.url, `${h.emu.httpsUrl}/adminapi/beta/${MINI_TENANT_ID}/InvokeCommand`);
  assert.equal(call.req.headers['X-AnchorMailbox'], systemAnchor(MINI_TENANT_ID));
  assert.equal(call.req.headers.Prefer, 'odata.maxpagesize=1000');
  assert.deepEqual(JSON.parse(call.req.body!), { CmdletInput: { CmdletName: 'Get-Mailbox', Parameters: { Identity: `ben.miller@${MINI_VERIFIED}` } } });
  const claims = JSON.parse(Buffer.from(call.req.headers.Authorization!.split('.')[1]!, 'base64url').toString());
  assert.equal(claims.aud, 'https://outlook.office365.com');
  assert.ok((await c.exchange.grantedRoles()).includes('Exchange.ManageAsApp'));
});

test('paging re-POSTs the same body to @odata.nextLink until every object is read', async () => {
  const small = harnessClients(h, { maxPageSize: 2 });
  try {
    const all = tenantState().data.mailboxes.length;
    const res = await small.exchange.invoke('Get-Mailbox', { ResultSize: 'Unlimited' });
    assert.equal(res.value.length, all);
    assert.equal(new Set(res.value.map((m) => String(m.ExchangeGuid ?? m.Guid ?? m.Identity))).size, all);
    const calls = small.transport.to('/InvokeCommand');
    assert.equal(calls.length, Math.ceil(all / 2));
    assert.ok(calls.every((x) => x.req.body === calls[0]!.req.body), 'the same body every time');
    assert.ok(calls.slice(1).every((x) => new URL(x.req.url).searchParams.has('$skiptoken')), 'later pages go to the nextLink');
  } finally {
    await small.close();
  }
});

test('warnings come back next to the values', async () => {
  const upn = `cara.diaz@${MINI_VERIFIED}`;
  await c.exchange.invoke('Set-Mailbox', { Identity: upn, HiddenFromAddressListsEnabled: false }, { anchorMailbox: upn });
  const again = await c.exchange.invoke('Set-Mailbox', { Identity: upn, HiddenFromAddressListsEnabled: false }, { anchorMailbox: upn });
  assert.equal(again.warnings.length, 1);
  assert.match(again.warnings[0]!, /no settings/);
  assert.equal(c.transport.to('/InvokeCommand').at(-1)!.req.headers['X-AnchorMailbox'], upn);
});

test('ManagementObjectNotFoundException maps to m365_not_found and carries the exception type', async () => {
  const e = await caught(c.exchange.invoke('Get-Mailbox', { Identity: `ghost@${MINI_VERIFIED}` }));
  assert.equal(e.code, 'm365_not_found');
  assert.equal(e.details?.exceptionName, 'ManagementObjectNotFoundException');
  assert.equal(e.details?.cmdlet, 'Get-Mailbox');
  assert.match(e.message, /ghost@/);
  assert.ok(!e.message.startsWith('|'), 'the |Type| prefix is stripped from the message');
});

test('a bad parameter is m365_bad_request; an app without Exchange.ManageAsApp is missing_permission', async () => {
  const bad = await caught(c.exchange.invoke('Get-Mailbox', { NoSuchParameter: 1 }));
  assert.equal(bad.code, 'm365_bad_request');
  assert.ok(bad.details?.exceptionType);
  const ro = harnessClients(h, { tenant: { credentials: { kind: 'clientSecret', clientId: READONLY_APP.clientId, clientSecret: READONLY_APP.secret } } });
  try {
    const denied = await caught(ro.exchange.invoke('Get-Mailbox', {}));
    assert.equal(denied.code, 'missing_permission');
  } finally {
    await ro.close();
  }
});

test('read-after-create: a not-found recipient is retried on the schedule only when asked', async () => {
  const state = tenantState();
  const upn = `ben.miller@${MINI_VERIFIED}`;
  const userId = state.data.users.find((u) => u.userPrincipalName === upn)!.id;
  const mbx = state.removeMailbox(userId)!;
  // The mailbox "finishes provisioning" after the second attempt has been answered.
  let attempts = 0;
  const base = c.transport.sendFor(c.tenant);
  const send: Send = async (req) => {
    const res = await base(req);
    if (req.url.includes('/InvokeCommand') && ++attempts === 2) state.addMailbox(mbx);
    return res;
  };
  try {
    const plain = new ExchangeClient({ tenant: c.tenant, tokens: c.tokens, send, retry: instantRetry().retry });
    const e = await caught(plain.invoke('Get-Mailbox', { Identity: upn }));
    assert.equal(e.code, 'm365_not_found');
    assert.equal(attempts, 1, 'not retried unless asked');

    const { retry, sleeps } = instantRetry();
    const patient = new ExchangeClient({ tenant: c.tenant, tokens: c.tokens, send, retry });
    const res = await patient.invoke('Get-Mailbox', { Identity: upn }, { retryNotFound: true });
    assert.equal(res.value.length, 1);
    assert.equal(attempts, 3);
    assert.deepEqual(sleeps, [10]);
  } finally {
    if (!state.mailbox(userId)) state.addMailbox(mbx);
  }
});

test('injected 503s on a write are retried under the same client-request-id; it applies once', async () => {
  const state = tenantState();
  state.data.controls.randomSeed = 77;
  state.data.controls.faults = [{ rate: 0.5, kind: 503, surface: 'exchange', cmdlet: '^Set-Mailbox$', retryAfterSeconds: 1 }];
  const since = h.emu.deps.ledger.list(MINI_TENANT_ID).at(-1)?.seq ?? 0;
  const upn = `ava.boss@${MINI_VERIFIED}`;
  for (const hidden of [true, false, true, false, true, false]) {
    await c.exchange.invoke('Set-Mailbox', { Identity: upn, HiddenFromAddressListsEnabled: hidden }, { anchorMailbox: upn });
  }
  const entries = h.emu.deps.ledger.list(MINI_TENANT_ID, since).filter((e) => e.surface === 'exchange');
  const oks = entries.filter((e) => e.outcome === 'ok');
  assert.equal(oks.length, 6);
  assert.ok(entries.some((e) => e.outcome === 'fault'));
  const okIds = new Set(oks.map((e) => e.clientRequestId));
  assert.ok(entries.filter((e) => e.outcome === 'fault').every((f) => okIds.has(f.clientRequestId)));
});

test('$batch sends up to 10 cmdlets per request, in order, and reports per-item errors', async () => {
  const upns = ['ava.boss', 'ben.miller', 'cara.diaz', 'info'].map((n) => `${n}@${MINI_VERIFIED}`);
  const items = Array.from({ length: 13 }, (_, i) => ({ id: `m${i}`, cmdlet: 'Get-Mailbox', parameters: { Identity: i === 12 ? `ghost@${MINI_VERIFIED}` : upns[i % upns.length]! } }));
  const before = c.transport.to('/$batch').length;
  const res = await c.exchange.batch(items);
  const batches = c.transport.to('/$batch').slice(before);
  assert.deepEqual(batches.map((b) => (JSON.parse(b.req.body!) as { requests: unknown[] }).requests.length), [10, 3]);
  assert.match(batches[0]!.req.headers.Prefer!, /odata\.continue-on-error/);
  assert.deepEqual(res.map((r) => r.id), items.map((i) => i.id));
  for (const r of res.slice(0, 12)) assert.equal(r.status, 200);
  assert.equal(res[0]!.value.length, 1);
  assert.equal(res[12]!.status, 404);
  assert.equal(res[12]!.error?.code, 'm365_not_found');
  assert.equal(res[12]!.error?.details?.exceptionName, 'ManagementObjectNotFoundException');
});

test('$batch items hit by 429 are sent again after their Retry-After', async () => {
  const state = tenantState();
  state.data.controls.randomSeed = 3;
  state.data.controls.faults = [{ rate: 0.4, kind: 429, surface: 'exchange', cmdlet: '^Get-Mailbox$', retryAfterSeconds: 3 }];
  const upn = `ava.boss@${MINI_VERIFIED}`;
  const items = Array.from({ length: 10 }, (_, i) => ({ id: `x${i}`, cmdlet: 'Get-Mailbox', parameters: { Identity: upn } }));
  const sleepsBefore = c.sleeps.length;
  const before = c.transport.to('/$batch').length;
  const res = await c.exchange.batch(items);
  assert.ok(res.every((r) => r.status === 200), JSON.stringify(res.map((r) => r.status)));
  const rounds = c.transport.to('/$batch').slice(before).map((b) => (JSON.parse(b.req.body!) as { requests: unknown[] }).requests.length);
  assert.equal(rounds[0], 10);
  assert.ok(rounds.length > 1 && rounds.slice(1).every((n) => n < 10));
  assert.ok(c.sleeps.slice(sleepsBefore).every((ms) => ms === 3000));
});
