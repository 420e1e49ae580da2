// Microsoft Graph for one tenant, on @microsoft/microsoft-graph-client with our middleware chain
// (see graph-middleware.ts for why). Adds what actions need on top of single calls: paging through
// @odata.nextLink, $batch in chunks of 20 with per-item retry, and errors mapped to AppError codes.
import { randomUUID } from 'node:crypto';
import { Client, ResponseType, type GraphRequest } from '@microsoft/microsoft-graph-client';
import { AppError } from '../core/errors.ts';
import { stableId } from '../core/ids.ts';
import type { CallOptions, GraphBatchItem, GraphBatchResult, GraphPort } from './actions/ports.ts';
import { runBatchRounds, type RoundResult } from './batch-rounds.ts';
import { graphErrorToAppError } from './graph-errors.ts';
import { GraphCallControl, ResilienceHandler, WireHandler, type ThrottlePriority } from './graph-middleware.ts';
import type { Send } from './http-transport.ts';
import { tenantSizeForUserCount, type PacingBudget } from './pacing.ts';
import { parseRetryAfter, retryPolicy, type RetryPolicy } from './retry-policy.ts';
import type { TenantConfig } from './tenant-config.ts';
import { GRAPH_SCOPE, rolesInToken, type TokenSource } from './token-provider.ts';
import { lowerKeys, parseBody } from './response-body.ts';

export type GraphVersion = 'v1.0' | 'beta';
export type GraphMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface GraphCallOptions extends CallOptions {
  version?: GraphVersion;
  /** x-ms-throttle-priority; interactive previews use high, background runs normal or low. */
  priority?: ThrottlePriority;
}

export interface GraphResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface GraphClientOptions {
  tenant: TenantConfig;
  tokens: TokenSource;
  send: Send;
  pacing?: PacingBudget;
  retry?: Partial<RetryPolicy>;
  defaultVersion?: GraphVersion;
  defaultPriority?: ThrottlePriority;
}

/** Graph allows 20 sub-requests per $batch. */
export const GRAPH_BATCH_LIMIT = 20;

export class GraphClient implements GraphPort {
  readonly tenant: TenantConfig;
  private readonly sdk: Client;
  private readonly tokens: TokenSource;
  private readonly pacing: PacingBudget | undefined;
  private readonly policy: RetryPolicy;
  private readonly defaultVersion: GraphVersion;
  private readonly defaultPriority: ThrottlePriority;

  constructor(opts: GraphClientOptions) {
    this.tenant = opts.tenant;
    this.tokens = opts.tokens;
    this.pacing = opts.pacing;
    this.policy = retryPolicy(opts.retry);
    this.defaultVersion = opts.defaultVersion ?? 'v1.0';
    this.defaultPriority = opts.defaultPriority ?? 'normal';
    if (opts.pacing && opts.tenant.size) opts.pacing.setTenantSize(opts.tenant.id, opts.tenant.size);
    const resilience = new ResilienceHandler({ tenant: opts.tenant, tokens: opts.tokens, pacing: opts.pacing, policy: this.policy });
    this.sdk = Client.initWithMiddleware({
      baseUrl: opts.tenant.graphBaseUrl,
      defaultVersion: this.defaultVersion,
      middleware: [resilience, new WireHandler(opts.send)],
    });
  }

