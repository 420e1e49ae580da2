import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.ts';
import { graphSdkClient } from './graph-sdk-client.ts';
import { FULL_APP, MINI_DOMAIN, MINI_TENANT_ID, READONLY_APP, miniSeed } from '../fixtures/mini-seed.ts';
import { PASSWORD_METHOD_ID, PHONE_ALT_MOBILE_ID, PHONE_MOBILE_ID } from '../../src/emulator/seed/builders.ts';
import { sha256Hex } from '../../src/core/ids.ts';

let h: Harness;
let sdk: ReturnType<typeof graphSdkClient>;
let delegated: string;
const seed = miniSeed().tenants[0]!;
const user = (upnPrefix: string) => seed.users.find((u) => u.userPrincipalName.startsWith(upnPrefix))!;
const tenant = () => h.emu.deps.store.tenant(MINI_TENANT_ID)!;
const authBase = (id: string) => `/v1.0/users/${id}/authentication`;

before(async () => {
  h = await startHarness();
  sdk = graphSdkClient(h);
  // A GDAP-style delegated token: resetPassword is not available to application tokens.
  const res = await fetch(`${h.base}/${MINI_DOMAIN}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token', client_id: FULL_APP.clientId, client_secret: FULL_APP.secret,
      refresh_token: 'test-partner-refresh-token', scope: 'https://graph.microsoft.com/.default',
    }),
  });
  delegated = ((await res.json()) as { access_token: string }).access_token;
});
after(async () => {
  await sdk.close();
  await h.close();
});
beforeEach(() => {
  h.emu.deps.store.reset(MINI_TENANT_ID);
});

test('lists methods with their polymorphic @odata.type; the password is never returned', async () => {
  const ava = user('ava.boss');
  const res = await sdk.client.api(`/users/${ava.id}/authentication/methods`).get();
  assert.deepEqual(res.value.map((m: any) => m['@odata.type']).sort(), [
    '#microsoft.graph.fido2AuthenticationMethod',
    '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
    '#microsoft.graph.passwordAuthenticationMethod',
  ]);
  const pw = res.value.find((m: any) => m.id === PASSWORD_METHOD_ID);
  assert.equal(pw.password, null);
  const phones = await sdk.client.api(`/users/${user('ben.miller').id}/authentication/phoneMethods`).get();
  assert.equal(phones.value.length, 1);
  assert.equal(phones.value[0].phoneType, 'mobile');
  const one = await sdk.client.api(`/users/${user('ben.miller').id}/authentication/phoneMethods/${PHONE_MOBILE_ID}`).get();
  assert.match(one.phoneNumber, /^\+1 /);
  const missing = await h.graph(`${authBase(ava.id)}/phoneMethods/${PHONE_MOBILE_ID}`);
  assert.equal(missing.status, 404);
  // Guest UPNs carry #EXT# and reach the API URL-encoded.
  const guest = user('gina_fabrikam.com');
  const byUpn = await h.graph(`/v1.0/users/${encodeURIComponent(guest.userPrincipalName)}/authentication/methods`);
  assert.equal(byUpn.status, 200);
  assert.equal(byUpn.body.value[0].id, PASSWORD_METHOD_ID);
});

test('the password method cannot be deleted', async () => {
  const ava = user('ava.boss');
  const res = await h.graph(`${authBase(ava.id)}/passwordMethods/${PASSWORD_METHOD_ID}`, { method: 'DELETE' });
  assert.equal(res.status, 405);
  assert.ok(tenant().data.authMethods[ava.id]!.some((m) => m.type === 'password'));
});

test('the default method cannot be deleted while other methods remain', async () => {
  const ben = user('ben.miller');
  const authenticator = tenant().data.authMethods[ben.id]!.find((m) => m.type === 'microsoftAuthenticator')!;
  assert.equal(authenticator.isDefault, true);
  const refused = await h.graph(`${authBase(ben.id)}/microsoftAuthenticatorMethods/${authenticator.id}`, { method: 'DELETE' });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.code, 'badRequest');
  assert.equal(refused.body.error.message, 'Cannot delete default method with other methods configured. Please change default method before deletion.');
  assert.equal((await h.graph(`${authBase(ben.id)}/phoneMethods/${PHONE_MOBILE_ID}`, { method: 'DELETE' })).status, 204);
  await sdk.client.api(`/users/${ben.id}/authentication/microsoftAuthenticatorMethods/${authenticator.id}`).delete();
  assert.deepEqual(tenant().data.authMethods[ben.id]!.map((m) => m.type), ['password']);
});

test('the mobile number cannot be removed while an alternateMobile exists', async () => {
  const ben = user('ben.miller');
  tenant().data.authMethods[ben.id]!.push({ id: PHONE_ALT_MOBILE_ID, type: 'phone', props: { phoneNumber: '+1 4255550199', phoneType: 'alternateMobile', smsSignInState: 'notAllowedByPolicy' }, createdDateTime: '2024-01-15T09:00:00Z' });
  const refused = await h.graph(`${authBase(ben.id)}/phoneMethods/${PHONE_MOBILE_ID}`, { method: 'DELETE' });
  assert.equal(refused.status, 400);
  assert.match(refused.body.error.message, /alternateMobile/);
  assert.equal((await h.graph(`${authBase(ben.id)}/phoneMethods/${PHONE_ALT_MOBILE_ID}`, { method: 'DELETE' })).status, 204);
  assert.equal((await h.graph(`${authBase(ben.id)}/phoneMethods/${PHONE_MOBILE_ID}`, { method: 'DELETE' })).status, 204);
});

test('a Temporary Access Pass is shown once, is one per user, and respects the lifetime policy', async () => {
  const dan = user('dan.nolocation');
  const created = await sdk.client.api(`/users/${dan.id}/authentication/temporaryAccessPassMethods`).post({
    startDateTime: new Date().toISOString(), lifetimeInMinutes: 60, isUsableOnce: false,
  });
  assert.equal(created['@odata.type'], '#microsoft.graph.temporaryAccessPassAuthenticationMethod');
  assert.equal(typeof created.temporaryAccessPass, 'string');
  assert.ok(created.temporaryAccessPass.length >= 8);
  assert.equal(created.isUsable, true);
  assert.equal(created.methodUsabilityReason, 'EnabledByPolicy');
  assert.equal(created.lifetimeInMinutes, 60);
  const listed = await sdk.client.api(`/users/${dan.id}/authentication/temporaryAccessPassMethods`).get();
  assert.equal(listed.value.length, 1);
  assert.equal(listed.value[0].temporaryAccessPass, null);
  assert.ok(!JSON.stringify(tenant().data).includes(created.temporaryAccessPass), 'the pass is not kept in clear');
  const second = await h.graph(`${authBase(dan.id)}/temporaryAccessPassMethods`, { method: 'POST', body: { lifetimeInMinutes: 60 } });
  assert.equal(second.status, 400);
  assert.ok(!JSON.stringify(second.body).includes(created.temporaryAccessPass));
  for (const lifetimeInMinutes of [5, 43201]) {
    const res = await h.graph(`${authBase(user('eve.disabled').id)}/temporaryAccessPassMethods`, { method: 'POST', body: { lifetimeInMinutes } });
    assert.equal(res.status, 400, String(lifetimeInMinutes));
  }
  assert.equal((await h.graph(`${authBase(dan.id)}/temporaryAccessPassMethods/${created.id}`, { method: 'DELETE' })).status, 204);
  const again = await h.graph(`${authBase(dan.id)}/temporaryAccessPassMethods`, { method: 'POST', body: { lifetimeInMinutes: 10, isUsableOnce: true } });
  assert.equal(again.status, 201);
  assert.notEqual(again.body.temporaryAccessPass, created.temporaryAccessPass);
});

test('resetPassword: delegated only, 202 with Location, system-generated or supplied password', async () => {
  const eve = user('eve.disabled');
  const path = `${authBase(eve.id)}/methods/${PASSWORD_METHOD_ID}/resetPassword`;
  const appOnly = await h.graph(path, { method: 'POST', body: {} });
  assert.equal(appOnly.status, 403);
  const generated = await h.graph(path, { method: 'POST', token: delegated, body: {} });
  assert.equal(generated.status, 202);
  const location = generated.headers.get('location')!;
  assert.match(location, new RegExp(`/v1\\.0/users/${eve.id}/authentication/operations/[0-9a-f-]{36}$`));
  const pw = generated.body.newPassword as string;
  assert.ok(pw.length >= 8);
  const stored = tenant().user(eve.id)!;
  assert.equal(stored.passwordHash, sha256Hex(pw));
  assert.equal(stored.forceChangePasswordNextSignIn, true);
  const op = await h.graph(new URL(location).pathname, { token: delegated });
  assert.equal(op.status, 200);
  assert.equal(op.body.status, 'succeeded');
  const weak = await h.graph(path, { method: 'POST', token: delegated, body: { newPassword: 'short' } });
  assert.equal(weak.status, 400);
  assert.ok(!JSON.stringify(weak.body).includes('short'), 'the password is not echoed');
});

test('resetPassword is the writeback path for synced users and needs a supplied password (beta too)', async () => {
  const sam = user('sam.synced');
  const path = `/beta/users/${sam.id}/authentication/methods/${PASSWORD_METHOD_ID}/resetPassword`;
  const none = await h.graph(path, { method: 'POST', token: delegated, body: {} });
  assert.equal(none.status, 400);
  const supplied = await h.graph(path, { method: 'POST', token: delegated, body: { newPassword: 'Cuyo5459!x' } });
  assert.equal(supplied.status, 202);
  assert.equal(supplied.body.newPassword, undefined);
  assert.equal(tenant().user(sam.id)!.passwordHash, sha256Hex('Cuyo5459!x'));
});

test('revokeSignInSessions returns Edm.Boolean true and moves signInSessionsValidFromDateTime', async () => {
  const ben = user('ben.miller');
  const before = Date.parse(tenant().user(ben.id)!.signInSessionsValidFromDateTime);
  const res = await sdk.client.api(`/users/${ben.id}/revokeSignInSessions`).post({});
  assert.equal(res.value, true);
  assert.match(res['@odata.context'], /\$metadata#Edm\.Boolean$/);
  assert.ok(Date.parse(tenant().user(ben.id)!.signInSessionsValidFromDateTime) > before);
  const beta = await h.graph(`/beta/users/${user('cara.diaz').id}/invalidateAllRefreshTokens`, { method: 'POST', body: {} });
  assert.equal(beta.status, 200);
  assert.equal(beta.body.value, true);
  const v1 = await h.graph(`/v1.0/users/${user('cara.diaz').id}/invalidateAllRefreshTokens`, { method: 'POST', body: {} });
  assert.equal(v1.status, 400);
  assert.equal(v1.body.error.message, "Resource not found for the segment 'invalidateAllRefreshTokens'.");
  assert.equal((await h.graph('/v1.0/users/00000000-0000-4000-8000-000000000000/revokeSignInSessions', { method: 'POST' })).status, 404);
});

test('a read-only app cannot read or change authentication methods or revoke sessions', async () => {
  const token = await h.token({ clientId: READONLY_APP.clientId, secret: READONLY_APP.secret });
  const ben = user('ben.miller');
  const calls = await Promise.all([
    h.graph(`${authBase(ben.id)}/methods`, { token }),
    h.graph(`${authBase(ben.id)}/phoneMethods/${PHONE_MOBILE_ID}`, { method: 'DELETE', token }),
    h.graph(`${authBase(ben.id)}/temporaryAccessPassMethods`, { method: 'POST', token, body: { lifetimeInMinutes: 60 } }),
    h.graph(`/v1.0/users/${ben.id}/revokeSignInSessions`, { method: 'POST', token }),
  ]);
  for (const r of calls) {
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'Authorization_RequestDenied');
  }
  assert.equal(tenant().data.authMethods[ben.id]!.length, 3);
});
