// Conformance: Microsoft's Graph SDK drives Tenantflow's lifecycle workflows API with the request
// bodies of Microsoft's documentation examples (fixtures/), in both the short and the
// namespace-qualified action forms, and gets Graph's shapes, statuses and errors back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PageIterator, type GraphError } from '@microsoft/microsoft-graph-client';
import { startLcwEnv, LCW, type LcwEnv } from './harness.ts';

let env: LcwEnv;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

before(async () => { env = await startLcwEnv('graphapi'); });
after(async () => { await env.close(); });

async function graphError(p: Promise<unknown>): Promise<GraphError & { body: any }> {
  try {
    await p;
  } catch (e) {
    const err = e as GraphError & { body: any };
    err.body = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
    return err;
  }
  assert.fail('the call should have failed');
}

function assertGraphErrorShape(body: any) {
  assert.equal(typeof body.code, 'string');
  assert.equal(typeof body.message, 'string');
  assert.match(body.innerError.date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  assert.match(body.innerError['request-id'], /^[0-9a-f-]{36}$/);
  assert.ok(body.innerError['client-request-id']);
}

test('create: Microsoft\'s example bodies give 201 and a workflow at version 1, tasks on $expand', async () => {
  const sdk = env.sdk();
  const created = await sdk.api(`${LCW}/workflows`).post(fixture('create-workflow.json'));
  assert.match(created['@odata.context'], /\$metadata#identityGovernance\/lifecycleWorkflows\/workflows\/\$entity$/);
  assert.deepEqual([created.category, created.displayName, created.version, created.isEnabled, created.isSchedulingEnabled, created.deletedDateTime], ['joiner', 'Australia Onboard new hire employee', 1, true, true, null]);
  assert.equal(created.tasks, undefined, 'tasks are a navigation property');
  assert.ok(created.nextScheduleRunDateTime, 'scheduled workflows say when the next pass is');
  const withTasks = await sdk.api(`${LCW}/workflows/${created.id}`).expand('tasks').get();
  assert.deepEqual(withTasks.tasks.map((t: any) => [t.displayName, t.executionSequence, t.category, t.taskDefinitionId]), [
    ['Enable User Account', 1, 'joiner,leaver', '6fc52c9d-398b-4305-9763-15f42c1676fc'],
    ['Send Welcome Email', 2, 'joiner', '70b29d51-b59a-4773-9280-8841dfd3f2ea'],
  ]);
  const custom = await sdk.api(`${LCW}/workflows`).post(fixture('create-workflow-custom-email.json'));
  const tasks = await sdk.api(`${LCW}/workflows/${custom.id}/tasks`).get();
  assert.deepEqual(tasks.value[1].arguments.find((a: any) => a.name === 'customSubject'), { name: 'customSubject', value: 'Welcome to the organization {{userDisplayName}}!' });
  const beta = await env.sdk({ version: 'beta' }).api(`${LCW}/workflows/${custom.id}`).get();
  assert.equal(beta.id, custom.id, 'the beta endpoint serves the same workflows');
});

test('createNewVersion: short and namespaced forms, version increments, old versions stay as they were', async () => {
  const sdk = env.sdk();
  const body = fixture('create-new-version.json');
  const wf = await sdk.api(`${LCW}/workflows`).post({ ...body.workflow, displayName: 'Versioned onboarding' });
  const v1Tasks = await sdk.api(`${LCW}/workflows/${wf.id}/tasks`).get();
  const v2 = await sdk.api(`${LCW}/workflows/${wf.id}/createNewVersion`).post(body);
  assert.equal(v2.version, 2);
  assert.equal(v2.displayName, 'Global onboard new hire employee');
  assert.equal(v2.executionConditions.trigger.offsetInDays, 1);
  const changed = structuredClone(body);
  changed.workflow.tasks = [changed.workflow.tasks[0]];
  changed.workflow.executionConditions.scope.rule = "(department eq 'Sales')";
  const v3 = await sdk.api(`${LCW}/workflows/${wf.id}/microsoft.graph.identityGovernance.createNewVersion`).post(changed);
  assert.equal(v3.version, 3);
  const versions = await sdk.api(`${LCW}/workflows/${wf.id}/versions`).get();
  assert.deepEqual(versions.value.map((v: any) => v.versionNumber), [1, 2, 3]);
  const first = await sdk.api(`${LCW}/workflows/${wf.id}/versions/1/tasks`).get();
  assert.deepEqual(first.value.map((t: any) => t.id), v1Tasks.value.map((t: any) => t.id), 'version 1 keeps its tasks');
  assert.equal((await sdk.api(`${LCW}/workflows/${wf.id}/versions/3`).get()).executionConditions.scope.rule, "(department eq 'Sales')");
  assert.equal((await sdk.api(`${LCW}/workflows/${wf.id}/tasks`).get()).value.length, 1);
  // Microsoft's second example sends the workflow without the "workflow" wrapper; it is accepted too.
  const bare = await sdk.api(`${LCW}/workflows/${wf.id}/createNewVersion`).post({ ...body.workflow, displayName: 'Versioned onboarding' });
  assert.equal(bare.version, 4);
  const err = await graphError(sdk.api(`${LCW}/workflows/${wf.id}/createNewVersion`).post({ workflow: { ...body.workflow, category: 'leaver' } }));
  assert.equal(err.statusCode, 400);
  assert.match(err.body.message, /category of a workflow cannot change/);
  assert.equal((await graphError(sdk.api(`${LCW}/workflows/${wf.id}/versions/9`).get())).statusCode, 404);
});

test('PATCH changes only displayName, description, isEnabled and isSchedulingEnabled; everything else is refused', async () => {
  const sdk = env.sdk();
  const wf = await sdk.api(`${LCW}/workflows`).post({ ...fixture('create-workflow.json'), displayName: 'Patchable' });
  await sdk.api(`${LCW}/workflows/${wf.id}`).patch({ displayName: 'Patched', description: 'New text', isSchedulingEnabled: false });
  let now = await sdk.api(`${LCW}/workflows/${wf.id}`).get();
  assert.deepEqual([now.displayName, now.description, now.isSchedulingEnabled, now.version, now.nextScheduleRunDateTime], ['Patched', 'New text', false, 1, null]);
  await sdk.api(`${LCW}/workflows/${wf.id}`).patch({ isEnabled: false });
  now = await sdk.api(`${LCW}/workflows/${wf.id}`).get();
  assert.equal(now.isEnabled, false);
  const forbidden: Record<string, unknown> = {
    tasks: [], executionConditions: { '@odata.type': '#microsoft.graph.identityGovernance.onDemandExecutionOnly' }, category: 'leaver', id: wf.id,
    version: 5, createdDateTime: '2020-01-01T00:00:00Z', lastModifiedDateTime: '2020-01-01T00:00:00Z', deletedDateTime: null, nextScheduleRunDateTime: null,
    settings: {}, unknownProperty: 1,
  };
  for (const [prop, value] of Object.entries(forbidden)) {
    const err = await graphError(sdk.api(`${LCW}/workflows/${wf.id}`).patch({ displayName: 'x', [prop]: value }));
    assert.equal(err.statusCode, 400, prop);
    assert.equal(err.body.code, 'invalidRequest');
    assert.match(err.body.message, new RegExp(`Property '${prop}' cannot be updated with PATCH.*createNewVersion`), prop);
    assertGraphErrorShape(err.body);
  }
  const err = await graphError(sdk.api(`${LCW}/workflows/${wf.id}`).patch({ isSchedulingEnabled: true }));
  assert.match(err.body.message, /isSchedulingEnabled cannot be true while isEnabled is false/);
  assert.equal((await sdk.api(`${LCW}/workflows/${wf.id}`).get()).displayName, 'Patched', 'a refused PATCH changes nothing');
  // A task's displayName and description change in place; nothing else does.
  const [task] = (await sdk.api(`${LCW}/workflows/${wf.id}/tasks`).get()).value;
  await sdk.api(`${LCW}/workflows/${wf.id}/tasks/${task.id}`).patch({ displayName: 'Enable the account' });
  assert.equal((await sdk.api(`${LCW}/workflows/${wf.id}/tasks/${task.id}`).get()).displayName, 'Enable the account');
  assert.equal((await graphError(sdk.api(`${LCW}/workflows/${wf.id}/tasks/${task.id}`).patch({ continueOnError: true }))).statusCode, 400);
});

test('activate: Microsoft\'s body (with demo users) runs the workflow on demand; reports follow', async () => {
  const sdk = env.sdk();
  const tenant = env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
  const users = tenant.data.users.filter((u) => u.accountEnabled && u.userType === 'Member' && u.mail && !u.onPremisesSyncEnabled).slice(0, 2);
  const wf = await sdk.api(`${LCW}/workflows`).post({
    category: 'leaver', displayName: 'Real-time revoke', isEnabled: true, isSchedulingEnabled: false,
    executionConditions: { '@odata.type': '#microsoft.graph.identityGovernance.onDemandExecutionOnly' },
    tasks: [{ continueOnError: false, displayName: 'Revoke', isEnabled: true, taskDefinitionId: '509589a4-0466-4471-829e-49c5e502bdee', arguments: [] }],
  });
  const body = fixture('activate.json');
  body.subjects = body.subjects.map((_: unknown, i: number) => ({ id: users[i]!.id }));
  const res = await env.call('POST', `/graph/contoso/v1.0${LCW}/workflows/${wf.id}/microsoft.graph.identityGovernance.activate`, { token: env.admin, body });
  assert.equal(res.status, 204);
  assert.equal(res.body, undefined);
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  const runs = await sdk.api(`${LCW}/workflows/${wf.id}/runs`).get();
  assert.equal(runs.value.length, 1);
  assert.deepEqual([runs.value[0].workflowExecutionType, runs.value[0].processingStatus, runs.value[0].totalUsersCount, runs.value[0].successfulUsersCount], ['onDemand', 'completed', 2, 2]);
  const run = await sdk.api(`${LCW}/workflows/${wf.id}/runs/${runs.value[0].id}`).get();
  assert.deepEqual(run.activatedOnScope.users.map((u: any) => u.id).sort(), users.map((u) => u.id).sort());
  const tasks = await sdk.api(`${LCW}/workflows/${wf.id}/runs/${run.id}/taskProcessingResults`).get();
  assert.deepEqual(tasks.value.map((t: any) => t.processingStatus), ['completed', 'completed']);
  // Activating again is a new on-demand run: on-demand runs are not deduplicated.
  await sdk.api(`${LCW}/workflows/${wf.id}/activate`).post(body);
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  assert.equal((await sdk.api(`${LCW}/workflows/${wf.id}/runs`).get()).value.length, 2);
  const eleven = { subjects: tenant.data.users.slice(0, 11).map((u) => ({ id: u.id })) };
  const err = await graphError(sdk.api(`${LCW}/workflows/${wf.id}/activate`).post(eleven));
  assert.equal(err.statusCode, 400);
  assert.match(err.body.message, /at most 10 users/);
  assert.match((await graphError(sdk.api(`${LCW}/workflows/${wf.id}/activate`).post({ subjects: [{ id: '00000000-0000-4000-8000-000000000000' }] }))).body.message, /not a user of this tenant/);
  await sdk.api(`${LCW}/workflows/${wf.id}`).patch({ isEnabled: false });
  assert.match((await graphError(sdk.api(`${LCW}/workflows/${wf.id}/activate`).post(body))).body.message, /disabled/);
});

test('collections: $filter, $select, $orderby, $count, $top and paging through @odata.nextLink', async () => {
  const sdk = env.sdk();
  const all = await sdk.api(`${LCW}/workflows`).count(true).get();
  assert.ok(all['@odata.count'] >= 5);
  const joiners = await sdk.api(`${LCW}/workflows`).filter("category eq 'joiner'").select('id,displayName,category').get();
  assert.ok(joiners.value.length >= 2);
  for (const w of joiners.value) assert.deepEqual(Object.keys(w).sort(), ['category', 'displayName', 'id']);
  const ordered = await sdk.api(`${LCW}/workflows`).orderby('displayName desc').get();
  const names = ordered.value.map((w: any) => w.displayName);
  assert.deepEqual(names, [...names].sort((a: string, b: string) => b.toLowerCase().localeCompare(a.toLowerCase())));
  const page = await sdk.api(`${LCW}/workflows`).top(2).count(true).get();
  assert.equal(page.value.length, 2);
  assert.ok(page['@odata.nextLink'].includes('$skiptoken='));
  const seen: string[] = [];
  await new PageIterator(sdk, page, (w: any) => { seen.push(w.id); return true; }).iterate();
  assert.equal(seen.length, all['@odata.count']);
  assert.equal(new Set(seen).size, seen.length, 'no workflow twice across pages');
  const defs = await sdk.api(`${LCW}/taskDefinitions`).filter("category has 'mover'").get();
  assert.ok(defs.value.some((d: any) => d.id === 'aab41899-9972-422a-9d97-f626014578b7'));
  assert.ok(defs.value.every((d: any) => d.category.split(',').includes('mover')));
  const templates = await sdk.api(`${LCW}/workflowTemplates`).filter("category eq 'leaver'").expand('tasks').get();
  assert.deepEqual(templates.value.map((t: any) => t.displayName).sort(), ['Offboard an employee', 'Post-Offboarding of an employee', 'Pre-Offboarding of an employee', 'Real-time employee termination']);
  const bad = await graphError(sdk.api(`${LCW}/workflows`).filter("category eq 'joiner").get());
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body.message, /Invalid filter clause/);
  assert.equal((await graphError(sdk.api(`${LCW}/workflows`).select('nope').get())).statusCode, 400);
  assert.equal((await graphError(sdk.api(`${LCW}/workflows`).expand('runs').get())).statusCode, 400);
});

test('deletedItems: soft delete, restore, permanent delete', async () => {
  const sdk = env.sdk();
  const wf = await sdk.api(`${LCW}/workflows`).post({ ...fixture('create-workflow.json'), displayName: 'To delete' });
  await sdk.api(`${LCW}/workflows/${wf.id}`).delete();
  assert.equal((await graphError(sdk.api(`${LCW}/workflows/${wf.id}`).get())).statusCode, 404);
  const deleted = await sdk.api(`${LCW}/deletedItems/workflows/${wf.id}`).get();
  assert.ok(deleted.deletedDateTime);
  assert.ok((await sdk.api(`${LCW}/deletedItems/workflows`).get()).value.some((w: any) => w.id === wf.id));
  assert.equal((await sdk.api(`${LCW}/deletedItems/workflows/${wf.id}/tasks`).get()).value.length, 2);
  const restored = await sdk.api(`${LCW}/deletedItems/workflows/${wf.id}/microsoft.graph.identityGovernance.restore`).post({});
  assert.deepEqual([restored.id, restored.deletedDateTime], [wf.id, null]);
  await sdk.api(`${LCW}/workflows/${wf.id}`).delete();
  await sdk.api(`${LCW}/deletedItems/workflows/${wf.id}`).delete();
  assert.equal((await graphError(sdk.api(`${LCW}/deletedItems/workflows/${wf.id}`).get())).statusCode, 404);
  assert.equal((await graphError(sdk.api(`${LCW}/workflows/${wf.id}/restore`).post({}))).statusCode, 404, 'a permanently deleted workflow cannot be restored');
});

test('settings: interval 1 to 24 (default 3) and email settings', async () => {
  const sdk = env.sdk({ tenant: 'fabrikam.onmicrosoft.com' });
  const s = await sdk.api(`${LCW}/settings`).get();
  assert.deepEqual([s.workflowScheduleIntervalInHours, s.emailSettings], [3, { senderDomain: null, useCompanyBranding: false }]);
  await sdk.api(`${LCW}/settings`).patch({ workflowScheduleIntervalInHours: 12, emailSettings: { senderDomain: 'fabrikam.com', useCompanyBranding: true } });
  const after = await sdk.api(`${LCW}/settings`).get();
  assert.deepEqual([after.workflowScheduleIntervalInHours, after.emailSettings], [12, { senderDomain: 'fabrikam.com', useCompanyBranding: true }]);
  for (const bad of [0, 25, 1.5, '3']) {
    const err = await graphError(sdk.api(`${LCW}/settings`).patch({ workflowScheduleIntervalInHours: bad }));
    assert.equal(err.statusCode, 400, String(bad));
  }
  assert.equal((await env.sdk().api(`${LCW}/settings`).get()).workflowScheduleIntervalInHours, 3, 'settings are per tenant');
});

test('permissions: Read.All for every role, ReadWrite.All for reviewers and admins, within the tenant scope', async () => {
  await env.call('POST', '/api/users', { token: env.admin, body: { username: 'lcw-tech', password: 'lcw-tech-password', role: 'technician', tenants: ['contoso'] } });
  await env.call('POST', '/api/users', { token: env.admin, body: { username: 'lcw-reviewer', password: 'lcw-reviewer-password', role: 'reviewer', tenants: ['contoso'] } });
  const tech = env.sdk({ token: await env.login('lcw-tech', 'lcw-tech-password') });
  assert.ok(Array.isArray((await tech.api(`${LCW}/workflows`).get()).value));
  const denied = await graphError(tech.api(`${LCW}/workflows`).post(fixture('create-workflow.json')));
  assert.equal(denied.statusCode, 403);
  assert.equal(denied.body.code, 'Authorization_RequestDenied');
  assert.match(denied.body.message, /LifecycleWorkflows.ReadWrite.All/);
  const reviewer = env.sdk({ token: await env.login('lcw-reviewer', 'lcw-reviewer-password') });
  const made = await reviewer.api(`${LCW}/workflows`).post({ ...fixture('create-workflow.json'), displayName: 'By a reviewer' });
  assert.equal(made.version, 1);
  const outOfScope = await env.call('GET', `/graph/fabrikam/v1.0${LCW}/workflows`, { token: await env.login('lcw-tech', 'lcw-tech-password') });
  assert.equal(outOfScope.status, 404);
  assertGraphErrorShape(outOfScope.body.error);
  const anonymous = await env.call('GET', `/graph/contoso/v1.0${LCW}/workflows`);
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.body.error.code, 'InvalidAuthenticationToken');
});

