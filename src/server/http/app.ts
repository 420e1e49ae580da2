// The Fastify application: zod-validated routes, OpenAPI at /docs, cookies, websockets, and one
// error shape for everything.
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { AppError } from '../../core/errors.ts';
import type { Runtime } from '../runtime.ts';
import { authHook } from './auth.ts';
import { errorHandler } from './errors.ts';
import { authRoutes } from '../routes/auth.routes.ts';
import { catalogRoutes } from '../routes/catalog.routes.ts';
import { eventsRoutes } from '../routes/events.routes.ts';
import { runsRoutes } from '../routes/runs.routes.ts';
import { chatRoutes } from '../routes/chat.routes.ts';
import type { RunningEmulator } from '../../emulator/server.ts';
import { demoRoutes } from '../routes/demo.routes.ts';
import { notificationsRoutes } from '../routes/notifications.routes.ts';
import { designRoutes } from '../routes/design.routes.ts';
import { lifecycleRoutes } from '../routes/lifecycle.routes.ts';
import { webRoutes, type WebOptions } from '../routes/web.routes.ts';

export interface HttpOptions {
  /** Extra route plugins (chat, lifecycle, web UI) registered by the modules that own them. */
  plugins?: Array<(app: FastifyInstance) => Promise<void>>;
  health?: () => Record<string, unknown>;
  /** The emulator embedded in this process, if any: the demo tenant inspector reads it. */
  emulator?: RunningEmulator | undefined;
  /** The web app's static files and first-start hint. */
  web?: WebOptions;
}

export async function buildHttpApp(rt: Runtime, opts: HttpOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, routerOptions: { ignoreTrailingSlash: true } }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler(rt.log));
  app.setNotFoundHandler((req, reply) => {
    const e = new AppError({ code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}.`, fix: 'See /docs for the API.' });
    return reply.code(404).send({ error: e.toJSON() });
  });
  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Tenantflow API', version: '1.0.0', description: 'Plain-words Microsoft 365 automation with approval-gated durable workflows.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'tf_session' } } },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.addHook('onRequest', authHook(rt));
  app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness (public).', security: [] } }, async () => ({ status: 'ok', ...(opts.health?.() ?? {}) }));
  await app.register(authRoutes(rt));
  await app.register(catalogRoutes(rt));
  await app.register(runsRoutes(rt));
  await app.register(eventsRoutes(rt));
  await app.register(chatRoutes(rt));
  await app.register(notificationsRoutes(rt));
  await app.register(designRoutes(rt));
  await app.register(lifecycleRoutes(rt));
  await app.register(demoRoutes(rt, opts.emulator));
  for (const p of opts.plugins ?? []) await app.register(p);
  // Last: its catch-all GET serves the web app's pages.
  await app.register(webRoutes(opts.web));
  return app;
}
