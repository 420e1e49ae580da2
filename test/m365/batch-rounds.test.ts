// Per-item batch retry with a scripted server: which items go in which round, with which
// dependsOn, and what the caller gets back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../src/core/errors.ts';
import { runBatchRounds, type ChunkEntry, type RoundItem, type RoundResult } from '../../src/m365/batch-rounds.ts';
import { retryPolicy } from '../../src/m365/retry-policy.ts';

interface Sent {
  round: number;
  ids: string[];
  deps: Record<string, string[]>;
}

/** A server that answers by script: status per (id, round), 200 otherwise; 424 for failed deps in the chunk. */
function server(script: Record<string, number[]>, retryAfter: Record<string, string> = {}) {
  const sent: Sent[] = [];
  const sendChunk = async (chunk: Array<ChunkEntry<RoundItem>>, round: number): Promise<RoundResult[]> => {
    sent.push({ round, ids: chunk.map((c) => c.item.id), deps: Object.fromEntries(chunk.filter((c) => c.dependsOn.length).map((c) => [c.item.id, c.dependsOn])) });
    const out = new Map<string, RoundResult>();
    for (const { item, dependsOn } of chunk) {
      const failedDep = dependsOn.find((d) => (out.get(d)?.status ?? 200) >= 400);
      const status = failedDep ? 424 : script[item.id]?.[round - 1] ?? 200;
      out.set(item.id, { id: item.id, status, headers: retryAfter[item.id] ? { 'retry-after': retryAfter[item.id]! } : {}, body: { id: item.id } });
    }
    return [...out.values()].reverse(); // Graph answers in any order
  };
  return { sent, sendChunk };
}

test('a throttled prerequisite is resent with its 424 dependents, dependsOn intact, after the longest Retry-After', async () => {
  const sleeps: number[] = [];
  const policy = retryPolicy({ sleep: async (ms) => { sleeps.push(ms); } });
  const { sent, sendChunk } = server({ a: [429], c: [503] }, { a: '1.5', c: '3' });
  const items = [{ id: 'b', dependsOn: ['a'] }, { id: 'a' }, { id: 'c' }, { id: 'd' }];
  const res = await runBatchRounds(items, { chunkSize: 20, policy, sendChunk });
  assert.deepEqual(res.map((r) => [r.id, r.status]), [['b', 200], ['a', 200], ['c', 200], ['d', 200]]);
  assert.deepEqual(sent, [
    { round: 1, ids: ['a', 'b', 'c', 'd'], deps: { b: ['a'] } },
    { round: 2, ids: ['a', 'b', 'c'], deps: { b: ['a'] } },
  ]);
  assert.deepEqual(sleeps, [3000]);
});

test('a prerequisite finished in an earlier chunk is dropped from dependsOn; a failed one fails its dependents unsent', async () => {
  const policy = retryPolicy({ sleep: async () => {} });
  const { sent, sendChunk } = server({ p1: [404] });
  const items = [{ id: 'p1' }, { id: 'p2' }, { id: 'x' }, { id: 'd1', dependsOn: ['p1'] }, { id: 'd2', dependsOn: ['p2'] }];
  const res = await runBatchRounds(items, { chunkSize: 3, policy, sendChunk });
  assert.deepEqual(sent.map((s) => s.ids), [['p1', 'p2', 'x'], ['d2']]);
  assert.deepEqual(sent[1]!.deps, {}, "d2's prerequisite already succeeded");
  assert.equal(res[3]!.status, 424);
  assert.equal((res[3]!.body as { error: { code: string } }).error.code, 'FailedDependency');
  assert.equal(res[4]!.status, 200);
});

test('rounds are bounded: after maxAttempts the last answer stands', async () => {
  const policy = retryPolicy({ maxAttempts: 3, sleep: async () => {}, random: () => 0 });
  const { sent, sendChunk } = server({ a: [503, 503, 503, 503] });
  const res = await runBatchRounds([{ id: 'a' }, { id: 'b' }], { chunkSize: 20, policy, sendChunk });
  assert.equal(sent.length, 3);
  assert.equal(res[0]!.status, 503);
  assert.equal(res[1]!.status, 200);
});

test('an item missing from the answer is resent; malformed batches are refused before sending', async () => {
  const policy = retryPolicy({ sleep: async () => {} });
  let calls = 0;
  const res = await runBatchRounds([{ id: 'a' }, { id: 'b' }], {
    chunkSize: 20, policy,
    sendChunk: async (chunk) => {
      calls++;
      return chunk.filter((c) => calls > 1 || c.item.id === 'a').map((c) => ({ id: c.item.id, status: 200, headers: {}, body: null }));
    },
  });
  assert.deepEqual(res.map((r) => r.status), [200, 200]);
  assert.equal(calls, 2);
  const never = async (): Promise<RoundResult[]> => assert.fail('nothing may be sent');
  for (const bad of [
    [{ id: 'a' }, { id: 'a' }],
    [{ id: 'a', dependsOn: ['zz'] }],
    [{ id: 'a', dependsOn: ['b'] }, { id: 'b', dependsOn: ['a'] }],
  ]) {
    await assert.rejects(runBatchRounds(bad, { chunkSize: 20, policy, sendChunk: never }), (e: unknown) => e instanceof AppError && e.code === 'invalid_request');
  }
});
