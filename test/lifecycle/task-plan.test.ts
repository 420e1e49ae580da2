// Every task definition maps to catalog actions (or a lifecycle action built on them), or to a step
// that fails with the reason; emails get their recipients, sender and placeholders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LCW_ACTIONS } from '../../src/lifecycle/actions/support.ts';
import { removeAllTeamsAction } from '../../src/lifecycle/actions/remove-all-teams.action.ts';
import { tapEmailAction } from '../../src/lifecycle/actions/tap-email.action.ts';
import { fillPlaceholders } from '../../src/lifecycle/email.ts';
import type { Task } from '../../src/lifecycle/model.ts';
import { planTasks, type PlanContext } from '../../src/lifecycle/task-plan.ts';
import { taskDefinitions, TENANTFLOW_TASK_IDS } from '../../src/lifecycle/task-definitions.ts';
import { workflowTemplates } from '../../src/lifecycle/templates.ts';
import { getAction } from '../../src/m365/actions/catalog.ts';

const GROUP = '11111111-1111-4111-8111-111111111111';
const USER = { id: 'u-1', userPrincipalName: 'jane.smith@contoso.com', displayName: 'Jane Smith', givenName: 'Jane', surname: 'Smith', mail: 'jane.smith@contoso.com', department: 'Sales', employeeHireDate: '2030-05-02T08:00:00Z', employeeLeaveDateTime: '2026-12-01T17:00:00Z', otherMails: ['jane@home.example'] };
const MANAGER = { id: 'm-1', userPrincipalName: 'irvin.sayers@contoso.com', displayName: 'Irvin Sayers', mail: 'irvin.sayers@contoso.com' };
const CC_USER = { id: '22222222-2222-4222-8222-222222222222', mail: 'cc.person@contoso.com', userPrincipalName: 'cc.person@contoso.com' };

