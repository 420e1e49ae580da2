// Starts an emulator on loopback for a test file and hands out tokens and fetch helpers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.ts';
import type { SeedFile } from '../../src/emulator/state/model.ts';
import { FULL_APP, MINI_DOMAIN, miniSeed } from '../fixtures/mini-seed.ts';

export interface Harness {
  emu: RunningEmulator;
  /** Base of the plain-HTTP listener, e.g. http://127.0.0.1:1234 */
  base: string;
  token(opts?: { tenant?: string; clientId?: string; secret?: string; scope?: string }): Promise<string>;
  /** Graph call with a full-permission token; path like `/v1.0/users`. */
  graph(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string>; token?: string }): Promise<{ status: number; headers: Headers; body: any }>;
  /** Exchange InvokeCommand with a full-permission token. */
  exo(cmdlet: string, parameters?: Record<string, unknown>, opts?: { tenant?: string; token?: string }): Promise<{ status: number; headers: Headers; body: any }>;
  /** fetch that trusts the emulator's self-signed certificate. */
  tlsFetch: typeof fetch;
  close(): Promise<void>;
}

export async function startHarness(opts: { seeds?: Array<'demo' | string | SeedFile>; generate?: string } = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tf-emu-'));
  const emu = await startEmulator({ dataDir, seeds: opts.seeds ?? [miniSeed()], snapshot: false, ...(opts.generate ? { generate: opts.generate } : {}), controls: { latency: { mode: 'off' }, throttling: { enabled: false }, faults: [], readAfterCreateDelayMs: 0 } });
  const base = emu.httpUrl;
  const agent = new Agent({ connect: { ca: emu.caPem } });
  const tlsFetch = ((url: string, init?: RequestInit) => undiciFetch(url, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch;
  const cache = new Map<string, string>();
  const token: Harness['token'] = async (o = {}) => {
    const tenant = o.tenant ?? MINI_DOMAIN;
    const clientId = o.clientId ?? FULL_APP.clientId;
    const secret = o.secret ?? FULL_APP.secret;
    const scope = o.scope ?? 'https://graph.microsoft.com/.default';
    const key = `${tenant}|${clientId}|${scope}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const res = await fetch(`${base}/${tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
    cache.set(key, body.access_token);
    return body.access_token;
  };
  const call = async (url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> }, tok: string) => {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${tok}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) },
      ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    let body: unknown = text;
    try { body = text ? JSON.parse(text) : undefined; } catch { /* keep text */ }
    return { status: res.status, headers: res.headers, body: body as any };
  };
  return {
    emu, base, token, tlsFetch,
    graph: async (path, init = {}) => call(`${base}${path}`, init, init.token ?? (await token())),
    exo: async (cmdlet, parameters = {}, o = {}) => {
      const tenant = o.tenant ?? MINI_DOMAIN;
      const tok = o.token ?? (await token({ tenant, scope: 'https://outlook.office365.com/.default' }));
      return call(`${base}/adminapi/beta/${tenant}/InvokeCommand`, { method: 'POST', body: { CmdletInput: { CmdletName: cmdlet, Parameters: parameters } } }, tok);
    },
    async close() {
      await emu.close();
      await agent.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
