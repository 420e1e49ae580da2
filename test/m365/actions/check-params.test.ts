// Schema errors as a technician reads them: the parameter, what is wrong in plain words, the value
// and the fix, once per parameter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getAction } from '../../../src/m365/actions/catalog.ts';
import { checkParams } from '../../../src/m365/actions/support/params.ts';

function errorsOf(id: string, raw: Record<string, unknown>) {
  const r = checkParams(getAction(id)!.params, raw, 'contoso.com');
  assert.equal(r.ok, false);
  return r.ok ? [] : r.errors;
}

test('a number out of range says the limit, the value and the fix in sentences', () => {
  const [e] = errorsOf('create-temporary-access-pass', { user: 'a@contoso.com', lifetimeInMinutes: 5 });
  assert.equal(e!.param, 'lifetimeInMinutes');
  assert.equal(e!.message, 'Must be at least 10. Value: 5. Fix: Use 10 or more.');
});

test('a bad date and time gets the ISO format as the fix', () => {
  const [e] = errorsOf('create-temporary-access-pass', { user: 'a@contoso.com', startDateTime: 'tomorrow' });
  assert.equal(e!.message, 'Invalid date and time. Value: tomorrow. Fix: Use an ISO 8601 date and time in UTC, e.g. 2026-03-31T17:00:00Z.');
});

test('an unknown choice lists the choices; SendAs points to its own action', () => {
  const [kind] = errorsOf('create-group', { name: 'X', kind: 'distribution' });
  assert.equal(kind!.message, 'Must be one of security, microsoft365. Value: distribution. Fix: Use one of: security, microsoft365.');
  const [rights] = errorsOf('add-mailbox-permission', { user: 'a@contoso.com', delegate: 'b@contoso.com', accessRights: 'SendAs' });
  assert.match(rights!.fix, /add-send-as/);
});

test('one error per parameter, about the element that is wrong', () => {
  // zod reports a string given for a list twice (wrong type, and a length check that never applied).
  const single = errorsOf('create-group', { name: 'X', owners: 'megan.bowen@contoso.com' });
  assert.equal(single.length, 1);
  assert.equal(single[0]!.message, 'Expected a list. Value: megan.bowen@contoso.com. Fix: Give a list, e.g. ["megan.bowen@contoso.com"].');
  const [bad] = errorsOf('create-group', { name: 'X', members: ['ok@contoso.com', 'jane'] });
  assert.equal(bad!.value, 'jane');
  assert.equal(bad!.message, 'Invalid email format. Value: jane. Fix: Provide the full address, jane@contoso.com.');
});

test('an unknown parameter suggests the one meant', () => {
  const [e] = errorsOf('disable-user', { usr: 'a@contoso.com', user: 'a@contoso.com' });
  assert.equal(e!.code, 'unknown_parameter');
  assert.equal(e!.message, "Unknown parameter 'usr'. Did you mean 'user'?");
});