  /** One call; throws AppError for any answer >= 400 once retries are spent. */
  async request<T = unknown>(method: GraphMethod, path: string, opts: GraphCallOptions & { body?: unknown } = {}): Promise<GraphResponse<T>> {
    const target = this.target(path, opts.version);
    const control = new GraphCallControl({
      clientRequestId: opts.clientRequestId ?? randomUUID(),
      priority: opts.priority ?? this.defaultPriority,
      retryNotFound: opts.retryNotFound ?? false,
    });
    let req: GraphRequest = this.sdk.api(target.sdkPath).responseType(ResponseType.RAW).middlewareOptions([control]);
    if (target.version) req = req.version(target.version);
    if (opts.headers) req = req.headers(opts.headers);
    if (opts.query) req = req.query(encodeQuery(opts.query));
    let res: Response;
    try {
      switch (method) {
        case 'GET': res = await req.get(); break;
        case 'POST': res = await req.post(opts.body); break;
        case 'PATCH': res = await req.patch(opts.body); break;
        case 'PUT': res = await req.put(opts.body); break;
        case 'DELETE': res = await req.delete(); break;
      }
    } catch (e) {
      if (control.failure) throw control.failure;
      throw new AppError({ code: 'internal_error', message: `The Graph SDK failed before sending ${method} ${target.display}: ${(e as Error)?.message ?? e}`, cause: e });
    }
    const text = await res.text();
    const body = parseBody(text);
    if (res.status >= 400) {
      throw graphErrorToAppError({
        status: res.status, body, method, path: target.display, clientRequestId: control.clientRequestId,
        requestId: res.headers.get('request-id') ?? undefined,
        retryAfterMs: control.retryAfterMs ?? parseRetryAfter(res.headers.get('retry-after'), this.policy.clock.now()),
      });
    }
    return { status: res.status, headers: res.headers, body: body as T };
  }

  async get<T = Record<string, unknown>>(path: string, opts: GraphCallOptions = {}): Promise<T> {
    return (await this.request<T>('GET', path, opts)).body;
  }

  async post<T = Record<string, unknown>>(path: string, body: unknown, opts: GraphCallOptions = {}): Promise<T> {
    return (await this.request<T>('POST', path, { ...opts, body })).body;
  }

  async patch(path: string, body: unknown, opts: GraphCallOptions = {}): Promise<void> {
    await this.request('PATCH', path, { ...opts, body });
  }

  async put(path: string, body: unknown, opts: GraphCallOptions = {}): Promise<void> {
    await this.request('PUT', path, { ...opts, body });
  }

  async delete(path: string, opts: GraphCallOptions = {}): Promise<void> {
    await this.request('DELETE', path, opts);
  }

  /** Pages of a collection, following @odata.nextLink (opaque, used verbatim) to the end. */
  async *pages<T = Record<string, unknown>>(path: string, opts: GraphCallOptions = {}): AsyncGenerator<T[], void, undefined> {
    let next: string | undefined = path;
    let first = true;
    while (next) {
      // The query belongs to the first request only: nextLink already carries it (and a skiptoken).
      const pageOpts: GraphCallOptions = first ? opts : { ...opts, query: undefined, clientRequestId: undefined };
      const res: GraphResponse<Page<T> | undefined> = await this.request<Page<T> | undefined>('GET', next, pageOpts);
      first = false;
      const body: Page<T> = res.body ?? {};
      yield Array.isArray(body.value) ? body.value : [];
      next = typeof body['@odata.nextLink'] === 'string' && body['@odata.nextLink'] ? body['@odata.nextLink'] : undefined;
    }
  }

