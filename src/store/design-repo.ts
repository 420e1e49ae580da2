// The design lifecycle of workflows: immutable versions, their design state, reviews and the audit
// trail. Every mutation of one workflow runs in a transaction that first locks the workflow's row,
// so two people saving, reviewing or activating at once are serialised, and every change of state
// goes through transition(): a compare-and-set update, an audit row (entity 'workflow') and, after
// the commit, a DesignEvent.
import { sql, type Kysely, type Transaction } from 'kysely';
import { AppError } from '../core/errors.ts';
import type { WorkflowDefinition } from '../engine/definition.ts';
import { canTransitionDesign, isDesignState, type DesignAction, type DesignEvent, type DesignEventSink, type DesignState } from '../engine/design-state.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface VersionRecord {
  workflowId: string;
  version: number;
  state: DesignState;
  definition: WorkflowDefinition;
  author: string | null;
  authorName: string | null;
  note: string;
  createdAt: Date;
  reviewRound: number;
  submittedBy: string | null;
  submittedAt: Date | null;
  submitNote: string | null;
  testParams: Record<string, unknown> | null;
  testTenant: string | null;
}

export interface WorkflowRecord {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
  activeVersion: number | null;
  createdBy: string | null;
  createdAt: Date;
}

export interface ReviewRecord {
  version: number;
  round: number;
  reviewer: string;
  reviewerName: string | null;
  decision: 'approve' | 'request-changes';
  comment: string;
  createdAt: Date;
}

export interface AuditRecord {
  at: Date;
  actor: string | null;
  actorName: string | null;
  from: string | null;
  to: string;
  detail: Record<string, unknown>;
}

export interface SaveOptions {
  baseVersion: number;
  actor: string;
  note: string;
  action: Extract<DesignAction, 'save' | 'restore'>;
  restoredFrom?: number;
}

export interface ReviewOutcome {
  state: DesignState;
  approvals: number;
  required: number;
}

const versionColumns = [
  'workflow_versions.workflow_id', 'workflow_versions.version', 'workflow_versions.state', 'workflow_versions.definition',
  'workflow_versions.author', 'workflow_versions.note', 'workflow_versions.created_at', 'workflow_versions.review_round',
  'workflow_versions.submitted_by', 'workflow_versions.submitted_at', 'workflow_versions.submit_note',
  'workflow_versions.test_params', 'workflow_versions.test_tenant', 'accounts.username as author_name',
] as const;

type VersionRow = {
  workflow_id: string; version: number; state: string; definition: Record<string, unknown>; author: string | null; note: string;
  created_at: Date; review_round: number; submitted_by: string | null; submitted_at: Date | null; submit_note: string | null;
  test_params: Record<string, unknown> | null; test_tenant: string | null; author_name: string | null;
};

function toVersion(r: VersionRow): VersionRecord {
  if (!isDesignState(r.state)) throw new AppError({ code: 'internal_error', message: `Workflow ${r.workflow_id} v${r.version} has unknown design state '${r.state}'.` });
  return {
    workflowId: r.workflow_id, version: r.version, state: r.state,
    definition: { ...(r.definition as unknown as WorkflowDefinition), id: r.workflow_id },
    author: r.author, authorName: r.author_name, note: r.note, createdAt: r.created_at, reviewRound: r.review_round,
    submittedBy: r.submitted_by, submittedAt: r.submitted_at, submitNote: r.submit_note,
    testParams: r.test_params, testTenant: r.test_tenant,
  };
}

function wrongState(workflowId: string, v: { version: number; state: DesignState }, wanted: string, fix: string): AppError {
  return new AppError({
    code: 'invalid_state',
    message: `Workflow '${workflowId}' version ${v.version} is ${v.state}; this needs ${wanted}.`,
    fix,
    details: { state: v.state, version: v.version },
  });
}

export class DesignRepo {
  private readonly db: Kysely<Database>;
  private readonly events: DesignEventSink;
  constructor(db: Kysely<Database>, events: DesignEventSink) {
    this.db = db;
    this.events = events;
  }

