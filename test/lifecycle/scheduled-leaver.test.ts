// Acceptance: a scheduled leaver workflow in the demo tenant — "7 days before employeeLeaveDateTime,
// department eq 'Sales'" — run with a test clock processes exactly the matching users, once, with
// correct reports at run, user and task level.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLcwEnv, LCW, type LcwEnv } from './harness.ts';
import { TENANTFLOW_TASK_IDS } from '../../src/lifecycle/task-definitions.ts';

const DAY = 86_400_000;
let env: LcwEnv;

before(async () => { env = await startLcwEnv('leaver'); });
after(async () => { await env.close(); });

function contoso() {
  return env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
}

/** Users the workflow must pick at time t: Sales (exactly), leave date − 7 days within the last 3 days. */
function expectedAt(t: number) {
  return contoso().data.users.filter((u) => {
    if (u.department !== 'Sales' || !u.employeeLeaveDateTime) return false;
    const fire = Date.parse(u.employeeLeaveDateTime) - 7 * DAY;
    return fire <= t && fire >= t - 3 * DAY;
  });
}

const leaverWorkflow = {
  category: 'leaver',
  displayName: 'Sales pre-offboarding',
  description: 'Seven days before a Sales employee leaves',
  isEnabled: true,
  isSchedulingEnabled: true,
  executionConditions: {
    '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions',
    scope: { '@odata.type': '#microsoft.graph.identityGovernance.ruleBasedSubjectSet', rule: "department eq 'Sales'" },
    trigger: { '@odata.type': '#microsoft.graph.identityGovernance.timeBasedAttributeTrigger', timeBasedAttribute: 'employeeLeaveDateTime', offsetInDays: -7 },
  },
  tasks: [
    { displayName: 'Tell the manager', taskDefinitionId: '52853a3e-f4e5-4eb8-bb24-1ac09a1da935', continueOnError: false, isEnabled: true, arguments: [] },
    { displayName: 'Revoke sessions', taskDefinitionId: '509589a4-0466-4471-829e-49c5e502bdee', continueOnError: false, isEnabled: true, arguments: [] },
    { displayName: 'Out of office', taskDefinitionId: TENANTFLOW_TASK_IDS.setOutOfOffice, continueOnError: false, isEnabled: true, arguments: [{ name: 'message', value: 'I am leaving; please contact my manager.' }] },
    // No catalog action exists for access packages: the task must fail visibly, and continueOnError lets the user finish.
    { displayName: 'Remove access package', taskDefinitionId: '4a0b64f2-c7ec-46ba-b117-18f262946c50', continueOnError: true, isEnabled: true, arguments: [{ name: 'accessPackageId', value: '00000000-0000-4000-8000-000000000001' }] },
    // A disabled task is not run and not reported.
    { displayName: 'Disabled', taskDefinitionId: '1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950', continueOnError: false, isEnabled: false, arguments: [] },
  ],
};

