// create-user against the emulator: a new cloud user with a generated temporary password, the
// tenant's domains and addresses checked first, recognised (not duplicated) on re-run, and undone
// by delete-user.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { MASK } from '../../../src/core/secrets.ts';
import { createUser } from '../../../src/m365/actions/account/create-user.action.ts';
import { meetsEntraComplexity } from '../../../src/m365/actions/account/password.ts';
import type { EmuUser } from '../../../src/emulator/state/model.ts';
import { MemoryScratch, startActionEnv, type ActionEnv } from '../action-harness.ts';
import { AVA, BEN, D, accountSeed, assertNoSecret, clearFaults, passwordMatches, rejectsWith, runUndo, underFaults, user, writeNames } from './account-fixtures.ts';

let env: ActionEnv;
before(async () => {
  env = await startActionEnv({ seeds: [accountSeed()] });
});
after(async () => {
  await env.close();
});
beforeEach(() => clearFaults(env));

let n = 0;
/** A fresh address per test, so tests do not see each other's users. */
function fresh(): string {
  return `new.hire${++n}@${D}`;
}

function liveIds(): string[] {
  return env.tenant().data.users.map((u) => u.id).sort();
}

/** The value a preview field corresponds to on the created user. */
function liveField(u: EmuUser, field: string): unknown {
  if (field === 'exists') return true;
  if (field === 'manager') return u.managerId ? env.tenant().user(u.managerId)?.userPrincipalName : null;
  return (u as unknown as Record<string, unknown>)[field];
}

