import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.ts';
import { graphSdkClient } from './graph-sdk-client.ts';
import { MINI_TENANT_ID, READONLY_APP, miniSeed } from '../fixtures/mini-seed.ts';

let h: Harness;
let sdk: ReturnType<typeof graphSdkClient>;
const seed = miniSeed().tenants[0]!;
const user = (upnPrefix: string) => seed.users.find((u) => u.userPrincipalName.startsWith(upnPrefix))!;
const group = (name: string) => seed.groups.find((g) => g.displayName === name)!;
const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
const tenant = () => h.emu.deps.store.tenant(MINI_TENANT_ID)!;

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

async function sdkError(p: Promise<unknown>): Promise<{ statusCode: number; code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { statusCode: number; code: string; message: string };
  }
  throw new Error('expected the call to fail');
}

test('lists groups with the default property set; assignedLicenses only through $select', async () => {
  const all = await sdk.client.api('/groups').get();
  assert.equal(all.value.length, seed.groups.length);
  const visio = all.value.find((g: any) => g.displayName === 'Visio Users');
  assert.equal('assignedLicenses' in visio, false);
  assert.equal(visio.securityEnabled, true);
  const selected = await sdk.client.api('/groups').select('id,displayName,assignedLicenses').get();
  const v2 = selected.value.find((g: any) => g.displayName === 'Visio Users');
  assert.deepEqual(Object.keys(v2).sort(), ['assignedLicenses', 'displayName', 'id']);
  assert.equal(v2.assignedLicenses[0].skuId, group('Visio Users').assignedLicenses[0]!.skuId);
});

test('gets a group by id and answers 404 Request_ResourceNotFound for an unknown id', async () => {
  const g = await sdk.client.api(`/groups/${group('Sales Team').id}`).get();
  assert.equal(g.displayName, 'Sales Team');
  assert.deepEqual(g.groupTypes, ['Unified']);
  assert.deepEqual(g.resourceProvisioningOptions, ['Team']);
  assert.match(g.securityIdentifier, /^S-1-12-1-\d+-\d+-\d+-\d+$/);
  const e = await sdkError(sdk.client.api('/groups/00000000-0000-0000-0000-000000000001').get());
  assert.equal(e.statusCode, 404);
  assert.equal(e.code, 'Request_ResourceNotFound');
});

test('creates a Microsoft 365 group with the documentation example body', async () => {
  const created = await sdk.client.api('/groups').post({
    description: 'Self help community for library',
    displayName: 'Library Assist',
    groupTypes: ['Unified'],
    mailEnabled: true,
    mailNickname: 'library',
    securityEnabled: false,
  });
  assert.equal(created.mail, 'library@tailspin.com');
  assert.equal(created.visibility, 'Public');
  assert.match(created.id, /^[0-9a-f-]{36}$/);
  const read = await sdk.client.api(`/groups/${created.id}`).get();
  assert.equal(read.description, 'Self help community for library');
  const again = await h.graph('/v1.0/groups', { method: 'POST', body: { displayName: 'Library 2', groupTypes: ['Unified'], mailEnabled: true, mailNickname: 'library', securityEnabled: false } });
  assert.equal(again.status, 400);
  assert.equal(again.body.error.message, 'Another object with the same value for property proxyAddresses already exists.');
});

test('creates a security group with owners@odata.bind and members@odata.bind', async () => {
  const ava = user('ava.boss');
  const ben = user('ben.miller');
  const created = await sdk.client.api('/groups').post({
    description: 'Group with designated owner and members',
    displayName: 'Operations group',
    groupTypes: [],
    mailEnabled: false,
    mailNickname: 'operations2019',
    securityEnabled: true,
    'owners@odata.bind': [`https://graph.microsoft.com/v1.0/users/${ava.id}`],
    'members@odata.bind': [`https://graph.microsoft.com/v1.0/users/${ava.id}`, `https://graph.microsoft.com/v1.0/users/${ben.id}`],
  });
  assert.equal(created.mail, null);
  const members = await sdk.client.api(`/groups/${created.id}/members`).get();
  assert.deepEqual(members.value.map((m: any) => m.id).sort(), [ava.id, ben.id].sort());
  assert.equal(members.value[0]['@odata.type'], '#microsoft.graph.user');
  const owners = await sdk.client.api(`/groups/${created.id}/owners`).get();
  assert.deepEqual(owners.value.map((m: any) => m.userPrincipalName), [ava.userPrincipalName]);
});

