// update-user against the emulator: only differing attributes are sent, the old values are kept
// for undo (nulls and the manager included), and a synced user's AD-mastered fields are refused.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { updateUser } from '../../../src/m365/actions/account/update-user.action.ts';
import type { EmuUser } from '../../../src/emulator/state/model.ts';
import { MemoryScratch, startActionEnv, type ActionEnv } from '../action-harness.ts';
import { AVA, BEN, CARA, SAM, accountSeed, clearFaults, rejectsWith, runUndo, snapshot, underFaults, user, writeNames } from './account-fixtures.ts';

let env: ActionEnv;
let benOriginal: EmuUser;
before(async () => {
  env = await startActionEnv({ seeds: [accountSeed()] });
  benOriginal = snapshot(env, BEN);
});
after(async () => {
  await env.close();
});
beforeEach(() => {
  clearFaults(env);
  Object.assign(user(env, BEN), structuredClone(benOriginal));
});

/** A preview field's value on the user now (manager as its UPN). */
function liveField(upn: string, field: string): unknown {
  const u = user(env, upn);
  if (field === 'manager') return u.managerId ? env.tenant().user(u.managerId)?.userPrincipalName ?? null : null;
  return (u as unknown as Record<string, unknown>)[field];
}

describe('update-user', () => {
  test('sends only the attributes that differ, and the preview shows exactly the new state', async () => {
    const seq = env.ledgerSeq();
    const params = {
      user: BEN, department: 'Sales', jobTitle: 'Sales Director', officeLocation: 'Berlin 3.14', mobilePhone: '+49 30 1234567',
      employeeHireDate: '2023-02-01', employeeLeaveDateTime: '2031-06-30T17:00:00Z', manager: CARA,
    };
    const { preview, result } = await env.run(updateUser, params);
    const u = user(env, BEN);
    assert.deepEqual(writeNames(env, seq), [`PATCH /users/${u.id}`, `PUT /users/${u.id}/manager/$ref`]);
    // Department and hire date already held these values, so they are neither sent nor shown.
    assert.deepEqual(preview.calls[0]!.body, { jobTitle: 'Sales Director', officeLocation: 'Berlin 3.14', mobilePhone: '+49 30 1234567', employeeLeaveDateTime: '2031-06-30T17:00:00Z' });
    assert.deepEqual(preview.changes.map((c) => c.field), ['jobTitle', 'officeLocation', 'mobilePhone', 'employeeLeaveDateTime', 'manager']);
    for (const c of preview.changes) assert.deepEqual(c.after, liveField(BEN, c.field), c.field);
    assert.deepEqual(result.before, { values: { jobTitle: 'Account Executive', officeLocation: null, mobilePhone: null, employeeLeaveDateTime: null, manager: AVA } });
    assert.deepEqual(result.outputs.changed, ['jobTitle', 'officeLocation', 'mobilePhone', 'employeeLeaveDateTime', 'manager']);
  });

  test('undo puts every old value back, nulls and manager included', async () => {
    const beforeState = snapshot(env, BEN);
    const params = { user: BEN, displayName: 'Benjamin Miller', givenName: 'Benjamin', city: 'Leeds', country: 'United Kingdom', companyName: 'Tailspin', usageLocation: 'GB', employeeLeaveDateTime: '2031-01-31', manager: CARA };
    const { result } = await env.run(updateUser, params);
    assert.equal(user(env, BEN).city, 'Leeds');
    const steps = await runUndo(env, 'update-user', params, result);
    assert.equal(steps.length, 1);
    assert.equal(steps[0]!.action, 'update-user');
    assert.deepEqual(snapshot(env, BEN), beforeState);
  });

  test('null clears an attribute and removes the manager, and undo restores them', async () => {
    const beforeState = snapshot(env, BEN);
    const seq = env.ledgerSeq();
    const params = { user: BEN, jobTitle: null, manager: null };
    const { preview, result } = await env.run(updateUser, params);
    const u = user(env, BEN);
    assert.equal(u.jobTitle, null);
    assert.equal(u.managerId, null);
    assert.deepEqual(writeNames(env, seq), [`PATCH /users/${u.id}`, `DELETE /users/${u.id}/manager/$ref`]);
    assert.deepEqual(preview.changes.map((c) => [c.field, c.before, c.after]), [['jobTitle', 'Account Executive', null], ['manager', AVA, null]]);
    await runUndo(env, 'update-user', params, result);
    assert.deepEqual(snapshot(env, BEN), beforeState);
  });

  test('values already in place are alreadyDone with no write and nothing to undo', async () => {
    const seq = env.ledgerSeq();
    const params = { user: BEN, department: 'Sales', usageLocation: 'us', manager: AVA, employeeHireDate: '2023-02-01T00:00:00Z' };
    const { preview, result } = await env.run(updateUser, params);
    assert.equal(preview.alreadyDone, true);
    assert.deepEqual(preview.calls, []);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(env.writesSince(seq), []);
    assert.deepEqual(await runUndo(env, 'update-user', params, result), []);
  });

  test('a re-run after a crash writes nothing, reports alreadyDone, and its undo still restores', async () => {
    const beforeState = snapshot(env, BEN);
    const scratch = new MemoryScratch();
    const params = { user: BEN, department: 'Marketing', manager: CARA };
    await env.run(updateUser, params, { key: 'step:update-ben', scratch });
    const seq = env.ledgerSeq();
    const again = await env.run(updateUser, params, { key: 'step:update-ben', scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(again.result.alreadyDone, true);
    assert.deepEqual(again.result.before, { values: { department: 'Sales', manager: AVA } });
    await runUndo(env, 'update-user', params, again.result);
    assert.deepEqual(snapshot(env, BEN), beforeState);
  });

  test('a synced user: AD-mastered fields are refused, cloud-mastered ones change', async () => {
    const err = await rejectsWith(env.run(updateUser, { user: SAM, department: 'Ops', jobTitle: 'Admin', usageLocation: 'DE' }), 'synced_object');
    assert.match(err.message, /department, jobTitle/);
    assert.match(err.fix, /on-premises Active Directory/);
    assert.equal(user(env, SAM).department, 'IT');
    await rejectsWith(env.run(updateUser, { user: SAM, manager: AVA }), 'synced_object');
    await env.run(updateUser, { user: SAM, usageLocation: 'DE', employeeLeaveDateTime: '2030-12-31' });
    assert.equal(user(env, SAM).usageLocation, 'DE');
    assert.equal(user(env, SAM).employeeLeaveDateTime, '2030-12-31T00:00:00Z');
  });

  test('validation: no attribute, own manager, unknown manager, bad values, unknown parameters, missing permission', async () => {
    const none = await rejectsWith(env.run(updateUser, { user: BEN }), 'missing_parameter');
    assert.match(none.fix, /department/);
    const self = await rejectsWith(env.run(updateUser, { user: BEN, manager: BEN }), 'invalid_parameter');
    assert.equal(self.param, 'manager');
    const unknown = await rejectsWith(env.run(updateUser, { user: BEN, manager: 'cara.dias@tailspin.com' }), 'unknown_user');
    assert.equal(unknown.param, 'manager');
    assert.ok((unknown.details?.suggestions as string[]).includes(CARA));
    await rejectsWith(env.run(updateUser, { user: BEN, employeeHireDate: 'next tuesday' }), 'invalid_parameter');
    const loc = await rejectsWith(env.run(updateUser, { user: BEN, usageLocation: 'Germany' }), 'invalid_parameter');
    assert.match(loc.fix, /two-letter/);
    await rejectsWith(env.run(updateUser, { user: BEN, department: 'x'.repeat(65) }), 'invalid_parameter');
    await rejectsWith(env.run(updateUser, { user: BEN, favouriteColour: 'blue' }), 'unknown_parameter');
    await rejectsWith(env.run(updateUser, { user: 'nobody@tailspin.com', department: 'x' }), 'unknown_user');
    const seq = env.ledgerSeq();
    const perm = await rejectsWith(env.run(updateUser, { user: BEN, department: 'Ops' }, { app: 'readonly' }), 'missing_permission');
    assert.match(perm.message, /User\.ReadWrite\.All/);
    assert.deepEqual(env.writesSince(seq), []);
    assert.deepEqual(snapshot(env, BEN), benOriginal);
  });

  test('under injected faults each change is written once', async () => {
    await underFaults(env, [701, 702, 703, 704], async (seed) => {
      Object.assign(user(env, BEN), structuredClone(benOriginal));
      const seq = env.ledgerSeq();
      await env.run(updateUser, { user: BEN, department: `Dept ${seed}`, manager: CARA });
      assert.equal(env.writesSince(seq).length, 2);
      assert.equal(user(env, BEN).department, `Dept ${seed}`);
      assert.equal(user(env, BEN).managerId, user(env, CARA).id);
    });
  });
});
