// The /_emulator control plane: tenants, controls (validation and merge), ledger, reset, outbox
// and the inspector's read views.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.ts';
import { MINI_DOMAIN, MINI_TENANT_ID, MINI_VERIFIED } from '../fixtures/mini-seed.ts';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${h.base}/_emulator${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const T = `/tenants/${MINI_DOMAIN}`;

beforeEach(async () => {
  await call('PUT', `${T}/controls`, {});
  assert.equal((await call('POST', `${T}/reset`)).status, 200);
});

describe('tenants', () => {
  test('lists the loaded tenants with domains and counts', async () => {
    const r = await call('GET', '/tenants');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.value, [{
      id: MINI_TENANT_ID, displayName: 'Tailspin Toys', domains: [MINI_DOMAIN, MINI_VERIFIED], userCount: 8, groupCount: 7,
    }]);
  });

  test('a tenant is found by GUID, initial or verified domain; unknown is a JSON 404', async () => {
    for (const key of [MINI_TENANT_ID, MINI_DOMAIN, MINI_VERIFIED]) {
      const r = await call('GET', `/tenants/${key}`);
      assert.equal(r.status, 200, key);
      assert.equal(r.body.id, MINI_TENANT_ID);
      assert.equal(r.body.counts.mailboxes, 4);
      assert.equal(r.body.sizeClass, 'S');
    }
    const missing = await call('GET', '/tenants/contoso.onmicrosoft.com/controls');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'TenantNotFound');
    assert.match(missing.body.error.message, /contoso\.onmicrosoft\.com/);
  });
});

describe('controls', () => {
  test('PATCH merges objects, keeps what it does not name, and null removes an override', async () => {
    let r = await call('PATCH', `${T}/controls`, { latency: { mode: 'fixed', ms: 50 }, throttling: { enabled: true } });
    assert.equal(r.status, 200);
    r = await call('PATCH', `${T}/controls`, { latency: { ms: 80 }, throttling: { resourceUnitsPer10s: 100 } });
    assert.deepEqual(r.body.latency, { mode: 'fixed', ms: 80 });
    assert.deepEqual(r.body.throttling, { enabled: true, resourceUnitsPer10s: 100 });
    r = await call('PATCH', `${T}/controls`, { throttling: { resourceUnitsPer10s: null }, latency: { mode: 'off', ms: null } });
    assert.deepEqual(r.body.throttling, { enabled: true });
    assert.deepEqual(r.body.latency, { mode: 'off' });
    assert.deepEqual((await call('GET', `${T}/controls`)).body, r.body);
  });

  test('PUT replaces: what it leaves out goes back to off', async () => {
    await call('PATCH', `${T}/controls`, { faults: [{ rate: 0.1, kind: 500 }], readAfterCreateDelayMs: 2000 });
    const r = await call('PUT', `${T}/controls`, { throttling: { enabled: true }, randomSeed: 42 });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { latency: { mode: 'off' }, throttling: { enabled: true }, faults: [], readAfterCreateDelayMs: 0, randomSeed: 42 });
  });

  test('bad input is a 400 with a message naming the field, and changes nothing', async () => {
    const before = (await call('GET', `${T}/controls`)).body;
    const cases: Array<[unknown, RegExp]> = [
      [{ latency: { mode: 'uniform', ms: 10 } }, /latency\.maxMs/],
      [{ latency: { mode: 'lognormal', ms: 100, p99Ms: 50 } }, /latency\.p99Ms/],
      [{ faults: [{ rate: 2, kind: 500 }] }, /faults\.0\.rate/],
      [{ faults: [{ rate: 0.5, kind: 418 }] }, /faults\.0\.kind/],
      [{ faults: [{ rate: 0.5, kind: 500, path: '(' }] }, /faults\.0\.path: not a valid regular expression/],
      [{ throttling: { enabled: 'yes' } }, /throttling\.enabled/],
      [{ throttling: { resourceUnitsPer10s: 0 } }, /throttling\.resourceUnitsPer10s/],
      [{ colour: 'blue' }, /colour/],
      [[1, 2], /JSON object/],
    ];
    for (const [body, re] of cases) {
      const r = await call('PATCH', `${T}/controls`, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, 'InvalidControls');
      assert.match(r.body.error.message, re, JSON.stringify(body));
    }
    assert.deepEqual((await call('GET', `${T}/controls`)).body, before);
  });

  test('a PATCHed fault applies to the next request and is lifted as quickly', async () => {
    await call('PATCH', `${T}/controls`, { faults: [{ rate: 1, kind: 500, path: '^/subscribedSkus$', method: 'GET' }] });
    const failed = await h.graph('/v1.0/subscribedSkus');
    assert.equal(failed.status, 500);
    assert.equal(failed.body.error.code, 'generalException');
    await call('PATCH', `${T}/controls`, { faults: [] });
    assert.equal((await h.graph('/v1.0/subscribedSkus')).status, 200);
  });

  test('the throttling view shows the buckets a request charged', async () => {
    await call('PATCH', `${T}/controls`, { throttling: { enabled: true, resourceUnitsPer10s: 50 } });
    await h.graph('/v1.0/subscribedSkus');
    const r = await call('GET', `${T}/throttling`);
    const ru = r.body.buckets.find((b: any) => b.key.startsWith('ru|'));
    assert.equal(ru.capacity, 50);
    assert.ok(ru.remaining < 50 && ru.remaining >= 46, `remaining ${ru.remaining}`);
  });
});

