// Movers: a workflow fires when a watched attribute changes (department, PATCHed in the emulator
// through Graph) or when group membership changes, once per change; and every scheduled user is
// re-checked just before processing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../../src/core/ids.ts';
import { newProcessing } from '../../src/lifecycle/scheduler.ts';
import { startLcwEnv, LCW, type LcwEnv } from './harness.ts';

const HOUR = 3_600_000;
let env: LcwEnv;

before(async () => { env = await startLcwEnv('mover'); });
after(async () => { await env.close(); });

const contoso = () => env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
const groupNamed = (name: string) => contoso().data.groups.find((g) => g.displayName === name)!;
const graph = () => env.rt.connector.graph(env.contosoId);

/** Runs the next pass (the clock moves one interval) and waits for its users to be processed. */
async function nextPass() {
  env.clock.advance(3 * HOUR);
  const [r] = (await env.rt.lifecycle.tick()).filter((x) => x.tenantId === env.contosoId);
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  return r!;
}

test('a mover workflow fires on a department change, for the moved user only, once', async () => {
  const marketing = groupNamed('Marketing');
  const sdk = env.sdk();
  const wf = await sdk.api(`${LCW}/workflows`).post({
    category: 'mover', displayName: 'Joined Marketing', isEnabled: true, isSchedulingEnabled: true,
    executionConditions: {
      '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions',
      scope: { '@odata.type': '#microsoft.graph.identityGovernance.ruleBasedSubjectSet', rule: "department eq 'Marketing'" },
      trigger: { '@odata.type': '#microsoft.graph.identityGovernance.attributeChangeTrigger', triggerAttributes: [{ name: 'department' }] },
    },
    tasks: [
      { displayName: 'Tell the manager', taskDefinitionId: 'aab41899-9972-422a-9d97-f626014578b7', arguments: [] },
      { displayName: 'Join the Marketing team', taskDefinitionId: 'e440ed8d-25a1-4618-84ce-091ed5be5594', arguments: [{ name: 'teamID', value: marketing.id }] },
    ],
  });
  const first = await nextPass();
  assert.deepEqual(first.scheduled, {}, 'the first pass only records what it saw');

  const mover = contoso().data.users.find((u) => u.department === 'Finance' && u.accountEnabled && !u.employeeLeaveDateTime && u.managerId && !marketing.memberIds.includes(u.id))!;
  const other = contoso().data.users.find((u) => u.department === 'Operations' && u.accountEnabled && u.id !== mover.id)!;
  await graph().patch(`/users/${mover.id}`, { department: 'Marketing' });
  await graph().patch(`/users/${other.id}`, { department: 'Finance' });
  const outbox = contoso().data.outbox.length;

  const second = await nextPass();
  assert.equal(second.scheduled[wf.id], 1, 'the user who moved into Marketing, not the one who moved elsewhere');
  const users = await sdk.api(`${LCW}/workflows/${wf.id}/userProcessingResults`).get();
  assert.deepEqual(users.value.map((u: any) => [u.subject.id, u.processingStatus]), [[mover.id, 'completed']]);
  assert.ok(groupNamed('Marketing').memberIds.includes(mover.id), 'added to the team\'s group');
  const mail = contoso().data.outbox.slice(outbox);
  assert.equal(mail.length, 1);
  assert.equal(mail[0]!.toRecipients[0], contoso().user(mover.managerId!)!.mail);
  assert.match(mail[0]!.body.content, /department Marketing/);

  const third = await nextPass();
  assert.deepEqual(third.scheduled, {}, 'no change since the last pass');
  assert.equal((await sdk.api(`${LCW}/workflows/${wf.id}/runs`).get()).value.length, 1);
  await sdk.api(`${LCW}/workflows/${wf.id}`).patch({ isSchedulingEnabled: false });
});

