import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { removeFromGroup } from '../../../src/m365/actions/groups/remove-from-group.action.ts';
import { startActionEnv, MemoryScratch, type ActionEnv } from '../action-harness.ts';
import {
  BEN, CARA, DAN, SAM, clearFaults, directorySeed, effectiveSkus, faultedWrites, group, groupsOf, injectFaults, memberships, rejectsWith, runUndo, user, writeNames,
} from './directory-fixtures.ts';

describe('remove-from-group', () => {
  let env: ActionEnv;
  before(async () => { env = await startActionEnv({ seeds: [directorySeed()] }); });
  after(async () => { await env.close(); });

  test('all: leaves every editable group through its own surface, skips the dynamic one, warns of the lost licence; undo restores', async () => {
    const was = memberships(env);
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(removeFromGroup, { user: BEN, all: true });
    const uid = user(env, BEN).id;
    const [sales, vpn, visio, staff] = ['Sales Team', 'VPN Users', 'Visio Users', 'All Staff'].map((n) => group(env, n));
    assert.deepEqual(env.writesSince(seq).map((w) => [w.surface, w.cmdlet ?? `${w.method} ${w.path}`]).sort(), [
      ['exchange', 'Remove-DistributionGroupMember'],
      ['graph', `DELETE /groups/${sales!.id}/members/${uid}/$ref`],
      ['graph', `DELETE /groups/${visio!.id}/members/${uid}/$ref`],
      ['graph', `DELETE /groups/${vpn!.id}/members/${uid}/$ref`],
    ].sort());
    const exo = preview.calls.find((c) => c.surface === 'exchange')!;
    assert.deepEqual(exo.body, { Identity: staff!.id, Member: BEN, BypassSecurityGroupManagerCheck: true });
    assert.deepEqual(preview.skipped.map((s) => [s.item, s.code]), [['Sales Dynamic', 'group_not_editable']]);
    assert.ok(preview.warnings.some((w) => w.includes("'Visio Users'") && w.includes('loses VISIOCLIENT')));
    for (const c of preview.changes) assert.equal(groupsOf(env, BEN).includes(c.object), c.after, c.object);
    assert.deepEqual(groupsOf(env, BEN), []);
    assert.deepEqual(effectiveSkus(env, BEN), ['SPE_E3']);
    assert.deepEqual((result.before.removed as Array<{ displayName: string; kind: string }>).map((g) => [g.displayName, g.kind]).sort(), [
      ['All Staff', 'distribution'], ['Sales Team', 'microsoft365'], ['VPN Users', 'security'], ['Visio Users', 'security'],
    ]);

    const undoSeq = env.ledgerSeq();
    await runUndo(env, 'remove-from-group', { user: BEN, all: true }, result);
    assert.deepEqual(env.writesSince(undoSeq).filter((w) => w.surface === 'exchange').map((w) => w.cmdlet), ['Add-DistributionGroupMember']);
    assert.deepEqual(memberships(env), was);
    assert.deepEqual(effectiveSkus(env, BEN), ['SPE_E3', 'VISIOCLIENT']);
  });

  test('named groups: a group the user is not in is alreadyDone with no call', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(removeFromGroup, { user: DAN, group: 'VPN Users' });
    assert.equal(preview.alreadyDone, true);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(preview.skipped.map((s) => s.item), ['VPN Users']);
    assert.deepEqual(writeNames(env, seq), []);
  });

  test('naming a dynamic or synced group is group_not_editable; all skips them instead', async () => {
    const dyn = await rejectsWith(env.run(removeFromGroup, { user: CARA, group: 'Sales Dynamic' }), 'group_not_editable');
    assert.match(dyn.message, /rule/);
    const synced = await rejectsWith(env.run(removeFromGroup, { user: SAM, group: 'AD Admins' }), 'group_not_editable');
    assert.match(synced.message, /on-premises Active Directory/);
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(removeFromGroup, { user: SAM });
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(preview.skipped.map((s) => [s.item, s.code]), [['AD Admins', 'group_not_editable']]);
    assert.deepEqual(writeNames(env, seq), []);
    assert.deepEqual(groupsOf(env, SAM), ['AD Admins']);
  });

  test('the read-only app is told which permission is missing', async () => {
    const err = await rejectsWith(env.run(removeFromGroup, { user: CARA, group: 'Sales Team' }, { app: 'readonly' }), 'missing_permission');
    assert.match(err.message, /GroupMember\.ReadWrite\.All/);
  });

  test('a re-run with the same key and scratch adds no side effect and still undoes the first run', async () => {
    const was = memberships(env);
    const key = 'step:remove-groups-rerun';
    const scratch = new MemoryScratch();
    const params = { user: CARA, group: ['Sales Team', 'All Staff'] };
    await env.run(removeFromGroup, params, { key, scratch });
    const seq = env.ledgerSeq();
    const again = await env.run(removeFromGroup, params, { key, scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(again.result.alreadyDone, true);
    assert.deepEqual(again.result.skipped, [], 'groups the first attempt left are not reported as skipped');
    await runUndo(env, 'remove-from-group', params, again.result);
    assert.deepEqual(memberships(env), was);
  });

  test('under 429s at rate 0.3 each membership is removed and restored once', async () => {
    const was = memberships(env);
    const seq = env.ledgerSeq();
    injectFaults(env, 1, 429);
    try {
      const { result } = await env.run(removeFromGroup, { user: BEN });
      assert.deepEqual(groupsOf(env, BEN), []);
      await runUndo(env, 'remove-from-group', { user: BEN }, result);
    } finally {
      clearFaults(env);
    }
    assert.ok(faultedWrites(env, seq) > 0, 'the faults hit at least one write');
    assert.equal(writeNames(env, seq).length, 8);
    assert.deepEqual(memberships(env), was);
  });
});
