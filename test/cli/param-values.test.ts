// `--param key=value` text becomes what the action's schema takes, decided by the schema and not by
// the look of the text: a subject "2024" stays text, "null" clears, a list only where one is taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseParamArgs, type ObjectSchema } from '../../src/cli/param-values.ts';
import { actionJsonSchema, getAction } from '../../src/m365/actions/catalog.ts';

const schemaOf = (id: string) => actionJsonSchema(getAction(id)!) as ObjectSchema;
const parse = (id: string, ...pairs: string[]) => {
  const r = parseParamArgs(pairs, schemaOf(id));
  if (!r.ok) throw new Error(r.error);
  return r.raw;
};

test('null clears a nullable field instead of writing the text "null"', () => {
  assert.deepEqual(parse('update-user', 'user=a@contoso.com', 'department=null'), { user: 'a@contoso.com', department: null });
});

test('text parameters keep digits, commas and the words true/false as text', () => {
  assert.deepEqual(parse('send-email', 'user=a@contoso.com', 'to=b@contoso.com', 'subject=2024', 'message=Hi,there'), {
    user: 'a@contoso.com', to: 'b@contoso.com', subject: '2024', message: 'Hi,there',
  });
  assert.deepEqual(parse('update-user', 'user=a@contoso.com', 'jobTitle=true'), { user: 'a@contoso.com', jobTitle: 'true' });
});

test('numbers and booleans are converted only where the schema takes them', () => {
  assert.deepEqual(parse('create-temporary-access-pass', 'user=a@contoso.com', 'lifetimeInMinutes=120', 'isUsableOnce=TRUE'), {
    user: 'a@contoso.com', lifetimeInMinutes: 120, isUsableOnce: true,
  });
});

test('a list is split on commas, names with spaces included; one value for a list-only parameter is a list of one', () => {
  assert.deepEqual(parse('add-to-group', 'user=a@contoso.com', 'group=Finance,VPN Users'), { user: 'a@contoso.com', group: ['Finance', 'VPN Users'] });
  assert.deepEqual(parse('add-to-group', 'user=a@contoso.com', 'group=VPN Users'), { user: 'a@contoso.com', group: 'VPN Users' });
  assert.deepEqual(parse('create-group', 'name=Project X', 'owners=megan.bowen@contoso.com'), { name: 'Project X', owners: ['megan.bowen@contoso.com'] });
});

test('a key given twice collects a list where one is taken, and is refused where it is not', () => {
  assert.deepEqual(parse('add-to-group', 'user=a@contoso.com', 'group=Finance', 'group=VPN Users'), { user: 'a@contoso.com', group: ['Finance', 'VPN Users'] });
  const twice = parseParamArgs(['user=a@contoso.com', 'user=b@contoso.com'], schemaOf('disable-user'));
  assert.equal(twice.ok, false);
  assert.match(!twice.ok ? twice.error : '', /--param user is given twice/);
});

test('enum values match in any case, as Exchange does', () => {
  assert.deepEqual(parse('add-mailbox-permission', 'user=a@contoso.com', 'delegate=b@contoso.com', 'accessRights=fullaccess'), {
    user: 'a@contoso.com', delegate: 'b@contoso.com', accessRights: 'FullAccess',
  });
});

test('a pair without = is refused naming it', () => {
  const r = parseParamArgs(['user'], schemaOf('disable-user'));
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.error : '', /key=value, not 'user'/);
});
