import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { BatchRequestContent, BatchResponseContent } from '@microsoft/microsoft-graph-client';
import { startHarness, type Harness } from './harness.ts';
import { graphSdkClient } from './graph-sdk-client.ts';
import { MINI_TENANT_ID, READONLY_APP, miniSeed } from '../fixtures/mini-seed.ts';

let h: Harness;
let sdk: ReturnType<typeof graphSdkClient>;
const seed = miniSeed().tenants[0]!;
const user = (upnPrefix: string) => seed.users.find((u) => u.userPrincipalName.startsWith(upnPrefix))!;
const group = (name: string) => seed.groups.find((g) => g.displayName === name)!;
const tenant = () => h.emu.deps.store.tenant(MINI_TENANT_ID)!;
const json = { 'Content-Type': 'application/json' };
const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
const byId = (res: any, id: string) => res.responses.find((r: any) => r.id === id);

before(async () => {
  h = await startHarness();
  sdk = graphSdkClient(h);
});
after(async () => {
  await sdk.close();
  await h.close();
});
beforeEach(() => {
  h.emu.deps.store.reset(MINI_TENANT_ID);
  h.emu.deps.ledger.clear(MINI_TENANT_ID);
});

test('a batch runs reads and writes; dependsOn orders them', async () => {
  const vpn = group('VPN Users');
  const cara = user('cara.diaz');
  const res = await sdk.client.api('/$batch').post({
    requests: [
      { id: '1', method: 'GET', url: `/groups/${vpn.id}?$select=id,displayName` },
      { id: '2', method: 'POST', url: `/groups/${vpn.id}/members/$ref`, headers: json, body: ref(cara.id) },
      { id: '3', method: 'GET', url: `groups/${vpn.id}/members?$select=id`, dependsOn: ['2'] },
    ],
  });
  assert.equal(res.responses.length, 3);
  assert.equal(byId(res, '1').status, 200);
  assert.deepEqual(Object.keys(byId(res, '1').body).filter((k) => !k.startsWith('@')).sort(), ['displayName', 'id']);
  assert.equal(byId(res, '2').status, 204);
  assert.equal(byId(res, '2').body, undefined);
  assert.equal(byId(res, '3').status, 200);
  assert.ok(byId(res, '3').body.value.some((m: any) => m.id === cara.id), 'the dependent read sees the write');
  assert.match(byId(res, '3').headers['Content-Type'], /^application\/json/);
  const writes = h.emu.deps.ledger.list(MINI_TENANT_ID);
  assert.equal(writes.length, 1);
  assert.equal(writes[0]!.batched, true);
  assert.equal(writes[0]!.path, `/groups/${vpn.id}/members/$ref`);
});

test('a failed prerequisite fails its dependents with 424 and they never run', async () => {
  const vpn = group('VPN Users');
  const ben = user('ben.miller');
  const res = await h.graph('/v1.0/$batch', {
    method: 'POST',
    body: {
      requests: [
        { id: 'a', method: 'POST', url: `/groups/${vpn.id}/members/$ref`, headers: { ...json, 'client-request-id': 'batch-item-a' }, body: ref(ben.id) },
        { id: 'b', method: 'DELETE', url: `/groups/${vpn.id}/members/${user('ava.boss').id}/$ref`, dependsOn: ['a'] },
        { id: 'c', method: 'GET', url: `/groups/${vpn.id}`, dependsOn: ['b'] },
        { id: 'd', method: 'GET', url: `/groups/${vpn.id}` },
      ],
    },
  });
  assert.equal(res.status, 200, 'the batch itself succeeds');
  const a = byId(res.body, 'a');
  assert.equal(a.status, 400);
  assert.equal(a.body.error.code, 'Request_BadRequest');
  assert.equal(a.headers['client-request-id'], 'batch-item-a');
  for (const id of ['b', 'c']) {
    const r = byId(res.body, id);
    assert.equal(r.status, 424, id);
    assert.equal(r.body.error.code, 'FailedDependency');
  }
  assert.equal(byId(res.body, 'd').status, 200);
  assert.deepEqual(tenant().group(vpn.id)!.memberIds, vpn.memberIds, 'the dependent delete never ran');
  const ledger = h.emu.deps.ledger.list(MINI_TENANT_ID);
  assert.deepEqual(ledger.map((e) => [e.method, e.status, e.clientRequestId]), [['POST', 400, 'batch-item-a']]);
});

