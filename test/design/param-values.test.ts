// The test run form's values without a browser: typed parameters from the texts typed (an empty
// field sends nothing, so defaults and the "still needed" questions come from the server), the
// hint each field shows, and the answer's missing values and errors placed by their fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldMessages, paramHint, parseValues } from '../../web/src/components/design/param-values.ts';
import type { DefParameter } from '../../web/src/lib/design-api.ts';

const params: DefParameter[] = [
  { name: 'user', type: 'string', format: 'upn', required: true, description: 'The user to update.' },
  { name: 'notify', type: 'boolean', required: false, default: true, description: 'Tell the manager' },
  { name: 'days', type: 'integer', required: false, description: 'How many days' },
  { name: 'ratio', type: 'number', required: false, description: '' },
  { name: 'groups', type: 'string[]', required: false, default: ['Sales'], description: 'Groups to join' },
];

test('texts become typed values; empty fields are left to the server', () => {
  assert.deepEqual(parseValues(params, { user: ' lee.gu@contoso.com ', notify: 'false', days: '3', ratio: '0.5', groups: 'Sales, Marketing\nAll staff,' }), {
    params: { user: 'lee.gu@contoso.com', notify: false, days: 3, ratio: 0.5, groups: ['Sales', 'Marketing', 'All staff'] },
    invalid: {},
  });
  assert.deepEqual(parseValues(params, { user: '', notify: '', groups: ' , ' }), { params: {}, invalid: {} });
  assert.deepEqual(parseValues(params, { notify: 'true' }).params, { notify: true });
});

test('a number field that does not hold its type is refused before any request', () => {
  const r = parseValues(params, { days: '2.5', ratio: 'lots', user: 'x@contoso.com' });
  assert.deepEqual(Object.keys(r.invalid).sort(), ['days', 'ratio']);
  assert.match(r.invalid.days!, /whole number/);
  assert.deepEqual(r.params, { user: 'x@contoso.com' });
});

test('each hint gives the description, the type and the default or whether it is required', () => {
  assert.equal(paramHint(params[0]!), 'The user to update. Text: a user principal name, e.g. jane.doe@contoso.com. Required.');
  assert.equal(paramHint(params[1]!), 'Tell the manager. Yes or no. Default: yes.');
  assert.equal(paramHint(params[3]!), 'A number. Optional.');
  assert.equal(paramHint(params[4]!), 'Groups to join. A list, separated by commas. Default: Sales.');
});

test('missing values and errors land on their fields; the question wins over a second message', () => {
  const messages = fieldMessages(params,
    [{ param: 'user', question: 'The user to update?' }],
    [{ code: 'invalid_parameter', message: 'bad user', fix: 'x', param: 'user' }, { code: 'invalid_parameter', message: 'Days must be positive.', fix: 'y', param: 'days' }, { code: 'unknown_action', message: 'no step', fix: 'z' }]);
  assert.deepEqual(messages, { user: 'Still needed: The user to update?', days: 'Days must be positive.' });
});
