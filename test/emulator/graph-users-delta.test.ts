// GET /users/delta: the initial round in pages with @odata.nextLink and a final @odata.deltaLink,
// later rounds with only what changed (created, updated, licensed, deleted, purged), $select
// deciding both what is returned and what is tracked, the tokens' errors, and a local copy kept
// by applying every round staying equal to a full listing through every kind of write.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/server.ts';
import type { SeedFile } from '../../src/emulator/state/model.ts';
import type { TenantState } from '../../src/emulator/state/tenant-state.ts';
import { FULL_APP, MINI_DOMAIN, MINI_VERIFIED, READONLY_APP, miniSeed } from '../fixtures/mini-seed.ts';
import { startHarness, type Harness } from './harness.ts';

const POWER_BI = 'f8a1db68-be16-40ed-86d5-cb42ce701560';
const SELECT = 'displayName,department,accountEnabled,assignedLicenses';

let h: Harness;
let tenant: TenantState;

before(async () => {
  h = await startHarness();
  tenant = h.emu.deps.store.tenant(MINI_DOMAIN)!;
});
after(async () => { await h.close(); });

const user = (upnStart: string) => tenant.data.users.find((u) => u.userPrincipalName.startsWith(upnStart))!;
const group = (name: string) => tenant.data.groups.find((g) => g.displayName === name)!;

