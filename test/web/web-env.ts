// The whole product for browser tests: the demo emulator, a runtime on the embedded database, the
// HTTP app (API + built web app) listening on loopback, and a headless Debian chromium driving it.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureWebBuild } from '../../scripts/ensure-web-build.ts';
import { SecretBox } from '../../src/core/secret-box.ts';
import { isTerminalRun } from '../../src/engine/run-state.ts';
import { M365Connector } from '../../src/m365/connector.ts';
import { demoTenants } from '../../src/m365/demo-tenants.ts';
import { TenantRegistry } from '../../src/m365/tenant-registry.ts';
import { ensureAdmin } from '../../src/server/bootstrap.ts';
import { buildHttpApp } from '../../src/server/http/app.ts';
import { startRuntime, type Runtime } from '../../src/server/runtime.ts';
import { startHarness, type Harness } from '../emulator/harness.ts';
import { instantRetry } from '../m365/helpers.ts';

export const ADMIN_PASSWORD = 'admin-password-for-web-tests';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results');

export interface WebEnv {
  h: Harness;
  rt: Runtime;
  app: FastifyInstance;
  url: string;
  /** Absent when started with {browser: false} (API-only tests). */
  browser: Browser;
  contosoId: string;
  /** A fresh browser context (own cookies) and page at the given viewport. */
  newPage(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  /** Signs in through the sign-in form and waits for the app shell. */
  signIn(page: Page, username?: string, password?: string): Promise<void>;
  screenshot(page: Page, name: string): Promise<string>;
  /** An API call through the app (no browser): Bearer token, JSON body. */
  api(method: string, path: string, o?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  login(username?: string, password?: string): Promise<string>;
  /** Resolves when the run reaches a terminal state (at once if it already has). */
  waitTerminal(runId: string): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;

export async function startWebEnv(name: string, opts: { browser?: boolean; adminPasswordGenerated?: boolean; plugins?: (rt: Runtime) => Array<(app: FastifyInstance) => Promise<void>> } = {}): Promise<WebEnv> {
  await ensureWebBuild({ quiet: true });
  const h = await startHarness({ seeds: ['demo'] });
  const tlsPort = Number(new URL(h.emu.httpsUrl).port);
  const registry = new TenantRegistry(demoTenants({ tlsPort, caPem: h.emu.caPem }));
  const connector = new M365Connector({ registry, retry: instantRetry().retry, pacing: false });
  const rt = await startRuntime({
    dataDir: 'memory', registry, connector, schema: `w_${name}_${process.pid}_${counter++}`,
    secrets: new SecretBox(Buffer.alloc(32, 7)),
    worker: { leaseMs: 3000, heartbeatMs: 500, sweepMs: 500, backoffScale: 0.001 },
  });
  await ensureAdmin(rt.accounts, ADMIN_PASSWORD);
  const app = await buildHttpApp(rt, { ...(opts.plugins ? { plugins: opts.plugins(rt) } : {}), emulator: h.emu, web: { adminPasswordGenerated: opts.adminPasswordGenerated ?? true } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = opts.browser === false
    ? (undefined as unknown as Browser)
    : await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const contexts: BrowserContext[] = [];
  const api: WebEnv['api'] = async (method, path, o = {}) => {
    const res = await app.inject({
      method: method as 'GET', url: path,
      headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.headers ?? {}) },
      ...(o.body !== undefined ? { payload: o.body as object } : {}),
    });
    let body: unknown = res.body;
    try { body = JSON.parse(res.body); } catch { /* text */ }
    return { status: res.statusCode, body, headers: res.headers };
  };
  return {
    api,
    async login(username = 'admin', password = ADMIN_PASSWORD) {
      const r = await api('POST', '/api/auth/login', { body: { username, password } });
      if (r.status !== 200) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
      return r.body.token as string;
    },
    h, rt, app, url, browser, contosoId: registry.list()[0]!.id,
    async newPage(viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ viewport, baseURL: url, permissions: ['clipboard-read', 'clipboard-write'] });
      contexts.push(context);
      return { context, page: await context.newPage() };
    },
    async signIn(page, username = 'admin', password = ADMIN_PASSWORD) {
      await page.goto('/');
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('app-shell').waitFor();
    },
    async screenshot(page, file) {
      const path = join(SCREENSHOTS, `${file}.png`);
      await page.screenshot({ path, fullPage: false });
      return path;
    },
    waitTerminal: (runId) => new Promise<string>((done) => {
      const off = rt.bus.subscribe((e) => {
        if (e.type === 'run' && e.runId === runId && isTerminalRun(e.state)) { off(); done(e.state); }
      });
      void rt.runs.getRun(runId).then((r) => { if (r && isTerminalRun(r.state)) { off(); done(r.state); } });
    }),
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser?.close();
      await app.close();
      await rt.close({ dropSchema: true });
      await h.close();
    },
  };
}
