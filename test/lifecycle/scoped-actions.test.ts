// activateWithScope, cancelProcessing, previewWorkflow, previewTaskFailures, clearQuarantine and
// reprocessedRuns through the Graph-compatible API: statuses, shapes, effects and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../../src/core/ids.ts';
import { newProcessing } from '../../src/lifecycle/scheduler.ts';
import { startLcwEnv, LCW, type LcwEnv } from './harness.ts';

let env: LcwEnv;
before(async () => { env = await startLcwEnv('scoped'); });
after(async () => { await env.close(); });

const NS = 'microsoft.graph.identityGovernance';
const REVOKE = '509589a4-0466-4471-829e-49c5e502bdee';
const REMOVE_ALL_PACKAGES = '42ae2956-193d-4f39-be06-691b8ac4fa1d';
const path = (p: string) => `/graph/contoso/v1.0${LCW}${p}`;
const post = (p: string, body?: unknown) => env.call('POST', path(p), { token: env.admin, ...(body !== undefined ? { body } : {}) });
const get = async (p: string) => {
  const r = await env.call('GET', path(p), { token: env.admin });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};

function members(n: number) {
  const tenant = env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
  return tenant.data.users.filter((u) => u.accountEnabled && u.userType === 'Member' && u.mail && !u.onPremisesSyncEnabled).slice(0, n);
}

function assertBadRequest(r: { status: number; body: any }, message: RegExp) {
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(typeof r.body.error.code, 'string');
  assert.match(r.body.error.message, message);
  assert.match(r.body.error.innerError['request-id'], /^[0-9a-f-]{36}$/);
}

async function workflow(displayName: string, tasks: unknown[], executionConditions: unknown = { '@odata.type': `#${NS}.onDemandExecutionOnly` }) {
  const r = await post('/workflows', { category: 'leaver', displayName, isEnabled: true, isSchedulingEnabled: false, executionConditions, tasks });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { id: string; version: number };
}

const task = (displayName: string, taskDefinitionId: string) => ({ continueOnError: false, displayName, isEnabled: true, taskDefinitionId, arguments: [] });

test('activateWithScope (user scope) runs as activatedWithScope; a run scope re-processes only failed users and tasks, linked by reprocessedRuns', async () => {
  const users = members(2);
  const wf = await workflow('Scoped leaver', [task('Revoke', REVOKE), task('Remove access packages', REMOVE_ALL_PACKAGES)]);
  const res = await post(`/workflows/${wf.id}/${NS}.activateWithScope`, { scope: { '@odata.type': `#${NS}.activateUserScope`, users: users.map((u) => ({ id: u.id })) } });
  assert.equal(res.status, 204);
  assert.equal(res.body, undefined);
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  const [run] = (await get(`/workflows/${wf.id}/runs`)).value;
  assert.deepEqual([run.workflowExecutionType, run.processingStatus, run.totalUsersCount, run.failedUsersCount], ['activatedWithScope', 'failed', 2, 2]);
  assert.equal(run.activatedOnScope['@odata.type'], `#${NS}.activateUserScope`);

  // Docs spell the action in lower case; the failed task is the only one processed again.
  const again = await post(`/workflows/${wf.id}/activatewithscope`, { scope: { '@odata.type': `${NS}.activateRunScope`, run: { id: run.id }, taskScope: 'failedTasks', userScope: 'failedUsers' } });
  assert.equal(again.status, 204, JSON.stringify(again.body));
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  const runs = (await get(`/workflows/${wf.id}/runs`)).value;
  assert.equal(runs.length, 2);
  const second = runs.find((r: any) => r.id !== run.id);
  assert.deepEqual([second.workflowExecutionType, second.totalUsersCount, second.totalTasksCount], ['activatedWithScope', 2, 2]);
  const retried = (await get(`/workflows/${wf.id}/runs/${second.id}/taskProcessingResults`)).value;
  assert.deepEqual([...new Set(retried.map((t: any) => t.task.displayName))], ['Remove access packages']);

  const reprocessed = await get(`/workflows/${wf.id}/runs/${run.id}/reprocessedRuns`);
  assert.match(reprocessed['@odata.context'], /reprocessedRuns$/);
  assert.deepEqual(reprocessed.value.map((r: any) => r.id), [second.id]);
  assert.deepEqual((await get(`/workflows/${wf.id}/runs/${second.id}/reprocessedRuns`)).value, []);
  const [firstUser] = (await get(`/workflows/${wf.id}/runs/${run.id}/userProcessingResults`)).value;
  assert.deepEqual((await get(`/workflows/${wf.id}/runs/${run.id}/userProcessingResults/${firstUser.id}/reprocessedRuns`)).value.map((r: any) => r.id), [second.id]);

  // A processing-result scope names single results.
  const third = await post(`/workflows/${wf.id}/activateWithScope`, { scope: { '@odata.type': `#${NS}.activateProcessingResultScope`, processingResults: [{ id: firstUser.id }], taskScope: 'allTasks' } });
  assert.equal(third.status, 204, JSON.stringify(third.body));
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  const linked = (await get(`/workflows/${wf.id}/runs/${run.id}/userProcessingResults/${firstUser.id}/reprocessedRuns`)).value;
  assert.equal(linked.length, 2);
  assert.ok(linked.every((r: any) => r.totalUsersCount >= 1));

  assertBadRequest(await post(`/workflows/${wf.id}/activateWithScope`, { scope: { '@odata.type': `#${NS}.somethingElse` } }), /activationScope/);
  assertBadRequest(await post(`/workflows/${wf.id}/activateWithScope`, {}), /scope is required/);
  assertBadRequest(await post(`/workflows/${wf.id}/activateWithScope`, { scope: { '@odata.type': `#${NS}.activateRunScope`, run: { id: run.id }, taskScope: 'someTasks', userScope: 'allUsers' } }), /taskScope/);
  assertBadRequest(await post(`/workflows/${wf.id}/activateWithScope`, { scope: { '@odata.type': `#${NS}.activateUserScope`, users: [{ id: newId() }] } }), /not a user/);
  assertBadRequest(await post(`/workflows/${wf.id}/activateWithScope`, '{"scope":'), /Invalid JSON/);
  assert.equal((await env.call('GET', path(`/workflows/${wf.id}/runs/${newId()}/reprocessedRuns`), { token: env.admin })).status, 404);
});

