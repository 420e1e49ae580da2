// The runs repository's batched writes, on both backends: claims and checkpoints of concurrent
// runs share statements, yet each stays a compare-and-set guarded by its worker's lease.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { newId } from '../../src/core/ids.ts';
import { ENGINE_VERSION } from '../../src/engine/ports.ts';
import type { NewRun } from '../../src/engine/types.ts';
import { dropSchema, openStore, type Store } from '../../src/store/db.ts';
import { RunsRepo } from '../../src/store/runs-repo.ts';

const backends = [{ name: 'pglite', url: undefined as string | undefined }];
if (process.env.DATABASE_URL) backends.push({ name: 'postgres', url: process.env.DATABASE_URL });
const ACTOR = '00000000-0000-4000-8000-00000000a11c';

async function approvedRun(repo: RunsRepo, steps = 2): Promise<string> {
  const id = newId();
  const run: NewRun = {
    id, tenantId: '00000000-0000-4000-8000-0000000000c0', workflowId: 'wf', workflowVersion: 1,
    definition: { id: 'wf', name: 'wf', description: '', parameters: [], steps: [], outputs: {} }, engineVersion: ENGINE_VERSION,
    state: 'Pending', title: 't', subjectUser: null, params: {}, paramSources: {}, context: {}, preview: null, missing: [], errors: [],
    undoOf: null, reversible: false, conversationId: null, createdBy: null,
  };
  await repo.createRun(run, Array.from({ length: steps }, (_, idx) => ({ idx, stepId: `s${idx}`, action: 'noop', name: `Step ${idx}`, parallel: null })), null);
  assert.ok(await repo.approve(id, ACTOR));
  return id;
}

async function withRepo(url: string | undefined, name: string, fn: (repo: RunsRepo, store: Store) => Promise<void>): Promise<void> {
  const store = await openStore({ databaseUrl: url, dataDir: 'memory', schema: `t_cp_${name}_${process.pid}` });
  try {
    await fn(new RunsRepo(store.db, async () => {}), store);
  } finally {
    await dropSchema(store);
    await store.close();
  }
}

