// Browser tests of the lifecycle workflow pages (issue 7, part 5): create a leaver workflow from a
// Microsoft template, preview the users in scope, run it now for one user and read the report at
// run, task and user level; edit it into a new version; the on-demand limit; read-only technicians;
// and a phone-width screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startWebEnv, type WebEnv } from './web-env.ts';

let env: WebEnv;
let admin: string;
let workflowUrl = '';
let runUrl = '';
const TECH = { username: 'lena-tech', password: 'lena-tech-password', role: 'technician', tenants: ['contoso'] };

before(async () => {
  env = await startWebEnv('lifecycle');
  admin = await env.login();
  const r = await env.api('POST', '/api/users', { token: admin, body: TECH });
  assert.equal(r.status, 201, JSON.stringify(r.body));
});
after(async () => { await env?.close(); });

const contoso = () => env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;

async function signedIn(who?: { username: string; password: string }, viewport?: { width: number; height: number }): Promise<Page> {
  const { page } = await env.newPage(viewport);
  await env.signIn(page, who?.username, who?.password);
  return page;
}

test('create a leaver workflow from the "Offboard an employee" template, scoped to Sales', async () => {
  const page = await signedIn();
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Lifecycle' }).click();
  await page.getByRole('heading', { name: 'Create from a template' }).waitFor();
  await page.getByText('No lifecycle workflows in this tenant yet.').waitFor();
  assert.ok(await page.locator('article[data-template-id]').count() >= 6, 'Microsoft\'s templates are offered');
  await env.screenshot(page, 'lifecycle-list-empty');
  await page.getByRole('button', { name: 'Use the template Offboard an employee' }).click();
  await page.getByRole('heading', { name: 'New lifecycle workflow' }).waitFor();

  await page.getByRole('textbox', { name: /^Name/ }).fill('Sales leavers');
  await page.getByRole('spinbutton', { name: /Offset in days/ }).fill('-7');
  await page.getByRole('textbox', { name: /Users in scope \(rule\)/ }).fill("(department eq 'Sales')");
  const tasks = page.getByRole('list', { name: 'Tasks' });
  assert.deepEqual(await tasks.locator('li[data-task]').evaluateAll((els) => els.map((e) => e.getAttribute('data-task'))),
    ['Disable user account', 'Remove user from all groups', 'Remove user from all Teams']);
  await env.screenshot(page, 'lifecycle-editor');
  await page.getByRole('button', { name: 'Create workflow' }).click();
  await page.waitForURL(/\/lifecycle\/workflows\/[^/?]+\?tenant=/);
  workflowUrl = new URL(page.url()).pathname + new URL(page.url()).search;
  await page.getByRole('heading', { name: 'Sales leavers' }).waitFor();
  await page.getByText("7 days before the leave date, for (department eq 'Sales')").waitFor();

  // The scope preview: exactly the Sales people of the tenant today.
  const scope = page.getByRole('table', { name: 'Users in scope' });
  await scope.waitFor();
  const rows = await scope.locator('tbody tr').allInnerTexts();
  const sales = [...contoso().data.users.values()].filter((u) => u.department === 'Sales').map((u) => u.userPrincipalName);
  assert.equal(rows.length, sales.length);
  assert.ok(rows.some((r) => r.includes('john.doe@contoso.com')));
  await page.getByText(`${sales.length} users match the scope today`).waitFor();
  await env.screenshot(page, 'lifecycle-workflow');
});

