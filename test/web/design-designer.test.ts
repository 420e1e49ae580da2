// Browser tests of the designer beyond the happy path: a runbook imported from YAML with problems
// the validation list points at (and the keyboard follows), a concurrent save detected without
// losing a word (also across a reload), export to JSON, the version history's diff and restore,
// four eyes for an admin author, and a phone-width screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { startWebEnv, type WebEnv } from './web-env.ts';

let env: WebEnv;
let admin: string;
const WF = 'lock-out-a-user';
const RUNBOOK = `name: Lock out a user
description: Blocks sign-in and ends every session.
parameters:
  - name: user
    type: string
    format: upn
    required: true
    description: Who to lock out
  - name: reason
    type: string
    description: Why, for the ticket
steps:
  - id: disable
    action: disable-user
    inputs:
      user: "{{params.user}}"
  - id: revoke
    action: revoke-sessions
    inputs:
      user: "{{steps.later.outputs.userPrincipalName}}"
`;

before(async () => {
  env = await startWebEnv('designer');
  admin = await env.login();
});
after(async () => { await env?.close(); });

async function signedIn(viewport?: { width: number; height: number }): Promise<Page> {
  const { page } = await env.newPage(viewport);
  await env.signIn(page);
  return page;
}

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

test('import a YAML runbook, follow the validation list with the keyboard, fix it and create the workflow', async () => {
  const page = await signedIn();
  await page.goto('/workflows/new');
  await page.getByRole('button', { name: 'Import / export' }).click();
  await page.getByRole('menuitem', { name: 'Import YAML or JSON…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a workflow definition' });
  await dialog.getByRole('textbox', { name: 'Or paste YAML or JSON' }).fill(RUNBOOK);
  await dialog.getByRole('button', { name: 'Import' }).click();
  await page.getByText('Imported. Review the steps').waitFor();
  assert.equal(await page.getByRole('textbox', { name: /^Name/ }).inputValue(), 'Lock out a user');

  const unknown = page.locator('button[data-problem-code="unknown_reference"][data-problem-step="revoke"]');
  const unused = page.locator('button[data-problem-code="unused_parameter"]');
  await unknown.waitFor();
  await unused.waitFor();
  await unused.focus();
  await page.keyboard.press('Enter');
  assert.match(await activeId(page), /^wf-param-.*-name$/, 'the unused parameter\'s name has the focus');
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).value), 'reason');
  await unknown.focus();
  await page.keyboard.press('Enter');
  assert.match(await activeId(page), /inputs_user$/, 'the faulty input of step revoke has the focus');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('{{steps.dis');
  await page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option').first().waitFor();
  await page.keyboard.press('Enter');
  assert.match(await page.evaluate(() => (document.activeElement as HTMLInputElement).value), /^\{\{steps\.disable\./);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('{{params.user}}');
  await page.getByRole('button', { name: 'Remove parameter reason' }).click();
  await page.getByTestId('valid').waitFor();

  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.waitForURL(`**/workflows/${WF}`);
  const v1 = await env.api('GET', `/api/workflows/${WF}/versions/1`, { token: admin });
  assert.deepEqual(v1.body.definition.steps.map((s: { id: string }) => s.id), ['disable', 'revoke']);
  assert.equal(v1.body.definition.steps[1].inputs.user, '{{params.user}}');
});

