// The group actions with members that are not users: nested groups (removing a user does not
// take them out of a group they are in through another group, and the card says so) and mail
// contacts (listed as contacts, not as users).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listGroupMembers } from '../../../src/m365/actions/groups/list-group-members.action.ts';
import { removeFromGroup } from '../../../src/m365/actions/groups/remove-from-group.action.ts';
import { makeContact, makeGroup } from '../../../src/emulator/seed/builders.ts';
import type { SeedFile } from '../../../src/emulator/state/model.ts';
import { startActionEnv, type ActionEnv } from '../action-harness.ts';
import { CARA, D, SAM, directorySeed, group, groupsOf, runUndo, user, writeNames } from './directory-fixtures.ts';

/**
 * The directory fixture plus 'Helpdesk' (Cara) and the AD-synced 'AD Admins' (Sam) nested in
 * 'VPN Users', and a supplier's mail contact in 'VPN Users' and 'All Staff'.
 */
function nestedSeed(): SeedFile {
  const seed = directorySeed();
  const t = seed.tenants[0]!;
  const cara = t.users.find((u) => u.userPrincipalName === CARA)!;
  const helpdesk = makeGroup('tailspin', { displayName: 'Helpdesk', kind: 'security', domain: D, memberIds: [cara.id] });
  const vic = makeContact('tailspin', { displayName: 'Vic Vendor', mail: 'vic@partner.example', alias: 'VicVendor' });
  t.groups.push(helpdesk);
  t.orgContacts = [vic];
  const adAdmins = t.groups.find((g) => g.displayName === 'AD Admins')!;
  t.groups.find((g) => g.displayName === 'VPN Users')!.memberIds.push(helpdesk.id, adAdmins.id, vic.id);
  t.groups.find((g) => g.displayName === 'All Staff')!.memberIds.push(vic.id);
  return seed;
}

type Member = { id: string; type: string; userPrincipalName: string | null; displayName: string | null; mail: string | null };

describe('group actions with nested groups and mail contacts', () => {
  let env: ActionEnv;
  before(async () => { env = await startActionEnv({ seeds: [nestedSeed()] }); });
  after(async () => { await env.close(); });

  test('list-group-members labels users, nested groups and contacts as what they are', async () => {
    const { result } = await env.run(listGroupMembers, { group: 'VPN Users' });
    const members = result.outputs.members as Member[];
    assert.deepEqual(members.map((m) => [m.displayName, m.type]), [
      ['AD Admins', 'group'], ['Ava Boss', 'user'], ['Ben Miller', 'user'], ['Helpdesk', 'group'], ['Vic Vendor', 'orgContact'],
    ]);
    const vic = members.find((m) => m.type === 'orgContact')!;
    assert.equal(vic.mail, 'vic@partner.example');
    assert.equal(vic.userPrincipalName, null);
    assert.ok(members.filter((m) => m.type === 'group').every((m) => m.userPrincipalName === null && m.id === group(env, m.displayName!).id));
    assert.deepEqual(result.outputs.counts, { users: 2, groups: 2, contacts: 1, other: 0 });
    assert.equal(result.outputs.count, 5);
    assert.match(result.summary, /5 members \(2 users, 2 nested groups and 1 mail contact\)/);
    assert.match(result.summary, /Members of nested groups are members too/);
  });

  test('list-group-members with an app that may not read contacts still says it is a contact', async () => {
    const { result } = await env.run(listGroupMembers, { group: 'All Staff' }, { app: 'readonly' });
    const contact = (result.outputs.members as Member[]).find((m) => m.type === 'orgContact');
    assert.ok(contact, 'the contact is listed');
    assert.equal(contact.displayName, null, 'Graph withholds its properties');
    assert.equal((result.outputs.counts as { contacts: number }).contacts, 1);
    assert.equal((result.outputs.counts as { users: number }).users, 4);
  });

  test('all: a group reached through a group that stays is skipped, naming the group to remove them from', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(removeFromGroup, { user: SAM, all: true });
    assert.deepEqual(preview.skipped.map((s) => s.item).sort(), ['AD Admins', 'VPN Users']);
    const nested = preview.skipped.find((s) => s.item === 'VPN Users')!;
    assert.equal(nested.reason, `${SAM} is a member through 'AD Admins'; remove them from 'AD Admins' instead.`);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual((result.outputs.skipped as Array<{ group: string }>).map((s) => s.group).sort(), ['AD Admins', 'VPN Users']);
    assert.deepEqual(writeNames(env, seq), []);
    assert.doesNotMatch(result.summary, /in no group/);
    assert.deepEqual(groupsOf(env, SAM), ['AD Admins']);
  });

  test('named: removing a user from a group they are in only through another group is a skip, not a claim', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(removeFromGroup, { user: CARA, group: 'VPN Users' });
    assert.deepEqual(preview.calls, []);
    assert.deepEqual(preview.skipped.map((s) => [s.item, s.reason]), [['VPN Users', `${CARA} is a member through 'Helpdesk'; remove them from 'Helpdesk' instead.`]]);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(writeNames(env, seq), []);
    assert.ok(group(env, 'Helpdesk').memberIds.includes(user(env, CARA).id), 'the nested membership is untouched');
  });

  test('all: leaving the nested group also leaves the outer one, and the card says so; undo restores', async () => {
    const seq = env.ledgerSeq();
    const params = { user: CARA, all: true };
    const { preview, result } = await env.run(removeFromGroup, params);
    const helpdesk = group(env, 'Helpdesk');
    assert.ok(writeNames(env, seq).includes(`DELETE /groups/${helpdesk.id}/members/${user(env, CARA).id}/$ref`));
    assert.ok(!preview.skipped.some((s) => s.item === 'VPN Users'), 'not a skip: the user leaves it with Helpdesk');
    assert.ok(preview.warnings.includes(`${CARA} also leaves 'VPN Users', which they are in only through 'Helpdesk'.`));
    assert.deepEqual(groupsOf(env, CARA), []);
    assert.ok((result.outputs.removed as Array<{ displayName: string }>).some((g) => g.displayName === 'Helpdesk'));
    await runUndo(env, 'remove-from-group', params, result);
    assert.ok(group(env, 'Helpdesk').memberIds.includes(user(env, CARA).id));
  });
});
