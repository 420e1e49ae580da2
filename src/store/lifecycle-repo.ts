// The lifecycle workflow aggregate: workflows with their immutable versions, tenant settings and
// schedule, custom task extensions, and the snapshots a pass compares against. Runs and processing
// results are in lifecycle-results-repo.ts.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { CustomTaskExtension, ExecutionConditions, QuarantineConfiguration, QuarantineDetails, QuarantineType, Settings, Task, Workflow, WorkflowCategory, WorkflowSetting, WorkflowVersion } from '../lifecycle/model.ts';
import { DEFAULT_SETTINGS, NO_SETTINGS } from '../lifecycle/model.ts';
import { isUuid } from '../core/ids.ts';
import type { Database, LcwCustomTaskExtensionsTable, LcwWorkflowsTable } from './schema.ts';

const j = (v: unknown) => JSON.stringify(v ?? null);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toWorkflow(r: Selectable<LcwWorkflowsTable>): Workflow {
  return {
    id: r.id, tenantId: r.tenant_id, category: r.category as WorkflowCategory, displayName: r.display_name, description: r.description,
    isEnabled: r.is_enabled, isSchedulingEnabled: r.is_scheduling_enabled, version: r.version,
    executionConditions: r.execution_conditions as unknown as ExecutionConditions, tasks: r.tasks as Task[],
    createdDateTime: r.created_at.toISOString(), lastModifiedDateTime: r.last_modified_at.toISOString(), deletedDateTime: iso(r.deleted_at),
    createdBy: r.created_by, lastModifiedBy: r.last_modified_by,
    settings: { ...NO_SETTINGS, ...(r.settings as Partial<WorkflowSetting>) },
    quarantineDetails: { quarantinedDateTime: iso(r.quarantined_at), quarantineReason: r.quarantine_reason, quarantineType: r.quarantine_type as QuarantineType },
    quarantineRelease: r.released_for,
  };
}

function toExtension(r: Selectable<LcwCustomTaskExtensionsTable>): CustomTaskExtension {
  return {
    id: r.id, tenantId: r.tenant_id, displayName: r.display_name, description: r.description,
    endpointConfiguration: r.endpoint_configuration, authenticationConfiguration: r.authentication_configuration,
    clientConfiguration: r.client_configuration, callbackConfiguration: r.callback_configuration,
    createdDateTime: r.created_at.toISOString(), lastModifiedDateTime: r.last_modified_at.toISOString(),
  };
}

export interface ScheduleState extends Settings {
  nextPassAt: Date | null;
  lastPassAt: Date | null;
}

export type WorkflowPatch = Partial<Pick<Workflow, 'displayName' | 'description' | 'isEnabled' | 'isSchedulingEnabled'>>;

export class LifecycleRepo {
  private readonly db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  // --- settings and schedule -------------------------------------------------------------------

  async settings(tenantId: string): Promise<ScheduleState> {
    const r = await this.db.selectFrom('lcw_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
    if (!r) return { ...structuredClone(DEFAULT_SETTINGS), nextPassAt: null, lastPassAt: null };
    return {
      workflowScheduleIntervalInHours: r.schedule_interval_hours, emailSettings: r.email_settings,
      quarantineConfiguration: (r.quarantine_configuration as QuarantineConfiguration | null) ?? null, nextPassAt: r.next_pass_at, lastPassAt: r.last_pass_at,
    };
  }

  async updateSettings(tenantId: string, s: Settings): Promise<void> {
    const quarantine = s.quarantineConfiguration ? j(s.quarantineConfiguration) : null;
    await this.db.insertInto('lcw_settings')
      .values({ tenant_id: tenantId, schedule_interval_hours: s.workflowScheduleIntervalInHours, email_settings: j(s.emailSettings), quarantine_configuration: quarantine })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({
        schedule_interval_hours: s.workflowScheduleIntervalInHours, email_settings: j(s.emailSettings), quarantine_configuration: quarantine, updated_at: sql`now()`,
        // A shorter interval takes effect from the last pass, not after the old, longer one.
        next_pass_at: sql`case when lcw_settings.last_pass_at is null then null else lcw_settings.last_pass_at + make_interval(hours => ${s.workflowScheduleIntervalInHours}) end`,
      }))
      .execute();
  }