test('a concurrent save is detected: nothing is overwritten, the edit survives a reload, and it is saved on top', async () => {
  const page = await signedIn();
  await page.goto(`/workflows/${WF}`);
  const description = page.getByRole('textbox', { name: 'Description' }).first();
  await description.waitFor();
  await description.fill('Blocks sign-in, ends every session. (my edit)');
  await page.getByRole('status').filter({ hasText: 'Unsaved changes' }).waitFor();
  // Someone else saves version 2 meanwhile.
  const v1 = await env.api('GET', `/api/workflows/${WF}/versions/1`, { token: admin });
  const other = await env.api('PUT', `/api/workflows/${WF}/draft`, { token: admin, body: { definition: { ...v1.body.definition, id: undefined, description: 'Their edit' }, baseVersion: 1, note: 'elsewhere' } });
  assert.equal(other.status, 201, JSON.stringify(other.body));

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const conflict = page.getByTestId('save-conflict');
  await conflict.waitFor();
  assert.match(await conflict.innerText(), /Someone else saved first/);
  assert.equal(await description.inputValue(), 'Blocks sign-in, ends every session. (my edit)');
  await env.screenshot(page, 'design-designer-conflict');

  await page.reload();
  await page.getByText('Unsaved changes restored').waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Description' }).first().inputValue(), 'Blocks sign-in, ends every session. (my edit)');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await conflict.waitFor();
  await page.getByRole('button', { name: 'Save mine as version 3' }).click();
  await page.getByText('Saved as a new version.').waitFor();
  const versions = await env.api('GET', `/api/workflows/${WF}/versions`, { token: admin });
  assert.deepEqual(versions.body.versions.map((v: { version: number }) => v.version), [3, 2, 1]);
  const v2 = await env.api('GET', `/api/workflows/${WF}/versions/2`, { token: admin });
  const v3 = await env.api('GET', `/api/workflows/${WF}/versions/3`, { token: admin });
  assert.equal(v2.body.definition.description, 'Their edit', 'their version is kept');
  assert.equal(v3.body.definition.description, 'Blocks sign-in, ends every session. (my edit)');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), `tf.designer.${WF}`), null, 'the local copy goes once saved');
});

test('export as JSON, compare two versions in the history and restore the first into a new Draft', async () => {
  const page = await signedIn();
  await page.goto(`/workflows/${WF}`);
  await page.getByRole('button', { name: 'Import / export' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'Export as JSON' }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), `${WF}.json`);
  const exported = JSON.parse(await readFile((await file.path())!, 'utf8'));
  assert.equal(exported.name, 'Lock out a user');
  assert.deepEqual(exported.steps.map((s: { id: string }) => s.id), ['disable', 'revoke']);

  await page.getByRole('group', { name: 'Workflow actions' }).getByRole('link', { name: 'History' }).click();
  await page.waitForURL(`**/workflows/${WF}/history`);
  await page.getByRole('combobox', { name: 'From' }).selectOption('1');
  await page.getByRole('combobox', { name: 'To' }).selectOption('3');
  const diff = page.getByRole('region', { name: 'Changes from version 1 to version 3' });
  await diff.locator('[data-diff-group]').first().waitFor();
  assert.match(await diff.innerText(), /Workflow description changed from "Blocks sign-in and ends every session\." to "Blocks sign-in, ends every session\. \(my edit\)"/);
  assert.equal(await diff.locator('[data-diff-group]').count(), 1, 'only what changed is listed');
  await env.screenshot(page, 'design-designer-history');

  await page.getByRole('button', { name: 'Restore version 1 into a new Draft' }).click();
  await page.waitForURL(`**/workflows/${WF}`);
  await page.getByText('Editing version 4').waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Description' }).first().inputValue(), 'Blocks sign-in and ends every session.');
  const v4 = await env.api('GET', `/api/workflows/${WF}/versions/4`, { token: admin });
  assert.equal(v4.body.note, 'Restored from version 1');
});

test('four eyes: an admin who submitted a version is told why they cannot approve it', async () => {
  const page = await signedIn();
  await page.goto(`/workflows/${WF}`);
  await page.getByRole('button', { name: 'Submit for review' }).click();
  const dialog = page.getByRole('dialog', { name: 'Submit version 4 for review' });
  await dialog.getByRole('textbox', { name: /Note for the reviewers/ }).fill('Back to the original wording.');
  await dialog.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('link', { name: 'Open the review' }).click();
  const why = page.getByTestId('cannot-review');
  await why.waitFor();
  assert.match(await why.innerText(), /You authored this version; a second person must review it \(four eyes\)\./);
  const refused = await env.api('POST', `/api/workflows/${WF}/review`, { token: admin, body: { decision: 'approve', comment: 'mine' } });
  assert.equal(refused.status, 403);
});

test('phone width: the designer and the review page fit 390px without sideways scrolling', async () => {
  const page = await signedIn({ width: 390, height: 844 });
  for (const path of [`/workflows/${WF}`, `/workflows/${WF}/versions/4`, '/workflows']) {
    await page.goto(path);
    await page.locator('h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path}: no horizontal scroll (${overflow}px)`);
  }
  await page.goto(`/workflows/${WF}`);
  await page.getByRole('region', { name: 'Validation' }).waitFor();
  await env.screenshot(page, 'design-designer-phone');
});
