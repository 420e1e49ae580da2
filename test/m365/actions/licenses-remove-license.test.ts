import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { removeLicense } from '../../../src/m365/actions/licenses/remove-license.action.ts';
import { startActionEnv, MemoryScratch, type ActionEnv } from '../action-harness.ts';
import {
  BEN, CARA, DAN, OLGA, PIA, SKU, TEAMS1, clearFaults, directorySeed, effectiveSkus, faultedWrites, injectFaults, licenceState, rejectsWith, runUndo, user, writeNames,
} from './directory-fixtures.ts';

describe('remove-license', () => {
  let env: ActionEnv;
  before(async () => { env = await startActionEnv({ seeds: [directorySeed()] }); });
  after(async () => { await env.close(); });

  test('a licence held only through a group is group_inherited_license, naming the group', async () => {
    const seq = env.ledgerSeq();
    const err = await rejectsWith(env.run(removeLicense, { user: BEN, sku: 'Visio' }), 'group_inherited_license');
    assert.match(err.message, /'Visio Users'/);
    assert.match(err.fix, /remove-from-group/);
    assert.deepEqual(err.details!.groups, ['Visio Users']);
    assert.deepEqual(writeNames(env, seq), []);
  });

  test('all removes every direct licence in one call; undo restores them with their disabled plans', async () => {
    const was = licenceState(env, OLGA);
    assert.deepEqual(was.direct.find((l) => l.skuId === SKU.O365E3)!.disabledPlans, [TEAMS1]);
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(removeLicense, { user: OLGA, all: true });
    const id = user(env, OLGA).id;
    assert.deepEqual(preview.calls.map((c) => `${c.method} ${c.target}`), [`POST /users/${id}/assignLicense`]);
    assert.deepEqual((preview.calls[0]!.body as { removeLicenses: string[] }).removeLicenses.sort(), [SKU.O365E3, SKU.PBI].sort());
    assert.deepEqual(preview.changes, [{ object: OLGA, field: 'licenses', before: ['ENTERPRISEPACK', 'POWER_BI_PRO'], after: [] }]);
    assert.ok(preview.warnings.some((w) => w.includes('loses Exchange Online')));
    assert.deepEqual(writeNames(env, seq), [`POST /users/${id}/assignLicense`]);
    assert.deepEqual(effectiveSkus(env, OLGA), preview.changes[0]!.after);
    const removed = result.before.removed as Array<{ skuPartNumber: string; disabledPlans: string[] }>;
    assert.deepEqual(removed.find((r) => r.skuPartNumber === 'ENTERPRISEPACK')!.disabledPlans, [TEAMS1]);

    const steps = await runUndo(env, 'remove-license', { user: OLGA, all: true }, result);
    assert.deepEqual(steps.map((s) => s.action), ['assign-license', 'assign-license']);
    assert.deepEqual(licenceState(env, OLGA), was);
  });

  test('without sku it removes the direct licences and lists inherited ones as skipped with the group', async () => {
    const was = licenceState(env, BEN);
    const { preview, result } = await env.run(removeLicense, { user: BEN });
    assert.deepEqual(preview.changes, [{ object: BEN, field: 'licenses', before: ['SPE_E3', 'VISIOCLIENT'], after: ['VISIOCLIENT'] }]);
    assert.deepEqual(preview.skipped.map((s) => [s.item, s.code]), [['VISIOCLIENT', 'group_inherited_license']]);
    assert.match(preview.skipped[0]!.reason, /'Visio Users'/);
    assert.deepEqual(effectiveSkus(env, BEN), ['VISIOCLIENT']);
    assert.deepEqual(result.outputs.skipped, [{ sku: 'VISIOCLIENT', reason: preview.skipped[0]!.reason }]);
    await runUndo(env, 'remove-license', { user: BEN }, result);
    assert.deepEqual(licenceState(env, BEN), was);
  });

  test('a licence held directly and through a group loses only the direct assignment', async () => {
    const was = licenceState(env, PIA);
    const { preview, result } = await env.run(removeLicense, { user: PIA, sku: 'Power BI' });
    // The licence in effect does not change, so the card shows the direct assignment going instead
    // of a "licenses: POWER_BI_PRO → POWER_BI_PRO" row that hides what the call does.
    assert.equal(preview.changes.find((c) => c.field === 'licenses'), undefined);
    assert.deepEqual(preview.changes.find((c) => c.field === 'directLicenses'), { object: PIA, field: 'directLicenses', before: ['POWER_BI_PRO'], after: [] });
    assert.match(preview.skipped[0]!.reason, /'BI Users'/);
    assert.match(preview.skipped[0]!.reason, /only the direct assignment is removed/);
    assert.ok(preview.warnings.some((w) => w.includes('keeps Power BI Pro')));
    assert.deepEqual(licenceState(env, PIA).direct, []);
    assert.deepEqual(effectiveSkus(env, PIA), ['POWER_BI_PRO']);
    await runUndo(env, 'remove-license', { user: PIA, sku: 'Power BI' }, result);
    assert.deepEqual(licenceState(env, PIA), was);
  });

  test('a licence the user does not have is alreadyDone with no call', async () => {
    const seq = env.ledgerSeq();
    const one = await env.run(removeLicense, { user: DAN, sku: 'POWER_BI_PRO' });
    const all = await env.run(removeLicense, { user: DAN, all: true });
    assert.equal(one.preview.alreadyDone, true);
    assert.equal(one.result.alreadyDone, true);
    assert.equal(all.result.alreadyDone, true);
    assert.deepEqual(writeNames(env, seq), []);
  });

  test('sku together with all is refused; an ambiguous sku lists the choices', async () => {
    await rejectsWith(env.run(removeLicense, { user: BEN, sku: 'SPE_E3', all: true }), 'invalid_parameter');
    const err = await rejectsWith(env.run(removeLicense, { user: BEN, sku: 'E3' }), 'ambiguous_value');
    assert.equal((err.details!.choices as unknown[]).length, 2);
  });

  test('the read-only app is told which permission is missing', async () => {
    const err = await rejectsWith(env.run(removeLicense, { user: CARA, sku: 'SPE_E3' }, { app: 'readonly' }), 'missing_permission');
    assert.match(err.message, /LicenseAssignment\.ReadWrite\.All/);
  });

  test('a re-run with the same key and scratch adds no side effect and still undoes the first run', async () => {
    const was = licenceState(env, CARA);
    const key = 'step:remove-rerun';
    const scratch = new MemoryScratch();
    await env.run(removeLicense, { user: CARA, sku: 'SPE_E3' }, { key, scratch });
    const seq = env.ledgerSeq();
    const again = await env.run(removeLicense, { user: CARA, sku: 'SPE_E3' }, { key, scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(again.result.alreadyDone, true);
    await runUndo(env, 'remove-license', { user: CARA, sku: 'SPE_E3' }, again.result);
    assert.deepEqual(licenceState(env, CARA), was);
  });

  test('under 503s at rate 0.3 the licences are removed and restored once each', async () => {
    const was = licenceState(env, OLGA);
    const seq = env.ledgerSeq();
    injectFaults(env, 5);
    try {
      const { result } = await env.run(removeLicense, { user: OLGA, all: true });
      assert.deepEqual(effectiveSkus(env, OLGA), []);
      await runUndo(env, 'remove-license', { user: OLGA, all: true }, result);
    } finally {
      clearFaults(env);
    }
    assert.ok(faultedWrites(env, seq) > 0, 'the faults hit at least one write');
    assert.deepEqual(licenceState(env, OLGA), was);
    assert.equal(writeNames(env, seq).length, 3, 'one removal, two assignments');
  });
});
