// Starts the emulator: plain HTTP on one port and HTTPS (self-signed, generated on first start) on
// another, both serving the same tenants, tokens, Graph, Exchange and control plane.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '../core/logger.ts';
import { loadOrCreateCertificate } from './auth/tls-cert.ts';
import { registerTokenEndpoint } from './auth/token-endpoint.ts';
import { TokenService } from './auth/tokens.ts';
import { registerAdmin } from './admin/routes.ts';
import type { EmulatorDeps } from './deps.ts';
import { registerExchange } from './exchange/routes.ts';
import { exchangeErrorBody, ExchangeError } from './exchange/errors.ts';
import { graphRoutes } from './graph/index.ts';
import { GraphError, graphErrorBody } from './graph/errors.ts';
import { GraphPipeline } from './graph/pipeline.ts';
import { GRAPH_CONTENT_TYPE, registerGraph } from './http-graph.ts';
import { Ledger } from './realism/ledger.ts';
import { createRealism } from './realism/realism.ts';
import type { RealismControls, SeedFile } from './state/model.ts';
import { EmulatorStore } from './state/store.ts';
import { loadSeeds } from './seed/load-seeds.ts';

export interface EmulatorOptions {
  host?: string;
  /** Plain HTTP port; 0 picks a free one. */
  port?: number;
  /** HTTPS port; 0 picks a free one. */
  tlsPort?: number;
  /** 'demo' (default), a seed file path, or seed objects. */
  seeds?: Array<'demo' | string | SeedFile>;
  /** `TENANTS:USERS`, e.g. `20:5000`, for deterministic synthetic tenants next to the seeds. */
  generate?: string;
  dataDir: string;
  /** Keep a snapshot in dataDir and restore it at start (default true). */
  snapshot?: boolean;
  /** Controls applied to every tenant at start, over the seed's own (tests pass off). */
  controls?: Partial<RealismControls>;
  now?: () => number;
  logger?: Logger;
}

export interface RunningEmulator {
  httpUrl: string;
  httpsUrl: string;
  caPem: string;
  certPath: string;
  deps: EmulatorDeps;
  close(): Promise<void>;
}

export const BODY_LIMIT = 4 * 1024 * 1024;

export async function startEmulator(opts: EmulatorOptions): Promise<RunningEmulator> {
  const log = opts.logger ?? createLogger('emulator');
  const now = opts.now ?? Date.now;
  const store = new EmulatorStore();
  if (opts.controls) store.defaultControls = opts.controls;
  loadSeeds(store, opts.seeds ?? ['demo'], opts.generate, new Date(now()));
  const useSnapshot = opts.snapshot ?? true;
  if (useSnapshot) {
    const restored = store.loadSnapshot(opts.dataDir);
    if (restored) log.info({ restored }, 'restored tenant state from snapshot');
  }
  const key = await loadOrCreateCertificate(opts.dataDir);
  const tokens = new TokenService(key.keyPem, key.certPem);
  const ledger = new Ledger();
  const realism = createRealism(store, now);
  const graph = new GraphPipeline({ store, ledger, realism, now }, graphRoutes);

  let dirty = false;
  const deps: EmulatorDeps = {
    store, tokens, ledger, realism, graph, now, dataDir: opts.dataDir,
    markDirty: () => { dirty = true; },
  };
  const timer = useSnapshot
    ? setInterval(() => {
        if (!dirty) return;
        dirty = false;
        try { store.saveSnapshot(opts.dataDir); } catch (e) { log.warn({ err: e }, 'snapshot failed'); }
      }, 2000)
    : undefined;
  timer?.unref();

  const host = opts.host ?? '127.0.0.1';
  const http = buildApp(deps, undefined);
  const https = buildApp(deps, { key: key.keyPem, cert: key.certPem });
  await http.listen({ host, port: opts.port ?? 0 });
  await https.listen({ host, port: opts.tlsPort ?? 0 });
  const urlHost = host === '0.0.0.0' ? '127.0.0.1' : host;
  const httpUrl = `http://${urlHost}:${(http.server.address() as AddressInfo).port}`;
  const httpsUrl = `https://${urlHost === '127.0.0.1' ? 'localhost' : urlHost}:${(https.server.address() as AddressInfo).port}`;
  return {
    httpUrl, httpsUrl, caPem: key.certPem, certPath: key.certPath, deps,
    async close() {
      if (timer) clearInterval(timer);
      await Promise.all([http.close(), https.close()]);
      if (useSnapshot && dirty) store.saveSnapshot(opts.dataDir);
    },
  };
}

function buildApp(deps: EmulatorDeps, tls: { key: string; cert: string } | undefined): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    ...(tls ? { https: tls } : {}),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    forceCloseConnections: true,
    // A path Fastify cannot decode (/v1.0/users/%ZZ) never reaches the error handler; it gets the
    // same Graph (or Exchange) error shape as any other client mistake, not Fastify's own.
    frameworkErrors: (err, req, reply) => {
      const message = err.code === 'FST_ERR_BAD_URL' ? `The request URI is not valid: '${req.url.split('?')[0]}' is not correctly percent-encoded.` : 'The request is not valid.';
      sendClientError(deps, req.url, req.headers['client-request-id'], reply, 400, 'BadRequest', message);
    },
  }) as unknown as FastifyInstance;
  // Graph accepts an empty body on actions such as revokeSignInSessions even when the client sent
  // Content-Type: application/json (the SDKs do); only a non-empty body must be valid JSON.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    const text = (body as string).trim();
    if (!text) return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(Object.assign(e as Error, { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }), undefined);
    }
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    const message = err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err instanceof SyntaxError
      ? 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'
      : err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'The request body is too large.'
      : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'The content type is not supported; use application/json.'
      : status === 500 ? 'An unexpected error occurred.' : err.message;
    const code = status === 413 ? 'Request_EntityTooLarge' : status === 415 ? 'UnsupportedMediaType' : status === 500 ? 'generalException' : 'BadRequest';
    return sendClientError(deps, req.url, req.headers['client-request-id'], reply, status, code, message);
  });
  app.setNotFoundHandler((req, reply) => {
    const ge = new GraphError(404, 'NotFound', `The path '${req.url.split('?')[0]}' is not served by this emulator.`);
    return reply.code(404).header('content-type', GRAPH_CONTENT_TYPE).send(graphErrorBody(ge, randomUUID(), clientRequestId(req.headers['client-request-id']), deps.now()));
  });
  app.get('/_emulator/health', async () => ({ status: 'ok', tenants: deps.store.tenants.size }));
  registerTokenEndpoint(app, deps);
  registerGraph(app, deps);
  registerExchange(app, deps);
  registerAdmin(app, deps);
  return app;
}

/** The caller's client-request-id, echoed as Graph does, or a new one when it sent none. */
function clientRequestId(h: string | string[] | undefined): string {
  const v = Array.isArray(h) ? h[0] : h;
  return v && v.length <= 200 ? v : randomUUID();
}

/** A 4xx/5xx in the error shape of the surface the path belongs to (Exchange admin API or Graph). */
function sendClientError(deps: EmulatorDeps, url: string, crid: string | string[] | undefined, reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  if (url.startsWith('/adminapi/')) {
    const e = new ExchangeError(status, 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException', 'ExBadInput', message);
    return reply.code(status).send(exchangeErrorBody(e));
  }
  const ge = new GraphError(status, code, message);
  return reply.code(status).header('content-type', GRAPH_CONTENT_TYPE).send(graphErrorBody(ge, randomUUID(), clientRequestId(crid), deps.now()));
}
