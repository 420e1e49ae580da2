// Workflow definitions and their immutable versions. Built-in workflows are inserted on first
// start as Active version 1; a run reads the version it pins.
import { sql, type Kysely } from 'kysely';
import type { WorkflowDefinition } from '../engine/definition.ts';
import type { Database } from './schema.ts';

export interface WorkflowSummary {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
  activeVersion: number | null;
  latestVersion: number;
  latestState: string;
}

export class WorkflowsRepo {
  private readonly db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  /** Inserts each built-in that is not there yet as Active version 1 (idempotent, race-safe). */
  async ensureBuiltins(defs: WorkflowDefinition[]): Promise<void> {
    for (const def of defs) {
      const id = def.id!;
      await this.db.transaction().execute(async (trx) => {
        const inserted = await trx.insertInto('workflows')
          .values({ id, name: def.name, description: def.description, builtin: true, active_version: 1 })
          .onConflict((oc) => oc.column('id').doNothing())
          .returning('id').executeTakeFirst();
        if (!inserted) return;
        await trx.insertInto('workflow_versions').values({ workflow_id: id, version: 1, definition: JSON.stringify(def), state: 'Active', note: 'Built-in workflow' }).execute();
        await trx.insertInto('audit_log').values({ entity: 'workflow', entity_id: id, to_state: 'Active', detail: JSON.stringify({ version: 1, builtin: true }), actor: null }).execute();
      });
    }
  }

  async get(id: string, version?: number): Promise<{ definition: WorkflowDefinition; version: number; state: string } | undefined> {
    let q = this.db.selectFrom('workflow_versions').innerJoin('workflows', 'workflows.id', 'workflow_versions.workflow_id')
      .select(['workflow_versions.definition', 'workflow_versions.version', 'workflow_versions.state'])
      .where('workflow_versions.workflow_id', '=', id);
    q = version !== undefined ? q.where('workflow_versions.version', '=', version) : q.whereRef('workflow_versions.version', '=', 'workflows.active_version');
    const r = await q.executeTakeFirst();
    return r ? { definition: { ...(r.definition as unknown as WorkflowDefinition), id }, version: r.version, state: r.state } : undefined;
  }

  /** Active workflows designed here (not built in), with their Active definitions. */
  async activeDesigned(): Promise<Array<{ id: string; name: string; definition: WorkflowDefinition }>> {
    const rows = await this.db.selectFrom('workflows').innerJoin('workflow_versions', (j) => j
      .onRef('workflow_versions.workflow_id', '=', 'workflows.id').onRef('workflow_versions.version', '=', 'workflows.active_version'))
      .select(['workflows.id', 'workflows.name', 'workflow_versions.definition'])
      .where('workflows.builtin', '=', false)
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, definition: { ...(r.definition as unknown as WorkflowDefinition), id: r.id } }));
  }

  async list(): Promise<WorkflowSummary[]> {
    const rows = await this.db.selectFrom('workflows')
      .select(['workflows.id', 'workflows.name', 'workflows.description', 'workflows.builtin', 'workflows.active_version'])
      .select((eb) => [
        eb.selectFrom('workflow_versions').select(sql<number>`max(version)`.as('v')).whereRef('workflow_versions.workflow_id', '=', 'workflows.id').as('latest_version'),
        eb.selectFrom('workflow_versions as wv').select('wv.state').whereRef('wv.workflow_id', '=', 'workflows.id').orderBy('wv.version', 'desc').limit(1).as('latest_state'),
      ])
      .orderBy('workflows.name').execute();
    return rows.map((r) => ({
      id: r.id, name: r.name, description: r.description, builtin: r.builtin, activeVersion: r.active_version,
      latestVersion: Number(r.latest_version ?? 0), latestState: String(r.latest_state ?? ''),
    }));
  }
}
