// Versions: runs pin the version they started with, restore, the diff, export/import and admin
// test runs of versions that are not Active yet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { approveAndActivate, lockoutDefinition, startDesignEnv, type DesignEnv } from './helpers.ts';

let d: DesignEnv;
before(async () => { d = await startDesignEnv('design_versions'); });
after(async () => { await d.env.close(); });

const contoso = () => d.env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;

test('a run of an Active workflow survives a new Draft and a new activation, and shows its version', async () => {
  const created = await d.api('POST', '/api/workflows', { token: d.tech.token, body: { ...lockoutDefinition('Pinned lockout'), id: 'pinned-lockout' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(await approveAndActivate(d, 'pinned-lockout'), 1);

  const card = await d.api('POST', '/api/runs', { token: d.tech.token, body: { tenant: 'contoso', workflow: 'pinned-lockout', params: { user: 'megan.bowen@contoso.com' } } });
  assert.equal(card.status, 201, JSON.stringify(card.body));

  // Version 2 drops the sign-out step; while it is a Draft, version 1 keeps serving.
  const v2 = { ...lockoutDefinition('Pinned lockout'), steps: [lockoutDefinition().steps[0]!] };
  const saved = await d.api('PUT', '/api/workflows/pinned-lockout/draft', { token: d.tech.token, body: { definition: v2, baseVersion: 1, note: 'Sign-out is done elsewhere' } });
  assert.equal(saved.status, 201);
  const served = await d.api('GET', '/api/workflows/pinned-lockout', { token: d.tech.token });
  assert.deepEqual([served.body.version, served.body.definition.steps.length], [1, 2]);
  const whileDraft = await d.api('POST', '/api/runs', { token: d.tech.token, body: { tenant: 'contoso', workflow: 'pinned-lockout', params: { user: 'alex.wilber@contoso.com' } } });
  assert.equal((await d.api('GET', `/api/runs/${whileDraft.body.id}`, { token: d.tech.token })).body.version, 1);
  await d.api('POST', `/api/runs/${whileDraft.body.id}/reject`, { token: d.tech.token, body: {} });

  assert.equal(await approveAndActivate(d, 'pinned-lockout'), 2);
  const versions = await d.api('GET', '/api/workflows/pinned-lockout/versions', { token: d.tech.token });
  assert.deepEqual(versions.body.versions.map((v: any) => [v.version, v.state]), [[2, 'Active'], [1, 'Superseded']]);
  assert.deepEqual([versions.body.workflow.activeVersion, versions.body.workflow.headVersion], [2, 2]);

  // The card proposed under version 1 runs version 1's two steps.
  const done = d.env.waitTerminal(card.body.id);
  assert.equal((await d.api('POST', `/api/runs/${card.body.id}/approve`, { token: d.tech.token })).status, 202);
  assert.equal(await done, 'Completed');
  const ran = await d.api('GET', `/api/runs/${card.body.id}`, { token: d.tech.token });
  assert.equal(ran.body.version, 1);
  assert.deepEqual(ran.body.steps.map((s: any) => [s.id, s.state]), [['disable', 'Completed'], ['revoke', 'Completed']]);
  assert.equal(contoso().user('megan.bowen@contoso.com')!.accountEnabled, false);

  const next = await d.api('POST', '/api/runs', { token: d.tech.token, body: { tenant: 'contoso', workflow: 'pinned-lockout', params: { user: 'alex.wilber@contoso.com' } } });
  const nextRun = await d.api('GET', `/api/runs/${next.body.id}`, { token: d.tech.token });
  assert.deepEqual([nextRun.body.version, nextRun.body.steps.map((s: any) => s.id)], [2, ['disable']]);
});

test('restore copies an old version into a new Draft and keeps the history', async () => {
  const restored = await d.api('POST', '/api/workflows/pinned-lockout/versions/1/restore', { token: d.tech.token, body: {} });
  assert.equal(restored.status, 201, JSON.stringify(restored.body));
  assert.deepEqual([restored.body.version, restored.body.state, restored.body.restoredFrom, restored.body.note], [3, 'Draft', 1, 'Restored from version 1']);
  const v1 = await d.api('GET', '/api/workflows/pinned-lockout/versions/1', { token: d.tech.token });
  assert.deepEqual(restored.body.definition, v1.body.definition);
  assert.equal(v1.body.state, 'Superseded', 'the old version itself is untouched');
  const diff = await d.api('GET', '/api/workflows/pinned-lockout/diff?from=2&to=3', { token: d.tech.token });
  assert.deepEqual(diff.body.changes.map((c: any) => [c.scope, c.op, c.id]), [['step', 'added', 'revoke']]);
  const served = await d.api('GET', '/api/workflows/pinned-lockout', { token: d.tech.token });
  assert.equal(served.body.version, 2, 'the Active version keeps serving');
  const stale = await d.api('POST', '/api/workflows/pinned-lockout/versions/1/restore', { token: d.tech.token, body: { baseVersion: 2 } });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.details.currentVersion, 3);
  const audit = await d.api('GET', '/api/workflows/pinned-lockout/audit', { token: d.tech.token });
  const last = audit.body.audit.at(-1);
  assert.deepEqual([last.version, last.action, last.from, last.to, last.detail.restoredFrom], [3, 'restore', null, 'Draft', 1]);
  assert.ok(audit.body.audit.some((a: any) => a.version === 1 && a.action === 'supersede' && a.from === 'Active' && a.to === 'Superseded'));
  const missing = await d.api('POST', '/api/workflows/pinned-lockout/versions/9/restore', { token: d.tech.token, body: {} });
  assert.equal(missing.status, 404);
});

test('a diff lists exactly the changes made', async () => {
  const v1 = {
    name: 'Diff me',
    description: 'Before',
    parameters: [
      { name: 'user', type: 'string', format: 'upn', required: true, description: 'Who.' },
      { name: 'sku', type: 'string', format: 'sku', required: true, description: 'Licence.' },
    ],
    steps: [
      { id: 'disable', action: 'disable-user', inputs: { user: '{{params.user}}' } },
      { id: 'license', action: 'remove-license', inputs: { user: '{{params.user}}', sku: '{{params.sku}}' } },
      { id: 'revoke', action: 'revoke-sessions', inputs: { user: '{{params.user}}' } },
      { id: 'mfa', action: 'reset-mfa', inputs: { user: '{{params.user}}' } },
    ],
    outputs: { who: '{{params.user}}' },
  };
  const created = await d.api('POST', '/api/workflows', { token: d.tech.token, body: v1 });
  const id = created.body.workflowId;
  const v2 = {
    ...v1,
    description: 'After',
    parameters: [v1.parameters[0], { ...v1.parameters[1], required: false }, { name: 'notify', type: 'boolean', default: false, description: 'Tell the manager.' }],
    steps: [
      { id: 'revoke', action: 'revoke-sessions', inputs: { user: '{{params.user}}' } },
      { id: 'disable', action: 'disable-user', inputs: { user: '{{params.user}}' }, continueOnError: true },
      { id: 'license', action: 'remove-license', inputs: { user: '{{params.user}}', all: true }, when: 'params.sku' },
      { id: 'pass', action: 'reset-password', inputs: { user: '{{params.user}}' } },
    ],
    outputs: { who: '{{params.user}}', done: 'yes' },
  };
  const saved = await d.api('PUT', `/api/workflows/${id}/draft`, { token: d.tech.token, body: { definition: v2, baseVersion: 1 } });
  assert.equal(saved.status, 201, JSON.stringify(saved.body));
  const diff = await d.api('GET', `/api/workflows/${id}/diff?from=1&to=2`, { token: d.tech.token });
  assert.equal(diff.status, 200);
  assert.deepEqual(diff.body.changes.map((c: any) => [c.scope, c.op, c.id ?? null, c.field ?? null, c.before ?? null, c.after ?? null]), [
    ['workflow', 'changed', null, 'description', 'Before', 'After'],
    ['parameter', 'changed', 'sku', 'required', true, false],
    ['parameter', 'added', 'notify', null, null, { name: 'notify', type: 'boolean', required: false, default: false, description: 'Tell the manager.' }],
    ['step', 'removed', 'mfa', null, { id: 'mfa', action: 'reset-mfa', inputs: { user: '{{params.user}}' }, continueOnError: false }, null],
    ['step', 'moved', 'revoke', 'position', 3, 1],
    ['step', 'changed', 'disable', 'continueOnError', false, true],
    ['step', 'changed', 'license', 'when', null, 'params.sku'],
    ['step', 'changed', 'license', 'inputs.sku', '{{params.sku}}', null],
    ['step', 'changed', 'license', 'inputs.all', null, true],
    ['step', 'added', 'pass', null, null, { id: 'pass', action: 'reset-password', inputs: { user: '{{params.user}}' }, continueOnError: false }],
    ['output', 'added', 'done', null, null, 'yes'],
  ]);
  assert.deepEqual(diff.body.summary, { stepsAdded: 1, stepsRemoved: 1, stepsChanged: 2, stepsMoved: 1, parametersChanged: 2, outputsChanged: 1 });
  const texts = diff.body.changes.map((c: any) => c.text);
  assert.ok(texts.includes("Step 'license': condition set to \"params.sku\"."), texts.join('\n'));
  assert.ok(texts.includes("Step 'license': input 'sku' unbound (was \"{{params.sku}}\")."), texts.join('\n'));
  assert.ok(texts.includes("Step 'revoke' moved from position 3 to 1."), texts.join('\n'));
  const same = await d.api('GET', `/api/workflows/${id}/diff?from=2&to=2`, { token: d.tech.token });
  assert.deepEqual(same.body.changes, []);
  const fromNothing = await d.api('GET', `/api/workflows/${id}/diff`, { token: d.tech.token });
  assert.deepEqual([fromNothing.body.from, fromNothing.body.to, fromNothing.body.summary.stepsAdded], [0, 2, 4], 'no Active version: against an empty workflow');
});

test('a version exports to YAML and JSON and imports back unchanged', async () => {
  const yaml = await d.env.app.inject({ method: 'GET', url: '/api/workflows/pinned-lockout/versions/1/export?format=yaml', headers: { authorization: `Bearer ${d.tech.token}` } });
  assert.equal(yaml.statusCode, 200);
  assert.match(String(yaml.headers['content-type']), /application\/yaml/);
  assert.match(String(yaml.headers['content-disposition']), /pinned-lockout\.v1\.yaml/);
  const parsed = parseYaml(yaml.body);
  assert.equal(parsed.id, 'pinned-lockout');
  const imported = await d.api('POST', '/api/workflows', { token: d.tech.token, body: { format: 'yaml', text: yaml.body.replace('id: pinned-lockout', 'id: imported-lockout'), note: 'From git' } });
  assert.equal(imported.status, 201, JSON.stringify(imported.body));
  assert.deepEqual([imported.body.workflowId, imported.body.note], ['imported-lockout', 'From git']);
  const original = await d.api('GET', '/api/workflows/pinned-lockout/versions/1', { token: d.tech.token });
  const { id: _a, ...a } = original.body.definition;
  const { id: _b, ...b } = imported.body.definition;
  assert.deepEqual(b, a);

  const json = await d.api('GET', '/api/workflows/pinned-lockout/versions/2/export?format=json', { token: d.tech.token });
  assert.equal(json.body.id, 'pinned-lockout');
  const draft = await d.api('PUT', '/api/workflows/imported-lockout/draft', { token: d.tech.token, body: { format: 'json', text: JSON.stringify({ ...json.body, id: 'imported-lockout' }), baseVersion: 1 } });
  assert.equal(draft.status, 201, JSON.stringify(draft.body));
  assert.equal(draft.body.definition.steps.length, 1);

  const bad = await d.api('POST', '/api/workflows', { token: d.tech.token, body: { format: 'yaml', text: 'name: [unclosed' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_request');
  const shape = await d.api('POST', '/api/workflows', { token: d.tech.token, body: { name: 'No steps', steps: [] } });
  assert.equal(shape.status, 400);
  assert.deepEqual(shape.body.error.details.problems.map((p: any) => p.path), ['steps']);
  const renamed = await d.api('PUT', '/api/workflows/imported-lockout/draft', { token: d.tech.token, body: { definition: { ...lockoutDefinition(), id: 'other' }, baseVersion: 2 } });
  assert.equal(renamed.status, 400, 'a workflow keeps its id');
  const taken = await d.api('POST', '/api/workflows', { token: d.tech.token, body: { ...lockoutDefinition(), id: 'reset-password' } });
  assert.equal(taken.status, 409, 'a workflow may not shadow a catalog action');
  const derived = await d.api('POST', '/api/workflows', { token: d.tech.token, body: lockoutDefinition('Pinned lockout') });
  assert.equal(derived.body.workflowId, 'pinned-lockout-2', 'a derived id steps around taken ones');
});

test('each version answers with its ETag, usable as If-Match', async () => {
  const res = await d.env.app.inject({ method: 'GET', url: '/api/workflows/imported-lockout/versions/2', headers: { authorization: `Bearer ${d.tech.token}` } });
  assert.equal(res.headers.etag, '"2"');
  assert.equal(JSON.parse(res.body).latest, true);
  const saved = await d.api('PUT', '/api/workflows/imported-lockout/draft', { token: d.tech.token, body: lockoutDefinition('Imported'), headers: { 'if-match': String(res.headers.etag) } });
  assert.equal(saved.status, 201, JSON.stringify(saved.body));
  assert.equal(saved.body.version, 3);
});

test('admins test-run a version that is not Active in a demo tenant; technicians cannot', async () => {
  const tech = await d.api('POST', '/api/workflows/imported-lockout/versions/3/test-run', { token: d.tech.token, body: { params: { user: 'alex.wilber@contoso.com' } } });
  assert.equal(tech.status, 403);
  const run = await d.api('POST', '/api/workflows/imported-lockout/versions/3/test-run', { token: d.admin.token, body: { tenant: 'contoso', params: { user: 'alex.wilber@contoso.com' } } });
  assert.equal(run.status, 201, JSON.stringify(run.body));
  assert.equal(run.body.state, 'Pending');
  const stored = await d.api('GET', `/api/runs/${run.body.id}`, { token: d.admin.token });
  assert.deepEqual([stored.body.version, stored.body.workflow], [3, 'imported-lockout']);
  const dry = await d.api('POST', '/api/workflows/imported-lockout/dry-run', { token: d.tech.token, body: { params: { user: 'alex.wilber@contoso.com' } } });
  assert.equal(dry.status, 200, JSON.stringify(dry.body));
  assert.deepEqual([dry.body.version, dry.body.tenant.domain, dry.body.errors], [3, 'contoso.onmicrosoft.com', []]);
  const other = await d.api('POST', '/api/workflows/imported-lockout/dry-run', { token: d.tech.token, body: { tenant: 'fabrikam', params: { user: 'alex.wilber@contoso.com' } } });
  assert.equal(other.status, 404, 'a tenant outside the caller\'s scope looks unknown');
});

test('built-in workflows start Active as version 1, and editing one leaves it serving', async () => {
  const versions = await d.api('GET', '/api/workflows/offboard-user/versions', { token: d.tech.token });
  assert.equal(versions.status, 200);
  assert.deepEqual(versions.body.versions.map((v: any) => [v.version, v.state, v.author]), [[1, 'Active', null]]);
  assert.equal(versions.body.workflow.builtin, true);
  const def = (await d.api('GET', '/api/workflows/offboard-user/versions/1', { token: d.tech.token })).body.definition;
  const edit = await d.api('PUT', '/api/workflows/offboard-user/draft', { token: d.tech.token, body: { definition: { ...def, description: 'Our offboarding' }, baseVersion: 1 } });
  assert.equal(edit.status, 201, JSON.stringify(edit.body));
  const served = await d.api('GET', '/api/workflows/offboard-user', { token: d.tech.token });
  assert.equal(served.body.version, 1);
  const unknown = await d.api('GET', '/api/workflows/no-such-thing/versions', { token: d.tech.token });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'unknown_workflow');
});

test('the designer\'s unsaved definition round-trips through YAML on the server; bad text says what is wrong', async () => {
  const def = { ...lockoutDefinition('Unsaved lockout'), id: 'unsaved-lockout', steps: [{ ...lockoutDefinition().steps[0]!, inputs: { user: '{{params.user}}', extra: 'not in the schema, kept for the lint' } }] };
  const written = await d.api('POST', '/api/workflow-files/write', { token: d.tech.token, body: { definition: def, format: 'yaml' } });
  assert.equal(written.status, 200, JSON.stringify(written.body));
  assert.match(written.body.text, /^id: unsaved-lockout\nname: Unsaved lockout\n/, 'the id first, then the name');
  assert.deepEqual(parseYaml(written.body.text).steps, def.steps);
  const read = await d.api('POST', '/api/workflow-files/read', { token: d.tech.token, body: { text: written.body.text } });
  assert.equal(read.status, 200);
  assert.deepEqual(read.body.definition.steps, def.steps, 'an imperfect step is imported as it is, for the designer to lint');
  const json = await d.api('POST', '/api/workflow-files/write', { token: d.tech.token, body: { definition: def, format: 'json' } });
  assert.deepEqual(JSON.parse(json.body.text).name, 'Unsaved lockout');
  const broken = await d.api('POST', '/api/workflow-files/read', { token: d.tech.token, body: { text: 'name: [unclosed\nsteps: -' } });
  assert.equal(broken.status, 400);
  assert.equal(broken.body.error.code, 'invalid_request');
  assert.match(broken.body.error.message, /The text is not valid YAML or JSON/);
  const noSteps = await d.api('POST', '/api/workflow-files/read', { token: d.tech.token, body: { text: 'name: Nothing to do' } });
  assert.deepEqual([noSteps.status, noSteps.body.error.message], [400, 'The definition has no list of steps.']);
  assert.equal((await d.api('POST', '/api/workflow-files/read', { body: { text: 'steps: []' } })).status, 401, 'a session is needed');
});
