// The Tenantflow server process: runtime (store, queue, connector, worker) plus the HTTP API.
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { RunningEmulator } from '../emulator/server.ts';
import { ensureAdmin } from './bootstrap.ts';
import { buildHttpApp, type HttpOptions } from './http/app.ts';
import { startRuntime, type Runtime, type RuntimeOptions } from './runtime.ts';

export interface AppServerOptions extends RuntimeOptions {
  host: string;
  port: number;
  emulator?: RunningEmulator | undefined;
  http?: HttpOptions;
}

export interface RunningAppServer {
  url: string;
  runtime: Runtime;
  app: FastifyInstance;
  /** Set when this start created the admin account with a generated password. */
  generatedAdminPassword?: string;
  close(): Promise<void>;
}

export async function startAppServer(opts: AppServerOptions): Promise<RunningAppServer> {
  const runtime = await startRuntime(opts);
  const admin = await ensureAdmin(runtime.accounts);
  const app = await buildHttpApp(runtime, {
    ...opts.http,
    emulator: opts.emulator,
    web: { ...opts.http?.web, adminPasswordGenerated: admin.generatedPassword !== undefined },
    health: () => ({ emulator: opts.emulator ? { http: opts.emulator.httpUrl, https: opts.emulator.httpsUrl } : null, ...(opts.http?.health?.() ?? {}) }),
  });
  await app.listen({ host: opts.host, port: opts.port });
  const port = (app.server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${port}`,
    runtime,
    app,
    ...(admin.generatedPassword ? { generatedAdminPassword: admin.generatedPassword } : {}),
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}
