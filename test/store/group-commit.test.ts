import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommit } from '../../src/store/group-commit.ts';

/** A flush that records each statement's batch and answers when told to. */
function recorder<T>() {
  const batches: T[][] = [];
  const gates: Array<() => void> = [];
  const flush = async (reqs: T[]) => {
    batches.push([...reqs]);
    await new Promise<void>((resolve) => gates.push(resolve));
    return reqs.map((r) => `done:${String(r)}`);
  };
  const release = async () => {
    while (!gates.length) await new Promise((r) => setImmediate(r));
    gates.shift()!();
  };
  return { batches, flush, release };
}

test('an idle queue sends at once; requests arriving meanwhile share the next statement', async () => {
  const r = recorder<number>();
  const gc = new GroupCommit<number, string>(r.flush, { maxInFlight: 1 });
  const first = gc.submit(1);
  const rest = [2, 3, 4].map((n) => gc.submit(n));
  assert.deepEqual(r.batches, [[1]], 'the first went alone, without waiting');
  await r.release();
  assert.equal(await first, 'done:1');
  await r.release();
  assert.deepEqual(await Promise.all(rest), ['done:2', 'done:3', 'done:4']);
  assert.deepEqual(r.batches, [[1], [2, 3, 4]], 'three requests, one statement');
});

test('two writes to the same key never share a statement, and keep their order', async () => {
  const r = recorder<string>();
  const gc = new GroupCommit<string, string>(r.flush, { maxInFlight: 1, keysOf: ((s: string) => [s.split(':')[0]!]) as never });
  const a = gc.submit('run1:a');
  const rest = ['run1:b', 'run2:a', 'run1:c'].map((s) => gc.submit(s));
  await r.release();
  await a;
  await r.release();
  await r.release();
  await Promise.all(rest);
  assert.deepEqual(r.batches, [['run1:a'], ['run1:b', 'run2:a'], ['run1:c']]);
});

test('a request the database refuses fails alone; its neighbours in the batch succeed', async () => {
  const seen: number[][] = [];
  const gc = new GroupCommit<number, number>(async (reqs) => {
    seen.push([...reqs]);
    await new Promise((r) => setImmediate(r));
    if (reqs.includes(13)) throw new Error('invalid input syntax');
    return reqs.map((n) => n * 2);
  }, { maxInFlight: 1 });
  const first = gc.submit(1);
  const batch = [2, 13, 4].map((n) => gc.submit(n).then((v) => ({ ok: v }), (e: Error) => ({ err: e.message })));
  await first;
  assert.deepEqual(await Promise.all(batch), [{ ok: 4 }, { err: 'invalid input syntax' }, { ok: 8 }]);
  assert.deepEqual(seen, [[1], [2, 13, 4], [2], [13], [4]], 'the failed batch was retried one by one');
});

test('batches respect maxBatch', async () => {
  const sizes: number[] = [];
  const gc = new GroupCommit<number, number>(async (reqs) => {
    sizes.push(reqs.length);
    await new Promise((r) => setImmediate(r));
    return reqs;
  }, { maxInFlight: 1, maxBatch: 3 });
  await Promise.all(Array.from({ length: 8 }, (_, i) => gc.submit(i)));
  assert.deepEqual(sizes, [1, 3, 3, 1]);
});
