// A whole Tenantflow (runtime + HTTP API) against a harness emulator holding the demo tenants.
import type { FastifyInstance } from 'fastify';
import { SecretBox } from '../../src/core/secret-box.ts';
import type { ActionDefinition } from '../../src/m365/actions/action.ts';
import { M365Connector } from '../../src/m365/connector.ts';
import { demoTenants } from '../../src/m365/demo-tenants.ts';
import { TenantRegistry } from '../../src/m365/tenant-registry.ts';
import { ensureAdmin } from '../../src/server/bootstrap.ts';
import { buildHttpApp } from '../../src/server/http/app.ts';
import { startRuntime, type Runtime } from '../../src/server/runtime.ts';
import { isTerminalRun } from '../../src/engine/run-state.ts';
import { startHarness, type Harness } from '../emulator/harness.ts';
import { instantRetry } from '../m365/helpers.ts';

export const ADMIN_PASSWORD = 'admin-password-for-tests';

export interface ApiEnv {
  h: Harness;
  rt: Runtime;
  app: FastifyInstance;
  contosoId: string;
  fabrikamId: string;
  login(username?: string, password?: string): Promise<string>;
  api(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  /** Resolves when the run reaches a terminal state (or immediately if it already has). */
  waitTerminal(runId: string): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;

export async function startApiEnv(name: string, opts: { extraActions?: ActionDefinition[] } = {}): Promise<ApiEnv> {
  const h = await startHarness({ seeds: ['demo'] });
  const tlsPort = Number(new URL(h.emu.httpsUrl).port);
  const registry = new TenantRegistry(demoTenants({ tlsPort, caPem: h.emu.caPem }));
  const connector = new M365Connector({ registry, retry: instantRetry().retry, pacing: false });
  const rt = await startRuntime({
    dataDir: 'memory', registry, connector, schema: `t_${name}_${process.pid}_${counter++}`,
    secrets: new SecretBox(Buffer.alloc(32, 3)),
    worker: { leaseMs: 3000, heartbeatMs: 500, sweepMs: 500, backoffScale: 0.001 },
    ...(opts.extraActions ? { extraActions: opts.extraActions } : {}),
  });
  await ensureAdmin(rt.accounts, ADMIN_PASSWORD);
  const app = await buildHttpApp(rt);
  await app.ready();
  const api: ApiEnv['api'] = async (method, path, o = {}) => {
    const res = await app.inject({
      method: method as 'GET', url: path,
      headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.headers ?? {}) },
      ...(o.body !== undefined ? { payload: o.body as object } : {}),
    });
    let body: unknown = res.body;
    try { body = JSON.parse(res.body); } catch { /* text */ }
    return { status: res.statusCode, body };
  };
  const [contoso, fabrikam] = registry.list();
  return {
    h, rt, app, api, contosoId: contoso!.id, fabrikamId: fabrikam!.id,
    async login(username = 'admin', password = ADMIN_PASSWORD) {
      const r = await api('POST', '/api/auth/login', { body: { username, password } });
      if (r.status !== 200) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
      return r.body.token as string;
    },
    waitTerminal: (runId) => new Promise<string>((resolve) => {
      const off = rt.bus.subscribe((e) => {
        if (e.type === 'run' && e.runId === runId && isTerminalRun(e.state)) { off(); resolve(e.state); }
      });
      void rt.runs.getRun(runId).then((r) => { if (r && isTerminalRun(r.state)) { off(); resolve(r.state); } });
    }),
    async close() {
      await app.close();
      await rt.close({ dropSchema: true });
      await h.close();
    },
  };
}
