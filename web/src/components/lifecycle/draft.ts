// A lifecycle workflow as its editor holds it (from a template or from the current version), and
// the Graph body it becomes for POST /workflows or createNewVersion.
import { NS, type Category, type ExecutionConditions, type LcwTask, type LcwWorkflow, type Template } from '../../lib/lifecycle-api.ts';

export type TriggerKind = 'timeBased' | 'attributeChange' | 'membershipChange';

export interface DraftTask {
  key: string;
  taskDefinitionId: string;
  displayName: string;
  description: string;
  continueOnError: boolean;
  isEnabled: boolean;
  args: Record<string, string>;
}

export interface LcwDraft {
  displayName: string;
  description: string;
  category: Category;
  isEnabled: boolean;
  isSchedulingEnabled: boolean;
  onDemandOnly: boolean;
  triggerKind: TriggerKind;
  timeBasedAttribute: string;
  offsetInDays: string;
  triggerAttributes: string;
  changeType: 'add' | 'remove';
  rule: string;
  groups: string;
  tasks: DraftTask[];
}

let seq = 0;
export const taskKey = () => `t${++seq}`;

export function draftTask(t: LcwTask): DraftTask {
  return {
    key: taskKey(), taskDefinitionId: t.taskDefinitionId, displayName: t.displayName, description: t.description ?? '',
    continueOnError: t.continueOnError, isEnabled: t.isEnabled, args: Object.fromEntries(t.arguments.map((a) => [a.name, a.value])),
  };
}

function fromConditions(c: ExecutionConditions): Pick<LcwDraft, 'onDemandOnly' | 'triggerKind' | 'timeBasedAttribute' | 'offsetInDays' | 'triggerAttributes' | 'changeType' | 'rule' | 'groups'> {
  const out = { onDemandOnly: true, triggerKind: 'timeBased' as TriggerKind, timeBasedAttribute: 'employeeLeaveDateTime', offsetInDays: '0', triggerAttributes: 'department', changeType: 'remove' as 'add' | 'remove', rule: '', groups: '' };
  if (c['@odata.type'] === `#${NS}.onDemandExecutionOnly`) return out;
  out.onDemandOnly = false;
  const t = c.trigger;
  if (t['@odata.type'] === `#${NS}.timeBasedAttributeTrigger`) {
    out.triggerKind = 'timeBased';
    out.timeBasedAttribute = t.timeBasedAttribute;
    out.offsetInDays = String(t.offsetInDays);
  } else if (t['@odata.type'] === `#${NS}.attributeChangeTrigger`) {
    out.triggerKind = 'attributeChange';
    out.triggerAttributes = t.triggerAttributes.map((a) => a.name).join(', ');
  } else {
    out.triggerKind = 'membershipChange';
    out.changeType = t.changeType;
  }
  const s = c.scope;
  if (s['@odata.type'] === `#${NS}.ruleBasedSubjectSet`) out.rule = s.rule;
  else out.groups = s.groups.map((g) => g.id).join(', ');
  return out;
}

export function draftFromTemplate(t: Template): LcwDraft {
  return {
    displayName: t.displayName, description: t.description, category: t.category, isEnabled: true, isSchedulingEnabled: false,
    ...fromConditions(t.executionConditions), tasks: t.tasks.map(draftTask),
  };
}

export function draftFromWorkflow(w: LcwWorkflow): LcwDraft {
  return {
    displayName: w.displayName, description: w.description ?? '', category: w.category, isEnabled: w.isEnabled, isSchedulingEnabled: w.isSchedulingEnabled,
    ...fromConditions(w.executionConditions), tasks: (w.tasks ?? []).map(draftTask),
  };
}

export function conditionsOf(d: LcwDraft): ExecutionConditions {
  if (d.onDemandOnly) return { '@odata.type': `#${NS}.onDemandExecutionOnly` };
  const trigger = d.triggerKind === 'timeBased'
    ? { '@odata.type': `#${NS}.timeBasedAttributeTrigger` as const, timeBasedAttribute: d.timeBasedAttribute, offsetInDays: Number(d.offsetInDays) }
    : d.triggerKind === 'attributeChange'
      ? { '@odata.type': `#${NS}.attributeChangeTrigger` as const, triggerAttributes: d.triggerAttributes.split(',').map((x) => x.trim()).filter(Boolean).map((name) => ({ name })) }
      : { '@odata.type': `#${NS}.membershipChangeTrigger` as const, changeType: d.changeType };
  // A membership trigger goes with a group scope; every other trigger with a rule.
  const scope = d.triggerKind === 'membershipChange'
    ? { '@odata.type': `#${NS}.groupBasedSubjectSet` as const, groups: d.groups.split(/[\s,]+/).filter(Boolean).map((id) => ({ id })) }
    : { '@odata.type': `#${NS}.ruleBasedSubjectSet` as const, rule: d.rule };
  return { '@odata.type': `#${NS}.triggerAndScopeBasedConditions`, scope, trigger };
}

/** The Graph body of a workflow; arguments left empty are not sent. */
export function workflowBody(d: LcwDraft): Record<string, unknown> {
  return {
    category: d.category,
    displayName: d.displayName,
    description: d.description || null,
    isEnabled: d.isEnabled,
    isSchedulingEnabled: d.isSchedulingEnabled,
    executionConditions: conditionsOf(d),
    tasks: d.tasks.map((t) => ({
      taskDefinitionId: t.taskDefinitionId,
      displayName: t.displayName,
      description: t.description || null,
      continueOnError: t.continueOnError,
      isEnabled: t.isEnabled,
      arguments: Object.entries(t.args).filter(([, v]) => v.trim() !== '').map(([name, value]) => ({ name, value: value.trim() })),
    })),
  };
}
