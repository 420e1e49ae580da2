// Notifications: a person learns that a run they started or approved has ended. One row per
// person, run and kind, so a terminal event seen twice (two processes, a replay) notifies once.
// Workflow design notifications (a version to review, approved, changes requested) name a workflow
// version instead of a run and belong to no tenant, so every tenant scope sees them.
import { sql, type Kysely } from 'kysely';
import { newId } from '../core/ids.ts';
import type { Database } from './schema.ts';

export interface Notification {
  id: string;
  runId: string | null;
  kind: string;
  tenantId: string | null;
  workflowId: string | null;
  workflowVersion: number | null;
  title: string;
  state: string;
  createdAt: Date;
  readAt: Date | null;
}

export interface NewNotification {
  runId: string;
  kind: string;
  tenantId: string;
  title: string;
  state: string;
}

export interface NewWorkflowNotification {
  workflowId: string;
  workflowVersion: number;
  kind: string;
  title: string;
  state: string;
}

type Row = {
  id: string; run_id: string | null; kind: string; tenant_id: string | null; title: string; state: string; created_at: Date; read_at: Date | null;
  workflow_id: string | null; workflow_version: number | null;
};

function toNotification(r: Row): Notification {
  return {
    id: r.id, runId: r.run_id, kind: r.kind, tenantId: r.tenant_id, workflowId: r.workflow_id, workflowVersion: r.workflow_version,
    title: r.title, state: r.state, createdAt: r.created_at, readAt: r.read_at,
  };
}

export class NotificationsRepo {
  private readonly db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  /**
   * Inserts one notification per recipient that is a known account (runs started by a schedule
   * have no person behind them). Returns the rows actually created, with their recipient.
   */
  async notify(recipients: readonly string[], n: NewNotification): Promise<Array<Notification & { accountId: string }>> {
    const ids = [...new Set(recipients)];
    if (!ids.length) return [];
    const known = await this.db.selectFrom('accounts').select('id').where('id', 'in', ids).execute();
    if (!known.length) return [];
    const rows = await this.db.insertInto('notifications')
      .values(known.map((a) => ({ id: newId(), account_id: a.id, run_id: n.runId, kind: n.kind, tenant_id: n.tenantId, title: n.title, state: n.state })))
      .onConflict((oc) => oc.columns(['account_id', 'run_id', 'kind']).doNothing())
      .returningAll()
      .execute();
    return rows.map((r) => ({ ...toNotification(r), accountId: r.account_id }));
  }

  /** One notification per enabled recipient about a workflow version (each transition notifies once). */
  async notifyWorkflow(recipients: readonly string[], n: NewWorkflowNotification): Promise<Array<Notification & { accountId: string }>> {
    const ids = [...new Set(recipients)];
    if (!ids.length) return [];
    const known = await this.db.selectFrom('accounts').select('id').where('id', 'in', ids).where('disabled', '=', false).execute();
    if (!known.length) return [];
    const rows = await this.db.insertInto('notifications')
      .values(known.map((a) => ({ id: newId(), account_id: a.id, run_id: null, tenant_id: null, workflow_id: n.workflowId, workflow_version: n.workflowVersion, kind: n.kind, title: n.title, state: n.state })))
      .returningAll()
      .execute();
    return rows.map((r) => ({ ...toNotification(r), accountId: r.account_id }));
  }

  /** One notification per enabled recipient about a lifecycle workflow of a tenant (a quarantine, say). */
  async notifyLifecycle(recipients: readonly string[], n: { tenantId: string; workflowId: string; kind: string; title: string; state: string }): Promise<Array<Notification & { accountId: string }>> {
    const ids = [...new Set(recipients)];
    if (!ids.length) return [];
    const known = await this.db.selectFrom('accounts').select('id').where('id', 'in', ids).where('disabled', '=', false).execute();
    if (!known.length) return [];
    const rows = await this.db.insertInto('notifications')
      .values(known.map((a) => ({ id: newId(), account_id: a.id, run_id: null, tenant_id: n.tenantId, workflow_id: n.workflowId, workflow_version: null, kind: n.kind, title: n.title, state: n.state })))
      .returningAll()
      .execute();
    return rows.map((r) => ({ ...toNotification(r), accountId: r.account_id }));
  }

  /** Newest first, optionally only those within the given tenants. */
  async list(accountId: string, opts: { limit: number; unreadOnly?: boolean; tenants?: readonly string[] }): Promise<Notification[]> {
    let q = this.db.selectFrom('notifications').selectAll().where('account_id', '=', accountId);
    if (opts.unreadOnly) q = q.where('read_at', 'is', null);
    const tenants = opts.tenants;
    if (tenants) q = q.where((eb) => (tenants.length ? eb.or([eb('tenant_id', 'in', [...tenants]), eb('tenant_id', 'is', null)]) : eb('tenant_id', 'is', null)));
    const rows = await q.orderBy('created_at', 'desc').limit(opts.limit).execute();
    return rows.map(toNotification);
  }

  async unreadCount(accountId: string, tenants?: readonly string[]): Promise<number> {
    let q = this.db.selectFrom('notifications').select(sql<number>`count(*)::int`.as('n')).where('account_id', '=', accountId).where('read_at', 'is', null);
    if (tenants) q = q.where((eb) => (tenants.length ? eb.or([eb('tenant_id', 'in', [...tenants]), eb('tenant_id', 'is', null)]) : eb('tenant_id', 'is', null)));
    return (await q.executeTakeFirstOrThrow()).n;
  }

  /** Marks one of the account's notifications read; false when it is not theirs or not there. */
  async markRead(accountId: string, id: string): Promise<boolean> {
    const r = await this.db.updateTable('notifications').set({ read_at: sql`coalesce(read_at, now())` })
      .where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async markAllRead(accountId: string): Promise<number> {
    const r = await this.db.updateTable('notifications').set({ read_at: sql`now()` })
      .where('account_id', '=', accountId).where('read_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}
