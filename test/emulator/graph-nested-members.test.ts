// Groups whose members are not only users: nested groups and mail contacts (orgContact), through
// Graph (members, transitiveMembers, memberOf, transitiveMemberOf, /contacts, $ref writes) and
// Exchange (Get-/Add-/Remove-DistributionGroupMember).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEMO_SEED_PATH } from '../../src/emulator/seed/load-seeds.ts';
import { startHarness, type Harness } from './harness.ts';
import { makeContact, makeGroup } from '../../src/emulator/seed/builders.ts';
import type { SeedFile } from '../../src/emulator/state/model.ts';
import { MINI_TENANT_ID, MINI_VERIFIED, READONLY_APP, miniSeed } from '../fixtures/mini-seed.ts';

/** The mini tenant plus 'Helpdesk' (Dan) nested in 'VPN Users', and a contact in 'VPN Users' and 'All Staff'. */
function nestedSeed(): SeedFile {
  const seed = miniSeed();
  const t = seed.tenants[0]!;
  const dan = t.users.find((u) => u.userPrincipalName.startsWith('dan.'))!;
  const vic = makeContact('tailspin', { displayName: 'Vic Vendor', mail: 'vic@partner.example', alias: 'VicVendor', companyName: 'Partner Ltd' });
  const helpdesk = makeGroup('tailspin', { displayName: 'Helpdesk', kind: 'security', domain: MINI_VERIFIED, memberIds: [dan.id] });
  t.orgContacts = [vic];
  t.groups.push(helpdesk);
  t.groups.find((g) => g.displayName === 'VPN Users')!.memberIds.push(helpdesk.id, vic.id);
  t.groups.find((g) => g.displayName === 'All Staff')!.memberIds.push(vic.id);
  return seed;
}

const seed = nestedSeed().tenants[0]!;
const group = (name: string) => seed.groups.find((g) => g.displayName === name)!;
const vic = seed.orgContacts![0]!;
const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
const tenant = () => h.emu.deps.store.tenant(MINI_TENANT_ID)!;
let h: Harness;

before(async () => { h = await startHarness({ seeds: [nestedSeed()] }); });
after(async () => { await h.close(); });
beforeEach(() => { h.emu.deps.store.reset(MINI_TENANT_ID); });

const typed = (value: any[]) => value.map((o) => [o['@odata.type'], o.displayName]).sort((a, b) => String(a[1]).localeCompare(String(b[1])));

test('members lists users, the nested group and the contact, each with its @odata.type', async () => {
  const r = await h.graph(`/v1.0/groups/${group('VPN Users').id}/members`);
  assert.equal(r.status, 200);
  assert.deepEqual(typed(r.body.value), [
    ['#microsoft.graph.user', 'Ava Boss'], ['#microsoft.graph.user', 'Ben Miller'],
    ['#microsoft.graph.group', 'Helpdesk'], ['#microsoft.graph.orgContact', 'Vic Vendor'],
  ]);
  const contact = r.body.value.find((o: any) => o.id === vic.id);
  assert.equal(contact.mail, 'vic@partner.example');
  const cast = await h.graph(`/v1.0/groups/${group('VPN Users').id}/members/microsoft.graph.orgContact?$select=id,displayName,mail`);
  assert.deepEqual(cast.body.value.map((o: any) => [o.displayName, o.mail]), [['Vic Vendor', 'vic@partner.example']]);
  const count = await h.graph(`/v1.0/groups/${group('VPN Users').id}/members/$count`, { headers: { ConsistencyLevel: 'eventual' } });
  assert.equal(Number(count.body), 4);
});

test('an app that may not read contacts sees a member contact as its type and id only', async () => {
  const token = await h.token({ clientId: READONLY_APP.clientId, secret: READONLY_APP.secret });
  const r = await h.graph(`/v1.0/groups/${group('VPN Users').id}/members`, { token });
  const contact = r.body.value.find((o: any) => o.id === vic.id);
  assert.equal(contact['@odata.type'], '#microsoft.graph.orgContact');
  assert.equal(contact.displayName, null);
  assert.equal(contact.mail, null);
  const list = await h.graph('/v1.0/contacts', { token });
  assert.equal(list.status, 403);
  assert.equal(list.body.error.code, 'Authorization_RequestDenied');
});

