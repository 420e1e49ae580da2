// The lifecycle editor's model without a browser: a template or a workflow becomes an editable
// draft and back into the Graph body POST /workflows and createNewVersion accept (checked by the
// server's own reader), and conditions read as a sentence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workflowTemplates } from '../../src/lifecycle/templates.ts';
import { readWorkflow } from '../../src/lifecycle/workflow-input.ts';
import { draftFromTemplate, draftFromWorkflow, workflowBody } from '../../web/src/components/lifecycle/draft.ts';
import { describeConditions, type LcwWorkflow, type Template } from '../../web/src/lib/lifecycle-api.ts';

const checks = { extensionExists: async () => false };

test('every template becomes a body the API accepts unchanged, or is refused only for what the person must fill in', async () => {
  const accepted: string[] = [];
  for (const t of workflowTemplates as unknown as Template[]) {
    const body = workflowBody(draftFromTemplate(t));
    try {
      const read = await readWorkflow(body, checks);
      accepted.push(t.displayName);
      assert.deepEqual(read.executionConditions, t.executionConditions, t.displayName);
      assert.deepEqual(read.tasks.map((x) => x.taskDefinitionId), t.tasks.map((x) => x.taskDefinitionId), t.displayName);
      assert.equal(read.category, t.category);
    } catch (e) {
      assert.match((e as Error).message, /needs a value for its '\w+' argument|must name at least one group/, `${t.displayName}: ${(e as Error).message}`);
    }
  }
  assert.deepEqual(accepted.sort(), ['Offboard an employee', 'Onboard pre-hire employee', 'Post-Offboarding of an employee', 'Real-time employee termination']);
});

test('edits reach the body: rule, offset, a membership trigger with its groups, task arguments', () => {
  const offboard = (workflowTemplates as unknown as Template[]).find((t) => t.displayName === 'Offboard an employee')!;
  const d = { ...draftFromTemplate(offboard), displayName: 'Sales leavers', rule: "(department eq 'Sales')", offsetInDays: '-7' };
  const body = workflowBody(d) as { displayName: string; executionConditions: unknown; tasks: Array<{ arguments: unknown[] }> };
  assert.equal(body.displayName, 'Sales leavers');
  assert.deepEqual(body.executionConditions, {
    '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions',
    scope: { '@odata.type': '#microsoft.graph.identityGovernance.ruleBasedSubjectSet', rule: "(department eq 'Sales')" },
    trigger: { '@odata.type': '#microsoft.graph.identityGovernance.timeBasedAttributeTrigger', timeBasedAttribute: 'employeeLeaveDateTime', offsetInDays: -7 },
  });
  assert.deepEqual(body.tasks[0]!.arguments, [], 'empty arguments are not sent');
  assert.equal(describeConditions(body.executionConditions as LcwWorkflow['executionConditions']), "7 days before the leave date, for (department eq 'Sales')");

  const moved = workflowBody({ ...d, category: 'mover', triggerKind: 'membershipChange', changeType: 'add', groups: 'g1, g2' }) as { executionConditions: { scope: unknown; trigger: unknown } };
  assert.deepEqual(moved.executionConditions.scope, { '@odata.type': '#microsoft.graph.identityGovernance.groupBasedSubjectSet', groups: [{ id: 'g1' }, { id: 'g2' }] });
  assert.deepEqual(moved.executionConditions.trigger, { '@odata.type': '#microsoft.graph.identityGovernance.membershipChangeTrigger', changeType: 'add' });
  const onDemand = workflowBody({ ...d, onDemandOnly: true }) as { executionConditions: unknown };
  assert.deepEqual(onDemand.executionConditions, { '@odata.type': '#microsoft.graph.identityGovernance.onDemandExecutionOnly' });
});

test('a stored workflow comes back into the editor as it is', () => {
  const wf: LcwWorkflow = {
    id: 'w1', category: 'mover', displayName: 'Movers', description: null, isEnabled: true, isSchedulingEnabled: true, version: 3,
    createdDateTime: '', lastModifiedDateTime: '', nextScheduleRunDateTime: null,
    executionConditions: {
      '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions',
      scope: { '@odata.type': '#microsoft.graph.identityGovernance.ruleBasedSubjectSet', rule: "(country eq 'US')" },
      trigger: { '@odata.type': '#microsoft.graph.identityGovernance.attributeChangeTrigger', triggerAttributes: [{ name: 'department' }, { name: 'jobTitle' }] },
    },
    tasks: [{ taskDefinitionId: 'aab41899-9972-422a-9d97-f626014578b7', displayName: 'Notify', description: null, continueOnError: true, isEnabled: false, arguments: [{ name: 'cc', value: 'x' }] }],
  };
  const d = draftFromWorkflow(wf);
  assert.equal(d.triggerKind, 'attributeChange');
  assert.equal(d.triggerAttributes, 'department, jobTitle');
  assert.deepEqual(workflowBody(d).executionConditions, wf.executionConditions);
  assert.deepEqual((workflowBody(d).tasks as unknown[])[0], { taskDefinitionId: wf.tasks![0]!.taskDefinitionId, displayName: 'Notify', description: null, continueOnError: true, isEnabled: false, arguments: [{ name: 'cc', value: 'x' }] });
});
