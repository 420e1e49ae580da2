import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'selfsigned';
import { startHarness, type Harness } from '../emulator/harness.ts';
import { FULL_APP, MINI_TENANT_ID, miniSeed } from '../fixtures/mini-seed.ts';
import { AppError } from '../../src/core/errors.ts';
import { EXCHANGE_SCOPE, GRAPH_SCOPE, TokenProvider, rolesInToken } from '../../src/m365/token-provider.ts';
import { harnessTenant, RecordingTransport } from './helpers.ts';

let h: Harness;
let cert: { cert: string; private: string };
const CERT_APP = 'test-cert-app';

function claims(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
}

before(async () => {
  cert = await generate([{ name: 'commonName', value: 'tenantflow-test-app' }], { keySize: 2048, algorithm: 'sha256' });
  // The mini tenant plus an app that signs in with a certificate.
  const seed = miniSeed();
  const { X509Certificate } = await import('node:crypto');
  seed.apps.push({ appId: CERT_APP, displayName: 'Cert app', secrets: [], certificates: [{ thumbprint: new X509Certificate(cert.cert).fingerprint.replace(/:/g, ''), pem: cert.cert }] });
  seed.tenants[0]!.apps[CERT_APP] = { graphRoles: ['User.Read.All'], exchangeRoles: [] };
  h = await startHarness({ seeds: [seed] });
});
after(async () => { await h.close(); });

test('MSAL acquires a client-credentials token from the emulator over HTTPS, trusting only the given CA', async () => {
  const transport = new RecordingTransport();
  try {
    const tokens = new TokenProvider({ sendFor: transport.sendFor });
    const token = await tokens.getToken(harnessTenant(h), GRAPH_SCOPE);
    const c = claims(token);
    assert.equal(c.tid, MINI_TENANT_ID);
    assert.equal(c.aud, 'https://graph.microsoft.com');
    assert.ok(rolesInToken(token).includes('User.ReadWrite.All'));
    // MSAL read the tenant's OpenID metadata from the emulator host, then asked its token endpoint.
    assert.ok(transport.calls.every((x) => x.req.url.startsWith(h.emu.httpsUrl)));
    assert.equal(transport.tokenRequests().length, 1);
    assert.match(transport.tokenRequests()[0]!.req.url, new RegExp(`/${MINI_TENANT_ID}/oauth2/v2.0/token`));
  } finally {
    await transport.close();
  }
});

test('without the emulator CA the TLS handshake is refused: a configuration error naming caPem, not retried', async () => {
  const transport = new RecordingTransport();
  try {
    const tokens = new TokenProvider({ sendFor: transport.sendFor });
    const tenant = harnessTenant(h, { caPem: undefined });
    const err = await tokens.getToken(tenant, GRAPH_SCOPE).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof AppError);
    assert.equal(err.code, 'invalid_parameter');
    assert.equal(err.param, 'caPem');
    assert.equal(err.retryable, false);
  } finally {
    await transport.close();
  }
});

test('caPemPath is read when the first connection needs it (the emulator writes it at start)', async () => {
  const transport = new RecordingTransport();
  try {
    const tokens = new TokenProvider({ sendFor: transport.sendFor });
    const ok = harnessTenant(h, { caPem: undefined, caPemPath: h.emu.certPath });
    assert.equal(claims(await tokens.getToken(ok, GRAPH_SCOPE)).tid, MINI_TENANT_ID);
    const missing = harnessTenant(h, { caPem: undefined, caPemPath: `${h.emu.certPath}.missing`, displayName: 'other' });
    const err = await new TokenProvider({ sendFor: transport.sendFor }).getToken(missing, GRAPH_SCOPE).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof AppError);
    assert.equal(err.param, 'caPemPath');
  } finally {
    await transport.close();
  }
});

