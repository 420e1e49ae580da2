import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.ts';
import { graphSdkClient } from './graph-sdk-client.ts';
import { MINI_TENANT_ID, READONLY_APP, miniSeed } from '../fixtures/mini-seed.ts';
import { skuCatalog } from '../../src/emulator/seed/sku-catalog.ts';

let h: Harness;
let sdk: ReturnType<typeof graphSdkClient>;
const seed = miniSeed().tenants[0]!;
const user = (upnPrefix: string) => seed.users.find((u) => u.userPrincipalName.startsWith(upnPrefix))!;
const group = (name: string) => seed.groups.find((g) => g.displayName === name)!;
const tenant = () => h.emu.deps.store.tenant(MINI_TENANT_ID)!;
const E3 = skuCatalog.SPE_E3!.skuId;
const VISIO = skuCatalog.VISIOCLIENT!.skuId;
const PBI = skuCatalog.POWER_BI_PRO!.skuId;
const TEAMS1 = '57ff2da0-773e-42df-b2af-ffb7a2317929';

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

async function consumed(): Promise<Record<string, number>> {
  const res = await sdk.client.api('/subscribedSkus').get();
  return Object.fromEntries(res.value.map((s: any) => [s.skuId, s.consumedUnits]));
}

const assign = (userId: string, body: unknown) => h.graph(`/v1.0/users/${userId}/assignLicense`, { method: 'POST', body });

test('subscribedSkus has Graph\'s shape and consumedUnits counts direct and group assignments', async () => {
  const res = await sdk.client.api('/subscribedSkus').get();
  const e3 = res.value.find((s: any) => s.skuPartNumber === 'SPE_E3');
  assert.equal(e3.id, `${MINI_TENANT_ID}_${E3}`);
  assert.equal(e3.accountId, MINI_TENANT_ID);
  assert.equal(e3.appliesTo, 'User');
  assert.equal(e3.capabilityStatus, 'Enabled');
  assert.deepEqual(e3.prepaidUnits, { enabled: 4, suspended: 0, warning: 0, lockedOut: 0 });
  assert.ok(e3.servicePlans.some((p: any) => p.servicePlanName === 'EXCHANGE_S_ENTERPRISE' && p.provisioningStatus === 'Success'));
  assert.deepEqual(await consumed(), { [E3]: 3, [VISIO]: 1, [PBI]: 0 });
  const one = await sdk.client.api(`/subscribedSkus/${MINI_TENANT_ID}_${PBI}`).get();
  assert.equal(one.skuPartNumber, 'POWER_BI_PRO');
  assert.equal((await h.graph(`/v1.0/subscribedSkus/${MINI_TENANT_ID}_00000000-0000-0000-0000-000000000000`)).status, 404);
});

test('assignLicense adds and removes, answers 200 with the user, and consumedUnits follows', async () => {
  const eve = user('eve.disabled');
  const added = await sdk.client.api(`/users/${eve.id}/assignLicense`).post({
    addLicenses: [{ disabledPlans: [], skuId: PBI }],
    removeLicenses: [],
  });
  assert.equal(added.id, eve.id);
  assert.equal(added.userPrincipalName, eve.userPrincipalName);
  assert.equal((await consumed())[PBI], 1);
  const details = await sdk.client.api(`/users/${eve.id}/licenseDetails`).get();
  assert.deepEqual(details.value.map((d: any) => d.skuPartNumber), ['POWER_BI_PRO']);
  await sdk.client.api(`/users/${eve.id}/assignLicense`).post({ addLicenses: [], removeLicenses: [PBI] });
  assert.equal((await consumed())[PBI], 0);
  assert.deepEqual(tenant().user(eve.id)!.directLicenses, []);
});

test('an Exchange licence provisions a mailbox; removing the licence keeps it', async () => {
  const eve = user('eve.disabled');
  assert.equal(tenant().mailbox(eve.id), undefined);
  const res = await assign(eve.id, { addLicenses: [{ skuId: E3, disabledPlans: [TEAMS1] }], removeLicenses: [] });
  assert.equal(res.status, 200);
  const mb = tenant().mailbox(eve.id)!;
  assert.equal(mb.recipientTypeDetails, 'UserMailbox');
  assert.equal(mb.primarySmtpAddress, eve.userPrincipalName);
  const details = await sdk.client.api(`/users/${eve.id}/licenseDetails`).get();
  const teams = details.value[0].servicePlans.find((p: any) => p.servicePlanId === TEAMS1);
  assert.equal(teams.provisioningStatus, 'Disabled');
  assert.equal((await consumed())[E3], 4);
  assert.equal((await assign(eve.id, { addLicenses: [], removeLicenses: [E3] })).status, 200);
  assert.ok(tenant().mailbox(eve.id), 'the mailbox survives licence removal');
  assert.equal((await consumed())[E3], 3);
  const pbiOnly = user('sam.synced');
  await assign(pbiOnly.id, { addLicenses: [{ skuId: PBI, disabledPlans: [] }], removeLicenses: [] });
  assert.equal(tenant().mailbox(pbiOnly.id), undefined, 'no Exchange plan, no mailbox');
});