test('refuses invalid create bodies the way the directory does', async () => {
  const missing = await h.graph('/v1.0/groups', { method: 'POST', body: { displayName: 'X', mailEnabled: false, securityEnabled: true } });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error.code, 'Request_BadRequest');
  assert.match(missing.body.error.message, /mailNickname/);
  const mailSecurity = await h.graph('/v1.0/groups', { method: 'POST', body: { displayName: 'MESG', mailEnabled: true, mailNickname: 'mesg', securityEnabled: true } });
  assert.equal(mailSecurity.status, 400);
  assert.equal(mailSecurity.body.error.message,
    'The service does not currently support writes of mail-enabled groups. Please ensure that the mail-enablement property is unset and the security-enablement property is set.');
  const distribution = await h.graph('/v1.0/groups', { method: 'POST', body: { displayName: 'DL', mailEnabled: true, mailNickname: 'dl', securityEnabled: false } });
  assert.equal(distribution.status, 400);
  const unknown = await h.graph('/v1.0/groups', { method: 'POST', body: { displayName: 'X', mailEnabled: false, mailNickname: 'x', securityEnabled: true, colour: 'blue' } });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.message, "Invalid property 'colour'.");
  const badNick = await h.graph('/v1.0/groups', { method: 'POST', body: { displayName: 'X', mailEnabled: false, mailNickname: 'has space', securityEnabled: true } });
  assert.equal(badNick.status, 400);
  const wrongType = await h.graph('/v1.0/groups', { method: 'POST', body: { displayName: 'X', mailEnabled: 'no', mailNickname: 'x', securityEnabled: true } });
  assert.equal(wrongType.status, 400);
  assert.equal(tenant().data.groups.length, seed.groups.length, 'nothing was created');
});

test('adds a member with $ref, refuses the duplicate with Microsoft\'s message, and removes it', async () => {
  const vpn = group('VPN Users');
  const cara = user('cara.diaz');
  await sdk.client.api(`/groups/${vpn.id}/members/$ref`).post(ref(cara.id));
  const members = await sdk.client.api(`/groups/${vpn.id}/members`).get();
  assert.ok(members.value.some((m: any) => m.id === cara.id));
  const dup = await sdkError(sdk.client.api(`/groups/${vpn.id}/members/$ref`).post(ref(cara.id)));
  assert.equal(dup.statusCode, 400);
  assert.equal(dup.code, 'Request_BadRequest');
  assert.equal(dup.message, "One or more added object references already exist for the following modified properties: 'members'.");
  const missing = await h.graph(`/v1.0/groups/${vpn.id}/members/$ref`, { method: 'POST', body: ref('11111111-1111-4111-8111-111111111111') });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'Request_ResourceNotFound');
  const del = await h.graph(`/v1.0/groups/${vpn.id}/members/${cara.id}/$ref`, { method: 'DELETE' });
  assert.equal(del.status, 204);
  assert.equal(tenant().group(vpn.id)!.memberIds.includes(cara.id), false);
  const again = await h.graph(`/v1.0/groups/${vpn.id}/members/${cara.id}/$ref`, { method: 'DELETE' });
  assert.equal(again.status, 404);
  const noRef = await h.graph(`/v1.0/groups/${vpn.id}/members/$ref`, { method: 'POST', body: { id: cara.id } });
  assert.equal(noRef.status, 400);
});

test('dynamic groups compute their members and refuse membership writes', async () => {
  const dyn = group('Sales Dynamic');
  const list = await sdk.client.api(`/groups/${dyn.id}/members/microsoft.graph.user`).get();
  assert.deepEqual(list.value.map((u: any) => u.displayName).sort(), ['Ben Miller', 'Cara Diaz']);
  tenant().user(user('dan.nolocation').id)!.department = 'Sales';
  const after = await sdk.client.api(`/groups/${dyn.id}/members`).get();
  assert.equal(after.value.length, 3);
  const add = await h.graph(`/v1.0/groups/${dyn.id}/members/$ref`, { method: 'POST', body: ref(user('ava.boss').id) });
  assert.equal(add.status, 403);
  assert.equal(add.body.error.code, 'Authorization_RequestDenied');
  const patch = await h.graph(`/v1.0/groups/${dyn.id}`, { method: 'PATCH', body: { 'members@odata.bind': [`https://graph.microsoft.com/v1.0/directoryObjects/${user('ava.boss').id}`] } });
  assert.equal(patch.status, 403);
});