  async workflow(id: string, db: Db = this.db): Promise<WorkflowRecord | undefined> {
    const r = await db.selectFrom('workflows').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? { id: r.id, name: r.name, description: r.description, builtin: r.builtin, activeVersion: r.active_version, createdBy: r.created_by, createdAt: r.created_at } : undefined;
  }

  /** Newest first. */
  async versions(id: string): Promise<VersionRecord[]> {
    const rows = await this.versionQuery(this.db, id).orderBy('workflow_versions.version', 'desc').execute();
    return rows.map((r) => toVersion(r as VersionRow));
  }

  async version(id: string, version: number, db: Db = this.db): Promise<VersionRecord | undefined> {
    const r = await this.versionQuery(db, id).where('workflow_versions.version', '=', version).executeTakeFirst();
    return r ? toVersion(r as VersionRow) : undefined;
  }

  /** The latest version: the one being designed (or the Active one when nobody is editing). */
  async head(id: string, db: Db = this.db): Promise<VersionRecord | undefined> {
    const r = await this.versionQuery(db, id).orderBy('workflow_versions.version', 'desc').limit(1).executeTakeFirst();
    return r ? toVersion(r as VersionRow) : undefined;
  }

  /** A new workflow whose version 1 is a Draft. */
  async create(def: WorkflowDefinition & { id: string }, actor: string, note: string): Promise<VersionRecord> {
    const events: DesignEvent[] = [];
    const created = await this.db.transaction().execute(async (trx) => {
      const inserted = await trx.insertInto('workflows')
        .values({ id: def.id, name: def.name, description: def.description, builtin: false, active_version: null, created_by: actor })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id').executeTakeFirst();
      if (!inserted) throw new AppError({ code: 'conflict', message: `A workflow with id '${def.id}' already exists.`, fix: 'Choose another id, or save a new version of that workflow with PUT /api/workflows/{id}/draft.', param: 'id', value: def.id });
      await this.insertVersion(trx, def.id, 1, def, actor, note);
      events.push(await this.audit(trx, def.id, 1, null, 'Draft', 'create', actor, actor, { note }));
      return (await this.version(def.id, 1, trx))!;
    });
    this.publish(events);
    return created;
  }

  /**
   * Saves a new Draft version on top of the head. The caller names the version it edited
   * (baseVersion): if someone saved in between, nothing is written and the answer is 409 with the
   * current version, so no edit is silently lost.
   */
  async save(id: string, def: WorkflowDefinition, o: SaveOptions): Promise<VersionRecord> {
    const events: DesignEvent[] = [];
    const saved = await this.db.transaction().execute(async (trx) => {
      await this.lock(trx, id);
      const head = (await this.head(id, trx))!;
      if (head.version !== o.baseVersion) {
        throw new AppError({
          code: 'conflict',
          message: `Workflow '${id}' was saved as version ${head.version} (by ${head.authorName ?? 'someone else'}) after version ${o.baseVersion}, which your edit is based on.`,
          fix: `Load version ${head.version}, merge your changes into it, and save again with baseVersion ${head.version}.`,
          details: { currentVersion: head.version, currentState: head.state, baseVersion: o.baseVersion, author: head.authorName, savedAt: head.createdAt },
        });
      }
      if (head.state === 'AwaitingReview') {
        throw wrongState(id, head, 'no version awaiting review', 'Wait for the review, or ask a reviewer to request changes, then save again.');
      }
      const version = head.version + 1;
      await this.insertVersion(trx, id, version, { ...def, id }, o.actor, o.note);
      events.push(await this.audit(trx, id, version, null, 'Draft', o.action, o.actor, o.actor, {
        note: o.note, baseVersion: o.baseVersion, ...(o.restoredFrom !== undefined ? { restoredFrom: o.restoredFrom } : {}),
      }));
      await trx.updateTable('workflows').set({ updated_at: sql`now()` }).where('id', '=', id).execute();
      return (await this.version(id, version, trx))!;
    });
    this.publish(events);
    return saved;
  }

