// The Graph SDK's middleware chain, replaced with our own two links:
//   ResilienceHandler: client-request-id, x-ms-throttle-priority, bearer token, pacing and the
//     retry loop (runResilient), charging each attempt its resource units;
//   WireHandler: sends through our transport (undici + the tenant's CA) and hands the SDK a
//     standard Response.
// Why not the SDK's default chain: its RetryHandler knows neither our pacing budget nor
// read-after-create retries, rounds fractional Retry-After, and its HTTPMessageHandler uses the
// global fetch, which cannot trust the emulator's CA per tenant. The SDK still builds URLs, query
// strings and bodies, and callers keep its fluent API.
import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import { AppError, toAppError } from '../core/errors.ts';
import type { Send } from './http-transport.ts';
import type { PacingBudget, PacingRequest } from './pacing.ts';
import { graphRequestCost } from './resource-cost.ts';
import { runResilient, type AttemptOutcome } from './resilient-call.ts';
import type { RetryPolicy } from './retry-policy.ts';
import type { TenantConfig } from './tenant-config.ts';
import { GRAPH_SCOPE, type TokenSource } from './token-provider.ts';

export type ThrottlePriority = 'low' | 'normal' | 'high';

/** Per-call settings and outcome, carried through the chain by the SDK's MiddlewareControl. */
export class GraphCallControl implements MiddlewareOptions {
  readonly clientRequestId: string;
  readonly priority: ThrottlePriority;
  readonly retryNotFound: boolean;
  /** The error that ended the call inside the chain (the SDK would wrap it otherwise). */
  failure: AppError | undefined;
  attempts = 0;
  /** A Retry-After too long to wait out in-process. */
  retryAfterMs: number | undefined;

  constructor(init: { clientRequestId: string; priority: ThrottlePriority; retryNotFound: boolean }) {
    this.clientRequestId = init.clientRequestId;
    this.priority = init.priority;
    this.retryNotFound = init.retryNotFound;
  }
}

export interface ResilienceDeps {
  tenant: TenantConfig;
  tokens: TokenSource;
  pacing: PacingBudget | undefined;
  policy: RetryPolicy;
}

export class ResilienceHandler implements Middleware {
  private next: Middleware | undefined;
  private readonly deps: ResilienceDeps;

  constructor(deps: ResilienceDeps) {
    this.deps = deps;
  }

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const control = context.middlewareControl?.getMiddlewareOptions(GraphCallControl) as GraphCallControl | undefined;
    if (!control || !this.next) throw new AppError({ code: 'internal_error', message: 'Graph call sent without its call control; use GraphClient, not the raw SDK client.' });
    const next = this.next;
    const { tenant, tokens, pacing, policy } = this.deps;
    const options = context.options ?? (context.options = {});
    const headers = (options.headers ?? {}) as Record<string, string>;
    options.headers = headers;
    headers['client-request-id'] = control.clientRequestId;
    headers['x-ms-throttle-priority'] = control.priority;
    const charge = pacing ? this.chargeOf(String(options.method ?? 'GET'), String(context.request), options.body) : undefined;
    try {
      const result = await runResilient<AttemptOutcome>({
        send: async ({ refreshToken }) => {
          control.attempts++;
          headers.Authorization = `Bearer ${await tokens.getToken(tenant, GRAPH_SCOPE, { forceRefresh: refreshToken })}`;
          await next.execute(context);
          const res = context.response!;
          return { status: res.status, header: (n) => res.headers.get(n) };
        },
        ...(pacing && charge ? {
          pace: () => pacing.acquire(charge),
          onThrottled: (ms: number | undefined) => pacing.throttled(charge, ms, context.response?.headers.get('x-ms-throttle-scope')),
        } : {}),
        retryNotFound: control.retryNotFound,
      }, policy);
      control.retryAfterMs = result.retryAfterMs;
    } catch (e) {
      control.failure = toAppError(e);
      throw control.failure;
    }
  }

  private chargeOf(method: string, url: string, body: unknown): PacingRequest {
    const base: PacingRequest = { tenantId: this.deps.tenant.id, appId: this.deps.tenant.credentials.clientId, surface: 'graph', requests: 1, ru: 0, writes: 0 };
    const u = new URL(url);
    const path = u.pathname.replace(/^\/(v1\.0|beta)(?=\/)/i, '');
    if (path === '/$batch' && typeof body === 'string') {
      // Microsoft charges each sub-request on its own, so the batch costs their sum.
      try {
        const subs = (JSON.parse(body) as { requests?: Array<{ method?: string; url?: string }> }).requests ?? [];
        for (const s of subs) {
          const su = new URL(String(s.url ?? '/'), 'https://batch.invalid');
          const c = graphRequestCost(String(s.method ?? 'GET'), su.pathname, su.searchParams);
          base.ru += c.ru;
          base.writes += c.writes;
        }
        base.requests = Math.max(1, subs.length);
      } catch {
        // Unreadable batch body: Graph will refuse it with 400; charge one request.
      }
      return base;
    }
    const c = graphRequestCost(method, path, u.searchParams);
    return { ...base, ru: c.ru, writes: c.writes };
  }
}

/** Terminal link: one HTTP exchange through our transport. */
export class WireHandler implements Middleware {
  private readonly send: Send;

  constructor(send: Send) {
    this.send = send;
  }

  async execute(context: Context): Promise<void> {
    const options = context.options ?? {};
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((options.headers ?? {}) as Record<string, unknown>)) {
      if (v !== undefined && v !== null) headers[k] = String(v);
    }
    const method = String(options.method ?? 'GET').toUpperCase();
    const body = typeof options.body === 'string' ? options.body : options.body === undefined || options.body === null ? undefined : String(options.body);
    const res = await this.send({ method, url: String(context.request), headers, ...(body !== undefined ? { body } : {}) });
    const nullBody = res.status === 204 || res.status === 205 || res.status === 304 || method === 'HEAD';
    context.response = new Response(nullBody ? null : res.text, { status: res.status, headers: res.headers });
  }
}