test('transitiveMembers expands the nested group; transitiveMemberOf reaches the outer group', async () => {
  const vpn = group('VPN Users');
  const trans = await h.graph(`/v1.0/groups/${vpn.id}/transitiveMembers`);
  assert.deepEqual(typed(trans.body.value).map((x) => x[1]), ['Ava Boss', 'Ben Miller', 'Dan Nolocation', 'Helpdesk', 'Vic Vendor']);
  const users = await h.graph(`/v1.0/groups/${vpn.id}/transitiveMembers/microsoft.graph.user`);
  assert.deepEqual(users.body.value.map((u: any) => u.displayName).sort(), ['Ava Boss', 'Ben Miller', 'Dan Nolocation']);
  const dan = `dan.nolocation@${MINI_VERIFIED}`;
  const direct = await h.graph(`/v1.0/users/${dan}/memberOf`);
  assert.deepEqual(direct.body.value.map((g: any) => g.displayName).sort(), ['All Staff', 'Finance', 'Helpdesk']);
  const all = await h.graph(`/v1.0/users/${dan}/transitiveMemberOf/microsoft.graph.group?$select=id,displayName`);
  assert.deepEqual(all.body.value.map((g: any) => g.displayName).sort(), ['All Staff', 'Finance', 'Helpdesk', 'VPN Users']);
  // Removing Dan from the outer group is impossible: he is not a direct member.
  const rm = await h.graph(`/v1.0/groups/${vpn.id}/members/${tenant().user(dan)!.id}/$ref`, { method: 'DELETE' });
  assert.equal(rm.status, 404);
});

test('/contacts lists and gets contacts; a contact has memberOf and transitiveMemberOf', async () => {
  const list = await h.graph('/v1.0/contacts?$select=displayName,mail');
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.value, [{ id: vic.id, displayName: 'Vic Vendor', mail: 'vic@partner.example' }]);
  const one = await h.graph(`/v1.0/contacts/${vic.id}`);
  assert.equal(one.body.companyName, 'Partner Ltd');
  assert.match(one.body['@odata.context'], /contacts\/\$entity$/);
  const missing = await h.graph('/v1.0/contacts/00000000-0000-0000-0000-00000000c0de');
  assert.equal(missing.status, 404);
  const memberOf = await h.graph(`/v1.0/contacts/${vic.id}/memberOf`);
  assert.deepEqual(memberOf.body.value.map((g: any) => g.displayName).sort(), ['All Staff', 'VPN Users']);
});

test('$ref: a Microsoft 365 group refuses groups and contacts with Graph\'s errors; a security group takes both', async () => {
  const sales = group('Sales Team');
  const intoUnified = await h.graph(`/v1.0/groups/${sales.id}/members/$ref`, { method: 'POST', body: ref(group('Helpdesk').id) });
  assert.equal(intoUnified.status, 400);
  assert.equal(intoUnified.body.error.code, 'Request_BadRequest');
  const other = await h.graph('/v1.0/groups', { method: 'POST', body: { displayName: 'Project X', groupTypes: ['Unified'], mailEnabled: true, mailNickname: 'projectx', securityEnabled: false } });
  assert.equal(other.status, 201);
  const unifiedIntoUnified = await h.graph(`/v1.0/groups/${sales.id}/members/$ref`, { method: 'POST', body: ref(other.body.id) });
  assert.equal(unifiedIntoUnified.status, 400);
  assert.match(unifiedIntoUnified.body.error.message, /^Unified Groups cannot be added to Unified Groups\./);
  const contactIntoUnified = await h.graph(`/v1.0/groups/${sales.id}/members/$ref`, { method: 'POST', body: ref(vic.id) });
  assert.equal(contactIntoUnified.status, 400);
  const unifiedIntoSecurity = await h.graph(`/v1.0/groups/${group('Helpdesk').id}/members/$ref`, { method: 'POST', body: ref(other.body.id) });
  assert.equal(unifiedIntoSecurity.status, 400);
  assert.deepEqual(tenant().group(sales.id)!.memberIds, sales.memberIds, 'nothing was added');

  const helpdesk = group('Helpdesk');
  assert.equal((await h.graph(`/v1.0/groups/${helpdesk.id}/members/$ref`, { method: 'POST', body: ref(vic.id) })).status, 204);
  assert.equal((await h.graph(`/v1.0/groups/${helpdesk.id}/members/$ref`, { method: 'POST', body: ref(group('Visio Users').id) })).status, 204);
  const members = await h.graph(`/v1.0/groups/${helpdesk.id}/members`);
  assert.deepEqual(typed(members.body.value), [
    ['#microsoft.graph.user', 'Dan Nolocation'], ['#microsoft.graph.orgContact', 'Vic Vendor'], ['#microsoft.graph.group', 'Visio Users'],
  ]);
  assert.equal((await h.graph(`/v1.0/groups/${helpdesk.id}/members/${vic.id}/$ref`, { method: 'DELETE' })).status, 204);
  assert.ok(!tenant().group(helpdesk.id)!.memberIds.includes(vic.id));
});

