import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assignLicense } from '../../../src/m365/actions/licenses/assign-license.action.ts';
import { startActionEnv, MemoryScratch, type ActionEnv } from '../action-harness.ts';
import {
  AVA, BEN, CARA, DAN, EVE, SKU, clearFaults, directorySeed, effectiveSkus, faultedWrites, injectFaults, licenceState, rejectsWith, runUndo, undoSteps, user, writeNames,
} from './directory-fixtures.ts';

const SEED_503 = 3;
const SEED_429 = 23;
const BI_PLAN = '70d33638-9c74-4d01-bfd3-562de28bd4ba';

describe('assign-license', () => {
  let env: ActionEnv;
  before(async () => { env = await startActionEnv({ seeds: [directorySeed()] }); });
  after(async () => { await env.close(); });

  test('assigns by friendly name, previews exactly what happens, and undo restores the user', async () => {
    const was = licenceState(env, CARA);
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(assignLicense, { user: CARA, sku: 'Power BI' });
    assert.equal(preview.alreadyDone, false);
    assert.deepEqual(preview.calls.map((c) => `${c.method} ${c.target}`), [`POST /users/${user(env, CARA).id}/assignLicense`]);
    assert.deepEqual(preview.calls[0]!.body, { addLicenses: [{ skuId: SKU.PBI, disabledPlans: [] }], removeLicenses: [] });
    // Preview's after-state is the state execute leaves.
    const lic = preview.changes.find((c) => c.field === 'licenses')!;
    assert.deepEqual(lic.before, ['SPE_E3']);
    assert.deepEqual(lic.after, effectiveSkus(env, CARA));
    assert.deepEqual(effectiveSkus(env, CARA), ['POWER_BI_PRO', 'SPE_E3']);
    assert.deepEqual(writeNames(env, seq), [`POST /users/${user(env, CARA).id}/assignLicense`]);
    assert.equal(result.outputs.skuPartNumber, 'POWER_BI_PRO');
    assert.equal(result.outputs.usageLocation, 'GB');
    assert.equal(result.alreadyDone, false);

    const steps = await runUndo(env, 'assign-license', { user: CARA, sku: 'Power BI' }, result);
    assert.deepEqual(steps.map((s) => s.action), ['remove-license']);
    assert.deepEqual(licenceState(env, CARA), was);
  });

  test('sets the tenant default usage location first, shows the PATCH, and undo clears it again', async () => {
    const was = licenceState(env, DAN);
    assert.equal(was.usageLocation, null);
    const seq = env.ledgerSeq();
    const params = { user: DAN, sku: 'POWER_BI_PRO' };
    const { preview, result } = await env.run(assignLicense, params);
    const id = user(env, DAN).id;
    assert.deepEqual(preview.calls.map((c) => `${c.method} ${c.target}`), [`PATCH /users/${id}`, `POST /users/${id}/assignLicense`]);
    assert.deepEqual(preview.calls[0]!.body, { usageLocation: 'US' });
    assert.deepEqual(preview.changes.find((c) => c.field === 'usageLocation'), { object: DAN, field: 'usageLocation', before: null, after: 'US' });
    assert.ok(preview.warnings.some((w) => w.includes('tenant default US')));
    assert.deepEqual(writeNames(env, seq), [`PATCH /users/${id}`, `POST /users/${id}/assignLicense`]);
    assert.equal(user(env, DAN).usageLocation, 'US');
    assert.deepEqual(effectiveSkus(env, DAN), ['POWER_BI_PRO']);
    assert.deepEqual(result.before, { skuId: SKU.PBI, skuPartNumber: 'POWER_BI_PRO', change: 'added', previousDisabledPlans: null, usageLocationBefore: null, usageLocationSet: 'US' });

    const steps = await runUndo(env, 'assign-license', params, result);
    assert.deepEqual(steps, [
      { action: 'remove-license', params: { user: DAN, sku: 'POWER_BI_PRO' } },
      { action: 'update-user', params: { user: DAN, usageLocation: null } },
    ]);
    assert.deepEqual(licenceState(env, DAN), was);
  });

  test('a usageLocation parameter is used for a user without one', async () => {
    const { result } = await env.run(assignLicense, { user: DAN, sku: 'Power BI Pro', usageLocation: 'de' });
    assert.equal(user(env, DAN).usageLocation, 'DE');
    assert.equal(result.outputs.usageLocation, 'DE');
    await runUndo(env, 'assign-license', { user: DAN, sku: 'Power BI Pro' }, result);
    assert.equal(user(env, DAN).usageLocation, null);
  });

  test('no usage location and no tenant default is usage_location_required', async () => {
    const ctx = env.context();
    ctx.tenant = { ...ctx.tenant, defaults: {} };
    const v = await assignLicense.validate(ctx, { user: DAN, sku: 'POWER_BI_PRO' });
    assert.deepEqual(v.errors.map((e) => e.code), ['usage_location_required']);
    assert.equal(v.errors[0]!.param, 'usageLocation');
    await rejectsWith(assignLicense.execute(ctx, { user: DAN, sku: 'POWER_BI_PRO' }), 'usage_location_required');
    assert.equal(user(env, DAN).usageLocation, null);
    assert.deepEqual(effectiveSkus(env, DAN), []);
  });

  test('"E3" with Office 365 E3 and Microsoft 365 E3 both subscribed is ambiguous, listing free units', async () => {
    const err = await rejectsWith(env.run(assignLicense, { user: DAN, sku: 'E3' }), 'ambiguous_value');
    assert.equal(err.param, 'sku');
    const choices = err.details!.choices as Array<{ value: string; label: string }>;
    assert.deepEqual(choices.map((c) => c.value).sort(), ['ENTERPRISEPACK', 'SPE_E3']);
    assert.ok(choices.find((c) => c.value === 'SPE_E3')!.label.includes('1 free'));
    assert.ok(choices.find((c) => c.value === 'ENTERPRISEPACK')!.label.includes('1 free'));
  });

  test('an unknown licence names the closest ones', async () => {
    const err = await rejectsWith(env.run(assignLicense, { user: CARA, sku: 'Visoi Plan 2' }), 'unknown_sku');
    assert.deepEqual(err.details!.suggestions, ['VISIOCLIENT']);
    assert.match(err.message, /Did you mean Visio Plan 2 \(VISIOCLIENT\)\?/);
  });

  test('no free unit is no_free_licenses, listing the licences that have some', async () => {
    const seq = env.ledgerSeq();
    const err = await rejectsWith(env.run(assignLicense, { user: CARA, sku: 'Visio' }), 'no_free_licenses');
    assert.match(err.message, /1 of 1 are in use/);
    assert.match(err.fix, /Power BI Pro \(POWER_BI_PRO\), \d+ free/);
    assert.deepEqual(writeNames(env, seq), []);
  });

  test('a licence held directly, or through a group, is alreadyDone with no call', async () => {
    const seq = env.ledgerSeq();
    const direct = await env.run(assignLicense, { user: BEN, sku: 'Microsoft 365 E3' });
    assert.equal(direct.preview.alreadyDone, true);
    assert.deepEqual(direct.preview.calls, []);
    assert.equal(direct.result.alreadyDone, true);
    const inherited = await env.run(assignLicense, { user: BEN, sku: 'Visio' });
    assert.equal(inherited.result.alreadyDone, true);
    assert.ok(inherited.validation.warnings.some((w) => w.includes("'Visio Users'")));
    assert.match(inherited.result.summary, /Visio Users/);
    assert.deepEqual(writeNames(env, seq), []);
    assert.deepEqual(undoSteps('assign-license', { user: BEN, sku: 'Microsoft 365 E3' }, direct.result), []);
  });

  test('explicit disabledPlans add a direct assignment beside a group one, using no extra unit', async () => {
    const was = licenceState(env, BEN);
    const { preview, result } = await env.run(assignLicense, { user: BEN, sku: 'Visio', disabledPlans: [] });
    assert.equal(preview.alreadyDone, false);
    assert.ok(preview.warnings.some((w) => w.includes("'Visio Users'") && w.includes('no extra unit')));
    assert.ok(licenceState(env, BEN).direct.some((l) => l.skuId === SKU.VISIO));
    await runUndo(env, 'assign-license', { user: BEN, sku: 'Visio', disabledPlans: [] }, result);
    assert.deepEqual(licenceState(env, BEN), was);
    assert.deepEqual(effectiveSkus(env, BEN), ['SPE_E3', 'VISIOCLIENT']);
  });

  test('disabledPlans by name switch plans off; an unknown plan lists the SKU\'s plans', async () => {
    const { result } = await env.run(assignLicense, { user: AVA, sku: 'POWER_BI_PRO', disabledPlans: ['BI_AZURE_P2'] });
    assert.deepEqual(licenceState(env, AVA).direct.find((l) => l.skuId === SKU.PBI), { skuId: SKU.PBI, disabledPlans: [BI_PLAN] });
    assert.deepEqual(result.outputs.disabledPlans, ['BI_AZURE_P2']);
    // Turning the plan back on is a change of plans, and its undo puts the old plans back.
    const change = await env.run(assignLicense, { user: AVA, sku: 'POWER_BI_PRO', disabledPlans: [] });
    assert.deepEqual(change.preview.changes.find((c) => c.field === 'disabledPlans:POWER_BI_PRO'), { object: AVA, field: 'disabledPlans:POWER_BI_PRO', before: ['BI_AZURE_P2'], after: [] });
    assert.deepEqual(licenceState(env, AVA).direct.find((l) => l.skuId === SKU.PBI)!.disabledPlans, []);
    await runUndo(env, 'assign-license', { user: AVA, sku: 'POWER_BI_PRO', disabledPlans: [] }, change.result);
    assert.deepEqual(licenceState(env, AVA).direct.find((l) => l.skuId === SKU.PBI)!.disabledPlans, [BI_PLAN]);
    await runUndo(env, 'assign-license', { user: AVA, sku: 'POWER_BI_PRO' }, result);
    assert.deepEqual(effectiveSkus(env, AVA), ['SPE_E3']);
    const err = await rejectsWith(env.run(assignLicense, { user: AVA, sku: 'POWER_BI_PRO', disabledPlans: ['TEAMS1'] }), 'invalid_parameter');
    assert.match(err.fix, /BI_AZURE_P2/);
  });

  test('the read-only app is told which permission is missing', async () => {
    const err = await rejectsWith(env.run(assignLicense, { user: CARA, sku: 'Power BI' }, { app: 'readonly' }), 'missing_permission');
    assert.match(err.message, /LicenseAssignment\.ReadWrite\.All/);
  });

  test('a re-run with the same key and scratch adds no side effect and still undoes the first run', async () => {
    const was = licenceState(env, DAN);
    const key = 'step:assign-rerun';
    const scratch = new MemoryScratch();
    const first = await env.run(assignLicense, { user: DAN, sku: 'POWER_BI_PRO' }, { key, scratch });
    assert.equal(first.result.alreadyDone, false);
    const seq = env.ledgerSeq();
    const again = await env.run(assignLicense, { user: DAN, sku: 'POWER_BI_PRO' }, { key, scratch });
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(again.result.alreadyDone, true);
    // The crash case: the first result was never stored, so undo works from the re-run's result.
    await runUndo(env, 'assign-license', { user: DAN, sku: 'POWER_BI_PRO' }, again.result);
    assert.deepEqual(licenceState(env, DAN), was);
  });

  test('under 503s and 429s at rate 0.3 the licence is assigned once, and undone once', async () => {
    let faulted = 0;
    for (const [seed, kind] of [[SEED_503, 503], [SEED_429, 429]] as const) {
      const seq = env.ledgerSeq();
      injectFaults(env, seed, kind);
      try {
        const { result } = await env.run(assignLicense, { user: EVE, sku: 'Power BI Pro' });
        assert.deepEqual(effectiveSkus(env, EVE), ['POWER_BI_PRO']);
        await runUndo(env, 'assign-license', { user: EVE, sku: 'Power BI Pro' }, result);
      } finally {
        clearFaults(env);
      }
      faulted += faultedWrites(env, seq);
      assert.deepEqual(effectiveSkus(env, EVE), []);
      assert.equal(writeNames(env, seq).filter((w) => w.endsWith('/assignLicense')).length, 2, 'one assign, one removal');
    }
    assert.ok(faulted > 0, 'the faults hit at least one write');
  });
});