  /** Draft → AwaitingReview for the head version, starting a new review round. */
  async submit(id: string, o: { version: number; actor: string; note: string; testParams: Record<string, unknown> | null; testTenant: string | null }): Promise<VersionRecord> {
    const events: DesignEvent[] = [];
    const submitted = await this.db.transaction().execute(async (trx) => {
      await this.lock(trx, id);
      const head = (await this.head(id, trx))!;
      if (head.version !== o.version) {
        throw new AppError({
          code: 'conflict',
          message: `Version ${o.version} of '${id}' is no longer the latest: version ${head.version} was saved since.`,
          fix: `Check version ${head.version} and submit it instead.`,
          details: { currentVersion: head.version, currentState: head.state },
        });
      }
      if (head.state !== 'Draft') throw wrongState(id, head, 'a Draft', head.state === 'ChangesRequested' ? 'Save a new version with the requested changes (or reopen this one), then submit.' : 'Save a new version to start a new Draft, then submit it.');
      events.push(await this.transition(trx, id, head, ['Draft'], 'AwaitingReview', 'submit', o.actor, { note: o.note }, {
        review_round: head.reviewRound + 1, submitted_by: o.actor, submitted_at: sql<Date>`now()` as unknown as Date, submit_note: o.note,
        test_params: o.testParams ? JSON.stringify(o.testParams) : null, test_tenant: o.testTenant,
      }));
      return (await this.version(id, head.version, trx))!;
    });
    this.publish(events);
    return submitted;
  }

  /**
   * Records one reviewer's decision on the version awaiting review. The author and the submitter
   * may never decide on it (four eyes); approvals count distinct people of the current round.
   */
  async review(id: string, o: { actor: string; decision: 'approve' | 'request-changes'; comment: string; required: number; version?: number }): Promise<ReviewOutcome & { version: number }> {
    const events: DesignEvent[] = [];
    const outcome = await this.db.transaction().execute(async (trx) => {
      await this.lock(trx, id);
      const target = (o.version !== undefined ? await this.version(id, o.version, trx) : await this.head(id, trx));
      if (!target) throw new AppError({ code: 'not_found', message: `Workflow '${id}' has no version ${o.version}.`, fix: `GET /api/workflows/${id}/versions lists them.` });
      if (target.state !== 'AwaitingReview') throw wrongState(id, target, 'AwaitingReview', 'Only a submitted version can be reviewed.');
      if (target.author === o.actor || target.submittedBy === o.actor) {
        throw new AppError({
          code: 'forbidden',
          message: `You ${target.author === o.actor ? 'authored' : 'submitted'} version ${target.version} of '${id}', so you cannot review it: every version needs a second person (four eyes).`,
          fix: 'Ask another reviewer or admin to review it.',
          details: { reason: 'four_eyes', version: target.version },
        });
      }
      const inserted = await trx.insertInto('workflow_reviews')
        .values({ workflow_id: id, version: target.version, round: target.reviewRound, reviewer: o.actor, decision: o.decision, comment: o.comment })
        .onConflict((oc) => oc.columns(['workflow_id', 'version', 'round', 'reviewer']).doNothing())
        .returning('id').executeTakeFirst();
      if (!inserted) {
        throw new AppError({ code: 'conflict', message: `You already reviewed version ${target.version} of '${id}' in this round.`, fix: 'Another reviewer must give the remaining approvals.', details: { state: target.state, version: target.version } });
      }
      const approvals = await this.approvalCount(trx, id, target.version, target.reviewRound);
      let state: DesignState = target.state;
      if (o.decision === 'request-changes') {
        events.push(await this.transition(trx, id, target, ['AwaitingReview'], 'ChangesRequested', 'request-changes', o.actor, { comment: o.comment, round: target.reviewRound }));
        state = 'ChangesRequested';
      } else {
        // The approval itself is audited even when more are needed, so the trail shows every decision.
        if (approvals >= o.required) {
          events.push(await this.transition(trx, id, target, ['AwaitingReview'], 'Approved', 'approve', o.actor, { comment: o.comment, round: target.reviewRound, approvals, required: o.required }));
          state = 'Approved';
        } else {
          await this.auditRow(trx, id, o.actor, 'AwaitingReview', 'AwaitingReview', { version: target.version, action: 'approve', comment: o.comment, round: target.reviewRound, approvals, required: o.required });
        }
      }
      return { state, approvals, required: o.required, version: target.version };
    });
    this.publish(events);
    return outcome;
  }

