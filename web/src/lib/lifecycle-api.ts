// Lifecycle workflows through Tenantflow's Microsoft Graph-shaped API
// (/graph/{tenant}/v1.0/identityGovernance/lifecycleWorkflows/…), with the session cookie. Graph's
// error shape ({error: {code, message}}) arrives as an ApiError like any other.
import { api, get, post } from './api.ts';

export type Category = 'joiner' | 'mover' | 'leaver';
export type ProcessingStatus = 'queued' | 'inProgress' | 'completed' | 'completedWithErrors' | 'canceled' | 'failed';
export const NS = 'microsoft.graph.identityGovernance';

export interface KeyValue { name: string; value: string }

export interface LcwTask {
  id?: string;
  arguments: KeyValue[];
  category?: string;
  continueOnError: boolean;
  description: string | null;
  displayName: string;
  executionSequence?: number;
  isEnabled: boolean;
  taskDefinitionId: string;
}

export type Trigger =
  | { '@odata.type': `#${typeof NS}.timeBasedAttributeTrigger`; timeBasedAttribute: string; offsetInDays: number }
  | { '@odata.type': `#${typeof NS}.attributeChangeTrigger`; triggerAttributes: Array<{ name: string }> }
  | { '@odata.type': `#${typeof NS}.membershipChangeTrigger`; changeType: 'add' | 'remove' };

export type Scope =
  | { '@odata.type': `#${typeof NS}.ruleBasedSubjectSet`; rule: string }
  | { '@odata.type': `#${typeof NS}.groupBasedSubjectSet`; groups: Array<{ id: string }> };

export type ExecutionConditions =
  | { '@odata.type': `#${typeof NS}.triggerAndScopeBasedConditions`; scope: Scope; trigger: Trigger }
  | { '@odata.type': `#${typeof NS}.onDemandExecutionOnly` };

export type QuarantineCondition =
  | { '@odata.type': `#${typeof NS}.countBasedQuarantineCondition`; threshold: number }
  | { '@odata.type': `#${typeof NS}.percentageBasedQuarantineCondition`; percentage: number };

export interface QuarantineConfiguration { conditions: QuarantineCondition[]; matchMode: 'any' | 'all' }

export type QuarantineType = 'notQuarantined' | 'countBasedThresholdExceeded' | 'percentageBasedThresholdExceeded' | 'multipleConditionsExceeded';

export interface QuarantineDetails { quarantinedDateTime: string | null; quarantineReason: string | null; quarantineType: QuarantineType }

export interface LcwWorkflow {
  id: string;
  category: Category;
  displayName: string;
  description: string | null;
  isEnabled: boolean;
  isSchedulingEnabled: boolean;
  executionConditions: ExecutionConditions;
  version: number;
  createdDateTime: string;
  lastModifiedDateTime: string;
  nextScheduleRunDateTime: string | null;
  tasks?: LcwTask[];
  settings?: { quarantineConfiguration: QuarantineConfiguration | null };
  quarantineDetails?: QuarantineDetails;
}

export const isQuarantined = (w: Pick<LcwWorkflow, 'quarantineDetails'>) => !!w.quarantineDetails && w.quarantineDetails.quarantineType !== 'notQuarantined';

export interface LcwVersion extends Omit<LcwWorkflow, 'id' | 'version' | 'nextScheduleRunDateTime'> {
  versionNumber: number;
}

export interface Template {
  id: string;
  category: Category;
  displayName: string;
  description: string;
  executionConditions: ExecutionConditions;
  tasks: LcwTask[];
}

export interface TaskDefinition {
  id: string;
  category: string;
  description: string;
  displayName: string;
  parameters: Array<{ name: string; values: string[]; valueType: 'enum' | 'string' | 'int' | 'bool' }>;
  version: number;
}

export interface Subject { id: string; displayName: string | null; userPrincipalName: string | null; mail: string | null }

export interface Run {
  id: string;
  processingStatus: ProcessingStatus;
  workflowExecutionType: 'scheduled' | 'onDemand';
  scheduledDateTime: string | null;
  startedDateTime: string | null;
  completedDateTime: string | null;
  lastUpdatedDateTime: string | null;
  totalUsersCount: number;
  successfulUsersCount: number;
  failedUsersCount: number;
  totalTasksCount: number;
  failedTasksCount: number;
  totalUnprocessedTasksCount: number;
  activatedOnScope?: { users?: Array<{ id: string }> } | null;
}

export interface UserResult {
  id: string;
  processingStatus: ProcessingStatus;
  scheduledDateTime: string | null;
  startedDateTime: string | null;
  completedDateTime: string | null;
  totalTasksCount: number;
  failedTasksCount: number;
  totalUnprocessedTasksCount: number;
  workflowVersion: number;
  subject: Subject;
}

export interface TaskResult {
  id: string;
  processingStatus: ProcessingStatus;
  startedDateTime: string | null;
  completedDateTime: string | null;
  failureReason: string | null;
  subject: Subject;
  task: { id: string; displayName: string; taskDefinitionId: string; executionSequence: number };
}

