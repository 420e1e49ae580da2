import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.ts';
import { graphSdkClient } from './graph-sdk-client.ts';
import { MINI_TENANT_ID, READONLY_APP, miniSeed } from '../fixtures/mini-seed.ts';

let h: Harness;
let sdk: ReturnType<typeof graphSdkClient>;
const seed = miniSeed().tenants[0]!;
const user = (upnPrefix: string) => seed.users.find((u) => u.userPrincipalName.startsWith(upnPrefix))!;
const team = seed.groups.find((g) => g.displayName === 'Sales Team')!;
const tenant = () => h.emu.deps.store.tenant(MINI_TENANT_ID)!;
const bind = (id: string) => `https://graph.microsoft.com/v1.0/users('${id}')`;

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
});

async function members(): Promise<any[]> {
  return (await sdk.client.api(`/teams/${team.id}/members`).get()).value;
}

test('lists a team\'s members as aadUserConversationMembers with roles and their own ids', async () => {
  const list = await members();
  assert.equal(list.length, 2);
  const cara = list.find((m) => m.userId === user('cara.diaz').id);
  const ben = list.find((m) => m.userId === user('ben.miller').id);
  assert.equal(cara['@odata.type'], '#microsoft.graph.aadUserConversationMember');
  assert.deepEqual(cara.roles, ['owner']);
  assert.deepEqual(ben.roles, []);
  assert.notEqual(ben.id, ben.userId, 'the membership id is not the user id');
  assert.equal(ben.email, user('ben.miller').mail);
  assert.equal(ben.tenantId, MINI_TENANT_ID);
  const one = await sdk.client.api(`/teams/${team.id}/members/${ben.id}`).get();
  assert.equal(one.displayName, 'Ben Miller');
});

test('adds a member with the documentation example body and the group follows', async () => {
  const ava = user('ava.boss');
  const added = await sdk.client.api(`/teams/${team.id}/members`).post({
    '@odata.type': '#microsoft.graph.aadUserConversationMember',
    roles: ['owner'],
    'user@odata.bind': bind(ava.id),
  });
  assert.equal(added.userId, ava.id);
  assert.deepEqual(added.roles, ['owner']);
  assert.notEqual(added.id, ava.id);
  const g = tenant().group(team.id)!;
  assert.ok(g.memberIds.includes(ava.id));
  assert.ok(g.ownerIds.includes(ava.id));
  const groupMembers = await sdk.client.api(`/groups/${team.id}/members`).get();
  assert.ok(groupMembers.value.some((m: any) => m.id === ava.id));
  const unknown = await h.graph(`/v1.0/teams/${team.id}/members`, { method: 'POST', body: { '@odata.type': '#microsoft.graph.aadUserConversationMember', roles: [], 'user@odata.bind': bind('00000000-0000-4000-8000-000000000000') } });
  assert.equal(unknown.status, 404);
});

test('removes a member by membership id; the last owner stays', async () => {
  const list = await members();
  const ben = list.find((m) => m.userId === user('ben.miller').id);
  const cara = list.find((m) => m.userId === user('cara.diaz').id);
  assert.equal((await h.graph(`/v1.0/teams/${team.id}/members/${ben.id}`, { method: 'DELETE' })).status, 204);
  assert.equal(tenant().group(team.id)!.memberIds.includes(user('ben.miller').id), false);
  assert.equal((await h.graph(`/v1.0/teams/${team.id}/members/${ben.id}`, { method: 'DELETE' })).status, 404);
  const lastOwner = await h.graph(`/v1.0/teams/${team.id}/members/${cara.id}`, { method: 'DELETE' });
  assert.equal(lastOwner.status, 400);
  assert.deepEqual((await members()).map((m) => m.userId), [user('cara.diaz').id]);
});

test('members/add in bulk returns actionResultParts; a bad item makes it 207', async () => {
  const ok = await h.graph(`/v1.0/teams/${team.id}/members/add`, {
    method: 'POST',
    body: {
      values: [
        { '@odata.type': 'microsoft.graph.aadUserConversationMember', roles: [], 'user@odata.bind': bind(user('ava.boss').id) },
        { '@odata.type': 'microsoft.graph.aadUserConversationMember', roles: ['owner'], 'user@odata.bind': bind(user('dan.nolocation').id) },
      ],
    },
  });
  assert.equal(ok.status, 200);
  assert.match(ok.body['@odata.context'], /Collection\(microsoft\.graph\.actionResultPart\)$/);
  assert.deepEqual(ok.body.value.map((v: any) => [v['@odata.type'], v.userId, v.error]), [
    ['#microsoft.graph.aadUserConversationMemberResult', user('ava.boss').id, null],
    ['#microsoft.graph.aadUserConversationMemberResult', user('dan.nolocation').id, null],
  ]);
  assert.equal((await members()).length, 4);
  const partial = await h.graph(`/v1.0/teams/${team.id}/members/add`, {
    method: 'POST',
    body: { values: [
      { '@odata.type': 'microsoft.graph.aadUserConversationMember', roles: [], 'user@odata.bind': bind(user('eve.disabled').id) },
      { '@odata.type': 'microsoft.graph.aadUserConversationMember', roles: [], 'user@odata.bind': bind('00000000-0000-4000-8000-000000000000') },
    ] },
  });
  assert.equal(partial.status, 207);
  assert.equal(partial.body.value[0].error, null);
  assert.equal(partial.body.value[1].error.code, 'NotFound');
});

test('members/remove in bulk by userId', async () => {
  const res = await h.graph(`/v1.0/teams/${team.id}/members/remove`, {
    method: 'POST',
    body: { values: [{ '@odata.type': 'microsoft.graph.aadUserConversationMember', userId: user('ben.miller').id }] },
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.value[0].error, null);
  assert.deepEqual((await members()).map((m) => m.userId), [user('cara.diaz').id]);
});

test('a group that is not a team answers 404; a read-only app can read but not add', async () => {
  const vpn = seed.groups.find((g) => g.displayName === 'VPN Users')!;
  const notTeam = await h.graph(`/v1.0/teams/${vpn.id}/members`);
  assert.equal(notTeam.status, 404);
  assert.equal(notTeam.body.error.code, 'NotFound');
  const token = await h.token({ clientId: READONLY_APP.clientId, secret: READONLY_APP.secret });
  assert.equal((await h.graph(`/v1.0/teams/${team.id}/members`, { token })).status, 200);
  const write = await h.graph(`/v1.0/teams/${team.id}/members`, { method: 'POST', token, body: { '@odata.type': '#microsoft.graph.aadUserConversationMember', roles: [], 'user@odata.bind': bind(user('ava.boss').id) } });
  assert.equal(write.status, 403);
  assert.equal(write.body.error.code, 'Authorization_RequestDenied');
  assert.equal(tenant().group(team.id)!.memberIds.length, 2);
});
