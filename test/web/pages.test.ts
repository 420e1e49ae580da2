// Browser tests of the other pages and of how the app is used: the catalog's "Try it", the demo
// tenant inspector watching a change land, notifications (bell and toast), keyboard-only use,
// steady layout while progress streams, and a phone-width screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startWebEnv, type WebEnv } from './web-env.ts';

let env: WebEnv;
let admin: string;
before(async () => {
  env = await startWebEnv('pages');
  admin = await env.login();
});
after(async () => { await env?.close(); });

const contoso = () => env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;

async function signedIn(viewport?: { width: number; height: number }): Promise<Page> {
  const { page } = await env.newPage(viewport);
  await env.signIn(page);
  return page;
}

async function ask(page: Page, text: string): Promise<void> {
  const replies = await page.getByTestId('assistant-reply').count();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="assistant-reply"]').length > n, replies);
}

test('Catalog lists actions and workflows with their parameters; "Try it" pre-fills the chat', async () => {
  const page = await signedIn();
  await page.goto('/catalog');
  const offboard = page.locator('article[data-catalog-id="offboard-user"]');
  await offboard.waitFor();
  assert.match(await offboard.getByRole('list', { name: 'Parameters of Offboard user' }).innerText(), /user string, required/);
  const reset = page.locator('article[data-catalog-id="reset-password"]');
  assert.match(await reset.innerText(), /No undo/);
  assert.ok(await page.locator('article[data-catalog-id]').count() >= 20);
  await env.screenshot(page, 'catalog');
  await page.getByRole('searchbox', { name: 'Search the catalog' }).fill('licence');
  await page.waitForFunction(() => !document.querySelector('article[data-catalog-id="reset-password"]'));
  assert.ok(await page.locator('article[data-catalog-id="assign-license"]').count() === 1);
  await page.locator('article[data-catalog-id="assign-license"]').getByRole('button', { name: 'Try Assign licence in the chat' }).click();
  await page.waitForURL('**/chat');
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.waitFor();
  assert.equal(await box.inputValue(), 'assign license to ');
  assert.equal(await box.evaluate((el) => el === document.activeElement), true, 'the message box has the focus to finish the sentence');
});

test('Demo tenant inspector: users, licences, mailboxes, outbox and the effects ledger; a change lands while watching', async () => {
  const page = await signedIn();
  await page.goto('/inspector');
  const table = page.getByRole('table', { name: 'Users' });
  await table.waitFor();
  await page.getByRole('searchbox', { name: 'Search users' }).fill('pradeep');
  const row = table.locator('tbody tr').filter({ hasText: 'pradeep.gupta@contoso.com' });
  await row.getByText('Allowed').waitFor();
  // A run approved elsewhere (the API) shows up here without a reload.
  const c = await env.api('POST', '/api/runs', { token: admin, body: { tenant: 'contoso', workflow: 'disable-user', params: { user: 'pradeep.gupta@contoso.com' } } });
  await env.api('POST', `/api/runs/${c.body.id}/approve`, { token: admin });
  await row.getByText('Blocked').waitFor();
  assert.equal(contoso().user('pradeep.gupta@contoso.com')!.accountEnabled, false);
  await env.screenshot(page, 'inspector');
  await page.getByRole('tab', { name: 'Effects ledger' }).click();
  const ledger = page.getByRole('table', { name: 'Effects ledger' });
  await ledger.locator('tbody tr').filter({ hasText: 'pradeep.gupta@contoso.com' }).first().waitFor();
  assert.match(await ledger.locator('tbody tr').first().innerText(), /PATCH/);
  await page.getByRole('tab', { name: 'Licences' }).click();
  await page.getByRole('table', { name: 'Licences' }).locator('tbody tr').first().waitFor();
  await page.getByRole('tab', { name: 'Mailboxes' }).click();
  await page.getByRole('table', { name: 'Mailboxes' }).waitFor();
  await page.getByRole('tab', { name: 'Email outbox' }).click();
  await page.locator('table[aria-label="Email outbox"], :text("Nothing here yet.")').first().waitFor();
});

test('Notifications: a toast and the bell\'s unread count when a run you approved ends; the bell opens the run', async () => {
  const page = await signedIn();
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
  const unreadBefore = (await env.api('GET', '/api/notifications', { token: admin })).body.unread as number;
  await ask(page, 'disable debra.berger@contoso.com');
  const card = page.locator('article[data-run-id]').last();
  const runId = (await card.getAttribute('data-run-id'))!;
  await card.getByRole('button', { name: 'Approve' }).click();
  await page.getByText('Run Completed', { exact: true }).waitFor();
  await page.getByRole('button', { name: `Notifications, ${unreadBefore + 1} unread` }).click();
  const item = page.getByRole('dialog', { name: 'Notifications' }).getByRole('button', { name: /Disable user: debra\.berger@contoso\.com/ });
  await item.click();
  await page.waitForURL(`**/runs/${runId}`);
  await page.getByRole('button', { name: `Notifications, ${unreadBefore} unread` }).waitFor();
});

