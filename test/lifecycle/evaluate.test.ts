// The pass's decisions without I/O: the time-based trigger with its 3-day catch-up window, attribute
// and membership changes against the previous pass, and the status rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readConditions, timeTriggerKey } from '../../src/lifecycle/conditions.ts';
import { attributeSnapshot, compileWorkflow, evaluatePass } from '../../src/lifecycle/evaluate.ts';
import { LcwError } from '../../src/lifecycle/errors.ts';
import { T, type Workflow } from '../../src/lifecycle/model.ts';
import { aggregateStatus, taskStatusOf, userStatusOf } from '../../src/lifecycle/status.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-15T12:00:00Z');

function wf(id: string, category: Workflow['category'], conditions: unknown): Workflow {
  return {
    id, tenantId: 't', category, displayName: id, description: null, isEnabled: true, isSchedulingEnabled: true, version: 1, tasks: [],
    executionConditions: readConditions(conditions, category), createdDateTime: '', lastModifiedDateTime: '', deletedDateTime: null, createdBy: null, lastModifiedBy: null,
  };
}

const scoped = (rule: string, trigger: Record<string, unknown>) => ({ '@odata.type': T.triggerAndScope, scope: { '@odata.type': T.ruleScope, rule }, trigger });

test('time-based trigger: fires once the date plus offset has passed, within the 3-day catch-up window', () => {
  const at = (iso: string, offsetDays = 0) => timeTriggerKey(iso, offsetDays * DAY, NOW);
  assert.equal(at('2026-06-15T12:00:00Z'), '2026-06-15T12:00:00.000Z', 'due at the moment itself');
  assert.equal(at('2026-06-15T12:00:01Z'), undefined, 'never before the attribute\'s time of day');
  assert.equal(at('2026-06-12T12:00:00Z'), '2026-06-12T12:00:00.000Z', 'three days late is still caught up');
  assert.equal(at('2026-06-12T11:59:59Z'), undefined, 'older than the catch-up window');
  assert.equal(at('2026-06-22T12:00:00Z', -7), '2026-06-15T12:00:00.000Z', '7 days before the leave date');
  assert.equal(at('2026-06-23T12:00:00Z', -7), undefined);
  assert.equal(at('2026-06-08T13:00:00Z', 7), undefined, 'a week after 13:00 is later than now (12:00)');
  assert.equal(at('2026-06-08T11:00:00Z', 7), '2026-06-15T11:00:00.000Z');
  assert.equal(timeTriggerKey(null, 0, NOW), undefined);
  assert.equal(timeTriggerKey('not a date', 0, NOW), undefined);
});

test('a pass picks, per workflow, the users whose trigger fired and who are in scope', () => {
  const leavers = compileWorkflow(wf('leavers', 'leaver', scoped("department eq 'Sales'", { '@odata.type': T.timeBased, timeBasedAttribute: 'employeeLeaveDateTime', offsetInDays: -7 })));
  const joiners = compileWorkflow(wf('joiners', 'joiner', scoped("startsWith(userPrincipalName, 'n')", { '@odata.type': T.timeBased, timeBasedAttribute: 'employeeHireDate', offsetInDays: 0 })));
  const users = [
    { id: 'a', department: 'Sales', employeeLeaveDateTime: '2026-06-21T00:00:00Z', userPrincipalName: 'a@x.com' },
    { id: 'b', department: 'sales', employeeLeaveDateTime: '2026-06-21T00:00:00Z', userPrincipalName: 'b@x.com' },
    { id: 'c', department: 'Sales', employeeLeaveDateTime: '2026-07-21T00:00:00Z', userPrincipalName: 'c@x.com' },
    { id: 'd', department: 'Sales', employeeLeaveDateTime: null, userPrincipalName: 'd@x.com' },
    { id: 'e', employeeHireDate: '2026-06-15T08:00:00Z', userPrincipalName: 'new.hire@x.com' },
    { id: 'f', employeeHireDate: '2026-06-15T08:00:00Z', userPrincipalName: 'old@x.com' },
  ];
  const due = evaluatePass([leavers, joiners], { now: NOW, users });
  assert.deepEqual(due.get('leavers')!.map((d) => [d.user.id, d.triggerKey]), [['a', '2026-06-14T00:00:00.000Z']]);
  assert.deepEqual(due.get('joiners')!.map((d) => d.user.id), ['e']);
});

