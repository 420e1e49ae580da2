// delete-user against the emulator: a soft delete that restore-user undoes completely (groups,
// mailbox, manager links), refused for synced users, recognised on re-run.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createUser } from '../../../src/m365/actions/account/create-user.action.ts';
import { deleteUser } from '../../../src/m365/actions/account/delete-user.action.ts';
import { MemoryScratch, startActionEnv, type ActionEnv } from '../action-harness.ts';
import { AVA, BEN, CARA, D, SAM, accountSeed, clearFaults, rejectsWith, runUndo, underFaults, user, writeNames } from './account-fixtures.ts';

let env: ActionEnv;
before(async () => {
  env = await startActionEnv({ seeds: [accountSeed()] });
});
after(async () => {
  await env.close();
});
beforeEach(() => clearFaults(env));

/** Everything a delete touches: users, group memberships and owners, mailboxes, auth methods. */
function directoryState() {
  const t = env.tenant();
  return structuredClone({
    users: [...t.data.users].sort((a, b) => a.id.localeCompare(b.id)),
    groups: t.data.groups.map((g) => ({ id: g.id, members: [...g.memberIds].sort(), owners: [...g.ownerIds].sort(), teamOwners: [...(g.teamOwnerIds ?? [])].sort() })),
    mailboxes: [...t.data.mailboxes].sort((a, b) => a.userId.localeCompare(b.userId)),
    authMethods: t.data.authMethods,
  });
}

let n = 0;
async function disposableUser(): Promise<string> {
  const upn = `temp.user${++n}@${D}`;
  await env.run(createUser, { user: upn, displayName: `Temp User ${n}` });
  return upn;
}

describe('delete-user', () => {
  test('soft-deletes the user with one DELETE, as the preview said', async () => {
    const upn = await disposableUser();
    const id = user(env, upn).id;
    const seq = env.ledgerSeq();
    const { preview, validation, result } = await env.run(deleteUser, { user: upn });
    assert.equal(env.tenant().user(upn), undefined);
    assert.ok(env.tenant().data.deletedItems[id]);
    assert.deepEqual(writeNames(env, seq), [`DELETE /users/${id}`]);
    assert.deepEqual(preview.changes, [{ object: upn, field: 'deleted', before: false, after: true }]);
    assert.match(validation.warnings.join(' '), /30 days/);
    assert.deepEqual(result.before, { userId: id, userPrincipalName: upn, deleted: false });
    assert.deepEqual(result.outputs, { userId: id, userPrincipalName: upn });
  });

  test('undo restores the user by id with groups, mailbox and reports\' manager links exactly', async () => {
    const beforeState = directoryState();
    const params = { user: AVA };
    const { validation, result } = await env.run(deleteUser, params);
    assert.match(validation.warnings.join(' '), /licence/);
    assert.equal(user(env, BEN).managerId, null);
    const steps = await runUndo(env, 'delete-user', params, result);
    assert.deepEqual(steps, [{ action: 'restore-user', params: { user: result.before.userId } }]);
    assert.deepEqual(directoryState(), beforeState);
  });

  test('a re-run after a crash deletes nothing, reports alreadyDone, and its undo still restores', async () => {
    const beforeState = directoryState();
    const scratch = new MemoryScratch();
    await env.run(deleteUser, { user: CARA }, { key: 'step:delete-cara', scratch });
    const seq = env.ledgerSeq();
    const again = await env.run(deleteUser, { user: CARA }, { key: 'step:delete-cara', scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(again.preview.alreadyDone, true);
    assert.equal(again.result.alreadyDone, true);
    await runUndo(env, 'delete-user', { user: CARA }, again.result);
    assert.deepEqual(directoryState(), beforeState);
  });

  test('a user already in the recycle bin is alreadyDone, with nothing to undo', async () => {
    const upn = await disposableUser();
    await env.h.graph(`/v1.0/users/${user(env, upn).id}`, { method: 'DELETE' });
    const seq = env.ledgerSeq();
    const { validation, result } = await env.run(deleteUser, { user: upn });
    assert.match(validation.warnings.join(' '), /already deleted/);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(env.writesSince(seq), []);
    assert.deepEqual(await runUndo(env, 'delete-user', { user: upn }, result), []);
  });

  test('a synced user is refused with synced_object and left alone', async () => {
    const seq = env.ledgerSeq();
    const err = await rejectsWith(env.run(deleteUser, { user: SAM }), 'synced_object');
    assert.match(err.message, /on-premises Active Directory/);
    assert.deepEqual(env.writesSince(seq), []);
    assert.ok(env.tenant().user(SAM));
  });

  test('refuses unknown users and apps without the permission', async () => {
    const unknown = await rejectsWith(env.run(deleteUser, { user: 'ben.millr@tailspin.com' }), 'unknown_user');
    assert.ok((unknown.details?.suggestions as string[]).includes(BEN));
    const perm = await rejectsWith(env.run(deleteUser, { user: BEN }, { app: 'readonly' }), 'missing_permission');
    assert.match(perm.message, /User\.DeleteRestore\.All/);
    assert.ok(env.tenant().user(BEN));
  });

  test('under injected faults each user is deleted exactly once', async () => {
    const upns: string[] = [];
    for (let i = 0; i < 4; i++) upns.push(await disposableUser());
    await underFaults(env, [801, 802, 803, 804], async () => {
      const upn = upns.shift()!;
      const id = user(env, upn).id;
      const seq = env.ledgerSeq();
      await env.run(deleteUser, { user: upn });
      assert.deepEqual(writeNames(env, seq), [`DELETE /users/${id}`]);
      assert.ok(env.tenant().data.deletedItems[id]);
    });
  });
});
