// JSON batching with per-item retry, shared by Graph $batch (20 per request) and the Exchange admin
// API $batch (10). Microsoft throttles each sub-request on its own and SDKs do not retry them, which
// is how silent partial success happens; here every sub-request answered 429 or 500/502/503/504 is
// sent again in a later round after its own Retry-After, together with the dependents that failed
// with 424 because of it. Items go in dependency order; a dependsOn on an item already finished is dropped
// (it succeeded) or turns into 424 without sending (it failed).
import { AppError } from '../core/errors.ts';
import { backoffDelay, parseRetryAfter, retryableStatuses, type RetryPolicy } from './retry-policy.ts';

export interface RoundItem {
  id: string;
  dependsOn?: readonly string[];
}

export interface RoundResult {
  id: string;
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: unknown;
}

export interface ChunkEntry<I> {
  item: I;
  /** The item's prerequisites that travel in the same chunk. */
  dependsOn: string[];
}

export interface BatchRoundsOptions<I extends RoundItem> {
  chunkSize: number;
  policy: RetryPolicy;
  sendChunk(chunk: Array<ChunkEntry<I>>, round: number, chunkIndex: number): Promise<RoundResult[]>;
  onThrottled?(item: I, retryAfterMs: number | undefined, result: RoundResult): void;
}

/** Results in the order of `items`. */
export async function runBatchRounds<I extends RoundItem>(items: readonly I[], opts: BatchRoundsOptions<I>): Promise<RoundResult[]> {
  const ordered = dependencyOrder(items);
  const rank = new Map(ordered.map((it, i) => [it.id, i]));
  const final = new Map<string, RoundResult>();
  let pending: I[] = ordered;
  const { policy } = opts;

  for (let round = 1; pending.length > 0; round++) {
    const lastRound = round >= policy.maxAttempts;
    const retry: I[] = [];
    const retrySet = new Set<string>();
    let waitMs: number | undefined;
    let chunk: Array<ChunkEntry<I>> = [];
    let chunkIndex = 0;

    const flush = async () => {
      if (chunk.length === 0) return;
      const sent = chunk;
      chunk = [];
      const results = await opts.sendChunk(sent, round, chunkIndex++);
      const byId = new Map(results.map((r) => [r.id, r]));
      for (const { item } of sent) {
        const r = byId.get(item.id) ?? missingResult(item.id);
        if (!lastRound && retryableItemStatus(r.status)) {
          const ra = parseRetryAfter(r.headers['retry-after'], policy.clock.now());
          if (r.status === 429) opts.onThrottled?.(item, ra, r);
          waitMs = Math.max(waitMs ?? 0, ra ?? backoffDelay(round, policy));
          retry.push(item);
          retrySet.add(item.id);
        } else if (!lastRound && r.status === 424 && (item.dependsOn ?? []).some((d) => retrySet.has(d))) {
          retry.push(item);
          retrySet.add(item.id);
        } else {
          final.set(item.id, r);
        }
      }
    };

    for (const item of pending) {
      if (chunk.length >= opts.chunkSize) await flush();
      const deps = item.dependsOn ?? [];
      if (deps.some((d) => retrySet.has(d))) {
        retry.push(item);
        retrySet.add(item.id);
        continue;
      }
      const failed = deps.find((d) => (final.get(d)?.status ?? 0) >= 400);
      if (failed !== undefined) {
        final.set(item.id, failedDependency(item.id, failed));
        continue;
      }
      const inChunk = deps.filter((d) => chunk.some((c) => c.item.id === d));
      chunk.push({ item, dependsOn: inChunk });
    }
    await flush();

    pending = retry.sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
    if (pending.length > 0) await policy.sleep(waitMs ?? backoffDelay(round, policy));
  }
  return items.map((it) => final.get(it.id)!);
}

/** Stable topological order; unknown ids, duplicates and cycles are the caller's mistake. */
function dependencyOrder<I extends RoundItem>(items: readonly I[]): I[] {
  const byId = new Map<string, I>();
  for (const it of items) {
    if (!it.id) throw new AppError({ code: 'invalid_request', param: 'id', message: 'Every batch item needs a non-empty id.' });
    if (byId.has(it.id)) throw new AppError({ code: 'invalid_request', param: 'id', value: it.id, message: `Batch item id '${it.id}' is used twice.` });
    byId.set(it.id, it);
  }
  for (const it of items) {
    for (const d of it.dependsOn ?? []) {
      if (!byId.has(d)) throw new AppError({ code: 'invalid_request', param: 'dependsOn', value: d, message: `Batch item '${it.id}' depends on '${d}', which is not in the batch.` });
    }
  }
  const out: I[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (it: I) => {
    const s = state.get(it.id);
    if (s === 'done') return;
    if (s === 'visiting') throw new AppError({ code: 'invalid_request', param: 'dependsOn', value: it.id, message: `Batch items depend on each other in a cycle through '${it.id}'.` });
    state.set(it.id, 'visiting');
    for (const d of it.dependsOn ?? []) visit(byId.get(d)!);
    state.set(it.id, 'done');
    out.push(it);
  };
  for (const it of items) visit(it);
  return out;
}

/**
 * Sub-requests are retried on 429 and on server errors (500/502/503/504): an item that failed
 * inside an otherwise successful batch is the service's hiccup, and its client-request-id is kept
 * so a duplicate can be recognised.
 */
function retryableItemStatus(status: number): boolean {
  return retryableStatuses.has(status) || status === 500 || status === 502;
}

function failedDependency(id: string, dep: string): RoundResult {
  return {
    id, status: 424, headers: {},
    body: { error: { code: 'FailedDependency', message: `The request was not sent because request '${dep}', which it depends on, failed.` } },
  };
}

function missingResult(id: string): RoundResult {
  // A batch answer without this item: treat like a 503 so it is sent again.
  return { id, status: 503, headers: {}, body: { error: { code: 'MissingBatchResponse', message: `The batch answer had no response for request '${id}'.` } } };
}
