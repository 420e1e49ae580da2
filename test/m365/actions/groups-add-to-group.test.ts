import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addToGroup } from '../../../src/m365/actions/groups/add-to-group.action.ts';
import { startActionEnv, MemoryScratch, type ActionEnv } from '../action-harness.ts';
import {
  AVA, BEN, DAN, EVE, SAM, clearFaults, directorySeed, faultedWrites, group, groupsOf, injectFaults, memberships, rejectsWith, runUndo, user, writeNames,
} from './directory-fixtures.ts';

describe('add-to-group', () => {
  let env: ActionEnv;
  before(async () => { env = await startActionEnv({ seeds: [directorySeed()] }); });
  after(async () => { await env.close(); });

  test('adds to several Graph groups on one card; preview matches the effect; undo restores memberships', async () => {
    const was = memberships(env);
    const seq = env.ledgerSeq();
    const params = { user: DAN, group: ['VPN Users', 'Sales Team'] };
    const { preview, result } = await env.run(addToGroup, params);
    const vpn = group(env, 'VPN Users');
    const sales = group(env, 'Sales Team');
    const id = user(env, DAN).id;
    assert.deepEqual(preview.calls.map((c) => [c.surface, c.method, c.target, c.body]), [
      ['graph', 'POST', `/groups/${vpn.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` }],
      ['graph', 'POST', `/groups/${sales.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` }],
    ]);
    assert.deepEqual(writeNames(env, seq), [`POST /groups/${vpn.id}/members/$ref`, `POST /groups/${sales.id}/members/$ref`]);
    for (const c of preview.changes) assert.equal(groupsOf(env, DAN).includes(c.object), c.after, c.object);
    assert.deepEqual(result.outputs.added, [
      { id: vpn.id, displayName: 'VPN Users', kind: 'security' },
      { id: sales.id, displayName: 'Sales Team', kind: 'microsoft365' },
    ]);
    const steps = await runUndo(env, 'add-to-group', params, result);
    assert.deepEqual(steps, [{ action: 'remove-from-group', params: { user: DAN, group: [vpn.id, sales.id] } }]);
    assert.deepEqual(memberships(env), was);
  });

  test('mail-enabled security groups go through Exchange; existing memberships are skipped per group', async () => {
    const was = memberships(env);
    const seq = env.ledgerSeq();
    const params = { user: AVA, group: ['finance@tailspin.com', 'All Staff'] };
    const { preview, result } = await env.run(addToGroup, params);
    const finance = group(env, 'Finance');
    assert.deepEqual(preview.calls.map((c) => [c.surface, c.target, c.body]), [
      ['exchange', 'Add-DistributionGroupMember', { Identity: finance.id, Member: AVA, BypassSecurityGroupManagerCheck: true }],
    ]);
    assert.deepEqual(preview.skipped.map((s) => s.item), ['All Staff']);
    const writes = env.writesSince(seq);
    assert.deepEqual(writes.map((w) => [w.surface, w.cmdlet]), [['exchange', 'Add-DistributionGroupMember']]);
    assert.ok(finance.memberIds.includes(user(env, AVA).id));
    assert.deepEqual(result.outputs.skipped, [{ group: 'All Staff', reason: preview.skipped[0]!.reason }]);

    const undoSeq = env.ledgerSeq();
    await runUndo(env, 'add-to-group', params, result);
    assert.deepEqual(env.writesSince(undoSeq).map((w) => [w.surface, w.cmdlet]), [['exchange', 'Remove-DistributionGroupMember']]);
    assert.deepEqual(memberships(env), was);
  });

  test('a user already in every group is alreadyDone with no call, and nothing to undo', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(addToGroup, { user: BEN, group: 'Sales Team' });
    assert.equal(preview.alreadyDone, true);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(writeNames(env, seq), []);
    assert.deepEqual(await runUndo(env, 'add-to-group', { user: BEN, group: 'Sales Team' }, result), []);
  });

  test('dynamic and synced groups are refused with the reason', async () => {
    const dyn = await rejectsWith(env.run(addToGroup, { user: DAN, group: 'Sales Dynamic' }), 'group_not_editable');
    assert.match(dyn.message, /dynamic group/);
    assert.match(dyn.message, /user\.department -eq "Sales"/);
    const synced = await rejectsWith(env.run(addToGroup, { user: DAN, group: 'AD Admins' }), 'group_not_editable');
    assert.match(synced.message, /on-premises/);
    // One card lists every refusal, not just the first.
    const v = await addToGroup.validate(env.context(), { user: SAM, group: ['Sales Dynamic', 'AD Admins', 'VPN Users'] });
    assert.deepEqual(v.errors.map((e) => e.code), ['group_not_editable', 'group_not_editable']);
  });

  test('an unknown group names the closest ones', async () => {
    const err = await rejectsWith(env.run(addToGroup, { user: DAN, group: 'Sales Teem' }), 'unknown_group');
    assert.ok((err.details!.suggestions as string[]).includes('Sales Team'));
  });

  test('the read-only app is told which permission is missing', async () => {
    const err = await rejectsWith(env.run(addToGroup, { user: DAN, group: 'VPN Users' }, { app: 'readonly' }), 'missing_permission');
    assert.match(err.message, /GroupMember\.ReadWrite\.All/);
  });

  test('a re-run with the same key and scratch adds no side effect and still undoes the first run', async () => {
    const was = memberships(env);
    const key = 'step:add-rerun';
    const scratch = new MemoryScratch();
    const params = { user: EVE, group: ['VPN Users', 'Finance'] };
    await env.run(addToGroup, params, { key, scratch });
    const seq = env.ledgerSeq();
    const again = await env.run(addToGroup, params, { key, scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(again.result.alreadyDone, true);
    assert.deepEqual(again.result.skipped, []);
    await runUndo(env, 'add-to-group', params, again.result);
    assert.deepEqual(memberships(env), was);
  });

  test('under 503s at rate 0.3 each membership is added and removed once', async () => {
    const was = memberships(env);
    const seq = env.ledgerSeq();
    const params = { user: EVE, group: ['VPN Users', 'Sales Team', 'Finance', 'All Staff'] };
    injectFaults(env, 3);
    try {
      const { result } = await env.run(addToGroup, params);
      assert.deepEqual(groupsOf(env, EVE), ['All Staff', 'Finance', 'Sales Team', 'VPN Users']);
      await runUndo(env, 'add-to-group', params, result);
    } finally {
      clearFaults(env);
    }
    assert.ok(faultedWrites(env, seq) > 0, 'the faults hit at least one write');
    assert.equal(writeNames(env, seq).length, 8);
    assert.deepEqual(memberships(env), was);
  });
});
