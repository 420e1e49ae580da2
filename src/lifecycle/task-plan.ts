// From a workflow's tasks to durable-engine steps for one user: each built-in task definition maps
// to catalog actions (or a lifecycle action built on them). A task Tenantflow cannot carry out
// becomes a step that fails with the reason — never one that silently succeeds.
import type { WorkflowStep } from '../engine/definition.ts';
import { ATTRIBUTES } from '../m365/actions/account/user-attributes.ts';
import { LCW_ACTIONS } from './actions/support.ts';
import type { DirectoryUser, Manager } from './directory.ts';
import { arg, emailDefaults, planEmail, type EmailContext } from './email.ts';
import type { Task } from './model.ts';
import { TENANTFLOW_TASK_IDS } from './task-definitions.ts';

export interface PlanContext extends EmailContext {
  user: DirectoryUser;
  manager: Manager | null;
  /** The taskProcessingResult id of each task (custom extensions need it for the callback). */
  taskResultIds: ReadonlyMap<string, string>;
  now: number;
  /** Seconds a custom extension may wait for its callback, by extension id (undefined: no wait). */
  extensionWaitSeconds(id: string): Promise<number | undefined>;
}

export interface PlannedTask {
  task: Task;
  steps: WorkflowStep[];
}

type Inputs = Record<string, unknown>;
type Plan = { action: string; inputs: Inputs; timeoutSeconds?: number } | { fail: string; fix?: string };

const ids = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const D = {
  addGroups: '22085229-5809-45e8-97fd-270d28d66910', disable: '1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950', enable: '6fc52c9d-398b-4305-9763-15f42c1676fc',
  removeSelectedGroups: '1953a66c-751c-45e5-8bfe-01462c70da3c', tap: '1b555e50-7f65-41d5-b514-5894a026d10d', requestPackage: 'c1ec1e76-f374-4375-aaa6-0bb6bd4c60be',
  assignLicenses: '683c87a4-2ad4-420b-97d4-220d90afcd24', addTeams: 'e440ed8d-25a1-4618-84ce-091ed5be5594', customExtension: '4262b724-8dba-4fad-afc3-43fcbb497a0e',
  removeAllGroups: 'b3a31406-2a15-4c9a-b25b-a658fa5f07fc', removeSelectedTeams: '06aa7acb-01af-4824-8899-b14e5ed788d6', removeAllTeams: '81f7b200-2816-4b3b-8c5d-dc556f07b024',
  removePackage: '4a0b64f2-c7ec-46ba-b117-18f262946c50', removeAllPackages: '42ae2956-193d-4f39-be06-691b8ac4fa1d', cancelPackageRequests: '498770d9-bab7-4e4c-b73d-5ded82a1d0b3',
  removeLicenses: '5fc402a8-daaf-4b7b-9203-da868b05fc5f', removeAllLicenses: '8fa97d28-3e52-4985-b3a9-a1126f9b8b4e', revoke: '509589a4-0466-4471-829e-49c5e502bdee',
  deleteUser: '8d18588d-9ad3-4c0f-99d0-ec215f0e3dff', updateAttributes: '2c8f4a1b-7d3e-4f9c-8a5b-6e1d2c3f4a5b',
  guestRemovalEmail: 'a8e4c7f2-9d1b-4a3e-b5c6-8f2e7a9d4c1b', sponsorTransferEmail: 'b8c4e1f9-3a7d-4b2e-9c5f-8d6a9b1c2e3f',
  coSponsorEmail: 'ad3b85cd-75b1-43e7-b4b9-0e52faba3944', transferSponsorships: 'b8f4c3d5-9e7a-4b1c-8f2d-6a5e8b9c7f4a',
} as const;

const ACCESS_PACKAGES = 'Access package tasks need Entra ID Governance entitlement management, which is not in Tenantflow\'s action catalog.';
const AGENT_IDENTITIES = 'Agent identity sponsorship tasks need agent identity data, which Tenantflow does not manage.';

const onPremises = (name: string): Plan => ({
  fail: `The argument ${name}=true asks to change the on-premises Active Directory account, which Tenantflow cannot reach.`,
  fix: `Set ${name} to false (the cloud account is changed) and make the on-premises change in Active Directory.`,
});