test('Exchange lists contacts and nested groups with their RecipientType, and adds and removes them', async () => {
  const staff = await h.exo('Add-DistributionGroupMember', { Identity: 'All Staff', Member: 'Finance', BypassSecurityGroupManagerCheck: true });
  assert.equal(staff.status, 200);
  const list = await h.exo('Get-DistributionGroupMember', { Identity: 'All Staff' });
  assert.equal(list.status, 200);
  const byName = new Map(list.body.value.map((m: any) => [m.DisplayName, m]));
  assert.equal((byName.get('Vic Vendor') as any).RecipientType, 'MailContact');
  assert.equal((byName.get('Vic Vendor') as any).PrimarySmtpAddress, 'vic@partner.example');
  assert.equal((byName.get('Finance') as any).RecipientType, 'MailUniversalSecurityGroup');
  assert.equal((byName.get('Ben Miller') as any).RecipientType, 'UserMailbox');

  const add = await h.exo('Add-DistributionGroupMember', { Identity: 'Finance', Member: 'vic@partner.example', BypassSecurityGroupManagerCheck: true });
  assert.equal(add.status, 200);
  assert.ok(tenant().data.groups.find((g) => g.displayName === 'Finance')!.memberIds.includes(vic.id));
  const rm = await h.exo('Remove-DistributionGroupMember', { Identity: 'All Staff', Member: 'VicVendor', BypassSecurityGroupManagerCheck: true });
  assert.equal(rm.status, 200);
  assert.ok(!tenant().data.groups.find((g) => g.displayName === 'All Staff')!.memberIds.includes(vic.id));
  const m365 = await h.exo('Add-DistributionGroupMember', { Identity: 'All Staff', Member: 'Sales Team', BypassSecurityGroupManagerCheck: true });
  assert.equal(m365.status, 400);
  const self = await h.exo('Add-DistributionGroupMember', { Identity: 'All Staff', Member: 'All Staff', BypassSecurityGroupManagerCheck: true });
  assert.equal(self.status, 400);
});

test('the demo seed nests IT Admins in VPN Users and puts suppliers\' contacts in the IT distribution list', async () => {
  const demo = JSON.parse(readFileSync(DEMO_SEED_PATH, 'utf8')) as SeedFile;
  const contoso = demo.tenants.find((t) => t.initialDomain === 'contoso.onmicrosoft.com')!;
  const byName = (n: string) => contoso.groups.find((g) => g.displayName === n)!;
  assert.ok(byName('VPN Users').memberIds.includes(byName('IT Admins').id));
  const contacts = contoso.orgContacts ?? [];
  assert.deepEqual(contacts.map((c) => c.mail).sort(), ['kai.carter@adatum.com', 'support@northwindtraders.com']);
  assert.ok(contacts.every((c) => byName('IT Department').memberIds.includes(c.id)));
  const users = new Set(contoso.users.map((u) => u.id));
  const groups = new Set(contoso.groups.map((g) => g.id));
  const contactIds = new Set(contacts.map((c) => c.id));
  for (const g of contoso.groups) assert.ok(g.memberIds.every((id) => users.has(id) || groups.has(id) || contactIds.has(id)), g.displayName);
});
