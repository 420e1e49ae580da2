// JSON batching: POST /$batch with up to 20 sub-requests. Each one goes through the same dispatch
// as a top-level request (permissions, throttling, faults, ledger), with its own headers. dependsOn
// orders execution; a failed prerequisite fails its dependents with 424. Independent requests run
// concurrently.
import { randomUUID } from 'node:crypto';
import type { DispatchResult, GraphRequestInput } from './pipeline.ts';
import type { EmuResponse } from './route.ts';
import { GraphError, graphErrorBody, graphErrors } from './errors.ts';

export type Dispatch = (sub: GraphRequestInput) => Promise<DispatchResult>;

export const MAX_BATCH_REQUESTS = 20;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);
const JSON_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

interface SubRequest {
  id: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: unknown;
  dependsOn: string[];
}

interface SubResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const malformed = (message: string) => graphErrors.invalidRequest(message);

function parseRequests(body: unknown): SubRequest[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw malformed('Invalid batch payload format.');
  const requests = (body as Record<string, unknown>).requests;
  if (!Array.isArray(requests)) throw malformed('Invalid batch payload format.');
  if (requests.length === 0) throw malformed('Batch request must contain at least one request.');
  if (requests.length > MAX_BATCH_REQUESTS) throw malformed(`Number of batch requests exceeds the limit of ${MAX_BATCH_REQUESTS}.`);
  const seen = new Set<string>();
  const parsed = requests.map((raw): SubRequest => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw malformed('Invalid batch payload format.');
    const r = raw as Record<string, unknown>;
    const id = typeof r.id === 'number' ? String(r.id) : r.id;
    if (typeof id !== 'string' || !id) throw malformed("Each batch request must have an 'id'.");
    // Ids are compared case-insensitively.
    if (seen.has(id.toLowerCase())) throw malformed(`Batch request ids must be unique; '${id}' is used more than once.`);
    seen.add(id.toLowerCase());
    const method = typeof r.method === 'string' ? r.method.toUpperCase() : '';
    if (!METHODS.has(method)) throw malformed(`Batch request '${id}' has an invalid or missing 'method'.`);
    if (typeof r.url !== 'string' || !r.url.trim()) throw malformed(`Batch request '${id}' has an invalid or missing 'url'.`);
    const headers: Record<string, string | undefined> = {};
    if (r.headers !== undefined && r.headers !== null) {
      if (typeof r.headers !== 'object' || Array.isArray(r.headers)) throw malformed(`Batch request '${id}' has invalid 'headers'.`);
      for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) headers[k.toLowerCase()] = v === undefined || v === null ? undefined : String(v);
    }
    const hasBody = r.body !== undefined && r.body !== null;
    if (hasBody && !headers['content-type']) throw malformed(`Batch request '${id}' has a body but no Content-Type header.`);
    let dependsOn: string[] = [];
    if (r.dependsOn !== undefined && r.dependsOn !== null) {
      if (!Array.isArray(r.dependsOn) || r.dependsOn.some((d) => typeof d !== 'string' && typeof d !== 'number')) throw malformed(`Batch request '${id}' has an invalid 'dependsOn'.`);
      dependsOn = r.dependsOn.map(String);
    }
    const { path, query } = splitUrl(r.url);
    return { id, method, path, query, headers, body: hasBody ? decodeBody(r.body, headers['content-type']!) : undefined, dependsOn };
  });
  const byId = new Map(parsed.map((p) => [p.id.toLowerCase(), p]));
  for (const p of parsed) {
    for (const d of p.dependsOn) if (!byId.has(d.toLowerCase())) throw malformed(`Batch request '${p.id}' depends on '${d}', which is not in the batch.`);
  }
  assertAcyclic(parsed, byId);
  return parsed;
}

