// `--generate TENANTS:USERS`: format errors, determinism, sizes and the demo's realism at scale.
import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { stableId } from '../../src/core/ids.ts';
import { DEMO_APP_ID, DEMO_APP_SECRET } from '../../src/emulator/seed/demo-app.ts';
import { generateTenants, parseGenerateSpec } from '../../src/emulator/seed/generate.ts';
import { loadSeeds } from '../../src/emulator/seed/load-seeds.ts';
import { fullExchangeRoles, fullGraphRoles } from '../../src/emulator/seed/sku-catalog.ts';
import { consumedUnits } from '../../src/emulator/state/derived.ts';
import { defaultControls, type TenantSeed } from '../../src/emulator/state/model.ts';
import { EmulatorStore } from '../../src/emulator/state/store.ts';
import { TenantState } from '../../src/emulator/state/tenant-state.ts';
import { startHarness, type Harness } from './harness.ts';

const DAY = 86_400_000;
const NOW = new Date('2027-03-10T15:30:00Z');
const today = Date.UTC(2027, 2, 10);

describe('parseGenerateSpec', () => {
  test('accepts TENANTS:USERS', () => {
    assert.deepEqual(parseGenerateSpec('20:5000'), { tenants: 20, users: 5000 });
    assert.deepEqual(parseGenerateSpec('1:20'), { tenants: 1, users: 20 });
  });

  test('rejects anything else with the expected format in the message', () => {
    for (const bad of ['', '20', '20x5000', '20:', ':5000', '0:100', '101:100', '2:19', '2:50001', '-1:100', '1.5:100', '2:5000:1', 'a:b']) {
      assert.throws(() => parseGenerateSpec(bad), (e: Error) => {
        assert.match(e.message, /expected TENANTS:USERS/);
        assert.match(e.message, /e\.g\. 20:5000/);
        assert.ok(e.message.includes(`"${bad}"`), 'names the value given');
        return true;
      }, bad);
    }
  });

  test('loadSeeds passes the format error on instead of starting without the tenants', () => {
    assert.throws(() => loadSeeds(new EmulatorStore(), [], '20-5000', NOW), /expected TENANTS:USERS/);
  });
});