test('refusals: usage location, no free units, unknown SKU, group-inherited removal, malformed bodies', async () => {
  const before = await consumed();
  const dan = user('dan.nolocation');
  const loc = await assign(dan.id, { addLicenses: [{ skuId: PBI, disabledPlans: [] }], removeLicenses: [] });
  assert.equal(loc.status, 400);
  assert.equal(loc.body.error.code, 'Request_BadRequest');
  assert.equal(loc.body.error.message, 'License assignment cannot be done for user with invalid usage location.');
  const eve = user('eve.disabled');
  const full = await assign(eve.id, { addLicenses: [{ skuId: VISIO, disabledPlans: [] }], removeLicenses: [] });
  assert.equal(full.status, 400);
  assert.equal(full.body.error.message, `Subscription with SKU ${VISIO} does not have any available licenses.`);
  const unknownSku = '11111111-2222-4333-8444-555555555555';
  const unknown = await assign(eve.id, { addLicenses: [{ skuId: unknownSku, disabledPlans: [] }], removeLicenses: [] });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.message, `License ${unknownSku} does not correspond to a valid company License.`);
  const ben = user('ben.miller');
  const inherited = await assign(ben.id, { addLicenses: [], removeLicenses: [VISIO] });
  assert.equal(inherited.status, 400);
  assert.equal(inherited.body.error.message, 'User license is inherited from a group membership and it cannot be removed directly from the user.');
  const noRemove = await assign(eve.id, { addLicenses: [{ skuId: PBI, disabledPlans: [] }] });
  assert.equal(noRemove.status, 400);
  const badPlan = await assign(eve.id, { addLicenses: [{ skuId: PBI, disabledPlans: [TEAMS1] }], removeLicenses: [] });
  assert.equal(badPlan.status, 400);
  assert.equal((await assign('00000000-0000-4000-8000-000000000000', { addLicenses: [], removeLicenses: [] })).status, 404);
  assert.deepEqual(await consumed(), before, 'no refused call changed any assignment');
});

test('the last free unit goes to the first caller; consumedUnits never exceeds prepaid units', async () => {
  assert.equal((await assign(user('eve.disabled').id, { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] })).status, 200);
  const second = await assign(user('sam.synced').id, { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] });
  assert.equal(second.status, 400);
  assert.equal((await consumed())[E3], 4);
  // Re-assigning a SKU the user already holds changes plans without consuming a unit.
  const ben = user('ben.miller');
  assert.equal((await assign(ben.id, { addLicenses: [{ skuId: E3, disabledPlans: [TEAMS1] }], removeLicenses: [] })).status, 200);
  assert.deepEqual(tenant().user(ben.id)!.directLicenses.find((l) => l.skuId === E3)!.disabledPlans, [TEAMS1]);
});

test('licenseDetails lists direct and group-inherited SKUs once each', async () => {
  const ben = user('ben.miller');
  const res = await sdk.client.api(`/users/${ben.id}/licenseDetails`).get();
  assert.deepEqual(res.value.map((d: any) => d.skuPartNumber).sort(), ['SPE_E3', 'VISIOCLIENT']);
  for (const d of res.value) {
    assert.equal(typeof d.id, 'string');
    assert.ok(d.servicePlans.length > 0);
  }
});

test('group-based licensing: members inherit, consumedUnits follows membership', async () => {
  const vpn = group('VPN Users');
  const res = await h.graph(`/v1.0/groups/${vpn.id}/assignLicense`, { method: 'POST', body: { addLicenses: [{ skuId: PBI, disabledPlans: [] }], removeLicenses: [] } });
  assert.equal(res.status, 202);
  assert.equal(res.body.id, vpn.id);
  assert.match(res.headers.get('location')!, new RegExp(`/directoryObjects/${vpn.id}/Microsoft\\.DirectoryServices\\.Group$`));
  assert.equal((await consumed())[PBI], 2);
  const ava = user('ava.boss');
  const direct = await assign(ava.id, { addLicenses: [], removeLicenses: [PBI] });
  assert.equal(direct.status, 400, 'inherited from VPN Users');
  await sdk.client.api(`/groups/${vpn.id}/members/$ref`).post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user('cara.diaz').id}` });
  assert.equal((await consumed())[PBI], 3);
  const selected = await sdk.client.api(`/groups/${vpn.id}`).select('assignedLicenses').get();
  assert.deepEqual(selected.assignedLicenses, [{ disabledPlans: [], skuId: PBI }]);
  const tooMany = await h.graph(`/v1.0/groups/${group('All Staff').id}/assignLicense`, { method: 'POST', body: { addLicenses: [{ skuId: VISIO, disabledPlans: [] }], removeLicenses: [] } });
  assert.equal(tooMany.status, 400);
  await h.graph(`/v1.0/groups/${vpn.id}/assignLicense`, { method: 'POST', body: { addLicenses: [], removeLicenses: [PBI] } });
  assert.equal((await consumed())[PBI], 0);
});

test('a read-only app may read licence details but not assign or read subscriptions', async () => {
  const token = await h.token({ clientId: READONLY_APP.clientId, secret: READONLY_APP.secret });
  const ben = user('ben.miller');
  assert.equal((await h.graph(`/v1.0/users/${ben.id}/licenseDetails`, { token })).status, 200);
  const skus = await h.graph('/v1.0/subscribedSkus', { token });
  assert.equal(skus.status, 403);
  const write = await h.graph(`/v1.0/users/${user('eve.disabled').id}/assignLicense`, { method: 'POST', token, body: { addLicenses: [{ skuId: PBI, disabledPlans: [] }], removeLicenses: [] } });
  assert.equal(write.status, 403);
  assert.equal(write.body.error.code, 'Authorization_RequestDenied');
  const groupWrite = await h.graph(`/v1.0/groups/${group('VPN Users').id}/assignLicense`, { method: 'POST', token, body: { addLicenses: [], removeLicenses: [] } });
  assert.equal(groupWrite.status, 403);
});
