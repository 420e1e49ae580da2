// The committed demo seed: what the demo, the chat examples and the lifecycle scenarios rely on.
import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isUuid, stableId } from '../../src/core/ids.ts';
import { DEMO_APP_ID, DEMO_APP_SECRET } from '../../src/emulator/seed/demo-app.ts';
import { demoSeedJson, fabrikamMissingGraphRoles } from '../../src/emulator/seed/demo-seed.ts';
import { DEMO_SEED_PATH, loadSeeds, readSeedFile } from '../../src/emulator/seed/load-seeds.ts';
import { fullExchangeRoles, fullGraphRoles, skuCatalog } from '../../src/emulator/seed/sku-catalog.ts';
import { consumedUnits, licenseStates, memberIdsOf } from '../../src/emulator/state/derived.ts';
import { defaultControls, type EmuGroup, type EmuUser, type SeedFile, type TenantSeed } from '../../src/emulator/state/model.ts';
import { EmulatorStore } from '../../src/emulator/state/store.ts';
import { TenantState } from '../../src/emulator/state/tenant-state.ts';
import { PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { graphSdkClient } from './graph-sdk-client.ts';
import { startHarness, type Harness } from './harness.ts';

const DAY = 86_400_000;
const text = readFileSync(DEMO_SEED_PATH, 'utf8');
const seed = JSON.parse(text) as SeedFile;
const ref = Date.parse(`${seed.referenceDate}T00:00:00Z`);
const tenantOf = (domain: string) => seed.tenants.find((t) => t.initialDomain === domain)!;
const contoso = tenantOf('contoso.onmicrosoft.com');
const fabrikam = tenantOf('fabrikam.onmicrosoft.com');
const stateOf = (t: TenantSeed) => new TenantState({ ...structuredClone(t), deletedItems: {}, outbox: [], controls: defaultControls() });
const daysFromRef = (iso: string) => (Date.parse(iso) - ref) / DAY;
const byUpn = (t: TenantSeed, upn: string) => t.users.find((u) => u.userPrincipalName === upn);
const group = (t: TenantSeed, name: string) => t.groups.find((g) => g.displayName === name);
const kindOf = (g: EmuGroup) =>
  g.groupTypes.includes('Unified') ? 'unified' : g.mailEnabled && g.securityEnabled ? 'mailEnabledSecurity' : g.mailEnabled ? 'distribution' : 'security';
const sharedUserIds = new Set(contoso.mailboxes.filter((m) => m.recipientTypeDetails === 'SharedMailbox').map((m) => m.userId));
const people = contoso.users.filter((u) => u.userType === 'Member' && !sharedUserIds.has(u.id));
const DEPARTMENTS = ['Sales', 'Marketing', 'Finance', 'HR', 'R&D', 'IT', 'Operations'];

describe('demo seed file', () => {
  test('is exactly what the generator produces for its reference date (regenerate with write-demo-seed.ts)', () => {
    assert.match(seed.referenceDate ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(demoSeedJson(seed.referenceDate!) === text, 'demo.seed.json is stale: run node src/emulator/seed/write-demo-seed.ts ' + seed.referenceDate);
  });

  test('ids are stable GUIDs, unique within each tenant', () => {
    assert.equal(contoso.id, stableId('tenant:contoso'));
    assert.equal(byUpn(contoso, 'alex.wilber@contoso.com')!.id, stableId('contoso:user:alex.wilber@contoso.com'));
    for (const t of seed.tenants) {
      const ids = [...t.users.map((u) => u.id), ...t.groups.map((g) => g.id)];
      assert.ok(ids.every(isUuid));
      assert.equal(new Set(ids).size, ids.length, `${t.initialDomain}: duplicate ids`);
      const upns = t.users.map((u) => u.userPrincipalName.toLowerCase());
      assert.equal(new Set(upns).size, upns.length, `${t.initialDomain}: duplicate UPNs`);
    }
  });

  test('the app, its secret, its consent in contoso and the GDAP partner token', () => {
    const app = seed.apps.find((a) => a.appId === DEMO_APP_ID)!;
    assert.deepEqual(app.secrets, [DEMO_APP_SECRET]);
    assert.deepEqual(contoso.apps[DEMO_APP_ID], { graphRoles: fullGraphRoles, exchangeRoles: fullExchangeRoles });
    assert.ok(seed.partnerRefreshTokens?.some((t) => t.appId === DEMO_APP_ID && t.refreshToken && t.upn));
  });
});

describe('contoso people', () => {
  test('has 250+ users on contoso.com with the named demo users and without the onboarding examples', () => {
    assert.deepEqual(contoso.verifiedDomains, ['contoso.com']);
    assert.ok(contoso.users.length >= 250, `${contoso.users.length} users`);
    const named = ['alex.wilber', 'megan.bowen', 'diego.siciliani', 'isaiah.langer', 'lynne.robbins', 'nestor.wilke', 'patti.fernandez',
      'grady.archie', 'joni.sherman', 'johanna.lorenz', 'miriam.graham', 'henrietta.mueller', 'jane.smith', 'john.doe'];
    const t = stateOf(contoso);
    for (const n of named) {
      const u = byUpn(contoso, `${n}@contoso.com`);
      assert.ok(u, `${n} exists`);
      assert.ok(u.accountEnabled && u.usageLocation && !u.employeeLeaveDateTime, `${n} is an active, located employee`);
      assert.ok(t.mailbox(u.id), `${n} has a mailbox`);
    }
    assert.equal(byUpn(contoso, 'jane.smith@contoso.com')!.displayName, 'Jane Smith');
    assert.equal(byUpn(contoso, 'john.doe@contoso.com')!.displayName, 'John Doe');
    assert.ok(!contoso.users.some((u) => /adele|carlos\.mendes/i.test(u.userPrincipalName) || ['Adele Vance', 'Carlos Mendes'].includes(u.displayName)));
  });

  test('people work in the seven departments under a head who reports to the CEO', () => {
    const ceo = people.filter((u) => u.managerId === null);
    assert.equal(ceo.length, 1, 'one person without a manager');
    const heads = people.filter((u) => u.managerId === ceo[0]!.id && u.department !== ceo[0]!.department);
    assert.deepEqual(heads.map((h) => h.department).sort(), [...DEPARTMENTS].sort());
    const headOf = new Map(heads.map((h) => [h.department, h.id]));
    for (const u of people) {
      if (u === ceo[0] || heads.includes(u)) continue;
      const expected = DEPARTMENTS.includes(u.department!) ? headOf.get(u.department) : ceo[0]!.id;
      assert.equal(u.managerId, expected, `${u.userPrincipalName} reports to the head of ${u.department}`);
    }
    for (const d of DEPARTMENTS) assert.ok(people.filter((u) => u.department === d).length >= 10, `${d} is staffed`);
    assert.ok(people.every((u) => u.jobTitle && u.employeeId && u.officeLocation && u.city && u.country));
    assert.ok(people.filter((u) => u.mobilePhone).length > people.length * 0.7);
  });

  test('most users have a usage location from several countries; about 5% have none', () => {
    const missing = contoso.users.filter((u) => u.usageLocation === null).length / contoso.users.length;
    assert.ok(missing >= 0.02 && missing <= 0.1, `${(missing * 100).toFixed(1)}% without usage location`);
    assert.deepEqual([...new Set(contoso.users.map((u) => u.usageLocation).filter(Boolean))].sort(), ['DE', 'FR', 'GB', 'NL', 'US']);
  });

  test('hire dates span years; pre-hires start within 30 days with their account disabled', () => {
    const hires = people.map((u) => daysFromRef(u.employeeHireDate!));
    assert.ok(Math.min(...hires) < -5 * 365, 'someone was hired more than five years ago');
    const preHires = people.filter((u) => daysFromRef(u.employeeHireDate!) > 0);
    assert.ok(preHires.length >= 3);
    for (const u of preHires) {
      assert.ok(daysFromRef(u.employeeHireDate!) <= 30);
      assert.equal(u.accountEnabled, false, `${u.userPrincipalName} cannot sign in before starting`);
    }
  });

  test('about 10% have a leave date: some past, several within 30 days, 5+ Sales within 1–14 days', () => {
    const leavers = people.filter((u) => u.employeeLeaveDateTime);
    const share = leavers.length / people.length;
    assert.ok(share >= 0.07 && share <= 0.14, `${(share * 100).toFixed(1)}% leavers`);
    const days = leavers.map((u) => daysFromRef(u.employeeLeaveDateTime!));
    assert.ok(days.filter((d) => d < 0).length >= 3, 'some already left');
    assert.ok(days.filter((d) => d > 0 && d <= 30).length >= 5, 'several leave within 30 days');
    const salesSoon = leavers.filter((u) => u.department === 'Sales' && daysFromRef(u.employeeLeaveDateTime!) >= 1 && daysFromRef(u.employeeLeaveDateTime!) <= 14);
    assert.ok(salesSoon.length >= 5, `${salesSoon.length} Sales leavers within 14 days`);
  });

  test('disabled accounts, 3–5 B2B guests and 4–6 AD-synced users', () => {
    assert.ok(people.some((u) => !u.accountEnabled && !u.employeeLeaveDateTime && daysFromRef(u.employeeHireDate!) < 0), 'a disabled account that is neither leaver nor pre-hire');
    const guests = contoso.users.filter((u) => u.userType === 'Guest');
    assert.ok(guests.length >= 3 && guests.length <= 5);
    for (const g of guests) {
      assert.match(g.userPrincipalName, /^[a-z0-9.]+_[a-z0-9.-]+#EXT#@contoso\.onmicrosoft\.com$/);
      assert.equal(g.mail, g.userPrincipalName.split('#EXT#')[0]!.replace(/_([^_]+)$/, '@$1'));
      assert.equal(g.directLicenses.length, 0);
    }
    const synced = contoso.users.filter((u) => u.onPremisesSyncEnabled);
    assert.ok(synced.length >= 4 && synced.length <= 6);
    assert.ok(synced.every((u) => u.onPremisesImmutableId && u.onPremisesSamAccountName));
  });

  test('authentication methods: everyone has a password, most people MFA, some none', () => {
    const t = contoso;
    assert.ok(t.users.every((u) => t.authMethods[u.id]?.some((m) => m.type === 'password')));
    const active = people.filter((u) => u.accountEnabled);
    const mfa = active.filter((u) => t.authMethods[u.id]!.some((m) => m.type !== 'password'));
    assert.ok(mfa.length >= active.length * 0.8, `${mfa.length}/${active.length} with MFA`);
    assert.ok(mfa.length < active.length, 'some have none');
    const kinds = new Set(Object.values(t.authMethods).flat().map((m) => m.type));
    for (const k of ['microsoftAuthenticator', 'phone', 'fido2']) assert.ok(kinds.has(k as never), k);
    assert.ok(t.authMethods[byUpn(t, 'isaiah.langer@contoso.com')!.id]!.length >= 3, 'Isaiah has MFA to reset');
  });
});

describe('contoso groups and licences', () => {
  test('named groups exist with the right kinds, owners and valid members', () => {
    const expected: Record<string, string> = {
      'All Staff': 'distribution', Finance: 'mailEnabledSecurity', 'Sales Team': 'unified', 'VPN Users': 'security',
      'IT Admins': 'security', Marketing: 'unified', HR: 'unified', 'R&D': 'unified', Operations: 'security',
    };
    for (const [name, kind] of Object.entries(expected)) {
      const g = group(contoso, name);
      assert.ok(g, `${name} exists`);
      assert.equal(kindOf(g), kind, name);
      assert.ok(g.memberIds.length > 0, `${name} has members`);
    }
    assert.deepEqual(group(contoso, 'Sales Team')!.resourceProvisioningOptions, ['Team']);
    const ids = new Set(contoso.users.map((u) => u.id));
    // Members may also be nested groups and mail contacts; owners are always users.
    const memberIds = new Set([...ids, ...contoso.groups.map((g) => g.id), ...(contoso.orgContacts ?? []).map((c) => c.id)]);
    for (const g of contoso.groups) {
      assert.ok(g.memberIds.every((id) => memberIds.has(id)) && g.ownerIds.every((id) => ids.has(id)), `${g.displayName} references real objects`);
      if (kindOf(g) === 'unified') assert.ok(g.ownerIds.length > 0, `${g.displayName} has an owner`);
    }
    const sales = contoso.users.filter((u) => u.department === 'Sales').map((u) => u.id);
    assert.ok(sales.every((id) => group(contoso, 'Sales Team')!.memberIds.includes(id)));
    const all = group(contoso, 'All Staff')!;
    assert.ok(people.filter((u) => u.accountEnabled).every((u) => all.memberIds.includes(u.id)));
  });

  test('one dynamic group on department and one synced group', () => {
    const dyn = contoso.groups.filter((g) => g.groupTypes.includes('DynamicMembership'));
    assert.equal(dyn.length, 1);
    assert.match(dyn[0]!.membershipRule ?? '', /user\.department -eq "Sales"/);
    assert.equal(dyn[0]!.membershipRuleProcessingState, 'On');
    const sales = contoso.users.filter((u) => u.department === 'Sales').map((u) => u.id).sort();
    assert.deepEqual([...memberIdsOf(stateOf(contoso), dyn[0]!)].sort(), sales);
    const synced = contoso.groups.filter((g) => g.onPremisesSyncEnabled);
    assert.equal(synced.length, 1);
  });

  test('subscribed SKUs: all nine, E3 ambiguous, some exhausted, some free, consumed never above enabled', () => {
    const parts = contoso.skus.map((s) => s.skuPartNumber);
    assert.deepEqual(parts.sort(), ['ENTERPRISEPACK', 'ENTERPRISEPREMIUM', 'O365_BUSINESS_ESSENTIALS', 'O365_BUSINESS_PREMIUM', 'POWER_BI_PRO', 'SPB', 'SPE_E3', 'SPE_E5', 'VISIOCLIENT']);
    assert.equal(contoso.skus.filter((s) => / E3$/.test(s.displayName)).length, 2, 'Office 365 E3 and Microsoft 365 E3');
    const consumed = consumedUnits(stateOf(contoso));
    const free = (part: string) => {
      const s = contoso.skus.find((x) => x.skuPartNumber === part)!;
      const used = consumed.get(s.skuId) ?? 0;
      assert.ok(used <= s.prepaidUnits.enabled, `${part}: ${used} > ${s.prepaidUnits.enabled}`);
      return s.prepaidUnits.enabled - used;
    };
    for (const p of parts) free(p);
    assert.equal(free('ENTERPRISEPREMIUM'), 0);
    assert.equal(free('VISIOCLIENT'), 0);
    assert.ok(consumed.get(skuCatalog.ENTERPRISEPREMIUM!.skuId)! > 0);
    assert.ok(parts.filter((p) => free(p) > 0).length >= 5);
  });

  test('Power BI and Visio come through licensed groups, some users hold them directly too', () => {
    const t = stateOf(contoso);
    for (const [name, part] of [['Power BI Users', 'POWER_BI_PRO'], ['Visio Users', 'VISIOCLIENT']] as const) {
      const g = group(contoso, name)!;
      const skuId = skuCatalog[part]!.skuId;
      assert.deepEqual(g.assignedLicenses.map((l) => l.skuId), [skuId]);
      const both = g.memberIds.map((id) => t.user(id)!).filter((u) => {
        const states = licenseStates(t, u).filter((s) => s.skuId === skuId);
        return states.some((s) => s.assignedByGroup === g.id) && states.some((s) => s.assignedByGroup === null);
      });
      assert.ok(both.length > 0, `someone holds ${part} directly and through ${name}`);
    }
  });

  test('licensed users have a usage location and Patti holds an E5 to swap', () => {
    assert.ok(contoso.users.every((u) => u.directLicenses.length === 0 || u.usageLocation));
    const patti = byUpn(contoso, 'patti.fernandez@contoso.com')!;
    assert.ok(patti.directLicenses.some((l) => l.skuId === skuCatalog.SPE_E5!.skuId));
  });
});

describe('contoso mail', () => {
  const t = stateOf(contoso);
  const exchange = new Set(contoso.skus.filter((s) => s.includesExchange).map((s) => s.skuId));

  test('every holder of an Exchange licence has a user mailbox, and only they do', () => {
    for (const u of contoso.users) {
      const m = t.mailbox(u.id);
      if (u.directLicenses.some((l) => exchange.has(l.skuId))) assert.equal(m?.recipientTypeDetails, 'UserMailbox', u.userPrincipalName);
      else if (!sharedUserIds.has(u.id)) assert.equal(m, undefined, u.userPrincipalName);
    }
  });

  test('info@ and support@ are shared mailboxes with disabled, unlicensed users and delegates', () => {
    for (const addr of ['info@contoso.com', 'support@contoso.com']) {
      const u = byUpn(contoso, addr)!;
      assert.equal(u.accountEnabled, false);
      assert.equal(u.directLicenses.length, 0);
      const m = t.mailbox(u.id)!;
      assert.equal(m.recipientTypeDetails, 'SharedMailbox');
      assert.equal(m.primarySmtpAddress, addr);
      assert.ok(m.fullAccess.length > 0 && m.fullAccess.every((e) => e.accessRights.includes('FullAccess') && t.mailbox(e.userId)));
      assert.ok(m.sendAs.length > 0);
    }
  });

  test('existing forwardings, an out-of-office, inbox rules — none on the named demo users', () => {
    const forwarded = contoso.mailboxes.filter((m) => m.forwardingAddress || m.forwardingSmtpAddress);
    assert.ok(forwarded.length >= 2);
    for (const m of forwarded) {
      if (m.forwardingAddress) assert.ok(t.user(m.forwardingAddress), 'internal forwarding points at a user id');
      if (m.forwardingSmtpAddress) assert.match(m.forwardingSmtpAddress, /^smtp:[^@\s]+@[^@\s]+$/);
    }
    assert.ok(contoso.mailboxes.some((m) => m.autoReply.autoReplyState === 'Enabled'));
    assert.ok(contoso.mailboxes.filter((m) => m.inboxRules.length).length >= 2);
    const grady = t.mailbox(byUpn(contoso, 'grady.archie@contoso.com')!.id)!;
    assert.equal(grady.forwardingSmtpAddress, null);
    assert.equal(grady.forwardingAddress, null);
    assert.equal(grady.autoReply.autoReplyState, 'Disabled');
    assert.equal(grady.fullAccess.length, 0);
  });
});

describe('fabrikam', () => {
  test('is a small tenant on fabrikam.com with groups, SKUs and mailboxes', () => {
    assert.deepEqual(fabrikam.verifiedDomains, ['fabrikam.com']);
    assert.ok(fabrikam.users.length >= 12 && fabrikam.users.length <= 20);
    assert.ok(fabrikam.groups.length >= 3);
    assert.ok(fabrikam.skus.length >= 2);
    assert.ok(fabrikam.mailboxes.length >= 10);
    const consumed = consumedUnits(stateOf(fabrikam));
    for (const s of fabrikam.skus) assert.ok((consumed.get(s.skuId) ?? 0) <= s.prepaidUnits.enabled);
  });

  test('the demo app lacks auth-method, licence, Mail.Send and Exchange permissions there', () => {
    const grant = fabrikam.apps[DEMO_APP_ID]!;
    assert.deepEqual([...fabrikamMissingGraphRoles].sort(), ['LicenseAssignment.ReadWrite.All', 'Mail.Send', 'UserAuthenticationMethod.ReadWrite.All']);
    // Neither the named roles nor the broad ones Graph also accepts for the same operations.
    for (const r of [...fabrikamMissingGraphRoles, 'User.ReadWrite.All', 'Directory.ReadWrite.All']) assert.ok(!grant.graphRoles.includes(r), r);
    for (const r of ['User.Read.All', 'Group.ReadWrite.All', 'User.EnableDisableAccount.All']) assert.ok(grant.graphRoles.includes(r), r);
    assert.deepEqual(grant.exchangeRoles, []);
  });
});

describe('loading the demo seed', () => {
  test('loadSeeds("demo") shifts every date so leave dates stay relative to the load day', () => {
    const store = new EmulatorStore();
    const tenDaysLater = new Date(ref + 10 * DAY + 5 * 3_600_000);
    loadSeeds(store, ['demo'], undefined, tenDaysLater);
    const loaded = store.tenant('contoso.com')!;
    assert.equal(loaded.id, contoso.id);
    assert.ok(store.tenant('fabrikam.onmicrosoft.com'));
    for (const u of contoso.users.filter((x) => x.employeeLeaveDateTime)) {
      const shifted = loaded.user(u.id)!.employeeLeaveDateTime!;
      assert.equal(Date.parse(shifted) - Date.parse(u.employeeLeaveDateTime!), 10 * DAY);
    }
  });

  test('readSeedFile names the file and the problem', () => {
    assert.throws(() => readSeedFile('/nonexistent/seed.json'), /Cannot read seed file \/nonexistent\/seed\.json: ENOENT/);
  });
});

describe('demo seed served over HTTP', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ seeds: ['demo'] }); });
  after(async () => { await h.close(); });

  test('tenantflow-demo pages through every contoso user with $top=50 and @odata.nextLink', async () => {
    const token = await h.token({ tenant: 'contoso.onmicrosoft.com', clientId: DEMO_APP_ID, secret: DEMO_APP_SECRET });
    const seen: string[] = [];
    let url: string | undefined = `${h.base}/v1.0/users?$top=50`;
    let pages = 0;
    while (url) {
      const path: string = url.slice(h.base.length);
      const r = await h.graph(path, { token });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(r.body.value.length <= 50);
      seen.push(...r.body.value.map((u: EmuUser) => u.id));
      url = r.body['@odata.nextLink'];
      assert.ok(++pages <= 20, 'paging ends');
    }
    assert.equal(seen.length, contoso.users.length);
    assert.deepEqual(new Set(seen), new Set(contoso.users.map((u) => u.id)));
  });

  test('the official Graph SDK, with a tenantflow-demo token, pages through every contoso user 50 at a time over HTTPS', async () => {
    const token = () => h.token({ tenant: 'contoso.onmicrosoft.com', clientId: DEMO_APP_ID, secret: DEMO_APP_SECRET });
    const { client, close } = graphSdkClient(h, { token });
    try {
      const first = (await client.api('/users').top(50).get()) as PageCollection;
      assert.equal(first.value.length, 50);
      const ids: string[] = [];
      const pages = new PageIterator(client, first, (u: EmuUser) => { ids.push(u.id); return true; });
      await pages.iterate();
      assert.equal(ids.length, contoso.users.length);
      assert.deepEqual(new Set(ids), new Set(contoso.users.map((u) => u.id)));
    } finally {
      await close();
    }
  });

  test('in fabrikam the demo app reads users but is denied licence and authentication-method calls', async () => {
    const token = await h.token({ tenant: 'fabrikam.com', clientId: DEMO_APP_ID, secret: DEMO_APP_SECRET });
    const list = await h.graph('/v1.0/users?$top=5', { token });
    assert.equal(list.status, 200);
    const user = fabrikam.users.find((u) => u.userType === 'Member' && u.accountEnabled)!;
    const sku = fabrikam.skus[0]!.skuId;
    const assign = await h.graph(`/v1.0/users/${user.id}/assignLicense`, { method: 'POST', token, body: { addLicenses: [{ skuId: sku, disabledPlans: [] }], removeLicenses: [] } });
    assert.equal(assign.status, 403);
    assert.equal(assign.body.error.code, 'Authorization_RequestDenied');
    const methods = await h.graph(`/v1.0/users/${user.id}/authentication/methods`, { token });
    assert.equal(methods.status, 403);
    const exo = await h.token({ tenant: 'fabrikam.com', clientId: DEMO_APP_ID, secret: DEMO_APP_SECRET, scope: 'https://outlook.office365.com/.default' });
    assert.equal(JSON.parse(Buffer.from(exo.split('.')[1]!, 'base64url').toString()).roles, undefined, 'no Exchange role');
  });
});
