// What the review of a workflow version needs beyond the store: who hears about it (the bell, a
// live toast and optionally an email through Graph sendMail), and a dry-run preview in a demo
// tenant. The dry-run plans the run exactly as a card would (createRun) but stores nothing: a
// review page opened ten times must not leave ten Pending cards behind.
import { assertNever } from '../core/assert-never.ts';
import { AppError } from '../core/errors.ts';
import { stableId } from '../core/ids.ts';
import type { WorkflowDefinition } from '../engine/definition.ts';
import type { DesignEvent, DesignEventBus, DesignState } from '../engine/design-state.ts';
import { createRun } from '../engine/planner.ts';
import type { EnginePorts, RunRepository } from '../engine/ports.ts';
import type { MissingQuestion, RunPreview } from '../engine/types.ts';
import type { ErrorBody } from '../core/errors.ts';
import { demoTenantSeeds } from '../m365/demo-tenants.ts';
import type { Account } from '../store/accounts-repo.ts';
import type { DesignSettingsRepo } from '../store/design-settings-repo.ts';
import { NotificationsRepo } from '../store/notifications-repo.ts';
import { scopedTenant, tenantScope, type Caller } from './http/auth.ts';
import { pushNotification } from './routes/notifications.routes.ts';
import type { Runtime } from './runtime.ts';

const demoTenantIds = new Set(demoTenantSeeds.map((d) => stableId(`tenant:${d.key}`)));

export function isDemoTenant(tenantId: string): boolean {
  return demoTenantIds.has(tenantId);
}

/**
 * The demo tenant a dry-run or a test run of a not-yet-Active version may use: the one named (it
 * must be a demo tenant in the caller's scope), or the first demo tenant the caller may act in.
 */
export function demoTenantFor(rt: Runtime, caller: Caller, ref?: string | null): string {
  if (ref) {
    const id = scopedTenant(rt, caller, ref);
    if (!isDemoTenant(id)) {
      throw new AppError({ code: 'invalid_parameter', param: 'tenant', value: ref, message: `${rt.registry.get(id).domain} is a customer tenant; a version that is not Active may only be tried in a demo tenant.`, fix: `Use one of the demo tenants: ${demoTenantSeeds.map((d) => d.domain).join(', ')}.` });
    }
    return id;
  }
  const scope = tenantScope(rt, caller);
  const first = rt.registry.list().find((t) => isDemoTenant(t.id) && scope.has(t.id));
  if (!first) throw new AppError({ code: 'unknown_tenant', param: 'tenant', message: 'You may act in no demo tenant, so there is nowhere to try this version.', fix: 'Ask an admin to add a demo tenant (contoso or fabrikam) to your account.' });
  return first.id;
}

export interface DryRunResult {
  tenant: { id: string; domain: string };
  params: Record<string, unknown>;
  preview: RunPreview;
  missing: MissingQuestion[];
  errors: ErrorBody[];
}

/** Plans a run of a definition in a demo tenant as a card would, reading the tenant but storing nothing. */
export async function dryRun(rt: Runtime, tenantId: string, wf: { workflowId: string; version: number; definition: WorkflowDefinition }, params: Record<string, unknown>): Promise<DryRunResult> {
  // The planner's only write is runs.createRun; this repository view drops it.
  const runs = Object.create(rt.ports.runs, { createRun: { value: async () => {} } }) as RunRepository;
  const ports: EnginePorts = { ...rt.ports, runs };
  const planned = await createRun(ports, { tenantId, workflowId: wf.workflowId, params, context: {}, actor: null, definition: wf });
  const t = rt.registry.get(tenantId);
  return { tenant: { id: t.id, domain: t.domain }, params, preview: planned.preview, missing: planned.missing, errors: planned.errors };
}

export const designNotificationKinds = {
  AwaitingReview: 'workflow.review-requested',
  Approved: 'workflow.approved',
  ChangesRequested: 'workflow.changes-requested',
  Active: 'workflow.activated',
} as const;

type NotifiedState = keyof typeof designNotificationKinds;
function isNotified(s: DesignState): s is NotifiedState {
  return s in designNotificationKinds;
}

/**
 * Turns design transitions into notifications: a submitted version goes to every reviewer and admin
 * but its author and submitter; a decision or an activation goes back to the author and submitter
 * (and an approval to the admins, who activate). Handlers run after the commit; routes await
 * settled() so a caller's answer comes after the bell rang.
 */
