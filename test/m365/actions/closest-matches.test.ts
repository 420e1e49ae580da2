// The "did you mean" lists every unknown user, group, licence, tenant and action gets: what a
// person most plausibly meant first, and nothing rather than unrelated names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestMatches } from '../../../src/m365/actions/support/closest.ts';
import { closestSkus, type TenantSku } from '../../../src/m365/actions/resolve/sku.ts';

const groups = ['Sales Team', 'Marketing', 'Finance', 'HR', 'R&D', 'IT Department', 'All Staff', 'VPN Users', 'Power BI Users', 'Sales Department (Dynamic)', 'IT Admins'];

test('a name that starts or contains what was typed ranks first; unrelated short names are not suggested', () => {
  assert.deepEqual(closestMatches('Sales', groups), ['Sales Team', 'Sales Department (Dynamic)']);
  assert.deepEqual(closestMatches('Finanse', groups), ['Finance']);
  assert.deepEqual(closestMatches('Nope', groups), []);
  assert.deepEqual(closestMatches('vpn', groups), ['VPN Users']);
});

test('a typo in a user address finds the user; a typo in one word of a name is enough', () => {
  const upns = ['megan.bowen@contoso.com', 'megan.brown@contoso.com', 'joni.sherman@contoso.com', 'jonas.bernard@contoso.com'];
  assert.equal(closestMatches('megan.bown@contoso.com', upns)[0], 'megan.bowen@contoso.com');
  assert.equal(closestMatches('joni.shermann@contoso.com', upns)[0], 'joni.sherman@contoso.com');
  assert.deepEqual(closestMatches('Fnance Team', ['Finance Team', 'HR']), ['Finance Team']);
});

test('an action id typo suggests the action, not every id that shares a suffix', () => {
  const ids = ['disable-user', 'enable-user', 'create-user', 'update-user', 'delete-user', 'restore-user', 'reset-password'];
  assert.equal(closestMatches('disable-usr', ids)[0], 'disable-user');
  assert.ok(!closestMatches('disable-usr', ids).includes('create-user'));
});

function sku(skuPartNumber: string): TenantSku {
  return { skuId: `id-${skuPartNumber}`, skuPartNumber, consumedUnits: 0, prepaidUnits: { enabled: 1, suspended: 0, warning: 0, lockedOut: 0 }, capabilityStatus: 'Enabled', servicePlans: [] };
}

test('a misspelt licence suggests the SKU by its product or short name, once per SKU', () => {
  const skus = ['O365_BUSINESS_ESSENTIALS', 'O365_BUSINESS_PREMIUM', 'SPB', 'ENTERPRISEPACK', 'ENTERPRISEPREMIUM', 'SPE_E3', 'SPE_E5', 'VISIOCLIENT', 'POWER_BI_PRO'].map(sku);
  // "Business Premium" is SPB (Microsoft 365 Business Premium), not O365_BUSINESS_PREMIUM (Business Standard).
  assert.equal(closestSkus('Buisness Premium', skus)[0]!.skuPartNumber, 'SPB');
  assert.equal(closestSkus('Vsio', skus)[0]!.skuPartNumber, 'VISIOCLIENT');
  assert.equal(closestSkus('PowerBI Pro', skus)[0]!.skuPartNumber, 'POWER_BI_PRO');
  const names = closestSkus('Microsoft 365 E7', skus).map((s) => s.skuPartNumber);
  assert.equal(new Set(names).size, names.length);
  assert.deepEqual(closestSkus('Dynamics 365 Sales', skus), []);
});
