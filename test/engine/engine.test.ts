import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRun } from '../../src/engine/planner.ts';
import { MASK } from '../../src/core/secrets.ts';
import { startEngineEnv, TENANT, effects, type EngineEnv } from './fixtures.ts';

let env: EngineEnv;
before(async () => {
  env = await startEngineEnv('engine');
  env.workflows.set('three', {
    name: 'Three steps', description: '', parameters: [{ name: 'value', type: 'string', required: true, description: 'A value' }],
    steps: [
      { id: 'a', action: 'noop', inputs: { value: '{{params.value}}' }, continueOnError: false },
      { id: 'b', action: 'noop', inputs: { value: '{{steps.a.outputs.echoed}}-b' }, continueOnError: false },
      { id: 'c', action: 'noop', inputs: { value: 'c' }, when: "params.value == 'skip-c'", continueOnError: false },
    ],
    outputs: { last: '{{steps.b.outputs.echoed}}', pass: '{{steps.a.outputs.secret}}' },
  });
  env.workflows.set('fails', {
    name: 'Fails', description: '', parameters: [],
    steps: [
      { id: 'ok', action: 'noop', inputs: {}, continueOnError: false },
      { id: 'bad', action: 'boom', inputs: {}, continueOnError: false },
      { id: 'never', action: 'noop', inputs: {}, continueOnError: false },
    ],
    outputs: {},
  });
});
after(async () => { await env.close(); });

test('a created run is Pending with a preview and nothing executed', async () => {
  const before = effects.length;
  const r = await createRun(env.ports, { tenantId: TENANT.id, workflowId: 'three', params: { value: 'x' }, actor: null });
  assert.equal(r.state, 'Pending');
  assert.deepEqual(r.missing, []);
  assert.equal(r.preview.steps[0]!.changes![0]!.after, 'x');
  assert.equal(r.preview.steps[1]!.deferred, true);
  // The card says what a waiting step will use, naming the earlier output it waits for.
  const noopTitle = env.ports.actions.get('noop')!.title;
  assert.deepEqual(r.preview.steps[1]!.inputs, { value: `‹${noopTitle}: echoed›-b` });
  assert.match(r.preview.steps[2]!.skipped!, /Condition not met/);
  assert.equal(effects.length, before);
  const run = await env.ports.runs.getRun(r.id);
  assert.equal(run!.state, 'Pending');
  assert.deepEqual(run!.paramSources, { value: 'input' });
});

test('a missing required parameter becomes a question, not an error', async () => {
  const r = await createRun(env.ports, { tenantId: TENANT.id, workflowId: 'three', params: {}, actor: null });
  assert.deepEqual(r.missing.map((m) => m.param), ['value']);
  assert.deepEqual(r.errors, []);
});

test('approve runs every step once, binds outputs forward, skips by condition and masks secrets', async () => {
  const r = await createRun(env.ports, { tenantId: TENANT.id, workflowId: 'three', params: { value: 'v1' }, actor: null });
  const done = env.waitTerminal(r.id);
  assert.equal(await env.ports.runs.approve(r.id, '00000000-0000-4000-8000-000000000009'), true);
  assert.equal(await env.ports.runs.approve(r.id, '00000000-0000-4000-8000-000000000009'), false, 'approving twice changes nothing');
  const ev = await done;
  assert.equal(ev.type === 'run' && ev.state, 'Completed');
  const steps = await env.ports.runs.getSteps(r.id);
  assert.deepEqual(steps.map((s) => s.state), ['Completed', 'Completed', 'Skipped']);
  assert.equal(steps[1]!.inputs!.value, 'v1-b');
  assert.equal(steps[0]!.outputs!.secret, MASK);
  const run = await env.ports.runs.getRun(r.id);
  assert.deepEqual(run!.outputs, { last: 'v1-b', pass: MASK });
  assert.equal(effects.filter((e) => e.key.startsWith(r.id)).length, 2);
  const secrets = await env.store.db.selectFrom('run_secrets').selectAll().where('run_id', '=', r.id).execute();
  assert.equal(secrets.length, 2, 'both steps sealed their secret output');
  assert.ok(!secrets[0]!.ciphertext.includes('hunter2'));
  assert.equal(env.ports.secrets.open(secrets[0]!.ciphertext), 'hunter2-secret');
});

