// create-temporary-access-pass against the emulator: one pass per user, replaced only when asked,
// stored in scratch the moment Microsoft returns it, never shown in previews, summaries or errors.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sha256Hex } from '../../../src/core/ids.ts';
import { createTemporaryAccessPass } from '../../../src/m365/actions/account/create-temporary-access-pass.action.ts';
import type { EmuAuthMethod } from '../../../src/emulator/state/model.ts';
import { MemoryScratch, startActionEnv, type ActionEnv } from '../action-harness.ts';
import { BEN, CARA, GUEST, accountSeed, assertNoSecret, authMethods, clearFaults, rejectsWith, underFaults, user, writeNames } from './account-fixtures.ts';

let env: ActionEnv;
before(async () => {
  env = await startActionEnv({ seeds: [accountSeed()] });
});
after(async () => {
  await env.close();
});
beforeEach(() => {
  clearFaults(env);
  const all = env.tenant().data.authMethods;
  for (const id of Object.keys(all)) all[id] = all[id]!.filter((m) => m.type !== 'temporaryAccessPass');
});

function taps(upn: string): EmuAuthMethod[] {
  return authMethods(env, upn).filter((m) => m.type === 'temporaryAccessPass');
}

/** Whether the pass is the one the emulator holds (it keeps only a hash). */
function holds(upn: string, pass: unknown): boolean {
  return taps(upn).some((m) => m.secret === sha256Hex(String(pass)));
}

