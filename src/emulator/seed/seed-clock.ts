// Dates for seeds, as offsets from a reference day, in Graph's ISO form without milliseconds. The
// strings are cached so 100,000 generated users share a few thousand date strings.

const DAY_MS = 86_400_000;

export class SeedClock {
  /** UTC midnight of the reference day, in ms. */
  readonly referenceDay: number;
  private readonly cache = new Map<number, string>();

  constructor(referenceDay: number) {
    this.referenceDay = referenceDay;
  }

  /** From a `YYYY-MM-DD` string. */
  static ofDate(date: string): SeedClock {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isFinite(Date.parse(`${date}T00:00:00Z`))) {
      throw new Error(`Invalid reference date "${date}": expected YYYY-MM-DD.`);
    }
    return new SeedClock(Date.parse(`${date}T00:00:00Z`));
  }

  /** The UTC day containing `now`. */
  static ofDay(now: Date): SeedClock {
    return new SeedClock(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  }

  /** The reference day as `YYYY-MM-DD`. */
  get date(): string {
    return new Date(this.referenceDay).toISOString().slice(0, 10);
  }

  /** `days` after the reference day (negative: before), at `minutes` past midnight UTC. */
  at(days: number, minutes = 0): string {
    const key = days * 1440 + minutes;
    let s = this.cache.get(key);
    if (s === undefined) {
      s = new Date(this.referenceDay + days * DAY_MS + minutes * 60_000).toISOString().replace('.000Z', 'Z');
      this.cache.set(key, s);
    }
    return s;
  }
}