async function get(url: string, headers: Record<string, string> = {}, token?: string) {
  const abs = url.startsWith('http') ? url : `${h.base}${url}`;
  const res = await fetch(abs, { headers: { authorization: `Bearer ${token ?? (await h.token())}`, ...headers } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

async function write(method: string, path: string, body?: unknown) {
  const r = await h.graph(`/v1.0${path}`, { method, ...(body !== undefined ? { body } : {}) });
  assert.ok(r.status < 300, `${method} ${path} answered ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}

/** Follows a round from its first URL to its deltaLink. */
async function round(first: string, headers: Record<string, string> = {}) {
  const pages: any[] = [];
  let url = first;
  for (;;) {
    const r = await get(url, headers);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    pages.push(r);
    assert.ok(!(r.body['@odata.nextLink'] && r.body['@odata.deltaLink']), 'a page never has both links');
    if (r.body['@odata.nextLink']) { url = r.body['@odata.nextLink']; continue; }
    assert.ok(r.body['@odata.deltaLink'], 'the last page carries the deltaLink');
    return { pages, items: pages.flatMap((p) => p.body.value) as any[], deltaLink: r.body['@odata.deltaLink'] as string };
  }
}

test('the initial round pages every user with $skiptoken links and ends with a $deltatoken link', async () => {
  const r = await round(`/v1.0/users/delta?$select=${SELECT}`, { prefer: 'odata.maxpagesize=3' });
  assert.deepEqual(r.pages.map((p) => p.body.value.length), [3, 3, 2]);
  for (const p of r.pages.slice(0, -1)) assert.match(p.body['@odata.nextLink'], /\/v1\.0\/users\/delta\?\$skiptoken=[\w.-]+$/);
  assert.match(r.deltaLink, /\/v1\.0\/users\/delta\?\$deltatoken=[\w.-]+$/);
  assert.equal(r.pages[0].headers.get('preference-applied'), 'odata.maxpagesize=3');
  assert.match(r.pages[0].body['@odata.context'], /\$metadata#users\(displayName,department,accountEnabled,assignedLicenses\)$/);
  assert.deepEqual(r.items.map((u) => u.id), tenant.data.users.map((u) => u.id), 'every user once, in directory order');
  // $select is honoured, and id always comes back.
  for (const u of r.items) assert.deepEqual(Object.keys(u), ['displayName', 'department', 'accountEnabled', 'assignedLicenses', 'id']);
  const ben = r.items.find((u) => u.displayName === 'Ben Miller');
  assert.equal(ben.department, 'Sales');
  assert.equal(ben.assignedLicenses.length, 2, 'the group-inherited licence too');
  // Nothing changed: the deltaLink answers an empty page and a fresh deltaLink.
  const again = await round(r.deltaLink);
  assert.deepEqual(again.items, []);
  // The same through the fully qualified name and on beta.
  const fq = await round(`/beta/users/microsoft.graph.delta()?$select=id`);
  assert.equal(fq.items.length, tenant.data.users.length);
  assert.match(fq.deltaLink, /\/beta\/users\/microsoft\.graph\.delta\(\)\?\$deltatoken=/);
});

test('a create, an update, a licence change and a delete each show up in the next round, and nothing else', async () => {
  const start = await round(`/v1.0/users/delta?$select=${SELECT}`);
  const ben = user('ben.miller'), eve = user('eve.disabled'), cara = user('cara.diaz');
  const created = await write('POST', '/users', {
    accountEnabled: true, displayName: 'Nina New', mailNickname: 'nina.new', userPrincipalName: `nina.new@${MINI_VERIFIED}`, department: 'Support',
    passwordProfile: { forceChangePasswordNextSignIn: true, password: 'xWwvJ]6NMw+bWH-d' },
  });
  await write('PATCH', `/users/${ben.id}`, { department: 'Marketing' });
  await write('POST', `/users/${eve.id}/assignLicense`, { addLicenses: [{ skuId: POWER_BI, disabledPlans: [] }], removeLicenses: [] });
  await write('DELETE', `/users/${cara.id}`);

  const next = await round(start.deltaLink);
  const byId = new Map(next.items.map((u) => [u.id, u]));
  assert.equal(next.items.length, 4, JSON.stringify(next.items));
  assert.deepEqual(byId.get(created.body.id), { displayName: 'Nina New', department: 'Support', accountEnabled: true, assignedLicenses: [], id: created.body.id });
  assert.equal(byId.get(ben.id).department, 'Marketing');
  assert.deepEqual(byId.get(eve.id).assignedLicenses, [{ disabledPlans: [], skuId: POWER_BI }]);
  assert.deepEqual(byId.get(cara.id), { id: cara.id, '@removed': { reason: 'changed' } });

  // Nothing since: empty. Purging the deleted user is a removal for good.
  const quiet = await round(next.deltaLink);
  assert.deepEqual(quiet.items, []);
  await write('DELETE', `/directory/deletedItems/${cara.id}`);
  const purged = await round(quiet.deltaLink);
  assert.deepEqual(purged.items, [{ id: cara.id, '@removed': { reason: 'deleted' } }]);

  // The first deltaLink still works and sums everything up since it was issued.
  const sinceStart = await round(start.deltaLink);
  assert.equal(sinceStart.items.length, 4);
  assert.deepEqual(sinceStart.items.find((u) => u.id === cara.id), { id: cara.id, '@removed': { reason: 'deleted' } });
});

test('only changes to $select-ed properties count; without $select every property does', async () => {
  const narrow = await round('/v1.0/users/delta?$select=displayName');
  const wide = await round('/v1.0/users/delta');
  const dan = user('dan.nolocation'), ava = user('ava.boss');
  await write('PATCH', `/users/${dan.id}`, { jobTitle: 'Senior Analyst' });
  assert.deepEqual((await round(narrow.deltaLink)).items, [], 'jobTitle is not tracked by $select=displayName');
  const all = await round(wide.deltaLink);
  assert.deepEqual(all.items.map((u) => [u.id, u.jobTitle]), [[dan.id, 'Senior Analyst']]);
  // A mailbox provisioned by a licence with Exchange stamps the user's mail.
  const mail = await round('/v1.0/users/delta?$select=mail');
  await write('PATCH', `/users/${dan.id}`, { usageLocation: 'US' });
  await write('POST', `/users/${dan.id}/assignLicense`, { addLicenses: [{ skuId: ava.directLicenses[0]!.skuId, disabledPlans: [] }], removeLicenses: [] });
  assert.deepEqual((await round(mail.deltaLink)).items, [{ mail: dan.userPrincipalName, id: dan.id }]);
  // A manager change is tracked by $select=manager, and shows as manager@delta.
  const mgr = await round('/v1.0/users/delta?$select=displayName,manager');
  await write('PUT', `/users/${dan.id}/manager/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/users/${ava.id}` });
  const m = await round(mgr.deltaLink);
  assert.deepEqual(m.items, [{ displayName: dan.displayName, id: dan.id, 'manager@delta': [{ '@odata.type': '#microsoft.graph.user', id: ava.id }] }]);
});

test('$filter on ids scopes the round; other query options are refused', async () => {
  const ava = user('ava.boss'), ben = user('ben.miller');
  const r = await round(`/v1.0/users/delta?$select=displayName&$filter=${encodeURIComponent(`id eq '${ava.id}' or id eq '${ben.id}'`)}`);
  assert.deepEqual(r.items.map((u) => u.id).sort(), [ava.id, ben.id].sort());
  await write('PATCH', `/users/${user('dan.nolocation').id}`, { displayName: 'Dan Renamed' });
  await write('PATCH', `/users/${ava.id}`, { displayName: 'Ava Renamed' });
  assert.deepEqual((await round(r.deltaLink)).items, [{ displayName: 'Ava Renamed', id: ava.id }]);
  for (const q of ['$top=5', '$orderby=displayName', '$expand=manager', `$filter=${encodeURIComponent("department eq 'Sales'")}`]) {
    const bad = await get(`/v1.0/users/delta?${q}`);
    assert.equal(bad.status, 400, q);
    assert.equal(bad.body.error.code, 'Request_UnsupportedQuery', q);
  }
  // Read permission is enough, as for listing users.
  const ro = await get('/v1.0/users/delta?$select=id', {}, await h.token({ clientId: READONLY_APP.clientId, secret: READONLY_APP.secret }));
  assert.equal(ro.status, 200);
});

test('a token the service cannot use answers syncStateNotFound; after a reset, 410 resyncRequired', async () => {
  const r = await round(`/v1.0/users/delta?$select=${SELECT}`);
  const token = new URL(r.deltaLink).searchParams.get('$deltatoken')!;
  const cases: Array<[string, string]> = [
    ['garbage', '/v1.0/users/delta?$deltatoken=not-a-token'],
    ['edited', `/v1.0/users/delta?$deltatoken=${token.slice(0, 10)}x${token.slice(11)}`],
    ['another version', `/beta/users/delta?$deltatoken=${token}`],
    ['a deltatoken as skiptoken', `/v1.0/users/delta?$skiptoken=${token}`],
    ['another $select', `/v1.0/users/delta?$select=displayName&$deltatoken=${token}`],
  ];
  for (const [what, url] of cases) {
    const bad = await get(url);
    assert.equal(bad.status, 400, what);
    assert.equal(bad.body.error.code, 'syncStateNotFound', what);
    assert.equal(bad.body.error.message, 'The sync state generation is not found. The delta token is expired and data must be synchronized again.');
  }
  const reset = await fetch(`${h.base}/_emulator/tenants/${MINI_DOMAIN}/reset`, { method: 'POST' });
  assert.equal(reset.status, 200);
  tenant = h.emu.deps.store.tenant(MINI_DOMAIN)!;
  const gone = await get(r.deltaLink);
  assert.equal(gone.status, 410);
  assert.equal(gone.body.error.code, 'resyncRequired');
  assert.equal(gone.headers.get('location'), `${h.base}/v1.0/users/delta?$select=${encodeURIComponent(SELECT)}`, 'where a full synchronization starts');
  const fresh = await round(gone.headers.get('location')!);
  assert.equal(fresh.items.length, tenant.data.users.length);
});

test('delta passes through realism: faults and the resource-unit charge', async () => {
  const controls = (body: unknown) => fetch(`${h.base}/_emulator/tenants/${MINI_DOMAIN}/controls`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal((await controls({ faults: [{ rate: 1, kind: 503, path: '^/users/delta', retryAfterSeconds: 2 }] })).status, 200);
  const faulted = await get('/v1.0/users/delta?$select=id');
  assert.equal(faulted.status, 503);
  assert.equal(faulted.headers.get('retry-after'), '2');
  assert.equal((await controls({ faults: [], throttling: { enabled: true } })).status, 200);
  const ok = await get('/v1.0/users/delta?$select=id');
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('x-ms-resource-unit'), '1', 'users cost 2 RU, $select takes one off');
  assert.equal((await controls({ throttling: { enabled: false } })).status, 200);
});

test('a copy kept by applying each round equals a full listing after every kind of write', async () => {
  // Every beta default property, and (a relationship, tracked only when selected) the manager.
  const mirror = new Map<string, Record<string, unknown>>();
  const managers = new Map<string, string | null>();
  const first = await round('/beta/users/delta');
  for (const u of first.items) mirror.set(u.id, u);
  const firstManagers = await round('/v1.0/users/delta?$select=id,manager');
  for (const u of firstManagers.items) managers.set(u.id, u['manager@delta'][0]?.id ?? null);
  let link = first.deltaLink, managerLink = firstManagers.deltaLink;
  const check = async (what: string) => {
    const r = await round(link);
    link = r.deltaLink;
    for (const item of r.items) {
      if (item['@removed']) mirror.delete(item.id);
      else mirror.set(item.id, item);
    }
    const full = await get('/beta/users?$top=999');
    assert.equal(full.status, 200);
    assert.deepEqual(new Map(mirror), new Map<string, unknown>(full.body.value.map((u: any) => [u.id, u])), `after ${what}`);
    const m = await round(managerLink);
    managerLink = m.deltaLink;
    for (const item of m.items) {
      if (item['@removed']) managers.delete(item.id);
      else managers.set(item.id, item['manager@delta'][0]?.id ?? null);
    }
    const withManagers = await get('/v1.0/users?$select=id&$expand=manager($select=id)&$top=999');
    assert.deepEqual(new Map(managers), new Map(withManagers.body.value.map((u: any) => [u.id, u.manager?.id ?? null])), `managers after ${what}`);
    return r.items.length;
  };
  const ben = user('ben.miller'), dan = user('dan.nolocation'), eve = user('eve.disabled'), ava = user('ava.boss');
  const vpn = group('VPN Users'), dyn = group('Sales Dynamic');
  const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

  await write('PATCH', `/users/${eve.id}`, { accountEnabled: true });
  assert.equal(await check('enabling a user'), 1);
  await write('PATCH', `/users/${ben.id}`, { mail: `ben.m@${MINI_VERIFIED}`, userPrincipalName: `benjamin.miller@${MINI_VERIFIED}` });
  await check('a mail and UPN change');
  await write('PUT', `/users/${dan.id}/manager/$ref`, ref(ava.id));
  await write('DELETE', `/users/${dan.id}/manager/$ref`);
  await check('a manager set and removed');
  await write('POST', `/groups/${vpn.id}/assignLicense`, { addLicenses: [{ skuId: POWER_BI, disabledPlans: [] }], removeLicenses: [] });
  assert.equal(await check('a licence on a group'), vpn.memberIds.length);
  await write('POST', `/groups/${vpn.id}/members/$ref`, ref(dan.id));
  assert.equal(await check('joining a licensed group'), 1);
  await write('POST', `/groups/${dyn.id}/assignLicense`, { addLicenses: [{ skuId: POWER_BI, disabledPlans: [] }], removeLicenses: [] });
  await check('a licence on a dynamic group');
  await write('PATCH', `/users/${eve.id}`, { department: 'Sales' });
  await check('a department change into a licensed dynamic group');
  await write('DELETE', `/groups/${vpn.id}`);
  await check('deleting a licensed security group (for good)');
  const team = group('Sales Team');
  await write('POST', `/groups/${team.id}/assignLicense`, { addLicenses: [{ skuId: POWER_BI, disabledPlans: [] }], removeLicenses: [] });
  await write('DELETE', `/groups/${team.id}`);
  await check('deleting a licensed Microsoft 365 group');
  await write('POST', `/directory/deletedItems/${team.id}/restore`);
  await check('restoring it');
  await write('POST', `/users/${ava.id}/revokeSignInSessions`);
  await write('POST', `/users/${ava.id}/assignLicense`, { addLicenses: [], removeLicenses: [tenant.user(ava.id)!.directLicenses[0]!.skuId] });
  await check('revoking sessions and removing a licence');
  await write('DELETE', `/users/${ava.id}`);
  await check('deleting a manager (reports lose their manager)');
  await write('POST', `/directory/deletedItems/${ava.id}/restore`);
  await check('restoring the manager');
  await write('DELETE', `/users/${dan.id}`);
  await write('DELETE', `/directory/deletedItems/${dan.id}`);
  await check('a delete and a purge');
  assert.equal(await check('nothing'), 0);
});

test('a deltaLink expires after seven days; a token from another tenant is refused', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tf-delta-'));
  const seed = miniSeed();
  const other: SeedFile = structuredClone(seed);
  other.tenants[0]!.id = '7d1c1f0e-0000-4000-8000-00000000beef';
  other.tenants[0]!.initialDomain = 'othertenant.onmicrosoft.com';
  other.tenants[0]!.verifiedDomains = ['othertenant.com'];
  const clock = { t: Date.now() };
  const emu = await startEmulator({ dataDir, seeds: [seed, other], snapshot: false, now: () => clock.t, controls: { latency: { mode: 'off' }, throttling: { enabled: false }, faults: [], readAfterCreateDelayMs: 0 } });
  try {
    const token = async (tenantDomain: string) => {
      const res = await fetch(`${emu.httpUrl}/${tenantDomain}/oauth2/v2.0/token`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: FULL_APP.clientId, client_secret: FULL_APP.secret, scope: 'https://graph.microsoft.com/.default' }),
      });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const call = async (url: string, tok: string) => {
      const res = await fetch(url.startsWith('http') ? url : `${emu.httpUrl}${url}`, { headers: { authorization: `Bearer ${tok}` } });
      return { status: res.status, body: (await res.json()) as any };
    };
    const latest = await call('/v1.0/users/delta?$select=id&$deltatoken=latest', await token(MINI_DOMAIN));
    assert.equal(latest.status, 200);
    assert.deepEqual(latest.body.value, [], 'sync from now: no data, only a deltaLink');
    const link: string = latest.body['@odata.deltaLink'];
    const elsewhere = await call(link, await token('othertenant.onmicrosoft.com'));
    assert.equal(elsewhere.status, 400);
    assert.equal(elsewhere.body.error.code, 'syncStateNotFound');
    clock.t += 6 * 86_400_000;
    assert.equal((await call(link, await token(MINI_DOMAIN))).status, 200, 'six days on, still valid');
    clock.t += 2 * 86_400_000;
    const expired = await call(link, await token(MINI_DOMAIN));
    assert.equal(expired.status, 400);
    assert.equal(expired.body.error.code, 'syncStateNotFound');
  } finally {
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
