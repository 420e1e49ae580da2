// Browser test of the designer's test run: an admin opens the Draft version 2 of a designed workflow
// (version 1 is Active), test-runs it in Contoso from the designer with its parameters typed in the
// form, is shown what is missing and what is wrong (with the fix) first, then approves the card and
// watches it to Completed; the change is in the emulator's tenant, made by version 2, and its undo
// is approved from the same dialog. The history
// page offers a test run for the Draft only, an unsaved edit is never test-run, and technicians
// see no Test run at all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startWebEnv, type WebEnv } from '../web/web-env.ts';

let env: WebEnv;
let admin: string;
const TECH = { username: 'tara-tech', password: 'tara-tech-password', role: 'technician', tenants: ['contoso'] };
const REVIEWER = { username: 'ron-reviewer', password: 'ron-reviewer-password', role: 'reviewer', tenants: ['contoso'] };
const WF = 'change-job-data';
const USER = 'lee.gu@contoso.com';

const v1 = {
  name: 'Change job data',
  description: 'Moves a user to another department.',
  parameters: [
    { name: 'user', type: 'string', format: 'upn', required: true, description: 'The user to update' },
    { name: 'department', type: 'string', required: false, default: 'Sales', description: 'The new department' },
  ],
  steps: [{ id: 'update', action: 'update-user', inputs: { user: '{{params.user}}', department: '{{params.department}}' } }],
  outputs: {},
};
/** Version 2 also sets the job title and can sign the user out everywhere. */
const v2 = {
  ...v1,
  description: 'Moves a user to another department and job, and can sign them out everywhere.',
  parameters: [
    ...v1.parameters,
    { name: 'jobTitle', type: 'string', required: true, description: 'The new job title' },
    { name: 'signOut', type: 'boolean', required: false, default: false, description: 'Sign the user out everywhere' },
  ],
  steps: [
    { id: 'update', action: 'update-user', inputs: { user: '{{params.user}}', department: '{{params.department}}', jobTitle: '{{params.jobTitle}}' } },
    { id: 'signout', action: 'revoke-sessions', when: 'params.signOut', inputs: { user: '{{params.user}}' } },
  ],
};

async function call(method: string, path: string, token: string, body?: unknown, status = 200) {
  const r = await env.api(method, path, { token, ...(body !== undefined ? { body } : {}) });
  assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r.body;
}

before(async () => {
  env = await startWebEnv('testrun');
  admin = await env.login();
  for (const u of [TECH, REVIEWER]) await call('POST', '/api/users', admin, u, 201);
  const tech = await env.login(TECH.username, TECH.password);
  const reviewer = await env.login(REVIEWER.username, REVIEWER.password);
  // Version 1 goes through review and serves runs; version 2 is a Draft on top of it.
  const created = await call('POST', '/api/workflows', tech, { definition: v1, note: 'First version' }, 201);
  assert.equal(created.workflowId, WF);
  await call('POST', `/api/workflows/${WF}/submit`, tech, { note: 'Ready' });
  await call('POST', `/api/workflows/${WF}/review`, reviewer, { decision: 'approve', comment: 'Fine.' });
  await call('POST', `/api/workflows/${WF}/activate`, admin, {});
  const draft = await call('PUT', `/api/workflows/${WF}/draft`, tech, { definition: v2, baseVersion: 1, note: 'Job title and sign-out' }, 201);
  assert.deepEqual([draft.version, draft.state], [2, 'Draft']);
});
after(async () => { await env?.close(); });

async function signedIn(who?: { username: string; password: string }): Promise<Page> {
  const { page } = await env.newPage();
  await env.signIn(page, who?.username, who?.password);
  return page;
}

const testRunButton = (page: Page) => page.getByRole('button', { name: 'Test run', exact: true });

