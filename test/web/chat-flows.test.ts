// Browser tests of the main path, as a technician uses it: sign in, ask in the chat, read the
// card, approve, watch the progress to the final state, take the temporary password once, undo,
// and find it all again in History. Every wait is on something the page shows, never on time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { scryptSync } from 'node:crypto';
import type { Page } from 'playwright-core';
import { startWebEnv, type WebEnv } from './web-env.ts';

let env: WebEnv;
before(async () => { env = await startWebEnv('chatflows'); });
after(async () => { await env?.close(); });

const contoso = () => env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;

async function signedIn(viewport?: { width: number; height: number }): Promise<Page> {
  const { page } = await env.newPage(viewport);
  await env.signIn(page);
  return page;
}

/** Sends a message and waits for the reply that answers it. */
async function ask(page: Page, text: string): Promise<void> {
  const replies = await page.getByTestId('assistant-reply').count();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="assistant-reply"]').length > n, replies);
}

const cards = (page: Page) => page.locator('article[data-run-id]');
/** The newest card, pinned by its run id so it stays the same card when more arrive. */
async function lastCard(page: Page) {
  const id = await cards(page).last().getAttribute('data-run-id');
  return page.locator(`article[data-run-id="${id}"]`);
}
const finalState = (card: ReturnType<Page['locator']>) => card.locator('section[aria-label="Result"] [data-state]');

async function approveAndFinish(card: ReturnType<Page['locator']>): Promise<string> {
  await card.getByRole('button', { name: 'Approve' }).click();
  await card.locator('section[aria-label="Result"]').waitFor();
  return (await finalState(card).textContent())!.trim();
}

function verifies(password: string, stored: string): boolean {
  const [, salt, hash] = stored.split('$');
  return scryptSync(password, Buffer.from(salt!, 'base64'), 32, { N: 1024 }).toString('base64') === hash;
}

