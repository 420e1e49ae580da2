// The connector as the rest of Tenantflow uses it: the built-in demo tenants against an emulator
// loaded with the demo seed, reached by name, sharing one token provider and pacing budget.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../emulator/harness.ts';
import { AppError } from '../../src/core/errors.ts';
import { M365Connector } from '../../src/m365/connector.ts';
import { demoTenants } from '../../src/m365/demo-tenants.ts';
import type { Send } from '../../src/m365/http-transport.ts';
import { TenantRegistry } from '../../src/m365/tenant-registry.ts';

let h: Harness;
let connector: M365Connector;
const tokenCalls: string[] = [];

before(async () => {
  h = await startHarness({ seeds: ['demo'] });
  const tlsPort = Number(new URL(h.emu.httpsUrl).port);
  connector = new M365Connector({
    registry: new TenantRegistry(demoTenants({ tlsPort, caPem: h.emu.caPem })),
    retry: { sleep: async () => {} },
    wrapSend: (send: Send, tenant) => async (req) => {
      if (req.url.includes('/oauth2/v2.0/token')) tokenCalls.push(tenant.domain);
      return send(req);
    },
  });
});
after(async () => {
  await connector.close();
  await h.close();
});

test('the demo tenants reach the demo seed with the demo app: ids, client and secret line up', async () => {
  const contoso = connector.graph('contoso');
  const org = await contoso.get<{ value: Array<{ id: string }> }>('/organization');
  assert.equal(org.value[0]!.id, contoso.tenant.id);
  const users = await contoso.list<{ id: string }>('/users', { query: { $select: 'id', $top: '999' } });
  assert.equal(users.length, h.emu.deps.store.tenant(contoso.tenant.id)!.data.users.length);
  assert.ok(users.length > 250);
  const mailbox = await connector.exchange('contoso.onmicrosoft.com').invoke('Get-Mailbox', { ResultSize: 5 });
  assert.equal(mailbox.value.length, 5);
});

test('clients are per tenant and share one token per tenant and scope', async () => {
  assert.equal(connector.graph('contoso'), connector.graph(connector.graph('contoso').tenant.id));
  await Promise.all([connector.graph('fabrikam').get('/organization'), connector.graph('fabrikam').get('/organization')]);
  assert.deepEqual(tokenCalls.filter((d) => d === 'fabrikam.onmicrosoft.com').length, 1);
  assert.equal(tokenCalls.filter((d) => d === 'contoso.onmicrosoft.com').length, 2, 'one Graph and one Exchange token');
});

test('Fabrikam\'s missing consent shows up as missing_permission, with the roles readable from the token', async () => {
  const fabrikam = connector.graph('fabrikam');
  const roles = await fabrikam.grantedRoles();
  assert.ok(!roles.includes('UserAuthenticationMethod.ReadWrite.All'));
  const users = await fabrikam.list<{ id: string }>('/users', { query: { $select: 'id', $top: '1' } });
  const e = await fabrikam.post(`/users/${users[0]!.id}/authentication/temporaryAccessPassMethods`, { lifetimeInMinutes: 60 }).then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof AppError);
  assert.equal(e.code, 'missing_permission');
  assert.equal(e.details?.graphCode, 'Authorization_RequestDenied');
});

test('an unknown tenant is unknown_tenant with the closest names', () => {
  assert.throws(() => connector.graph('contosso'), (e: unknown) => e instanceof AppError && e.code === 'unknown_tenant' && /contoso\.onmicrosoft\.com/.test(e.message));
});
