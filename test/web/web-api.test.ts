// The server side of the web app: static files with the SPA fallback, notifications when runs end,
// and the demo tenant inspector's tenant-scoped views of the embedded emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Fastify from 'fastify';
import { webRoutes } from '../../src/server/routes/web.routes.ts';
import { startWebEnv, type WebEnv } from './web-env.ts';

let env: WebEnv;
let admin: string;
let tech: string;
let techId: string;

before(async () => {
  env = await startWebEnv('webapi', { browser: false });
  admin = await env.login();
  const created = await env.api('POST', '/api/users', { token: admin, body: { username: 'tech-web', password: 'tech-web-password', role: 'technician', tenants: ['contoso'] } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  techId = created.body.id;
  tech = await env.login('tech-web', 'tech-web-password');
});
after(async () => { await env?.close(); });

async function finishedRun(token: string, approver: string, workflow: string, params: Record<string, unknown>): Promise<string> {
  const c = await env.api('POST', '/api/runs', { token, body: { tenant: 'contoso', workflow, params } });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const done = env.waitTerminal(c.body.id);
  assert.equal((await env.api('POST', `/api/runs/${c.body.id}/approve`, { token: approver })).status, 202);
  await done;
  return c.body.id;
}

/** Notifications are written on the terminal event, just after it; this waits for the row, not for time. */
async function notificationFor(token: string, runId: string): Promise<any> {
  // Bounded, so a notification that is never written fails the test instead of hanging the suite.
  for (let attempt = 0; attempt < 2000; attempt++) {
    const r = await env.api('GET', '/api/notifications', { token });
    const n = r.body.notifications.find((x: any) => x.runId === runId);
    if (n) return { n, unread: r.body.unread };
    await new Promise((res) => setTimeout(res, 5));
  }
  assert.fail(`no notification was written for run ${runId}`);
}

test('pages: every page path answers the app with the first-start hint; API paths stay JSON 404s; assets are cacheable', async () => {
  for (const path of ['/', '/chat', '/history', '/runs/00000000-0000-4000-8000-000000000000', '/catalog?x=1']) {
    const r = await env.api('GET', path);
    assert.equal(r.status, 200, path);
    assert.match(String(r.headers['content-type']), /text\/html/);
    assert.match(r.body, /<div id="root">/);
    assert.match(r.body, /<script type="application\/json" id="tf-config">\{"adminPasswordGenerated":true\}<\/script>/);
    assert.equal(r.headers['cache-control'], 'no-cache');
  }
  const api404 = await env.api('GET', '/api/no-such-thing', { token: admin });
  assert.equal(api404.status, 404);
  assert.equal(api404.body.error.code, 'not_found');
  assert.equal((await env.api('GET', '/api/no-such-thing')).status, 401, 'unknown API paths still need a session');
  const dir = resolve(import.meta.dirname, '../../web/dist/assets');
  const asset = readdirSync(dir).filter((f) => f.endsWith('.js')).sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0]!;
  const js = await env.api('GET', `/assets/${asset}`);
  assert.equal(js.status, 200);
  assert.match(String(js.headers['content-type']), /javascript/);
  assert.match(String(js.headers['cache-control']), /immutable/);
  assert.equal(js.headers['content-encoding'], undefined);
  const br = await env.api('GET', `/assets/${asset}`, { headers: { 'accept-encoding': 'br, gzip' } });
  assert.equal(br.headers['content-encoding'], 'br', 'browsers get the precompressed bundle');
  assert.ok(Number(br.headers['content-length']) < statSync(join(dir, asset)).size / 2);
  const traversal = await env.api('GET', '/assets/..%2f..%2f..%2fpackage.json');
  assert.doesNotMatch(String(traversal.body), /"name": "tenantflow"/, 'no file outside web/dist is served');
});

test('pages: without a build the server says how to build it instead of failing', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'tf-nodist-'));
  const app = Fastify();
  await app.register(webRoutes({ distDir: empty }));
  const r = await app.inject({ method: 'GET', url: '/history' });
  assert.equal(r.statusCode, 503);
  assert.match(r.body, /npm run build:web/);
  await app.close();
  rmSync(empty, { recursive: true, force: true });
});

test('notifications: the starter and the approver each get one when the run ends, and can mark it read', async () => {
  const runId = await finishedRun(tech, admin, 'disable-user', { user: 'alex.wilber@contoso.com' });
  const forTech = await notificationFor(tech, runId);
  const forAdmin = await notificationFor(admin, runId);
  for (const { n } of [forTech, forAdmin]) {
    assert.equal(n.state, 'Completed');
    assert.equal(n.title, 'Disable user: alex.wilber@contoso.com');
    assert.equal(n.tenant, env.contosoId);
    assert.equal(n.read, false);
  }
  assert.ok(forTech.unread >= 1);
  // One person cannot mark another's notification.
  const foreign = await env.api('POST', `/api/notifications/${forAdmin.n.id}/read`, { token: tech });
  assert.equal(foreign.status, 404);
  assert.equal(foreign.body.error.code, 'not_found');
  const before = (await env.api('GET', '/api/notifications', { token: tech })).body.unread;
  const read = await env.api('POST', `/api/notifications/${forTech.n.id}/read`, { token: tech });
  assert.equal(read.status, 200);
  const after = await env.api('GET', '/api/notifications', { token: tech });
  assert.equal(after.body.unread, before - 1);
  assert.equal(after.body.notifications.find((x: any) => x.id === forTech.n.id).read, true);
  assert.equal((await env.api('GET', '/api/notifications?unread=true', { token: tech })).body.notifications.some((x: any) => x.id === forTech.n.id), false);
  const all = await env.api('POST', '/api/notifications/read-all', { token: admin });
  assert.equal(all.status, 200);
  assert.equal((await env.api('GET', '/api/notifications', { token: admin })).body.unread, 0);
  // The same terminal event seen again (another process, a replay) does not notify twice.
  const run = (await env.api('GET', `/api/runs/${runId}`, { token: admin })).body;
  env.rt.bus.emit({ type: 'run', runId, tenantId: run.tenant, workflowId: run.workflow, state: 'Completed', percent: 100, elapsedMs: 1, at: new Date().toISOString(), createdBy: techId, approvedBy: run.approvedBy });
  await notificationFor(tech, runId);
  const list = (await env.api('GET', '/api/notifications?limit=200', { token: tech })).body.notifications.filter((x: any) => x.runId === runId);
  assert.equal(list.length, 1);
});

