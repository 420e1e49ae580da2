// The pacing budget: Microsoft's published throttling limits (reference C2), kept on our side so a
// call waits *before* it is sent and 429s stay rare. Every Graph request is charged its resource
// and write units against the app+tenant, tenant and app-wide budgets; Exchange calls are limited
// per mailbox (4 at once, 10,000 per 10 minutes). When Microsoft answers 429 anyway, the budget
// the answer names pauses until Retry-After. Time comes from an injected clock and sleep, so tests
// compute waits exactly without waiting.
import { sleep as realSleep, systemClock, type Clock } from '../core/clock.ts';
import { TokenBucket } from './token-bucket.ts';
import type { TenantSize } from './tenant-config.ts';

export interface PacingLimits {
  /** Identity resource units per app+tenant per 10 s, by tenant size. */
  identityRuPer10s: Record<TenantSize, number>;
  /** Identity writes per app+tenant per 150 s. */
  appTenantWritesPer150s: number;
  /** Identity writes per tenant (all apps) per 5 min. */
  tenantWritesPer5min: number;
  /** Requests per app across all tenants per 10 s (all Graph services). */
  appRequestsPer10s: number;
  /** Identity resource units per app across all tenants per 20 s. */
  appIdentityRuPer20s: number;
  /** Identity writes per app across all tenants per 5 min. */
  appWritesPer5min: number;
  /** Concurrent Exchange calls per mailbox. */
  mailboxConcurrency: number;
  /** Exchange calls per app per mailbox per 10 min. */
  mailboxRequestsPer10min: number;
}

export const microsoftLimits: PacingLimits = {
  identityRuPer10s: { S: 3500, M: 5000, L: 8000 },
  appTenantWritesPer150s: 3000,
  tenantWritesPer5min: 18_000,
  appRequestsPer10s: 130_000,
  appIdentityRuPer20s: 150_000,
  appWritesPer5min: 70_000,
  mailboxConcurrency: 4,
  mailboxRequestsPer10min: 10_000,
};

export interface PacingRequest {
  tenantId: string;
  appId: string;
  surface: 'graph' | 'exchange';
  /** Graph: number of requests (each $batch sub-request counts). Exchange: cmdlet calls. */
  requests: number;
  /** Graph identity resource units (0 outside identity & access). */
  ru: number;
  /** Graph identity write units. */
  writes: number;
  /** Exchange: the mailbox the call is anchored to. */
  mailbox?: string;
}

export interface PacingLease {
  /** How long the caller waited for budget (ms). */
  waitedMs: number;
  release(): void;
}

export interface PacingOptions {
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  limits?: Partial<PacingLimits>;
  /**
   * Fraction of each published limit we allow ourselves (default 0.9): other apps and admins share
   * the tenant's write budget, and we cannot see their traffic.
   */
  headroom?: number;
  /** Pause applied on a 429 that carries no Retry-After (ms). */
  defaultPauseMs?: number;
}

export function tenantSizeForUserCount(users: number): TenantSize {
  if (users < 50) return 'S';
  if (users <= 500) return 'M';
  return 'L';
}

const noop = () => {};

export class PacingBudget {
  readonly limits: PacingLimits;
  private readonly clock: Clock;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly headroom: number;
  private readonly defaultPauseMs: number;
  private readonly windows = new Map<string, TokenBucket>();
  private readonly sizes = new Map<string, TenantSize>();
  private readonly slots = new Map<string, { active: number; waiters: Array<() => void> }>();

  constructor(opts: PacingOptions = {}) {
    this.limits = { ...microsoftLimits, ...(opts.limits ?? {}) };
    this.clock = opts.clock ?? systemClock;
    this.sleep = opts.sleep ?? realSleep;
    this.headroom = opts.headroom ?? 0.9;
    this.defaultPauseMs = opts.defaultPauseMs ?? 2000;
  }

  /** Configured or learned size class of a tenant (default M until known). */
  setTenantSize(tenantId: string, size: TenantSize): void {
    this.sizes.set(tenantId, size);
  }

  tenantSize(tenantId: string): TenantSize {
    return this.sizes.get(tenantId) ?? 'M';
  }

  /**
   * Reserves budget for one request and returns how long to wait before sending it (ms). The
   * reservation is made at once, so concurrent callers queue instead of all going at the same time.
   */
  reserve(req: PacingRequest): number {
    const now = this.clock.now();
    const charges = this.chargesFor(req);
    let at = now;
    for (const [w, units] of charges) at = Math.max(at, w.earliest(now, units));
    for (const [w, units] of charges) w.commit(at, units);
    return at - now;
  }

  /** Waits for budget (and, for Exchange, a mailbox slot); release the lease when the call ends. */
  async acquire(req: PacingRequest): Promise<PacingLease> {
    const start = this.clock.now();
    const wait = this.reserve(req);
    if (wait > 0) await this.sleep(wait);
    // A 429 seen while we waited pauses the budget beyond our reservation: wait that out too.
    for (let pausedFor = this.pauseRemaining(req); pausedFor > 0; pausedFor = this.pauseRemaining(req)) await this.sleep(pausedFor);
    const release = req.surface === 'exchange' ? await this.takeMailboxSlot(req) : noop;
    return { waitedMs: this.clock.now() - start, release };
  }