describe('ledger', () => {
  test('lists writes with since, surface and outcome filters, and clears', async () => {
    await h.exo('Set-Mailbox', { Identity: 'ben.miller', HiddenFromAddressListsEnabled: true });
    await h.exo('Set-Mailbox', { Identity: 'ghost', HiddenFromAddressListsEnabled: true });
    let r = await call('GET', `${T}/ledger`);
    assert.equal(r.body.count, 2);
    assert.deepEqual(r.body.value.map((e: any) => e.outcome), ['ok', 'error']);
    const lastSeq = r.body.lastSeq;
    assert.equal(lastSeq, r.body.value[1].seq);
    assert.equal((await call('GET', `${T}/ledger?outcome=error`)).body.value[0].status, 404);
    assert.equal((await call('GET', `${T}/ledger?surface=graph`)).body.count, 0);
    assert.equal((await call('GET', `${T}/ledger?since=${lastSeq}`)).body.count, 0);
    await h.exo('Set-Mailbox', { Identity: 'cara.diaz', HiddenFromAddressListsEnabled: true });
    r = await call('GET', `${T}/ledger?since=${lastSeq}`);
    assert.equal(r.body.count, 1);
    assert.equal(r.body.value[0].cmdlet, 'Set-Mailbox');
    assert.equal((await call('GET', `${T}/ledger?since=abc`)).status, 400);
    assert.equal((await call('GET', `${T}/ledger?outcome=meh`)).status, 400);
    assert.equal((await call('DELETE', `${T}/ledger`)).status, 204);
    assert.equal((await call('GET', `${T}/ledger`)).body.count, 0);
  });
});

describe('reset and outbox', () => {
  test('reset restores the seed, clears the ledger and keeps the controls', async () => {
    await call('PATCH', `${T}/controls`, { readAfterCreateDelayMs: 500 });
    await h.exo('Set-Mailbox', { Identity: 'ben.miller', Type: 'Shared' });
    const tenant = h.emu.deps.store.tenant(MINI_DOMAIN)!;
    tenant.data.outbox.push({
      id: 'm1', fromUserId: tenant.user('ben.miller@tailspin.com')!.id, from: 'ben.miller@tailspin.com', subject: 'Hello',
      body: { contentType: 'Text', content: 'Hi' }, toRecipients: ['cara.diaz@tailspin.com'], ccRecipients: [], bccRecipients: [],
      saveToSentItems: true, sentDateTime: new Date().toISOString(),
    });
    const outbox = await call('GET', `${T}/outbox`);
    assert.equal(outbox.body.count, 1);
    assert.equal(outbox.body.value[0].subject, 'Hello');
    const r = await call('POST', `${T}/reset`);
    assert.equal(r.status, 200);
    assert.equal(r.body.counts.ledger, 0);
    assert.equal(r.body.controls.readAfterCreateDelayMs, 500);
    const m = await h.exo('Get-Mailbox', { Identity: 'ben.miller' });
    assert.equal(m.body.value[0].RecipientTypeDetails, 'UserMailbox');
    assert.equal((await call('GET', `${T}/outbox`)).body.count, 0);
  });
});

describe('inspector', () => {
  test('users: search, paging and the facts a person checks', async () => {
    const ben = await call('GET', `${T}/users?search=miller`);
    assert.equal(ben.body.count, 1);
    const u = ben.body.value[0];
    assert.equal(u.userPrincipalName, 'ben.miller@tailspin.com');
    assert.deepEqual([...u.licenses].sort(), ['SPE_E3', 'VISIOCLIENT'], 'direct and group-inherited');
    assert.equal(u.mailbox, 'UserMailbox');
    assert.deepEqual(u.authMethods, ['password', 'microsoftAuthenticator', 'phone']);
    const page = await call('GET', `${T}/users?top=3&skip=6`);
    assert.equal(page.body.count, 8);
    assert.equal(page.body.value.length, 2);
    assert.equal((await call('GET', `${T}/users?top=0`)).status, 400);
    assert.equal((await call('GET', `${T}/users?skip=-1`)).status, 400);
  });

  test('groups: kind, dynamic membership counts and licences', async () => {
    const r = await call('GET', `${T}/groups?top=100`);
    const byName = new Map(r.body.value.map((g: any) => [g.displayName, g]));
    assert.equal((byName.get('All Staff') as any).kind, 'Distribution');
    assert.equal((byName.get('Finance') as any).kind, 'Mail-enabled security');
    assert.equal((byName.get('Sales Team') as any).kind, 'Microsoft 365');
    assert.equal((byName.get('Sales Team') as any).team, true);
    assert.equal((byName.get('Sales Dynamic') as any).dynamic, true);
    assert.equal((byName.get('Sales Dynamic') as any).memberCount, 2);
    assert.deepEqual((byName.get('Visio Users') as any).licenses, ['VISIOCLIENT']);
  });

  test('licenses: consumed and available per SKU', async () => {
    const r = await call('GET', `${T}/licenses`);
    const e3 = r.body.value.find((s: any) => s.skuPartNumber === 'SPE_E3');
    assert.deepEqual([e3.prepaid, e3.consumed, e3.available], [4, 3, 1]);
    const visio = r.body.value.find((s: any) => s.skuPartNumber === 'VISIOCLIENT');
    assert.deepEqual([visio.prepaid, visio.consumed, visio.available], [1, 1, 0]);
  });

  test('mailboxes: type and delegates as Exchange changed them', async () => {
    await h.exo('Add-MailboxPermission', { Identity: 'info', User: 'cara.diaz@tailspin.com', AccessRights: ['FullAccess'] });
    const r = await call('GET', `${T}/mailboxes?search=info`);
    assert.equal(r.body.count, 1);
    assert.equal(r.body.value[0].recipientTypeDetails, 'SharedMailbox');
    assert.deepEqual(r.body.value[0].fullAccess, ['cara.diaz@tailspin.com']);
  });
});
