import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createGroup } from '../../../src/m365/actions/groups/create-group.action.ts';
import { startActionEnv, MemoryScratch, type ActionEnv } from '../action-harness.ts';
import { AVA, BEN, CARA, D, clearFaults, directorySeed, faultedWrites, injectFaults, rejectsWith, user, writeNames } from './directory-fixtures.ts';

describe('create-group', () => {
  let env: ActionEnv;
  before(async () => { env = await startActionEnv({ seeds: [directorySeed()] }); });
  after(async () => { await env.close(); });

  const named = (name: string) => env.tenant().data.groups.filter((g) => g.displayName === name);

  test('creates a security group with owners and members in one request; preview matches the group', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(createGroup, { name: 'Project Falcon', description: 'Falcon team', owners: [AVA], members: [BEN, CARA] });
    assert.deepEqual(writeNames(env, seq), ['POST /groups']);
    const body = preview.calls[0]!.body as Record<string, unknown>;
    assert.deepEqual(body['owners@odata.bind'], [`https://graph.microsoft.com/v1.0/directoryObjects/${user(env, AVA).id}`]);
    assert.equal((body['members@odata.bind'] as string[]).length, 2);
    const [g] = named('Project Falcon');
    assert.ok(g);
    assert.equal(result.outputs.groupId, g.id);
    assert.equal(g.securityEnabled, true);
    assert.equal(g.mailEnabled, false);
    assert.equal(g.description, 'Falcon team');
    const upns = (ids: string[]) => ids.map((id) => env.tenant().user(id)!.userPrincipalName).sort();
    const after = Object.fromEntries(preview.changes.map((c) => [c.field, c.after]));
    assert.deepEqual(after, { kind: 'security', mailNickname: g.mailNickname, owners: upns(g.ownerIds), members: upns(g.memberIds) });
    assert.deepEqual(upns(g.memberIds), [BEN, CARA]);
  });

  test('creates a Microsoft 365 group whose address comes from the name', async () => {
    const { result } = await env.run(createGroup, { name: 'Marketing Hub', kind: 'microsoft365', owners: [CARA] });
    const [g] = named('Marketing Hub');
    assert.ok(g);
    assert.deepEqual(g.groupTypes, ['Unified']);
    assert.equal(g.mailNickname, 'MarketingHub');
    assert.equal(result.outputs.mail, g.mail);
    assert.match(String(g.mail), /^marketinghub@/i);
  });

  test('a display name in use is a conflict; a taken alias is a conflict when given, and avoided when derived', async () => {
    const seq = env.ledgerSeq();
    const dup = await rejectsWith(env.run(createGroup, { name: 'VPN Users' }), 'conflict');
    assert.equal(dup.param, 'name');
    const alias = await rejectsWith(env.run(createGroup, { name: 'Sales Crew', kind: 'microsoft365', mailNickname: 'SalesTeam', owners: [CARA] }), 'conflict');
    assert.equal(alias.param, 'mailNickname');
    assert.deepEqual(writeNames(env, seq), []);
    const { result } = await env.run(createGroup, { name: 'Sales Team!', kind: 'microsoft365', owners: [CARA] });
    assert.equal(result.outputs.mailNickname, 'SalesTeam2');
  });

  test('an unknown member names the closest users; a Microsoft 365 group without owner is warned about', async () => {
    const err = await rejectsWith(env.run(createGroup, { name: 'Typos', members: [`ben.mille@${D}`] }), 'unknown_user');
    assert.equal(err.param, 'members');
    assert.ok((err.details!.suggestions as string[]).includes(BEN));
    const v = await createGroup.validate(env.context(), { name: 'Ownerless', kind: 'microsoft365' });
    assert.ok(v.warnings.some((w) => w.includes('no owner')));
  });

  test('the read-only app is told which permission is missing', async () => {
    const err = await rejectsWith(env.run(createGroup, { name: 'Nope' }, { app: 'readonly' }), 'missing_permission');
    assert.match(err.message, /Group\.Create/);
    assert.deepEqual(named('Nope'), []);
  });

  test('a re-run with the same key and scratch finds its group and adds nothing, even if the id was never stored', async () => {
    const key = 'step:create-rerun';
    const scratch = new MemoryScratch();
    const first = await env.run(createGroup, { name: 'Rerun Group', members: [BEN] }, { key, scratch });
    const seq = env.ledgerSeq();
    const again = await env.run(createGroup, { name: 'Rerun Group', members: [BEN] }, { key, scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(again.preview.alreadyDone, true);
    assert.equal(again.result.alreadyDone, true);
    assert.equal(again.result.outputs.groupId, first.result.outputs.groupId);
    // A crash between the create call and storing its answer: only the send time is in scratch.
    scratch.values.delete('groupId');
    const recovered = await env.run(createGroup, { name: 'Rerun Group', members: [BEN] }, { key, scratch });
    assert.equal(recovered.result.alreadyDone, true);
    assert.equal(recovered.result.outputs.groupId, first.result.outputs.groupId);
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(named('Rerun Group').length, 1);
    // Another step (a new scratch) asking for the same name is a conflict, not a re-run.
    await rejectsWith(env.run(createGroup, { name: 'Rerun Group' }), 'conflict');
  });

  test('is irreversible, saying how to remove the group', () => {
    assert.equal(createGroup.undo.reversible, false);
    assert.match((createGroup.undo as { reason: string }).reason, /Delete the group in the admin centre/);
  });

  test('under 503s at rate 0.3 exactly one group is created', async () => {
    const seq = env.ledgerSeq();
    injectFaults(env, 7);
    try {
      await env.run(createGroup, { name: 'Faulty Weather', owners: [AVA], members: [BEN] });
    } finally {
      clearFaults(env);
    }
    assert.ok(faultedWrites(env, seq) > 0, 'the faults hit the create');
    assert.deepEqual(writeNames(env, seq), ['POST /groups']);
    assert.equal(named('Faulty Weather').length, 1);
  });
});