test('more than 20 requests, duplicate ids, missing Content-Type and unknown dependsOn are malformed (400)', async () => {
  const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: '/groups' }));
  const tooMany = await h.graph('/v1.0/$batch', { method: 'POST', body: { requests: many } });
  assert.equal(tooMany.status, 400);
  assert.equal(tooMany.body.error.code, 'BadRequest');
  assert.equal(tooMany.body.error.message, 'Number of batch requests exceeds the limit of 20.');
  const twenty = await h.graph('/v1.0/$batch', { method: 'POST', body: { requests: many.slice(0, 20) } });
  assert.equal(twenty.status, 200);
  assert.equal(twenty.body.responses.length, 20);
  const bad = [
    { requests: [{ id: '1', method: 'GET', url: '/groups' }, { id: '1', method: 'GET', url: '/groups' }] },
    { requests: [{ id: '1', method: 'POST', url: `/groups/${group('VPN Users').id}/members/$ref`, body: ref(user('cara.diaz').id) }] },
    { requests: [{ id: '1', method: 'GET', url: '/groups', dependsOn: ['9'] }] },
    { requests: [{ id: '1', method: 'GET', url: '/groups', dependsOn: ['2'] }, { id: '2', method: 'GET', url: '/groups', dependsOn: ['1'] }] },
    { requests: [{ id: '1', method: 'FETCH', url: '/groups' }] },
    { requests: 'all of them' },
    { nothing: true },
  ];
  for (const body of bad) {
    const r = await h.graph('/v1.0/$batch', { method: 'POST', body });
    assert.equal(r.status, 400, JSON.stringify(body));
  }
  assert.equal(h.emu.deps.ledger.list(MINI_TENANT_ID).length, 0, 'a malformed batch runs nothing');
});

test('each sub-request is authorised on its own; unknown paths fail only their item', async () => {
  const token = await h.token({ clientId: READONLY_APP.clientId, secret: READONLY_APP.secret });
  const vpn = group('VPN Users');
  const res = await h.graph('/beta/$batch', {
    method: 'POST', token,
    body: {
      requests: [
        { id: '1', method: 'GET', url: `/groups/${vpn.id}` },
        { id: '2', method: 'POST', url: `/groups/${vpn.id}/members/$ref`, headers: json, body: ref(user('cara.diaz').id) },
        { id: '3', method: 'GET', url: '/noSuchThing' },
      ],
    },
  });
  assert.equal(res.status, 200);
  assert.equal(byId(res.body, '1').status, 200);
  assert.match(byId(res.body, '1').body['@odata.context'], /\/beta\/\$metadata#groups/);
  assert.equal(byId(res.body, '2').status, 403);
  assert.equal(byId(res.body, '2').body.error.code, 'Authorization_RequestDenied');
  assert.equal(byId(res.body, '3').status, 400);
});

test('the SDK\'s BatchRequestContent round-trips through the emulator', async () => {
  const vpn = group('VPN Users');
  const base = `${h.emu.httpsUrl}/v1.0`;
  const content = new BatchRequestContent([
    { id: '1', request: new Request(`${base}/groups/${vpn.id}/members`, { method: 'GET' }) },
    {
      id: '2',
      request: new Request(`${base}/groups/${vpn.id}/members/$ref`, { method: 'POST', headers: json, body: JSON.stringify(ref(user('eve.disabled').id)) }),
      dependsOn: ['1'],
    },
  ]);
  const raw = await sdk.client.api('/$batch').post(await content.getContent());
  const parsed = new BatchResponseContent(raw);
  assert.equal(parsed.getResponseById('1').status, 200);
  assert.equal(parsed.getResponseById('2').status, 204);
  assert.ok(tenant().group(vpn.id)!.memberIds.includes(user('eve.disabled').id));
});