export class DesignNotifier {
  private readonly rt: Runtime;
  private readonly settings: DesignSettingsRepo;
  private readonly repo: NotificationsRepo;
  private readonly inflight = new Set<Promise<void>>();
  private readonly off: () => void;

  constructor(rt: Runtime, bus: DesignEventBus, settings: DesignSettingsRepo) {
    this.rt = rt;
    this.settings = settings;
    this.repo = new NotificationsRepo(rt.store.db);
    this.off = bus.subscribe((e) => {
      const p: Promise<void> = this.handle(e)
        .catch((err: unknown) => rt.log.warn({ err, workflowId: e.workflowId, version: e.version }, 'could not notify about the workflow transition'))
        .finally(() => this.inflight.delete(p));
      this.inflight.add(p);
    });
  }

  async settled(): Promise<void> {
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }

  close(): void {
    this.off();
  }

  private async handle(e: DesignEvent): Promise<void> {
    if (e.from === null) return; // a save notifies nobody; a submit does
    const to = e.to;
    if (!isNotified(to)) return;
    const kind = designNotificationKinds[to];
    const accounts = (await this.rt.accounts.list()).filter((a) => !a.disabled);
    const version = await this.rt.store.db.selectFrom('workflow_versions').select(['definition', 'submitted_by', 'author'])
      .where('workflow_id', '=', e.workflowId).where('version', '=', e.version).executeTakeFirst();
    if (!version) return;
    const name = String((version.definition as { name?: unknown }).name ?? e.workflowId);
    const owners = new Set([version.author, version.submitted_by].filter((x): x is string => !!x));
    let recipients: Account[];
    let title: string;
    switch (to) {
      case 'AwaitingReview':
        recipients = accounts.filter((a) => (a.role === 'reviewer' || a.role === 'admin') && !owners.has(a.id));
        title = `Review requested: ${name} v${e.version}${e.note ? ` (${e.note})` : ''}`;
        break;
      case 'Approved':
        recipients = accounts.filter((a) => owners.has(a.id) || a.role === 'admin');
        title = `Approved: ${name} v${e.version}; an admin can activate it`;
        break;
      case 'ChangesRequested':
        recipients = accounts.filter((a) => owners.has(a.id));
        title = `Changes requested: ${name} v${e.version}${e.note ? ` (${e.note})` : ''}`;
        break;
      case 'Active':
        recipients = accounts.filter((a) => owners.has(a.id));
        title = `Activated: ${name} v${e.version} now serves runs`;
        break;
      default:
        return assertNever(to, 'design state');
    }
    recipients = recipients.filter((a) => a.id !== e.actor);
    const created = await this.repo.notifyWorkflow(recipients.map((a) => a.id), { workflowId: e.workflowId, workflowVersion: e.version, kind, title, state: e.to });
    for (const n of created) pushNotification(this.rt, n);
    if (e.to === 'AwaitingReview') await this.mail(recipients, title, e, name);
  }

  /** The optional email to reviewers; a failure is logged, never fatal: the bell already rang. */
  private async mail(recipients: Account[], subject: string, e: DesignEvent, name: string): Promise<void> {
    const cfg = (await this.settings.get()).reviewMail;
    const to = recipients.map((a) => a.email).filter((x): x is string => !!x);
    if (!cfg || !to.length) return;
    const tenant = this.rt.registry.find(cfg.tenant);
    if (!tenant) {
      this.rt.log.warn({ tenant: cfg.tenant }, 'review mail is configured for a tenant that is not configured');
      return;
    }
    const content = [
      `Version ${e.version} of the workflow "${name}" (${e.workflowId}) waits for your review.`,
      e.note ? `Note from the author: ${e.note}` : '',
      `Open it in Tenantflow: /workflows/${e.workflowId}/versions/${e.version}`,
    ].filter(Boolean).join('\n\n');
    try {
      await this.rt.connector.graph(tenant.id).post(`/users/${encodeURIComponent(cfg.from)}/sendMail`, {
        message: { subject, body: { contentType: 'Text', content }, toRecipients: to.map((address) => ({ emailAddress: { address } })) },
        saveToSentItems: false,
      });
    } catch (err) {
      this.rt.log.warn({ err, workflowId: e.workflowId, version: e.version }, 'could not email the reviewers');
    }
  }
}