test('A ticket reference attaches to the conversation, and the same ticket reopens it later', async () => {
  const page = await signedIn();
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
  await page.getByRole('textbox', { name: 'Ticket reference' }).fill('CW-48211');
  await page.getByRole('button', { name: 'Attach' }).click();
  await page.getByText('Ticket CW-48211', { exact: true }).waitFor();
  await ask(page, 'disable diego.siciliani@contoso.com');
  const runId = (await page.locator('article[data-run-id]').last().getAttribute('data-run-id'))!;
  const run = await env.api('GET', `/api/runs/${runId}`, { token: admin });
  const conv = await env.api('GET', `/api/conversations/${run.body.conversationId}`, { token: admin });
  assert.equal(conv.body.ticketRef, 'CW-48211', 'the card belongs to the ticket\'s conversation');
  await page.getByRole('button', { name: /New/ }).click();
  await page.getByText('What needs doing').waitFor();
  await page.getByRole('textbox', { name: 'Ticket reference' }).fill('CW-48211');
  await page.getByRole('button', { name: 'Attach' }).click();
  await page.locator(`article[data-run-id="${runId}"]`).waitFor();
  assert.equal(await page.getByTestId('user-message').filter({ hasText: 'disable diego.siciliani@contoso.com' }).count(), 1);
});

test('Keyboard only: reach the message box, send, tab to Approve and press Enter, with a visible focus', async () => {
  const page = await signedIn();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.waitFor();
  // Tab from the top of the page until the message box has the focus.
  await page.locator('body').focus();
  for (let i = 0; i < 40 && !(await box.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  assert.equal(await box.evaluate((el) => el === document.activeElement), true, 'the message box is reachable with Tab');
  await page.keyboard.type('disable lee.gu@contoso.com');
  await page.keyboard.press('Enter');
  const card = page.locator('article[data-run-id]').last();
  const approve = card.getByRole('button', { name: 'Approve' });
  await approve.waitFor();
  for (let i = 0; i < 80 && !(await approve.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  assert.equal(await approve.evaluate((el) => el === document.activeElement), true, 'Approve is reachable with Tab');
  assert.equal(await approve.getAttribute('data-fui-focus-visible'), '', 'keyboard focus is shown');
  await page.keyboard.press('Enter');
  await card.locator('section[aria-label="Result"] [data-state="Completed"]').waitFor();
  assert.equal(contoso().user('lee.gu@contoso.com')!.accountEnabled, false);
  const enable = await env.api('POST', '/api/runs', { token: admin, body: { tenant: 'contoso', workflow: 'enable-user', params: { user: 'lee.gu@contoso.com' } } });
  const back = env.waitTerminal(enable.body.id);
  await env.api('POST', `/api/runs/${enable.body.id}/approve`, { token: admin });
  await back;
});

test('Progress streams without moving the layout: the step list keeps its size from Approve to the end', async () => {
  const page = await signedIn();
  const created = await env.api('POST', '/api/runs', { token: admin, body: { tenant: 'contoso', workflow: 'offboard-user', params: { user: 'irvin.sayers@contoso.com' } } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await page.goto(`/runs/${created.body.id}`);
  const card = page.locator('article[data-run-id]');
  await card.getByRole('button', { name: 'Approve' }).waitFor();
  // Every step takes a moment, so the page sees each transition.
  const latency = contoso().data.controls.latency;
  contoso().data.controls.latency = { mode: 'fixed', ms: 40 };
  try {
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.getByRole('list', { name: 'Steps' }).waitFor();
    await page.evaluate(() => {
      const list = document.querySelector('ol[aria-label="Steps"]')!;
      const w = window as unknown as { heights: number[]; states: string[] };
      w.heights = [list.getBoundingClientRect().height];
      w.states = [];
      new MutationObserver(() => {
        w.heights.push(list.getBoundingClientRect().height);
        w.states.push([...list.querySelectorAll('li')].map((li) => li.getAttribute('data-step-state')).join(','));
      }).observe(list, { subtree: true, attributes: true, childList: true, characterData: true });
    });
    await card.locator('section[aria-label="Result"]').waitFor();
  } finally {
    contoso().data.controls.latency = latency;
  }
  const { heights, states } = await page.evaluate(() => {
    const w = window as unknown as { heights: number[]; states: string[] };
    return { heights: w.heights, states: w.states };
  });
  assert.ok(new Set(states).size >= 3, `the page saw the steps move (${states.length} updates)`);
  assert.equal(new Set(heights.map((h) => Math.round(h))).size, 1, `the step list never changed height: ${[...new Set(heights)].join(', ')}`);
  assert.equal(await card.getAttribute('data-state'), 'Completed');
});

test('Phone width: the shell, the chat with a card and the run page fit 390px without sideways scrolling', async () => {
  const page = await signedIn({ width: 390, height: 844 });
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
  await ask(page, 'reset password for alex.wilber@contoso.com');
  await page.locator('article[data-run-id]').last().getByRole('button', { name: 'Approve' }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scroll (${overflow}px)`);
  const nav = page.getByRole('navigation', { name: 'Pages' });
  for (const name of ['Chat', 'History', 'Catalog', 'Demo tenant']) assert.equal(await nav.getByRole('link', { name }).isVisible(), true, name);
  await env.screenshot(page, 'phone-chat');
});
