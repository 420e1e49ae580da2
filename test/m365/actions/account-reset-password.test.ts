// reset-password against the emulator: a generated password that meets Entra's rules, kept in
// scratch before the call and reused on retry, the writeback path for synced users, and the
// password never showing in previews, summaries or errors.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { MASK } from '../../../src/core/secrets.ts';
import { resetPassword } from '../../../src/m365/actions/account/reset-password.action.ts';
import { meetsEntraComplexity } from '../../../src/m365/actions/account/password.ts';
import { MemoryScratch, startActionEnv, type ActionEnv } from '../action-harness.ts';
import {
  BEN, CARA, DAN, GUEST, SAM, accountSeed, assertNoSecret, clearFaults, gdapContext, passwordMatches, rejectsWith, underFaults, user, writeNames,
} from './account-fixtures.ts';

let env: ActionEnv;
before(async () => {
  env = await startActionEnv({ seeds: [accountSeed()] });
});
after(async () => {
  await env.close();
});
beforeEach(() => clearFaults(env));

describe('reset-password', () => {
  test('sets a strong temporary password the user must change, with one PATCH', async () => {
    const old = user(env, BEN).lastPasswordChangeDateTime;
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(resetPassword, { user: BEN });
    const pw = String(result.outputs.temporaryPassword);
    const u = user(env, BEN);
    assert.ok(meetsEntraComplexity(pw) && pw.length >= 16, 'complex and long');
    assert.ok(!pw.toLowerCase().includes('ben') && !pw.toLowerCase().includes('miller'), 'no name parts');
    assert.ok(passwordMatches(u.passwordHash, pw), 'the tenant holds the reported password');
    assert.equal(u.forceChangePasswordNextSignIn, true);
    assert.ok(Date.parse(u.lastPasswordChangeDateTime) > Date.parse(old));
    assert.deepEqual(writeNames(env, seq), [`PATCH /users/${u.id}`]);
    assert.equal(result.outputs.path, 'cloud');
    assert.deepEqual(resetPassword.secrets, ['temporaryPassword']);
    // Preview: the call with the password masked, and after-values the tenant now holds.
    assert.deepEqual(preview.calls[0]?.body, { passwordProfile: { password: MASK, forceChangePasswordNextSignIn: true } });
    const force = preview.changes.find((c) => c.field === 'forceChangePasswordNextSignIn');
    assert.equal(force?.after, u.forceChangePasswordNextSignIn);
    assertNoSecret(pw, preview, result.summary, result.before);
  });

  test('each reset generates a different password', async () => {
    const a = await env.run(resetPassword, { user: CARA });
    const b = await env.run(resetPassword, { user: CARA });
    assert.notEqual(a.result.outputs.temporaryPassword, b.result.outputs.temporaryPassword);
  });

  test('a re-run after a crash sends nothing and reports the same password as alreadyDone', async () => {
    const scratch = new MemoryScratch();
    const key = 'step:reset-ben';
    const first = await env.run(resetPassword, { user: BEN }, { key, scratch });
    const seq = env.ledgerSeq();
    const again = await env.run(resetPassword, { user: BEN }, { key, scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(again.preview.alreadyDone, true);
    assert.equal(again.result.alreadyDone, true);
    assert.equal(again.result.outputs.temporaryPassword, first.result.outputs.temporaryPassword);
  });

  test('a re-run whose first attempt stopped before the call sends the stored password', async () => {
    const stored = 'Kx7!stored-Pass99';
    const scratch = new MemoryScratch();
    await scratch.set('password', stored);
    // The send time of an attempt that never reached Microsoft: the tenant shows no change since.
    await scratch.set('sentAt', new Date(Date.now() - 60_000).toISOString());
    const seq = env.ledgerSeq();
    const { result } = await env.run(resetPassword, { user: DAN }, { key: 'step:reset-dan', scratch });
    assert.equal(env.writesSince(seq).length, 1);
    assert.equal(result.alreadyDone, false);
    assert.equal(result.outputs.temporaryPassword, stored);
    assert.ok(passwordMatches(user(env, DAN).passwordHash, stored));
  });

  test('is irreversible, with the reason', () => {
    assert.equal(resetPassword.undo.reversible, false);
    if (!resetPassword.undo.reversible) assert.match(resetPassword.undo.reason, /previous password/);
  });

  test('a synced user is reset through password writeback on a delegated (GDAP) connection', async () => {
    const { ctx, close } = gdapContext(env);
    try {
      const seq = env.ledgerSeq();
      const p = { user: SAM };
      const validation = await resetPassword.validate(ctx, p);
      assert.deepEqual(validation.errors, []);
      assert.match(validation.warnings.join(' '), /writeback/);
      const preview = await resetPassword.preview(ctx, p);
      assert.match(preview.calls[0]!.target, /\/authentication\/methods\/28c10230-6103-485e-b985-444c60001490\/resetPassword$/);
      assert.deepEqual(preview.calls[0]!.body, { newPassword: MASK });
      const result = await resetPassword.execute(ctx, p);
      const pw = String(result.outputs.temporaryPassword);
      const u = user(env, SAM);
      assert.equal(result.outputs.path, 'writeback');
      assert.ok(passwordMatches(u.passwordHash, pw));
      assert.equal(u.forceChangePasswordNextSignIn, true);
      assert.deepEqual(writeNames(env, seq), [`POST /users/${u.id}/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword`]);
      assertNoSecret(pw, preview, result.summary);
      // The re-run recognises the reset by lastPasswordChangeDateTime even without the completion mark.
      await ctx.scratch.set('completed', false);
      const seq2 = env.ledgerSeq();
      const again = await resetPassword.execute(ctx, p);
      assert.equal(again.alreadyDone, true);
      assert.deepEqual(env.writesSince(seq2), []);
    } finally {
      await close();
    }
  });

  test('a synced user on an app-only connection is refused by validate, before approval, with nothing generated or sent', async () => {
    const scratch = new MemoryScratch();
    const seq = env.ledgerSeq();
    const err = await rejectsWith(env.run(resetPassword, { user: SAM }, { scratch }), 'missing_permission');
    assert.match(err.message, /writeback/);
    assert.match(err.message, /connected as an application/);
    assert.match(err.fix, /GDAP|on-premises Active Directory/);
    assert.equal(scratch.get<string>('password'), undefined, 'no password was generated for a reset that cannot happen');
    assert.deepEqual(env.writesSince(seq), []);
  });

  test('refuses guests, unknown users and apps without the permission', async () => {
    const guest = await rejectsWith(env.run(resetPassword, { user: GUEST }), 'invalid_state');
    assert.match(guest.message, /guest/);
    await rejectsWith(env.run(resetPassword, { user: 'nobody.here@tailspin.com' }), 'unknown_user');
    const seq = env.ledgerSeq();
    const perm = await rejectsWith(env.run(resetPassword, { user: BEN }, { app: 'readonly' }), 'missing_permission');
    assert.match(perm.message, /User\.ReadWrite\.All/);
    assert.deepEqual(env.writesSince(seq), []);
  });

  test('under injected faults the password is set once and the reported one works', async () => {
    await underFaults(env, [301, 302, 303, 304, 305, 306], async () => {
      const seq = env.ledgerSeq();
      const { result } = await env.run(resetPassword, { user: BEN });
      assert.equal(env.writesSince(seq).length, 1);
      assert.ok(passwordMatches(user(env, BEN).passwordHash, String(result.outputs.temporaryPassword)));
    });
  });
});
