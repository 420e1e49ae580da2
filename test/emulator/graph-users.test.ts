import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@microsoft/microsoft-graph-client';
import { startHarness, type Harness } from './harness.ts';
import { graphSdkClient } from './graph-sdk-client.ts';
import { ENABLE_ONLY_APP, MINI_DOMAIN, MINI_VERIFIED, READONLY_APP } from '../fixtures/mini-seed.ts';
import type { TenantState } from '../../src/emulator/state/tenant-state.ts';

let h: Harness;
let sdk: { client: Client; close(): Promise<void> };
let tenant: TenantState;

before(async () => {
  h = await startHarness();
  sdk = graphSdkClient(h);
  tenant = h.emu.deps.store.tenant(MINI_DOMAIN)!;
});
after(async () => {
  await sdk.close();
  await h.close();
});

const V1_DEFAULT = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];

/** The body of Microsoft's "Create user" example, on this tenant's domain. */
function adeleBody(nick = 'AdeleV') {
  return {
    accountEnabled: true,
    displayName: 'Adele Vance',
    mailNickname: nick,
    userPrincipalName: `${nick}@${MINI_VERIFIED}`,
    passwordProfile: { forceChangePasswordNextSignIn: true, password: 'xWwvJ]6NMw+bWH-d' },
  };
}

