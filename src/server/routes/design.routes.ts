// The workflow design lifecycle over HTTP: create and save versions (with a version precondition),
// history, diff, export, lint, submit, review (four eyes), activate, restore, audit, dry-run and
// admin test runs of versions that are not Active yet (demo tenants only). Any signed-in person may
// design; reviewers and admins review; admins activate and set how many approvals are needed.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, toAppError } from '../../core/errors.ts';
import { diffDefinitions, summarize } from '../../engine/definition-diff.ts';
import type { WorkflowDefinition } from '../../engine/definition.ts';
import { DesignEventBus } from '../../engine/design-state.ts';
import { lintDefinition } from '../../engine/lint.ts';
import { createRun } from '../../engine/planner.ts';
import { DesignRepo, type VersionRecord } from '../../store/design-repo.ts';
import { DesignSettingsRepo, designSettingsSchema } from '../../store/design-settings-repo.ts';
import { demoTenantFor, DesignNotifier, dryRun } from '../design-review.ts';
import {
  auditView, baseVersionOf, etagOf, exportDefinition, lintFailure, readDefinitionBody, readRunbookText, reviewView, slugOf, versionView, writeRunbookText,
} from '../design-views.ts';
import { callerOf, requireRole, type Caller } from '../http/auth.ts';
import type { Runtime } from '../runtime.ts';

const idParam = z.object({ id: z.string().min(1).max(100) });
const versionParams = idParam.extend({ n: z.coerce.number().int().positive() });
const params = z.record(z.string(), z.unknown()).default({});
/** Ids that would read as a route of their own. */
const reservedIds = new Set(['lint']);

