// Drawing a response delay from the tenant's latency control. Kept apart from the waiting so the
// distribution can be checked from its drawn values, without timing anything.
import type { LatencyControl } from '../state/model.ts';
import { normal, type Random } from './random.ts';

/** z for the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

/** Milliseconds to wait before answering; 0 when latency is off or unset. */
export function drawLatencyMs(c: LatencyControl, rnd: Random): number {
  switch (c.mode) {
    case 'off':
      return 0;
    case 'fixed':
      return Math.max(0, c.ms ?? 0);
    case 'uniform': {
      const lo = Math.max(0, c.ms ?? 0);
      const hi = Math.max(lo, c.maxMs ?? lo);
      return lo + rnd() * (hi - lo);
    }
    case 'lognormal': {
      const median = Math.max(1, c.ms ?? 1);
      const p99 = Math.max(median, c.p99Ms ?? median * 4);
      const sigma = Math.log(p99 / median) / Z99;
      // The tail is capped so one unlucky draw cannot stall a test run for minutes.
      return Math.min(median * Math.exp(sigma * normal(rnd)), p99 * 10);
    }
  }
}
