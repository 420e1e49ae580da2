// Continuously refilling token buckets (Microsoft's budgets are sliding windows: a client pacing at
// the published rate never runs dry) plus per-key concurrency counters. Time comes from the
// injected clock so tests can move it by hand.

export interface BucketCharge {
  /** Unique key: `<kind>|<tenantId>|<appId>|<extra>`. */
  key: string;
  capacity: number;
  windowMs: number;
  cost: number;
  /** x-ms-throttle-scope and x-ms-throttle-information when this bucket is the one that ran dry. */
  scope: string;
  information: string;
}

export type ChargeResult =
  | { ok: true; /** Highest fraction of any charged bucket now in use (may exceed 1 while in debt). */ usage: number }
  | { ok: false; retryAfterSeconds: number; scope: string; information: string };

export interface BucketView {
  key: string;
  capacity: number;
  windowSeconds: number;
  remaining: number;
}

interface Bucket {
  tokens: number;
  last: number;
  capacity: number;
  windowMs: number;
}

/** Float slack so that waiting exactly the announced Retry-After always suffices. */
const EPS = 1e-6;
const SWEEP_AT = 50_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly inFlight = new Map<string, number>();
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  private bucket(c: BucketCharge, now: number): Bucket {
    let b = this.buckets.get(c.key);
    if (!b) {
      if (this.buckets.size >= SWEEP_AT) this.sweep(now);
      b = { tokens: c.capacity, last: now, capacity: c.capacity, windowMs: c.windowMs };
      this.buckets.set(c.key, b);
      return b;
    }
    // A changed override takes effect at once; the bucket keeps what it had, within the new size.
    b.capacity = c.capacity;
    b.windowMs = c.windowMs;
    const elapsed = now - b.last;
    if (elapsed > 0) b.tokens = Math.min(b.capacity, b.tokens + (elapsed * b.capacity) / b.windowMs);
    else b.tokens = Math.min(b.capacity, b.tokens);
    b.last = Math.max(b.last, now);
    return b;
  }

  /**
   * Takes each charge's cost from its bucket if every bucket can pay. Otherwise the request is
   * throttled but its cost still accrues (as Microsoft documents), and Retry-After is the time
   * until every bucket can pay this cost again, so a client that waits exactly that long gets in.
   */
  charge(charges: readonly BucketCharge[]): ChargeResult {
    const now = this.now();
    const bs = charges.map((c) => this.bucket(c, now));
    const short = charges.findIndex((c, i) => bs[i]!.tokens + EPS < c.cost);
    if (short < 0) {
      let usage = 0;
      charges.forEach((c, i) => {
        const b = bs[i]!;
        b.tokens -= c.cost;
        usage = Math.max(usage, (b.capacity - b.tokens) / b.capacity);
      });
      return { ok: true, usage };
    }
    let waitMs = 0;
    let worst = short;
    charges.forEach((c, i) => {
      const b = bs[i]!;
      // Debt is bounded to one window so a client hammering without pause is not locked out forever.
      b.tokens = Math.max(-b.capacity, b.tokens - c.cost);
      const need = c.cost - b.tokens;
      const w = need > 0 ? (need * b.windowMs) / b.capacity : 0;
      if (w > waitMs) {
        waitMs = w;
        worst = i;
      }
    });
    const retryAfterSeconds = Math.max(0.1, Math.ceil(waitMs) / 1000);
    return { ok: false, retryAfterSeconds, scope: charges[worst]!.scope, information: charges[worst]!.information };
  }

  /** Reserves a concurrency slot; false when `limit` are already held. */
  acquire(key: string, limit: number): boolean {
    const n = this.inFlight.get(key) ?? 0;
    if (n >= limit) return false;
    this.inFlight.set(key, n + 1);
    return true;
  }

  release(key: string): void {
    const n = this.inFlight.get(key) ?? 0;
    if (n <= 1) this.inFlight.delete(key);
    else this.inFlight.set(key, n - 1);
  }

  inFlightCount(key: string): number {
    return this.inFlight.get(key) ?? 0;
  }

  /** Forgets every bucket whose key contains `part` (a tenant reset); held slots stay held. */
  forget(part: string): void {
    for (const k of this.buckets.keys()) if (k.includes(part)) this.buckets.delete(k);
  }

  /** The buckets whose key contains `part`, as they stand now (read-only). */
  view(part: string): BucketView[] {
    const now = this.now();
    const out: BucketView[] = [];
    for (const [key, b] of this.buckets) {
      if (!key.includes(part)) continue;
      const remaining = Math.min(b.capacity, b.tokens + (Math.max(0, now - b.last) * b.capacity) / b.windowMs);
      out.push({ key, capacity: b.capacity, windowSeconds: b.windowMs / 1000, remaining: Math.round(remaining * 1000) / 1000 });
    }
    return out;
  }

  /** Full buckets carry no information; dropping them bounds memory on long-running demos. */
  private sweep(now: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.last) * b.capacity) / b.windowMs >= b.capacity) this.buckets.delete(k);
    }
  }
}
