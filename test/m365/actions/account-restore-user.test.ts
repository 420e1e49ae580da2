// restore-user against the emulator: a deleted user found by former address (Microsoft shows it
// prefixed with the object id) or by id, brought back once, and deleted again by undo.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createUser } from '../../../src/m365/actions/account/create-user.action.ts';
import { restoreUser } from '../../../src/m365/actions/account/restore-user.action.ts';
import { MemoryScratch, startActionEnv, type ActionEnv } from '../action-harness.ts';
import { BEN, D, accountSeed, clearFaults, rejectsWith, runUndo, underFaults, user, writeNames } from './account-fixtures.ts';

let env: ActionEnv;
before(async () => {
  env = await startActionEnv({ seeds: [accountSeed()] });
});
after(async () => {
  await env.close();
});
beforeEach(() => clearFaults(env));

let n = 0;
/** Creates a user and deletes it straight through Graph; returns its address and id. */
async function deletedUser(upn = `gone.user${++n}@${D}`): Promise<{ upn: string; id: string }> {
  const { result } = await env.run(createUser, { user: upn, displayName: `Gone User ${n}`, department: 'Ops' });
  const id = String(result.outputs.userId);
  const res = await env.h.graph(`/v1.0/users/${id}`, { method: 'DELETE' });
  assert.equal(res.status, 204);
  return { upn, id };
}

function liveIds(): string[] {
  return env.tenant().data.users.map((u) => u.id).sort();
}

describe('restore-user', () => {
  test('finds the deleted user by former address and restores it with one call', async () => {
    const { upn, id } = await deletedUser();
    const kept = structuredClone(env.tenant().data.deletedItems[id]!.user!);
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(restoreUser, { user: upn });
    assert.deepEqual(writeNames(env, seq), [`POST /directory/deletedItems/${id}/restore`]);
    assert.deepEqual(user(env, upn), kept);
    assert.equal(env.tenant().data.deletedItems[id], undefined);
    assert.deepEqual(preview.changes, [{ object: upn, field: 'deleted', before: true, after: false }]);
    assert.deepEqual(result.outputs, { userId: id, userPrincipalName: upn });
    assert.deepEqual(result.before, { userId: id, userPrincipalName: upn, deleted: true });
  });

  test('restores by object id too, and undo deletes it again', async () => {
    const { upn, id } = await deletedUser();
    const idsBefore = liveIds();
    const params = { user: id };
    const { result } = await env.run(restoreUser, params);
    assert.ok(env.tenant().user(upn));
    const steps = await runUndo(env, 'restore-user', params, result);
    assert.deepEqual(steps, [{ action: 'delete-user', params: { user: upn } }]);
    assert.deepEqual(liveIds(), idsBefore);
    assert.ok(env.tenant().data.deletedItems[id]);
  });

  test('a user that is not deleted is alreadyDone with nothing to undo', async () => {
    const seq = env.ledgerSeq();
    const { validation, preview, result } = await env.run(restoreUser, { user: BEN });
    assert.match(validation.warnings.join(' '), /not deleted/);
    assert.equal(preview.alreadyDone, true);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(env.writesSince(seq), []);
    assert.deepEqual(await runUndo(env, 'restore-user', { user: BEN }, result), []);
  });

  test('a re-run after a crash restores nothing, reports alreadyDone, and its undo still deletes', async () => {
    const { upn, id } = await deletedUser();
    const scratch = new MemoryScratch();
    await env.run(restoreUser, { user: upn }, { key: 'step:restore-1', scratch });
    const seq = env.ledgerSeq();
    const again = await env.run(restoreUser, { user: upn }, { key: 'step:restore-1', scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(again.result.alreadyDone, true);
    await runUndo(env, 'restore-user', { user: upn }, again.result);
    assert.ok(env.tenant().data.deletedItems[id]);
  });

  test('an address taken by a new user blocks the restore with a conflict', async () => {
    const { upn, id } = await deletedUser();
    await env.run(createUser, { user: upn, displayName: 'The Successor' });
    const seq = env.ledgerSeq();
    const err = await rejectsWith(env.run(restoreUser, { user: id }), 'conflict');
    assert.match(err.message, /in use by another user/);
    assert.match(err.fix, /Rename or delete/);
    assert.deepEqual(env.writesSince(seq), []);
  });

  test('two deleted users with one address must be told apart by id', async () => {
    const first = await deletedUser(`twice.gone@${D}`);
    const second = await deletedUser(`twice.gone@${D}`);
    const err = await rejectsWith(env.run(restoreUser, { user: `twice.gone@${D}` }), 'ambiguous_value');
    const choices = (err.details?.choices as Array<{ value: string }>).map((c) => c.value).sort();
    assert.deepEqual(choices, [first.id, second.id].sort());
    await env.run(restoreUser, { user: second.id });
    assert.equal(user(env, `twice.gone@${D}`).id, second.id);
  });

  test('an unknown deleted user is unknown_user with the closest deleted addresses', async () => {
    const { upn } = await deletedUser(`closest.match@${D}`);
    const err = await rejectsWith(env.run(restoreUser, { user: `closest.mach@${D}` }), 'unknown_user');
    assert.ok((err.details?.suggestions as string[]).includes(upn));
    assert.match(err.fix, /30 days/);
  });

  test('refuses a value that is neither address nor id, and apps without the permission', async () => {
    const bad = await rejectsWith(env.run(restoreUser, { user: 'john' }), 'invalid_parameter');
    assert.match(bad.message, /object id/);
    const { upn } = await deletedUser();
    const perm = await rejectsWith(env.run(restoreUser, { user: upn }, { app: 'readonly' }), 'missing_permission');
    assert.match(perm.message, /User\.DeleteRestore\.All/);
    assert.equal(env.tenant().user(upn), undefined);
  });

  test('under injected faults each user is restored exactly once', async () => {
    const gone: Array<{ upn: string; id: string }> = [];
    for (let i = 0; i < 4; i++) gone.push(await deletedUser());
    await underFaults(env, [901, 902, 903, 904], async () => {
      const { upn, id } = gone.shift()!;
      const seq = env.ledgerSeq();
      await env.run(restoreUser, { user: upn });
      assert.deepEqual(writeNames(env, seq), [`POST /directory/deletedItems/${id}/restore`]);
      assert.equal(user(env, upn).id, id);
    });
  });
});
