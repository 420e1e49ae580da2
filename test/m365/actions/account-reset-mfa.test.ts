// reset-mfa against the emulator: every second factor removed in an order Microsoft accepts
// (non-default first, alternate mobile before mobile, the default last), the password kept.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { resetMfa } from '../../../src/m365/actions/account/reset-mfa.action.ts';
import { PHONE_ALT_MOBILE_ID, PHONE_MOBILE_ID } from '../../../src/emulator/seed/builders.ts';
import type { EmuAuthMethod } from '../../../src/emulator/state/model.ts';
import { MemoryScratch, startActionEnv, type ActionEnv } from '../action-harness.ts';
import { AVA, BEN, DAN, MIA, accountSeed, authMethods, clearFaults, rejectsWith, underFaults, user } from './account-fixtures.ts';

let env: ActionEnv;
const original = new Map<string, EmuAuthMethod[]>();
before(async () => {
  env = await startActionEnv({ seeds: [accountSeed()] });
  for (const upn of [AVA, BEN, MIA]) original.set(upn, structuredClone(authMethods(env, upn)));
});
after(async () => {
  await env.close();
});
beforeEach(() => {
  clearFaults(env);
  for (const [upn, list] of original) env.tenant().data.authMethods[user(env, upn).id] = structuredClone(list);
});

/** The ids of the methods deleted by successful writes since `seq`, in order. */
function deletedIds(seq: number): string[] {
  return env.writesSince(seq).map((w) => {
    assert.equal(w.method, 'DELETE');
    return w.path.split('/').pop()!;
  });
}

describe('reset-mfa', () => {
  test('removes the non-default method before the default one, with no refused call', async () => {
    const [, fido, authenticator] = original.get(AVA)!;
    assert.equal(fido!.isDefault, true);
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(resetMfa, { user: AVA });
    assert.deepEqual(deletedIds(seq), [authenticator!.id, fido!.id]);
    assert.equal(env.h.emu.deps.ledger.list(env.tenantId, seq).length, 2, 'no refused attempt');
    assert.deepEqual(authMethods(env, AVA).map((m) => m.type), ['password']);
    assert.deepEqual(result.outputs.removedMethods, ['microsoftAuthenticator', 'fido2']);
    assert.deepEqual(preview.calls.map((c) => c.method), ['DELETE', 'DELETE']);
    assert.deepEqual(preview.skipped.map((s) => s.item), ['password']);
  });

  test('removes alternate mobile before mobile and the default (mobile) last; the preview listed exactly what went', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(resetMfa, { user: MIA });
    const ids = deletedIds(seq);
    assert.equal(ids.length, 4);
    assert.ok(ids.indexOf(PHONE_ALT_MOBILE_ID) < ids.indexOf(PHONE_MOBILE_ID), 'alternateMobile first');
    assert.equal(ids.at(-1), PHONE_MOBILE_ID, 'the default method goes last');
    assert.deepEqual(authMethods(env, MIA).map((m) => m.type), ['password']);
    // Preview = effect: every method it showed is gone, and nothing else was touched.
    const shown = preview.changes.map((c) => c.field.split(':').pop()).sort();
    assert.deepEqual(shown, [...ids].sort());
    assert.ok(preview.changes.every((c) => c.after === null));
    const removed = (result.before.methods as Array<{ id: string; type: string; label: string }>);
    assert.deepEqual(removed.map((m) => m.id).sort(), [...ids].sort());
    assert.ok(removed.some((m) => m.label === 'alternateMobile +1 4255550102'));
    assert.equal(result.outputs.removedCount, 4);
  });

  test('a re-run after a crash deletes nothing and reports what the first run removed', async () => {
    const scratch = new MemoryScratch();
    const key = 'step:mfa-ben';
    const first = await env.run(resetMfa, { user: BEN }, { key, scratch });
    const seq = env.ledgerSeq();
    const again = await env.run(resetMfa, { user: BEN }, { key, scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(again.preview.alreadyDone, true);
    assert.equal(again.result.alreadyDone, true);
    assert.deepEqual(again.result.before, first.result.before);
  });

  test('a re-run after a crash midway removes only the rest and reports all', async () => {
    const [, authenticator, phone] = original.get(BEN)!;
    const scratch = new MemoryScratch();
    // The first attempt removed the phone, recorded it, and stopped.
    await scratch.set('removed', [{ id: phone!.id, type: 'phone', label: 'mobile' }]);
    env.tenant().data.authMethods[user(env, BEN).id] = authMethods(env, BEN).filter((m) => m.id !== phone!.id);
    const seq = env.ledgerSeq();
    const { result } = await env.run(resetMfa, { user: BEN }, { key: 'step:mfa-ben-2', scratch });
    assert.deepEqual(deletedIds(seq), [authenticator!.id]);
    assert.equal(result.alreadyDone, false);
    assert.deepEqual((result.before.methods as Array<{ id: string }>).map((m) => m.id), [phone!.id, authenticator!.id]);
  });

  test('a user with no second factor is alreadyDone with no write', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(resetMfa, { user: DAN });
    assert.equal(preview.alreadyDone, true);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(env.writesSince(seq), []);
    assert.deepEqual(authMethods(env, DAN).map((m) => m.type), ['password']);
  });

  test('is irreversible, and refuses unknown users and apps without the permission', async () => {
    assert.equal(resetMfa.undo.reversible, false);
    if (!resetMfa.undo.reversible) assert.match(resetMfa.undo.reason, /re-register/);
    await rejectsWith(env.run(resetMfa, { user: 'mia.mutli@tailspin.com' }), 'unknown_user');
    const perm = await rejectsWith(env.run(resetMfa, { user: MIA }, { app: 'readonly' }), 'missing_permission');
    assert.match(perm.message, /UserAuthenticationMethod\.ReadWrite\.All/);
    assert.equal(authMethods(env, MIA).length, 5);
  });

  test('under injected faults every method goes exactly once', async () => {
    await underFaults(env, [401, 402, 403, 404, 405, 406], async () => {
      env.tenant().data.authMethods[user(env, MIA).id] = structuredClone(original.get(MIA)!);
      const seq = env.ledgerSeq();
      const { result } = await env.run(resetMfa, { user: MIA });
      assert.equal(deletedIds(seq).length, 4);
      assert.equal(new Set(deletedIds(seq)).size, 4);
      assert.equal(result.outputs.removedCount, 4);
      assert.deepEqual(authMethods(env, MIA).map((m) => m.type), ['password']);
    });
  });
});
