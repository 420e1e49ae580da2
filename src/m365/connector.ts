// Wires the transport layer once per process: one transport pool, one token provider and one
// pacing budget shared by every tenant's Graph and Exchange clients (the per-app budgets span
// tenants, so they must be shared to mean anything).
import { systemClock, type Clock } from '../core/clock.ts';
import { silentLogger, type Logger } from '../core/logger.ts';
import { ExchangeClient } from './exchange-client.ts';
import { GraphClient, type GraphVersion } from './graph-client.ts';
import type { ThrottlePriority } from './graph-middleware.ts';
import { TransportPool, type Send } from './http-transport.ts';
import { PacingBudget, type PacingOptions } from './pacing.ts';
import type { RetryPolicy } from './retry-policy.ts';
import type { TenantConfig } from './tenant-config.ts';
import type { TenantRegistry } from './tenant-registry.ts';
import { TokenProvider, type TokenSource } from './token-provider.ts';

export interface ConnectorOptions {
  registry: TenantRegistry;
  clock?: Clock;
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
  pacing?: PacingBudget | PacingOptions | false;
  /** Wraps the transport of each tenant (tests count or inspect calls). */
  wrapSend?: (send: Send, tenant: TenantConfig) => Send;
  tokens?: TokenSource;
  defaultVersion?: GraphVersion;
  defaultPriority?: ThrottlePriority;
}

export class M365Connector {
  readonly registry: TenantRegistry;
  readonly tokens: TokenSource;
  readonly pacing: PacingBudget | undefined;
  private readonly pool = new TransportPool();
  private readonly opts: ConnectorOptions;
  private readonly graphs = new Map<string, GraphClient>();
  private readonly exchanges = new Map<string, ExchangeClient>();

  constructor(opts: ConnectorOptions) {
    this.opts = opts;
    this.registry = opts.registry;
    const clock = opts.clock ?? systemClock;
    this.tokens = opts.tokens ?? new TokenProvider({ sendFor: (t) => this.sendFor(t), clock, logger: opts.logger ?? silentLogger });
    this.pacing = opts.pacing === false ? undefined : opts.pacing instanceof PacingBudget ? opts.pacing : new PacingBudget({ clock, ...(opts.pacing ?? {}) });
  }

  /** The Graph client of a tenant (GUID, domain or prefix); unknown_tenant if not configured. */
  graph(tenantRef: string): GraphClient {
    const tenant = this.registry.get(tenantRef);
    let c = this.graphs.get(tenant.id);
    if (!c) {
      c = new GraphClient({
        tenant, tokens: this.tokens, send: this.sendFor(tenant),
        ...(this.pacing ? { pacing: this.pacing } : {}),
        ...(this.opts.retry ? { retry: this.opts.retry } : {}),
        ...(this.opts.defaultVersion ? { defaultVersion: this.opts.defaultVersion } : {}),
        ...(this.opts.defaultPriority ? { defaultPriority: this.opts.defaultPriority } : {}),
      });
      this.graphs.set(tenant.id, c);
    }
    return c;
  }

  exchange(tenantRef: string): ExchangeClient {
    const tenant = this.registry.get(tenantRef);
    let c = this.exchanges.get(tenant.id);
    if (!c) {
      c = new ExchangeClient({
        tenant, tokens: this.tokens, send: this.sendFor(tenant),
        ...(this.pacing ? { pacing: this.pacing } : {}),
        ...(this.opts.retry ? { retry: this.opts.retry } : {}),
      });
      this.exchanges.set(tenant.id, c);
    }
    return c;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private sendFor(tenant: TenantConfig): Send {
    const send = this.pool.forTrust(tenant);
    return this.opts.wrapSend ? this.opts.wrapSend(send, tenant) : send;
  }
}
