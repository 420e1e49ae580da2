// Builds connector pieces pointed at a harness emulator: a TenantConfig for the mini tenant, a
// transport that records every call, and a retry policy whose sleeps are recorded, not waited.
import type { Harness } from '../emulator/harness.ts';
import { FULL_APP, MINI_DOMAIN, MINI_TENANT_ID } from '../fixtures/mini-seed.ts';
import { ExchangeClient } from '../../src/m365/exchange-client.ts';
import { GraphClient } from '../../src/m365/graph-client.ts';
import { TransportPool, type Send, type WireRequest, type WireResponse } from '../../src/m365/http-transport.ts';
import type { PacingBudget } from '../../src/m365/pacing.ts';
import type { RetryPolicy } from '../../src/m365/retry-policy.ts';
import { defineTenant, type TenantConfig, type TenantInput } from '../../src/m365/tenant-config.ts';
import { TokenProvider } from '../../src/m365/token-provider.ts';

export function harnessTenant(h: Harness, overrides: Partial<TenantInput> = {}): TenantConfig {
  return defineTenant({
    id: MINI_TENANT_ID,
    domain: MINI_DOMAIN,
    displayName: 'Tailspin Toys',
    loginBaseUrl: h.emu.httpsUrl,
    graphBaseUrl: h.emu.httpsUrl,
    exchangeBaseUrl: `${h.emu.httpsUrl}/adminapi/beta`,
    caPem: h.emu.caPem,
    credentials: { kind: 'clientSecret', clientId: FULL_APP.clientId, clientSecret: FULL_APP.secret },
    defaults: { usageLocation: 'US' },
    ...overrides,
  });
}

export interface Recorded {
  req: WireRequest;
  res?: WireResponse;
}

/** A transport pool whose Send records each exchange. */
export class RecordingTransport {
  readonly pool = new TransportPool();
  readonly calls: Recorded[] = [];

  sendFor = (t: TenantConfig): Send => {
    const send = this.pool.forTrust(t);
    return async (req) => {
      const rec: Recorded = { req };
      this.calls.push(rec);
      rec.res = await send(req);
      return rec.res;
    };
  };

  tokenRequests(): Recorded[] {
    return this.calls.filter((c) => c.req.method === 'POST' && c.req.url.includes('/oauth2/v2.0/token'));
  }

  to(pathPart: string): Recorded[] {
    return this.calls.filter((c) => new URL(c.req.url).pathname.includes(pathPart));
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Retry policy for tests: same decisions, but sleeps are recorded and return at once. */
export function instantRetry(overrides: Partial<RetryPolicy> = {}): { retry: Partial<RetryPolicy>; sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    retry: { sleep: async (ms) => { sleeps.push(ms); }, random: () => 0.5, notFoundDelaysMs: [10, 20, 40, 80], ...overrides },
  };
}

export interface Clients {
  tenant: TenantConfig;
  transport: RecordingTransport;
  tokens: TokenProvider;
  graph: GraphClient;
  exchange: ExchangeClient;
  sleeps: number[];
  close(): Promise<void>;
}

export function harnessClients(h: Harness, opts: { tenant?: Partial<TenantInput>; retry?: Partial<RetryPolicy>; pacing?: PacingBudget; maxPageSize?: number } = {}): Clients {
  const tenant = harnessTenant(h, opts.tenant);
  const transport = new RecordingTransport();
  const tokens = new TokenProvider({ sendFor: transport.sendFor });
  const { retry, sleeps } = instantRetry(opts.retry);
  const send = transport.sendFor(tenant);
  const graph = new GraphClient({ tenant, tokens, send, retry, ...(opts.pacing ? { pacing: opts.pacing } : {}) });
  const exchange = new ExchangeClient({ tenant, tokens, send, retry, ...(opts.pacing ? { pacing: opts.pacing } : {}), ...(opts.maxPageSize ? { maxPageSize: opts.maxPageSize } : {}) });
  return { tenant, transport, tokens, graph, exchange, sleeps, close: () => transport.close() };
}
