import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getAction } from '../../../src/m365/actions/catalog.ts';
import { listGroupMembers } from '../../../src/m365/actions/groups/list-group-members.action.ts';
import { startActionEnv, type ActionEnv } from '../action-harness.ts';
import { AVA, BEN, CARA, DAN, clearFaults, directorySeed, group, injectFaults, rejectsWith, runUndo } from './directory-fixtures.ts';

type Member = { id: string; type: string; userPrincipalName: string | null; displayName: string | null };

describe('list-group-members', () => {
  let env: ActionEnv;
  before(async () => { env = await startActionEnv({ seeds: [directorySeed()] }); });
  after(async () => { await env.close(); });

  const upns = (outputs: Record<string, unknown>) => (outputs.members as Member[]).map((m) => m.userPrincipalName).sort();

  test('lists a dynamic group\'s computed members and their count, and follows the rule when a user changes', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(listGroupMembers, { group: 'Sales Dynamic' });
    assert.deepEqual(preview.changes, []);
    assert.equal(result.outputs.dynamic, true);
    assert.equal(result.outputs.membershipRule, '(user.department -eq "Sales")');
    assert.deepEqual(upns(result.outputs), [BEN, CARA]);
    assert.equal(result.outputs.count, 2);
    assert.deepEqual(env.writesSince(seq), []);

    const updateUser = getAction('update-user')!;
    const moved = await env.run(updateUser, { user: DAN, department: 'Sales' });
    const after = await env.run(listGroupMembers, { group: group(env, 'Sales Dynamic').id });
    assert.deepEqual(upns(after.result.outputs), [BEN, CARA, DAN]);
    assert.equal(after.result.outputs.count, 3);
    await runUndo(env, 'update-user', { user: DAN, department: 'Sales' }, moved.result);
  });

  test('lists a distribution list by address, with ids and display names', async () => {
    const { result } = await env.run(listGroupMembers, { group: 'allstaff@tailspin.com' });
    assert.equal(result.outputs.kind, 'distribution');
    assert.deepEqual(upns(result.outputs), [AVA, BEN, CARA, DAN].sort());
    const staff = group(env, 'All Staff');
    assert.deepEqual((result.outputs.members as Member[]).map((m) => m.id).sort(), [...staff.memberIds].sort());
    assert.ok((result.outputs.members as Member[]).every((m) => m.type === 'user' && m.displayName));
  });

  test('works with the read-only app; an unknown group names the closest ones', async () => {
    const { result } = await env.run(listGroupMembers, { group: 'VPN Users' }, { app: 'readonly' });
    assert.deepEqual(upns(result.outputs), [AVA, BEN].sort());
    const err = await rejectsWith(env.run(listGroupMembers, { group: 'VPN Usr' }), 'unknown_group');
    assert.ok((err.details!.suggestions as string[]).includes('VPN Users'));
  });

  test('is irreversible because it only reads', () => {
    assert.deepEqual(listGroupMembers.undo, { reversible: false, reason: 'Read-only.' });
  });

  test('under 503s at rate 0.3 the list is the same', async () => {
    const { result: calm } = await env.run(listGroupMembers, { group: 'Sales Team' });
    injectFaults(env, 6);
    try {
      const { result } = await env.run(listGroupMembers, { group: 'Sales Team' });
      assert.deepEqual(result.outputs, calm.outputs);
    } finally {
      clearFaults(env);
    }
  });
});
