import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { generate } from 'selfsigned';
import { AppError } from '../../src/core/errors.ts';
import { stableId } from '../../src/core/ids.ts';
import { MASK } from '../../src/core/secrets.ts';
import { pino } from 'pino';
import { DEMO_CLIENT_ID, demoTenants } from '../../src/m365/demo-tenants.ts';
import { defineTenant, tenantInfo } from '../../src/m365/tenant-config.ts';
import { loadTenantRegistry, TenantRegistry } from '../../src/m365/tenant-registry.ts';

const real = {
  id: '3f2c1b7a-9d4e-4c1a-8b2f-0a1b2c3d4e5f',
  domain: 'northwind.onmicrosoft.com',
  displayName: 'Northwind Traders',
  credentials: { kind: 'clientSecret', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'S3cr3t~value~never~shown' },
};

function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AppError, `expected AppError, got ${e}`);
    return e;
  }
  assert.fail('expected an error');
}

test('demo tenants carry the emulator ids, the demo app and loopback base URLs', () => {
  const [contoso, fabrikam] = demoTenants({ tlsPort: 4443, caPem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n' });
  assert.equal(contoso!.id, stableId('tenant:contoso'));
  assert.equal(fabrikam!.id, stableId('tenant:fabrikam'));
  assert.equal(contoso!.domain, 'contoso.onmicrosoft.com');
  assert.equal(contoso!.credentials.clientId, DEMO_CLIENT_ID);
  assert.equal(contoso!.loginBaseUrl, 'https://localhost:4443');
  assert.equal(contoso!.graphBaseUrl, 'https://localhost:4443');
  assert.equal(contoso!.exchangeBaseUrl, 'https://localhost:4443/adminapi/beta');
  assert.equal(contoso!.defaults.usageLocation, 'US');
  const other = demoTenants({ tlsPort: 9443 });
  assert.equal(other[0]!.graphBaseUrl, 'https://localhost:9443');
});

test('a real tenant defaults to Microsoft hosts', () => {
  const t = defineTenant(real);
  assert.equal(t.loginBaseUrl, 'https://login.microsoftonline.com');
  assert.equal(t.graphBaseUrl, 'https://graph.microsoft.com');
  assert.equal(t.exchangeBaseUrl, 'https://outlook.office365.com/adminapi/beta');
});

test('secrets never appear in JSON, string conversion, inspect or logs', () => {
  const t = defineTenant({ ...real, credentials: { kind: 'gdapRefreshToken', clientId: 'app', clientSecret: 'S3cr3t~value~never~shown', refreshToken: 'RT~never~shown~0.AXoA' } });
  const outputs = [JSON.stringify(t), inspect(t, { depth: 10 }), `${t.credentials.kind === 'gdapRefreshToken' ? t.credentials.refreshToken : ''}`, String(t.credentials.kind === 'gdapRefreshToken' ? t.credentials.clientSecret : '')];
  for (const out of outputs) {
    assert.ok(!out.includes('S3cr3t'), out);
    assert.ok(!out.includes('RT~never'), out);
  }
  assert.ok(JSON.stringify(t).includes(MASK));
  // A logged tenant is masked too (pino serialises with JSON.stringify).
  const lines: string[] = [];
  pino({ level: 'info' }, { write: (line: string) => { lines.push(line); } }).info({ tenant: t }, 'tenant loaded');
  assert.equal(lines.length, 1);
  assert.ok(lines[0]!.includes('northwind.onmicrosoft.com'));
  assert.ok(!lines[0]!.includes('S3cr3t') && !lines[0]!.includes('RT~never'));
  // The only way to the raw value is reveal(), which the token provider calls.
  assert.equal(t.credentials.kind === 'gdapRefreshToken' && t.credentials.refreshToken.reveal(), 'RT~never~shown~0.AXoA');
  // A GDAP refresh token is a delegated connection (actions refuse app-only-impossible calls up front).
  assert.deepEqual(tenantInfo(t), { id: real.id, domain: real.domain, displayName: real.displayName, defaults: {}, connection: 'delegated' });
});

test('invalid definitions fail with invalid_parameter naming the field, without echoing the value', () => {
  const badId = caught(() => defineTenant({ ...real, id: 'contoso' }));
  assert.equal(badId.code, 'invalid_parameter');
  assert.equal(badId.param, 'id');
  const badDomain = caught(() => defineTenant({ ...real, domain: 'contoso.com' }));
  assert.equal(badDomain.param, 'domain');
  assert.match(badDomain.message, /onmicrosoft\.com/);
  const httpLogin = caught(() => defineTenant({ ...real, loginBaseUrl: 'http://login.example' }));
  assert.equal(httpLogin.param, 'loginBaseUrl');
  const unknownKind = caught(() => defineTenant({ ...real, credentials: { kind: 'password', clientId: 'x', password: 'hunter2-secret' } }));
  assert.equal(unknownKind.param, 'credentials.kind');
  assert.ok(!unknownKind.message.includes('hunter2'));
  const extra = caught(() => defineTenant({ ...real, colour: 'blue' }));
  assert.match(extra.message, /colour/);
  const loc = caught(() => defineTenant({ ...real, defaults: { usageLocation: 'usa' } }));
  assert.equal(loc.param, 'defaults.usageLocation');
});

test('certificate credentials derive the SHA-256 thumbprint and refuse a key that does not match', async () => {
  const a = await generate([{ name: 'commonName', value: 'a' }], { keySize: 2048, algorithm: 'sha256' });
  const b = await generate([{ name: 'commonName', value: 'b' }], { keySize: 2048, algorithm: 'sha256' });
  const { X509Certificate } = await import('node:crypto');
  const t = defineTenant({ ...real, credentials: { kind: 'certificate', clientId: 'app', privateKeyPem: a.private, certificatePem: a.cert } });
  assert.equal(t.credentials.kind, 'certificate');
  assert.equal(t.credentials.kind === 'certificate' && t.credentials.thumbprintSha256, new X509Certificate(a.cert).fingerprint256.replace(/:/g, '').toLowerCase());
  assert.ok(!JSON.stringify(t).includes('PRIVATE KEY'));
  const mismatch = caught(() => defineTenant({ ...real, credentials: { kind: 'certificate', clientId: 'app', privateKeyPem: b.private, certificatePem: a.cert } }));
  assert.equal(mismatch.param, 'credentials.privateKeyPem');
  assert.match(mismatch.message, /does not belong/);
});

test('the registry finds tenants by GUID, domain or prefix and lists the closest on a miss', () => {
  const reg = new TenantRegistry(demoTenants());
  assert.equal(reg.get(stableId('tenant:contoso')).domain, 'contoso.onmicrosoft.com');
  assert.equal(reg.get('CONTOSO.onmicrosoft.com').domain, 'contoso.onmicrosoft.com');
  assert.equal(reg.get('fabrikam').domain, 'fabrikam.onmicrosoft.com');
  const miss = caught(() => reg.get('contosso'));
  assert.equal(miss.code, 'unknown_tenant');
  // Only the near one: fabrikam is not what "contosso" meant.
  assert.deepEqual(miss.details?.closest, ['contoso.onmicrosoft.com']);
  assert.match(miss.message, /Did you mean contoso\.onmicrosoft\.com\?/);
  // The fix names what is configured and where to add more, not a command that does not exist.
  assert.match(miss.fix, /contoso\.onmicrosoft\.com, fabrikam\.onmicrosoft\.com/);
  assert.match(miss.fix, /TENANTFLOW_TENANTS_FILE/);
  assert.doesNotMatch(miss.fix, /tenantflow tenants/);
  const dup = caught(() => reg.add(demoTenants()[0]!));
  assert.equal(dup.code, 'invalid_parameter');
});

test('loadTenantRegistry reads TENANTFLOW_TENANTS_FILE next to the demo tenants', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-tenants-'));
  try {
    const file = join(dir, 'tenants.json');
    writeFileSync(file, JSON.stringify({ tenants: [real] }));
    const reg = loadTenantRegistry({ TENANTFLOW_TENANTS_FILE: file, TENANTFLOW_DATA_DIR: dir, EMULATOR_TLS_PORT: '5443' }, dir);
    assert.deepEqual(reg.list().map((t) => t.domain), ['contoso.onmicrosoft.com', 'fabrikam.onmicrosoft.com', 'northwind.onmicrosoft.com']);
    const contoso = reg.get('contoso');
    assert.equal(contoso.graphBaseUrl, 'https://localhost:5443');
    assert.equal(contoso.caPemPath, join(dir, 'emulator-cert.pem'));

    writeFileSync(file, JSON.stringify({ includeDemoTenants: false, tenants: [real] }));
    assert.deepEqual(loadTenantRegistry({ TENANTFLOW_TENANTS_FILE: file }, dir).list().map((t) => t.domain), ['northwind.onmicrosoft.com']);

    writeFileSync(file, '{"tenants": [');
    assert.equal(caught(() => loadTenantRegistry({ TENANTFLOW_TENANTS_FILE: file }, dir)).code, 'invalid_json');
    writeFileSync(file, JSON.stringify({ tenants: [{ ...real, domain: 'bad' }] }));
    const e = caught(() => loadTenantRegistry({ TENANTFLOW_TENANTS_FILE: file }, dir));
    assert.equal(e.param, 'tenants[0].domain');
    assert.ok(e.message.includes(file));
    assert.equal(caught(() => loadTenantRegistry({ TENANTFLOW_TENANTS_FILE: join(dir, 'missing.json') }, dir)).param, 'TENANTFLOW_TENANTS_FILE');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