  async *items<T = Record<string, unknown>>(path: string, opts: GraphCallOptions = {}): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages<T>(path, opts)) yield* page;
  }

  async list<T = Record<string, unknown>>(path: string, opts: GraphCallOptions = {}): Promise<T[]> {
    const out: T[] = [];
    for await (const page of this.pages<T>(path, opts)) out.push(...page);
    return out;
  }

  /**
   * JSON batching: chunks of 20 in dependency order, each sub-request answered 429 or 5xx sent
   * again after its own Retry-After. Sub-request client-request-ids derive from the caller's id and
   * the item id, so a retried item keeps its id. Results come back in the order of `items`.
   */
  async batch(items: GraphBatchItem[], opts: GraphCallOptions = {}): Promise<GraphBatchResult[]> {
    const baseId = opts.clientRequestId ?? randomUUID();
    const charge = (item: GraphBatchItem) => ({ tenantId: this.tenant.id, appId: this.tenant.credentials.clientId, surface: 'graph' as const, requests: 1, ru: 1, writes: item.method === 'GET' ? 0 : 1 });
    const results = await runBatchRounds(items, {
      chunkSize: GRAPH_BATCH_LIMIT,
      policy: this.policy,
      onThrottled: (item, ms, r) => this.pacing?.throttled(charge(item), ms, r.headers['x-ms-throttle-scope']),
      sendChunk: async (chunk, round, index) => {
        const requests = chunk.map(({ item, dependsOn }) => {
          const headers: Record<string, string> = { 'client-request-id': stableId(`${baseId}:${item.id}`), ...(item.headers ?? {}) };
          if (item.body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
          return { id: item.id, method: item.method, url: batchUrl(item.url), headers, ...(item.body !== undefined ? { body: item.body } : {}), ...(dependsOn.length ? { dependsOn } : {}) };
        });
        const res = await this.request<{ responses?: Array<{ id?: unknown; status?: unknown; headers?: Record<string, string>; body?: unknown }> }>('POST', '/$batch', {
          ...opts, body: { requests }, clientRequestId: stableId(`${baseId}:$batch:${round}:${index}`), retryNotFound: false,
        });
        return (res.body?.responses ?? []).map((r): RoundResult => ({ id: String(r.id), status: Number(r.status), headers: lowerKeys(r.headers), body: r.body }));
      },
    });
    return results.map((r) => ({ id: r.id, status: r.status, headers: r.headers, body: r.body }));
  }

  /** Application permissions (or delegated scopes) in this tenant, read from the access token. */
  async grantedRoles(): Promise<string[]> {
    return rolesInToken(await this.tokens.getToken(this.tenant, GRAPH_SCOPE));
  }

  /** Counts the tenant's users and sets its throttling size class (S/M/L) on the pacing budget. */
  async learnTenantSize(): Promise<number> {
    const count = Number(await this.get<unknown>('/users/$count', { headers: { ConsistencyLevel: 'eventual' } }));
    if (!Number.isFinite(count)) throw new AppError({ code: 'm365_bad_request', message: 'Microsoft Graph answered /users/$count with something that is not a number.' });
    this.pacing?.setTenantSize(this.tenant.id, tenantSizeForUserCount(count));
    return count;
  }

  private target(path: string, version: GraphVersion | undefined): { sdkPath: string; version: GraphVersion | undefined; display: string } {
    if (/^https?:\/\//i.test(path)) {
      // Only links on the tenant's own Graph host are followed: the bearer token goes with them.
      if (!path.toLowerCase().startsWith(`${this.tenant.graphBaseUrl.toLowerCase()}/`)) {
        throw new AppError({ code: 'm365_bad_request', message: `Refusing to follow a link outside ${this.tenant.graphBaseUrl}: ${new URL(path).host}.`, details: { graphCode: 'ForeignNextLink' } });
      }
      const rest = path.slice(this.tenant.graphBaseUrl.length);
      const m = /^\/(v1\.0|beta)(\/.*)$/i.exec(rest);
      if (!m) throw new AppError({ code: 'm365_bad_request', message: 'A Graph link without a version segment cannot be followed.', details: { graphCode: 'InvalidNextLink' } });
      // The SDK splits absolute URLs itself; hand it host + version + path unchanged.
      return { sdkPath: path, version: undefined, display: m[2]!.split('?')[0]! };
    }
    const m = /^\/?(v1\.0|beta)(\/.*)$/i.exec(path);
    const v = (m ? (m[1]!.toLowerCase() as GraphVersion) : undefined) ?? version ?? this.defaultVersion;
    const rel = m ? m[2]! : path.startsWith('/') ? path : `/${path}`;
    return { sdkPath: rel, version: v, display: rel.split('?')[0]! };
  }
}

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

function encodeQuery(q: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) out[k] = encodeURIComponent(v);
  return out;
}

/** Batch URLs are relative to the version: `/users/{id}`, not `/v1.0/users/{id}`. */
function batchUrl(url: string): string {
  const rel = url.replace(/^https?:\/\/[^/]+/i, '').replace(/^\/?(v1\.0|beta)(?=\/)/i, '');
  return rel.startsWith('/') ? rel : `/${rel}`;
}