test('an admin test-runs the Draft version 2 in Contoso from the designer, approves it and sees it complete', async () => {
  const contoso = env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
  const before = { ...contoso.user(USER)! };
  assert.notEqual(before.jobTitle, 'Pilot Lead');
  const page = await signedIn();
  await page.goto(`/workflows/${WF}`);
  await page.getByText('Editing version 2').waitFor();
  await page.locator('[data-design-state="Draft"]').first().waitFor();
  await testRunButton(page).click();
  const dialog = page.getByRole('dialog', { name: 'Test run' });
  await dialog.getByText(/Version 2 of Change job data \(Draft\)/).waitFor();

  // Only demo tenants in the admin's scope, Contoso first chosen.
  const tenant = dialog.getByRole('combobox', { name: /^Demo tenant/ });
  const demo = (await call('GET', '/api/demo', admin)).tenants.map((t: { displayName: string }) => t.displayName);
  assert.deepEqual(await tenant.locator('option').allInnerTexts(), demo);
  assert.equal(await tenant.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent), 'Contoso');

  // The form is version 2's parameters, with their descriptions, types, defaults and required marks.
  const fields = dialog.getByRole('group', { name: 'Parameters' });
  const user = fields.getByRole('textbox', { name: /^user/ });
  const jobTitle = fields.getByRole('textbox', { name: /^jobTitle/ });
  const department = fields.getByRole('textbox', { name: /^department/ });
  const signOut = fields.getByRole('combobox', { name: /^signOut/ });
  assert.equal(await user.evaluate((e: HTMLInputElement) => e.required), true);
  assert.equal(await jobTitle.evaluate((e: HTMLInputElement) => e.required), true);
  assert.equal(await department.evaluate((e: HTMLInputElement) => e.required), false);
  assert.equal(await department.getAttribute('placeholder'), 'Sales');
  assert.match(await fields.innerText(), /The new department\. Text\. Default: Sales\./);
  assert.match(await fields.innerText(), /Sign the user out everywhere\. Yes or no\. Default: no\./);

  // First try: a user name without its domain and no job title. Both are said by the fields and above.
  await user.fill('lee.gu');
  await dialog.getByRole('button', { name: 'Prepare the card' }).click();
  const incomplete = dialog.getByTestId('test-run-incomplete');
  await incomplete.waitFor();
  assert.match(await incomplete.innerText(), /Values still needed[\s\S]*jobTitle: The new job title\?/);
  const problem = incomplete.locator('[data-error-code="invalid_parameter"]');
  assert.match(await problem.innerText(), /Problem with user[\s\S]*How to fix: provide the full address, lee\.gu@contoso/);
  assert.match(await fields.innerText(), /Still needed: The new job title\?/);
  assert.equal(await dialog.locator('article[data-run-id]').count(), 0, 'an incomplete answer shows no card to approve');
  await env.screenshot(page, 'design-test-run-incomplete');
  // The card that attempt made can never be approved: it is set aside, not left Pending.
  const attempts = (await call('GET', `/api/runs?workflow=${WF}`, admin)).runs;
  assert.equal(attempts.length, 1);
  assert.equal(await env.waitTerminal(attempts[0].id), 'Cancelled');

  await user.fill(USER);
  await jobTitle.fill('Pilot Lead');
  await department.fill('Field Trials');
  await signOut.selectOption('true');
  await dialog.getByRole('button', { name: 'Prepare the card' }).click();
  const card = dialog.locator('article[data-run-id]');
  await card.waitFor();
  const runId = (await card.getAttribute('data-run-id'))!;
  const run = await call('GET', `/api/runs/${runId}`, admin);
  assert.deepEqual([run.workflow, run.version, run.state, run.tenant], [WF, 2, 'Pending', env.contosoId], 'a Pending card of version 2 in Contoso');
  assert.deepEqual(run.params, { user: USER, department: 'Field Trials', jobTitle: 'Pilot Lead', signOut: true });
  assert.match(await card.innerText(), /What will change[\s\S]*Pilot Lead/);
  assert.equal(contoso.user(USER)!.jobTitle, before.jobTitle, 'nothing changes before approval');
  await env.screenshot(page, 'design-test-run-card');

  await card.getByRole('button', { name: 'Approve' }).click();
  await card.locator('section[aria-label="Result"] [data-state="Completed"]').waitFor();
  assert.equal(await env.waitTerminal(runId), 'Completed');
  await env.screenshot(page, 'design-test-run-completed');
  const after = contoso.user(USER)!;
  assert.equal(after.department, 'Field Trials');
  assert.equal(after.jobTitle, 'Pilot Lead', 'version 2\'s step ran (version 1 has no job title)');
  assert.ok(Date.parse(after.signInSessionsValidFromDateTime) > Date.parse(before.signInSessionsValidFromDateTime), 'signed out everywhere, as version 2 says when signOut is yes');
  const finished = await call('GET', `/api/runs/${runId}`, admin);
  assert.deepEqual(finished.steps.map((s: { id: string; state: string }) => `${s.id}:${s.state}`), ['update:Completed', 'signout:Completed']);
  const versions = (await call('GET', `/api/workflows/${WF}/versions`, admin)).workflow;
  assert.equal(versions.activeVersion, 1, 'a test run does not activate anything');

  // Its undo is a card of its own in the same dialog, approved the same way.
  await card.getByRole('button', { name: 'Undo' }).click();
  await dialog.getByText('The undo of the test run').waitFor();
  const undoId = (await dialog.locator('article[data-run-id]').getAttribute('data-run-id'))!;
  assert.notEqual(undoId, runId);
  const undoCard = dialog.locator(`article[data-run-id="${undoId}"]`);
  await undoCard.getByRole('button', { name: 'Approve' }).click();
  await undoCard.locator('section[aria-label="Result"] [data-state]').waitFor();
  assert.equal(await env.waitTerminal(undoId), 'Completed');
  assert.deepEqual([contoso.user(USER)!.department, contoso.user(USER)!.jobTitle], [before.department, before.jobTitle], 'the undo put the job data back');

  // Once decided, another test run can start from the same values.
  await dialog.getByRole('button', { name: 'Test again' }).click();
  assert.equal(await jobTitle.inputValue(), 'Pilot Lead');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
});

