import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApiEnv, type ApiEnv } from './harness.ts';

let env: ApiEnv;
let admin: string;
before(async () => {
  env = await startApiEnv('api');
  admin = await env.login();
});
after(async () => { await env.close(); });

test('every route but /healthz and login requires authentication', async () => {
  assert.equal((await env.api('GET', '/healthz')).status, 200);
  for (const [m, p] of [['GET', '/api/runs'], ['POST', '/api/runs'], ['GET', '/api/tenants'], ['GET', '/api/workflows'], ['GET', '/api/actions']] as const) {
    const r = await env.api(m, p, m === 'POST' ? { body: {} } : {});
    assert.equal(r.status, 401, `${m} ${p}`);
    assert.equal(r.body.error.code, 'unauthenticated');
    assert.ok(r.body.error.fix);
  }
  const bad = await env.api('GET', '/api/runs', { token: 'nope' });
  assert.equal(bad.status, 401);
});

test('wrong password is refused without saying which part was wrong', async () => {
  const r = await env.api('POST', '/api/auth/login', { body: { username: 'admin', password: 'wrong-password' } });
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'invalid_credentials');
});

test('a cookie session needs the CSRF token for writes', async () => {
  const login = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'admin-password-for-tests' } });
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const csrf = JSON.parse(login.body).csrfToken;
  const withoutCsrf = await env.api('POST', '/api/runs', { headers: { cookie }, body: { tenant: 'contoso', workflow: 'disable-user', params: { user: 'alex.wilber@contoso.com' } } });
  assert.equal(withoutCsrf.status, 403);
  assert.equal(withoutCsrf.body.error.code, 'csrf_failed');
  const withCsrf = await env.api('POST', '/api/runs', { headers: { cookie, 'x-csrf-token': csrf }, body: { tenant: 'contoso', workflow: 'disable-user', params: { user: 'alex.wilber@contoso.com' } } });
  assert.equal(withCsrf.status, 201);
  const read = await env.api('GET', `/api/runs/${withCsrf.body.id}`, { headers: { cookie } });
  assert.equal(read.status, 200, 'reads need no CSRF token');
});

test('a card previews the change; approve runs it against the tenant; the history shows it', async () => {
  const created = await env.api('POST', '/api/runs', { token: admin, body: { tenant: 'contoso.onmicrosoft.com', workflow: 'disable-user', params: { user: 'megan.bowen@contoso.com' } } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.state, 'Pending');
  assert.deepEqual(created.body.errors, []);
  const change = created.body.preview.steps[0].changes[0];
  assert.deepEqual([change.field, change.before, change.after], ['accountEnabled', true, false]);
  const tenant = env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
  assert.equal(tenant.user('megan.bowen@contoso.com')!.accountEnabled, true, 'nothing ran before approval');
  const done = env.waitTerminal(created.body.id);
  const approved = await env.api('POST', `/api/runs/${created.body.id}/approve`, { token: admin });
  assert.equal(approved.status, 202);
  assert.equal(await done, 'Completed');
  assert.equal(tenant.user('megan.bowen@contoso.com')!.accountEnabled, false);
  const run = await env.api('GET', `/api/runs/${created.body.id}`, { token: admin });
  assert.equal(run.body.state, 'Completed');
  assert.equal(run.body.steps[0].state, 'Completed');
  assert.equal(typeof run.body.steps[0].durationMs, 'number');
  const again = await env.api('POST', `/api/runs/${created.body.id}/approve`, { token: admin });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.details.state, 'Completed');
  const list = await env.api('GET', '/api/runs?workflow=disable-user&user=megan', { token: admin });
  assert.ok(list.body.runs.some((r: any) => r.id === created.body.id));
  const none = await env.api('GET', '/api/runs?state=Failed&user=megan', { token: admin });
  assert.ok(!none.body.runs.some((r: any) => r.id === created.body.id));
  // Undo re-enables the account, as its own approval-gated run.
  const undo = await env.api('POST', `/api/runs/${created.body.id}/undo`, { token: admin });
  assert.equal(undo.status, 201, JSON.stringify(undo.body));
  const undone = env.waitTerminal(undo.body.id);
  await env.api('POST', `/api/runs/${undo.body.id}/approve`, { token: admin });
  assert.equal(await undone, 'Completed');
  assert.equal(tenant.user('megan.bowen@contoso.com')!.accountEnabled, true);
  const linked = await env.api('GET', `/api/runs/${created.body.id}`, { token: admin });
  assert.equal(linked.body.undoRun, undo.body.id);
});

