// Graph over HTTP: /v1.0/* and /beta/*. Authenticates the Bearer token, finds the tenant from its
// tid, and hands the request to the pipeline (or to $batch).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { GRAPH_AUDIENCE } from './auth/tokens.ts';
import type { EmulatorDeps } from './deps.ts';
import { handleBatch } from './graph/batch.ts';
import { GraphError, graphErrorBody, graphErrors } from './graph/errors.ts';
import type { GraphRequestInput } from './graph/pipeline.ts';

export const GRAPH_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export function registerGraph(app: FastifyInstance, deps: EmulatorDeps): void {
  const handler = (version: 'v1.0' | 'beta') => async (req: FastifyRequest, reply: FastifyReply) => {
    const now = deps.now();
    const headers = req.headers as Record<string, string | undefined>;
    const raw = req.url;
    const q = raw.indexOf('?');
    // The raw (still percent-encoded) path: the router decodes each parameter itself.
    const path = (q < 0 ? raw : raw.slice(0, q)).slice(version.length + 1) || '/';
    const query = Object.fromEntries(new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)));
    const fail = (e: GraphError) =>
      reply
        .code(e.status)
        .headers({ 'content-type': GRAPH_CONTENT_TYPE, 'request-id': randomUUID(), ...e.headers })
        .send(graphErrorBody(e, randomUUID(), headers['client-request-id'] ?? randomUUID(), now));

    const auth = headers.authorization;
    if (!auth || !/^bearer\s+/i.test(auth)) return fail(graphErrors.unauthenticated());
    const claims = await deps.tokens.verify(auth.replace(/^bearer\s+/i, ''), now);
    if (!claims) return fail(graphErrors.unauthenticated('Access token validation failure. Invalid audience or signature, or the token has expired.'));
    if (claims.aud !== GRAPH_AUDIENCE && claims.aud !== '00000003-0000-0000-c000-000000000000') {
      return fail(graphErrors.unauthenticated('Access token validation failure. Invalid audience.'));
    }
    const tenant = deps.store.tenant(claims.tid);
    if (!tenant) return fail(graphErrors.unauthenticated('The tenant in the access token is not known to this service.'));

    const input: GraphRequestInput = {
      method: req.method, path, version, query, headers, body: req.body, claims, tenant,
      origin: `${req.protocol}://${req.host}`, batched: false,
    };
    const res = path === '/$batch' && req.method === 'POST'
      ? await runBatch(deps, input)
      : await deps.graph.dispatch(input);
    if (res.reset) {
      req.raw.socket.destroy();
      return reply;
    }
    if (req.method !== 'GET' && res.status < 400) deps.markDirty();
    reply.code(res.status).headers({ ...(res.body !== undefined ? { 'content-type': GRAPH_CONTENT_TYPE } : {}), ...(res.headers ?? {}) });
    // One UTF-8 encoding: a Buffer is written as is, where a string would be measured (byteLength) and then encoded.
    return res.body === undefined ? reply.send() : reply.send(Buffer.from(JSON.stringify(res.body)));
  };
  for (const version of ['v1.0', 'beta'] as const) {
    app.route({ method: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'], url: `/${version}/*`, handler: handler(version) });
  }
}

async function runBatch(deps: EmulatorDeps, outer: GraphRequestInput) {
  try {
    const res = await handleBatch((sub) => deps.graph.dispatch(sub), outer);
    return { ...res, reset: false };
  } catch (e) {
    const ge = e instanceof GraphError ? e : graphErrors.internal();
    return { status: ge.status, body: graphErrorBody(ge, randomUUID(), outer.headers['client-request-id'] ?? randomUUID(), deps.now()), headers: ge.headers, reset: false };
  }
}

