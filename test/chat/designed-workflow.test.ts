import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { matchDesignedWorkflow } from '../../src/chat/designed-workflows.ts';
import { approveAndActivate, startDesignEnv, type DesignEnv } from '../design/helpers.ts';

const starter = {
  name: 'New sales starter',
  description: 'Creates the account, licenses it and adds it to Sales Team.',
  parameters: [
    { name: 'user', type: 'string', format: 'upn', required: true, description: 'The new starter\'s sign-in address' },
    { name: 'displayName', type: 'string', required: true, description: 'Full name' },
    { name: 'sku', type: 'string', format: 'sku', default: 'SPE_E3', description: 'Licence' },
  ],
  steps: [
    { id: 'create', action: 'create-user', inputs: { user: '{{params.user}}', displayName: '{{params.displayName}}', department: 'Sales' } },
    { id: 'license', action: 'assign-license', inputs: { user: '{{steps.create.outputs.userPrincipalName}}', sku: '{{params.sku}}' } },
    { id: 'team', action: 'add-to-group', inputs: { user: '{{steps.create.outputs.userPrincipalName}}', group: 'Sales Team' } },
  ],
  outputs: {},
};

test('a designed workflow is recognised by its name, with who it is for', () => {
  const wfs = [{ id: 'new-sales-starter', name: 'New sales starter', definition: { ...starter, outputs: {} } as never }];
  assert.deepEqual(matchDesignedWorkflow('new sales starter Carlos Mendes', wfs)?.params, { displayName: 'Carlos Mendes' });
  assert.deepEqual(matchDesignedWorkflow('Run the New Sales Starter for carlos.mendes@contoso.com', wfs)?.params, { user: 'carlos.mendes@contoso.com' });
  assert.equal(matchDesignedWorkflow('new sales report for Q3', wfs), undefined);
  assert.equal(matchDesignedWorkflow('reset password for x@contoso.com', wfs), undefined);
});

let d: DesignEnv;
before(async () => { d = await startDesignEnv('chatdesigned'); });
after(async () => { await d.env.close(); });

test('once Active, the chat proposes the designed workflow by name and asks for what is missing', async () => {
  const created = await d.api('POST', '/api/workflows', { token: d.tech.token, body: { definition: starter, note: 'first draft' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.workflowId as string;
  const conv = await d.api('POST', '/api/conversations', { token: d.tech.token, body: { tenant: 'contoso' } });
  assert.equal(conv.status, 201, JSON.stringify(conv.body));
  const before = await d.api('POST', `/api/conversations/${conv.body.id}/messages`, { token: d.tech.token, body: { text: 'new sales starter Carlos Mendes' } });
  assert.ok(!before.body.cards?.some((c: any) => c.workflow === id), 'a Draft is never proposed');
  await approveAndActivate(d, id);
  const after = await d.api('POST', `/api/conversations/${conv.body.id}/messages`, { token: d.tech.token, body: { text: 'new sales starter Carlos Mendes' } });
  assert.equal(after.status, 200, JSON.stringify(after.body));
  const asked = after.body.questions.map((q: any) => q.param);
  assert.ok(asked.includes('user'), `asks for the sign-in address: ${JSON.stringify(after.body)}`);
  assert.ok(after.body.questions.every((q: any) => q.action === id));
  const answered = await d.api('POST', `/api/conversations/${conv.body.id}/messages`, { token: d.tech.token, body: { text: 'carlos.mendes@contoso.com' } });
  assert.equal(answered.status, 200, JSON.stringify(answered.body));
  const card = answered.body.cards.find((c: any) => c.workflow === id);
  assert.ok(card, JSON.stringify(answered.body));
  assert.equal(card.state, 'Pending');
  assert.equal(card.params.displayName, 'Carlos Mendes');
});