test('activateWithScope (group scope) processes the group\'s user members', async () => {
  const tenant = env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
  const userIds = new Set(tenant.data.users.map((u) => u.id));
  const group = tenant.data.groups.find((g) => !g.groupTypes.includes('DynamicMembership') && g.memberIds.length >= 2 && g.memberIds.length <= 10 && g.memberIds.every((m) => userIds.has(m)))!;
  assert.ok(group, 'the demo tenant has a small static group of users');
  const groupId = group.id;
  const wf = await workflow('Group scoped leaver', [task('Revoke', REVOKE)]);
  const res = await post(`/workflows/${wf.id}/activateWithScope`, { scope: { '@odata.type': `#${NS}.activateGroupScope`, group: { id: groupId } } });
  assert.equal(res.status, 204, JSON.stringify(res.body));
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  const [run] = (await get(`/workflows/${wf.id}/runs`)).value;
  assert.deepEqual([run.workflowExecutionType, run.totalUsersCount], ['activatedWithScope', group.memberIds.length]);
  assert.deepEqual(run.activatedOnScope, { '@odata.type': `#${NS}.activateGroupScope`, group: { id: groupId } });
  const subjects = (await get(`/workflows/${wf.id}/runs/${run.id}/userProcessingResults`)).value.map((u: any) => u.subject.id).sort();
  assert.deepEqual(subjects, [...group.memberIds].sort());
  assertBadRequest(await post(`/workflows/${wf.id}/activateWithScope`, { scope: { '@odata.type': `#${NS}.activateGroupScope`, group: { id: newId() } } }), /does not exist in this tenant or has no user members/);
  assertBadRequest(await post(`/workflows/${wf.id}/activateWithScope`, { scope: { '@odata.type': `#${NS}.activateGroupScope` } }), /scope\.group is required/);
});

test('cancelProcessing freezes queued runs as canceled; finished runs cannot be canceled', async () => {
  const users = members(2);
  const wf = await workflow('Cancelable leaver', [task('Revoke', REVOKE)]);
  const full = (await env.rt.lifecycle.repo.workflow(env.contosoId, wf.id))!;
  const runId = newId();
  const now = env.clock.date();
  // Scheduled but not handed to the processor: the run stays queued until canceled.
  await env.rt.lifecycle.results.createRun(
    { id: runId, tenantId: env.contosoId, workflowId: wf.id, workflowVersion: 1, executionType: 'onDemand', scheduledAt: now, activatedOnScope: null },
    newProcessing(full, runId, 'onDemand', now, users.map((u) => ({ user: { id: u.id, displayName: u.displayName, userPrincipalName: u.userPrincipalName, mail: u.mail }, triggerKey: `test:${runId}` }))),
  );
  assert.equal((await get(`/workflows/${wf.id}/runs/${runId}`)).processingStatus, 'queued');
  const res = await post(`/workflows/${wf.id}/${NS}.cancelProcessing`, { scope: { '@odata.type': `#${NS}.cancelRunsScope`, runs: [{ id: runId }] } });
  assert.equal(res.status, 204, JSON.stringify(res.body));
  assert.equal((await get(`/workflows/${wf.id}/runs/${runId}`)).processingStatus, 'canceled');
  const urs = (await get(`/workflows/${wf.id}/runs/${runId}/userProcessingResults`)).value;
  assert.deepEqual(urs.map((u: any) => u.processingStatus), ['canceled', 'canceled']);
  const tprs = (await get(`/workflows/${wf.id}/runs/${runId}/taskProcessingResults`)).value;
  assert.ok(tprs.every((t: any) => t.processingStatus === 'canceled' && /cancelProcessing/.test(t.processingInfo)));
  await env.rt.lifecycle.tick();
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  assert.deepEqual((await get(`/workflows/${wf.id}/runs/${runId}/userProcessingResults`)).value.map((u: any) => u.processingStatus), ['canceled', 'canceled'], 'a canceled user is never dispatched');

  assertBadRequest(await post(`/workflows/${wf.id}/cancelProcessing`, { scope: { runs: [{ id: runId }] } }), /only queued or in-progress/);
  assertBadRequest(await post(`/workflows/${wf.id}/cancelProcessing`, { scope: { runs: [{ id: newId() }] } }), /not a run of this workflow/);
  assertBadRequest(await post(`/workflows/${wf.id}/cancelProcessing`, { scope: { runs: [] } }), /scope\.runs/);
});

