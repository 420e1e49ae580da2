// The demo tenant inspector: while the embedded emulator runs in this process, a signed-in person can
// look inside the demo tenants they may act in (users, groups, licences, mailboxes, the email outbox
// and the effects ledger) and watch each approved change land.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { groupsPage, licenses, mailboxesPage, usersPage } from '../../emulator/admin/inspector.ts';
import type { RunningEmulator } from '../../emulator/server.ts';
import type { OutboxMessage } from '../../emulator/state/model.ts';
import type { TenantState } from '../../emulator/state/tenant-state.ts';
import { callerOf, scopedTenant, tenantScope } from '../http/auth.ts';
import type { Runtime } from '../runtime.ts';

const pageQuery = z.object({
  search: z.string().max(200).optional(),
  top: z.coerce.number().int().min(1).max(500).default(50),
  skip: z.coerce.number().int().min(0).default(0),
});
const page = (q: z.infer<typeof pageQuery>) => ({ search: q.search, top: q.top, skip: q.skip });
const tenantParam = z.object({ tenant: z.string().min(1).max(200) });
const USER_IN_PATH = /\/users\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;
const GROUP_IN_PATH = /\/groups\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

function textOf(body: OutboxMessage['body']): string {
  const text = body.contentType.toLowerCase() === 'html' ? body.content.replace(/<[^>]*>/g, ' ') : body.content;
  return text.replace(/\s+/g, ' ').trim();
}

/** What a ledger path touched, in words a person recognises (a UPN or a group name, not a GUID). */
function targetOf(t: TenantState, path: string): string | null {
  const u = USER_IN_PATH.exec(path);
  if (u) return t.user(u[1]!)?.userPrincipalName ?? null;
  const g = GROUP_IN_PATH.exec(path);
  if (g) return t.data.groups.find((x) => x.id === g[1])?.displayName ?? null;
  return null;
}

export function demoRoutes(rt: Runtime, emulator: RunningEmulator | undefined) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    /** The emulator's copy of a tenant the caller may act in; anything else looks unknown. */
    const emulated = (ref: string, req: Parameters<typeof callerOf>[0]): TenantState => {
      const caller = callerOf(req);
      if (!emulator) {
        throw new AppError({ code: 'not_found', message: 'The demo tenant inspector is available only while the embedded emulator runs.', fix: 'Start Tenantflow with `npm start` (without TENANTFLOW_EMULATOR=off).' });
      }
      const id = scopedTenant(rt, caller, ref);
      const cfg = rt.registry.get(id);
      const t = emulator.deps.store.tenant(cfg.id) ?? emulator.deps.store.tenant(cfg.domain);
      if (!t) throw new AppError({ code: 'unknown_tenant', message: `${cfg.domain} is not a demo tenant of the embedded emulator.`, fix: 'Pick one of the tenants GET /api/demo lists.', param: 'tenant', value: ref });
      return t;
    };

    r.get('/api/demo', { schema: { tags: ['demo'], summary: 'Whether the embedded emulator runs, and the demo tenants you may inspect.' } }, async (req) => {
      const caller = callerOf(req);
      if (!emulator) return { enabled: false, tenants: [] };
      const scope = tenantScope(rt, caller);
      const tenants = rt.registry.list()
        .filter((t) => scope.has(t.id) && (emulator.deps.store.tenant(t.id) ?? emulator.deps.store.tenant(t.domain)))
        .map((t) => ({ id: t.id, domain: t.domain, displayName: t.displayName }));
      return { enabled: true, tenants };
    });

    r.get('/api/demo/tenants/:tenant/users', { schema: { tags: ['demo'], params: tenantParam, querystring: pageQuery } }, async (req) =>
      usersPage(emulated(req.params.tenant, req), page(req.query)));

    r.get('/api/demo/tenants/:tenant/groups', { schema: { tags: ['demo'], params: tenantParam, querystring: pageQuery } }, async (req) =>
      groupsPage(emulated(req.params.tenant, req), page(req.query)));

    r.get('/api/demo/tenants/:tenant/mailboxes', { schema: { tags: ['demo'], params: tenantParam, querystring: pageQuery } }, async (req) =>
      mailboxesPage(emulated(req.params.tenant, req), page(req.query)));

    r.get('/api/demo/tenants/:tenant/licenses', { schema: { tags: ['demo'], params: tenantParam } }, async (req) =>
      ({ value: licenses(emulated(req.params.tenant, req)) }));

    r.get('/api/demo/tenants/:tenant/outbox', {
      schema: { tags: ['demo'], params: tenantParam, querystring: z.object({ top: z.coerce.number().int().min(1).max(500).default(50) }) },
    }, async (req) => {
      const t = emulated(req.params.tenant, req);
      const newest = t.data.outbox.slice(-req.query.top).reverse();
      return {
        count: t.data.outbox.length,
        value: newest.map((m) => ({
          id: m.id, from: m.from, to: m.toRecipients, cc: m.ccRecipients, subject: m.subject, sentDateTime: m.sentDateTime,
          bodyPreview: textOf(m.body).slice(0, 400),
        })),
      };
    });

    r.get('/api/demo/tenants/:tenant/ledger', {
      schema: { tags: ['demo'], params: tenantParam, querystring: z.object({ top: z.coerce.number().int().min(1).max(500).default(100), since: z.coerce.number().int().min(0).default(0) }) },
    }, async (req) => {
      const t = emulated(req.params.tenant, req);
      const all = emulator!.deps.ledger.list(t.id, req.query.since);
      const newest = all.slice(-req.query.top).reverse();
      return {
        count: all.length,
        lastSeq: all.at(-1)?.seq ?? req.query.since,
        value: newest.map((e) => ({
          seq: e.seq, time: e.time, surface: e.surface, method: e.method, path: e.path, cmdlet: e.cmdlet ?? null, target: targetOf(t, e.path),
          batched: e.batched, status: e.status, outcome: e.outcome, clientRequestId: e.clientRequestId,
        })),
      };
    });
  };
}