test('client mistakes get Graph\'s error shape and a 4xx, never a 500', async () => {
  const base = `/graph/contoso/v1.0${LCW}`;
  const cases: Array<[string, string, unknown, number, string]> = [
    ['POST', `${base}/workflows`, '{not json', 400, 'BadRequest'],
    ['POST', `${base}/workflows`, [], 400, 'invalidRequest'],
    ['POST', `${base}/workflows`, { ...fixture('create-workflow.json'), colour: 'red' }, 400, 'invalidRequest'],
    ['POST', `${base}/workflows`, { ...fixture('create-workflow.json'), executionConditions: { '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions', scope: { '@odata.type': '#microsoft.graph.identityGovernance.ruleBasedSubjectSet', rule: '(department eq )' }, trigger: fixture('create-workflow.json').executionConditions.trigger } }, 400, 'invalidRequest'],
    ['GET', `${base}/workflows/not-a-workflow`, undefined, 404, 'ResourceNotFound'],
    ['GET', `${base}/workflows/00000000-0000-4000-8000-000000000000/runs`, undefined, 404, 'ResourceNotFound'],
    ['GET', `${base}/nothingHere`, undefined, 400, 'BadRequest'],
    ['PUT', `${base}/workflows`, {}, 405, 'Request_BadRequest'],
    ['GET', `/graph/contoso/v2.0${LCW}/workflows`, undefined, 400, 'BadRequest'],
    ['GET', `${base}/workflows?$top=abc`, undefined, 400, 'BadRequest'],
    ['GET', `${base}/workflows?$skiptoken=garbage`, undefined, 400, 'BadRequest'],
    ['GET', `${base}/workflows/00000000-0000-4000-8000-000000000000/runs/summary(startDateTime=nope,endDateTime=2025-01-01T00:00:00Z)`, undefined, 404, 'ResourceNotFound'],
  ];
  for (const [method, path, body, status, code] of cases) {
    const r = await env.call(method, path, { token: env.admin, ...(body !== undefined ? { body } : {}) });
    assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, code, `${method} ${path}`);
    assertGraphErrorShape(r.body.error);
  }
  const rule = await env.call('POST', `${base}/workflows`, { token: env.admin, body: cases[3]![2] });
  assert.match(rule.body.error.message, /rule of the ruleBasedSubjectSet is invalid at position 16/);
  const echoed = await env.call('GET', `${base}/workflows/nope`, { token: env.admin, headers: { 'client-request-id': 'my-request-1' } });
  assert.equal(echoed.body.error.innerError['client-request-id'], 'my-request-1');
  assert.equal(echoed.headers.get('client-request-id'), 'my-request-1');
});
