// Microsoft's limits and rules for workflow definitions, through the Graph SDK: 100 workflows and
// 100 custom task extensions per tenant, 25 tasks per workflow, task categories compatible with
// the workflow's, offsetInDays −180…180, callback timeouts 5 minutes to 3 hours, task arguments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { GraphError } from '@microsoft/microsoft-graph-client';
import { startLcwEnv, LCW, type LcwEnv } from './harness.ts';

let env: LcwEnv;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const ENABLE = '6fc52c9d-398b-4305-9763-15f42c1676fc';

before(async () => { env = await startLcwEnv('limits'); });
after(async () => { await env.close(); });

async function refused(p: Promise<unknown>, message: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    const err = e as GraphError & { body: any };
    const body = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
    assert.equal(err.statusCode, 400, body?.message);
    assert.equal(body.code, 'invalidRequest');
    assert.match(body.message, message);
    return;
  }
  assert.fail(`expected a refusal matching ${message}`);
}

const workflow = (over: Record<string, unknown> = {}) => ({ ...fixture('create-workflow.json'), ...over });
const task = (taskDefinitionId: string, args: Array<{ name: string; value: string }> = []) => ({ continueOnError: false, displayName: 'A task', isEnabled: true, taskDefinitionId, arguments: args });

test('a tenant holds at most 100 workflows; deleting one makes room', async () => {
  const sdk = env.sdk({ tenant: 'fabrikam' });
  const ids: string[] = [];
  for (let i = 0; i < 100; i++) ids.push((await sdk.api(`${LCW}/workflows`).post(workflow({ displayName: `Workflow ${i}` }))).id);
  await refused(sdk.api(`${LCW}/workflows`).post(workflow({ displayName: 'Workflow 101' })), /already has 100 workflows/);
  await sdk.api(`${LCW}/workflows/${ids[0]}`).delete();
  await sdk.api(`${LCW}/workflows`).post(workflow({ displayName: 'Workflow 101' }));
  await refused(sdk.api(`${LCW}/deletedItems/workflows/${ids[0]}/restore`).post({}), /already has 100 workflows/);
  assert.equal((await sdk.api(`${LCW}/workflows`).count(true).top(1).get())['@odata.count'], 100);
  const other = await env.sdk().api(`${LCW}/workflows`).post(workflow({ displayName: 'Workflow 0' }));
  assert.equal(other.version, 1, 'the limit is per tenant, and names are unique per tenant');
});

test('a workflow holds at most 25 tasks', async () => {
  const sdk = env.sdk();
  const ok = await sdk.api(`${LCW}/workflows`).post(workflow({ displayName: '25 tasks', tasks: Array.from({ length: 25 }, () => task(ENABLE)) }));
  assert.equal((await sdk.api(`${LCW}/workflows/${ok.id}/tasks`).get()).value.length, 25);
  await refused(sdk.api(`${LCW}/workflows`).post(workflow({ displayName: '26 tasks', tasks: Array.from({ length: 26 }, () => task(ENABLE)) })), /at most 25 tasks; this one has 26/);
  await refused(sdk.api(`${LCW}/workflows/${ok.id}/createNewVersion`).post({ workflow: workflow({ displayName: '25 tasks', tasks: Array.from({ length: 26 }, () => task(ENABLE)) }) }), /at most 25 tasks/);
  await refused(sdk.api(`${LCW}/workflows`).post(workflow({ displayName: 'No tasks', tasks: [] })), /at least one task/);
});

test('task categories must be compatible with the workflow\'s', async () => {
  const sdk = env.sdk();
  await refused(sdk.api(`${LCW}/workflows`).post(workflow({ displayName: 'Joiner deletes', tasks: [task('8d18588d-9ad3-4c0f-99d0-ec215f0e3dff')] })), /'Delete user account' \(leaver\) cannot be used in a joiner workflow/);
  const leaver = { category: 'leaver', executionConditions: { ...fixture('create-workflow.json').executionConditions, trigger: { '@odata.type': '#microsoft.graph.identityGovernance.timeBasedAttributeTrigger', timeBasedAttribute: 'employeeLeaveDateTime', offsetInDays: 0 } } };
  await refused(sdk.api(`${LCW}/workflows`).post(workflow({ ...leaver, displayName: 'Leaver welcomes', tasks: [task('70b29d51-b59a-4773-9280-8841dfd3f2ea')] })), /'Send welcome email' \(joiner\) cannot be used in a leaver workflow/);
  const mover = await sdk.api(`${LCW}/workflows`).post(workflow({ category: 'mover', displayName: 'Mover notifies', tasks: [task('aab41899-9972-422a-9d97-f626014578b7')] }));
  assert.equal(mover.category, 'mover');
  await refused(sdk.api(`${LCW}/workflows`).post(workflow({ category: 'mover', displayName: 'Mover enables', tasks: [task(ENABLE)] })), /cannot be used in a mover workflow/);
  // Ids are compared case-insensitively: Microsoft spells the onboarding reminder in upper case.
  const reminder = await sdk.api(`${LCW}/workflows`).post(workflow({ displayName: 'Reminder', tasks: [task('3c860712-2d37-42a4-928f-5c93935d26a1')] }));
  assert.equal((await sdk.api(`${LCW}/workflows/${reminder.id}/tasks`).get()).value[0].taskDefinitionId, '3C860712-2D37-42A4-928F-5C93935D26A1');
});

