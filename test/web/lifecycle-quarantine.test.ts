// Browser test of workflow quarantine on the lifecycle pages: an admin sets a count threshold in
// the editor, a scheduled pass over more due users quarantines the workflow, the list shows the
// badge and the workflow page the banner with the reason; a technician cannot release it, an admin
// does, and the next pass processes the users.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startWebEnv, type WebEnv } from './web-env.ts';

const HOUR = 3_600_000;
const NS = 'microsoft.graph.identityGovernance';
const DEPARTMENT = 'Night Shift';
const TECH = { username: 'quinn-tech', password: 'quinn-tech-password', role: 'technician', tenants: ['contoso'] };

let env: WebEnv;
let admin: string;
let hires: string[] = [];

const lcw = (p: string) => `/graph/contoso.onmicrosoft.com/v1.0/identityGovernance/lifecycleWorkflows${p}`;
const contoso = () => env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;

before(async () => {
  env = await startWebEnv('lcwquarantine');
  admin = await env.login();
  assert.equal((await env.api('POST', '/api/users', { token: admin, body: TECH })).status, 201);
  // Five new hires (an hour ago) in one department: due for a joiner workflow on the hire date.
  const people = contoso().data.users.filter((u) => u.accountEnabled && u.userType === 'Member' && !u.onPremisesSyncEnabled).slice(0, 5);
  const graph = env.rt.connector.graph(env.contosoId);
  const hired = new Date(Date.now() - HOUR).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const u of people) await graph.patch(`/users/${u.id}`, { department: DEPARTMENT, employeeHireDate: hired });
  hires = people.map((u) => u.id).sort();
});
after(async () => { await env?.close(); });

async function signedIn(who?: { username: string; password: string }): Promise<Page> {
  const { page } = await env.newPage();
  await env.signIn(page, who?.username, who?.password);
  return page;
}

test('a quarantined workflow shows its badge and reason; an admin releases it and the next pass processes the users', async () => {
  // Not on the schedule yet: the admin sets the threshold and turns the schedule on in the editor.
  const created = await env.api('POST', lcw('/workflows'), {
    token: admin,
    body: {
      category: 'joiner', displayName: 'Night shift joiners', isEnabled: true, isSchedulingEnabled: false,
      executionConditions: {
        '@odata.type': `#${NS}.triggerAndScopeBasedConditions`,
        scope: { '@odata.type': `#${NS}.ruleBasedSubjectSet`, rule: `department eq '${DEPARTMENT}'` },
        trigger: { '@odata.type': `#${NS}.timeBasedAttributeTrigger`, timeBasedAttribute: 'employeeHireDate', offsetInDays: 0 },
      },
      tasks: [{ displayName: 'Enable the account', taskDefinitionId: '6fc52c9d-398b-4305-9763-15f42c1676fc', arguments: [] }],
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id as string;
  const q = `?tenant=${encodeURIComponent(env.contosoId)}`;

  const page = await signedIn();
  await page.goto(`/lifecycle/workflows/${id}/edit${q}`);
  await page.getByRole('heading', { name: 'Edit Night shift joiners' }).waitFor();
  await page.getByRole('heading', { name: 'Quarantine thresholds' }).waitFor();
  await page.getByRole('spinbutton', { name: /Most users a run may process/ }).fill('2');
  await page.getByRole('switch', { name: 'Runs on the schedule' }).check();
  await page.getByRole('heading', { name: 'Quarantine thresholds' }).scrollIntoViewIfNeeded();
  await env.screenshot(page, 'lifecycle-quarantine-editor');
  await page.getByRole('button', { name: 'Save as a new version' }).click();
  await page.getByText('Version 2', { exact: true }).waitFor();
  await page.getByText('Quarantined when a scheduled run would process more than 2 users.').waitFor();
  const v2 = await env.api('GET', lcw(`/workflows/${id}`), { token: admin });
  assert.deepEqual([v2.body.isSchedulingEnabled, v2.body.settings], [true, { quarantineConfiguration: { conditions: [{ '@odata.type': `#${NS}.countBasedQuarantineCondition`, threshold: 2 }], matchMode: 'any' } }]);

  // The scheduled pass finds five users due: more than two, so nobody is processed.
  const first = await env.rt.lifecycle.scheduler.pass(env.contosoId, new Date());
  const reason = 'This run would process 5 users; the threshold is 2 users.';
  const held = first.quarantined[id]?.reason ?? ((await env.api('GET', lcw(`/workflows/${id}`), { token: admin })).body.quarantineDetails.quarantineReason as string);
  assert.equal(held, reason, 'quarantined by this pass or by the scheduler\'s own');
  assert.equal(first.scheduled[id], undefined);

  await page.goto(`/lifecycle${q}`);
  const row = page.locator(`tr[data-lcw-id="${id}"]`);
  await row.getByText('Quarantined', { exact: true }).waitFor();
  await env.screenshot(page, 'lifecycle-quarantine-list');
  await row.getByRole('link', { name: 'Night shift joiners' }).click();
  const banner = page.getByTestId('quarantine-banner');
  await banner.getByText(reason).waitFor();
  assert.match(await banner.innerText(), /Quarantined[\s\S]*processes nobody, scheduled or on demand, until it is released/);
  assert.equal(await page.getByRole('button', { name: 'Run now' }).isDisabled(), true, 'no on-demand run while quarantined');
  await env.screenshot(page, 'lifecycle-quarantine-banner');

  // A technician sees why, but may not release it.
  const tech = await signedIn(TECH);
  await tech.goto(`/lifecycle/workflows/${id}${q}`);
  await tech.getByTestId('quarantine-banner').getByText(reason).waitFor();
  assert.equal(await tech.getByRole('button', { name: 'Release quarantine' }).isDisabled(), true);

  await banner.getByRole('button', { name: 'Release quarantine' }).click();
  const dialog = page.getByRole('dialog', { name: 'Release Night shift joiners?' });
  await dialog.getByText(reason).waitFor();
  await dialog.getByRole('button', { name: 'Release', exact: true }).click();
  await banner.waitFor({ state: 'detached' });
  await page.getByText('Version 2', { exact: true }).waitFor();
  assert.equal(await page.getByText('Quarantined', { exact: true }).count(), 0, 'no badge once released');
  const released = await env.api('GET', lcw(`/workflows/${id}`), { token: admin });
  assert.deepEqual(released.body.quarantineDetails, { quarantinedDateTime: null, quarantineReason: null, quarantineType: 'notQuarantined' });

  // The next pass processes the five users still due.
  const next = await env.rt.lifecycle.scheduler.pass(env.contosoId, new Date());
  assert.equal(next.quarantined[id], undefined);
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  const results = await env.api('GET', lcw(`/workflows/${id}/userProcessingResults`), { token: admin });
  assert.deepEqual(results.body.value.map((u: { subject: { id: string } }) => u.subject.id).sort(), hires);
});
