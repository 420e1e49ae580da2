// The attempt loop shared by the Graph and Exchange clients: wait for pacing budget, send, and on a
// transient answer (429/503/504 or a dropped connection) wait as told and send again, keeping the
// same client-request-id. A 401 refreshes the token once. A 404 right after a create is retried on
// the read-after-create schedule when the caller asks for it.
import { AppError } from '../core/errors.ts';
import { backoffDelay, parseRetryAfter, retryableStatuses, type RetryPolicy } from './retry-policy.ts';

export interface AttemptOutcome {
  status: number;
  header(name: string): string | null | undefined;
}

export interface PaceLease {
  release(): void;
}

export interface ResilientCall<R extends AttemptOutcome> {
  /** Sends once; `refreshToken` is true when the previous answer was 401. */
  send(attempt: { index: number; refreshToken: boolean }): Promise<R>;
  /** Waits for throttling budget before each attempt; released when the attempt ends. */
  pace?(): Promise<PaceLease>;
  /** Told about every 429 so the pacing budget can pause. */
  onThrottled?(retryAfterMs: number | undefined, res: R): void;
  /** Retry "not found" answers (the object was just created). */
  retryNotFound?: boolean;
  isNotFound?(res: R): boolean;
  /** Extra transient test, e.g. an Exchange body that names a transient exception. */
  isTransient?(res: R): boolean;
}

export interface ResilientResult<R> {
  response: R;
  attempts: number;
  /** Set when a Retry-After longer than the policy allows ended the loop early. */
  retryAfterMs?: number;
}

export async function runResilient<R extends AttemptOutcome>(call: ResilientCall<R>, policy: RetryPolicy): Promise<ResilientResult<R>> {
  let transientRetries = 0;
  let notFoundRetries = 0;
  let refreshed = false;
  let refreshToken = false;
  for (let index = 1; ; index++) {
    const lease = call.pace ? await call.pace() : undefined;
    let res: R;
    try {
      res = await call.send({ index, refreshToken });
    } catch (e) {
      lease?.release();
      const transient = e instanceof AppError && e.retryable;
      if (!transient || transientRetries + 1 >= policy.maxAttempts) throw e;
      transientRetries++;
      await policy.sleep(backoffDelay(transientRetries, policy));
      continue;
    }
    lease?.release();
    refreshToken = false;

    if (res.status === 401 && !refreshed) {
      // A cached token can be refused before its stated expiry (revoked, key rolled); one fresh
      // token settles whether the credentials themselves are at fault.
      refreshed = true;
      refreshToken = true;
      continue;
    }
    const transient = retryableStatuses.has(res.status) || (call.isTransient?.(res) ?? false);
    if (transient) {
      const retryAfterMs = parseRetryAfter(res.header('retry-after'), policy.clock.now());
      if (res.status === 429) call.onThrottled?.(retryAfterMs, res);
      if (transientRetries + 1 >= policy.maxAttempts) return { response: res, attempts: index };
      if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) return { response: res, attempts: index, retryAfterMs };
      transientRetries++;
      await policy.sleep(retryAfterMs ?? backoffDelay(transientRetries, policy));
      continue;
    }
    if (call.retryNotFound && (call.isNotFound ? call.isNotFound(res) : res.status === 404) && notFoundRetries < policy.notFoundDelaysMs.length) {
      await policy.sleep(policy.notFoundDelaysMs[notFoundRetries]!);
      notFoundRetries++;
      continue;
    }
    return { response: res, attempts: index };
  }
}
