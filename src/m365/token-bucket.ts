// A token bucket as Microsoft describes its identity throttling: capacity `limit` units, refilled
// continuously at limit/window. Kept as GCRA (the generic cell rate algorithm): one number, the
// theoretical arrival time, so reservations that lie in the future (callers queued behind a busy
// budget) cost nothing to track and concurrent callers are spaced exactly at the refill rate.
// Pacing to the same bucket the service counts with uses the whole budget: a burst of `limit`,
// then the sustained rate, and no 429s.

export class TokenBucket {
  readonly windowMs: number;
  private readonly limitOf: () => number;
  /** When the bucket would be full again if nothing else were sent (ms). */
  private tat = 0;
  private pausedUntil = 0;

  constructor(limit: number | (() => number), windowMs: number) {
    this.limitOf = typeof limit === 'number' ? () => limit : limit;
    this.windowMs = windowMs;
  }

  get limit(): number {
    return this.limitOf();
  }

  /** Milliseconds one unit takes to refill. */
  private interval(): number {
    return this.windowMs / Math.max(1, this.limitOf());
  }

  /** Earliest time >= now at which `cost` more units fit. Does not reserve. */
  earliest(now: number, cost: number): number {
    const c = Math.min(cost, Math.max(1, this.limitOf()));
    const t = Math.max(now, this.pausedUntil);
    // Allowed at t when the debt after paying, max(tat, t) + c·interval − t, fits in the window.
    // (A microsecond of slack absorbs the rounding of repeated fractional intervals.)
    const at = Math.max(this.tat, t) + c * this.interval() - this.windowMs;
    return at - t <= 1e-3 ? t : at;
  }

  /** Records `cost` units sent at time `t`. */
  commit(t: number, cost: number): void {
    if (cost <= 0) return;
    const c = Math.min(cost, Math.max(1, this.limitOf()));
    this.tat = Math.max(this.tat, t) + c * this.interval();
  }

  /** The server said stop until `until`: no reservation starts before then. */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  pausedUntilMs(): number {
    return this.pausedUntil;
  }

  /** Units currently spent (not yet refilled) at `now` (diagnostics and tests). */
  used(now: number): number {
    return Math.max(0, (this.tat - now) / this.interval());
  }
}
