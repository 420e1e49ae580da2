// Custom task extensions: the task calls the extension's HTTPS endpoint with Microsoft's payload,
// then waits for the resume callback (Microsoft's example body, sent with the Graph SDK to the
// callbackUriPath it received), within the configured timeout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { GraphError } from '@microsoft/microsoft-graph-client';
import { startLcwEnv, LCW, type LcwEnv } from './harness.ts';

let env: LcwEnv;
let server: Server;
let endpoint: string;
let answerStatus = 202;
let onCall: ((body: any) => Promise<number>) | undefined;
let state: Awaited<ReturnType<typeof setup>>;
const calls: any[] = [];
const waiting: Array<(body: any) => void> = [];
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

/** The next call the extension's endpoint receives. */
function nextCall(): Promise<any> {
  const ready = calls.shift();
  return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
}

before(async () => {
  env = await startLcwEnv('extension');
  server = createServer(env.tls, (req, res) => {
    let text = '';
    req.on('data', (c) => { text += c; });
    req.on('end', () => {
      void (async () => {
        const body = { method: req.method, contentType: req.headers['content-type'], ...JSON.parse(text) };
        // A Logic App may call back before it even answers the callout.
        const resumed = answerStatus < 300 && onCall ? await onCall(body) : undefined;
        res.writeHead(answerStatus).end();
        if (answerStatus >= 300) return;
        const w = waiting.shift();
        const seen = { ...body, resumed };
        if (w) w(seen); else calls.push(seen);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}/workflows/manager-access/triggers/manual/invoke?sig=test`;
  state = await setup();
});
after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await env.close();
});

const contoso = () => env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
const people = () => contoso().data.users.filter((u) => u.accountEnabled && u.userType === 'Member' && u.managerId && u.mail);

async function setup() {
  const sdk = env.sdk();
  const x = await sdk.api(`${LCW}/customTaskExtensions`).post(fixture('create-custom-task-extension.json'));
  const wf = await sdk.api(`${LCW}/workflows`).post({
    category: 'leaver', displayName: 'Grant manager access', isEnabled: true,
    executionConditions: { '@odata.type': '#microsoft.graph.identityGovernance.onDemandExecutionOnly' },
    tasks: [{ displayName: 'Run the Logic App', taskDefinitionId: '4262b724-8dba-4fad-afc3-43fcbb497a0e', arguments: [{ name: 'customTaskExtensionID', value: x.id }] }],
  });
  return { sdk, x, wf };
}

async function taskResultsOf(wfId: string, userId: string) {
  const users = await env.sdk().api(`${LCW}/workflows/${wfId}/userProcessingResults`).filter(`subject/id eq '${userId}'`).get();
  return { user: users.value[0], tasks: (await env.sdk().api(`${LCW}/workflows/${wfId}/userProcessingResults/${users.value[0].id}/taskProcessingResults`).get()).value };
}


test('an extension without an endpoint URL fails the task with the reason, never silently', async () => {
  const u = people()[0]!;
  await state.sdk.api(`${LCW}/workflows/${state.wf.id}/activate`).post({ subjects: [{ id: u.id }] });
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  const { user, tasks } = await taskResultsOf(state.wf.id, u.id);
  assert.equal(user.processingStatus, 'failed');
  assert.equal(tasks[0].processingStatus, 'failed');
  assert.match(tasks[0].failureReason, /has no endpointConfiguration\.url/);
});

test('the callout carries Microsoft\'s payload, the task waits, and resume completes it', async () => {
  await state.sdk.api(`${LCW}/customTaskExtensions/${state.x.id}`).patch({ endpointConfiguration: { ...state.x.endpointConfiguration, url: endpoint } });
  const u = people()[1]!;
  const manager = contoso().user(u.managerId!)!;
  await state.sdk.api(`${LCW}/workflows/${state.wf.id}/activate`).post({ subjects: [{ id: u.id }] });
  const call = await nextCall();
  assert.deepEqual([call.method, call.contentType, call.type], ['POST', 'application/json', 'lifecycleEvent']);
  const d = call.data;
  assert.deepEqual(d.subject, { id: u.id, displayName: u.displayName, email: u.mail, userPrincipalName: u.userPrincipalName, manager: { id: manager.id, displayName: manager.displayName, email: manager.mail } });
  assert.deepEqual([d.workflow.id, d.workflow.displayName, d.workflow.workflowVersion], [state.wf.id, 'Grant manager access', 1]);
  assert.equal(d.task.displayName, 'Run the Logic App');
  assert.equal(d.callbackUriPath, `/identityGovernance/lifecycleWorkflows/workflows/${state.wf.id}/tasks/${d.task.id}/taskProcessingResults/${d.taskProcessingResult.id}/resume`);
  const { tasks } = await taskResultsOf(state.wf.id, u.id);
  assert.deepEqual([tasks[0].id, tasks[0].processingStatus], [d.taskProcessingResult.id, 'inProgress'], 'the task waits for the callback');

  // What the Logic App does: POST https://graph…/beta{callbackUriPath} with Microsoft's example body.
  const beta = env.sdk({ version: 'beta' });
  await beta.api(d.callbackUriPath).post(fixture('resume.json'));
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  const done = await taskResultsOf(state.wf.id, u.id);
  assert.deepEqual([done.user.processingStatus, done.tasks[0].processingStatus, done.tasks[0].failureReason], ['completed', 'completed', null]);
  try {
    await beta.api(`${d.callbackUriPath.replace(/\/resume$/, '')}/microsoft.graph.identityGovernance.resume`).post(fixture('resume.json'));
    assert.fail('a second resume must be refused');
  } catch (e) {
    const err = e as GraphError;
    assert.equal(err.statusCode, 400);
    assert.match(err.message, /only one in progress can be resumed/);
  }
});

test('resume with operationStatus failed fails the task', async () => {
  const u = people()[2]!;
  await state.sdk.api(`${LCW}/workflows/${state.wf.id}/activate`).post({ subjects: [{ id: u.id }] });
  const call = await nextCall();
  const bad = await env.call('POST', `/graph/contoso/v1.0${call.data.callbackUriPath}`, { token: env.admin, body: { data: { operationStatus: 'Maybe' } } });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /operationStatus must be 'completed' or 'failed'/);
  const res = await env.call('POST', `/graph/contoso/v1.0${call.data.callbackUriPath}`, { token: env.admin, body: { data: { operationStatus: 'Failed' }, source: 'sample', type: 'lifecycleEvent' } });
  assert.equal(res.status, 204);
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  const { user, tasks } = await taskResultsOf(state.wf.id, u.id);
  assert.deepEqual([user.processingStatus, tasks[0].processingStatus], ['failed', 'failed']);
  assert.match(tasks[0].failureReason, /reported operationStatus 'failed'/);
});

test('a callback that arrives before the callout is even answered is accepted', async () => {
  const u = people()[4]!;
  onCall = async (body) => (await env.call('POST', `/graph/contoso/v1.0${body.data.callbackUriPath}`, { token: env.admin, body: { data: { operationStatus: 'Completed' }, source: 'sample', type: 'lifecycleEvent' } })).status;
  try {
    await state.sdk.api(`${LCW}/workflows/${state.wf.id}/activate`).post({ subjects: [{ id: u.id }] });
    const call = await nextCall();
    assert.equal(call.resumed, 204, 'the immediate resume was accepted');
  } finally {
    onCall = undefined;
  }
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  const { user, tasks } = await taskResultsOf(state.wf.id, u.id);
  assert.deepEqual([user.processingStatus, tasks[0].processingStatus], ['completed', 'completed']);
});

test('without a callback within the timeout the task fails', async () => {
  const u = people()[3]!;
  await state.sdk.api(`${LCW}/workflows/${state.wf.id}/activate`).post({ subjects: [{ id: u.id }] });
  await nextCall();
  env.clock.advance(5 * 60_000 + 1000);
  await env.rt.lifecycle.tick();
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  const { tasks } = await taskResultsOf(state.wf.id, u.id);
  assert.equal(tasks[0].processingStatus, 'failed');
  assert.match(tasks[0].failureReason, /did not call back \(resume\) within 5 minutes/);
});

test('without a callbackConfiguration the task completes once the endpoint accepts the call; an endpoint error fails it', async () => {
  await state.sdk.api(`${LCW}/customTaskExtensions/${state.x.id}`).patch({ callbackConfiguration: null });
  const u = people()[4]!;
  await state.sdk.api(`${LCW}/workflows/${state.wf.id}/activate`).post({ subjects: [{ id: u.id }] });
  await nextCall();
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  assert.equal((await taskResultsOf(state.wf.id, u.id)).tasks[0].processingStatus, 'completed');

  answerStatus = 500;
  const v = people()[5]!;
  await state.sdk.api(`${LCW}/workflows/${state.wf.id}/activate`).post({ subjects: [{ id: v.id }] });
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  const { tasks } = await taskResultsOf(state.wf.id, v.id);
  assert.equal(tasks[0].processingStatus, 'failed');
  assert.match(tasks[0].failureReason, /answered HTTP 500 after 2 attempt\(s\)/);
  answerStatus = 202;
  // The extension is in use, so it cannot be deleted.
  const del = await env.call('DELETE', `/graph/contoso/v1.0${LCW}/customTaskExtensions/${state.x.id}`, { token: env.admin });
  assert.equal(del.status, 400);
  assert.match(del.body.error.message, /used by 'Grant manager access'/);
});
