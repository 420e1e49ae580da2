import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.ts';
import { FULL_APP, MINI_DOMAIN, MINI_TENANT_ID } from '../fixtures/mini-seed.ts';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });

async function tokenRequest(tenant: string, form: Record<string, string>) {
  const res = await fetch(`${h.base}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as any };
}

test('client_credentials issues a JWT whose roles carry the app permissions in that tenant', async () => {
  const r = await tokenRequest(MINI_DOMAIN, { grant_type: 'client_credentials', client_id: FULL_APP.clientId, client_secret: FULL_APP.secret, scope: 'https://graph.microsoft.com/.default' });
  assert.equal(r.status, 200);
  assert.equal(r.body.token_type, 'Bearer');
  const payload = JSON.parse(Buffer.from(r.body.access_token.split('.')[1], 'base64url').toString());
  assert.equal(payload.tid, MINI_TENANT_ID);
  assert.equal(payload.aud, 'https://graph.microsoft.com');
  assert.ok(payload.roles.includes('User.ReadWrite.All'));
});

test('the tenant is reachable by GUID and by domain', async () => {
  for (const t of [MINI_TENANT_ID, MINI_DOMAIN, 'tailspin.com']) {
    const r = await tokenRequest(t, { grant_type: 'client_credentials', client_id: FULL_APP.clientId, client_secret: FULL_APP.secret, scope: 'https://graph.microsoft.com/.default' });
    assert.equal(r.status, 200, t);
  }
});

test('a wrong secret answers invalid_client with AADSTS7000215', async () => {
  const r = await tokenRequest(MINI_DOMAIN, { grant_type: 'client_credentials', client_id: FULL_APP.clientId, client_secret: 'nope', scope: 'https://graph.microsoft.com/.default' });
  assert.equal(r.status, 401);
  assert.equal(r.body.error, 'invalid_client');
  assert.deepEqual(r.body.error_codes, [7000215]);
  assert.ok(!JSON.stringify(r.body).includes('nope'), 'the secret is not echoed');
});

test('an unknown tenant, unknown app and bad scope get Entra errors', async () => {
  const t = await tokenRequest('nosuch.onmicrosoft.com', { grant_type: 'client_credentials', client_id: FULL_APP.clientId, client_secret: FULL_APP.secret, scope: 'https://graph.microsoft.com/.default' });
  assert.equal(t.status, 400);
  assert.deepEqual(t.body.error_codes, [90002]);
  const a = await tokenRequest(MINI_DOMAIN, { grant_type: 'client_credentials', client_id: 'who', client_secret: 'x', scope: 'https://graph.microsoft.com/.default' });
  assert.equal(a.body.error, 'unauthorized_client');
  const s = await tokenRequest(MINI_DOMAIN, { grant_type: 'client_credentials', client_id: FULL_APP.clientId, client_secret: FULL_APP.secret, scope: 'User.Read' });
  assert.equal(s.body.error, 'invalid_scope');
});

test('the GDAP refresh_token grant issues a delegated token', async () => {
  const r = await tokenRequest(MINI_DOMAIN, { grant_type: 'refresh_token', client_id: FULL_APP.clientId, client_secret: FULL_APP.secret, refresh_token: 'test-partner-refresh-token', scope: 'https://graph.microsoft.com/.default' });
  assert.equal(r.status, 200);
  const payload = JSON.parse(Buffer.from(r.body.access_token.split('.')[1], 'base64url').toString());
  assert.equal(payload.upn, 'tech@msp.example');
  const bad = await tokenRequest(MINI_DOMAIN, { grant_type: 'refresh_token', client_id: FULL_APP.clientId, client_secret: FULL_APP.secret, refresh_token: 'stolen', scope: 'https://graph.microsoft.com/.default' });
  assert.equal(bad.body.error, 'invalid_grant');
});

test('Graph refuses a missing or forged token with InvalidAuthenticationToken', async () => {
  const none = await fetch(`${h.base}/v1.0/users`);
  assert.equal(none.status, 401);
  assert.equal(((await none.json()) as any).error.code, 'InvalidAuthenticationToken');
  const forged = await h.graph('/v1.0/users', { token: 'eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0.' });
  assert.equal(forged.status, 401);
});

test('OpenID metadata names the token endpoint on the same origin', async () => {
  const res = await h.tlsFetch(`${h.emu.httpsUrl}/${MINI_DOMAIN}/v2.0/.well-known/openid-configuration`);
  const body = (await res.json()) as any;
  assert.equal(body.token_endpoint, `${h.emu.httpsUrl}/${MINI_DOMAIN}/oauth2/v2.0/token`);
});
