// Client mistakes thrown at every route family: odd bodies, ids, query options, headers and
// paths. Whatever a client sends, the emulator answers in the surface's own error shape with a
// 4xx (or succeeds), never a 5xx, and keeps serving. Inputs come from a seeded generator so a
// failure names a reproducible request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { graphRoutes } from '../../src/emulator/graph/index.ts';
import { cmdlets } from '../../src/emulator/exchange/cmdlets/index.ts';
import { BODY_LIMIT } from '../../src/emulator/server.ts';
import { FULL_APP, MINI_DOMAIN } from '../fixtures/mini-seed.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let graphToken: string;
let exoToken: string;
let userId: string;
let groupId: string;

before(async () => {
  h = await startHarness();
  graphToken = await h.token();
  exoToken = await h.token({ scope: 'https://outlook.office365.com/.default' });
  const t = h.emu.deps.store.tenant(MINI_DOMAIN)!;
  userId = t.data.users[1]!.id;
  groupId = t.data.groups[0]!.id;
});
after(async () => { await h.close(); });

/** mulberry32: small, seeded, good enough to pick inputs reproducibly. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_IDS = () => [userId, groupId, 'nobody-here', '00000000-0000-0000-0000-000000000000', "o'brien", 'x'.repeat(480), '%C3%A9t%C3%A9', '%23EXT%23', '..', 'null'];

const ODD_BODIES: Array<string | undefined> = [
  undefined, '', '{bad', '[]', '"text"', '123', 'null', 'true', '{"unknown":1}', '{"@odata.type":5}',
  '{"accountEnabled":"yes","displayName":5,"usageLocation":["US"],"passwordProfile":"x"}',
  '{"addLicenses":[null,{"skuId":7}],"removeLicenses":"all"}',
  '{"@odata.id":{"x":1}}', '{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/nobody"}',
  '{"members@odata.bind":"not-a-list","owners@odata.bind":[5]}',
  '{"message":{"toRecipients":[{"emailAddress":null}],"body":7},"saveToSentItems":"maybe"}',
  '{"automaticRepliesSetting":{"status":"sometimes","scheduledStartDateTime":{"dateTime":"never"}}}',
  '{"lifetimeInMinutes":-5,"isUsableOnce":"x","startDateTime":"yesterday"}',
  '{"newPassword":null}', '{"values":[{"@odata.type":"x"}]}', '{"requests":[{}]}',
  JSON.stringify({ deep: JSON.parse('['.repeat(200) + ']'.repeat(200)) }),
  '{"displayName":"\\u0000\\ud800"}',
];

const ODD_QUERIES = [
  '', '?$top=-1', '?$top=abc', '?$filter=', "?$filter=startswith(displayName,'", '?$filter=accountEnabled eq maybe', '?$filter=a/any(x:x eq 1)',
  '?$select=,,', '?$orderby=displayName desc desc', '?$search=%22', '?$count=maybe', '?$skiptoken=AAAA', '?$expand=manager($select=)', '?$top=1&$top=2',
];

const ODD_HEADERS: Array<Record<string, string>> = [
  {}, { consistencylevel: 'eventual' }, { consistencylevel: 'weird', prefer: 'odata.maxpagesize=-1' },
  { 'client-request-id': 'c'.repeat(300) }, { 'content-type': 'text/plain' }, { 'content-type': 'application/json; charset=utf-16' },
];

function fill(path: string, id: () => string): string {
  return path.replace(/:[A-Za-z]+/g, () => encodeURIComponent(id()).replace(/%25/g, '%'));
}

async function send(method: string, url: string, body: string | undefined, headers: Record<string, string>) {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body !== undefined && method !== 'GET' ? { body } : {}) });
  const text = await res.text();
  let json: any;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = text; }
  return { status: res.status, json };
}

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

function assertGraphError(what: string, r: { status: number; json: any }) {
  assert.ok(r.status < 500, `${what} → ${r.status} ${show(r.json).slice(0, 300)}`);
  if (r.status < 400) return;
  assert.equal(typeof r.json?.error?.code, 'string', `${what}: Graph error shape, got ${show(r.json).slice(0, 200)}`);
  assert.equal(typeof r.json.error.message, 'string', what);
  assert.equal(typeof r.json.error.innerError?.['request-id'], 'string', what);
  assert.equal(typeof r.json.error.innerError?.date, 'string', what);
}

test('every Graph route answers odd ids, bodies, query options and headers with a Graph 4xx, never a 5xx', async () => {
  const next = rng(20240601);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const ids = ODD_IDS();
  let sent = 0;
  for (const route of graphRoutes) {
    for (let i = 0; i < 12; i++) {
      const version = next() < 0.5 ? 'v1.0' : 'beta';
      const url = `${h.base}/${version}${fill(route.path, () => pick(ids))}${pick(ODD_QUERIES)}`;
      const body = route.method === 'GET' ? undefined : pick(ODD_BODIES);
      const headers = { authorization: `Bearer ${graphToken}`, ...pick(ODD_HEADERS) };
      assertGraphError(`${route.method} ${url} body=${String(body).slice(0, 80)} headers=${JSON.stringify(headers).slice(0, 120)}`, await send(route.method, url, body, headers));
      sent++;
    }
  }
  assert.ok(sent > graphRoutes.length * 10);
});

test('$batch with odd sub-requests answers per item or with a Graph 4xx, never a 5xx', async () => {
  const auth = { authorization: `Bearer ${graphToken}` };
  const items = [
    { id: '1', method: 'GET', url: '/users/%ZZ' }, { id: '2', method: 'PATCH', url: `/users/${userId}`, body: 'str', headers: { 'content-type': 'application/json' } },
    { id: '3', method: 'BREW', url: '/users' }, { id: '4', method: 'GET', url: 'https://evil.example/v1.0/users' }, { id: '5', method: 'GET' },
    { id: '6', method: 'GET', url: '/users', dependsOn: ['nope'] }, { id: 7, method: 'GET', url: '/me' }, { id: '8', method: 'POST', url: '/$batch', body: { requests: [] }, headers: { 'content-type': 'application/json' } },
  ];
  for (const item of items) {
    const r = await send('POST', `${h.base}/v1.0/$batch`, JSON.stringify({ requests: [item] }), auth);
    assertGraphError(`$batch ${JSON.stringify(item)}`, r);
    if (r.status === 200) for (const sub of r.json.responses) assert.ok(sub.status < 500, `$batch item ${JSON.stringify(item)} → ${sub.status} ${show(sub.body).slice(0, 200)}`);
  }
  for (const body of ['{"requests":"x"}', '{"requests":[]}', '{}', '[]', JSON.stringify({ requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users' })) })]) {
    assertGraphError(`$batch ${body.slice(0, 60)}`, await send('POST', `${h.base}/v1.0/$batch`, body, auth));
  }
});

test('paths the router cannot decode, unknown segments, oversized bodies and bad tokens get Graph errors', async () => {
  const auth = { authorization: `Bearer ${graphToken}` };
  for (const path of ['/v1.0/users/%ZZ', '/beta/groups/%E0%A4%A', '/v1.0/users/%', '/v1.0/nonexistent', '/v1.0/users/x/nonexistent/y', '/v1.0/users/' + 'x'.repeat(5000)]) {
    const r = await send('GET', `${h.base}${path}`, undefined, { ...auth, 'client-request-id': 'fuzz-crid' });
    assertGraphError(path.slice(0, 60), r);
    assert.ok(r.status >= 400, path.slice(0, 60));
    assert.equal(r.json.error.innerError['client-request-id'], 'fuzz-crid', `${path.slice(0, 60)} echoes client-request-id`);
  }
  const big = await send('PATCH', `${h.base}/v1.0/users/${userId}`, JSON.stringify({ jobTitle: 'x'.repeat(BODY_LIMIT) }), auth);
  assertGraphError('oversized body', big);
  assert.equal(big.status, 413);
  for (const authorization of ['', 'Bearer', 'Bearer a.b.c', 'Basic dXNlcjpwYXNz', `Bearer ${exoToken}`, `Bearer ${graphToken.slice(0, -4)}AAAA`]) {
    const r = await send('GET', `${h.base}/v1.0/users`, undefined, authorization ? { authorization } : {});
    assertGraphError(`authorization=${authorization.slice(0, 20)}`, r);
    assert.equal(r.status, 401, authorization.slice(0, 20));
    assert.equal(r.json.error.code, 'InvalidAuthenticationToken');
  }
});

test('every Exchange cmdlet answers odd parameters in Exchange\'s error shape, never a 5xx', async () => {
  const next = rng(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const values: unknown[] = [null, '', 'nobody@nowhere.example', 5, true, [], [null], { a: 1 }, { '@odata.type': '#Exchange.GenericHashTable', add: 5 }, 'x'.repeat(2000), `ben.miller@${MINI_DOMAIN}`];
  const url = `${h.base}/adminapi/beta/${MINI_DOMAIN}/InvokeCommand`;
  const auth = { authorization: `Bearer ${exoToken}` };
  for (const c of cmdlets.values()) {
    for (let i = 0; i < 10; i++) {
      const parameters: Record<string, unknown> = {};
      for (const p of Object.keys(c.parameters)) if (next() < 0.5) parameters[p] = pick(values);
      if (next() < 0.3) parameters.NoSuchParameter = 1;
      const r = await send('POST', url, JSON.stringify({ CmdletInput: { CmdletName: c.name, Parameters: parameters } }), auth);
      const what = `${c.name} ${JSON.stringify(parameters).slice(0, 200)}`;
      assert.ok(r.status < 500, `${what} → ${r.status} ${show(r.json).slice(0, 300)}`);
      if (r.status >= 400) assert.equal(typeof r.json?.error?.message, 'string', what);
    }
  }
  for (const body of ['{bad', '[]', '{}', '{"CmdletInput":5}', '{"CmdletInput":{"CmdletName":"Remove-Everything"}}', '{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":"x"}}']) {
    const r = await send('POST', url, body, auth);
    assert.ok(r.status >= 400 && r.status < 500, `${body} → ${r.status}`);
    assert.equal(typeof r.json?.error?.message, 'string', body);
  }
  const batch = await send('POST', `${h.base}/adminapi/beta/${MINI_DOMAIN}/$batch`, '{"requests":[{"id":"1"},{"id":"2","method":"POST","url":"/x","body":5}]}', auth);
  assert.ok(batch.status < 500, `exchange $batch → ${batch.status}`);
  const badPath = await send('POST', `${h.base}/adminapi/beta/%ZZ/InvokeCommand`, '{}', auth);
  assert.equal(badPath.status, 400);
  assert.equal(typeof badPath.json?.error?.message, 'string');
});

test('the token endpoint and the control plane answer odd input with 4xx JSON errors', async () => {
  for (const body of ['', 'grant_type=password', 'grant_type=client_credentials', `grant_type=client_credentials&client_id=${FULL_APP.clientId}&client_secret=x&scope=nope`,
    `grant_type=refresh_token&client_id=${FULL_APP.clientId}&refresh_token=`, `grant_type=client_credentials&client_assertion_type=x&client_assertion=a.b.c&client_id=${FULL_APP.clientId}`, '%%%']) {
    const res = await fetch(`${h.base}/${MINI_DOMAIN}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const json = (await res.json()) as { error?: string };
    assert.ok(res.status >= 400 && res.status < 500, `token ${body} → ${res.status}`);
    assert.equal(typeof json.error, 'string', body);
  }
  const json = await fetch(`${h.base}/${MINI_DOMAIN}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad' });
  assert.ok(json.status >= 400 && json.status < 500, `token with a JSON body → ${json.status}`);
  for (const [method, path, body] of [
    ['PATCH', `/_emulator/tenants/${MINI_DOMAIN}/controls`, '{"latency":5}'], ['PUT', `/_emulator/tenants/${MINI_DOMAIN}/controls`, '[]'],
    ['PATCH', `/_emulator/tenants/${MINI_DOMAIN}/controls`, '{bad'], ['GET', `/_emulator/tenants/${MINI_DOMAIN}/ledger?since=abc&outcome=nope`, undefined],
    ['GET', `/_emulator/tenants/${MINI_DOMAIN}/users?top=-5&skip=x`, undefined], ['GET', '/_emulator/tenants/nope/ledger', undefined], ['POST', '/_emulator/tenants/%ZZ/reset', undefined],
  ] as const) {
    const r = await send(method, `${h.base}${path}`, body, {});
    assert.ok(r.status < 500, `${method} ${path} → ${r.status} ${show(r.json).slice(0, 200)}`);
    if (r.status >= 400) assert.equal(typeof r.json?.error?.message, 'string', `${method} ${path}`);
  }
  // Still serving after all of it.
  assert.equal((await send('GET', `${h.base}/v1.0/users?$top=1`, undefined, { authorization: `Bearer ${graphToken}` })).status, 200);
});