test('attribute change: nothing on the first pass, then the users whose watched attribute changed into scope', () => {
  const movers = compileWorkflow(wf('movers', 'mover', scoped("department eq 'Marketing'", { '@odata.type': T.attributeChange, triggerAttributes: [{ name: 'department' }] })));
  const before = [{ id: 'a', department: 'Sales' }, { id: 'b', department: 'Sales' }, { id: 'c', department: 'Marketing', jobTitle: 'x' }];
  assert.deepEqual(evaluatePass([movers], { now: NOW, users: before }).get('movers'), [], 'no previous pass: a baseline only');
  const snap = { generation: 4, data: attributeSnapshot(before, ['department']) };
  const after = [{ id: 'a', department: 'Marketing' }, { id: 'b', department: 'Finance' }, { id: 'c', department: 'Marketing', jobTitle: 'y' }, { id: 'n', department: 'Marketing' }];
  const due = evaluatePass([movers], { now: NOW, users: after, attributes: snap }).get('movers')!;
  assert.deepEqual(due.map((d) => [d.user.id, d.triggerKey]), [['a', 'attributeChange@4']], 'b left scope, c changed an unwatched attribute, n is new');
  const unchanged = evaluatePass([movers], { now: NOW, users: after, attributes: { generation: 5, data: attributeSnapshot(after, ['department']) } });
  assert.deepEqual(unchanged.get('movers'), []);
});

test('membership change: users added to (or removed from) the scoped groups since the previous pass', () => {
  const cond = (changeType: string) => ({ '@odata.type': T.triggerAndScope, scope: { '@odata.type': T.groupScope, groups: [{ id: 'g1' }] }, trigger: { '@odata.type': T.membershipChange, changeType } });
  const added = compileWorkflow(wf('added', 'mover', cond('add')));
  const removed = compileWorkflow(wf('removed', 'mover', cond('remove')));
  const users = ['a', 'b', 'c'].map((id) => ({ id }));
  const groups = new Map([['g1', { previous: new Set(['a', 'b']), generation: 2, current: new Set(['b', 'c']) }]]);
  const due = evaluatePass([added, removed], { now: NOW, users, groups });
  assert.deepEqual(due.get('added')!.map((d) => [d.user.id, d.triggerKey]), [['c', 'membershipChange:g1@2']]);
  assert.deepEqual(due.get('removed')!.map((d) => d.user.id), ['a']);
  const first = evaluatePass([added], { now: NOW, users, groups: new Map([['g1', { previous: undefined, generation: 0, current: new Set(['a']) }]]) });
  assert.deepEqual(first.get('added'), []);
});

test('readConditions refuses a bad rule with its position as an invalidRequest', () => {
  try {
    readConditions(scoped('(department eq )', { '@odata.type': T.timeBased, timeBasedAttribute: 'employeeHireDate', offsetInDays: 0 }), 'joiner');
    assert.fail('should refuse');
  } catch (e) {
    assert.ok(e instanceof LcwError);
    assert.deepEqual([e.status, e.code], [400, 'invalidRequest']);
    assert.match(e.message, /invalid at position 16: Expected a property name or a value, found '\)'/);
  }
});

test('statuses: tasks from steps, users from tasks, runs and reports from their parts', () => {
  assert.equal(taskStatusOf(['Pending']), 'queued');
  assert.equal(taskStatusOf(['Running']), 'inProgress');
  assert.equal(taskStatusOf(['Completed', 'Pending']), 'inProgress');
  assert.equal(taskStatusOf(['Completed', 'Completed']), 'completed');
  assert.equal(taskStatusOf(['Completed', 'Failed']), 'failed');
  assert.equal(taskStatusOf(['Skipped']), 'canceled');
  assert.equal(userStatusOf('Approved', []), 'queued');
  assert.equal(userStatusOf('Running', []), 'inProgress');
  assert.equal(userStatusOf('Completed', [{ status: 'completed', continueOnError: false }]), 'completed');
  assert.equal(userStatusOf('PartialSuccess', [{ status: 'completed', continueOnError: false }, { status: 'failed', continueOnError: true }]), 'completedWithErrors');
  assert.equal(userStatusOf('PartialSuccess', [{ status: 'completed', continueOnError: false }, { status: 'failed', continueOnError: false }, { status: 'canceled', continueOnError: false }]), 'failed', 'a stopping failure fails the user');
  assert.equal(userStatusOf('Failed', [{ status: 'failed', continueOnError: true }]), 'failed', 'every task failed');
  assert.equal(aggregateStatus({ queued: 2 }), 'queued');
  assert.equal(aggregateStatus({ queued: 1, completed: 1 }), 'inProgress');
  assert.equal(aggregateStatus({ completed: 3 }), 'completed');
  assert.equal(aggregateStatus({ completed: 2, canceled: 1 }), 'completed', 'canceled users are not failures');
  assert.equal(aggregateStatus({ completed: 2, failed: 1 }), 'completedWithErrors');
  assert.equal(aggregateStatus({ failed: 2, canceled: 1 }), 'failed');
  assert.equal(aggregateStatus({ canceled: 2 }), 'completedWithErrors', 'all canceled before running');
});
