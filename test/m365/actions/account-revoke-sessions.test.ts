// revoke-sessions against the emulator: one revokeSignInSessions call, recognised on re-run by
// signInSessionsValidFromDateTime, and a clear refusal for guests.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { revokeSessions } from '../../../src/m365/actions/account/revoke-sessions.action.ts';
import { MemoryScratch, startActionEnv, type ActionEnv } from '../action-harness.ts';
import { BEN, CARA, GUEST, accountSeed, clearFaults, rejectsWith, underFaults, user, writeNames } from './account-fixtures.ts';

let env: ActionEnv;
before(async () => {
  env = await startActionEnv({ seeds: [accountSeed()] });
});
after(async () => {
  await env.close();
});
beforeEach(() => {
  clearFaults(env);
  user(env, BEN).signInSessionsValidFromDateTime = '2024-01-15T09:00:00Z';
});

describe('revoke-sessions', () => {
  test('revokes every session with one call and moves signInSessionsValidFromDateTime to now', async () => {
    const seq = env.ledgerSeq();
    const startedAt = Date.now();
    const { preview, result } = await env.run(revokeSessions, { user: BEN });
    const u = user(env, BEN);
    assert.deepEqual(writeNames(env, seq), [`POST /users/${u.id}/revokeSignInSessions`]);
    // Graph stamps to the second.
    assert.ok(Date.parse(u.signInSessionsValidFromDateTime) >= Math.floor(startedAt / 1000) * 1000);
    assert.deepEqual(preview.changes.map((c) => [c.field, c.before]), [['signInSessionsValidFromDateTime', '2024-01-15T09:00:00Z']]);
    assert.match(preview.warnings.join(' '), /Access tokens/);
    assert.equal(result.alreadyDone, false);
    assert.equal(result.outputs.userPrincipalName, BEN);
    assert.ok(Date.parse(String(result.outputs.revokedAt)) >= startedAt);
  });

  test('a re-run after a crash makes no call and reports alreadyDone', async () => {
    const scratch = new MemoryScratch();
    await env.run(revokeSessions, { user: BEN }, { key: 'step:revoke-ben', scratch });
    const seq = env.ledgerSeq();
    const again = await env.run(revokeSessions, { user: BEN }, { key: 'step:revoke-ben', scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(again.preview.alreadyDone, true);
    assert.equal(again.result.alreadyDone, true);
  });

  test('a re-run that lost the completion mark still sees the revocation in the tenant', async () => {
    const scratch = new MemoryScratch();
    await env.run(revokeSessions, { user: CARA }, { key: 'step:revoke-cara', scratch });
    await scratch.set('completed', false);
    const seq = env.ledgerSeq();
    const { result } = await env.run(revokeSessions, { user: CARA }, { key: 'step:revoke-cara', scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(result.alreadyDone, true);
  });

  test('a fresh step revokes again even right after another revocation', async () => {
    await env.run(revokeSessions, { user: BEN });
    const seq = env.ledgerSeq();
    const { result } = await env.run(revokeSessions, { user: BEN });
    assert.equal(result.alreadyDone, false);
    assert.equal(env.writesSince(seq).length, 1);
  });

  test('a guest is refused clearly, with no call', async () => {
    const seq = env.ledgerSeq();
    const err = await rejectsWith(env.run(revokeSessions, { user: GUEST }), 'invalid_state');
    assert.match(err.message, /guest/);
    assert.match(err.message, /home organisation/);
    assert.deepEqual(env.writesSince(seq), []);
  });

  test('is irreversible, and refuses unknown users and apps without the permission', async () => {
    assert.equal(revokeSessions.undo.reversible, false);
    await rejectsWith(env.run(revokeSessions, { user: 'benn.miller@tailspin.com' }), 'unknown_user');
    const perm = await rejectsWith(env.run(revokeSessions, { user: BEN }, { app: 'readonly' }), 'missing_permission');
    assert.match(perm.message, /User\.RevokeSessions\.All/);
    assert.equal(user(env, BEN).signInSessionsValidFromDateTime, '2024-01-15T09:00:00Z');
  });

  test('under injected faults the sessions are revoked with one successful call', async () => {
    await underFaults(env, [501, 502, 503, 504, 505, 506], async () => {
      user(env, BEN).signInSessionsValidFromDateTime = '2024-01-15T09:00:00Z';
      const seq = env.ledgerSeq();
      await env.run(revokeSessions, { user: BEN });
      assert.equal(env.writesSince(seq).length, 1);
      assert.notEqual(user(env, BEN).signInSessionsValidFromDateTime, '2024-01-15T09:00:00Z');
    });
  });
});
