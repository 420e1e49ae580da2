// The designer's logic without a browser: where completion applies and what it inserts, what a
// binding may refer to at each step (parallel groups included), outputs learned from stored
// workflows, type checking against JSON Schema, and the form model's round trip to a definition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySuggestion, completionAt, filterSuggestions, learnOutputs, suggestionsAt } from '../../web/src/components/design/bindings.ts';
import { fromDefinition, stepIdFor, toDefinition } from '../../web/src/components/design/model.ts';
import { acceptsParamType, checkValue, parseInputText, type Schema } from '../../web/src/components/design/schema-check.ts';
import type { CatalogAction, Definition } from '../../web/src/lib/design-api.ts';

const email: Schema = { type: 'string', minLength: 1, pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' };
const group: Schema = { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string' }, minItems: 1 }] };

const def: Definition = {
  name: 'Starter', description: '',
  parameters: [{ name: 'user', type: 'string', required: true, description: '' }, { name: 'notify', type: 'boolean', required: false, description: '', default: true }],
  steps: [
    { id: 'create', action: 'create-user', inputs: { user: '{{params.user}}', displayName: 'X' }, continueOnError: false },
    { id: 'license', action: 'assign-license', inputs: { user: '{{steps.create.outputs.userPrincipalName}}', sku: 'E3' }, parallel: 'setup', continueOnError: false },
    { id: 'team', action: 'add-to-group', inputs: { user: '{{steps.create.outputs.userPrincipalName}}', group: ['Sales Team', 'All staff'] }, parallel: 'setup', continueOnError: true, retry: { maxAttempts: 4, backoffSeconds: 1 } },
  ],
  outputs: { id: '{{steps.create.outputs.userId}}' },
};
const actions = new Map<string, CatalogAction>([
  ['create-user', { id: 'create-user', title: 'Create user', description: '', category: 'account', secrets: ['temporaryPassword'], parameters: { type: 'object', properties: { user: email, displayName: { type: 'string' } } } }],
  ['assign-license', { id: 'assign-license', title: 'Assign licence', description: '', category: 'licenses', secrets: [], parameters: { type: 'object', properties: { user: email, sku: { type: 'string' } } } }],
  ['add-to-group', { id: 'add-to-group', title: 'Add to group', description: '', category: 'groups', secrets: [], parameters: { type: 'object', properties: { user: email, group } } }],
]);

test('completion opens inside {{ and closes the expression; conditions complete the name being typed', () => {
  assert.equal(completionAt('Hello there', 5, 'value'), null);
  const c = completionAt('Hi {{par', 8, 'value')!;
  assert.deepEqual(c, { from: 5, to: 8, prefix: 'par', close: true });
  assert.deepEqual(applySuggestion('Hi {{par', c, 'params.user'), { text: 'Hi {{params.user}}', caret: 18 });
  // Already closed: only the path is replaced.
  const inside = completionAt('{{params.us}} x', 11, 'value')!;
  assert.equal(applySuggestion('{{params.us}} x', inside, 'params.user').text, '{{params.user}} x');
  assert.equal(completionAt('{{params.user}} and', 19, 'value'), null, 'nothing to complete after a closed expression');
  // After `||` the next alternative completes.
  assert.equal(completionAt('{{params.group || params.de', 27, 'value')!.prefix, 'params.de');
  const cond = completionAt("params.group || steps.cr", 24, 'condition')!;
  assert.equal(cond.prefix, 'steps.cr');
  assert.equal(applySuggestion("params.group || steps.cr", cond, 'steps.create.state').text, 'params.group || steps.create.state');
});

test('a step may refer to parameters, context, tenant defaults and earlier steps, never to its own parallel group', () => {
  const st = fromDefinition(def);
  const scope = { outputsByAction: learnOutputs([def]), secretsByAction: new Map([['create-user', ['temporaryPassword']]]), tenantDefaults: ['usageLocation'] };
  const at = (i: number) => suggestionsAt(st, i, scope).map((s) => s.path);
  assert.ok(at(0).includes('params.user') && at(0).includes('tenant.defaults.usageLocation') && at(0).includes('context.subjectUser'));
  assert.ok(!at(0).some((p) => p.startsWith('steps.')), 'the first step has no earlier step');
  assert.ok(at(1).includes('steps.create.outputs.userPrincipalName'));
  assert.ok(!at(2).some((p) => p.startsWith('steps.license')), 'team runs alongside license (group "setup")');
  assert.ok(at(3).includes('steps.team.state') && at(3).includes('steps.license.outputs.'), 'the outputs see every step');
  assert.deepEqual(filterSuggestions(suggestionsAt(st, 1, scope), 'steps.create.outputs').map((s) => s.path), ['steps.create.outputs.userId', 'steps.create.outputs.userPrincipalName']);
});

test('outputs are learned from stored workflows, per action', () => {
  const learned = learnOutputs([def]);
  assert.deepEqual(learned.get('create-user'), ['userId', 'userPrincipalName']);
  assert.equal(learned.get('assign-license'), undefined);
});

test('type checking against the action schema', () => {
  assert.equal(checkValue('jane@contoso.com', email), null);
  assert.match(checkValue('jane', email)!, /email address/);
  assert.match(checkValue(true, email)!, /Expects text; got boolean/);
  assert.equal(checkValue(['a', 'b'], group), null);
  assert.match(checkValue([], group)!, /Expects text or a list of texts/);
  assert.match(checkValue('x', { type: 'string', enum: ['All', 'Known'] })!, /one of All, Known/);
  assert.equal(acceptsParamType(email, 'string'), true);
  assert.equal(acceptsParamType(email, 'boolean'), false);
  assert.equal(acceptsParamType(group, 'string[]'), true);
  assert.deepEqual(parseInputText('["a","b"]', group), ['a', 'b']);
  assert.equal(parseInputText('true', { type: 'boolean' }), true);
  assert.equal(parseInputText('30', { type: 'integer' }), 30);
  assert.deepEqual(parseInputText('a, b', { type: 'array', items: { type: 'string' } }), ['a', 'b']);
  assert.equal(parseInputText('{{params.notify}}', { type: 'boolean' }), '{{params.notify}}', 'a binding stays text');
});

test('the form model round-trips a definition, and new step ids are unique', () => {
  assert.deepEqual(toDefinition(fromDefinition(def), actions), def);
  assert.equal(stepIdFor('assign-license', ['assign-license', 'assign-license-2']), 'assign-license-3');
});
