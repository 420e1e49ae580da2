import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { swapLicense } from '../../../src/m365/actions/licenses/swap-license.action.ts';
import { startActionEnv, MemoryScratch, type ActionEnv } from '../action-harness.ts';
import {
  AVA, BEN, DAN, OLGA, SKU, TEAMS1, clearFaults, directorySeed, effectiveSkus, faultedWrites, injectFaults, licenceState, rejectsWith, runUndo, user, writeNames,
} from './directory-fixtures.ts';

describe('swap-license', () => {
  let env: ActionEnv;
  before(async () => { env = await startActionEnv({ seeds: [directorySeed()] }); });
  after(async () => { await env.close(); });

  test('adds and removes in one assignLicense call; undo swaps back exactly', async () => {
    const was = licenceState(env, AVA);
    const seq = env.ledgerSeq();
    const params = { user: AVA, fromSku: 'Microsoft 365 E3', toSku: 'Office 365 E3' };
    const { preview, result } = await env.run(swapLicense, params);
    const id = user(env, AVA).id;
    assert.deepEqual(preview.calls.map((c) => [c.method, c.target, c.body]), [
      ['POST', `/users/${id}/assignLicense`, { addLicenses: [{ skuId: SKU.O365E3, disabledPlans: [] }], removeLicenses: [SKU.M365E3] }],
    ]);
    assert.deepEqual(preview.changes, [{ object: AVA, field: 'licenses', before: ['SPE_E3'], after: ['ENTERPRISEPACK'] }]);
    // One write: the user is never without a licence in between.
    assert.deepEqual(writeNames(env, seq), [`POST /users/${id}/assignLicense`]);
    assert.deepEqual(effectiveSkus(env, AVA), preview.changes[0]!.after);
    assert.deepEqual(result.outputs, { userId: id, userPrincipalName: AVA, fromSku: 'SPE_E3', toSku: 'ENTERPRISEPACK', disabledPlans: [] });

    const steps = await runUndo(env, 'swap-license', params, result);
    assert.deepEqual(steps, [{ action: 'swap-license', params: { user: AVA, fromSku: 'ENTERPRISEPACK', toSku: 'SPE_E3', disabledPlans: [] } }]);
    assert.deepEqual(licenceState(env, AVA), was);
  });

  test('undo gives the old licence back with the plans it had switched off', async () => {
    const was = licenceState(env, OLGA);
    const { result } = await env.run(swapLicense, { user: OLGA, fromSku: 'ENTERPRISEPACK', toSku: 'SPE_E3' });
    assert.deepEqual(effectiveSkus(env, OLGA), ['POWER_BI_PRO', 'SPE_E3']);
    await runUndo(env, 'swap-license', { user: OLGA, fromSku: 'ENTERPRISEPACK', toSku: 'SPE_E3' }, result);
    assert.deepEqual(licenceState(env, OLGA), was);
    assert.deepEqual(licenceState(env, OLGA).direct.find((l) => l.skuId === SKU.O365E3)!.disabledPlans, [TEAMS1]);
  });

  test('validation: no free unit of the new licence, an inherited old one, nothing to swap, the same licence twice, "E3"', async () => {
    const seq = env.ledgerSeq();
    const full = await rejectsWith(env.run(swapLicense, { user: AVA, fromSku: 'SPE_E3', toSku: 'Visio' }), 'no_free_licenses');
    assert.equal(full.param, 'toSku');
    const inherited = await rejectsWith(env.run(swapLicense, { user: BEN, fromSku: 'Visio', toSku: 'Power BI' }), 'group_inherited_license');
    assert.equal(inherited.param, 'fromSku');
    assert.match(inherited.message, /'Visio Users'/);
    await rejectsWith(env.run(swapLicense, { user: DAN, fromSku: 'Power BI', toSku: 'SPE_E3' }), 'invalid_state');
    await rejectsWith(env.run(swapLicense, { user: AVA, fromSku: 'SPE_E3', toSku: 'Microsoft 365 E3' }), 'invalid_parameter');
    const ambiguous = await rejectsWith(env.run(swapLicense, { user: AVA, fromSku: 'E3', toSku: 'Power BI' }), 'ambiguous_value');
    assert.equal(ambiguous.param, 'fromSku');
    assert.deepEqual(writeNames(env, seq), []);
  });

  test('the read-only app is told which permission is missing', async () => {
    const err = await rejectsWith(env.run(swapLicense, { user: AVA, fromSku: 'SPE_E3', toSku: 'Power BI' }, { app: 'readonly' }), 'missing_permission');
    assert.match(err.message, /LicenseAssignment\.ReadWrite\.All/);
  });

  test('a re-run with the same key and scratch adds no side effect and still undoes the first run', async () => {
    const was = licenceState(env, AVA);
    const key = 'step:swap-rerun';
    const scratch = new MemoryScratch();
    const params = { user: AVA, fromSku: 'SPE_E3', toSku: 'POWER_BI_PRO' };
    await env.run(swapLicense, params, { key, scratch });
    const seq = env.ledgerSeq();
    const again = await env.run(swapLicense, params, { key, scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(again.preview.alreadyDone, true);
    assert.equal(again.result.alreadyDone, true);
    await runUndo(env, 'swap-license', params, again.result);
    assert.deepEqual(licenceState(env, AVA), was);
  });

  test('under 429s at rate 0.3 the swap and its undo each happen once', async () => {
    const was = licenceState(env, AVA);
    const seq = env.ledgerSeq();
    injectFaults(env, 5, 429);
    try {
      const params = { user: AVA, fromSku: 'SPE_E3', toSku: 'ENTERPRISEPACK' };
      const { result } = await env.run(swapLicense, params);
      assert.deepEqual(effectiveSkus(env, AVA), ['ENTERPRISEPACK']);
      await runUndo(env, 'swap-license', params, result);
    } finally {
      clearFaults(env);
    }
    assert.ok(faultedWrites(env, seq) > 0, 'the faults hit at least one write');
    assert.equal(writeNames(env, seq).length, 2);
    assert.deepEqual(licenceState(env, AVA), was);
  });
});
