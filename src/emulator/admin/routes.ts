// The emulator's own control plane under /_emulator: tenants, realism controls, the effects
// ledger, reset, the outbox, and read-only inspector views. It is a loopback test plane with no
// authentication, like Azurite's or LocalStack's admin endpoints; it never appears on Microsoft's
// surfaces. Errors are `{"error":{"code","message"}}`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorDeps } from '../deps.ts';
import type { LedgerOutcome } from '../realism/ledger.ts';
import { defaultControls } from '../state/model.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { mergePatch, validateControls } from './controls-schema.ts';
import { groupsPage, licenses, mailboxesPage, usersPage, type PageQuery } from './inspector.ts';

const OUTCOMES: readonly LedgerOutcome[] = ['ok', 'error', 'throttled', 'fault'];
const SURFACES = ['graph', 'exchange'] as const;

class AdminError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function registerAdmin(app: FastifyInstance, deps: EmulatorDeps): void {
  const tenantOf = (req: FastifyRequest): TenantState => {
    const { tenant } = req.params as { tenant: string };
    const t = deps.store.tenant(tenant);
    if (!t) throw new AdminError(404, 'TenantNotFound', `No tenant '${tenant}' is loaded in this emulator.`);
    return t;
  };
  const query = (req: FastifyRequest) => req.query as Record<string, string | undefined>;
  // Each handler's AdminError becomes the plane's own JSON error, never Graph's shape.
  const route = (method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE', url: string, fn: (req: FastifyRequest, reply: FastifyReply) => unknown) => {
    app.route({
      method, url,
      handler: async (req, reply) => {
        try {
          return await fn(req, reply);
        } catch (e) {
          if (!(e instanceof AdminError)) throw e;
          return reply.code(e.status).send({ error: { code: e.code, message: e.message } });
        }
      },
    });
  };

  const summary = (t: TenantState) => ({
    id: t.id,
    displayName: t.data.displayName,
    initialDomain: t.data.initialDomain,
    domains: [t.data.initialDomain, ...t.data.verifiedDomains],
    sizeClass: t.sizeClass(),
    counts: {
      users: t.data.users.length,
      groups: t.data.groups.length,
      mailboxes: t.data.mailboxes.length,
      skus: t.data.skus.length,
      deletedItems: Object.keys(t.data.deletedItems).length,
      outbox: t.data.outbox.length,
      ledger: deps.ledger.list(t.id).length,
    },
    controls: t.data.controls,
  });

  route('GET', '/_emulator/tenants', () => ({
    value: [...deps.store.tenants.values()].map((t) => ({
      id: t.id,
      displayName: t.data.displayName,
      domains: [t.data.initialDomain, ...t.data.verifiedDomains],
      userCount: t.data.users.length,
      groupCount: t.data.groups.length,
    })),
  }));

  route('GET', '/_emulator/tenants/:tenant', (req) => summary(tenantOf(req)));

  route('GET', '/_emulator/tenants/:tenant/controls', (req) => tenantOf(req).data.controls);

  const setControls = (t: TenantState, candidate: unknown) => {
    const r = validateControls(candidate);
    if (!r.ok) throw new AdminError(400, 'InvalidControls', r.message);
    t.data.controls = r.controls;
    deps.markDirty();
    return r.controls;
  };
  const objectBody = (req: FastifyRequest): Record<string, unknown> => {
    if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
      throw new AdminError(400, 'InvalidControls', 'The body must be a JSON object of realism controls.');
    }
    return req.body as Record<string, unknown>;
  };
  // PUT replaces: fields left out take their defaults (everything off).
  route('PUT', '/_emulator/tenants/:tenant/controls', (req) => {
    const t = tenantOf(req);
    return setControls(t, { ...defaultControls(), ...objectBody(req) });
  });
  // PATCH merges (RFC 7396): {"latency":{"ms":80}} keeps the mode; null removes an override.
  route('PATCH', '/_emulator/tenants/:tenant/controls', (req) => {
    const t = tenantOf(req);
    return setControls(t, mergePatch(structuredClone(t.data.controls), objectBody(req)));
  });

  route('GET', '/_emulator/tenants/:tenant/throttling', (req) => ({ buckets: deps.realism.usage(tenantOf(req).id) }));

  route('GET', '/_emulator/tenants/:tenant/ledger', (req) => {
    const t = tenantOf(req);
    const q = query(req);
    const since = q.since === undefined ? 0 : Number(q.since);
    if (!Number.isInteger(since) || since < 0) throw new AdminError(400, 'InvalidQuery', "'since' must be a non-negative integer sequence number.");
    if (q.surface !== undefined && !(SURFACES as readonly string[]).includes(q.surface)) {
      throw new AdminError(400, 'InvalidQuery', `'surface' must be one of: ${SURFACES.join(', ')}.`);
    }
    if (q.outcome !== undefined && !(OUTCOMES as readonly string[]).includes(q.outcome)) {
      throw new AdminError(400, 'InvalidQuery', `'outcome' must be one of: ${OUTCOMES.join(', ')}.`);
    }
    const all = deps.ledger.list(t.id, since);
    const value = all.filter((e) =>
      (q.surface === undefined || e.surface === q.surface) &&
      (q.outcome === undefined || e.outcome === q.outcome) &&
      (q.clientRequestId === undefined || e.clientRequestId === q.clientRequestId));
    return { value, count: value.length, lastSeq: all.at(-1)?.seq ?? since };
  });

  route('DELETE', '/_emulator/tenants/:tenant/ledger', (req, reply) => {
    deps.ledger.clear(tenantOf(req).id);
    return reply.code(204).send();
  });

  route('POST', '/_emulator/tenants/:tenant/reset', (req) => {
    const t = tenantOf(req);
    const restored = deps.store.reset(t.id);
    if (!restored) throw new AdminError(409, 'NoSeed', `Tenant '${t.id}' has no seed to restore.`);
    deps.ledger.clear(t.id);
    deps.realism.reset(t.id);
    deps.markDirty();
    return summary(restored);
  });

  route('GET', '/_emulator/tenants/:tenant/outbox', (req) => {
    const t = tenantOf(req);
    return { value: t.data.outbox, count: t.data.outbox.length };
  });

  const pageQuery = (req: FastifyRequest): PageQuery => {
    const q = query(req);
    const top = q.top === undefined ? 50 : Number(q.top);
    const skip = q.skip === undefined ? 0 : Number(q.skip);
    if (!Number.isInteger(top) || top < 1 || top > 1000) throw new AdminError(400, 'InvalidQuery', "'top' must be an integer from 1 to 1000.");
    if (!Number.isInteger(skip) || skip < 0) throw new AdminError(400, 'InvalidQuery', "'skip' must be a non-negative integer.");
    return { search: q.search, top, skip };
  };
  route('GET', '/_emulator/tenants/:tenant/users', (req) => usersPage(tenantOf(req), pageQuery(req)));
  route('GET', '/_emulator/tenants/:tenant/groups', (req) => groupsPage(tenantOf(req), pageQuery(req)));
  route('GET', '/_emulator/tenants/:tenant/mailboxes', (req) => mailboxesPage(tenantOf(req), pageQuery(req)));
  route('GET', '/_emulator/tenants/:tenant/licenses', (req) => ({ value: licenses(tenantOf(req)) }));
}