describe('create-user', () => {
  test('creates the user with a strong temporary password, the tenant\'s usage location and the manager', async () => {
    const upn = fresh();
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(createUser, { user: upn, displayName: 'Nora Hire', givenName: 'Nora', surname: 'Hire', department: 'Ops', jobTitle: 'Planner', manager: AVA });
    const u = user(env, upn);
    const pw = String(result.outputs.temporaryPassword);
    assert.ok(meetsEntraComplexity(pw));
    assert.ok(passwordMatches(u.passwordHash, pw));
    assert.equal(u.forceChangePasswordNextSignIn, true);
    assert.equal(u.accountEnabled, true);
    assert.equal(u.usageLocation, 'US');
    assert.equal(u.mailNickname, upn.split('@')[0]);
    assert.equal(u.managerId, user(env, AVA).id);
    assert.deepEqual(writeNames(env, seq), ['POST /users', `PUT /users/${u.id}/manager/$ref`]);
    assert.deepEqual(result.outputs, { userId: u.id, userPrincipalName: upn, displayName: 'Nora Hire', temporaryPassword: pw });
    assert.deepEqual(createUser.secrets, ['temporaryPassword']);
    // Preview = effect: every after-value is what the tenant now holds.
    for (const c of preview.changes) {
      if (c.field === 'password') assert.equal(c.after, MASK);
      else assert.deepEqual(c.after, liveField(u, c.field), c.field);
    }
    assert.deepEqual((preview.calls[0]!.body as { passwordProfile: unknown }).passwordProfile, { password: MASK, forceChangePasswordNextSignIn: true });
    assertNoSecret(pw, preview, result.summary, result.before);
  });

  test('an explicit usage location wins over the tenant default', async () => {
    const upn = fresh();
    await env.run(createUser, { user: upn, displayName: 'Gus Brit', usageLocation: 'gb' });
    assert.equal(user(env, upn).usageLocation, 'GB');
    assert.equal(user(env, upn).managerId, null);
  });

  test('undo deletes the created user and leaves the directory as it was', async () => {
    const idsBefore = liveIds();
    const upn = fresh();
    const params = { user: upn, displayName: 'Ulla Undo', manager: AVA };
    const { result } = await env.run(createUser, params);
    const steps = await runUndo(env, 'create-user', params, result);
    assert.deepEqual(steps, [{ action: 'delete-user', params: { user: upn } }]);
    assert.deepEqual(liveIds(), idsBefore);
    assert.ok(env.tenant().data.deletedItems[String(result.outputs.userId)], 'soft-deleted, restorable');
  });

  test('a re-run after a crash creates nothing, reports alreadyDone with the same user and password, and undo still deletes', async () => {
    const upn = fresh();
    const scratch = new MemoryScratch();
    const key = 'step:create-1';
    const params = { user: upn, displayName: 'Rita Rerun', manager: AVA };
    const first = await env.run(createUser, params, { key, scratch });
    const seq = env.ledgerSeq();
    const again = await env.run(createUser, params, { key, scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(again.preview.alreadyDone, true);
    assert.equal(again.result.alreadyDone, true);
    assert.equal(again.result.outputs.userId, first.result.outputs.userId);
    assert.equal(again.result.outputs.temporaryPassword, first.result.outputs.temporaryPassword);
    await runUndo(env, 'create-user', params, again.result);
    assert.equal(env.tenant().user(upn), undefined);
  });

  test('a re-run whose first answer was lost recognises its user by name and creation time', async () => {
    const upn = fresh();
    const scratch = new MemoryScratch();
    const params = { user: upn, displayName: 'Lou Lost' };
    await env.run(createUser, params, { key: 'step:create-2', scratch });
    scratch.values.delete('userId');
    const seq = env.ledgerSeq();
    const { result } = await env.run(createUser, params, { key: 'step:create-2', scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(result.alreadyDone, true);
    assert.equal(result.outputs.userId, user(env, upn).id);
  });

  test('a re-run whose user is not replicated yet retries later instead of failing or duplicating', async () => {
    const upn = fresh();
    const scratch = new MemoryScratch();
    const params = { user: upn, displayName: 'Rhea Replica' };
    try {
      env.setControls({ readAfterCreateDelayMs: 3_600_000 });
      await env.run(createUser, params, { key: 'step:create-4', scratch });
      scratch.values.delete('userId');
      const seq = env.ledgerSeq();
      const err = await rejectsWith(env.run(createUser, params, { key: 'step:create-4', scratch }), 'm365_unavailable');
      assert.match(err.message, /replication/);
      assert.deepEqual(env.writesSince(seq), []);
      // Once the directory has caught up, the retry recognises the step's own user.
      env.setControls({ readAfterCreateDelayMs: 0 });
      const { result } = await env.run(createUser, params, { key: 'step:create-4', scratch });
      assert.equal(result.alreadyDone, true);
      assert.deepEqual(env.writesSince(seq), []);
      assert.equal(env.tenant().data.users.filter((u) => u.userPrincipalName === upn).length, 1);
    } finally {
      env.setControls({ readAfterCreateDelayMs: 0 });
    }
  });

  test('a re-run after a crash between create and manager only sets the manager', async () => {
    const upn = fresh();
    const scratch = new MemoryScratch();
    const params = { user: upn, displayName: 'Max Manager', manager: AVA };
    await env.run(createUser, params, { key: 'step:create-3', scratch });
    user(env, upn).managerId = null;
    const seq = env.ledgerSeq();
    const { result } = await env.run(createUser, params, { key: 'step:create-3', scratch });
    assert.deepEqual(writeNames(env, seq), [`PUT /users/${user(env, upn).id}/manager/$ref`]);
    assert.equal(result.alreadyDone, false);
    assert.equal(user(env, upn).managerId, user(env, AVA).id);
  });

  test('a domain the tenant does not own is refused with the tenant\'s domains in the fix', async () => {
    const err = await rejectsWith(env.run(createUser, { user: 'jane.doe@contoso.com', displayName: 'Jane Doe' }), 'invalid_parameter');
    assert.equal(err.param, 'user');
    assert.match(err.message, /contoso\.com is not a domain/);
    // The example address is in the tenant's default domain, the one its users really have.
    assert.match(err.fix, /jane\.doe@tailspin\.com/);
    assert.deepEqual(err.details?.domains, ['tailspin.onmicrosoft.com', 'tailspin.com']);
  });

  test('an address in use is a conflict, even for a step with an earlier send time', async () => {
    const dup = await rejectsWith(env.run(createUser, { user: BEN, displayName: 'Another Ben' }), 'conflict');
    assert.match(dup.message, /already exists/);
    assert.match(dup.fix, /update-user/);
    // Same name, but created long before this step: not this step's user.
    const scratch = new MemoryScratch();
    await scratch.set('sentAt', new Date().toISOString());
    await rejectsWith(env.run(createUser, { user: BEN, displayName: 'Ben Miller' }, { scratch }), 'conflict');
    const alias = await rejectsWith(env.run(createUser, { user: 'ben.miller@tailspin.onmicrosoft.com', displayName: 'Ben Two' }), 'conflict');
    assert.match(alias.message, /mail alias 'ben\.miller'/);
  });

  test('bad and missing parameters become errors with fixes, or questions', async () => {
    const missing = await rejectsWith(env.run(createUser, { user: fresh() }), 'missing_parameter') as unknown as { missing: Array<{ param: string }> };
    assert.deepEqual(missing.missing.map((m) => m.param), ['displayName']);
    const badChars = await rejectsWith(env.run(createUser, { user: `jane..doe@${D}`, displayName: 'Jane' }), 'invalid_parameter');
    assert.equal(badChars.param, 'user');
    await rejectsWith(env.run(createUser, { user: fresh(), displayName: 'Jane', usageLocation: 'USA' }), 'invalid_parameter');
    await rejectsWith(env.run(createUser, { user: fresh(), displayName: 'Jane', mailNickname: 'x' }), 'unknown_parameter');
    const mgr = await rejectsWith(env.run(createUser, { user: fresh(), displayName: 'Jane', manager: `ava.bos@${D}` }), 'unknown_user');
    assert.equal(mgr.param, 'manager');
  });

  test('an app without the permission is told which one to grant', async () => {
    const seq = env.ledgerSeq();
    const err = await rejectsWith(env.run(createUser, { user: fresh(), displayName: 'Perm Less' }, { app: 'readonly' }), 'missing_permission');
    assert.match(err.message, /User\.ReadWrite\.All/);
    assert.deepEqual(env.writesSince(seq), []);
  });

  test('under injected faults each user is created once, with its manager', async () => {
    await underFaults(env, [611, 612, 613, 614], async () => {
      const upn = fresh();
      const seq = env.ledgerSeq();
      const { result } = await env.run(createUser, { user: upn, displayName: 'Fay Fault', manager: AVA });
      assert.equal(env.tenant().data.users.filter((u) => u.userPrincipalName === upn).length, 1);
      assert.deepEqual(writeNames(env, seq), ['POST /users', `PUT /users/${user(env, upn).id}/manager/$ref`]);
      assert.ok(passwordMatches(user(env, upn).passwordHash, String(result.outputs.temporaryPassword)));
    });
  });
});
