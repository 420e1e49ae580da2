// Built-in task definitions: every one of Microsoft's (ids, parameters and categories exactly as
// Graph's taskDefinitions list them, from data/task-definitions.json) plus Tenantflow's mailbox
// tasks, which Microsoft does not have. Those carry Tenantflow's own ids (stableId) and say
// "(Tenantflow)" in their names, so nobody mistakes them for Microsoft's.
import { stableId } from '../core/ids.ts';
import { categoryFlags, type WorkflowCategory } from './model.ts';
import microsoftDefinitions from './data/task-definitions.json' with { type: 'json' };

export interface TaskParameter {
  name: string;
  values: string[];
  valueType: 'enum' | 'string' | 'int' | 'bool';
}

export interface TaskDefinition {
  id: string;
  displayName: string;
  description: string;
  category: string;
  version: number;
  parameters: TaskParameter[];
  /** Where the definition comes from: Graph's list, Entra docs (newer), or Tenantflow. */
  source: 'graph' | 'entra-docs' | 'tenantflow';
}

export const TENANTFLOW_TASK_IDS = {
  convertToShared: stableId('tenantflow:lcw-task:convert-to-shared'),
  setOutOfOffice: stableId('tenantflow:lcw-task:set-out-of-office'),
  forwardMail: stableId('tenantflow:lcw-task:forward-mail'),
  delegateMailbox: stableId('tenantflow:lcw-task:delegate-mailbox-access'),
} as const;

const tenantflowDefinitions: TaskDefinition[] = [
  {
    id: TENANTFLOW_TASK_IDS.convertToShared, displayName: 'Convert mailbox to shared (Tenantflow)',
    description: 'Convert the user\'s mailbox to a shared mailbox so its mail stays reachable after the licence is removed (Tenantflow task, not Microsoft\'s).',
    category: 'leaver,mover', version: 1, parameters: [], source: 'tenantflow',
  },
  {
    id: TENANTFLOW_TASK_IDS.setOutOfOffice, displayName: 'Set out-of-office reply (Tenantflow)',
    description: 'Turn on an automatic reply in the user\'s mailbox (Tenantflow task, not Microsoft\'s).',
    category: 'leaver,mover', version: 1, source: 'tenantflow',
    parameters: [
      { name: 'message', values: [], valueType: 'string' },
      { name: 'externalMessage', values: [], valueType: 'string' },
      { name: 'externalAudience', values: ['All', 'Known', 'None'], valueType: 'enum' },
    ],
  },
  {
    id: TENANTFLOW_TASK_IDS.forwardMail, displayName: 'Forward mail (Tenantflow)',
    description: 'Forward the user\'s mail to their manager or another address (Tenantflow task, not Microsoft\'s).',
    category: 'leaver,mover', version: 1, source: 'tenantflow',
    parameters: [
      { name: 'forwardTo', values: ['Manager', '{UserId}', '{emailAddress}'], valueType: 'string' },
      { name: 'keepCopy', values: ['true', 'false'], valueType: 'enum' },
    ],
  },
  {
    id: TENANTFLOW_TASK_IDS.delegateMailbox, displayName: 'Delegate mailbox access (Tenantflow)',
    description: 'Give the user\'s manager or another user access to the mailbox (Tenantflow task, not Microsoft\'s).',
    category: 'leaver,mover', version: 1, source: 'tenantflow',
    parameters: [
      { name: 'delegate', values: ['Manager', '{UserId}', '{emailAddress}'], valueType: 'string' },
      { name: 'accessRights', values: ['FullAccess', 'SendOnBehalf'], valueType: 'enum' },
    ],
  },
];

export const taskDefinitions: readonly TaskDefinition[] = [
  ...(microsoftDefinitions as TaskDefinition[]),
  ...tenantflowDefinitions,
];

const byId = new Map(taskDefinitions.map((d) => [d.id.toLowerCase(), d]));

/** Task definition ids are compared case-insensitively (the onboarding reminder's is upper-case everywhere). */
export function taskDefinition(id: string): TaskDefinition | undefined {
  return byId.get(id.trim().toLowerCase());
}

export function definitionAllows(def: TaskDefinition, category: WorkflowCategory): boolean {
  return categoryFlags(def.category).includes(category);
}