  /** Takes the tenant's pass if it is due at `now` (compare-and-set), moving the next one an interval on. */
  async claimPass(tenantId: string, now: Date): Promise<boolean> {
    await this.db.insertInto('lcw_settings').values({ tenant_id: tenantId, email_settings: j(DEFAULT_SETTINGS.emailSettings) })
      .onConflict((oc) => oc.column('tenant_id').doNothing()).execute();
    const res = await this.db.updateTable('lcw_settings')
      .set({ last_pass_at: now, next_pass_at: sql`${now}::timestamptz + make_interval(hours => schedule_interval_hours)` })
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('next_pass_at', 'is', null), eb('next_pass_at', '<=', now)]))
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  // --- workflows and versions ------------------------------------------------------------------

  async countWorkflows(tenantId: string): Promise<number> {
    const r = await this.db.selectFrom('lcw_workflows').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).executeTakeFirst();
    return r?.n ?? 0;
  }

  async nameTaken(tenantId: string, displayName: string, exceptId?: string): Promise<boolean> {
    let q = this.db.selectFrom('lcw_workflows').select('id').where('tenant_id', '=', tenantId).where('deleted_at', 'is', null)
      .where(sql`lower(display_name)`, '=', displayName.toLowerCase());
    if (exceptId) q = q.where('id', '!=', exceptId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  async insertWorkflow(wf: Workflow, version: WorkflowVersion): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('lcw_workflows').values({
        id: wf.id, tenant_id: wf.tenantId, category: wf.category, display_name: wf.displayName, description: wf.description,
        is_enabled: wf.isEnabled, is_scheduling_enabled: wf.isSchedulingEnabled, version: wf.version,
        execution_conditions: j(wf.executionConditions), tasks: j(wf.tasks), created_at: wf.createdDateTime, created_by: wf.createdBy,
        last_modified_at: wf.lastModifiedDateTime, last_modified_by: wf.lastModifiedBy, settings: j(wf.settings ?? NO_SETTINGS),
      }).execute();
      await trx.insertInto('lcw_workflow_versions').values({ workflow_id: wf.id, version_number: version.versionNumber, body: j(version), created_at: version.createdDateTime }).execute();
    });
  }

  /** A workflow of the tenant; soft-deleted ones only when asked for. */
  async workflow(tenantId: string, id: string, opts: { deleted?: boolean } = {}): Promise<Workflow | undefined> {
    if (!isUuid(id)) return undefined;
    const r = await this.db.selectFrom('lcw_workflows').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id)
      .where('deleted_at', opts.deleted ? 'is not' : 'is', null).executeTakeFirst();
    return r ? toWorkflow(r) : undefined;
  }

  async workflowById(id: string): Promise<Workflow | undefined> {
    if (!isUuid(id)) return undefined;
    const r = await this.db.selectFrom('lcw_workflows').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toWorkflow(r) : undefined;
  }

  async workflows(tenantId: string, opts: { deleted?: boolean } = {}): Promise<Workflow[]> {
    const rows = await this.db.selectFrom('lcw_workflows').selectAll().where('tenant_id', '=', tenantId)
      .where('deleted_at', opts.deleted ? 'is not' : 'is', null).orderBy('created_at').execute();
    return rows.map(toWorkflow);
  }

  /** The workflows a pass evaluates: enabled, scheduled, not deleted. */
  async scheduledWorkflows(tenantId: string): Promise<Workflow[]> {
    const rows = await this.db.selectFrom('lcw_workflows').selectAll().where('tenant_id', '=', tenantId).where('deleted_at', 'is', null)
      .where('is_enabled', '=', true).where('is_scheduling_enabled', '=', true).orderBy('created_at').execute();
    return rows.map(toWorkflow);
  }

  async patchWorkflow(id: string, patch: WorkflowPatch, by: string | null, now: Date): Promise<void> {
    await this.db.updateTable('lcw_workflows').set({
      ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.isEnabled !== undefined ? { is_enabled: patch.isEnabled } : {}),
      ...(patch.isSchedulingEnabled !== undefined ? { is_scheduling_enabled: patch.isSchedulingEnabled } : {}),
      last_modified_at: now, last_modified_by: by,
    }).where('id', '=', id).execute();
  }

  /** Makes `next` the current definition if the workflow is still at `fromVersion`; false when another writer won. */
  async addVersion(wf: Workflow, fromVersion: number, version: WorkflowVersion): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const res = await trx.updateTable('lcw_workflows').set({
        display_name: wf.displayName, description: wf.description, is_enabled: wf.isEnabled, is_scheduling_enabled: wf.isSchedulingEnabled,
        version: wf.version, execution_conditions: j(wf.executionConditions), tasks: j(wf.tasks), settings: j(wf.settings ?? NO_SETTINGS),
        last_modified_at: wf.lastModifiedDateTime, last_modified_by: wf.lastModifiedBy,
      }).where('id', '=', wf.id).where('version', '=', fromVersion).where('deleted_at', 'is', null).executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return false;
      await trx.insertInto('lcw_workflow_versions').values({ workflow_id: wf.id, version_number: version.versionNumber, body: j(version), created_at: version.createdDateTime }).execute();
      return true;
    });
  }

  /**
   * Holds the workflow in quarantine, unless it already is (compare-and-set): false when another
   * pass or process got there first. A deleted workflow is not quarantined.
   */
  async quarantine(id: string, details: QuarantineDetails & { quarantinedDateTime: string }, due: number): Promise<boolean> {
    const res = await this.db.updateTable('lcw_workflows')
      .set({ quarantine_type: details.quarantineType, quarantined_at: details.quarantinedDateTime, quarantine_reason: details.quarantineReason, quarantine_due: due, released_for: null })
      .where('id', '=', id).where('quarantine_type', '=', 'notQuarantined').where('deleted_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /**
   * Releases a quarantined workflow, approving the held run: the next pass may process as many
   * newly due users as it held (SET reads the row's old values). False when it was not quarantined.
   */
  async clearQuarantine(id: string): Promise<boolean> {
    const res = await this.db.updateTable('lcw_workflows')
      .set({ quarantine_type: 'notQuarantined', quarantined_at: null, quarantine_reason: null, quarantine_due: null, released_for: sql`quarantine_due` })
      .where('id', '=', id).where('quarantine_type', '!=', 'notQuarantined')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** The pass after a release has run: the thresholds apply again. */
  async endRelease(id: string): Promise<void> {
    await this.db.updateTable('lcw_workflows').set({ released_for: null }).where('id', '=', id).execute();
  }

  /** Task displayName and description change in place (Microsoft allows it without a new version). */
  async setTasks(id: string, tasks: Task[], by: string | null, now: Date): Promise<void> {
    await this.db.updateTable('lcw_workflows').set({ tasks: j(tasks), last_modified_at: now, last_modified_by: by }).where('id', '=', id).execute();
  }

  async versions(workflowId: string): Promise<WorkflowVersion[]> {
    const rows = await this.db.selectFrom('lcw_workflow_versions').select('body').where('workflow_id', '=', workflowId).orderBy('version_number').execute();
    return rows.map((r) => r.body as unknown as WorkflowVersion);
  }

  async version(workflowId: string, n: number): Promise<WorkflowVersion | undefined> {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 31 - 1) return undefined;
    const r = await this.db.selectFrom('lcw_workflow_versions').select('body').where('workflow_id', '=', workflowId).where('version_number', '=', n).executeTakeFirst();
    return r ? (r.body as unknown as WorkflowVersion) : undefined;
  }

  async softDelete(id: string, now: Date): Promise<void> {
    await this.db.updateTable('lcw_workflows').set({ deleted_at: now, is_scheduling_enabled: false }).where('id', '=', id).execute();
  }

  async restore(id: string, now: Date): Promise<void> {
    await this.db.updateTable('lcw_workflows').set({ deleted_at: null, last_modified_at: now }).where('id', '=', id).execute();
  }

  async purge(id: string): Promise<void> {
    await this.db.deleteFrom('lcw_workflows').where('id', '=', id).execute();
  }

  /** Permanently removes workflows soft-deleted before `before` (Microsoft keeps them 30 days). */
  async purgeDeletedBefore(before: Date): Promise<number> {
    const res = await this.db.deleteFrom('lcw_workflows').where('deleted_at', '<', before).executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  // --- custom task extensions ------------------------------------------------------------------

  async countExtensions(tenantId: string): Promise<number> {
    const r = await this.db.selectFrom('lcw_custom_task_extensions').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', tenantId).executeTakeFirst();
    return r?.n ?? 0;
  }

  async insertExtension(x: CustomTaskExtension): Promise<void> {
    await this.db.insertInto('lcw_custom_task_extensions').values({
      id: x.id, tenant_id: x.tenantId, display_name: x.displayName, description: x.description,
      endpoint_configuration: j(x.endpointConfiguration), authentication_configuration: j(x.authenticationConfiguration),
      client_configuration: j(x.clientConfiguration), callback_configuration: j(x.callbackConfiguration),
      created_at: x.createdDateTime, last_modified_at: x.lastModifiedDateTime,
    }).execute();
  }

  async extension(tenantId: string, id: string): Promise<CustomTaskExtension | undefined> {
    if (!isUuid(id)) return undefined;
    const r = await this.db.selectFrom('lcw_custom_task_extensions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return r ? toExtension(r) : undefined;
  }

  async extensions(tenantId: string): Promise<CustomTaskExtension[]> {
    const rows = await this.db.selectFrom('lcw_custom_task_extensions').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').execute();
    return rows.map(toExtension);
  }

  async updateExtension(x: CustomTaskExtension): Promise<void> {
    await this.db.updateTable('lcw_custom_task_extensions').set({
      display_name: x.displayName, description: x.description, endpoint_configuration: j(x.endpointConfiguration),
      authentication_configuration: j(x.authenticationConfiguration), client_configuration: j(x.clientConfiguration),
      callback_configuration: j(x.callbackConfiguration), last_modified_at: x.lastModifiedDateTime,
    }).where('id', '=', x.id).execute();
  }

  async deleteExtension(id: string): Promise<void> {
    await this.db.deleteFrom('lcw_custom_task_extensions').where('id', '=', id).execute();
  }

  // --- snapshots -------------------------------------------------------------------------------

  async snapshot<T>(tenantId: string, kind: string): Promise<{ generation: number; data: T } | undefined> {
    const r = await this.db.selectFrom('lcw_snapshots').select(['generation', 'data']).where('tenant_id', '=', tenantId).where('kind', '=', kind).executeTakeFirst();
    return r ? { generation: r.generation, data: r.data as T } : undefined;
  }

  async saveSnapshot(tenantId: string, kind: string, data: unknown, now: Date): Promise<void> {
    await this.db.insertInto('lcw_snapshots').values({ tenant_id: tenantId, kind, generation: 1, data: j(data), updated_at: now })
      .onConflict((oc) => oc.columns(['tenant_id', 'kind']).doUpdateSet({ generation: sql`lcw_snapshots.generation + 1`, data: j(data), updated_at: now }))
      .execute();
  }
}