/** Who a mailbox task's user argument names: Manager, a user id, or an address. */
async function person(value: string | undefined, what: string, ctx: PlanContext): Promise<string | { fail: string }> {
  if (!value || value === 'Manager') {
    if (!ctx.manager?.userPrincipalName) return { fail: `${String(ctx.user.userPrincipalName)} has no manager to use as ${what}; set the manager or name the ${what} in the task's arguments.` };
    return ctx.manager.userPrincipalName;
  }
  if (guid.test(value)) {
    const u = await ctx.lookupUser(value);
    if (!u?.userPrincipalName) return { fail: `The ${what} ${value} is not a user of this tenant.` };
    return u.userPrincipalName;
  }
  return value;
}

async function planOne(task: Task, ctx: PlanContext): Promise<Plan[]> {
  const user = String(ctx.user.userPrincipalName);
  const a = (name: string) => arg(task.arguments, name);
  const def = task.taskDefinitionId.toLowerCase();
  switch (def) {
    case D.enable: return [a('enableOnPremisesAccount') === 'true' ? onPremises('enableOnPremisesAccount') : { action: 'enable-user', inputs: { user } }];
    case D.disable: return [a('disableOnPremisesAccount') === 'true' ? onPremises('disableOnPremisesAccount') : { action: 'disable-user', inputs: { user } }];
    case D.deleteUser: return [a('deleteOnPremisesAccount') === 'true' ? onPremises('deleteOnPremisesAccount') : { action: 'delete-user', inputs: { user } }];
    case D.revoke: return [{ action: 'revoke-sessions', inputs: { user } }];
    case D.addGroups: case D.addTeams: case D.removeSelectedGroups: case D.removeSelectedTeams: {
      const name = def === D.addGroups || def === D.removeSelectedGroups ? 'groupID' : 'teamID';
      const groups = ids(a(name));
      if (!groups.length) return [{ fail: `The task has no ${name} argument: name the ${name === 'groupID' ? 'group' : 'team'} (object id) in a new version of the workflow.` }];
      const add = def === D.addGroups || def === D.addTeams;
      // A team is a Microsoft 365 group: its membership is the team's.
      return [{ action: add ? 'add-to-group' : 'remove-from-group', inputs: { user, group: groups } }];
    }
    case D.removeAllGroups: return [{ action: 'remove-from-group', inputs: { user, all: true } }];
    case D.removeAllTeams: return [{ action: LCW_ACTIONS.removeAllTeams, inputs: { user } }];
    case D.assignLicenses: case D.removeLicenses: {
      const skus = ids(a('licenses'));
      if (!skus.length) return [{ fail: 'The task has no licenses argument: give the skuId(s) in a new version of the workflow.' }];
      return skus.map((sku) => ({ action: def === D.assignLicenses ? 'assign-license' : 'remove-license', inputs: { user, sku } }));
    }
    case D.removeAllLicenses: return [{ action: 'remove-license', inputs: { user, all: true } }];
    case D.updateAttributes: return [updateAttributes(a('attributeUpdates'), user)];
    case D.tap: {
      const email = await planEmail(task.taskDefinitionId, task.arguments, ctx);
      if (!email.ok) return [{ fail: email.reason }];
      const lifetime = Number(a('tapLifetimeMinutes') ?? 60);
      const hire = typeof ctx.user.employeeHireDate === 'string' ? Date.parse(ctx.user.employeeHireDate) : NaN;
      // Microsoft starts the pass on the hire date, or now when that has passed.
      const start = Number.isFinite(hire) && hire > ctx.now ? new Date(hire).toISOString() : undefined;
      return [{
        action: LCW_ACTIONS.tapEmail,
        inputs: { user, sender: email.sender, to: email.to, cc: email.cc, subject: email.subject, message: email.message, lifetimeInMinutes: lifetime, isUsableOnce: a('tapIsUsableOnce') === 'true', ...(start ? { startDateTime: start } : {}) },
      }];
    }
    case D.customExtension: {
      const id = a('customTaskExtensionID');
      if (!id) return [{ fail: 'The task has no customTaskExtensionID argument.' }];
      const wait = await ctx.extensionWaitSeconds(id);
      return [{ action: LCW_ACTIONS.customExtension, inputs: { taskProcessingResultId: ctx.taskResultIds.get(task.id), customTaskExtensionId: id }, ...(wait ? { timeoutSeconds: wait + 300 } : {}) }];
    }
    case D.requestPackage: case D.removePackage: case D.removeAllPackages: case D.cancelPackageRequests:
      return [{ fail: ACCESS_PACKAGES, fix: 'Remove the task, or assign the access package in Entra.' }];
    case D.guestRemovalEmail: case D.sponsorTransferEmail: case D.coSponsorEmail: case D.transferSponsorships:
      return [{ fail: AGENT_IDENTITIES, fix: 'Remove the task from the workflow.' }];
    case TENANTFLOW_TASK_IDS.convertToShared: return [{ action: 'convert-to-shared', inputs: { user } }];
    case TENANTFLOW_TASK_IDS.setOutOfOffice: {
      const message = a('message') ?? `${String(ctx.user.displayName ?? user)} is no longer with the organization. Please contact ${ctx.manager?.mail ?? 'the office'}.`;
      return [{ action: 'set-out-of-office', inputs: { user, message, ...(a('externalMessage') ? { externalMessage: a('externalMessage') } : {}), ...(a('externalAudience') ? { externalAudience: a('externalAudience') } : {}) } }];
    }
    case TENANTFLOW_TASK_IDS.forwardMail: {
      const to = await person(a('forwardTo'), 'forwarding address', ctx);
      if (typeof to !== 'string') return [to];
      return [{ action: 'configure-forwarding', inputs: { user, forwardTo: to, keepCopy: a('keepCopy') !== 'false' } }];
    }
    case TENANTFLOW_TASK_IDS.delegateMailbox: {
      const delegate = await person(a('delegate'), 'delegate', ctx);
      if (typeof delegate !== 'string') return [delegate];
      return [{ action: 'add-mailbox-permission', inputs: { user, delegate, accessRights: a('accessRights') ?? 'FullAccess' } }];
    }
    default: {
      if (emailDefaults[def]) {
        const email = await planEmail(task.taskDefinitionId, task.arguments, ctx);
        if (!email.ok) return [{ fail: email.reason }];
        return [{ action: 'send-email', inputs: { user: email.sender, to: email.to, subject: email.subject, message: email.message, ...(email.cc.length ? { cc: email.cc } : {}) } }];
      }
      return [{ fail: `Task definition ${task.taskDefinitionId} is not one Tenantflow can run.` }];
    }
  }
}