test('reject cancels a Pending run and nothing changes', async () => {
  const created = await env.api('POST', '/api/runs', { token: admin, body: { tenant: 'contoso', workflow: 'disable-user', params: { user: 'diego.siciliani@contoso.com' } } });
  const rej = await env.api('POST', `/api/runs/${created.body.id}/reject`, { token: admin });
  assert.equal(rej.status, 200);
  assert.equal(rej.body.state, 'Cancelled');
  assert.equal((await env.api('POST', `/api/runs/${created.body.id}/approve`, { token: admin })).status, 409);
  assert.equal(env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!.user('diego.siciliani@contoso.com')!.accountEnabled, true);
});

test('bad input gets a 4xx with a code and a fix, never a 500', async () => {
  const cases: Array<[string, string, unknown, number, string]> = [
    ['POST', '/api/runs', { tenant: 'nowhere', workflow: 'disable-user', params: {} }, 404, 'unknown_tenant'],
    ['POST', '/api/runs', { tenant: 'contoso', workflow: 'no-such-workflow', params: {} }, 404, 'unknown_workflow'],
    ['POST', '/api/runs', { tenant: 'contoso', workflow: 'disable-user', params: {}, extra: 1 }, 400, 'invalid_request'],
    ['POST', '/api/runs', 'not json', 400, 'invalid_json'],
    ['GET', '/api/runs/not-a-uuid', undefined, 400, 'invalid_request'],
    ['GET', '/api/runs/00000000-0000-4000-8000-000000000000', undefined, 404, 'not_found'],
    ['POST', '/api/runs/00000000-0000-4000-8000-000000000000/undo', undefined, 404, 'not_found'],
  ];
  for (const [m, p, body, status, code] of cases) {
    const r = typeof body === 'string'
      ? await env.app.inject({ method: 'POST', url: p, headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, payload: body }).then((x) => ({ status: x.statusCode, body: JSON.parse(x.body) }))
      : await env.api(m, p, { token: admin, ...(body !== undefined ? { body } : {}) });
    assert.equal(r.status, status, `${m} ${p} ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, code);
    assert.ok(r.body.error.fix, 'every error says how to fix it');
  }
  const invalidEmail = await env.api('POST', '/api/runs', { token: admin, body: { tenant: 'contoso', workflow: 'disable-user', params: { user: 'john.doe' } } });
  assert.equal(invalidEmail.status, 201);
  assert.equal(invalidEmail.body.errors[0].param, 'user');
  assert.match(invalidEmail.body.errors[0].message, /Invalid email format\. Value: john\.doe/);
  assert.match(invalidEmail.body.errors[0].fix, /john\.doe@contoso\./);
  const approve = await env.api('POST', `/api/runs/${invalidEmail.body.id}/approve`, { token: admin });
  assert.equal(approve.status, 409, 'a card with errors cannot be approved');
});

test('technicians see and act only in their tenants; another tenant\'s run looks missing', async () => {
  const created = await env.api('POST', '/api/users', { token: admin, body: { username: 'tech1', password: 'tech1-password', role: 'technician', tenants: ['fabrikam'] } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const tech = await env.login('tech1', 'tech1-password');
  const tenants = await env.api('GET', '/api/tenants', { token: tech });
  assert.deepEqual(tenants.body.tenants.map((t: any) => t.domain), ['fabrikam.onmicrosoft.com']);
  const contosoRun = await env.api('POST', '/api/runs', { token: admin, body: { tenant: 'contoso', workflow: 'disable-user', params: { user: 'alex.wilber@contoso.com' } } });
  assert.equal((await env.api('GET', `/api/runs/${contosoRun.body.id}`, { token: tech })).status, 404);
  assert.equal((await env.api('POST', `/api/runs/${contosoRun.body.id}/approve`, { token: tech })).status, 404);
  const denied = await env.api('POST', '/api/runs', { token: tech, body: { tenant: 'contoso', workflow: 'disable-user', params: { user: 'alex.wilber@contoso.com' } } });
  assert.equal(denied.status, 404);
  assert.equal(denied.body.error.code, 'unknown_tenant');
  assert.equal((await env.api('GET', '/api/users', { token: tech })).status, 403);
  const hist = await env.api('GET', '/api/runs', { token: tech });
  assert.ok(!hist.body.runs.some((r: any) => r.tenant === env.contosoId));
});

test('the catalog lists actions with JSON Schemas and the built-in workflows', async () => {
  const actions = await env.api('GET', '/api/actions', { token: admin });
  const disable = actions.body.actions.find((a: any) => a.id === 'disable-user');
  assert.equal(disable.parameters.properties.user.type, 'string');
  const wf = await env.api('GET', '/api/workflows', { token: admin });
  for (const id of ['offboard-user', 'onboard-user', 'role-change', 'security-incident']) assert.ok(wf.body.workflows.some((w: any) => w.id === id), id);
  const one = await env.api('GET', '/api/workflows/offboard-user', { token: admin });
  assert.equal(one.body.version, 1);
  assert.ok(one.body.definition.steps.length >= 7);
});

test('an onboarding card checks the group and the licence before approval, though the user does not exist yet', async () => {
  const tenant = env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
  const card = (params: Record<string, unknown>) => env.api('POST', '/api/runs', { token: admin, body: { tenant: 'contoso', workflow: 'onboard-user', params: { displayName: 'Tom Jones', ...params } } });
  // "Sales" is a department, not a group: the groups step would fail halfway through the run.
  const noGroup = await card({ user: 'tom.jones@contoso.com', sku: 'SPE_E3', department: 'Sales' });
  assert.equal(noGroup.status, 201);
  assert.deepEqual(noGroup.body.errors.map((e: any) => [e.code, e.value]), [['unknown_group', 'Sales']], JSON.stringify(noGroup.body.errors));
  assert.match(noGroup.body.errors[0].fix, /Sales Team/, 'the fix names the closest groups');
  // A dynamic group cannot be joined by hand.
  const dynamic = await card({ user: 'tom.jones@contoso.com', sku: 'SPE_E3', group: ['Sales Department (Dynamic)'] });
  assert.ok(dynamic.body.errors.some((e: any) => /dynamic/i.test(e.message)), JSON.stringify(dynamic.body.errors));
  // No free unit of the licence: refused on the card, not after the account exists.
  const sku = tenant.data.skus.find((s) => s.skuPartNumber === 'VISIOCLIENT')!;
  const enabled = sku.prepaidUnits.enabled;
  sku.prepaidUnits.enabled = tenant.data.users.filter((u) => u.directLicenses.some((l) => l.skuId === sku.skuId)).length;
  try {
    const full = await card({ user: 'tom.jones@contoso.com', sku: 'VISIOCLIENT', group: ['Sales Team'] });
    assert.deepEqual(full.body.errors.map((e: any) => e.code), ['no_free_licenses'], JSON.stringify(full.body.errors));
  } finally {
    sku.prepaidUnits.enabled = enabled;
  }
  const ok = await card({ user: 'tom.jones@contoso.com', sku: 'SPE_E3', department: 'Sales', group: ['Sales Team'] });
  assert.deepEqual(ok.body.errors, []);
  const step = (id: string) => ok.body.preview.steps.find((s: any) => s.stepId === id);
  assert.deepEqual([step('license').deferred, step('license').inputs.sku, step('license').inputs.user], [true, 'SPE_E3', '‹Create user: userPrincipalName›'], 'a waiting step says what it will use');
  // The demo tenant sends the welcome mail from its shared info@ mailbox.
  assert.deepEqual([step('welcome').deferred, step('welcome').inputs.user], [true, 'info@contoso.com']);
  assert.equal(tenant.user('tom.jones@contoso.com'), undefined, 'nothing was created');
  for (const r of [noGroup, dynamic, ok]) await env.api('POST', `/api/runs/${r.body.id}/reject`, { token: admin });
});

test('an approved onboarding in the demo tenant creates the account, licenses it, adds the group and sends the welcome mail', async () => {
  const tenant = env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
  const created = await env.api('POST', '/api/runs', { token: admin, body: { tenant: 'contoso', workflow: 'onboard-user', params: { user: 'sam.lee@contoso.com', displayName: 'Sam Lee', sku: 'SPE_E3', department: 'Sales', group: ['Sales Team'] } } });
  assert.deepEqual(created.body.errors, []);
  const done = env.waitTerminal(created.body.id);
  assert.equal((await env.api('POST', `/api/runs/${created.body.id}/approve`, { token: admin })).status, 202);
  assert.equal(await done, 'Completed');
  const run = await env.api('GET', `/api/runs/${created.body.id}`, { token: admin });
  assert.deepEqual(run.body.steps.map((s: any) => [s.id, s.state]), [['create', 'Completed'], ['license', 'Completed'], ['groups', 'Completed'], ['welcome', 'Completed']]);
  const sam = tenant.user('sam.lee@contoso.com')!;
  assert.equal(sam.directLicenses.length, 1);
  assert.ok(tenant.data.groups.find((g) => g.displayName === 'Sales Team')!.memberIds.includes(sam.id));
  const mail = tenant.data.outbox.find((m) => m.toRecipients.includes('sam.lee@contoso.com'));
  assert.ok(mail, 'the welcome mail is in the outbox');
  assert.deepEqual([mail.fromUserId, mail.subject], [tenant.user('info@contoso.com')!.id, 'Welcome to Contoso, Sam Lee']);
  assert.doesNotMatch(mail.body.content, /password/i, 'sign-in details are handed over in person, never mailed');
});
