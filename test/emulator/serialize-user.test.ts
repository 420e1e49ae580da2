// The user serializer resolves property names once per ($select, version) and reuses that for
// every user of a page; the output must be exactly what resolving per user gave.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySelect } from '../../src/emulator/graph/collection.ts';
import { USER_DEFAULT_V1, userJson } from '../../src/emulator/graph/serialize-user.ts';
import { defaultControls } from '../../src/emulator/state/model.ts';
import { TenantState } from '../../src/emulator/state/tenant-state.ts';
import { miniSeed } from '../fixtures/mini-seed.ts';

const t = new TenantState({ ...structuredClone(miniSeed().tenants[0]!), deletedItems: {}, outbox: [], controls: defaultControls() });
const [a, b] = t.data.users;

test('$select in any case gives Graph\'s spelling in the order asked, for every user, whatever was rendered before', () => {
  assert.deepEqual(Object.keys(userJson(t, a!, { version: 'v1.0', select: ['DISPLAYNAME', 'id', 'accountenabled'] })), ['displayName', 'id', 'accountEnabled']);
  assert.deepEqual(userJson(t, b!, { version: 'v1.0', select: ['id'] }), { id: b!.id });
  assert.deepEqual(userJson(t, b!, { version: 'beta', select: ['DISPLAYNAME', 'id', 'accountenabled'] }), { displayName: b!.displayName, id: b!.id, accountEnabled: b!.accountEnabled });
  assert.deepEqual(Object.keys(userJson(t, a!, { version: 'v1.0' })), [...USER_DEFAULT_V1]);
  assert.ok(Object.keys(userJson(t, a!, { version: 'beta' })).length > USER_DEFAULT_V1.length);
});

test('an extension property is returned only for the users that carry it', () => {
  const withExt = { ...a!, extra: { extension_abc_costCentre: 'CC-1' } };
  assert.deepEqual(userJson(t, withExt, { version: 'v1.0', select: ['id', 'extension_abc_costCentre'] }), { id: a!.id, extension_abc_costCentre: 'CC-1' });
  assert.deepEqual(userJson(t, b!, { version: 'v1.0', select: ['id', 'extension_abc_costCentre'] }), { id: b!.id });
});

test('applySelect matches names in any case and never picks up inherited members', () => {
  const obj = { id: '1', displayName: 'X', mail: null };
  assert.deepEqual(applySelect(obj, ['DisplayName', 'toString'], [], true), { displayName: 'X', toString: null, id: '1' });
  assert.deepEqual(applySelect(obj, ['mail'], [], false), { mail: null });
});