test('the version history offers a test run for versions that are not Active', async () => {
  const page = await signedIn();
  await page.goto(`/workflows/${WF}/history`);
  const draft = page.locator('li[data-version="2"]');
  await draft.waitFor();
  const button = draft.getByRole('button', { name: 'Test run', exact: true });
  assert.equal(await button.evaluate((b) => b.tagName), 'BUTTON');
  assert.equal(await page.locator('li[data-version="1"]').getByRole('button', { name: 'Test run' }).count(), 0, 'version 1 is Active');
  await button.click();
  const dialog = page.getByRole('dialog', { name: 'Test run' });
  await dialog.getByText(/Version 2 of Change job data \(Draft\)/).waitFor();
  await dialog.getByRole('textbox', { name: /^jobTitle/ }).waitFor();
});

test('an unsaved edit in the designer is not test-run: the dialog says to save first', async () => {
  const page = await signedIn();
  await page.goto(`/workflows/${WF}`);
  await page.getByText('Editing version 2').waitFor();
  await page.getByRole('textbox', { name: /^Name/ }).fill('Change job data (edited)');
  await page.getByRole('status').filter({ hasText: 'Unsaved changes' }).waitFor();
  await testRunButton(page).click();
  const dialog = page.getByRole('dialog', { name: 'Test run' });
  const note = dialog.getByTestId('test-run-unsaved');
  await note.waitFor();
  assert.match(await note.innerText(), /Save first[\s\S]*save them as a new version first/);
  assert.equal(await dialog.getByRole('button', { name: 'Prepare the card' }).count(), 0);
  assert.equal(await dialog.getByRole('textbox').count(), 0, 'no form for stale content');
  await env.screenshot(page, 'design-test-run-unsaved');
});

test('a technician sees no Test run button on the designer or the history', async () => {
  const page = await signedIn(TECH);
  await page.goto(`/workflows/${WF}`);
  await page.getByText('Editing version 2').waitFor();
  await page.getByRole('button', { name: 'Submit for review' }).waitFor();
  assert.equal(await testRunButton(page).count(), 0);
  await page.goto(`/workflows/${WF}/history`);
  await page.locator('li[data-version="2"]').getByRole('button', { name: /^Restore version 2/ }).waitFor();
  assert.equal(await testRunButton(page).count(), 0);
});
