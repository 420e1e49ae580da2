// When and how long to wait before sending a Microsoft 365 call again. Microsoft asks clients to
// honour Retry-After and otherwise back off exponentially; the read-after-create schedule follows
// Microsoft's eventual-consistency guidance (1, 2, 4, 8 s), scaled down in tests.
import { sleep as realSleep, type Clock, systemClock } from '../core/clock.ts';

export interface RetryPolicy {
  /** Total attempts for transient failures, the first one included. */
  maxAttempts: number;
  /** First backoff step when no Retry-After is given; doubles per attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out in-process; the error carries it instead. */
  maxRetryAfterMs: number;
  /** Waits between reads of an object that was just created and is not visible yet. */
  notFoundDelaysMs: readonly number[];
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  clock: Clock;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  notFoundDelaysMs: [1000, 2000, 4000, 8000],
  random: Math.random,
  sleep: realSleep,
  clock: systemClock,
};

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...defaultRetryPolicy, ...overrides };
}

/** Statuses Microsoft documents as transient for Graph and the Exchange admin API. */
export const retryableStatuses: ReadonlySet<number> = new Set([429, 503, 504]);

/**
 * Retry-After in milliseconds: delta-seconds (Graph sends fractions such as 2.128) or an HTTP
 * date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so retries of many
 * callers spread out but none retries immediately. `retry` counts from 1.
 */
export function backoffDelay(retry: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + policy.random() * (step / 2));
}
