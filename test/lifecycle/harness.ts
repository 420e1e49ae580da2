// A whole Tenantflow for lifecycle tests: the emulator with the demo tenants, the runtime with a
// TestClock and no schedule timer (tests call tick()), and the HTTP API on HTTPS — Microsoft's
// Graph SDK sends its Bearer token only to https hosts — using the emulator's self-signed
// certificate, which the SDK's dispatcher trusts.
import { createServer, type Server } from 'node:https';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Client } from '@microsoft/microsoft-graph-client';
import { Agent } from 'undici';
import { TestClock } from '../../src/core/clock.ts';
import { SecretBox } from '../../src/core/secret-box.ts';
import { M365Connector } from '../../src/m365/connector.ts';
import { demoTenants } from '../../src/m365/demo-tenants.ts';
import { TenantRegistry } from '../../src/m365/tenant-registry.ts';
import { ensureAdmin } from '../../src/server/bootstrap.ts';
import { buildHttpApp } from '../../src/server/http/app.ts';
import { startRuntime, type Runtime } from '../../src/server/runtime.ts';
import { startHarness, type Harness } from '../emulator/harness.ts';
import { instantRetry } from '../m365/helpers.ts';

export const ADMIN_PASSWORD = 'admin-password-for-lcw-tests';

export interface LcwEnv {
  h: Harness;
  rt: Runtime;
  app: FastifyInstance;
  clock: TestClock;
  /** https://127.0.0.1:port of the Tenantflow API. */
  url: string;
  contosoId: string;
  fabrikamId: string;
  admin: string;
  caPem: string;
  /** The emulator certificate's key and certificate, to serve other HTTPS endpoints (custom extensions). */
  tls: { key: string; cert: string };
  login(username: string, password: string): Promise<string>;
  /** Microsoft's Graph SDK against Tenantflow's /graph/{tenant} with a Tenantflow Bearer token. */
  sdk(opts?: { tenant?: string; token?: string; version?: 'v1.0' | 'beta' }): Client;
  /** Raw call to the API (for answers the SDK hides, such as 204 bodies or headers). */
  call(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

let counter = 0;

export async function startLcwEnv(name: string, opts: { now?: string | Date } = {}): Promise<LcwEnv> {
  const h = await startHarness({ seeds: ['demo'] });
  const tlsPort = Number(new URL(h.emu.httpsUrl).port);
  const registry = new TenantRegistry(demoTenants({ tlsPort, caPem: h.emu.caPem }));
  const connector = new M365Connector({ registry, retry: instantRetry().retry, pacing: false });
  const clock = new TestClock(opts.now ?? Date.now());
  const rt = await startRuntime({
    dataDir: 'memory', registry, connector, clock, schema: `lcw_${name}_${process.pid}_${counter++}`,
    secrets: new SecretBox(Buffer.alloc(32, 7)),
    worker: { leaseMs: 3000, heartbeatMs: 500, sweepMs: 200, staleApprovedMs: 200, backoffScale: 0.001 },
    lifecycle: { autoSchedule: false, extensionCaPem: h.emu.caPem, resumePollMs: 200 },
  });
  await ensureAdmin(rt.accounts, ADMIN_PASSWORD);
  const app = await buildHttpApp(rt);
  await app.ready();
  const tls = { key: readFileSync(join(dirname(h.emu.certPath), 'emulator-key.pem'), 'utf8'), cert: h.emu.caPem };
  const server: Server = createServer(tls, (req, res) => app.routing(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new Agent({ connect: { ca: h.emu.caPem } });
  const call: LcwEnv['call'] = async (method, path, o = {}) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(o.headers ?? {}) },
      ...(o.body !== undefined ? { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}),
      dispatcher: agent,
    } as RequestInit);
    const text = await res.text();
    let body: unknown = text;
    try { body = text ? JSON.parse(text) : undefined; } catch { /* text */ }
    return { status: res.status, headers: res.headers, body };
  };
  const login = async (username: string, password: string) => {
    const r = await call('POST', '/api/auth/login', { body: { username, password } });
    if (r.status !== 200) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
    return r.body.token as string;
  };
  const admin = await login('admin', ADMIN_PASSWORD);
  const [contoso, fabrikam] = registry.list();
  return {
    h, rt, app, clock, url, admin, tls, caPem: h.emu.caPem, contosoId: contoso!.id, fabrikamId: fabrikam!.id, login, call,
    sdk: (o = {}) => Client.init({
      authProvider: (done) => done(null, o.token ?? admin),
      baseUrl: `${url}/graph/${o.tenant ?? 'contoso'}`,
      defaultVersion: o.version ?? 'v1.0',
      customHosts: new Set(['127.0.0.1']),
      fetchOptions: { dispatcher: agent } as RequestInit,
    }),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
      await agent.close();
      // The worker sweeps the runs table: stop it before its schema goes.
      await rt.worker?.stop();
      await rt.close({ dropSchema: true });
      await h.close();
    },
  };
}

export const LCW = '/identityGovernance/lifecycleWorkflows';
