// One Graph request from routing to response. The HTTP layer and $batch both call dispatch(), so a
// sub-request is authorised, throttled, faulted and recorded exactly like a top-level one.
import FindMyWay from 'find-my-way';
import { randomUUID } from 'node:crypto';
import type { AccessClaims } from '../auth/tokens.ts';
import type { Ledger } from '../realism/ledger.ts';
import { digestBody, outcomeOf } from '../realism/ledger.ts';
import type { Realism } from '../realism/realism.ts';
import type { EmulatorStore } from '../state/store.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { GraphError, graphErrorBody, graphErrors } from './errors.ts';
import type { EmuResponse, GraphContext, GraphRoute, HttpMethod } from './route.ts';

export interface GraphRequestInput {
  method: string;
  /** Path after the version, without query string. */
  path: string;
  version: 'v1.0' | 'beta';
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: unknown;
  claims: AccessClaims;
  tenant: TenantState;
  origin: string;
  batched: boolean;
}

/** A response plus, for injected connection resets, an instruction to drop the socket. */
export interface DispatchResult extends EmuResponse {
  reset?: boolean;
}

export interface GraphDeps {
  store: EmulatorStore;
  ledger: Ledger;
  realism: Realism;
  now: () => number;
}

const writeMethods = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export class GraphPipeline {
  private readonly router = FindMyWay({ caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 500 });
  private readonly deps: GraphDeps;

  constructor(deps: GraphDeps, routes: readonly GraphRoute[]) {
    this.deps = deps;
    for (const r of routes) this.router.on(r.method, r.path, () => {}, r);
  }

  async dispatch(input: GraphRequestInput): Promise<DispatchResult> {
    const requestId = randomUUID();
    const clientRequestId = input.headers['client-request-id'] ?? randomUUID();
    const now = this.deps.now();
    const base: Record<string, string> = { 'request-id': requestId, 'client-request-id': clientRequestId };
    const write = writeMethods.has(input.method);
    let status = 500;
    const meta = { faulted: false };
    try {
      const res = await this.run(input, requestId, clientRequestId, now, meta);
      status = res.status;
      return { ...res, headers: { ...base, ...(res.headers ?? {}) } };
    } catch (e) {
      if (e instanceof ResetSignal) {
        status = 0;
        return { status: 0, reset: true };
      }
      const ge = e instanceof GraphError ? e : graphErrors.internal();
      status = ge.status;
      return { status: ge.status, body: graphErrorBody(ge, requestId, clientRequestId, now), headers: { ...base, ...ge.headers } };
    } finally {
      if (write) {
        this.deps.ledger.record(input.tenant.id, {
          time: new Date(now).toISOString(),
          surface: 'graph',
          method: input.method,
          path: input.path,
          batched: input.batched,
          bodyDigest: digestBody(input.body),
          clientRequestId,
          appId: input.claims.appid,
          status,
          outcome: meta.faulted ? 'fault' : outcomeOf(status),
        });
      }
    }
  }

  private async run(input: GraphRequestInput, requestId: string, clientRequestId: string, now: number, meta: { faulted: boolean }): Promise<EmuResponse> {
    const found = this.router.find(input.method as HttpMethod, input.path);
    if (!found) {
      const anyMethod = (['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const).some((m) => m !== input.method && this.router.find(m, input.path));
      if (anyMethod) throw graphErrors.methodNotAllowed();
      const seg = input.path.split('/').filter(Boolean).pop() ?? input.path;
      throw graphErrors.segmentNotFound(seg);
    }
    const route = found.store as GraphRoute;
    if (route.permissions.length && !route.permissions.some((p) => input.claims.roles.includes(p) || scopeHas(input.claims, p))) {
      throw graphErrors.denied();
    }
    const write = writeMethods.has(input.method);
    const decision = await this.deps.realism.admit({
      tenant: input.tenant,
      appId: input.claims.appid,
      surface: 'graph',
      method: input.method,
      path: input.path,
      write,
      cost: write ? 1 : resourceCost(route.cost ?? 1, input.query),
    });
    if (decision.kind === 'throttled') {
      const e = graphErrors.throttled(decision.retryAfterSeconds);
      throw new GraphError(e.status, e.code, e.message, { innerCode: '429', headers: { ...e.headers, ...decision.headers } });
    }
    if (decision.kind === 'fault') {
      meta.faulted = true;
      switch (decision.fault) {
        case 'reset':
          throw new ResetSignal();
        case 429:
          throw graphErrors.throttled(decision.retryAfterSeconds ?? 1);
        case 503:
          throw graphErrors.serviceUnavailable(decision.retryAfterSeconds);
        case 504:
          throw graphErrors.gatewayTimeout();
        case 500:
          throw graphErrors.internal();
      }
    }
    try {
      const ctx: GraphContext = {
        tenant: input.tenant,
        store: this.deps.store,
        method: input.method as HttpMethod,
        path: input.path,
        version: input.version,
        params: found.params as Record<string, string>,
        query: input.query,
        headers: input.headers,
        body: input.body,
        claims: input.claims,
        now,
        requestId,
        clientRequestId,
        baseUrl: `${input.origin}/${input.version}`,
      };
      const res = await route.handler(ctx);
      if (write && res.status < 300) input.tenant.touch();
      return { ...res, headers: { ...decision.headers, ...(res.headers ?? {}) } };
    } finally {
      decision.release();
    }
  }
}

class ResetSignal extends Error {}

function scopeHas(claims: AccessClaims, perm: string): boolean {
  return claims.scp !== undefined && claims.scp.split(' ').includes(perm.replace(/\.All$/, '.All'));
}

/** Microsoft's RU modifiers: $select −1, $expand +1, $top < 20 −1; minimum 1. */
export function resourceCost(base: number, query: Record<string, string>): number {
  let c = base;
  if (query.$select) c -= 1;
  if (query.$expand) c += 1;
  const top = Number(query.$top);
  if (Number.isFinite(top) && top > 0 && top < 20) c -= 1;
  return Math.max(1, c);
}