test('sign in: the first-start hint, a wrong password, then the shell with only the caller\'s tenants', async () => {
  const admin = await env.login();
  const made = await env.api('POST', '/api/users', { token: admin, body: { username: 'tech-ui', password: 'tech-ui-password', role: 'technician', tenants: ['contoso'] } });
  assert.equal(made.status, 201);
  const { page } = await env.newPage();
  await page.goto('/');
  await page.getByText('First start').waitFor();
  assert.match(await page.locator('body').innerText(), /password printed in the terminal/);
  await env.screenshot(page, 'sign-in');
  await page.getByLabel('Username').fill('tech-ui');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Wrong username or password.').waitFor();
  await page.getByLabel('Password').fill('tech-ui-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('app-shell').waitFor();
  const switcher = page.getByRole('combobox', { name: 'Tenant' });
  // The switcher is enabled once the caller's tenants have arrived (it says "Loading tenants…" until then).
  await page.waitForFunction(() => {
    const sel = [...document.querySelectorAll('select')].find((x) => x.labels?.[0]?.textContent === 'Tenant');
    return !!sel && !sel.disabled;
  });
  const options = await switcher.locator('option').allInnerTexts();
  assert.deepEqual(options, ['Contoso'], 'a technician sees only the tenants they may act in');
  // The session survives a reload (cookie), and signing out ends it.
  await page.reload();
  await page.getByTestId('app-shell').waitFor();
  await page.getByRole('button', { name: /^Account/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.equal((await page.evaluate(() => fetch('/api/auth/me').then((r) => r.status))), 401);
});

test('reset password: a card, Approve, live progress to Completed, the password shown once and real in the tenant', async () => {
  const page = await signedIn();
  const before = contoso().user('megan.bowen@contoso.com')!.passwordHash;
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
  await ask(page, 'reset password for megan.bowen@contoso.com');
  const card = await lastCard(page);
  assert.equal(await card.getAttribute('data-state'), 'Pending');
  assert.match(await card.locator('h2').innerText(), /Reset password: megan\.bowen@contoso\.com/);
  const meta = await card.locator('header').innerText();
  assert.match(meta, /reset-password/);
  assert.match(meta, /Contoso/);
  const params = card.getByRole('definition').filter({ hasText: 'megan.bowen@contoso.com' });
  assert.equal(await params.count(), 1);
  assert.equal(await card.locator('[data-source="input"]').count(), 1, 'the user came from what was typed');
  const diff = await card.getByRole('list', { name: 'What will change' }).innerText();
  assert.match(diff, /Force change password next sign in/);
  assert.match(diff, /\(none\)[\s\S]*Yes/, 'before and after');
  const approve = card.getByRole('button', { name: 'Approve' });
  assert.equal(await approve.evaluate((b) => b.tagName), 'BUTTON');
  assert.equal(await card.getByRole('button', { name: 'Reject' }).evaluate((b) => b.tagName), 'BUTTON');
  assert.equal(contoso().user('megan.bowen@contoso.com')!.passwordHash, before, 'nothing changes before approval');
  await env.screenshot(page, 'chat-card');

  assert.equal(await approveAndFinish(card), 'Completed');
  assert.equal(await card.getAttribute('data-state'), 'Completed');
  assert.equal(await card.locator('[data-step-state="Completed"][role="img"]').count(), 1);
  assert.equal(await card.getByTestId('run-percent').innerText(), '100%');
  await card.scrollIntoViewIfNeeded();
  await env.screenshot(page, 'progress-completed');
  // The step's outputs keep the password masked; only the one-time box shows it.
  await card.getByRole('button', { name: 'Show inputs and outputs of Reset password' }).click();
  assert.match(await card.getByRole('definition').filter({ hasText: '●●●●●●●●' }).first().innerText(), /●●●●●●●●/);
  const secret = card.getByRole('textbox', { name: 'Temporary password' });
  const password = await secret.inputValue();
  assert.ok(password.length >= 12);
  assert.ok(verifies(password, contoso().user('megan.bowen@contoso.com')!.passwordHash!), 'the password shown is the one the tenant now holds');
  assert.equal(contoso().user('megan.bowen@contoso.com')!.forceChangePasswordNextSignIn, true);
  await card.getByRole('button', { name: 'Copy temporary password' }).click();
  await card.getByRole('button', { name: 'Copy temporary password' }).getByText('Copied').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), password);
  // Sealed: the server will not hand it out again, and hiding it removes it from the page.
  const runId = (await card.getAttribute('data-run-id'))!;
  const again = await page.evaluate((id) => fetch(`/api/runs/${id}/secrets`).then((r) => r.status), runId);
  assert.equal(again, 409);
  await card.getByRole('button', { name: 'I have copied it, hide it' }).click();
  await card.getByText('Sealed').waitFor();
  assert.doesNotMatch(await page.locator('body').innerText(), new RegExp(password.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});

test('one message with two requests gives two cards in the order written', async () => {
  const page = await signedIn();
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
  await ask(page, 'disable alex.wilber@contoso.com and reset password for diego.siciliani@contoso.com');
  const titles = await cards(page).locator('h2').allInnerTexts();
  assert.equal(titles.length, 2, titles.join(' | '));
  assert.match(titles[0]!, /^Disable user: alex\.wilber@contoso\.com/);
  assert.match(titles[1]!, /^Reset password: diego\.siciliani@contoso\.com/);
});

test('a missing parameter comes back as a question with choice chips; a chip answers it and the card follows', async () => {
  const page = await signedIn();
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
  await ask(page, 'assign a licence to debra.berger@contoso.com');
  const question = page.getByRole('group', { name: 'Which licence?' });
  await question.waitFor();
  const chip = question.getByRole('button', { name: /Microsoft 365 E3 \(SPE_E3\)/ });
  assert.equal(await chip.evaluate((b) => b.tagName), 'BUTTON');
  await env.screenshot(page, 'chat-question');
  const before = await cards(page).count();
  const replies = await page.getByTestId('assistant-reply').count();
  await chip.click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="assistant-reply"]').length > n, replies);
  assert.equal(await cards(page).count(), before + 1);
  const card = await lastCard(page);
  assert.match(await card.locator('h2').innerText(), /Assign licence: debra\.berger@contoso\.com/);
  assert.match(await card.getByRole('definition').filter({ hasText: 'SPE_E3' }).first().innerText(), /SPE_E3/);
  assert.equal(await card.getByRole('button', { name: 'Approve' }).isEnabled(), true);
});

test('Reject cancels the card and nothing changes in the tenant', async () => {
  const page = await signedIn();
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
  await ask(page, 'disable lidia.holloway@contoso.com');
  const card = await lastCard(page);
  await card.getByRole('button', { name: 'Reject' }).click();
  await card.and(page.locator('[data-state="Cancelled"]')).waitFor();
  await card.getByText('Rejected: nothing was changed.').waitFor();
  assert.equal(await card.getByRole('button', { name: 'Approve' }).count(), 0);
  assert.equal(contoso().user('lidia.holloway@contoso.com')!.accountEnabled, true);
});

test('a failing run shows Failed, the step\'s error code, message and how to fix it', async () => {
  const page = await signedIn();
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
  await ask(page, 'disable lee.gu@contoso.com');
  const card = await lastCard(page);
  await card.getByRole('button', { name: 'Approve' }).waitFor();
  const faults = contoso().data.controls.faults;
  contoso().data.controls.faults = [{ rate: 1, kind: 503, path: '^/users/[^/]+$', method: 'PATCH' }];
  try {
    assert.equal(await approveAndFinish(card), 'Failed');
  } finally {
    contoso().data.controls.faults = faults;
  }
  const step = card.locator('li[data-step-state="Failed"]');
  await step.locator('[data-error-code="m365_unavailable"]').waitFor();
  const text = await step.innerText();
  assert.match(text, /m365_unavailable/);
  assert.match(text, /Microsoft Graph answered 503/);
  assert.match(text, /How to fix:/);
  assert.equal(contoso().user('lee.gu@contoso.com')!.accountEnabled, true);
  await env.screenshot(page, 'progress-failed');
});

test('Undo: a finished run offers Undo, which is its own card; approving it puts the tenant back and links both runs', async () => {
  const page = await signedIn();
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
  await ask(page, 'disable nestor.wilke@contoso.com');
  const first = await lastCard(page);
  assert.equal(await approveAndFinish(first), 'Completed');
  assert.equal(contoso().user('nestor.wilke@contoso.com')!.accountEnabled, false);
  const count = await cards(page).count();
  await first.getByRole('button', { name: 'Undo' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('article[data-run-id]').length > n, count);
  const undo = await lastCard(page);
  assert.equal(await undo.getAttribute('data-state'), 'Pending');
  assert.equal(await approveAndFinish(undo), 'Completed');
  assert.equal(contoso().user('nestor.wilke@contoso.com')!.accountEnabled, true);
  await first.getByRole('link', { name: 'View its undo' }).waitFor();
  assert.equal(await first.getByRole('button', { name: 'Undo' }).count(), 0, 'a run is undone once');
  await undo.getByRole('link', { name: 'View the run it undoes' }).click();
  await page.waitForURL(`**/runs/${await first.getAttribute('data-run-id')}`);
  await page.locator('article[data-state="Completed"]').getByRole('link', { name: 'Open its conversation' }).click();
  await page.waitForURL('**/chat/**');
  await page.getByTestId('user-message').filter({ hasText: 'disable nestor.wilke@contoso.com' }).waitFor();
});

test('History: filters by state, user, workflow, tenant and date, with links to each run', async () => {
  const page = await signedIn();
  await page.goto('/history');
  const rows = page.getByRole('table', { name: 'Runs' }).locator('tbody tr');
  await rows.first().waitFor();
  await page.getByRole('combobox', { name: 'State' }).selectOption('Failed');
  await page.waitForURL(/state=Failed/);
  // While an answer is loading the table is not there at all, and "every row" of no rows is true:
  // wait for the filtered table itself, holding rows, before reading it.
  await page.waitForFunction(() => {
    const rs = [...document.querySelectorAll('table[aria-label="Runs"] tbody tr')];
    return rs.length > 0 && rs.every((r) => r.getAttribute('data-state') === 'Failed');
  });
  assert.ok((await rows.allInnerTexts()).some((t) => /lee\.gu@contoso\.com/.test(t)), 'the failed run is listed');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('User').fill('nestor');
  await page.waitForURL(/user=nestor/);
  await page.waitForFunction(() => {
    const rs = [...document.querySelectorAll('table[aria-label="Runs"] tbody tr')];
    return rs.length > 0 && rs.every((r) => /nestor\.wilke/.test(r.textContent ?? ''));
  });
  assert.equal(await rows.count(), 2, 'the disable and its undo');
  await page.getByRole('combobox', { name: 'Workflow' }).selectOption({ label: 'Disable user' });
  await page.waitForURL(/workflow=disable-user/);
  await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Runs"] tbody tr').length === 1);
  assert.match(await rows.first().innerText(), /Disable user: nestor\.wilke@contoso\.com/);
  assert.match(await rows.first().innerText(), /Has an undo/);
  await env.screenshot(page, 'history');
  await page.getByRole('combobox', { name: 'Tenant' }).last().selectOption({ label: 'Fabrikam' });
  await page.getByText('No run matches these filters.').waitFor();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('From').fill(tomorrow);
  await page.getByText('No run matches these filters.').waitFor();
  await page.getByLabel('From').fill('2000-01-01');
  await rows.first().waitFor();
  await rows.first().getByRole('link').first().click();
  await page.waitForURL('**/runs/**');
  await page.locator('article[data-run-id]').waitFor();
});