export interface TaskReport {
  id: string;
  runId: string;
  processingStatus: ProcessingStatus;
  totalUsersCount: number;
  successfulUsersCount: number;
  failedUsersCount: number;
  unprocessedUsersCount: number;
  startedDateTime: string | null;
  completedDateTime: string | null;
  task: { id: string; displayName: string; executionSequence: number } | null;
  taskDefinition: { id: string; displayName: string } | null;
}

export const terminal: readonly ProcessingStatus[] = ['completed', 'completedWithErrors', 'canceled', 'failed'];

const base = (tenant: string) => `/graph/${encodeURIComponent(tenant)}/v1.0/identityGovernance/lifecycleWorkflows`;
const wf = (tenant: string, id: string) => `${base(tenant)}/workflows/${encodeURIComponent(id)}`;

/** Every page of a collection (Graph pages with @odata.nextLink). */
async function all<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined = path;
  while (next) {
    const page: { value: T[]; '@odata.nextLink'?: string } = await get(next);
    out.push(...page.value);
    const link = page['@odata.nextLink'];
    next = link ? (() => { const u = new URL(link, location.origin); return u.pathname + u.search; })() : undefined;
  }
  return out;
}

export const lcwApi = {
  workflows: (t: string) => all<LcwWorkflow>(`${base(t)}/workflows?$expand=tasks`),
  workflow: (t: string, id: string) => get<LcwWorkflow>(`${wf(t, id)}?$expand=tasks`),
  versions: (t: string, id: string) => all<LcwVersion>(`${wf(t, id)}/versions?$expand=tasks`),
  templates: (t: string) => all<Template>(`${base(t)}/workflowTemplates?$expand=tasks`),
  taskDefinitions: (t: string) => all<TaskDefinition>(`${base(t)}/taskDefinitions`),
  create: (t: string, body: unknown) => post<LcwWorkflow>(`${base(t)}/workflows`, body),
  newVersion: (t: string, id: string, workflow: unknown) => post<LcwWorkflow>(`${wf(t, id)}/createNewVersion`, { workflow }),
  patch: (t: string, id: string, body: Partial<Pick<LcwWorkflow, 'displayName' | 'description' | 'isEnabled' | 'isSchedulingEnabled'>>) => api<void>('PATCH', wf(t, id), body),
  remove: (t: string, id: string) => api<void>('DELETE', wf(t, id)),
  clearQuarantine: (t: string, id: string) => post<LcwWorkflow>(`${wf(t, id)}/clearQuarantine`),
  activate: (t: string, id: string, userIds: string[]) => post<void>(`${wf(t, id)}/activate`, { subjects: userIds.map((x) => ({ id: x })) }),
  scope: (t: string, id: string) => all<Subject>(`${wf(t, id)}/executionScope`),
  runs: (t: string, id: string) => all<Run>(`${wf(t, id)}/runs`),
  run: (t: string, id: string, runId: string) => get<Run>(`${wf(t, id)}/runs/${encodeURIComponent(runId)}`),
  runUsers: (t: string, id: string, runId: string) => all<UserResult>(`${wf(t, id)}/runs/${encodeURIComponent(runId)}/userProcessingResults`),
  runTasks: (t: string, id: string, runId: string) => all<TaskResult>(`${wf(t, id)}/runs/${encodeURIComponent(runId)}/taskProcessingResults`),
  taskReports: (t: string, id: string) => all<TaskReport>(`${wf(t, id)}/taskReports`),
};

export const categoryLabel: Record<Category, string> = { joiner: 'Joiner', mover: 'Mover', leaver: 'Leaver' };

const attributeWords: Record<string, string> = { employeeHireDate: 'hire date', employeeLeaveDateTime: 'leave date', createdDateTime: 'account creation' };

/** "7 days before the leave date, for department eq 'Sales'" — the conditions in a sentence. */
export function describeConditions(c: ExecutionConditions): string {
  if (c['@odata.type'] === `#${NS}.onDemandExecutionOnly`) return 'On demand only';
  const t = c.trigger;
  let when: string;
  if (t['@odata.type'] === `#${NS}.timeBasedAttributeTrigger`) {
    const d = Math.abs(t.offsetInDays);
    const what = attributeWords[t.timeBasedAttribute] ?? t.timeBasedAttribute;
    when = t.offsetInDays === 0 ? `On the ${what}` : `${d} day${d === 1 ? '' : 's'} ${t.offsetInDays < 0 ? 'before' : 'after'} the ${what}`;
  } else if (t['@odata.type'] === `#${NS}.attributeChangeTrigger`) {
    when = `When ${t.triggerAttributes.map((a) => a.name).join(' or ')} changes`;
  } else {
    when = `When a user is ${t.changeType === 'add' ? 'added to' : 'removed from'} a group`;
  }
  const s = c.scope;
  const who = s['@odata.type'] === `#${NS}.ruleBasedSubjectSet` ? `for ${s.rule}` : `for members of ${s.groups.length} group${s.groups.length === 1 ? '' : 's'}`;
  return `${when}, ${who}`;
}
