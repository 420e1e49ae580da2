// enable-user against the emulator: the mirror of disable-user.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { enableUser } from '../../../src/m365/actions/account/enable-user.action.ts';
import { MemoryScratch, startActionEnv, type ActionEnv } from '../action-harness.ts';
import { BEN, EVE, SAM, accountSeed, clearFaults, rejectsWith, runUndo, snapshot, underFaults, user, writeNames } from './account-fixtures.ts';

let env: ActionEnv;
before(async () => {
  env = await startActionEnv({ seeds: [accountSeed()] });
});
after(async () => {
  await env.close();
});
beforeEach(() => {
  clearFaults(env);
  user(env, EVE).accountEnabled = false;
});

describe('enable-user', () => {
  test('allows sign-in with one PATCH, as the preview said', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(enableUser, { user: EVE });
    assert.equal(user(env, EVE).accountEnabled, true);
    assert.deepEqual(writeNames(env, seq), [`PATCH /users/${user(env, EVE).id}`]);
    assert.deepEqual(preview.changes, [{ object: EVE, field: 'accountEnabled', before: false, after: user(env, EVE).accountEnabled }]);
    assert.deepEqual(preview.calls.map((c) => c.body), [{ accountEnabled: true }]);
    assert.deepEqual(result.before, { accountEnabled: false });
    assert.equal(result.outputs.accountEnabled, true);
  });

  test('undo disables the user again and restores the user exactly', async () => {
    const beforeState = snapshot(env, EVE);
    const { result } = await env.run(enableUser, { user: EVE });
    const steps = await runUndo(env, 'enable-user', { user: EVE }, result);
    assert.deepEqual(steps, [{ action: 'disable-user', params: { user: EVE } }]);
    assert.deepEqual(snapshot(env, EVE), beforeState);
  });

  test('an enabled user is alreadyDone with no write and no undo', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(enableUser, { user: BEN });
    assert.equal(preview.alreadyDone, true);
    assert.deepEqual(preview.changes, []);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(env.writesSince(seq), []);
    assert.deepEqual(await runUndo(env, 'enable-user', { user: BEN }, result), []);
  });

  test('a re-run after a crash adds no write and reports alreadyDone', async () => {
    const scratch = new MemoryScratch();
    await env.run(enableUser, { user: EVE }, { key: 'step:enable-eve', scratch });
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(enableUser, { user: EVE }, { key: 'step:enable-eve', scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(preview.alreadyDone, true);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(result.before, { accountEnabled: false });
  });

  test('warns for a synced user, refuses unknown users and apps without the permission', async () => {
    user(env, SAM).accountEnabled = false;
    const { validation } = await env.run(enableUser, { user: SAM });
    assert.match(validation.warnings.join(' '), /on-premises/);
    const unknown = await rejectsWith(env.run(enableUser, { user: 'eve.disabld@tailspin.com' }), 'unknown_user');
    assert.ok((unknown.details?.suggestions as string[]).includes(EVE));
    const perm = await rejectsWith(env.run(enableUser, { user: EVE }, { app: 'readonly' }), 'missing_permission');
    assert.match(perm.message, /User\.EnableDisableAccount\.All/);
    assert.equal(user(env, EVE).accountEnabled, false);
  });

  test('under injected faults the user ends enabled with exactly one successful write', async () => {
    await underFaults(env, [201, 202, 203, 204, 205, 206], async () => {
      user(env, EVE).accountEnabled = false;
      const seq = env.ledgerSeq();
      await env.run(enableUser, { user: EVE });
      assert.equal(user(env, EVE).accountEnabled, true);
      assert.equal(env.writesSince(seq).length, 1);
    });
  });
});