  /**
   * Microsoft answered 429: pause the budget it names (x-ms-throttle-scope, e.g.
   * `Tenant_Application/ReadWrite/{appId}/{tenantId}`), or the app+tenant budget when unnamed.
   */
  throttled(req: PacingRequest, retryAfterMs: number | undefined, scope?: string | null): void {
    const until = this.clock.now() + (retryAfterMs ?? this.defaultPauseMs);
    for (const w of this.windowsForScope(req, scope ?? undefined)) w.pause(until);
  }

  private windowsForScope(req: PacingRequest, scope: string | undefined): TokenBucket[] {
    const { tenantId: t, appId: a } = req;
    if (req.surface === 'exchange') return [this.window(`exo:${a}:${t}:${mailboxKey(req)}`, this.limits.mailboxRequestsPer10min, 600_000)];
    const kind = scope?.split('/')[0]?.toLowerCase();
    switch (kind) {
      case 'tenant':
        return [this.tenantWrites(t)];
      case 'application':
        return [this.appRequests(a), this.appRu(a), this.appWrites(a)];
      default:
        return req.ru > 0 ? [this.tenantRu(a, t), this.tenantAppWrites(a, t)] : [this.otherService(a, t)];
    }
  }

  private chargesFor(req: PacingRequest): Array<[TokenBucket, number]> {
    const { tenantId: t, appId: a } = req;
    if (req.surface === 'exchange') {
      return [[this.window(`exo:${a}:${t}:${mailboxKey(req)}`, this.limits.mailboxRequestsPer10min, 600_000), Math.max(1, req.requests)]];
    }
    const out: Array<[TokenBucket, number]> = [[this.appRequests(a), Math.max(1, req.requests)]];
    if (req.ru > 0) {
      out.push([this.tenantRu(a, t), req.ru], [this.appRu(a), req.ru]);
    } else {
      out.push([this.otherService(a, t), 0]);
    }
    if (req.writes > 0) {
      out.push([this.tenantAppWrites(a, t), req.writes], [this.tenantWrites(t), req.writes], [this.appWrites(a), req.writes]);
    }
    return out;
  }

  private pauseRemaining(req: PacingRequest): number {
    const now = this.clock.now();
    let until = now;
    for (const [w] of this.chargesFor(req)) until = Math.max(until, w.pausedUntilMs());
    return until - now;
  }

  private tenantRu(a: string, t: string): TokenBucket {
    return this.window(`ru:${a}:${t}`, () => this.limits.identityRuPer10s[this.tenantSize(t)], 10_000);
  }
  private tenantAppWrites(a: string, t: string): TokenBucket {
    return this.window(`w:${a}:${t}`, this.limits.appTenantWritesPer150s, 150_000);
  }
  private tenantWrites(t: string): TokenBucket {
    return this.window(`tw:${t}`, this.limits.tenantWritesPer5min, 300_000);
  }
  /** Services outside identity & access (mail, Teams, …): no budget of ours, but a 429 pauses it. */
  private otherService(a: string, t: string): TokenBucket {
    return this.window(`svc:${a}:${t}`, Number.MAX_SAFE_INTEGER, 10_000);
  }
  private appRequests(a: string): TokenBucket {
    return this.window(`req:${a}`, this.limits.appRequestsPer10s, 10_000);
  }
  private appRu(a: string): TokenBucket {
    return this.window(`aru:${a}`, this.limits.appIdentityRuPer20s, 20_000);
  }
  private appWrites(a: string): TokenBucket {
    return this.window(`aw:${a}`, this.limits.appWritesPer5min, 300_000);
  }

  private window(key: string, limit: number | (() => number), windowMs: number): TokenBucket {
    let w = this.windows.get(key);
    if (!w) {
      const scaled = typeof limit === 'number' ? () => Math.floor(limit * this.headroom) : () => Math.floor(limit() * this.headroom);
      w = new TokenBucket(scaled, windowMs);
      this.windows.set(key, w);
    }
    return w;
  }

  private async takeMailboxSlot(req: PacingRequest): Promise<() => void> {
    const key = `${req.tenantId}:${mailboxKey(req)}`;
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = { active: 0, waiters: [] }));
    const s = slot;
    if (s.active >= this.limits.mailboxConcurrency) await new Promise<void>((resolve) => s.waiters.push(resolve));
    else s.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Hand the slot straight to the next waiter, so nobody slips in between.
      const next = s.waiters.shift();
      if (next) next();
      else {
        s.active--;
        if (s.active === 0) this.slots.delete(key);
      }
    };
  }
}

function mailboxKey(req: PacingRequest): string {
  return (req.mailbox ?? '').toLowerCase();
}