describe('generated tenants', () => {
  const seed = generateTenants('3:400', NOW);
  const state = (t: TenantSeed) => new TenantState({ ...t, deletedItems: {}, outbox: [], controls: defaultControls() });

  test('are deterministic: the same spec and day give identical tenants', () => {
    assert.deepEqual(generateTenants('3:400', new Date('2027-03-10T01:00:00Z')), seed);
  });

  test('keep their ids on another day and move every date by the same number of days', () => {
    const later = generateTenants('3:400', new Date(NOW.getTime() + 5 * DAY));
    const a = seed.tenants[1]!.users;
    const b = later.tenants[1]!.users;
    assert.deepEqual(b.map((u) => u.id), a.map((u) => u.id));
    a.forEach((u, i) => {
      if (u.employeeLeaveDateTime) assert.equal(Date.parse(b[i]!.employeeLeaveDateTime!) - Date.parse(u.employeeLeaveDateTime), 5 * DAY);
      assert.equal(Date.parse(b[i]!.createdDateTime) - Date.parse(u.createdDateTime), 5 * DAY);
    });
  });

  test('are named gen01…, keyed by stableId(gen:n), with exactly USERS users each', () => {
    assert.deepEqual(seed.tenants.map((t) => t.initialDomain), ['gen01.onmicrosoft.com', 'gen02.onmicrosoft.com', 'gen03.onmicrosoft.com']);
    assert.deepEqual(seed.tenants.map((t) => t.id), [1, 2, 3].map((n) => stableId(`gen:${n}`)));
    const allIds = new Set<string>();
    for (const t of seed.tenants) {
      assert.equal(t.users.length, 400);
      const upns = new Set(t.users.map((u) => u.userPrincipalName));
      assert.equal(upns.size, 400);
      for (const u of t.users) allIds.add(u.id);
    }
    assert.equal(allIds.size, 1200, 'user ids are unique across tenants');
  });

  test('have the demo realism: departments, managers, groups, licences within units, mailboxes, MFA', () => {
    for (const t of seed.tenants) {
      const s = state(t);
      const depts = new Set(t.users.map((u) => u.department));
      for (const d of ['Sales', 'Marketing', 'Finance', 'HR', 'R&D', 'IT', 'Operations']) assert.ok(depts.has(d), d);
      const members = t.users.filter((u) => u.userType === 'Member' && u.accountEnabled);
      assert.ok(members.filter((u) => u.managerId === null).length <= 1, 'only the CEO has no manager among active members');
      for (const name of ['All Staff', 'Sales Team', 'Finance', 'Marketing', 'HR', 'R&D', 'Operations', 'VPN Users', 'IT Admins', 'Power BI Users', 'Visio Users']) {
        assert.ok(t.groups.some((g) => g.displayName === name), `${t.initialDomain} has ${name}`);
      }
      const consumed = consumedUnits(s);
      for (const sku of t.skus) assert.ok((consumed.get(sku.skuId) ?? 0) <= sku.prepaidUnits.enabled, sku.skuPartNumber);
      assert.ok(t.skus.some((sku) => consumed.get(sku.skuId) === sku.prepaidUnits.enabled), 'an exhausted SKU');
      const exchange = new Set(t.skus.filter((x) => x.includesExchange).map((x) => x.skuId));
      for (const u of t.users) {
        if (u.directLicenses.some((l) => exchange.has(l.skuId))) assert.ok(s.mailbox(u.id), `${u.userPrincipalName} has a mailbox`);
        assert.ok(t.authMethods[u.id]?.length, `${u.userPrincipalName} has auth methods`);
      }
      assert.ok(t.mailboxes.filter((m) => m.recipientTypeDetails === 'SharedMailbox').length === 2);
      assert.deepEqual(t.apps[DEMO_APP_ID], { graphRoles: fullGraphRoles, exchangeRoles: fullExchangeRoles });
    }
  });

  test('spread hire and leave dates around today, with disabled, guest and synced accounts', () => {
    const users = seed.tenants.flatMap((t) => t.users);
    const days = (iso: string) => (Date.parse(iso) - today) / DAY;
    assert.ok(users.some((u) => u.employeeHireDate && days(u.employeeHireDate) > 0 && days(u.employeeHireDate) <= 30 && !u.accountEnabled), 'pre-hires');
    assert.ok(users.some((u) => u.employeeLeaveDateTime && days(u.employeeLeaveDateTime) < 0), 'past leavers');
    for (const t of seed.tenants) {
      const soonSales = t.users.filter((u) => u.department === 'Sales' && u.employeeLeaveDateTime && days(u.employeeLeaveDateTime) >= 1 && days(u.employeeLeaveDateTime) <= 14);
      assert.ok(soonSales.length >= 5, `${t.initialDomain}: Sales leavers within 14 days`);
      assert.ok(t.users.some((u) => u.userType === 'Guest' && u.userPrincipalName.includes('#EXT#@')));
      assert.ok(t.users.some((u) => u.onPremisesSyncEnabled && u.onPremisesImmutableId));
      assert.ok(t.users.some((u) => !u.accountEnabled));
    }
  });

  test('20:5000 builds 100,000 users in 20 tenants, every id unique', () => {
    const big = generateTenants('20:5000', NOW);
    assert.equal(big.tenants.length, 20);
    assert.equal(big.tenants[19]!.initialDomain, 'gen20.onmicrosoft.com');
    const ids = new Set<string>();
    for (const t of big.tenants) {
      assert.equal(t.users.length, 5000);
      for (const u of t.users) ids.add(u.id);
    }
    assert.equal(ids.size, 100_000);
  });
});

describe('generated tenants served over HTTP', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ seeds: [], generate: '2:150' }); });
  after(async () => { await h.close(); });

  test('the demo app gets a token for a generated tenant and pages all its users', async () => {
    const token = await h.token({ tenant: 'gen02.onmicrosoft.com', clientId: DEMO_APP_ID, secret: DEMO_APP_SECRET });
    let path: string | undefined = '/v1.0/users?$top=100';
    let count = 0;
    while (path) {
      const r = await h.graph(path, { token });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      count += r.body.value.length;
      const next: string | undefined = r.body['@odata.nextLink'];
      path = next ? next.slice(h.base.length) : undefined;
    }
    assert.equal(count, 150);
    assert.ok(h.emu.deps.store.tenant('gen01.example.com'), 'the verified domain resolves too');
  });
});