test('run now for one user from the scope, then the report at run, task and user level', async () => {
  const page = await signedIn();
  await page.goto(workflowUrl);
  await page.getByRole('table', { name: 'Users in scope' }).waitFor();
  assert.equal(contoso().user('john.doe@contoso.com')!.accountEnabled, true);
  await page.getByRole('button', { name: 'Run now' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run now for chosen users' });
  await dialog.getByRole('searchbox', { name: 'Filter the users in scope' }).fill('john doe');
  await dialog.getByRole('checkbox', { name: /John Doe/ }).check();
  await dialog.getByText('1 of at most 10 users chosen.').waitFor();
  await env.screenshot(page, 'lifecycle-run-now');
  await dialog.getByRole('button', { name: 'Run for 1 user' }).click();
  await page.waitForURL(/\/runs\/[^/?]+\?tenant=/);
  runUrl = new URL(page.url()).pathname + new URL(page.url()).search;
  await page.getByRole('heading', { name: 'Run of Sales leavers' }).waitFor();
  await page.locator('h1 + [data-status="completed"]').waitFor();

  const summary = page.getByRole('region', { name: 'Run summary' });
  assert.match(await summary.innerText(), /1\s*users\s*1\s*users succeeded\s*0\s*users failed\s*3\s*tasks\s*0\s*tasks failed/);
  const byTask = page.getByRole('table', { name: 'Task report' });
  assert.deepEqual(await byTask.locator('tbody tr td:first-child').allInnerTexts(),
    ['1. Disable user account', '2. Remove user from all groups', '3. Remove user from all Teams']);
  assert.equal(await byTask.locator('tbody [data-status="completed"]').count(), 3);
  const byUser = page.getByRole('table', { name: 'User report' });
  assert.match(await byUser.locator('tbody tr').first().innerText(), /John Doe[\s\S]*john\.doe@contoso\.com[\s\S]*Completed[\s\S]*3 of 3 done/);
  await byUser.getByRole('button', { name: 'Tasks of John Doe' }).click();
  const perUser = page.getByRole('list', { name: 'Task results of John Doe' });
  assert.equal(await perUser.locator('[data-status="completed"]').count(), 3);
  assert.equal(contoso().user('john.doe@contoso.com')!.accountEnabled, false, 'the leaver tasks really ran in the tenant');
  await env.screenshot(page, 'lifecycle-run-report');

  await page.getByRole('link', { name: 'Sales leavers' }).click();
  await page.getByRole('tab', { name: /Runs/ }).click();
  await page.getByRole('table', { name: 'Runs' }).locator('[data-status="completed"]').waitFor();
});

test('editing tasks and conditions creates a new version; the old one stays in the history', async () => {
  const page = await signedIn();
  await page.goto(workflowUrl);
  await page.getByRole('link', { name: 'Edit tasks and conditions' }).click();
  await page.getByRole('heading', { name: 'Edit Sales leavers' }).waitFor();
  await page.getByRole('spinbutton', { name: /Offset in days/ }).fill('-14');
  await page.getByRole('button', { name: 'Remove task Remove user from all Teams' }).click();
  await page.getByRole('combobox', { name: 'Add a task' }).selectOption({ label: 'Set out-of-office reply (Tenantflow)' });
  await page.getByRole('button', { name: 'Add task' }).click();
  await page.locator('li[data-task="Set out-of-office reply (Tenantflow)"]').getByRole('textbox', { name: 'message', exact: true }).fill('I have left Contoso; please write to sales@contoso.com.');
  await page.locator('li[data-task="Set out-of-office reply (Tenantflow)"]').scrollIntoViewIfNeeded();
  await env.screenshot(page, 'lifecycle-editor-tasks');
  await page.getByRole('button', { name: 'Save as a new version' }).click();
  await page.getByText('Version 2', { exact: true }).waitFor();
  await page.getByText("14 days before the leave date, for (department eq 'Sales')").waitFor();
  await page.getByRole('tab', { name: 'Versions (2)' }).click();
  const versions = page.getByRole('table', { name: 'Versions' });
  assert.match(await versions.locator('tbody tr').nth(0).innerText(), /2 \(current\)[\s\S]*14 days before[\s\S]*Set out-of-office reply/);
  assert.match(await versions.locator('tbody tr').nth(1).innerText(), /^1\s[\s\S]*7 days before[\s\S]*Remove user from all Teams/);
  const id = workflowUrl.split('/')[3]!.split('?')[0]!;
  const v2 = await env.api('GET', `/graph/contoso.onmicrosoft.com/v1.0/identityGovernance/lifecycleWorkflows/workflows/${id}?$expand=tasks`, { token: admin });
  assert.equal(v2.body.version, 2);
  assert.deepEqual(v2.body.tasks.map((t: { displayName: string }) => t.displayName), ['Disable user account', 'Remove user from all groups', 'Set out-of-office reply (Tenantflow)']);
  assert.deepEqual(v2.body.tasks[2].arguments, [{ name: 'message', value: 'I have left Contoso; please write to sales@contoso.com.' }]);
  // The run made before keeps pointing at version 1.
  const page2 = await signedIn();
  await page2.goto(runUrl);
  await page2.getByRole('table', { name: 'Task report' }).locator('tbody tr').filter({ hasText: 'Remove user from all Teams' }).waitFor();
});

test('run now takes at most 10 users', async () => {
  const page = await signedIn();
  await page.goto(workflowUrl);
  await page.getByRole('button', { name: 'Run now' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run now for chosen users' });
  const eleven = Array.from({ length: 11 }, (_, i) => `someone${i}@contoso.com`).join('\n');
  await dialog.getByRole('textbox', { name: /Other users/ }).fill(eleven);
  await dialog.getByText('11 of at most 10 users chosen: remove some.').waitFor();
  assert.equal(await dialog.getByRole('button', { name: 'Run for 11 users' }).isDisabled(), true);
});

test('a technician reads lifecycle workflows but may not change or run them', async () => {
  const page = await signedIn(TECH);
  await page.goto('/lifecycle');
  await page.getByRole('link', { name: 'Sales leavers' }).click();
  await page.getByRole('heading', { name: 'Sales leavers' }).waitFor();
  await page.getByText(/needs LifecycleWorkflows\.ReadWrite\.All, which Tenantflow grants to reviewers and admins/).first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Run now' }).isDisabled(), true);
  await page.goto('/lifecycle');
  assert.equal(await page.getByRole('button', { name: 'Use the template Offboard an employee' }).isDisabled(), true);
});

test('phone width: the lifecycle list, a workflow and its run report fit 390px', async () => {
  const page = await signedIn(undefined, { width: 390, height: 844 });
  for (const path of ['/lifecycle', workflowUrl, runUrl]) {
    await page.goto(path);
    await page.locator('h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path}: no horizontal scroll (${overflow}px)`);
  }
  await env.screenshot(page, 'lifecycle-run-phone');
});