test('task definitions and arguments are checked', async () => {
  const sdk = env.sdk();
  await refused(sdk.api(`${LCW}/workflows`).post(workflow({ displayName: 'x1', tasks: [task('00000000-0000-4000-8000-000000000000')] })), /is not a task definition/);
  await refused(sdk.api(`${LCW}/workflows`).post(workflow({ displayName: 'x2', tasks: [task(ENABLE, [{ name: 'colour', value: 'red' }])] })), /'colour' is not an argument.*enableOnPremisesAccount/);
  await refused(sdk.api(`${LCW}/workflows`).post(workflow({ displayName: 'x3', tasks: [task(ENABLE, [{ name: 'enableOnPremisesAccount', value: 'maybe' }])] })), /must be one of true, false/);
  await refused(sdk.api(`${LCW}/workflows`).post(workflow({ displayName: 'x4', tasks: [task('22085229-5809-45e8-97fd-270d28d66910')] })), /needs a value for its 'groupID' argument/);
  await refused(sdk.api(`${LCW}/workflows`).post(workflow({ displayName: 'x5', tasks: [task('1b555e50-7f65-41d5-b514-5894a026d10d', [{ name: 'tapLifetimeMinutes', value: '5' }])] })), /tapLifetimeMinutes must be a whole number from 10 to 43200/);
  await refused(sdk.api(`${LCW}/workflows`).post(workflow({ displayName: 'x6', tasks: [task('4262b724-8dba-4fad-afc3-43fcbb497a0e', [{ name: 'customTaskExtensionID', value: '00000000-0000-4000-8000-000000000000' }])] })), /not a custom task extension of this tenant/);
  await refused(sdk.api(`${LCW}/workflows`).post(workflow({ displayName: 'x7', tasks: [{ ...task(ENABLE), executionSequence: 1, foo: 1 }] })), /'foo' is not a property of a task/);
});

test('execution conditions: offsetInDays −180…180, known attributes and trigger/scope pairs', async () => {
  const sdk = env.sdk();
  const withTrigger = (trigger: Record<string, unknown>, name: string) => workflow({ displayName: name, executionConditions: { ...fixture('create-workflow.json').executionConditions, trigger } });
  const time = (offsetInDays: unknown, timeBasedAttribute = 'employeeHireDate') => ({ '@odata.type': '#microsoft.graph.identityGovernance.timeBasedAttributeTrigger', timeBasedAttribute, offsetInDays });
  for (const ok of [-180, 180]) assert.equal((await sdk.api(`${LCW}/workflows`).post(withTrigger(time(ok), `offset ${ok}`))).executionConditions.trigger.offsetInDays, ok);
  for (const bad of [-181, 181, 1.5, '7']) await refused(sdk.api(`${LCW}/workflows`).post(withTrigger(time(bad), `offset ${bad}`)), /offsetInDays must be a whole number from -180 to 180/);
  await refused(sdk.api(`${LCW}/workflows`).post(withTrigger(time(0, 'birthday'), 'birthday')), /timeBasedAttribute must be one of/);
  await refused(sdk.api(`${LCW}/workflows`).post(withTrigger({ '@odata.type': '#microsoft.graph.identityGovernance.attributeChangeTrigger', triggerAttributes: [{ name: 'department' }] }, 'joiner on change')), /attributeChangeTrigger is for mover workflows only/);
  await refused(sdk.api(`${LCW}/workflows`).post(workflow({
    category: 'mover', displayName: 'membership with rule', tasks: [task('aab41899-9972-422a-9d97-f626014578b7')],
    executionConditions: { '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions', scope: fixture('create-workflow.json').executionConditions.scope, trigger: { '@odata.type': '#microsoft.graph.identityGovernance.membershipChangeTrigger', changeType: 'add' } },
  })), /groupBasedSubjectSet scope goes with a membershipChangeTrigger/);
  await refused(sdk.api(`${LCW}/workflows`).post(workflow({ displayName: 'no conditions', executionConditions: undefined })), /executionConditions is required/);
  await refused(sdk.api(`${LCW}/workflows`).post(workflow({ displayName: 'off but scheduled', isEnabled: false, isSchedulingEnabled: true })), /isSchedulingEnabled cannot be true while isEnabled is false/);
});

test('a tenant holds at most 100 custom task extensions; callback timeouts are 5 minutes to 3 hours', async () => {
  const sdk = env.sdk({ tenant: 'fabrikam' });
  const body = fixture('create-custom-task-extension.json');
  const first = await sdk.api(`${LCW}/customTaskExtensions`).post(body);
  assert.deepEqual([first.displayName, first.callbackConfiguration.timeoutDuration, first.clientConfiguration.maximumRetries], [body.displayName, 'PT5M', 1]);
  for (let i = 1; i < 100; i++) await sdk.api(`${LCW}/customTaskExtensions`).post({ ...body, displayName: `Extension ${i}` });
  await refused(sdk.api(`${LCW}/customTaskExtensions`).post({ ...body, displayName: 'Extension 101' }), /already has 100 custom task extensions/);
  await sdk.api(`${LCW}/customTaskExtensions/${first.id}`).delete();
  const x = await sdk.api(`${LCW}/customTaskExtensions`).post({ ...body, displayName: 'Extension 101' });
  for (const bad of ['PT4M', 'PT3H1M', 'P1D', 'thirty minutes']) {
    await refused(sdk.api(`${LCW}/customTaskExtensions/${x.id}`).patch({ callbackConfiguration: { ...body.callbackConfiguration, timeoutDuration: bad } }), /timeoutDuration must be an ISO 8601 duration from PT5M to PT3H/);
  }
  const long = await sdk.api(`${LCW}/customTaskExtensions/${x.id}`).patch({ callbackConfiguration: { ...body.callbackConfiguration, timeoutDuration: 'PT3H' } });
  assert.equal(long.callbackConfiguration.timeoutDuration, 'PT3H');
  await refused(sdk.api(`${LCW}/customTaskExtensions/${x.id}`).patch({ endpointConfiguration: { ...body.endpointConfiguration, url: 'http://insecure.example.com/hook' } }), /must be an https URL/);
});