  /** ChangesRequested → Draft: the author takes the head version back to work on it. */
  async reopen(id: string, actor: string): Promise<VersionRecord> {
    const events: DesignEvent[] = [];
    const reopened = await this.db.transaction().execute(async (trx) => {
      await this.lock(trx, id);
      const head = (await this.head(id, trx))!;
      if (head.state !== 'ChangesRequested') throw wrongState(id, head, 'ChangesRequested', 'Only a version sent back by a reviewer can be reopened.');
      events.push(await this.transition(trx, id, head, ['ChangesRequested'], 'Draft', 'reopen', actor, {}));
      return (await this.version(id, head.version, trx))!;
    });
    this.publish(events);
    return reopened;
  }

  /**
   * Approved → Active (the given version, or the newest Approved one); the version that served
   * until now becomes Superseded in the same transaction, so exactly one version is ever Active.
   */
  async activate(id: string, actor: string, version?: number): Promise<{ version: number; superseded: number | null }> {
    const events: DesignEvent[] = [];
    const result = await this.db.transaction().execute(async (trx) => {
      const wf = await this.lock(trx, id);
      let target: VersionRecord | undefined;
      if (version !== undefined) {
        target = await this.version(id, version, trx);
        if (!target) throw new AppError({ code: 'not_found', message: `Workflow '${id}' has no version ${version}.`, fix: `GET /api/workflows/${id}/versions lists them.` });
      } else {
        const r = await this.versionQuery(trx, id).where('workflow_versions.state', '=', 'Approved').orderBy('workflow_versions.version', 'desc').limit(1).executeTakeFirst();
        target = r ? toVersion(r as VersionRow) : (await this.head(id, trx))!;
      }
      if (target.state !== 'Approved') throw wrongState(id, target, 'an Approved version', 'Submit the version for review; an admin can activate it once it is approved.');
      let superseded: number | null = null;
      if (wf.active_version !== null) {
        const old = (await this.version(id, wf.active_version, trx))!;
        events.push(await this.transition(trx, id, old, ['Active'], 'Superseded', 'supersede', actor, { by: target.version }));
        superseded = old.version;
      }
      events.push(await this.transition(trx, id, target, ['Approved'], 'Active', 'activate', actor, superseded !== null ? { supersedes: superseded } : {}));
      await trx.updateTable('workflows')
        .set({ active_version: target.version, name: target.definition.name, description: target.definition.description, updated_at: sql`now()` })
        .where('id', '=', id).execute();
      return { version: target.version, superseded };
    });
    this.publish(events);
    return result;
  }

  async reviews(id: string, version?: number): Promise<ReviewRecord[]> {
    let q = this.db.selectFrom('workflow_reviews').leftJoin('accounts', 'accounts.id', 'workflow_reviews.reviewer')
      .select(['workflow_reviews.version', 'workflow_reviews.round', 'workflow_reviews.reviewer', 'workflow_reviews.decision', 'workflow_reviews.comment', 'workflow_reviews.created_at', 'accounts.username'])
      .where('workflow_reviews.workflow_id', '=', id);
    if (version !== undefined) q = q.where('workflow_reviews.version', '=', version);
    const rows = await q.orderBy('workflow_reviews.id').execute();
    return rows.map((r) => ({ version: r.version, round: r.round, reviewer: r.reviewer, reviewerName: r.username, decision: r.decision, comment: r.comment, createdAt: r.created_at }));
  }