function ctx(over: Partial<PlanContext> = {}): PlanContext {
  return {
    tenantDefaults: {}, user: USER, manager: MANAGER, taskResultIds: new Map([['t', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa']]), now: Date.parse('2026-11-23T10:00:00Z'),
    lookupUser: async (id) => (id === CC_USER.id ? CC_USER : undefined),
    extensionWaitSeconds: async () => 1800,
    ...over,
  };
}

/** Plausible arguments for a definition, so each maps as it would in a real workflow. */
const ARGS: Record<string, Record<string, string>> = {
  '22085229-5809-45e8-97fd-270d28d66910': { groupID: `${GROUP}, 33333333-3333-4333-8333-333333333333` },
  '1953a66c-751c-45e5-8bfe-01462c70da3c': { groupID: GROUP },
  'e440ed8d-25a1-4618-84ce-091ed5be5594': { teamID: GROUP },
  '06aa7acb-01af-4824-8899-b14e5ed788d6': { teamID: GROUP },
  '683c87a4-2ad4-420b-97d4-220d90afcd24': { licenses: 'c7df2760-2c81-4ef7-b578-5b5392b571df,05e9a617-0261-4cee-bb44-138d3ef5d965' },
  '5fc402a8-daaf-4b7b-9203-da868b05fc5f': { licenses: 'c7df2760-2c81-4ef7-b578-5b5392b571df' },
  '4262b724-8dba-4fad-afc3-43fcbb497a0e': { customTaskExtensionID: '44444444-4444-4444-8444-444444444444' },
  '2c8f4a1b-7d3e-4f9c-8a5b-6e1d2c3f4a5b': { attributeUpdates: '[{"attribute":"department","value":"Finance"},{"attribute":"jobTitle","value":""}]' },
  '1b555e50-7f65-41d5-b514-5894a026d10d': { tapLifetimeMinutes: '480', tapIsUsableOnce: 'true' },
};

function taskOf(definitionId: string, args: Record<string, string> = ARGS[definitionId.toLowerCase()] ?? {}, continueOnError = false): Task {
  return { id: 't', displayName: 'T', description: null, taskDefinitionId: definitionId, category: '', continueOnError, isEnabled: true, executionSequence: 1, arguments: Object.entries(args).map(([name, value]) => ({ name, value })) };
}

async function plan(definitionId: string, args?: Record<string, string>, c = ctx()) {
  const [p] = await planTasks([taskOf(definitionId, args)], c);
  return p!.steps;
}

const lifecycleSchemas = new Map<string, { safeParse(v: unknown): { success: boolean } }>([
  [LCW_ACTIONS.tapEmail, tapEmailAction.params], [LCW_ACTIONS.removeAllTeams, removeAllTeamsAction.params],
]);

test('every task definition becomes engine steps: catalog actions with valid inputs, or a failure with its reason', async () => {
  const unsupported = new Map<string, RegExp>([
    ['c1ec1e76-f374-4375-aaa6-0bb6bd4c60be', /Access package/], ['4a0b64f2-c7ec-46ba-b117-18f262946c50', /Access package/],
    ['42ae2956-193d-4f39-be06-691b8ac4fa1d', /Access package/], ['498770d9-bab7-4e4c-b73d-5ded82a1d0b3', /Access package/],
    ['a8e4c7f2-9d1b-4a3e-b5c6-8f2e7a9d4c1b', /Agent identity/], ['b8c4e1f9-3a7d-4b2e-9c5f-8d6a9b1c2e3f', /Agent identity/],
    ['ad3b85cd-75b1-43e7-b4b9-0e52faba3944', /Agent identity/], ['b8f4c3d5-9e7a-4b1c-8f2d-6a5e8b9c7f4a', /Agent identity/],
  ]);
  assert.equal(taskDefinitions.length, 35, '31 of Microsoft\'s and 4 Tenantflow mailbox tasks');
  for (const def of taskDefinitions) {
    const steps = await plan(def.id);
    assert.ok(steps.length >= 1, def.displayName);
    const reason = unsupported.get(def.id.toLowerCase());
    if (reason) {
      assert.equal(steps.length, 1);
      assert.equal(steps[0]!.action, LCW_ACTIONS.failure, def.displayName);
      assert.match(String(steps[0]!.inputs.reason), reason, def.displayName);
      continue;
    }
    for (const s of steps) {
      assert.notEqual(s.action, LCW_ACTIONS.failure, `${def.displayName}: ${JSON.stringify(s.inputs)}`);
      if (s.action === LCW_ACTIONS.customExtension) continue;
      const schema = lifecycleSchemas.get(s.action) ?? getAction(s.action)?.params;
      assert.ok(schema, `${def.displayName} → ${s.action} is a catalog or lifecycle action`);
      assert.ok(schema.safeParse(s.inputs).success, `${def.displayName} → ${s.action} inputs ${JSON.stringify(s.inputs)}`);
    }
  }
});

test('the mapping of the main tasks', async () => {
  assert.deepEqual((await plan('6fc52c9d-398b-4305-9763-15f42c1676fc')).map((s) => [s.action, s.inputs]), [['enable-user', { user: USER.userPrincipalName }]]);
  assert.deepEqual((await plan('22085229-5809-45e8-97fd-270d28d66910'))[0]!.inputs.group, [GROUP, '33333333-3333-4333-8333-333333333333'], 'comma-separated group ids');
  assert.equal((await plan('e440ed8d-25a1-4618-84ce-091ed5be5594'))[0]!.action, 'add-to-group', 'a team is joined through its group');
  assert.deepEqual((await plan('683c87a4-2ad4-420b-97d4-220d90afcd24')).map((s) => [s.id, s.action, s.inputs.sku]), [
    ['task1_1', 'assign-license', 'c7df2760-2c81-4ef7-b578-5b5392b571df'], ['task1_2', 'assign-license', '05e9a617-0261-4cee-bb44-138d3ef5d965'],
  ]);
  assert.deepEqual((await plan('8fa97d28-3e52-4985-b3a9-a1126f9b8b4e'))[0]!.inputs, { user: USER.userPrincipalName, all: true });
  assert.deepEqual((await plan('2c8f4a1b-7d3e-4f9c-8a5b-6e1d2c3f4a5b'))[0]!.inputs, { user: USER.userPrincipalName, department: 'Finance', jobTitle: null });
  assert.equal((await plan('81f7b200-2816-4b3b-8c5d-dc556f07b024'))[0]!.action, LCW_ACTIONS.removeAllTeams);
  const ext = (await plan('4262b724-8dba-4fad-afc3-43fcbb497a0e'))[0]!;
  assert.deepEqual([ext.action, ext.inputs.taskProcessingResultId, ext.timeoutSeconds], [LCW_ACTIONS.customExtension, 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 2100]);
  const tap = (await plan('1b555e50-7f65-41d5-b514-5894a026d10d'))[0]!;
  assert.deepEqual([tap.action, tap.inputs.lifetimeInMinutes, tap.inputs.isUsableOnce, tap.inputs.startDateTime, tap.inputs.to], [LCW_ACTIONS.tapEmail, 480, true, '2030-05-02T08:00:00.000Z', [MANAGER.mail]]);
  assert.match(String(tap.inputs.message), /\{\{temporaryAccessPass\}\}/, 'the pass is filled in only when it exists');
  assert.deepEqual((await plan(TENANTFLOW_TASK_IDS.forwardMail))[0]!.inputs, { user: USER.userPrincipalName, forwardTo: MANAGER.userPrincipalName, keepCopy: true });
  assert.deepEqual((await plan(TENANTFLOW_TASK_IDS.delegateMailbox, { delegate: CC_USER.id, accessRights: 'SendOnBehalf' }))[0]!.inputs, { user: USER.userPrincipalName, delegate: CC_USER.userPrincipalName, accessRights: 'SendOnBehalf' });
  assert.equal((await plan(TENANTFLOW_TASK_IDS.convertToShared))[0]!.action, 'convert-to-shared');
});

test('tasks Tenantflow cannot carry out fail with a reason instead of succeeding', async () => {
  const cases: Array<[string, Record<string, string>, RegExp, PlanContext?]> = [
    ['1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950', { disableOnPremisesAccount: 'true' }, /on-premises Active Directory/],
    ['22085229-5809-45e8-97fd-270d28d66910', {}, /no groupID argument/],
    ['2c8f4a1b-7d3e-4f9c-8a5b-6e1d2c3f4a5b', { attributeUpdates: '[{"attribute":"manager","value":"x"}]' }, /update-user cannot change 'manager'/],
    ['2c8f4a1b-7d3e-4f9c-8a5b-6e1d2c3f4a5b', { attributeUpdates: 'not json' }, /not valid JSON/],
    ['52853a3e-f4e5-4eb8-bb24-1ac09a1da935', {}, /has no manager/, ctx({ manager: null })],
    ['70b29d51-b59a-4773-9280-8841dfd3f2ea', {}, /has no mail address/, ctx({ user: { ...USER, mail: null } })],
    ['70b29d51-b59a-4773-9280-8841dfd3f2ea', { to: 'Sponsors' }, /'Sponsors' is not supported/],
    ['70b29d51-b59a-4773-9280-8841dfd3f2ea', { cc: 'not-an-id' }, /cc must list user object ids/],
    ['70b29d51-b59a-4773-9280-8841dfd3f2ea', { cc: '99999999-9999-4999-8999-999999999999' }, /not a user with a mail address/],
    [TENANTFLOW_TASK_IDS.forwardMail, {}, /has no manager to use as forwarding address/, ctx({ manager: null })],
  ];
  for (const [id, args, reason, c] of cases) {
    const steps = await plan(id, args, c);
    assert.equal(steps[0]!.action, LCW_ACTIONS.failure, `${id} ${JSON.stringify(args)}`);
    assert.match(String(steps[0]!.inputs.reason), reason);
    assert.deepEqual(steps[0]!.retry, { maxAttempts: 1, backoffSeconds: 0 }, 'a failure is not retried');
  }
});

test('emails: recipients, cc, sender, placeholders; disabled tasks are left out; order follows executionSequence', async () => {
  const welcome = (await plan('70b29d51-b59a-4773-9280-8841dfd3f2ea', { cc: CC_USER.id, customSubject: 'Welcome {{userGivenName}} to {{user.department}}', customBody: 'Hi {{userDisplayName}}, ask {{managerDisplayName}} ({{managerEmail}}); start {{userEmployeeHireDate}} {{unknownPlaceholder}}' }))[0]!;
  assert.deepEqual(welcome.inputs, {
    user: MANAGER.userPrincipalName, to: [USER.mail], cc: [CC_USER.mail], subject: 'Welcome Jane to Sales',
    message: 'Hi Jane Smith, ask Irvin Sayers (irvin.sayers@contoso.com); start 2030-05-02 {{unknownPlaceholder}}',
  });
  const toManager = (await plan('52853a3e-f4e5-4eb8-bb24-1ac09a1da935'))[0]!;
  assert.deepEqual([toManager.inputs.user, toManager.inputs.to], [USER.userPrincipalName, [MANAGER.mail]], 'mail about the user to the manager comes from the user');
  const configured = (await plan('52853a3e-f4e5-4eb8-bb24-1ac09a1da935', {}, ctx({ tenantDefaults: { lifecycleSender: 'hr@contoso.com' } })))[0]!;
  assert.equal(configured.inputs.user, 'hr@contoso.com', 'the tenant default lifecycleSender wins');
  const other = (await plan('70b29d51-b59a-4773-9280-8841dfd3f2ea', { to: 'User/otherMails' }))[0]!;
  assert.deepEqual(other.inputs.to, ['jane@home.example']);
  assert.equal(fillPlaceholders('{{user.employeeOrgData/costCenter}}|{{userSurname}}', { ...USER, employeeOrgData: { costCenter: 'CC-9' } }, null), 'CC-9|Smith');

  const tasks: Task[] = [
    { ...taskOf('509589a4-0466-4471-829e-49c5e502bdee'), id: 'a', executionSequence: 2, continueOnError: true },
    { ...taskOf('1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950'), id: 'b', executionSequence: 1 },
    { ...taskOf('8d18588d-9ad3-4c0f-99d0-ec215f0e3dff'), id: 'c', executionSequence: 3, isEnabled: false },
  ];
  const planned = await planTasks(tasks, ctx());
  assert.deepEqual(planned.map((p) => [p.task.id, p.steps.map((s) => [s.id, s.action, s.continueOnError])]), [
    ['b', [['task1', 'disable-user', false]]],
    ['a', [['task2', 'revoke-sessions', true]]],
  ]);
});

test('templates use only known task definitions, with Microsoft\'s ids where Microsoft has them', () => {
  const ids = new Set(taskDefinitions.map((d) => d.id));
  for (const t of workflowTemplates) for (const task of t.tasks) assert.ok(ids.has(task.taskDefinitionId), `${t.displayName}: ${task.taskDefinitionId}`);
  const names = workflowTemplates.map((t) => t.displayName);
  for (const n of ['Onboard pre-hire employee', 'Onboard new hire employee', 'Real-time employee termination', 'Pre-Offboarding of an employee', 'Offboard an employee', 'Post-Offboarding of an employee']) assert.ok(names.includes(n), n);
  assert.ok(workflowTemplates.filter((t) => t.category === 'mover').length >= 2, 'mover templates');
  assert.equal(workflowTemplates.find((t) => t.displayName === 'Offboard an employee')!.id, 'e821c59e-d28c-44d7-902f-5fed05e926f1');
  const preHire = workflowTemplates.find((t) => t.displayName === 'Onboard pre-hire employee')!;
  assert.deepEqual(preHire.tasks[0]!.arguments.filter((a) => a.value), [{ name: 'tapLifetimeMinutes', value: '480' }, { name: 'tapIsUsableOnce', value: 'true' }]);
});