function updateAttributes(raw: string | undefined, user: string): Plan {
  if (!raw) return { fail: 'The task has no attributeUpdates argument.' };
  let list: unknown;
  try { list = JSON.parse(raw); } catch { return { fail: 'attributeUpdates is not valid JSON; expected [{"attribute":"department","value":"Sales"}].' }; }
  if (!Array.isArray(list) || !list.length) return { fail: 'attributeUpdates must be a non-empty JSON list of {"attribute", "value"}.' };
  const inputs: Inputs = { user };
  for (const item of list) {
    const attr = (item as { attribute?: unknown })?.attribute, value = (item as { value?: unknown })?.value;
    if (typeof attr !== 'string' || (value !== null && typeof value !== 'string')) return { fail: 'Each attributeUpdates entry needs a string attribute and a string value.' };
    if (!(ATTRIBUTES as readonly string[]).includes(attr)) return { fail: `update-user cannot change '${attr}'; it can change ${ATTRIBUTES.join(', ')}.` };
    // An empty value clears the attribute, as Microsoft's task does.
    inputs[attr] = value === '' || value === null ? null : value;
  }
  return { action: 'update-user', inputs };
}

/** Engine steps for the enabled tasks, in executionSequence order; a failed plan is a failing step. */
export async function planTasks(tasks: readonly Task[], ctx: PlanContext): Promise<PlannedTask[]> {
  const out: PlannedTask[] = [];
  for (const task of [...tasks].filter((t) => t.isEnabled).sort((x, y) => x.executionSequence - y.executionSequence)) {
    const plans = await planOne(task, ctx);
    const steps = plans.map((p, i): WorkflowStep => {
      const id = plans.length > 1 ? `task${task.executionSequence}_${i + 1}` : `task${task.executionSequence}`;
      const base = { id, name: task.displayName, continueOnError: task.continueOnError };
      if ('fail' in p) return { ...base, action: LCW_ACTIONS.failure, inputs: { reason: p.fail, ...(p.fix ? { fix: p.fix } : {}) }, retry: { maxAttempts: 1, backoffSeconds: 0 } };
      return { ...base, action: p.action, inputs: p.inputs, ...(p.timeoutSeconds ? { timeoutSeconds: p.timeoutSeconds } : {}) };
    });
    out.push({ task, steps });
  }
  return out;
}