  /** Every audited change of the workflow, oldest first. */
  async auditTrail(id: string): Promise<AuditRecord[]> {
    const rows = await this.db.selectFrom('audit_log').leftJoin('accounts', 'accounts.id', 'audit_log.actor')
      .select(['audit_log.at', 'audit_log.actor', 'audit_log.from_state', 'audit_log.to_state', 'audit_log.detail', 'accounts.username'])
      .where('audit_log.entity', '=', 'workflow').where('audit_log.entity_id', '=', id)
      .orderBy('audit_log.id').execute();
    return rows.map((r) => ({ at: r.at, actor: r.actor, actorName: r.username, from: r.from_state, to: r.to_state, detail: r.detail }));
  }

  // -------------------------------------------------------------------------------------------

  /**
   * The one way a version changes state: checks the table, updates with compare-and-set on the
   * state, writes the audit row, and returns the event to publish after the commit.
   */
  private async transition(
    trx: Transaction<Database>, id: string, v: VersionRecord, from: readonly DesignState[], to: DesignState, action: DesignAction,
    actor: string, detail: Record<string, unknown>, patch: Record<string, unknown> = {},
  ): Promise<DesignEvent> {
    if (!from.includes(v.state) || !canTransitionDesign(v.state, to)) throw wrongState(id, v, from.join(' or '), 'Reload the workflow and try again.');
    const r = await trx.updateTable('workflow_versions').set({ ...patch, state: to })
      .where('workflow_id', '=', id).where('version', '=', v.version).where('state', 'in', [...from])
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      const now = (await this.version(id, v.version, trx))!;
      throw wrongState(id, now, from.join(' or '), 'Reload the workflow and try again.');
    }
    return this.audit(trx, id, v.version, v.state, to, action, actor, v.author, detail);
  }

  private async audit(
    trx: Db, id: string, version: number, from: DesignState | null, to: DesignState, action: DesignAction,
    actor: string | null, author: string | null, detail: Record<string, unknown>,
  ): Promise<DesignEvent> {
    await this.auditRow(trx, id, actor, from, to, { version, action, ...detail });
    const note = typeof detail.note === 'string' ? detail.note : typeof detail.comment === 'string' ? detail.comment : undefined;
    return { type: 'workflow', workflowId: id, version, action, from, to, actor, author, at: new Date().toISOString(), ...(note !== undefined ? { note } : {}) };
  }

  private async auditRow(trx: Db, id: string, actor: string | null, from: string | null, to: string, detail: Record<string, unknown>): Promise<void> {
    await trx.insertInto('audit_log').values({ entity: 'workflow', entity_id: id, actor, from_state: from, to_state: to, detail: JSON.stringify(detail) }).execute();
  }

  private async lock(trx: Transaction<Database>, id: string) {
    const wf = await trx.selectFrom('workflows').select(['id', 'active_version']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!wf) throw new AppError({ code: 'unknown_workflow', message: `No workflow '${id}'.`, param: 'workflow', value: id });
    return wf;
  }

  private async insertVersion(trx: Db, id: string, version: number, def: WorkflowDefinition, author: string, note: string): Promise<void> {
    await trx.insertInto('workflow_versions').values({ workflow_id: id, version, definition: JSON.stringify({ ...def, id }), state: 'Draft', author, note }).execute();
  }

  private async approvalCount(trx: Db, id: string, version: number, round: number): Promise<number> {
    const r = await trx.selectFrom('workflow_reviews').select(sql<number>`count(distinct reviewer)::int`.as('n'))
      .where('workflow_id', '=', id).where('version', '=', version).where('round', '=', round).where('decision', '=', 'approve')
      .executeTakeFirstOrThrow();
    return r.n;
  }

  private versionQuery(db: Db, id: string) {
    return db.selectFrom('workflow_versions').leftJoin('accounts', 'accounts.id', 'workflow_versions.author')
      .select([...versionColumns]).where('workflow_versions.workflow_id', '=', id);
  }

  private publish(events: DesignEvent[]): void {
    for (const e of events) this.events.emit(e);
  }
}