test('GET /users returns the v1.0 default property set; $select returns exactly what it names', async () => {
  const list = await sdk.client.api('/users').get();
  assert.ok(list.value.length >= 8);
  for (const u of list.value) assert.deepEqual(Object.keys(u).sort(), [...V1_DEFAULT].sort());
  const sel = await sdk.client.api('/users').select(['displayName', 'accountEnabled', 'department', 'assignedLicenses']).get();
  assert.match(sel['@odata.context'], /#users\(displayName,accountEnabled,department,assignedLicenses\)$/);
  const ava = sel.value.find((u: any) => u.displayName === 'Ava Boss');
  assert.deepEqual(Object.keys(ava), ['displayName', 'accountEnabled', 'department', 'assignedLicenses']);
  assert.equal(ava.accountEnabled, true);
  assert.deepEqual(ava.assignedLicenses.map((l: any) => l.skuId), ['05e9a617-0261-4cee-bb44-138d3ef5d965']);
  const ben = sel.value.find((u: any) => u.displayName === 'Ben Miller');
  assert.equal(ben.assignedLicenses.length, 2, 'group-inherited Visio counts in assignedLicenses');
});

test('beta returns the larger beta default set from the same route', async () => {
  const r = await h.graph(`/beta/users/ben.miller@${MINI_VERIFIED}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.department, 'Sales');
  assert.equal(r.body.accountEnabled, true);
  assert.equal(r.body.employeeHireDate, '2023-02-01T00:00:00Z');
  assert.equal(r.body.passwordProfile, null);
  const v1 = await h.graph(`/v1.0/users/ben.miller@${MINI_VERIFIED}`);
  assert.equal(v1.body.department, undefined);
});

test('a user is found by id, by UPN in any case, and by a URL-encoded #EXT# guest UPN', async () => {
  const byUpn = await sdk.client.api(`/users/BEN.MILLER@${MINI_VERIFIED}`).get();
  const byId = await sdk.client.api(`/users/${byUpn.id}`).select('id,userPrincipalName,employeeHireDate').get();
  assert.equal(byId.userPrincipalName, `ben.miller@${MINI_VERIFIED}`);
  assert.equal(byId.employeeHireDate, '2023-02-01T00:00:00Z');
  assert.match(byId['@odata.context'], /#users\(id,userPrincipalName,employeeHireDate\)\/\$entity$/);
  const guest = await h.graph(`/v1.0/users/${encodeURIComponent(`gina_fabrikam.com#EXT#@${MINI_DOMAIN}`)}?$select=userType,mail`);
  assert.equal(guest.status, 200);
  assert.deepEqual(guest.body.userType, 'Guest');
  assert.equal(guest.body.mail, 'gina@fabrikam.com');
});

test('an unknown id answers 404 Request_ResourceNotFound naming it', async () => {
  const r = await h.graph('/v1.0/users/00000000-0000-0000-0000-000000000001');
  assert.equal(r.status, 404);
  assert.equal(r.body.error.code, 'Request_ResourceNotFound');
  assert.equal(r.body.error.message, "Resource '00000000-0000-0000-0000-000000000001' does not exist or one of its queried reference-property objects are not present.");
  assert.ok(r.body.error.innerError['request-id']);
  const patch = await h.graph('/v1.0/users/nobody@tailspin.com', { method: 'PATCH', body: { jobTitle: 'x' } });
  assert.equal(patch.status, 404);
  const del = await h.graph('/v1.0/users/nobody@tailspin.com', { method: 'DELETE' });
  assert.equal(del.status, 404);
});

test('POST /users creates a user from the documented body, never echoing or storing the password', async () => {
  const created = await sdk.client.api('/users').post(adeleBody());
  assert.deepEqual(Object.keys(created).filter((k) => !k.startsWith('@')).sort(), [...V1_DEFAULT].sort());
  assert.equal(created.userPrincipalName, `AdeleV@${MINI_VERIFIED}`);
  assert.equal(created.mail, null, 'no mailbox yet, so no mail');
  assert.ok(!JSON.stringify(created).includes('xWwvJ'));
  const stored = tenant.user(created.id)!;
  assert.ok(stored.passwordHash && !stored.passwordHash.includes('xWwvJ'));
  assert.equal(stored.forceChangePasswordNextSignIn, true);
  const read = await sdk.client.api(`/users/${created.id}`).select('accountEnabled,userType,createdDateTime,passwordProfile').get();
  assert.equal(read.accountEnabled, true);
  assert.equal(read.userType, 'Member');
  assert.equal(read.passwordProfile, null);
  assert.ok(Date.parse(read.createdDateTime) > Date.parse('2025-01-01'));
});

test('POST /users refuses what Graph refuses, with Graph codes and messages', async () => {
  const dup = await h.graph('/v1.0/users', { method: 'POST', body: { ...adeleBody('dupcheck'), userPrincipalName: `ava.boss@${MINI_VERIFIED}` } });
  assert.equal(dup.status, 400);
  assert.equal(dup.body.error.code, 'Request_BadRequest');
  assert.equal(dup.body.error.message, 'Another object with the same value for property userPrincipalName already exists.');
  const nick = await h.graph('/v1.0/users', { method: 'POST', body: { ...adeleBody('info'), userPrincipalName: `info2@${MINI_VERIFIED}` } });
  assert.equal(nick.body.error.message, 'Another object with the same value for property mailNickname already exists.');
  const domain = await h.graph('/v1.0/users', { method: 'POST', body: { ...adeleBody('x1'), userPrincipalName: 'x1@contoso.com' } });
  assert.equal(domain.status, 400);
  assert.match(domain.body.error.message, /^The domain portion of the userPrincipalName property is invalid/);
  const chars = await h.graph('/v1.0/users', { method: 'POST', body: { ...adeleBody('x2'), userPrincipalName: `x 2(a)@${MINI_VERIFIED}` } });
  assert.equal(chars.body.error.message, "Invalid value specified for property 'userPrincipalName' of resource 'User'.");
  const unknown = await h.graph('/v1.0/users', { method: 'POST', body: { ...adeleBody('x3'), shoeSize: 44 } });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.message, "Property 'shoeSize' does not exist as a declared property or extension property.");
  const type = await h.graph('/v1.0/users', { method: 'POST', body: { ...adeleBody('x4'), accountEnabled: 'yes' } });
  assert.equal(type.status, 400);
  assert.equal(type.body.error.code, 'BadRequest');
  assert.match(type.body.error.message, /Edm\.Boolean/);
  const weak = await h.graph('/v1.0/users', { method: 'POST', body: { ...adeleBody('x5'), passwordProfile: { password: 'password' } } });
  assert.equal(weak.body.error.message, 'The specified password does not comply with password complexity requirements. Please provide a different password.');
  assert.ok(!JSON.stringify(weak.body).includes('"password"'));
  const noPassword = await h.graph('/v1.0/users', { method: 'POST', body: { ...adeleBody('x6'), passwordProfile: undefined } });
  assert.equal(noPassword.status, 400);
  const missing = await h.graph('/v1.0/users', { method: 'POST', body: { ...adeleBody('x7'), displayName: undefined } });
  assert.equal(missing.body.error.message, "Invalid value specified for property 'displayName' of resource 'User'.");
  const malformed = await h.graph('/v1.0/users', { method: 'POST', body: '{"accountEnabled": tru', headers: { 'content-type': 'application/json' } });
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body.error.code, 'BadRequest');
  assert.equal(tenant.user(`x1@contoso.com`), undefined);
  assert.equal(tenant.data.users.filter((u) => /^x\d@/.test(u.userPrincipalName)).length, 0, 'no refused request created a user');
});

test('PATCH /users updates properties (documented example and lifecycle attributes) and answers 204', async () => {
  const id = tenant.user(`cara.diaz@${MINI_VERIFIED}`)!.id;
  const res = await h.graph(`/v1.0/users/${id}`, { method: 'PATCH', body: { businessPhones: ['+1 425 555 0109'], officeLocation: '18/2111' } });
  assert.equal(res.status, 204);
  assert.equal(res.body, undefined);
  await sdk.client.api(`/users/${id}`).patch({
    department: 'Sales Ops', jobTitle: 'Director', usageLocation: 'de', employeeType: 'Contractor',
    employeeHireDate: '2025-01-15T08:00:00Z', employeeLeaveDateTime: '2026-03-31T17:00:00Z',
    employeeOrgData: { division: 'EMEA', costCenter: 'CC-42' }, city: 'Berlin', companyName: 'Tailspin GmbH', state: 'BE',
  });
  const u = await sdk.client.api(`/users/${id}`)
    .select('businessPhones,officeLocation,department,jobTitle,usageLocation,employeeType,employeeHireDate,employeeLeaveDateTime,employeeOrgData,city,companyName,state')
    .get();
  assert.deepEqual(u.businessPhones, ['+1 425 555 0109']);
  assert.equal(u.officeLocation, '18/2111');
  assert.equal(u.department, 'Sales Ops');
  assert.equal(u.usageLocation, 'DE');
  assert.equal(u.employeeHireDate, '2025-01-15T08:00:00Z');
  assert.equal(u.employeeLeaveDateTime, '2026-03-31T17:00:00Z');
  assert.deepEqual(u.employeeOrgData, { division: 'EMEA', costCenter: 'CC-42' });
  assert.equal(u.state, 'BE');
});

test('PATCH validates values and refuses read-only properties without changing anything', async () => {
  const id = tenant.user(`dan.nolocation@${MINI_VERIFIED}`)!.id;
  const bad = await h.graph(`/v1.0/users/${id}`, { method: 'PATCH', body: { jobTitle: 'Lead', usageLocation: 'XX' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.message, "Invalid value specified for property 'usageLocation' of resource 'User'.");
  assert.equal(tenant.user(id)!.jobTitle, 'Analyst', 'a refused PATCH changes nothing');
  const ro = await h.graph(`/v1.0/users/${id}`, { method: 'PATCH', body: { id: 'abc' } });
  assert.equal(ro.body.error.message, "Property 'id' is read-only and cannot be set.");
  const created = await h.graph(`/v1.0/users/${id}`, { method: 'PATCH', body: { createdDateTime: '2020-01-01T00:00:00Z' } });
  assert.equal(created.status, 400);
  const date = await h.graph(`/v1.0/users/${id}`, { method: 'PATCH', body: { employeeHireDate: 'next tuesday' } });
  assert.equal(date.status, 400);
  assert.match(date.body.error.message, /Edm\.DateTimeOffset/);
  const arr = await h.graph(`/v1.0/users/${id}`, { method: 'PATCH', body: { department: ['IT'] } });
  assert.equal(arr.body.error.code, 'BadRequest');
});

test('a password reset stores a new hash and is never echoed', async () => {
  const u = tenant.user(`dan.nolocation@${MINI_VERIFIED}`)!;
  const before = u.passwordHash;
  const res = await h.graph(`/v1.0/users/${u.id}`, { method: 'PATCH', body: { passwordProfile: { forceChangePasswordNextSignIn: true, password: 'N3w-Secret!pass' } } });
  assert.equal(res.status, 204);
  assert.notEqual(u.passwordHash, before);
  assert.ok(!u.passwordHash!.includes('N3w-Secret'));
  assert.equal(u.forceChangePasswordNextSignIn, true);
  const weak = await h.graph(`/v1.0/users/${u.id}`, { method: 'PATCH', body: { passwordProfile: { password: 'dan.nolocation1' } } });
  assert.equal(weak.status, 400);
  assert.ok(!JSON.stringify(weak.body).includes('dan.nolocation1'));
});

test('a synced user refuses on-premises mastered properties but takes accountEnabled and usageLocation', async () => {
  const sam = `sam.synced@${MINI_VERIFIED}`;
  for (const body of [{ displayName: 'Sam S' }, { department: 'Ops' }, { jobTitle: 'x' }, { userPrincipalName: `sam2@${MINI_VERIFIED}` }]) {
    const r = await h.graph(`/v1.0/users/${sam}`, { method: 'PATCH', body });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.error.message, 'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.');
  }
  assert.equal((await h.graph(`/v1.0/users/${sam}`, { method: 'PATCH', body: { accountEnabled: false, usageLocation: 'GB' } })).status, 204);
  assert.equal(tenant.user(sam)!.accountEnabled, false);
  assert.equal(tenant.user(sam)!.usageLocation, 'GB');
});

test('permissions: a read-only app reads but every write is 403; enable/disable-only covers accountEnabled alone', async () => {
  const ro = await h.token({ clientId: READONLY_APP.clientId, secret: READONLY_APP.secret });
  assert.equal((await h.graph('/v1.0/users', { token: ro })).status, 200);
  const target = `eve.disabled@${MINI_VERIFIED}`;
  for (const [method, path, body] of [['POST', '/v1.0/users', adeleBody('ro1')], ['PATCH', `/v1.0/users/${target}`, { jobTitle: 'x' }], ['DELETE', `/v1.0/users/${target}`, undefined]] as const) {
    const r = await h.graph(path, { method, body, token: ro });
    assert.equal(r.status, 403, `${method} ${path}`);
    assert.equal(r.body.error.code, 'Authorization_RequestDenied');
    assert.equal(r.body.error.message, 'Insufficient privileges to complete the operation.');
  }
  const en = await h.token({ clientId: ENABLE_ONLY_APP.clientId, secret: ENABLE_ONLY_APP.secret });
  assert.equal((await h.graph(`/v1.0/users/${target}`, { method: 'PATCH', body: { accountEnabled: true }, token: en })).status, 204);
  assert.equal(tenant.user(target)!.accountEnabled, true);
  const more = await h.graph(`/v1.0/users/${target}`, { method: 'PATCH', body: { accountEnabled: false, department: 'x' }, token: en });
  assert.equal(more.status, 403);
  assert.equal(tenant.user(target)!.accountEnabled, true);
});

test('manager: get, set by reference, remove; directReports follow', async () => {
  const ben = await sdk.client.api(`/users/ben.miller@${MINI_VERIFIED}/manager`).get();
  assert.equal(ben['@odata.type'], '#microsoft.graph.user');
  assert.equal(ben.displayName, 'Ava Boss');
  const avaId = ben.id;
  const reports = await sdk.client.api(`/users/${avaId}/directReports`).get();
  assert.deepEqual(reports.value.map((r: any) => r.displayName).sort(), ['Ben Miller', 'Cara Diaz']);
  const dan = tenant.user(`dan.nolocation@${MINI_VERIFIED}`)!;
  await sdk.client.api(`/users/${dan.id}/manager/$ref`).put({ '@odata.id': `https://graph.microsoft.com/v1.0/users/${avaId}` });
  assert.equal(tenant.user(dan.id)!.managerId, avaId);
  const expanded = await h.graph(`/v1.0/users/${dan.id}?$expand=manager($select=id,displayName)`);
  assert.deepEqual({ id: expanded.body.manager.id, displayName: expanded.body.manager.displayName }, { id: avaId, displayName: 'Ava Boss' });
  await sdk.client.api(`/users/${dan.id}/manager/$ref`).delete();
  const none = await h.graph(`/v1.0/users/${dan.id}/manager`);
  assert.equal(none.status, 404);
  assert.equal(none.body.error.code, 'Request_ResourceNotFound');
  const badRef = await h.graph(`/v1.0/users/${dan.id}/manager/$ref`, { method: 'PUT', body: { '@odata.id': 'https://graph.microsoft.com/v1.0/users/00000000-0000-0000-0000-00000000abcd' } });
  assert.equal(badRef.status, 404);
});

test('memberOf lists static and dynamic groups, with the group cast and the transitive variant', async () => {
  const mine = await sdk.client.api(`/users/ben.miller@${MINI_VERIFIED}/memberOf`).get();
  const names = mine.value.map((g: any) => g.displayName).sort();
  assert.deepEqual(names, ['All Staff', 'Sales Dynamic', 'Sales Team', 'VPN Users', 'Visio Users']);
  assert.ok(mine.value.every((g: any) => g['@odata.type'] === '#microsoft.graph.group'));
  const cast = await sdk.client.api(`/users/ben.miller@${MINI_VERIFIED}/memberOf/microsoft.graph.group`).select('id,displayName,assignedLicenses').get();
  const visio = cast.value.find((g: any) => g.displayName === 'Visio Users');
  assert.equal(visio.assignedLicenses.length, 1);
  const trans = await sdk.client.api(`/users/ben.miller@${MINI_VERIFIED}/transitiveMemberOf`).get();
  assert.equal(trans.value.length, 5);
});

test('delete → deletedItems → restore brings back memberships, reports, mailbox and auth methods', async () => {
  const ava = tenant.user(`ava.boss@${MINI_VERIFIED}`)!;
  const id = ava.id;
  const groupsBefore = tenant.data.groups.filter((g) => g.memberIds.includes(id)).map((g) => g.id).sort();
  assert.ok(groupsBefore.length >= 2);
  assert.ok(tenant.mailbox(id));
  const methodsBefore = tenant.data.authMethods[id]!.length;
  await sdk.client.api(`/users/${id}`).delete();
  assert.equal((await h.graph(`/v1.0/users/${id}`)).status, 404);
  assert.equal(tenant.data.groups.filter((g) => g.memberIds.includes(id)).length, 0);
  assert.equal(tenant.mailbox(id), undefined);
  assert.equal(tenant.user(`ben.miller@${MINI_VERIFIED}`)!.managerId, null, 'a deleted manager leaves its reports');
  const deleted = await sdk.client.api('/directory/deletedItems/microsoft.graph.user').get();
  const entry = deleted.value.find((u: any) => u.id === id);
  assert.ok(entry);
  assert.equal(entry.userPrincipalName, `${id.replace(/-/g, '')}ava.boss@${MINI_VERIFIED}`);
  assert.ok(Date.parse(entry.deletedDateTime) > 0);
  const one = await h.graph(`/v1.0/directory/deletedItems/${id}`);
  assert.equal(one.body['@odata.type'], '#microsoft.graph.user');
  const restored = await sdk.client.api(`/directory/deletedItems/${id}/restore`).post({});
  assert.equal(restored.id, id);
  assert.equal(restored.userPrincipalName, `ava.boss@${MINI_VERIFIED}`);
  assert.equal((await h.graph(`/v1.0/users/${id}`)).status, 200);
  assert.deepEqual(tenant.data.groups.filter((g) => g.memberIds.includes(id)).map((g) => g.id).sort(), groupsBefore);
  assert.ok(tenant.mailbox(id));
  assert.equal(tenant.data.authMethods[id]!.length, methodsBefore);
  assert.equal(tenant.user(`ben.miller@${MINI_VERIFIED}`)!.managerId, id);
  assert.equal(tenant.data.deletedItems[id], undefined);
  assert.equal((await h.graph(`/v1.0/directory/deletedItems/${id}/restore`, { method: 'POST' })).status, 404);
});

test('restore refuses a UPN taken meanwhile; a purge is permanent', async () => {
  const first = await sdk.client.api('/users').post(adeleBody('reuse'));
  await sdk.client.api(`/users/${first.id}`).delete();
  const second = await sdk.client.api('/users').post(adeleBody('reuse'));
  const clash = await h.graph(`/v1.0/directory/deletedItems/${first.id}/restore`, { method: 'POST', body: {} });
  assert.equal(clash.status, 400);
  assert.equal(clash.body.error.code, 'Request_BadRequest');
  assert.equal(clash.body.error.message, 'Another object with the same value for property userPrincipalName already exists.');
  assert.notEqual(second.id, first.id);
  assert.equal((await h.graph(`/v1.0/directory/deletedItems/${first.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await h.graph(`/v1.0/directory/deletedItems/${first.id}`)).status, 404);
});

test('read-after-create: a new user answers 404 by id until the delay has passed', async () => {
  tenant.data.controls.readAfterCreateDelayMs = 10 * 60 * 1000;
  try {
    const created = await sdk.client.api('/users').post(adeleBody('lagging'));
    const get = await h.graph(`/v1.0/users/${created.id}`);
    assert.equal(get.status, 404);
    assert.equal(get.body.error.code, 'Request_ResourceNotFound');
    assert.equal((await h.graph(`/v1.0/users/${created.id}`, { method: 'PATCH', body: { jobTitle: 'x' } })).status, 404);
    tenant.data.controls.readAfterCreateDelayMs = 0;
    assert.equal((await h.graph(`/v1.0/users/${created.id}`)).status, 200);
  } finally {
    tenant.data.controls.readAfterCreateDelayMs = 0;
  }
});

test('organization and domains describe the tenant', async () => {
  const org = await sdk.client.api('/organization').get();
  assert.equal(org.value.length, 1);
  assert.equal(org.value[0].id, tenant.id);
  assert.equal(org.value[0].displayName, 'Tailspin Toys');
  const domains = org.value[0].verifiedDomains;
  assert.deepEqual(domains.map((d: any) => [d.name, d.isDefault, d.isInitial]), [[MINI_DOMAIN, false, true], [MINI_VERIFIED, true, false]]);
  const list = await sdk.client.api('/domains').get();
  assert.deepEqual(list.value.map((d: any) => d.id), [MINI_DOMAIN, MINI_VERIFIED]);
  assert.equal((await h.graph(`/v1.0/domains/${MINI_VERIFIED}`)).body.isDefault, true);
});

test('a deleted Microsoft 365 group is listed and restored with its members', async () => {
  const sales = tenant.data.groups.find((g) => g.displayName === 'Sales Team')!;
  const members = [...sales.memberIds].sort();
  assert.equal((await h.graph(`/v1.0/groups/${sales.id}`, { method: 'DELETE' })).status, 204);
  assert.equal(tenant.group(sales.id), undefined);
  const listed = await sdk.client.api('/directory/deletedItems/microsoft.graph.group').get();
  assert.ok(listed.value.some((g: any) => g.id === sales.id && g.displayName === 'Sales Team'));
  const users = await sdk.client.api('/directory/deletedItems/microsoft.graph.user').get();
  assert.ok(!users.value.some((u: any) => u.id === sales.id), 'the user cast lists users only');
  const restored = await sdk.client.api(`/directory/deletedItems/${sales.id}/restore`).post({});
  assert.equal(restored['@odata.type'], '#microsoft.graph.group');
  assert.equal(restored.deletedDateTime, null);
  assert.deepEqual([...tenant.group(sales.id)!.memberIds].sort(), members);
  assert.equal((await h.graph(`/v1.0/groups/${sales.id}`)).status, 200);
});