describe('create-temporary-access-pass', () => {
  test('issues a 60-minute multi-use pass by default and hands it over once', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(createTemporaryAccessPass, { user: BEN });
    const [tap] = taps(BEN);
    assert.ok(tap);
    assert.deepEqual(writeNames(env, seq), [`POST /users/${user(env, BEN).id}/authentication/temporaryAccessPassMethods`]);
    assert.ok(holds(BEN, result.outputs.temporaryAccessPass));
    assert.equal(result.outputs.methodId, tap.id);
    assert.equal(result.outputs.lifetimeInMinutes, 60);
    assert.equal(result.outputs.isUsableOnce, false);
    assert.equal(Date.parse(String(result.outputs.expiresDateTime)) - Date.parse(String(result.outputs.startDateTime)), 60 * 60_000);
    assert.deepEqual(createTemporaryAccessPass.secrets, ['temporaryAccessPass']);
    // Preview = effect.
    const after = (f: string) => preview.changes.find((c) => c.field === f)?.after;
    assert.equal(after('temporaryAccessPass.lifetimeInMinutes'), tap.props.lifetimeInMinutes);
    assert.equal(after('temporaryAccessPass.isUsableOnce'), tap.props.isUsableOnce);
    assertNoSecret(String(result.outputs.temporaryAccessPass), preview, result.summary, result.before);
  });

  test('honours lifetime, one-time use and a later start', async () => {
    const start = new Date(Date.now() + 24 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const { result } = await env.run(createTemporaryAccessPass, { user: CARA, lifetimeInMinutes: 480, isUsableOnce: true, startDateTime: start });
    const [tap] = taps(CARA);
    assert.deepEqual([tap!.props.lifetimeInMinutes, tap!.props.isUsableOnce, tap!.props.startDateTime], [480, true, start]);
    assert.equal(result.outputs.startDateTime, start);
    assert.equal(result.outputs.expiresDateTime, new Date(Date.parse(start) + 480 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  });

  test('an existing pass is a conflict whose fix names replaceExisting; with it the old pass is replaced', async () => {
    const first = await env.run(createTemporaryAccessPass, { user: BEN });
    const oldId = taps(BEN)[0]!.id;
    const seq = env.ledgerSeq();
    const err = await rejectsWith(env.run(createTemporaryAccessPass, { user: BEN }), 'conflict');
    assert.match(err.fix, /replaceExisting: true/);
    assert.deepEqual(env.writesSince(seq), []);
    assertNoSecret(String(first.result.outputs.temporaryAccessPass), err.message, err.fix);
    const { preview, result } = await env.run(createTemporaryAccessPass, { user: BEN, replaceExisting: true, lifetimeInMinutes: 120 });
    const id = user(env, BEN).id;
    assert.deepEqual(writeNames(env, seq), [
      `DELETE /users/${id}/authentication/temporaryAccessPassMethods/${oldId}`,
      `POST /users/${id}/authentication/temporaryAccessPassMethods`,
    ]);
    assert.equal(taps(BEN).length, 1);
    assert.ok(holds(BEN, result.outputs.temporaryAccessPass));
    assert.deepEqual((result.before.replaced as Array<{ id: string }>).map((r) => r.id), [oldId]);
    assert.deepEqual(preview.calls.map((c) => c.method), ['DELETE', 'POST']);
  });

  test('a re-run after a crash issues nothing and hands over the same pass', async () => {
    const scratch = new MemoryScratch();
    const first = await env.run(createTemporaryAccessPass, { user: BEN }, { key: 'step:tap-1', scratch });
    const seq = env.ledgerSeq();
    const again = await env.run(createTemporaryAccessPass, { user: BEN }, { key: 'step:tap-1', scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(again.preview.alreadyDone, true);
    assert.equal(again.result.alreadyDone, true);
    assert.equal(again.result.outputs.temporaryAccessPass, first.result.outputs.temporaryAccessPass);
    assert.ok(holds(BEN, again.result.outputs.temporaryAccessPass));
  });

  test('a re-run whose first answer was lost replaces its own unreadable pass without needing replaceExisting', async () => {
    const scratch = new MemoryScratch();
    await env.run(createTemporaryAccessPass, { user: BEN }, { key: 'step:tap-2', scratch });
    const lostId = taps(BEN)[0]!.id;
    scratch.values.delete('tap');
    const seq = env.ledgerSeq();
    const { result } = await env.run(createTemporaryAccessPass, { user: BEN }, { key: 'step:tap-2', scratch });
    const id = user(env, BEN).id;
    assert.deepEqual(writeNames(env, seq), [
      `DELETE /users/${id}/authentication/temporaryAccessPassMethods/${lostId}`,
      `POST /users/${id}/authentication/temporaryAccessPassMethods`,
    ]);
    assert.equal(taps(BEN).length, 1);
    assert.ok(holds(BEN, result.outputs.temporaryAccessPass));
  });

  test('is irreversible: the pass expires on its own', () => {
    assert.equal(createTemporaryAccessPass.undo.reversible, false);
    if (!createTemporaryAccessPass.undo.reversible) assert.match(createTemporaryAccessPass.undo.reason, /expires on its own/);
  });

  test('validation: lifetime range, start time, guests, unknown users, missing permission', async () => {
    const short = await rejectsWith(env.run(createTemporaryAccessPass, { user: BEN, lifetimeInMinutes: 5 }), 'invalid_parameter');
    assert.equal(short.param, 'lifetimeInMinutes');
    await rejectsWith(env.run(createTemporaryAccessPass, { user: BEN, lifetimeInMinutes: 43201 }), 'invalid_parameter');
    await rejectsWith(env.run(createTemporaryAccessPass, { user: BEN, lifetimeInMinutes: 60.5 }), 'invalid_parameter');
    await rejectsWith(env.run(createTemporaryAccessPass, { user: BEN, startDateTime: 'tomorrow' }), 'invalid_parameter');
    const past = await rejectsWith(env.run(createTemporaryAccessPass, { user: BEN, startDateTime: '2020-01-01T00:00:00Z' }), 'invalid_parameter');
    assert.equal(past.param, 'startDateTime');
    const guest = await rejectsWith(env.run(createTemporaryAccessPass, { user: GUEST }), 'invalid_state');
    assert.match(guest.message, /guest/);
    await rejectsWith(env.run(createTemporaryAccessPass, { user: 'no.such@tailspin.com' }), 'unknown_user');
    const perm = await rejectsWith(env.run(createTemporaryAccessPass, { user: BEN }, { app: 'readonly' }), 'missing_permission');
    assert.match(perm.message, /UserAuthenticationMethod\.ReadWrite\.All/);
    assert.equal(taps(BEN).length, 0);
  });

  test('under injected faults each user gets exactly one working pass', async () => {
    await underFaults(env, [1001, 1002, 1003, 1004], async () => {
      for (const id of Object.keys(env.tenant().data.authMethods)) {
        env.tenant().data.authMethods[id] = env.tenant().data.authMethods[id]!.filter((m) => m.type !== 'temporaryAccessPass');
      }
      const seq = env.ledgerSeq();
      const { result } = await env.run(createTemporaryAccessPass, { user: BEN });
      assert.equal(env.writesSince(seq).length, 1);
      assert.equal(taps(BEN).length, 1);
      assert.ok(holds(BEN, result.outputs.temporaryAccessPass));
    });
  });
});