test('notifications: a card someone else rejects tells its author; rejecting your own does not', async () => {
  const other = await env.api('POST', '/api/runs', { token: tech, body: { tenant: 'contoso', workflow: 'disable-user', params: { user: 'diego.siciliani@contoso.com' } } });
  const done = env.waitTerminal(other.body.id);
  await env.api('POST', `/api/runs/${other.body.id}/reject`, { token: admin });
  await done;
  const { n } = await notificationFor(tech, other.body.id);
  assert.equal(n.state, 'Cancelled');
  const own = await env.api('POST', '/api/runs', { token: tech, body: { tenant: 'contoso', workflow: 'disable-user', params: { user: 'lee.gu@contoso.com' } } });
  await env.api('POST', `/api/runs/${own.body.id}/reject`, { token: tech });
  // Prove the listener has handled the later event: a run finished after it notifies, and the rejected one never did.
  const marker = await finishedRun(tech, tech, 'enable-user', { user: 'alex.wilber@contoso.com' });
  await notificationFor(tech, marker);
  const list = (await env.api('GET', '/api/notifications?limit=200', { token: tech })).body.notifications;
  assert.equal(list.some((x: any) => x.runId === own.body.id), false);
});

test('notifications: bad ids get a 4xx with a fix, and the API needs a session', async () => {
  const bad = await env.api('POST', '/api/notifications/not-a-uuid/read', { token: admin });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_request');
  assert.equal((await env.api('GET', '/api/notifications')).status, 401);
});

test('demo inspector: lists the emulator\'s users, groups, licences and mailboxes for tenants in scope', async () => {
  const status = await env.api('GET', '/api/demo', { token: tech });
  assert.equal(status.body.enabled, true);
  assert.deepEqual(status.body.tenants.map((t: any) => t.domain), ['contoso.onmicrosoft.com'], 'only the caller\'s tenants');
  const users = await env.api('GET', '/api/demo/tenants/contoso/users?search=megan&top=5', { token: tech });
  assert.equal(users.status, 200);
  assert.equal(users.body.value[0].userPrincipalName, 'megan.bowen@contoso.com');
  assert.equal('passwordHash' in users.body.value[0], false);
  const groups = await env.api('GET', '/api/demo/tenants/contoso/groups?top=3', { token: tech });
  assert.equal(groups.body.value.length, 3);
  assert.ok(groups.body.count > 3);
  const skus = await env.api('GET', '/api/demo/tenants/contoso/licenses', { token: tech });
  assert.ok(skus.body.value.some((s: any) => typeof s.available === 'number' && s.skuPartNumber));
  const boxes = await env.api('GET', '/api/demo/tenants/contoso/mailboxes?search=megan', { token: tech });
  assert.equal(boxes.body.value[0].primarySmtpAddress, 'megan.bowen@contoso.com');
  const outside = await env.api('GET', '/api/demo/tenants/fabrikam/users', { token: tech });
  assert.equal(outside.status, 404);
  assert.equal(outside.body.error.code, 'unknown_tenant');
  const badTop = await env.api('GET', '/api/demo/tenants/contoso/users?top=0', { token: tech });
  assert.equal(badTop.status, 400);
});

test('demo inspector: the effects ledger names what each call touched, newest first, and the outbox shows sent mail', async () => {
  const runId = await finishedRun(admin, admin, 'disable-user', { user: 'pradeep.gupta@contoso.com' });
  assert.ok(runId);
  const ledger = await env.api('GET', '/api/demo/tenants/contoso/ledger?top=5', { token: admin });
  assert.equal(ledger.status, 200);
  const newest = ledger.body.value[0];
  assert.equal(newest.method, 'PATCH');
  assert.equal(newest.target, 'pradeep.gupta@contoso.com');
  assert.equal(newest.outcome, 'ok');
  assert.ok(ledger.body.value.every((e: any, i: number, xs: any[]) => i === 0 || xs[i - 1].seq > e.seq));
  await finishedRun(admin, admin, 'send-email', { user: 'patti.fernandez@contoso.com', to: 'lee.gu@contoso.com', subject: 'Inspector check', message: 'Hello from the inspector test.' });
  const outbox = await env.api('GET', '/api/demo/tenants/contoso/outbox?top=1', { token: admin });
  assert.equal(outbox.status, 200);
  const sent = outbox.body.value[0];
  assert.equal(sent.subject, 'Inspector check');
  assert.equal(sent.from, 'patti.fernandez@contoso.com');
  assert.deepEqual(sent.to, ['lee.gu@contoso.com']);
  assert.match(sent.bodyPreview, /Hello from the inspector test\./);
  assert.doesNotMatch(sent.bodyPreview, /<[a-z]/i, 'previews are text, not markup');
});