test('previewWorkflow records a preview run of who would be processed and executes nothing', async () => {
  const [a, b] = members(2);
  const department = 'Preview Department';
  const stored = env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!.data.users.find((u) => u.id === a!.id)!;
  Object.assign(stored, { department, employeeLeaveDateTime: new Date(env.clock.now() - 3_600_000).toISOString() });
  const wf = await workflow('Preview leaver', [task('Revoke', REVOKE)], {
    '@odata.type': `#${NS}.triggerAndScopeBasedConditions`,
    scope: { '@odata.type': `#${NS}.ruleBasedSubjectSet`, rule: `(department eq '${department}')` },
    trigger: { '@odata.type': `#${NS}.timeBasedAttributeTrigger`, timeBasedAttribute: 'employeeLeaveDateTime', offsetInDays: 0 },
  });
  const res = await post(`/workflows/${wf.id}/${NS}.previewWorkflow`, { subjects: [{ id: a!.id }, { id: b!.id }] });
  assert.equal(res.status, 204, JSON.stringify(res.body));
  const [run] = (await get(`/workflows/${wf.id}/runs`)).value;
  assert.deepEqual([run.workflowExecutionType, run.totalUsersCount, run.successfulUsersCount], ['preview', 2, 1]);
  const urs = (await get(`/workflows/${wf.id}/runs/${run.id}/userProcessingResults`)).value;
  assert.equal(urs.find((u: any) => u.subject.id === a!.id).processingStatus, 'completed');
  assert.equal(urs.find((u: any) => u.subject.id === b!.id).processingStatus, 'canceled');
  const tprs = (await get(`/workflows/${wf.id}/runs/${run.id}/taskProcessingResults`)).value;
  assert.ok(tprs.every((t: any) => t.processingStatus === 'canceled' && /^Preview/.test(t.processingInfo)), 'no task ran');
  assert.match(tprs.find((t: any) => t.subject.id === b!.id).processingInfo, /outside the scope rule/);
  assert.equal(env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!.data.users.find((u) => u.id === a!.id)!.accountEnabled, true);
  assertBadRequest(await post(`/workflows/${wf.id}/activateWithScope`, { scope: { '@odata.type': `#${NS}.activateRunScope`, run: { id: run.id }, taskScope: 'allTasks', userScope: 'allUsers' } }), /is a preview/);
  assertBadRequest(await post(`/workflows/${wf.id}/previewWorkflow`, {}), /subjects is required/);
  assertBadRequest(await post(`/workflows/${wf.id}/previewWorkflow`, { subjects: Array.from({ length: 11 }, () => ({ id: newId() })) }), /at most 10/);
});

test('previewTaskFailures lists tasks that would fail for anyone; clearQuarantine returns the workflow', async () => {
  const wf = await workflow('Failing tasks leaver', [task('Revoke', REVOKE), task('Remove access packages', REMOVE_ALL_PACKAGES)]);
  const tasks = (await get(`/workflows/${wf.id}/tasks`)).value;
  const res = await post(`/workflows/${wf.id}/${NS}.previewTaskFailures`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.match(res.body['@odata.context'], /previewFailedTask/);
  assert.equal(res.body.value.length, 1);
  const [f] = res.body.value;
  assert.deepEqual(Object.keys(f).sort(), ['definitionId', 'failureReason', 'name', 'taskId']);
  assert.deepEqual([f.definitionId, f.name, f.taskId], [REMOVE_ALL_PACKAGES, 'Remove access packages', tasks[1].id]);
  assert.match(f.failureReason, /Access package/);
  const ok = await workflow('Healthy leaver', [task('Revoke', REVOKE)]);
  assert.deepEqual((await post(`/workflows/${ok.id}/previewTaskFailures`)).body.value, []);

  const cleared = await post(`/workflows/${ok.id}/${NS}.clearQuarantine`);
  assert.equal(cleared.status, 200);
  assert.deepEqual([cleared.body.id, cleared.body.version, cleared.body.isEnabled], [ok.id, 1, true]);
  const missing = await post(`/workflows/${newId()}/clearQuarantine`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'ResourceNotFound');
});
