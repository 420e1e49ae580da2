// Workflow templates: Microsoft's (with their ids) and the mover templates Microsoft documents
// without an id in Graph, which carry Tenantflow's stable ids. Templates are read-only; clients
// copy one into POST /workflows.
import { stableId } from '../core/ids.ts';
import { T, type ExecutionConditions, type KeyValuePair, type Task, type WorkflowCategory } from './model.ts';
import { taskDefinition } from './task-definitions.ts';

export interface WorkflowTemplate {
  id: string;
  category: WorkflowCategory;
  displayName: string;
  description: string;
  executionConditions: ExecutionConditions;
  tasks: Task[];
}

const SAMPLE_RULE = "(department eq 'Marketing')";

const timeBased = (attribute: 'employeeHireDate' | 'employeeLeaveDateTime', offsetInDays: number, rule = SAMPLE_RULE): ExecutionConditions => ({
  '@odata.type': T.triggerAndScope,
  scope: { '@odata.type': T.ruleScope, rule },
  trigger: { '@odata.type': T.timeBased, timeBasedAttribute: attribute, offsetInDays },
});

const onDemand: ExecutionConditions = { '@odata.type': T.onDemand };

type TaskSpec = [definitionId: string, args?: Record<string, string>];

function template(id: string, category: WorkflowCategory, displayName: string, description: string, executionConditions: ExecutionConditions, specs: TaskSpec[]): WorkflowTemplate {
  const tasks = specs.map(([definitionId, args], i): Task => {
    const def = taskDefinition(definitionId);
    if (!def) throw new Error(`Template ${displayName} names unknown task definition ${definitionId}.`);
    // Templates show every parameter with an empty value unless Microsoft's template fills one in.
    const argumentsList: KeyValuePair[] = def.parameters.map((p) => ({ name: p.name, value: args?.[p.name] ?? '' }));
    return {
      id: stableId(`lcw-template-task:${id}:${i}`), displayName: def.displayName, description: def.description, taskDefinitionId: def.id,
      category: def.category, continueOnError: false, isEnabled: true, executionSequence: i + 1, arguments: argumentsList,
    };
  });
  return { id, category, displayName, description, executionConditions, tasks };
}

const D = {
  addGroups: '22085229-5809-45e8-97fd-270d28d66910',
  disable: '1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950',
  enable: '6fc52c9d-398b-4305-9763-15f42c1676fc',
  removeSelectedGroups: '1953a66c-751c-45e5-8bfe-01462c70da3c',
  tap: '1b555e50-7f65-41d5-b514-5894a026d10d',
  welcome: '70b29d51-b59a-4773-9280-8841dfd3f2ea',
  notifyMove: 'aab41899-9972-422a-9d97-f626014578b7',
  requestPackage: 'c1ec1e76-f374-4375-aaa6-0bb6bd4c60be',
  addTeams: 'e440ed8d-25a1-4618-84ce-091ed5be5594',
  customExtension: '4262b724-8dba-4fad-afc3-43fcbb497a0e',
  removeAllGroups: 'b3a31406-2a15-4c9a-b25b-a658fa5f07fc',
  removeSelectedTeams: '06aa7acb-01af-4824-8899-b14e5ed788d6',
  removeAllTeams: '81f7b200-2816-4b3b-8c5d-dc556f07b024',
  removePackage: '4a0b64f2-c7ec-46ba-b117-18f262946c50',
  removeAllLicenses: '8fa97d28-3e52-4985-b3a9-a1126f9b8b4e',
  deleteUser: '8d18588d-9ad3-4c0f-99d0-ec215f0e3dff',
} as const;

export const workflowTemplates: readonly WorkflowTemplate[] = [
  template('77179007-8114-41b5-922e-2e22109df41f', 'joiner', 'Onboard pre-hire employee',
    'Configure pre-hire tasks for onboarding employees before their first day', timeBased('employeeHireDate', -7),
    [[D.tap, { tapLifetimeMinutes: '480', tapIsUsableOnce: 'true' }]]),
  template('4e06785d-7c1d-4b24-b9e1-bba2b890c58b', 'joiner', 'Onboard new hire employee',
    'Configure new hire tasks for onboarding employees on their first day', timeBased('employeeHireDate', 0),
    [[D.enable], [D.welcome], [D.addGroups]]),
  template(stableId('lcw-template:post-onboarding'), 'joiner', 'Post-Onboarding of an employee',
    'Configure tasks for new employees a week after their first day (Tenantflow id; Microsoft lists this template without one)', timeBased('employeeHireDate', 7),
    [[D.addGroups], [D.addTeams]]),
  template('145735f1-57cc-48c2-81ec-727f07a10096', 'leaver', 'Real-time employee termination',
    'Execute real-time termination tasks for employees on their last day of work', onDemand,
    [[D.removeAllGroups], [D.removeAllTeams], [D.deleteUser]]),
  template('25abd83d-3b5d-4d6f-bb9a-4ed366fd96b1', 'leaver', 'Pre-Offboarding of an employee',
    'Configure pre-offboarding tasks for employees before their last day of work', timeBased('employeeLeaveDateTime', -7),
    [[D.removeSelectedGroups], [D.removeSelectedTeams]]),
  template('e821c59e-d28c-44d7-902f-5fed05e926f1', 'leaver', 'Offboard an employee',
    'Configure offboarding tasks for employees on their last day of work', timeBased('employeeLeaveDateTime', 0),
    [[D.disable], [D.removeAllGroups], [D.removeAllTeams]]),
  template('50149a4a-7c2d-4fd8-8018-761f4eb915cb', 'leaver', 'Post-Offboarding of an employee',
    'Configure offboarding tasks for employees after their last day of work', timeBased('employeeLeaveDateTime', 7),
    [[D.removeAllLicenses], [D.removeAllTeams], [D.deleteUser]]),
  template(stableId('lcw-template:real-time-employee-change'), 'mover', 'Real-time employee change',
    'Execute real-time tasks for employees who change roles (Tenantflow id)', onDemand,
    [[D.customExtension]]),
  template(stableId('lcw-template:employee-group-membership-change'), 'mover', 'Employee group membership changes',
    'Configure tasks for employees who leave a group (Tenantflow id); set the group in the scope before use',
    { '@odata.type': T.triggerAndScope, scope: { '@odata.type': T.groupScope, groups: [] }, trigger: { '@odata.type': T.membershipChange, changeType: 'remove' } },
    [[D.removePackage], [D.removeSelectedTeams], [D.notifyMove]]),
  template(stableId('lcw-template:employee-job-profile-change'), 'mover', 'Employee job profile change',
    'Configure tasks for employees whose job profile changes (Tenantflow id)',
    { '@odata.type': T.triggerAndScope, scope: { '@odata.type': T.ruleScope, rule: SAMPLE_RULE }, trigger: { '@odata.type': T.attributeChange, triggerAttributes: [{ name: 'department' }, { name: 'jobTitle' }] } },
    [[D.notifyMove], [D.removeSelectedGroups], [D.removeSelectedTeams], [D.requestPackage]]),
];

export function workflowTemplate(id: string): WorkflowTemplate | undefined {
  return workflowTemplates.find((t) => t.id.toLowerCase() === id.toLowerCase());
}