test('mail-enabled security groups and distribution lists are read-only for membership', async () => {
  for (const name of ['Finance', 'All Staff']) {
    const g = group(name);
    const add = await h.graph(`/v1.0/groups/${g.id}/members/$ref`, { method: 'POST', body: ref(user('eve.disabled').id) });
    assert.equal(add.status, 400, name);
    assert.equal(add.body.error.code, 'Request_BadRequest');
    assert.equal(add.body.error.message, 'Cannot Update a mail-enabled security groups and or distribution list.');
    const remove = await h.graph(`/v1.0/groups/${g.id}/members/${g.memberIds[0]}/$ref`, { method: 'DELETE' });
    assert.equal(remove.status, 400, name);
  }
  assert.deepEqual(tenant().group(group('Finance').id)!.memberIds, group('Finance').memberIds);
});

test('on-premises synced groups refuse membership changes from the cloud', async () => {
  const g = group('AD Admins');
  const add = await h.graph(`/v1.0/groups/${g.id}/members/$ref`, { method: 'POST', body: ref(user('ava.boss').id) });
  assert.equal(add.status, 400);
  assert.equal(add.body.error.message, 'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.');
});

test('PATCH adds members in bulk (up to 20) and updates properties', async () => {
  const vpn = group('VPN Users');
  const ids = [user('cara.diaz').id, user('dan.nolocation').id];
  const res = await h.graph(`/v1.0/groups/${vpn.id}`, {
    method: 'PATCH', body: { 'members@odata.bind': ids.map((id) => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`) },
  });
  assert.equal(res.status, 204);
  assert.deepEqual(tenant().group(vpn.id)!.memberIds.slice(-2), ids);
  const tooMany = await h.graph(`/v1.0/groups/${vpn.id}`, {
    method: 'PATCH', body: { 'members@odata.bind': Array.from({ length: 21 }, (_, i) => `https://graph.microsoft.com/v1.0/directoryObjects/00000000-0000-4000-8000-${String(i).padStart(12, '0')}` ) },
  });
  assert.equal(tooMany.status, 400);
  await sdk.client.api(`/groups/${vpn.id}`).patch({ displayName: 'VPN (all)', description: 'Remote access' });
  const read = await sdk.client.api(`/groups/${vpn.id}`).select('displayName,description').get();
  assert.equal(read.displayName, 'VPN (all)');
  assert.equal(read.description, 'Remote access');
  const ro = await h.graph(`/v1.0/groups/${vpn.id}`, { method: 'PATCH', body: { mail: 'x@tailspin.com' } });
  assert.equal(ro.status, 400);
  assert.equal(ro.body.error.message, "Property 'mail' is read-only and cannot be set.");
});

test('DELETE soft-deletes Microsoft 365 groups and removes security groups permanently', async () => {
  const sales = group('Sales Team');
  assert.equal((await h.graph(`/v1.0/groups/${sales.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await h.graph(`/v1.0/groups/${sales.id}`)).status, 404);
  const item = tenant().data.deletedItems[sales.id]!;
  assert.equal(item.kind, 'group');
  assert.deepEqual(item.group!.memberIds, sales.memberIds);
  const vpn = group('VPN Users');
  assert.equal((await h.graph(`/v1.0/groups/${vpn.id}`, { method: 'DELETE' })).status, 204);
  assert.equal(tenant().data.deletedItems[vpn.id], undefined);
  const dl = await h.graph(`/v1.0/groups/${group('All Staff').id}`, { method: 'DELETE' });
  assert.equal(dl.status, 400);
});

test('transitiveMembers follows nested security groups; the user cast filters', async () => {
  const parent = await sdk.client.api('/groups').post({ displayName: 'Parent', mailEnabled: false, mailNickname: 'parent', securityEnabled: true });
  await sdk.client.api(`/groups/${parent.id}/members/$ref`).post(ref(group('VPN Users').id));
  await sdk.client.api(`/groups/${parent.id}/members/$ref`).post(ref(user('eve.disabled').id));
  const direct = await sdk.client.api(`/groups/${parent.id}/members`).get();
  assert.deepEqual(direct.value.map((o: any) => o['@odata.type']).sort(), ['#microsoft.graph.group', '#microsoft.graph.user']);
  const trans = await sdk.client.api(`/groups/${parent.id}/transitiveMembers`).get();
  assert.equal(trans.value.length, 4, 'VPN Users, its two members, and Eve');
  const users = await sdk.client.api(`/groups/${parent.id}/transitiveMembers/microsoft.graph.user`).get();
  assert.deepEqual(users.value.map((u: any) => u.displayName).sort(), ['Ava Boss', 'Ben Miller', 'Eve Disabled']);
  const intoUnified = await h.graph(`/v1.0/groups/${group('Sales Team').id}/members/$ref`, { method: 'POST', body: ref(parent.id) });
  assert.equal(intoUnified.status, 400, 'Microsoft 365 groups take only users');
});

test('owners: add with $ref, refuse duplicates, list', async () => {
  const sales = group('Sales Team');
  await sdk.client.api(`/groups/${sales.id}/owners/$ref`).post(ref(user('ben.miller').id));
  const dup = await h.graph(`/v1.0/groups/${sales.id}/owners/$ref`, { method: 'POST', body: ref(user('ben.miller').id) });
  assert.equal(dup.status, 400);
  assert.equal(dup.body.error.message, "One or more added object references already exist for the following modified properties: 'owners'.");
  const owners = await sdk.client.api(`/groups/${sales.id}/owners`).get();
  assert.deepEqual(owners.value.map((o: any) => o.displayName).sort(), ['Ben Miller', 'Cara Diaz']);
});

test('members page with $top and @odata.nextLink', async () => {
  const all = group('All Staff');
  const first = await h.graph(`/v1.0/groups/${all.id}/members?$top=3`);
  assert.equal(first.body.value.length, 3);
  const next = new URL(first.body['@odata.nextLink']);
  const second = await h.graph(`${next.pathname}${next.search}`);
  assert.equal(second.body.value.length, 1);
  assert.equal(second.body['@odata.nextLink'], undefined);
});

test('a read-only app can read groups but every write is 403 Authorization_RequestDenied', async () => {
  const token = await h.token({ clientId: READONLY_APP.clientId, secret: READONLY_APP.secret });
  const vpn = group('VPN Users');
  assert.equal((await h.graph('/v1.0/groups', { token })).status, 200);
  const writes = [
    h.graph('/v1.0/groups', { method: 'POST', token, body: { displayName: 'X', mailEnabled: false, mailNickname: 'x', securityEnabled: true } }),
    h.graph(`/v1.0/groups/${vpn.id}`, { method: 'PATCH', token, body: { description: 'x' } }),
    h.graph(`/v1.0/groups/${vpn.id}`, { method: 'DELETE', token }),
    h.graph(`/v1.0/groups/${vpn.id}/members/$ref`, { method: 'POST', token, body: ref(user('cara.diaz').id) }),
    h.graph(`/v1.0/groups/${vpn.id}/members/${user('ben.miller').id}/$ref`, { method: 'DELETE', token }),
  ];
  for (const r of await Promise.all(writes)) {
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'Authorization_RequestDenied');
  }
  assert.deepEqual(tenant().group(vpn.id)!.memberIds, vpn.memberIds);
});

test('$filter on groups and members goes through the directory query rules', async () => {
  const unified = await sdk.client.api('/groups').filter("groupTypes/any(c:c eq 'Unified')").select('id,displayName').get();
  assert.deepEqual(unified.value.map((g: any) => g.displayName), ['Sales Team']);
  const byName = await h.graph(`/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'VPN Users'")}`);
  assert.equal(byName.body.value.length, 1);
  assert.equal(byName.body.value[0].id, group('VPN Users').id);
  const all = group('All Staff');
  const sales = await h.graph(`/v1.0/groups/${all.id}/members?$filter=${encodeURIComponent("startsWith(displayName,'B')")}`);
  assert.deepEqual(sales.body.value.map((u: any) => u.displayName), ['Ben Miller']);
  const noHeader = await h.graph(`/v1.0/groups/${all.id}/members/$count`);
  assert.equal(noHeader.status, 400);
  const count = await h.graph(`/v1.0/groups/${all.id}/members/$count`, { headers: { ConsistencyLevel: 'eventual' } });
  assert.equal(count.status, 200);
  assert.equal(count.body, 4);
});