export function designRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const bus = new DesignEventBus();
    const repo = new DesignRepo(rt.store.db, bus);
    const settings = new DesignSettingsRepo(rt.store.db);
    const notifier = new DesignNotifier(rt, bus, settings);
    app.addHook('onClose', async () => { notifier.close(); });

    const lint = (def: WorkflowDefinition) => lintDefinition(def, (a) => rt.actions.get(a));
    const workflowOf = async (id: string) => {
      const wf = await repo.workflow(id);
      if (!wf) {
        const action = rt.actions.has(id);
        throw new AppError({ code: 'unknown_workflow', message: action ? `'${id}' is a catalog action, which has no design history.` : `No workflow '${id}'.`, param: 'workflow', value: id, fix: 'GET /api/workflows lists the workflows; POST /api/workflows creates one.' });
      }
      return wf;
    };
    const versionOf = async (id: string, n: number): Promise<VersionRecord> => {
      await workflowOf(id);
      const v = await repo.version(id, n);
      if (!v) throw new AppError({ code: 'not_found', message: `Workflow '${id}' has no version ${n}.`, fix: `GET /api/workflows/${id}/versions lists them.` });
      return v;
    };
    const headOf = async (id: string) => {
      await workflowOf(id);
      return (await repo.head(id))!;
    };
    const summary = async (id: string) => {
      const wf = await workflowOf(id);
      const head = (await repo.head(id))!;
      return { id, name: wf.name, description: wf.description, builtin: wf.builtin, activeVersion: wf.activeVersion, headVersion: head.version, state: head.state, approvalsRequired: (await settings.get()).approvalsRequired };
    };
    const saved = async (v: VersionRecord) => ({ ...versionView(v), definition: v.definition, problems: lint(v.definition) });

    r.post('/api/workflows', {
      schema: { tags: ['design'], summary: 'Create a workflow: its version 1 is a Draft. Body: a definition, {definition, note}, or {format: yaml|json, text, note} to import.', body: z.unknown() },
    }, async (req, reply) => {
      const c = callerOf(req);
      const input = readDefinitionBody(req.body);
      const id = await newWorkflowId(input.definition);
      const v = await repo.create({ ...input.definition, id }, c.account.id, input.note ?? 'Created');
      await notifier.settled();
      return reply.code(201).header('etag', etagOf(v.version)).send(await saved(v));
    });

    r.post('/api/workflows/lint', {
      schema: { tags: ['design'], summary: 'Live validation of a definition being designed: every problem points at its step.', body: z.unknown() },
    }, async (req) => {
      callerOf(req);
      const { definition } = readDefinitionBody(req.body);
      const problems = lint(definition);
      return { valid: !problems.some((p) => p.severity === 'error'), problems };
    });

    r.get('/api/workflows/:id/lint', {
      schema: { tags: ['design'], summary: 'The validation list of a stored version (default: the latest).', params: idParam, querystring: z.object({ version: z.coerce.number().int().positive().optional() }) },
    }, async (req) => {
      callerOf(req);
      const v = req.query.version !== undefined ? await versionOf(req.params.id, req.query.version) : await headOf(req.params.id);
      const problems = lint(v.definition);
      return { version: v.version, valid: !problems.some((p) => p.severity === 'error'), problems };
    });

    r.put('/api/workflows/:id/draft', {
      schema: { tags: ['design'], summary: 'Save a new Draft version. Needs the version the edit is based on (baseVersion or If-Match); a stale base answers 409 with the current version.', params: idParam, body: z.unknown() },
    }, async (req, reply) => {
      const c = callerOf(req);
      await workflowOf(req.params.id);
      const input = readDefinitionBody(req.body);
      if (input.definition.id !== undefined && input.definition.id !== req.params.id) {
        throw new AppError({ code: 'invalid_request', param: 'id', value: input.definition.id, message: `The definition's id '${input.definition.id}' is not '${req.params.id}'; a workflow keeps its id.`, fix: 'Remove the id or make it match; to copy a workflow, POST /api/workflows with a new id.' });
      }
      const base = baseVersionOf(input.baseVersion, req.headers['if-match']);
      const v = await repo.save(req.params.id, input.definition, { baseVersion: base, actor: c.account.id, note: input.note ?? '', action: 'save' });
      return reply.code(201).header('etag', etagOf(v.version)).send(await saved(v));
    });

    r.get('/api/workflows/:id/versions', {
      schema: { tags: ['design'], summary: 'The workflow\'s versions, newest first, with their design states.', params: idParam },
    }, async (req) => {
      callerOf(req);
      const s = await summary(req.params.id);
      return { workflow: s, versions: (await repo.versions(req.params.id)).map(versionView) };
    });

    r.get('/api/workflows/:id/versions/:n', {
      schema: { tags: ['design'], summary: 'One version: its definition, validation list and reviews. The ETag is the version, for If-Match.', params: versionParams },
    }, async (req, reply) => {
      callerOf(req);
      const v = await versionOf(req.params.id, req.params.n);
      const head = (await repo.head(req.params.id))!;
      const reviews = (await repo.reviews(req.params.id, v.version)).map(reviewView);
      return reply.header('etag', etagOf(v.version)).send({ ...(await saved(v)), latest: head.version === v.version, reviews });
    });

    // The designer's import and export of the definition being edited, saved or not: YAML is read
    // and written here, so the browser does not carry a YAML library.
    r.post('/api/workflow-files/read', {
      schema: { tags: ['design'], summary: 'Read a YAML or JSON runbook into a definition for the designer (shape checked; the designer lints the rest).', body: z.strictObject({ text: z.string().min(1, 'Paste or choose a YAML or JSON file.').max(1_000_000) }) },
    }, async (req) => {
      callerOf(req);
      return { definition: readRunbookText(req.body.text) };
    });

    r.post('/api/workflow-files/write', {
      schema: { tags: ['design'], summary: 'Write a definition (saved or not) as a YAML or JSON runbook.', body: z.strictObject({ definition: z.record(z.string(), z.unknown()), format: z.enum(['yaml', 'json']).default('yaml') }) },
    }, async (req) => {
      callerOf(req);
      return { text: writeRunbookText(req.body.definition, req.body.format) };
    });

    r.get('/api/workflows/:id/versions/:n/export', {
      schema: { tags: ['design'], summary: 'The version as a runbook file (YAML or JSON) to keep in git.', params: versionParams, querystring: z.object({ format: z.enum(['yaml', 'json']).default('yaml') }) },
    }, async (req, reply) => {
      callerOf(req);
      const v = await versionOf(req.params.id, req.params.n);
      const f = req.query.format;
      return reply
        .header('content-type', f === 'json' ? 'application/json; charset=utf-8' : 'application/yaml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${req.params.id}.v${v.version}.${f}"`)
        .send(exportDefinition(req.params.id, v.definition, f));
    });

    r.get('/api/workflows/:id/diff', {
      schema: {
        tags: ['design'],
        summary: 'What changed between two versions: steps added, removed, moved or changed (bindings, conditions, …), parameters and outputs.',
        params: idParam,
        querystring: z.object({
          from: z.coerce.number().int().min(0).optional().describe('Default: the Active version (0: an empty workflow).'),
          to: z.coerce.number().int().positive().optional().describe('Default: the latest version.'),
        }),
      },
    }, async (req) => {
      callerOf(req);
      const wf = await workflowOf(req.params.id);
      const to = req.query.to !== undefined ? await versionOf(req.params.id, req.query.to) : (await repo.head(req.params.id))!;
      const fromN = req.query.from ?? wf.activeVersion ?? 0;
      const from = fromN === 0 ? undefined : await versionOf(req.params.id, fromN);
      const changes = diffDefinitions(from?.definition, to.definition);
      return { workflowId: req.params.id, from: from?.version ?? 0, to: to.version, summary: summarize(changes), changes };
    });

    r.post('/api/workflows/:id/versions/:n/restore', {
      schema: { tags: ['design'], summary: 'Copy an old version into a new Draft (the history keeps everything).', params: versionParams, body: z.strictObject({ baseVersion: z.number().int().positive().optional(), note: z.string().max(2000).optional() }).nullish() },
    }, async (req, reply) => {
      const c = callerOf(req);
      const old = await versionOf(req.params.id, req.params.n);
      const head = (await repo.head(req.params.id))!;
      // Restoring adds a version and overwrites nothing, so the precondition is optional here.
      const base = req.body?.baseVersion ?? (req.headers['if-match'] !== undefined ? baseVersionOf(undefined, req.headers['if-match']) : head.version);
      const v = await repo.save(req.params.id, old.definition, { baseVersion: base, actor: c.account.id, note: req.body?.note ?? `Restored from version ${old.version}`, action: 'restore', restoredFrom: old.version });
      return reply.code(201).header('etag', etagOf(v.version)).send({ ...(await saved(v)), restoredFrom: old.version });
    });

    r.post('/api/workflows/:id/submit', {
      schema: {
        tags: ['design'],
        summary: 'Submit the latest Draft for review. Refused while the definition has errors; reviewers are notified.',
        params: idParam,
        body: z.strictObject({
          note: z.string().trim().min(1, 'Say what changed and why.').max(2000),
          version: z.number().int().positive().optional().describe('The version you mean to submit (default: the latest); a newer save answers 409.'),
          testParams: z.record(z.string(), z.unknown()).optional().describe('Sample parameters for the reviewers\' dry-run, e.g. a test user.'),
          testTenant: z.string().min(1).optional().describe('The demo tenant for the dry-run (default: the first one you may use).'),
        }),
      },
    }, async (req) => {
      const c = callerOf(req);
      const head = await headOf(req.params.id);
      const version = req.body.version ?? head.version;
      const target = version === head.version ? head : await versionOf(req.params.id, version);
      const problems = lint(target.definition);
      if (problems.some((p) => p.severity === 'error') && target.state === 'Draft') throw lintFailure(req.params.id, target.version, problems);
      const testTenant = req.body.testTenant ? demoTenantFor(rt, c, req.body.testTenant) : null;
      const v = await repo.submit(req.params.id, { version, actor: c.account.id, note: req.body.note, testParams: req.body.testParams ?? null, testTenant });
      await notifier.settled();
      return versionView(v);
    });

    r.get('/api/workflows/:id/review', {
      schema: {
        tags: ['design'],
        summary: 'Everything a reviewer needs: the version, its diff against the Active version, reviews so far, whether you may decide, and a dry-run preview in a demo tenant.',
        params: idParam,
        querystring: z.object({ version: z.coerce.number().int().positive().optional() }),
      },
    }, async (req) => {
      const c = callerOf(req);
      const wf = await workflowOf(req.params.id);
      const v = req.query.version !== undefined ? await versionOf(req.params.id, req.query.version) : (await repo.head(req.params.id))!;
      const active = wf.activeVersion !== null && wf.activeVersion !== v.version ? await repo.version(req.params.id, wf.activeVersion) : undefined;
      const changes = diffDefinitions(active?.definition, v.definition);
      const required = (await settings.get()).approvalsRequired;
      const reviews = await repo.reviews(req.params.id, v.version);
      const round = reviews.filter((x) => x.round === v.reviewRound);
      const problems = lint(v.definition);
      return {
        workflow: await summary(req.params.id),
        version: { ...versionView(v), definition: v.definition },
        diff: { from: active?.version ?? 0, to: v.version, summary: summarize(changes), changes },
        problems,
        approvals: { count: new Set(round.filter((x) => x.decision === 'approve').map((x) => x.reviewer)).size, required },
        reviews: reviews.map(reviewView),
        you: reviewerStanding(c, v, round.map((x) => x.reviewer)),
        dryRun: await previewFor(c, v, problems, v.testTenant, v.testParams ?? {}),
      };
    });

    r.post('/api/workflows/:id/dry-run', {
      schema: {
        tags: ['design'],
        summary: 'Plan a run of a version (default: the latest) in a demo tenant, as a card would, without storing anything.',
        params: idParam,
        body: z.strictObject({ version: z.number().int().positive().optional(), tenant: z.string().min(1).optional(), params }),
      },
    }, async (req) => {
      const c = callerOf(req);
      const v = req.body.version !== undefined ? await versionOf(req.params.id, req.body.version) : await headOf(req.params.id);
      const problems = lint(v.definition);
      if (problems.some((p) => p.severity === 'error')) throw lintFailure(req.params.id, v.version, problems);
      return { version: v.version, ...(await dryRun(rt, demoTenantFor(rt, c, req.body.tenant), { workflowId: req.params.id, version: v.version, definition: v.definition }, req.body.params)) };
    });

    r.post('/api/workflows/:id/versions/:n/test-run', {
      schema: {
        tags: ['design'],
        summary: 'Admins: propose a real run (a Pending card) of any version in a demo tenant, to try a Draft before it is Active.',
        params: versionParams,
        body: z.strictObject({ tenant: z.string().min(1).optional(), params }),
      },
    }, async (req, reply) => {
      const c = requireRole(req, 'admin');
      const v = await versionOf(req.params.id, req.params.n);
      const tenantId = demoTenantFor(rt, c, req.body.tenant);
      const created = await createRun(rt.ports, { tenantId, workflowId: req.params.id, version: v.version, params: req.body.params, context: {}, actor: c.account.id });
      return reply.code(201).send({ ...created, version: v.version });
    });

    r.post('/api/workflows/:id/review', {
      schema: {
        tags: ['design'],
        summary: 'Approve or request changes on the version awaiting review (reviewers and admins; never its author).',
        params: idParam,
        body: z.strictObject({
          decision: z.enum(['approve', 'request-changes']),
          comment: z.string().trim().max(4000).default(''),
          version: z.number().int().positive().optional(),
        }),
      },
    }, async (req) => {
      const c = requireRole(req, 'reviewer', 'admin');
      await workflowOf(req.params.id);
      if (req.body.decision === 'request-changes' && !req.body.comment) {
        throw new AppError({ code: 'invalid_request', param: 'comment', message: 'Requesting changes needs a comment that says which.', fix: 'Describe the changes you want in `comment`.' });
      }
      const { approvalsRequired } = await settings.get();
      const outcome = await repo.review(req.params.id, { actor: c.account.id, decision: req.body.decision, comment: req.body.comment, required: approvalsRequired, ...(req.body.version !== undefined ? { version: req.body.version } : {}) });
      await notifier.settled();
      return { workflowId: req.params.id, ...outcome };
    });

    r.post('/api/workflows/:id/reopen', {
      schema: { tags: ['design'], summary: 'Take a version sent back by a reviewer (ChangesRequested) back to Draft.', params: idParam },
    }, async (req) => {
      const c = callerOf(req);
      await workflowOf(req.params.id);
      return versionView(await repo.reopen(req.params.id, c.account.id));
    });

    r.post('/api/workflows/:id/activate', {
      schema: { tags: ['design'], summary: 'Admins: make an Approved version (default: the newest) the one that runs; the previous Active version becomes Superseded.', params: idParam, body: z.strictObject({ version: z.number().int().positive().optional() }).nullish() },
    }, async (req) => {
      const c = requireRole(req, 'admin');
      await workflowOf(req.params.id);
      const result = await repo.activate(req.params.id, c.account.id, req.body?.version);
      await notifier.settled();
      return { workflowId: req.params.id, activeVersion: result.version, superseded: result.superseded };
    });

    r.get('/api/workflows/:id/audit', {
      schema: { tags: ['design'], summary: 'Every audited change of the workflow, oldest first.', params: idParam },
    }, async (req) => {
      callerOf(req);
      await workflowOf(req.params.id);
      return { workflowId: req.params.id, audit: (await repo.auditTrail(req.params.id)).map(auditView) };
    });

    r.get('/api/design/settings', { schema: { tags: ['design'], summary: 'How many approvals a version needs, and whether reviewers are emailed.' } }, async (req) => {
      callerOf(req);
      return settings.get();
    });

    r.put('/api/design/settings', {
      schema: { tags: ['design'], summary: 'Admins: change the approvals required or the review mail (audited).', body: designSettingsSchema.partial() },
    }, async (req) => {
      const c = requireRole(req, 'admin');
      const mail = req.body.reviewMail;
      if (mail && !rt.registry.find(mail.tenant)) throw new AppError({ code: 'unknown_tenant', param: 'reviewMail.tenant', value: mail.tenant, message: `No tenant '${mail.tenant}' is configured.` });
      const patch = { ...req.body, ...(mail ? { reviewMail: { ...mail, tenant: rt.registry.get(mail.tenant).id } } : {}) };
      return settings.update(patch, c.account.id);
    });

    async function newWorkflowId(def: WorkflowDefinition): Promise<string> {
      const taken = async (id: string) => reservedIds.has(id) || rt.actions.has(id) || !!(await repo.workflow(id));
      if (def.id !== undefined) {
        if (await taken(def.id)) {
          throw new AppError({ code: 'conflict', param: 'id', value: def.id, message: `The id '${def.id}' is already used by ${rt.actions.has(def.id) ? 'a catalog action' : 'another workflow'}.`, fix: 'Choose another id, or leave it out to derive one from the name.' });
        }
        return def.id;
      }
      const base = slugOf(def.name);
      for (let i = 1; ; i++) {
        const id = i === 1 ? base : `${base}-${i}`;
        if (!(await taken(id))) return id;
      }
    }

    function reviewerStanding(c: Caller, v: VersionRecord, decidedBy: string[]): { canReview: boolean; reason: string | null } {
      if (v.state !== 'AwaitingReview') return { canReview: false, reason: `Version ${v.version} is ${v.state}, not awaiting review.` };
      if (c.account.role !== 'reviewer' && c.account.role !== 'admin') return { canReview: false, reason: 'Reviewing needs the reviewer or admin role.' };
      if (v.author === c.account.id) return { canReview: false, reason: 'You authored this version; a second person must review it (four eyes).' };
      if (v.submittedBy === c.account.id) return { canReview: false, reason: 'You submitted this version; a second person must review it (four eyes).' };
      if (decidedBy.includes(c.account.id)) return { canReview: false, reason: 'You already reviewed this version in this round.' };
      return { canReview: true, reason: null };
    }

    /** The review page's dry-run: never fatal, since a reviewer can still read the diff without it. */
    async function previewFor(c: Caller, v: VersionRecord, problems: ReturnType<typeof lint>, tenant: string | null, testParams: Record<string, unknown>) {
      if (problems.some((p) => p.severity === 'error')) return { result: null, error: lintFailure(v.workflowId, v.version, problems).toJSON() };
      try {
        return { result: await dryRun(rt, demoTenantFor(rt, c, tenant), { workflowId: v.workflowId, version: v.version, definition: v.definition }, testParams), error: null };
      } catch (e) {
        return { result: null, error: toAppError(e).toJSON() };
      }
    }
  };
}
