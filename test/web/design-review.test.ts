// Browser test of issue 8's acceptance: a technician designs "New sales starter" in the designer
// (catalog actions, parameters, bindings picked by completion, a parallel group, the live validation
// list) and submits it; a reviewer hears of it through the bell and approves it after reading the
// diff and the dry-run; the author is told why they cannot approve their own version; an admin
// activates it; and the chat then proposes it by name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { startWebEnv, type WebEnv } from './web-env.ts';

let env: WebEnv;
let admin: string;
const TECH = { username: 'tess-tech', password: 'tess-tech-password', role: 'technician', tenants: ['contoso'] };
const REVIEWER = { username: 'rita-reviewer', password: 'rita-reviewer-password', role: 'reviewer', tenants: ['contoso'] };
const WF = 'new-sales-starter';

before(async () => {
  env = await startWebEnv('design');
  admin = await env.login();
  for (const u of [TECH, REVIEWER]) {
    const r = await env.api('POST', '/api/users', { token: admin, body: u });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
});
after(async () => { await env?.close(); });

async function signedIn(who: { username: string; password: string } | null, viewport?: { width: number; height: number }): Promise<Page> {
  const { page } = await env.newPage(viewport);
  if (who) await env.signIn(page, who.username, who.password);
  else await env.signIn(page);
  return page;
}

const step = (page: Page, id: string) => page.locator(`article[data-step-id="${id}"]`);
const input = (scope: Locator, name: string) => scope.getByRole('combobox', { name: new RegExp(`^${name} \\(`) });

async function addStep(page: Page, search: string, actionId: string, id: string): Promise<Locator> {
  const before = await page.locator('article[data-step-id]').count();
  await page.getByRole('button', { name: 'Add step' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a step' });
  await dialog.getByRole('searchbox', { name: 'Search actions' }).fill(search);
  await dialog.locator(`button[data-action-id="${actionId}"]`).click();
  await dialog.waitFor({ state: 'detached' });
  const card = page.locator('article[data-step-id]').nth(before);
  await card.getByRole('textbox', { name: /^Step id/ }).fill(id);
  await step(page, id).waitFor();
  return step(page, id);
}

async function addParam(page: Page, name: string, o: { required?: boolean; format?: string; def?: string; description: string }): Promise<void> {
  await page.getByRole('button', { name: 'Add parameter' }).click();
  const row = page.getByRole('list', { name: 'Parameters' }).getByRole('listitem').last();
  await row.getByRole('textbox', { name: /name/ }).fill(name);
  if (o.format) await row.getByRole('combobox', { name: 'Format' }).selectOption(o.format);
  if (o.required) await row.getByRole('checkbox', { name: 'Required' }).check();
  if (o.def) await row.getByRole('textbox', { name: 'Default' }).fill(o.def);
  await row.getByRole('textbox', { name: 'Description' }).fill(o.description);
}

/** Types into a binding box and accepts the completion offered for `path`. */
async function complete(box: Locator, typed: string, path: string): Promise<void> {
  await box.click();
  await box.pressSequentially(typed);
  const list = box.page().getByRole('listbox', { name: 'Suggestions' });
  await list.getByRole('option', { name: new RegExp(`^${path.replace(/\./g, '\\.')}`) }).waitFor();
  while (!(await list.getByRole('option', { selected: true }).innerText()).startsWith(path)) await box.press('ArrowDown');
  await box.press('Enter');
}

test('a technician designs "New sales starter" from catalog actions and submits it for review', async () => {
  const page = await signedIn(TECH);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Workflows' }).click();
  await page.getByRole('button', { name: 'New workflow' }).click();
  await page.waitForURL('**/workflows/new');
  await page.getByRole('textbox', { name: /^Name/ }).fill('New sales starter');
  await page.getByRole('textbox', { name: 'Description' }).fill('Creates a Sales starter\'s account, licenses it, adds it to the Sales Team and sends a welcome email.');

  await addParam(page, 'user', { required: true, format: 'upn', description: 'The starter\'s sign-in address, e.g. carlos.mendes@contoso.com' });
  await addParam(page, 'displayName', { required: true, description: 'Full name, e.g. Carlos Mendes' });
  await addParam(page, 'sku', { format: 'sku', def: 'SPE_E3', description: 'Licence to assign' });
  await addParam(page, 'sender', { format: 'email', def: 'miriam.graham@contoso.com', description: 'Who sends the welcome email' });

  // Step 1: the account. Until its inputs are bound the validation list points at them.
  const create = await addStep(page, 'create user', 'create-user', 'create');
  const problem = page.locator('button[data-problem-code="unbound_input"][data-problem-step="create"]').first();
  await problem.waitFor();
  await problem.click();
  assert.match(await page.evaluate(() => document.activeElement?.id ?? ''), /inputs_(user|displayName)$/, 'the problem takes the focus to the faulty field');
  const user = input(create, 'user');
  await user.fill('carlos');
  await create.getByText('Expects an email address or user principal name').waitFor();
  await user.fill('');
  await complete(user, '{{params.u', 'params.user');
  assert.equal(await user.inputValue(), '{{params.user}}');
  await input(create, 'displayName').fill('{{params.displayName}}');
  await input(create, 'department').fill('Sales');

  // Steps 2 and 3 run side by side (parallel group "setup"), each reading step 1's output.
  const license = await addStep(page, 'licen', 'assign-license', 'license');
  await input(license, 'user').click();
  await input(license, 'user').pressSequentially('{{steps.');
  await page.getByRole('listbox', { name: 'Suggestions' }).waitFor();
  await env.screenshot(page, 'design-designer-completion');
  await input(license, 'user').fill('');
  await complete(input(license, 'user'), '{{steps.', 'steps.create.outputs.userPrincipalName');
  assert.equal(await input(license, 'user').inputValue(), '{{steps.create.outputs.userPrincipalName}}');
  await complete(input(license, 'sku'), '{{par', 'params.sku');
  await license.getByRole('textbox', { name: /^Parallel group/ }).fill('setup');

  const team = await addStep(page, 'add to group', 'add-to-group', 'sales-team');
  await input(team, 'user').fill('{{steps.create.outputs.userPrincipalName}}');
  await input(team, 'group').fill('Sales Team');
  await team.getByRole('textbox', { name: /^Parallel group/ }).fill('setup');
  await team.getByRole('switch', { name: 'Continue on error' }).check();

  const welcome = await addStep(page, 'send', 'send-email', 'welcome');
  await input(welcome, 'user').fill('{{params.sender}}');
  await input(welcome, 'to').fill('{{steps.create.outputs.userPrincipalName}}');
  await input(welcome, 'subject').fill('Welcome to Sales, {{params.displayName}}');
  await input(welcome, 'message').fill('Hello {{params.displayName}}, welcome to the Sales team at Contoso! Sign in with {{steps.create.outputs.userPrincipalName}}.');
  await welcome.getByRole('switch', { name: 'Continue on error' }).check();
  await page.getByTestId('valid').waitFor();
  await env.screenshot(page, 'design-designer-new-sales-starter');
  await page.getByRole('heading', { name: 'Details' }).scrollIntoViewIfNeeded();
  await env.screenshot(page, 'design-designer-top');

  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.waitForURL(`**/workflows/${WF}`);
  await page.locator('[data-design-state="Draft"]').first().waitFor();
  const saved = await env.api('GET', `/api/workflows/${WF}/versions/1`, { token: admin });
  assert.deepEqual(saved.body.definition.steps.map((s: { id: string; action: string }) => `${s.id}:${s.action}`),
    ['create:create-user', 'license:assign-license', 'sales-team:add-to-group', 'welcome:send-email']);
  assert.equal(saved.body.definition.steps[1].parallel, 'setup');
  assert.equal(saved.body.definition.steps[2].continueOnError, true);
  assert.equal(saved.body.author.username, TECH.username);

  await page.getByRole('button', { name: 'Submit for review' }).click();
  const dialog = page.getByRole('dialog', { name: 'Submit version 1 for review' });
  await dialog.getByRole('textbox', { name: /Note for the reviewers/ }).fill('First version: everything a new Sales starter needs on day one.');
  await dialog.getByRole('textbox', { name: 'user' }).fill('carlos.mendes@contoso.com');
  await dialog.getByRole('textbox', { name: 'displayName' }).fill('Carlos Mendes');
  await dialog.getByRole('button', { name: 'Submit' }).click();
  await page.getByText('Version 1 was submitted for review. Reviewers were notified.').waitFor();
  await page.locator('[data-design-state="AwaitingReview"]').first().waitFor();

  // Four eyes: the author may open the review but not decide, and is told why.
  await page.getByRole('link', { name: 'Open the review' }).click();
  await page.waitForURL(`**/workflows/${WF}/versions/1`);
  const why = page.getByTestId('cannot-review');
  await why.waitFor();
  assert.match(await why.innerText(), /a second person must review it \(four eyes\)/);
  assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
  await env.screenshot(page, 'design-review-author-cannot-approve');
});

test('the reviewer is notified by the bell, reads the diff and the dry-run, and approves', async () => {
  const page = await signedIn(REVIEWER);
  await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
  await page.getByRole('dialog', { name: 'Notifications' }).getByRole('button', { name: /Review requested: New sales starter v1/ }).click();
  await page.waitForURL(`**/workflows/${WF}/versions/1`);
  const diff = page.getByTestId('diff');
  await diff.waitFor();
  assert.match(await diff.innerText(), /4 steps added/);
  for (const id of ['create', 'license', 'sales-team', 'welcome']) assert.equal(await diff.locator(`[data-diff-group="step:${id}"]`).count(), 1, id);
  const preview = page.getByRole('list', { name: 'What will change' });
  await preview.waitFor();
  const previewText = await preview.innerText();
  assert.match(previewText, /carlos\.mendes@contoso\.com/, 'the dry-run plans the run for the test user');
  assert.equal(env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!.user('carlos.mendes@contoso.com'), undefined, 'a dry-run changes nothing');
  await page.getByRole('textbox', { name: /Comment/ }).fill('Reads well; the Sales Team and the licence are right.');
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByText('You approved version 1.').waitFor();
  await page.locator('[data-design-state="Approved"]').first().waitFor();
  await page.getByText('Approved. An admin activates it.').waitFor();
  await env.screenshot(page, 'design-review-approved');
  await page.getByRole('heading', { name: 'Dry-run in a demo tenant' }).scrollIntoViewIfNeeded();
  await env.screenshot(page, 'design-review-dry-run');
});

test('an admin activates the approved version', async () => {
  const page = await signedIn(null);
  await page.getByRole('button', { name: /^Notifications, [1-9]\d* unread$/ }).click();
  await page.getByRole('dialog', { name: 'Notifications' }).getByRole('button', { name: /Approved: New sales starter v1/ }).click();
  await page.waitForURL(`**/workflows/${WF}/versions/1`);
  await page.getByRole('button', { name: 'Activate version 1' }).click();
  await page.getByText('Version 1 is now Active.').waitFor();
  await page.locator('[data-design-state="Active"]').first().waitFor();
  const list = await env.api('GET', '/api/workflows', { token: admin });
  assert.equal(list.body.workflows.find((w: { id: string }) => w.id === WF)?.activeVersion, 1);
  const audit = await env.api('GET', `/api/workflows/${WF}/audit`, { token: admin });
  assert.deepEqual(audit.body.audit.map((a: { action: string }) => a.action), ['create', 'submit', 'approve', 'activate']);
  await page.goto('/workflows');
  await page.locator(`tr[data-workflow-id="${WF}"] [data-design-state="Active"]`).waitFor();
  await env.screenshot(page, 'design-workflows-list');
});

test('the chat proposes the activated workflow for "new sales starter Carlos Mendes"', async () => {
  const page = await signedIn(TECH);
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.waitFor();
  await box.fill('new sales starter Carlos Mendes');
  await box.press('Enter');
  const reply = page.getByTestId('assistant-reply').last();
  await reply.waitFor();
  assert.match(await reply.innerText(), /New sales starter: Carlos Mendes/, 'the chat recognises the designed workflow by its name');
  // The name gives the display name; the chat asks who the user is, and the answer completes the card.
  await page.getByRole('group', { name: /user/i }).waitFor();
  await env.screenshot(page, 'design-chat-question');
  await box.fill('carlos.mendes@contoso.com');
  await box.press('Enter');
  const card = page.locator('article[data-run-id]').last();
  await card.waitFor();
  assert.match(await card.innerText(), /New sales starter/);
  await env.screenshot(page, 'design-chat-new-sales-starter');
  const runId = await card.getAttribute('data-run-id');
  const run = await env.api('GET', `/api/runs/${runId}`, { token: admin });
  assert.equal(run.body.workflow, WF);
  assert.equal(run.body.version, 1);
  assert.equal(run.body.params.displayName, 'Carlos Mendes');

  // Approved, it runs the designed steps for real in the demo tenant.
  await card.getByRole('button', { name: 'Approve' }).click();
  await card.locator('section[aria-label="Result"] [data-state="Completed"]').waitFor();
  const t = env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
  const carlos = t.user('carlos.mendes@contoso.com')!;
  assert.equal(carlos.displayName, 'Carlos Mendes');
  assert.equal(carlos.department, 'Sales');
  assert.equal(carlos.directLicenses.length, 1, 'licensed');
  assert.ok(t.data.groups.find((g) => g.displayName === 'Sales Team')!.memberIds.includes(carlos.id), 'in the Sales Team');
  const mail = t.data.outbox.find((m) => m.toRecipients.includes('carlos.mendes@contoso.com'));
  assert.equal(mail?.subject, 'Welcome to Sales, Carlos Mendes');
});