function assertAcyclic(reqs: SubRequest[], byId: Map<string, SubRequest>): void {
  const state = new Map<string, 1 | 2>();
  const visit = (r: SubRequest) => {
    const k = r.id.toLowerCase();
    if (state.get(k) === 2) return;
    if (state.get(k) === 1) throw malformed(`Batch request '${r.id}' is part of a circular dependsOn chain.`);
    state.set(k, 1);
    for (const d of r.dependsOn) visit(byId.get(d.toLowerCase())!);
    state.set(k, 2);
  };
  reqs.forEach(visit);
}

/** Relative URL (`/users/x?$select=id` or `users/x`) → path and query. */
function splitUrl(url: string): { path: string; query: Record<string, string> } {
  let u = url.trim();
  // Tolerate absolute URLs by keeping the part after the version segment.
  const abs = /^https?:\/\/[^/]+\/(?:v1\.0|beta)(\/.*)?$/i.exec(u);
  if (abs) u = abs[1] ?? '/';
  const q = u.indexOf('?');
  const rawPath = q < 0 ? u : u.slice(0, q);
  // The Graph SDKs' batch builders keep the version segment ("/v1.0/me"); Graph accepts that too.
  const path = (rawPath.startsWith('/') ? rawPath : `/${rawPath}`).replace(/^\/(?:v1\.0|beta)(?=\/|$)/i, '') || '/';
  return { path, query: Object.fromEntries(new URLSearchParams(q < 0 ? '' : u.slice(q + 1))) };
}

/** Bodies are JSON objects, or base64 strings for non-JSON content types. */
function decodeBody(body: unknown, contentType: string): unknown {
  if (typeof body === 'string' && !/json/i.test(contentType)) {
    return Buffer.from(body, 'base64').toString('utf8');
  }
  return body;
}

function failedDependency(sub: SubRequest, dep: string, now: number): SubResponse {
  const requestId = randomUUID();
  const clientRequestId = sub.headers['client-request-id'] ?? randomUUID();
  const e = new GraphError(424, 'FailedDependency', `The request could not be executed because the request it depends on ('${dep}') failed.`);
  return {
    id: sub.id,
    status: 424,
    headers: { 'Content-Type': JSON_CONTENT_TYPE, 'request-id': requestId, 'client-request-id': clientRequestId },
    body: graphErrorBody(e, requestId, clientRequestId, now),
  };
}

function toSubResponse(id: string, r: DispatchResult): SubResponse {
  // A dropped connection cannot be expressed for one item; it surfaces as a gateway timeout.
  if (r.reset) {
    const e = graphErrors.gatewayTimeout();
    const requestId = randomUUID();
    return { id, status: e.status, headers: { 'Content-Type': JSON_CONTENT_TYPE }, body: graphErrorBody(e, requestId, requestId, Date.now()) };
  }
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  if (r.body !== undefined) headers['Content-Type'] = JSON_CONTENT_TYPE;
  const out: SubResponse = { id, status: r.status, headers };
  if (r.body !== undefined) out.body = r.body;
  return out;
}

export async function handleBatch(dispatch: Dispatch, outer: GraphRequestInput): Promise<EmuResponse> {
  const requests = parseRequests(outer.body);
  const byId = new Map(requests.map((r) => [r.id.toLowerCase(), r]));
  const running = new Map<string, Promise<SubResponse>>();
  const run = (r: SubRequest): Promise<SubResponse> => {
    const key = r.id.toLowerCase();
    let p = running.get(key);
    if (p) return p;
    p = (async () => {
      const deps = await Promise.all(r.dependsOn.map((d) => run(byId.get(d.toLowerCase())!)));
      const failed = deps.find((d) => d.status >= 400);
      if (failed) return failedDependency(r, failed.id, Date.now());
      const res = await dispatch({
        method: r.method, path: r.path, version: outer.version, query: r.query, headers: r.headers, body: r.body,
        claims: outer.claims, tenant: outer.tenant, origin: outer.origin, batched: true,
      });
      return toSubResponse(r.id, res);
    })();
    running.set(key, p);
    return p;
  };
  const responses = await Promise.all(requests.map(run));
  return { status: 200, body: { responses } };
}
