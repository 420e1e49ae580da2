// The design state machine's table, and the designer's lint checks for parallel groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canTransitionDesign, designSources, designStates } from '../../src/engine/design-state.ts';
import { lintDefinition } from '../../src/engine/lint.ts';
import { checkDefinitionShape } from '../../src/engine/definition.ts';
import { actionCatalog } from '../../src/m365/actions/catalog.ts';

test('the design table allows exactly the documented transitions', () => {
  const allowed = new Set([
    'Draft>AwaitingReview',
    'AwaitingReview>Approved',
    'AwaitingReview>ChangesRequested',
    'ChangesRequested>Draft',
    'Approved>Active',
    'Active>Superseded',
  ]);
  for (const from of designStates) {
    for (const to of designStates) {
      assert.equal(canTransitionDesign(from, to), allowed.has(`${from}>${to}`), `${from} → ${to}`);
    }
  }
  assert.deepEqual(designSources('Draft'), ['ChangesRequested']);
  assert.deepEqual(designSources('Superseded'), ['Active']);
});

test('lint: a step cannot read the outputs of a step it runs in parallel with; a split group is a warning', () => {
  const def = checkDefinitionShape({
    name: 'Parallel',
    parameters: [{ name: 'user', type: 'string', required: true }],
    steps: [
      { id: 'create', action: 'create-user', inputs: { user: '{{params.user}}', displayName: 'X' }, parallel: 'a' },
      { id: 'license', action: 'assign-license', inputs: { user: '{{steps.create.outputs.userPrincipalName}}', sku: 'E3' }, parallel: 'a' },
      { id: 'revoke', action: 'revoke-sessions', inputs: { user: '{{steps.create.outputs.userPrincipalName}}' } },
      { id: 'mfa', action: 'reset-mfa', inputs: { user: '{{params.user}}' }, parallel: 'a' },
    ],
  });
  const problems = lintDefinition(def, (id) => actionCatalog.get(id));
  assert.deepEqual(problems.map((p) => [p.severity, p.step, p.code]), [
    ['warning', 'mfa', 'split_parallel_group'],
    ['error', 'license', 'parallel_reference'],
  ]);
  assert.match(problems[1]!.message, /runs in parallel with 'license'/);
});
