// disable-user against the emulator: the PATCH it sends, its preview, undo through enable-user,
// crash re-runs and injected faults.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { disableUser } from '../../../src/m365/actions/account/disable-user.action.ts';
import { MemoryScratch, startActionEnv, type ActionEnv } from '../action-harness.ts';
import { BEN, EVE, SAM, accountSeed, clearFaults, underFaults, rejectsWith, runUndo, snapshot, user, writeNames } from './account-fixtures.ts';

let env: ActionEnv;
before(async () => {
  env = await startActionEnv({ seeds: [accountSeed()] });
});
after(async () => {
  await env.close();
});
beforeEach(() => {
  clearFaults(env);
  user(env, BEN).accountEnabled = true;
});

describe('disable-user', () => {
  test('blocks sign-in with one PATCH, and the preview showed exactly that change', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(disableUser, { user: BEN });
    assert.equal(user(env, BEN).accountEnabled, false);
    assert.deepEqual(writeNames(env, seq), [`PATCH /users/${user(env, BEN).id}`]);
    assert.deepEqual(preview.changes, [{ object: BEN, field: 'accountEnabled', before: true, after: user(env, BEN).accountEnabled }]);
    assert.equal(preview.alreadyDone, false);
    assert.equal(result.alreadyDone, false);
    assert.deepEqual(result.before, { accountEnabled: true });
    assert.deepEqual(result.outputs, { userId: user(env, BEN).id, userPrincipalName: BEN, accountEnabled: false });
  });

  test('undo enables the user again and restores the user exactly', async () => {
    const beforeState = snapshot(env, BEN);
    const params = { user: BEN };
    const { result } = await env.run(disableUser, params);
    const steps = await runUndo(env, 'disable-user', params, result);
    assert.deepEqual(steps, [{ action: 'enable-user', params }]);
    assert.deepEqual(snapshot(env, BEN), beforeState);
  });

  test('an already disabled user is alreadyDone: no write, nothing to undo', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(disableUser, { user: EVE });
    assert.equal(preview.alreadyDone, true);
    assert.deepEqual(preview.calls, []);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(env.writesSince(seq), []);
    assert.deepEqual(await runUndo(env, 'disable-user', { user: EVE }, result), []);
    assert.equal(user(env, EVE).accountEnabled, false);
  });

  test('a re-run after a crash adds no write, reports alreadyDone and still undoes the first run', async () => {
    const scratch = new MemoryScratch();
    const key = 'step:disable-ben';
    await env.run(disableUser, { user: BEN }, { key, scratch });
    const seq = env.ledgerSeq();
    const { result } = await env.run(disableUser, { user: BEN }, { key, scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(result.alreadyDone, true);
    // The first attempt recorded the original state before its call, so undo still re-enables.
    await runUndo(env, 'disable-user', { user: BEN }, result);
    assert.equal(user(env, BEN).accountEnabled, true);
  });

  test('warns that on-premises AD wins for a synced user', async () => {
    const { validation, preview } = await env.run(disableUser, { user: SAM });
    assert.match(validation.warnings.join(' '), /synced from on-premises AD/);
    assert.match(preview.warnings.join(' '), /next sync/);
    user(env, SAM).accountEnabled = true;
  });

  test('an unknown user is unknown_user with the closest matches', async () => {
    const err = await rejectsWith(env.run(disableUser, { user: 'ben.miler@tailspin.com' }), 'unknown_user');
    assert.deepEqual((err.details?.suggestions as string[])[0], BEN);
    assert.match(err.fix, /ben\.miller@tailspin\.com/);
    // A typo in the first letters still finds the user, through the surname.
    const early = await rejectsWith(env.run(disableUser, { user: 'bne.miller@tailspin.com' }), 'unknown_user');
    assert.deepEqual((early.details?.suggestions as string[])[0], BEN);
    // Nobody near: the fix names the domain the tenant's users sign in with, not the onmicrosoft one.
    const none = await rejectsWith(env.run(disableUser, { user: 'zz.qq@tailspin.com' }), 'unknown_user');
    assert.deepEqual(none.details?.suggestions, []);
    assert.match(none.fix, /name@tailspin\.com\./);
  });

  test('a malformed address is invalid_parameter with a fix, and a missing one a question', async () => {
    const err = await rejectsWith(env.run(disableUser, { user: 'ben' }), 'invalid_parameter');
    assert.equal(err.param, 'user');
    assert.match(err.fix, /ben@tailspin\.onmicrosoft\.com/);
    const missing = await rejectsWith(env.run(disableUser, {}), 'missing_parameter');
    assert.match(missing.message, /user/);
  });

  test('an app without the permission is told which one to grant', async () => {
    const seq = env.ledgerSeq();
    const err = await rejectsWith(env.run(disableUser, { user: BEN }, { app: 'readonly' }), 'missing_permission');
    assert.match(err.message, /User\.EnableDisableAccount\.All/);
    assert.match(err.fix, /admin consent/);
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(user(env, BEN).accountEnabled, true);
  });

  test('under 503 and 429 faults at rate 0.3 the user ends disabled with one successful write', async () => {
    await underFaults(env, [101, 102, 103, 104, 105, 106], async () => {
      user(env, BEN).accountEnabled = true;
      const seq = env.ledgerSeq();
      const { result } = await env.run(disableUser, { user: BEN });
      assert.equal(result.alreadyDone, false);
      assert.equal(user(env, BEN).accountEnabled, false);
      assert.equal(env.writesSince(seq).length, 1);
    });
  });
});