test('many concurrent and later callers share one token request per scope', async () => {
  const transport = new RecordingTransport();
  try {
    const tokens = new TokenProvider({ sendFor: transport.sendFor });
    const tenant = harnessTenant(h);
    const burst = await Promise.all(Array.from({ length: 50 }, () => tokens.getToken(tenant, GRAPH_SCOPE)));
    assert.equal(new Set(burst).size, 1);
    for (let i = 0; i < 20; i++) assert.equal(await tokens.getToken(tenant, GRAPH_SCOPE), burst[0]);
    assert.equal(transport.tokenRequests().length, 1, 'one token request for 70 callers');
    const exo = await Promise.all(Array.from({ length: 10 }, () => tokens.getToken(tenant, EXCHANGE_SCOPE)));
    assert.equal(claims(exo[0]!).aud, 'https://outlook.office365.com');
    assert.equal(transport.tokenRequests().length, 2, 'the Exchange scope is cached separately');
    // forceRefresh (after a 401) goes back to Entra even though the cached token is valid.
    await tokens.getToken(tenant, GRAPH_SCOPE, { forceRefresh: true });
    assert.equal(transport.tokenRequests().length, 3);
  } finally {
    await transport.close();
  }
});

test('certificate credentials sign a client assertion MSAL sends (x5t#S256 from the derived thumbprint)', async () => {
  const transport = new RecordingTransport();
  try {
    const tokens = new TokenProvider({ sendFor: transport.sendFor });
    const tenant = harnessTenant(h, { credentials: { kind: 'certificate', clientId: CERT_APP, privateKeyPem: cert.private, certificatePem: cert.cert } });
    const token = await tokens.getToken(tenant, GRAPH_SCOPE);
    assert.deepEqual(rolesInToken(token), ['User.Read.All']);
    const body = new URLSearchParams(transport.tokenRequests()[0]!.req.body);
    assert.equal(body.get('client_assertion_type'), 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    assert.equal(body.get('client_secret'), null);
  } finally {
    await transport.close();
  }
});

test('the GDAP refresh-token grant yields a delegated token for the partner technician', async () => {
  const transport = new RecordingTransport();
  try {
    const tokens = new TokenProvider({ sendFor: transport.sendFor });
    const tenant = harnessTenant(h, { credentials: { kind: 'gdapRefreshToken', clientId: FULL_APP.clientId, clientSecret: FULL_APP.secret, refreshToken: 'test-partner-refresh-token' } });
    const token = await tokens.getToken(tenant, GRAPH_SCOPE);
    assert.equal(claims(token).upn, 'tech@msp.example');
    assert.equal(new URLSearchParams(transport.tokenRequests()[0]!.req.body).get('grant_type'), 'refresh_token');
    await tokens.getToken(tenant, GRAPH_SCOPE);
    assert.equal(transport.tokenRequests().length, 1, 'the delegated token is cached too');
  } finally {
    await transport.close();
  }
});

test('a wrong secret becomes m365_auth_failed with the AADSTS code, and the secret is not in the error', async () => {
  const transport = new RecordingTransport();
  try {
    const tokens = new TokenProvider({ sendFor: transport.sendFor });
    const tenant = harnessTenant(h, { credentials: { kind: 'clientSecret', clientId: FULL_APP.clientId, clientSecret: 'wrong-secret-value-123' } });
    const err = await tokens.getToken(tenant, GRAPH_SCOPE).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof AppError);
    assert.equal(err.code, 'm365_auth_failed');
    assert.equal(err.details?.aadsts, 7000215);
    assert.equal(err.retryable, false);
    assert.match(err.fix, /client secret/i);
    assert.ok(!JSON.stringify({ ...err.toJSON(), m: err.message }).includes('wrong-secret-value-123'));
  } finally {
    await transport.close();
  }
});

test('an unreachable identity host is a transient network_error', async () => {
  const transport = new RecordingTransport();
  try {
    const tokens = new TokenProvider({ sendFor: transport.sendFor });
    // Port 1 on loopback refuses connections.
    const tenant = harnessTenant(h, { loginBaseUrl: 'https://127.0.0.1:1' });
    const err = await tokens.getToken(tenant, GRAPH_SCOPE).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof AppError);
    assert.equal(err.code, 'network_error');
    assert.equal(err.retryable, true);
  } finally {
    await transport.close();
  }
});