for (const b of backends) {
  test(`${b.name}: concurrent claims and checkpoints of several runs all land, with their audit rows`, () => withRepo(b.url, 'many', async (repo, store) => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => approvedRun(repo)));
    const claims = await Promise.all(ids.map((id) => repo.claim(id, 'w1', 5000)));
    for (const c of claims) {
      assert.equal(c!.run.state, 'Running');
      assert.deepEqual(c!.steps.map((s) => [s.stepId, s.state]), [['s0', 'Pending'], ['s1', 'Pending']]);
    }
    // Step 0 starts in each run at once; then its end rides with step 1's start; then step 1's end with the run's.
    const started = await Promise.all(ids.map((id) => repo.checkpoint(id, 'w1', [{ idx: 0, patch: { state: 'Running', inputs: { n: 1 }, started: true, incrementAttempts: true }, from: ['Pending'] }])));
    assert.ok(started.every((r) => r.steps[0] === true));
    const advanced = await Promise.all(ids.map((id) => repo.checkpoint(id, 'w1', [
      { idx: 0, patch: { state: 'Completed', outputs: { n: 1 }, finished: true, durationMs: 3.4 }, from: ['Running'] },
      { idx: 1, patch: { state: 'Running', inputs: { n: 2 }, started: true, incrementAttempts: true }, from: ['Pending', 'Running'] },
    ])));
    assert.ok(advanced.every((r) => r.steps.every(Boolean)));
    const ended = await Promise.all(ids.map((id) => repo.checkpoint(id, 'w1', [
      { idx: 1, patch: { state: 'Completed', outputs: { n: 2 }, finished: true }, from: ['Running'] },
    ], { to: 'Completed', patch: { outputs: { done: true }, error: null, reversible: true } })));
    assert.ok(ended.every((r) => r.final && r.steps[0]));
    for (const id of ids) {
      const run = (await repo.getRun(id))!;
      assert.equal(run.state, 'Completed');
      assert.deepEqual(run.outputs, { done: true });
      assert.equal(run.reversible, true);
      assert.equal(run.leaseOwner, null);
      const steps = await repo.getSteps(id);
      assert.deepEqual(steps.map((s) => [s.state, s.attempts, s.outputs]), [['Completed', 1, { n: 1 }], ['Completed', 1, { n: 2 }]]);
      assert.equal(steps[0]!.durationMs, 3);
      assert.ok(steps[0]!.startedAt instanceof Date && steps[0]!.finishedAt instanceof Date);
    }
    const audit = await sql<{ to_state: string; n: number }>`select to_state, count(*)::int as n from audit_log where entity = 'run' group by to_state order by to_state`.execute(store.db);
    assert.deepEqual(audit.rows, [{ to_state: 'Approved', n: 6 }, { to_state: 'Completed', n: 6 }, { to_state: 'Pending', n: 6 }, { to_state: 'Running', n: 6 }]);
  }));

  test(`${b.name}: a worker that lost the lease changes nothing, not even its queued step ends`, () => withRepo(b.url, 'lease', async (repo, store) => {
    const id = await approvedRun(repo);
    assert.ok(await repo.claim(id, 'old', 5000));
    await repo.checkpoint(id, 'old', [{ idx: 0, patch: { state: 'Running', started: true, incrementAttempts: true }, from: ['Pending'] }]);
    // The lease runs out; another worker takes the run over.
    await sql`update runs set lease_expires_at = now() - interval '1 second' where id = ${id}`.execute(store.db);
    const taken = await repo.claim(id, 'new', 5000);
    assert.equal(taken!.run.leaseOwner, 'new');
    assert.equal(taken!.steps[0]!.state, 'Running', 'the new owner sees the interrupted step');
    const stale = await repo.checkpoint(id, 'old', [
      { idx: 0, patch: { state: 'Completed', finished: true }, from: ['Running'] },
      { idx: 1, patch: { state: 'Skipped', skipReason: 'x', finished: true }, from: ['Pending'] },
    ], { to: 'Completed', patch: {} });
    assert.deepEqual(stale, { steps: [false, false], final: false });
    const run = (await repo.getRun(id))!;
    assert.equal(run.state, 'Running');
    assert.equal(run.leaseOwner, 'new');
    assert.deepEqual((await repo.getSteps(id)).map((s) => s.state), ['Running', 'Pending']);
    // A claim by someone else while the new lease holds is refused.
    assert.equal(await repo.claim(id, 'third', 5000), undefined);
  }));

  test(`${b.name}: a value the database refuses fails its own checkpoint only`, () => withRepo(b.url, 'poison', async (repo) => {
    const [good, bad] = [await approvedRun(repo, 1), await approvedRun(repo, 1)];
    await Promise.all([repo.claim(good, 'w', 5000), repo.claim(bad, 'w', 5000)]);
    await Promise.all([good, bad].map((id) => repo.checkpoint(id, 'w', [{ idx: 0, patch: { state: 'Running', started: true }, from: ['Pending'] }])));
    const results = await Promise.allSettled([
      repo.checkpoint(good, 'w', [{ idx: 0, patch: { state: 'Completed', outputs: { ok: 'fine' }, finished: true }, from: ['Running'] }], { to: 'Completed', patch: {} }),
      // PostgreSQL's jsonb cannot hold a NUL character.
      repo.checkpoint(bad, 'w', [{ idx: 0, patch: { state: 'Completed', outputs: { text: 'a\u0000b' }, finished: true }, from: ['Running'] }], { to: 'Completed', patch: {} }),
    ]);
    assert.equal(results[0].status, 'fulfilled');
    assert.equal(results[1].status, 'rejected');
    assert.equal((await repo.getRun(good))!.state, 'Completed');
    assert.equal((await repo.getRun(bad))!.state, 'Running', 'the refused write left the run as it was');
  }));
}