test('a failing step stops the run: PartialSuccess, later steps Skipped, the error keeps code and fix', async () => {
  const r = await createRun(env.ports, { tenantId: TENANT.id, workflowId: 'fails', params: {}, actor: null });
  const done = env.waitTerminal(r.id);
  await env.ports.runs.approve(r.id, '00000000-0000-4000-8000-000000000009');
  const ev = await done;
  assert.equal(ev.type === 'run' && ev.state, 'PartialSuccess');
  const steps = await env.ports.runs.getSteps(r.id);
  assert.deepEqual(steps.map((s) => s.state), ['Completed', 'Failed', 'Skipped']);
  assert.equal(steps[1]!.error!.code, 'conflict');
  assert.equal(steps[1]!.error!.fix, 'Fix it.');
  assert.equal(steps[2]!.skipReason, 'Not run: an earlier step failed.');
});

test('a run whose worker died is resumed by the sweeper and finishes once', async () => {
  const r = await createRun(env.ports, { tenantId: TENANT.id, workflowId: 'three', params: { value: 'crash' }, actor: null });
  // Simulate a dead worker: the run is Running under a lease that has already expired, its job gone.
  const done = env.waitTerminal(r.id);
  await env.store.db.updateTable('runs').set({ state: 'Running', lease_owner: 'dead-worker', lease_expires_at: new Date(Date.now() - 1000), attempts: 1, approved_at: new Date() }).where('id', '=', r.id).execute();
  const ev = await done;
  assert.equal(ev.type === 'run' && ev.state, 'Completed');
  const run = await env.ports.runs.getRun(r.id);
  assert.equal(run!.attempts, 2);
  assert.equal(effects.filter((e) => e.key.startsWith(r.id)).length, 2);
});

test('undo is a new Pending run of the inverses in reverse order, and a run cannot be undone twice', async () => {
  const { createUndoRun } = await import('../../src/engine/undo.ts');
  const r = await createRun(env.ports, { tenantId: TENANT.id, workflowId: 'three', params: { value: 'u' }, actor: null });
  const done = env.waitTerminal(r.id);
  await env.ports.runs.approve(r.id, '00000000-0000-4000-8000-000000000009');
  await done;
  const undo = await createUndoRun(env.ports, r.id, null);
  assert.equal(undo.state, 'Pending');
  const undoRun = await env.ports.runs.getRun(undo.id);
  assert.equal(undoRun!.undoOf, r.id);
  assert.deepEqual(undoRun!.definition.steps.map((s) => s.inputs.value), ['undo:u-b', 'undo:u'], 'reverse order');
  await assert.rejects(createUndoRun(env.ports, r.id, null), (e: any) => e.code === 'invalid_state');
  await assert.rejects(createUndoRun(env.ports, undo.id, null), (e: any) => e.code === 'invalid_state', 'a Pending run cannot be undone');
});

test('a run with only irreversible steps cannot be undone, with the reason', async () => {
  const { createUndoRun } = await import('../../src/engine/undo.ts');
  env.workflows.set('irrev', { name: 'Irrev', description: '', parameters: [], steps: [{ id: 'x', action: 'boom', inputs: {}, continueOnError: true }], outputs: {} });
  const r = await createRun(env.ports, { tenantId: TENANT.id, workflowId: 'irrev', params: {}, actor: null });
  const done = env.waitTerminal(r.id);
  await env.ports.runs.approve(r.id, '00000000-0000-4000-8000-000000000009');
  assert.equal(((await done) as any).state, 'Failed');
  await assert.rejects(createUndoRun(env.ports, r.id, null), (e: any) => e.code === 'irreversible');
});

test('a condition on parameters is decided on the card even when the step\'s inputs wait for an earlier step', async () => {
  env.workflows.set('waits', {
    name: 'Waits', description: '', parameters: [{ name: 'send', type: 'boolean', required: false, description: 'Send it' }],
    steps: [
      { id: 'a', action: 'noop', inputs: { value: 'a' }, continueOnError: false },
      { id: 'b', action: 'noop', inputs: { value: '{{steps.a.outputs.echoed}}' }, when: 'params.send', continueOnError: false },
    ],
    outputs: {},
  });
  const off = await createRun(env.ports, { tenantId: TENANT.id, workflowId: 'waits', params: {}, actor: null });
  assert.match(off.preview.steps[1]!.skipped!, /Condition not met: params\.send/);
  assert.equal(off.preview.steps[1]!.deferred, undefined);
  const on = await createRun(env.ports, { tenantId: TENANT.id, workflowId: 'waits', params: { send: true }, actor: null });
  assert.equal(on.preview.steps[1]!.skipped, undefined);
  assert.equal(on.preview.steps[1]!.deferred, true);
});