test('a membership change trigger fires for users added to the scoped group', async () => {
  const vpn = groupNamed('VPN Users');
  const sdk = env.sdk();
  const wf = await sdk.api(`${LCW}/workflows`).post({
    category: 'mover', displayName: 'VPN access granted', isEnabled: true, isSchedulingEnabled: true,
    executionConditions: {
      '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions',
      scope: { '@odata.type': '#microsoft.graph.identityGovernance.groupBasedSubjectSet', groups: [{ id: vpn.id }] },
      trigger: { '@odata.type': '#microsoft.graph.identityGovernance.membershipChangeTrigger', changeType: 'add' },
    },
    tasks: [{ displayName: 'Revoke sessions so the new access applies', taskDefinitionId: '509589a4-0466-4471-829e-49c5e502bdee', arguments: [] }],
  });
  assert.deepEqual((await nextPass()).scheduled, {});
  const joiner = contoso().data.users.find((u) => u.accountEnabled && u.userType === 'Member' && !vpn.memberIds.includes(u.id))!;
  await graph().post(`/groups/${vpn.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${joiner.id}` });
  const pass = await nextPass();
  assert.equal(pass.scheduled[wf.id], 1);
  const users = await sdk.api(`${LCW}/workflows/${wf.id}/userProcessingResults`).get();
  assert.deepEqual(users.value.map((u: any) => [u.subject.id, u.processingStatus]), [[joiner.id, 'completed']]);
  assert.deepEqual((await nextPass()).scheduled, {});
  await sdk.api(`${LCW}/workflows/${wf.id}`).patch({ isEnabled: false });
});

test('a user who no longer meets the conditions just before processing is canceled, and nothing runs', async () => {
  const sdk = env.sdk();
  const wf = await sdk.api(`${LCW}/workflows`).post({
    category: 'leaver', displayName: 'Leavers today', isEnabled: true, isSchedulingEnabled: true,
    executionConditions: {
      '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions',
      scope: { '@odata.type': '#microsoft.graph.identityGovernance.ruleBasedSubjectSet', rule: "userType eq 'Member'" },
      trigger: { '@odata.type': '#microsoft.graph.identityGovernance.timeBasedAttributeTrigger', timeBasedAttribute: 'employeeLeaveDateTime', offsetInDays: 0 },
    },
    tasks: [{ displayName: 'Disable', taskDefinitionId: '1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950', arguments: [] }],
  });
  const user = contoso().data.users.find((u) => u.accountEnabled && u.userType === 'Member' && !u.employeeLeaveDateTime && !u.onPremisesSyncEnabled)!;
  const leave = new Date(env.clock.now() - HOUR).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await graph().patch(`/users/${user.id}`, { employeeLeaveDateTime: leave });
  // Scheduled as a pass would, then the leave date moves before the processor gets to the user.
  const lc = env.rt.lifecycle;
  const workflow = (await lc.repo.workflow(env.contosoId, wf.id))!;
  const runId = newId();
  const [scheduled] = await lc.results.createRun(
    { id: runId, tenantId: env.contosoId, workflowId: wf.id, workflowVersion: 1, executionType: 'scheduled', scheduledAt: env.clock.date(), activatedOnScope: null },
    newProcessing(workflow, runId, 'scheduled', env.clock.date(), [{ user: { id: user.id, userPrincipalName: user.userPrincipalName }, triggerKey: new Date(Date.parse(leave)).toISOString() }]),
  );
  await graph().patch(`/users/${user.id}`, { employeeLeaveDateTime: new Date(env.clock.now() + 30 * 24 * HOUR).toISOString().replace(/\.\d{3}Z$/, 'Z') });
  lc.processor.enqueue([scheduled!.id]);
  await lc.settled({ tenantId: env.contosoId, runId });
  const result = (await sdk.api(`${LCW}/workflows/${wf.id}/userProcessingResults/${scheduled!.id}`).get());
  assert.equal(result.processingStatus, 'canceled');
  const tasks = await sdk.api(`${LCW}/workflows/${wf.id}/userProcessingResults/${scheduled!.id}/taskProcessingResults`).get();
  assert.deepEqual(tasks.value.map((t: any) => [t.processingStatus, t.processingInfo]), [['canceled', 'The user no longer meets the workflow\'s execution conditions.']]);
  assert.equal(contoso().user(user.id)!.accountEnabled, true, 'the task did not run');
  const run = await sdk.api(`${LCW}/workflows/${wf.id}/runs/${runId}`).get();
  assert.equal(run.processingStatus, 'completedWithErrors', 'a run whose every user was canceled is completedWithErrors, as Microsoft reports it');
});