test('a scheduled leaver workflow processes exactly the matching users once, with correct reports', async () => {
  // Put the clock where at least two Sales leavers are inside the 3-day catch-up window.
  const candidates = contoso().data.users
    .filter((u) => u.department === 'Sales' && u.employeeLeaveDateTime)
    .map((u) => Date.parse(u.employeeLeaveDateTime!) - 7 * DAY + 3_600_000);
  const t = candidates.reduce((best, c) => (expectedAt(c).length > expectedAt(best).length ? c : best), candidates[0]!);
  env.clock.set(t);
  const expected = expectedAt(t);
  assert.ok(expected.length >= 2, `the demo seed should have two Sales leavers together in the window, found ${expected.length}`);
  const outboxBefore = contoso().data.outbox.length;
  const sessionsBefore = new Map(expected.map((u) => [u.id, Date.parse(u.signInSessionsValidFromDateTime)]));

  const sdk = env.sdk();
  const wf = await sdk.api(`${LCW}/workflows`).post(leaverWorkflow);
  const [report] = (await env.rt.lifecycle.tick()).filter((r) => r.tenantId === env.contosoId);
  assert.equal(report!.scheduled[wf.id], expected.length);
  assert.ok(report!.usersEvaluated > 250, 'the pass evaluated the whole directory');
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });

  const runs = await sdk.api(`${LCW}/workflows/${wf.id}/runs`).get();
  assert.equal(runs.value.length, 1);
  const run = runs.value[0];
  const n = expected.length;
  assert.deepEqual(
    [run.workflowExecutionType, run.processingStatus, run.totalUsersCount, run.successfulUsersCount, run.failedUsersCount, run.totalTasksCount, run.failedTasksCount, run.totalUnprocessedTasksCount],
    ['scheduled', 'completedWithErrors', n, 0, n, 4 * n, n, 0],
  );
  assert.equal(run.scheduledDateTime, new Date(t).toISOString());

  const users = await sdk.api(`${LCW}/workflows/${wf.id}/runs/${run.id}/userProcessingResults`).get();
  assert.deepEqual(users.value.map((u: any) => u.subject.id).sort(), expected.map((u) => u.id).sort());
  for (const u of users.value) {
    assert.deepEqual([u.processingStatus, u.totalTasksCount, u.failedTasksCount, u.totalUnprocessedTasksCount, u.workflowVersion], ['completedWithErrors', 4, 1, 0, 1]);
  }

  const reports = await sdk.api(`${LCW}/workflows/${wf.id}/taskReports`).get();
  assert.equal(reports.value.length, 4, 'one report per enabled task');
  const byName = new Map(reports.value.map((r: any) => [r.task.displayName, r]));
  for (const name of ['Tell the manager', 'Revoke sessions', 'Out of office']) {
    const r: any = byName.get(name);
    assert.deepEqual([r.processingStatus, r.totalUsersCount, r.successfulUsersCount, r.failedUsersCount, r.unprocessedUsersCount, r.runId], ['completed', n, n, 0, 0, run.id], name);
  }
  const failing: any = byName.get('Remove access package');
  assert.deepEqual([failing.processingStatus, failing.failedUsersCount, failing.successfulUsersCount], ['failed', n, 0]);
  const failures = await sdk.api(`${LCW}/workflows/${wf.id}/taskReports/${failing.id}/taskProcessingResults`).get();
  assert.equal(failures.value.length, n);
  for (const f of failures.value) assert.match(f.failureReason, /Access package tasks need Entra ID Governance entitlement management/);

  // The tasks happened in the tenant: the manager's emails in the outbox, sessions revoked, auto-replies on.
  const sent = contoso().data.outbox.slice(outboxBefore);
  assert.equal(sent.length, n);
  for (const u of expected) {
    const manager = contoso().user(u.managerId!)!;
    const mail = sent.find((m) => m.subject.includes(u.displayName));
    assert.ok(mail, `an email about ${u.displayName}`);
    assert.deepEqual(mail.toRecipients, [manager.mail]);
    assert.ok(Date.parse(contoso().user(u.id)!.signInSessionsValidFromDateTime) > sessionsBefore.get(u.id)!, `sessions of ${u.displayName} revoked`);
    assert.equal(contoso().data.mailboxes.find((m) => m.userId === u.id)?.autoReply.autoReplyState, 'Enabled');
  }

  // The summary functions count the same run.
  const window = `(startDateTime=${new Date(t - DAY).toISOString()},endDateTime=${new Date(t + DAY).toISOString()})`;
  const runSummary = await sdk.api(`${LCW}/workflows/${wf.id}/runs/microsoft.graph.identityGovernance.summary${window}`).get();
  assert.deepEqual([runSummary.totalRuns, runSummary.successfulRuns, runSummary.failedRuns, runSummary.totalUsers, runSummary.totalTasks, runSummary.failedTasks], [1, 0, 1, n, 4 * n, n]);
  const userSummary = await sdk.api(`${LCW}/workflows/${wf.id}/userProcessingResults/summary${window}`).get();
  assert.deepEqual([userSummary.totalUsers, userSummary.successfulUsers, userSummary.failedUsers, userSummary.totalTasks, userSummary.failedTasks], [n, 0, n, 4 * n, n]);
  const taskSummary = await sdk.api(`${LCW}/workflows/${wf.id}/taskReports/summary${window}`).get();
  assert.deepEqual([taskSummary.totalTasks, taskSummary.successfulTasks, taskSummary.failedTasks, taskSummary.unprocessedTasks], [4 * n, 3 * n, n, 0]);
  const outside = `(startDateTime=${new Date(t + DAY).toISOString()},endDateTime=${new Date(t + 2 * DAY).toISOString()})`;
  assert.equal((await sdk.api(`${LCW}/workflows/${wf.id}/runs/summary${outside}`).get()).totalRuns, 0);

  // Before the interval has passed, a tick runs no pass; after it, the pass finds the same users done.
  assert.deepEqual((await env.rt.lifecycle.tick()).filter((r) => r.tenantId === env.contosoId), []);
  env.clock.advance(3 * 3_600_000);
  const [second] = (await env.rt.lifecycle.tick()).filter((r) => r.tenantId === env.contosoId);
  assert.equal(second!.workflows, 1);
  // The same users are still due (inside the window), and the unique key keeps them from a second run.
  assert.deepEqual(second!.scheduled, { [wf.id]: 0 }, 'nobody is processed twice for the same version and trigger date');
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  assert.equal((await sdk.api(`${LCW}/workflows/${wf.id}/runs`).get()).value.length, 1);
  assert.equal(contoso().data.outbox.length - outboxBefore, n);

  // Insights see the run across the tenant.
  const insights = await sdk.api(`${LCW}/insights/microsoft.graph.identityGovernance.workflowsProcessedByCategory${window}`).get();
  assert.deepEqual([insights.totalLeaverRuns, insights.failedLeaverRuns, insights.totalJoinerRuns], [1, 1, 0]);
  const topTasks = await sdk.api(`${LCW}/insights/topTasksProcessedSummary${window}`).get();
  assert.equal(topTasks.value.find((x: any) => x.taskDefinitionId === '509589a4-0466-4471-829e-49c5e502bdee').successfulTasks, n);
});
