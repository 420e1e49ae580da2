import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { consumedUnits } from '../../../src/emulator/state/derived.ts';
import { auditLicenses } from '../../../src/m365/actions/licenses/audit-licenses.action.ts';
import { removeLicense } from '../../../src/m365/actions/licenses/remove-license.action.ts';
import { startActionEnv, type ActionEnv } from '../action-harness.ts';
import { OLGA, PIA, clearFaults, directorySeed, injectFaults, rejectsWith, runUndo, user } from './directory-fixtures.ts';

type Report = {
  skus: Array<{ skuId: string; skuPartNumber: string; enabled: number; consumed: number; free: number }>;
  wasted: Array<{ userPrincipalName: string; licenses: string[]; direct: string[]; inherited: string[] }>;
  duplicates: Array<{ userPrincipalName: string; sku: string; groups: string[] }>;
  exhausted: string[];
  totals: Record<string, number>;
};

describe('audit-licenses', () => {
  let env: ActionEnv;
  before(async () => { env = await startActionEnv({ seeds: [directorySeed()] }); });
  after(async () => { await env.close(); });

  test('reports units, licences on disabled accounts, direct+group duplicates and exhausted SKUs, writing nothing', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(auditLicenses, {});
    assert.deepEqual(preview.changes, []);
    assert.ok(preview.calls.every((c) => c.method === 'GET'));
    assert.deepEqual(env.writesSince(seq), []);
    const r = result.outputs as unknown as Report;
    const t = env.tenant();
    const consumed = consumedUnits(t);
    assert.equal(r.skus.length, t.data.skus.length);
    for (const s of t.data.skus) {
      const line = r.skus.find((l) => l.skuId === s.skuId)!;
      assert.equal(line.consumed, consumed.get(s.skuId) ?? 0, s.skuPartNumber);
      assert.equal(line.enabled, s.prepaidUnits.enabled + s.prepaidUnits.warning);
      assert.equal(line.free, line.enabled - line.consumed);
    }
    assert.deepEqual(r.exhausted, ['VISIOCLIENT']);
    assert.deepEqual(r.wasted.map((w) => [w.userPrincipalName, w.licenses, w.direct, w.inherited]), [[OLGA, ['ENTERPRISEPACK', 'POWER_BI_PRO'], ['ENTERPRISEPACK', 'POWER_BI_PRO'], []]]);
    assert.deepEqual(r.duplicates, [{ userId: user(env, PIA).id, userPrincipalName: PIA, sku: 'POWER_BI_PRO', groups: ['BI Users'] }]);
    assert.deepEqual(r.totals, { skus: 4, licensedUsers: 5, wastedUnits: 2, duplicateAssignments: 1, exhaustedSkus: 1 });
    assert.match(result.summary, /2 licences on 1 disabled account/);
  });

  test('the report follows the tenant: freeing the disabled account\'s licences clears the waste', async () => {
    const { result: removal } = await env.run(removeLicense, { user: OLGA, all: true });
    const { result } = await env.run(auditLicenses, {});
    const r = result.outputs as unknown as Report;
    assert.deepEqual(r.wasted, []);
    assert.equal(r.skus.find((s) => s.skuPartNumber === 'ENTERPRISEPACK')!.free, 2);
    await runUndo(env, 'remove-license', { user: OLGA, all: true }, removal);
  });

  test('is marked irreversible because it changes nothing', () => {
    assert.deepEqual(auditLicenses.undo, { reversible: false, reason: 'Read-only report; it changes nothing.' });
  });

  test('the read-only app is told it cannot read licences', async () => {
    const err = await rejectsWith(env.run(auditLicenses, {}, { app: 'readonly' }), 'missing_permission');
    assert.match(err.message, /LicenseAssignment\.Read\.All/);
  });

  test('under 503s at rate 0.3 the report is the same', async () => {
    const { result: calm } = await env.run(auditLicenses, {});
    injectFaults(env, 4);
    try {
      const { result } = await env.run(auditLicenses, {});
      assert.deepEqual(result.outputs, calm.outputs);
    } finally {
      clearFaults(env);
    }
  });
});
