// Acceptance of issue 4: a full offboarding of a demo user through the API leaves the tenant in the
// offboarded state, every skipped item says why, and its undo restores what can be restored and
// names what cannot. The tenant is read straight from the emulator, not through Tenantflow.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { groupsOfUser, licenseStates } from '../../src/emulator/state/derived.ts';
import type { EmuUser } from '../../src/emulator/state/model.ts';
import type { TenantState } from '../../src/emulator/state/tenant-state.ts';
import { startApiEnv, type ApiEnv } from './harness.ts';

const LEAVER = 'jana.wagner@contoso.com';
const DELEGATE = 'alex.wilber@contoso.com';
const OOO = 'Jana has left Contoso. Please write to sales@contoso.com.';

let env: ApiEnv;
let admin: string;
let tenant: TenantState;

before(async () => {
  env = await startApiEnv('offboarding');
  admin = await env.login();
  tenant = env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
  // Jana has MFA, a direct licence, forwarding to a private address and is in a dynamic group
  // (Sales). No demo user also holds a group-assigned licence and a synced group, so she joins
  // one of each here, as a directory admin would have done.
  const jana = tenant.user(LEAVER)!;
  for (const name of ['Power BI Users', 'SG-FileServer-Users']) groupNamed(name).memberIds.push(jana.id);
  tenant.touch();
});
after(async () => { await env.close(); });

function groupNamed(name: string) {
  const g = tenant.data.groups.find((x) => x.displayName === name);
  assert.ok(g, `the demo seed has the group ${name}`);
  return g;
}

function skuPart(skuId: string): string {
  return tenant.sku(skuId)?.skuPartNumber ?? skuId;
}

/** The facts an offboarding changes, read from the emulator's own state. */
function snapshot(u: EmuUser) {
  const mb = tenant.mailbox(u.id)!;
  const states = licenseStates(tenant, u);
  return {
    accountEnabled: u.accountEnabled,
    sessionsValidFrom: u.signInSessionsValidFromDateTime,
    authMethods: (tenant.data.authMethods[u.id] ?? []).map((m) => m.type).sort(),
    directLicenses: u.directLicenses.map((l) => skuPart(l.skuId)).sort(),
    inheritedLicenses: states.filter((s) => s.assignedByGroup).map((s) => skuPart(s.skuId)).sort(),
    groups: groupsOfUser(tenant, u).map((g) => g.displayName).sort(),
    forwarding: { address: mb.forwardingAddress, smtp: mb.forwardingSmtpAddress, keepCopy: mb.deliverToMailboxAndForward },
    autoReply: { state: mb.autoReply.autoReplyState, internal: mb.autoReply.internalMessage, external: mb.autoReply.externalMessage },
    mailboxType: mb.recipientTypeDetails,
    fullAccess: mb.fullAccess.filter((e) => e.accessRights.includes('FullAccess') && !e.deny).map((e) => tenant.user(e.userId)?.userPrincipalName).sort(),
  };
}

async function propose(body: Record<string, unknown>): Promise<any> {
  const created = await env.api('POST', '/api/runs', { token: admin, body });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.deepEqual(created.body.errors, [], 'the card has no errors');
  assert.deepEqual(created.body.missing, [], 'the card asks nothing more');
  return created.body;
}

async function approveToEnd(id: string): Promise<any> {
  const done = env.waitTerminal(id);
  assert.equal((await env.api('POST', `/api/runs/${id}/approve`, { token: admin })).status, 202);
  await done;
  return (await env.api('GET', `/api/runs/${id}`, { token: admin })).body;
}

/** Every skipped step and every skipped item of every step says why. */
function assertSkipsExplained(run: any): void {
  for (const s of run.steps) {
    if (s.state === 'Skipped') assert.ok(typeof s.skipReason === 'string' && s.skipReason.length > 10, `step ${s.id} is Skipped with a reason`);
    for (const item of s.skipped ?? []) {
      assert.ok(typeof item.item === 'string' && item.item.length > 0, `a skipped item of ${s.id} names what was skipped`);
      assert.ok(typeof item.reason === 'string' && item.reason.length > 10, `skipped ${item.item} in ${s.id} carries its reason`);
    }
  }
}

let offboardRun: string;
let beforeState: ReturnType<typeof snapshot>;

test('a full offboarding through the API ends Completed with the tenant offboarded', async () => {
  const jana = tenant.user(LEAVER)!;
  beforeState = snapshot(jana);
  // The starting point the acceptance needs: enabled, MFA, direct and inherited licences, groups of
  // every kind, forwarding, no auto-reply, a user mailbox.
  assert.equal(beforeState.accountEnabled, true);
  assert.ok(beforeState.authMethods.some((t) => t !== 'password'), 'Jana has MFA methods');
  assert.ok(beforeState.directLicenses.length > 0, 'Jana has a direct licence');
  assert.deepEqual(beforeState.inheritedLicenses, ['POWER_BI_PRO']);
  assert.ok(beforeState.groups.includes('Sales Department (Dynamic)') && beforeState.groups.includes('Sales Team'));
  assert.ok(beforeState.forwarding.smtp, 'Jana forwards her mail');
  assert.equal(beforeState.autoReply.state, 'Disabled');
  assert.equal(beforeState.mailboxType, 'UserMailbox');
  assert.ok(!beforeState.fullAccess.includes(DELEGATE));

  const created = await propose({ tenant: 'contoso', workflow: 'offboard-user', params: { user: LEAVER, convertToShared: true, delegate: DELEGATE, message: OOO } });
  // The card told the approver what would be skipped, and why, before anything ran.
  const preview = new Map<string, any>(created.preview.steps.map((s: any) => [s.stepId, s]));
  assert.deepEqual(preview.get('groups').skippedItems.map((s: any) => s.item).sort(), ['SG-FileServer-Users', 'Sales Department (Dynamic)']);
  assert.ok(preview.get('groups').warnings.some((w: string) => /POWER_BI_PRO/.test(w)), 'the card says which inherited licence goes with a group');
  assert.equal(new Set(preview.get('groups').warnings).size, preview.get('groups').warnings.length, 'each warning is said once');
  // The mailbox becomes shared in an earlier step, so the licence step must not tell the approver
  // to convert it first (the card would contradict itself).
  assert.ok(!preview.get('licenses').warnings.some((w: string) => /loses Exchange Online/.test(w)), JSON.stringify(preview.get('licenses').warnings));
  assert.deepEqual(snapshot(tenant.user(LEAVER)!), beforeState, 'nothing changed before approval');

  offboardRun = created.id;
  const run = await approveToEnd(created.id);

  assert.equal(run.state, 'Completed', JSON.stringify(run.steps.filter((s: any) => s.state !== 'Completed')));
  assert.deepEqual(run.steps.map((s: any) => s.state), Array(9).fill('Completed'));
  assert.equal(run.percent, 100);
  for (const s of run.steps) assert.equal(typeof s.durationMs, 'number', `${s.id} records its duration`);
  assertSkipsExplained(run);

  const after = snapshot(tenant.user(LEAVER)!);
  assert.equal(after.accountEnabled, false, 'the account is disabled');
  assert.ok(Date.parse(after.sessionsValidFrom!) > Date.parse(beforeState.sessionsValidFrom!), 'sessions are revoked (valid-from moved)');
  assert.deepEqual(after.authMethods, ['password'], 'no MFA method is left, the password stays');
  assert.deepEqual(after.directLicenses, [], 'no direct licence is left');
  assert.deepEqual(after.groups, ['SG-FileServer-Users', 'Sales Department (Dynamic)'], 'only the dynamic and synced groups remain');
  assert.deepEqual(after.inheritedLicenses, [], 'the group-assigned licence went with its group');
  assert.deepEqual(after.forwarding, { address: null, smtp: null, keepCopy: false }, 'no forwarding');
  assert.deepEqual(after.autoReply, { state: 'Enabled', internal: OOO, external: OOO }, 'the out-of-office is on');
  assert.equal(after.mailboxType, 'SharedMailbox');
  assert.ok(after.fullAccess.includes(DELEGATE), 'the delegate has Full Access');

  const steps = new Map<string, any>(run.steps.map((s: any) => [s.id, s]));
  const groupSkips = steps.get('groups').skipped;
  assert.deepEqual(groupSkips.map((s: any) => s.item).sort(), ['SG-FileServer-Users', 'Sales Department (Dynamic)']);
  assert.match(groupSkips.find((s: any) => s.item === 'Sales Department (Dynamic)').reason, /dynamic/i);
  assert.match(groupSkips.find((s: any) => s.item === 'SG-FileServer-Users').reason, /on-premises|synced/i);
  assert.deepEqual(steps.get('mfa').skipped.map((s: any) => s.item), ['password']);
  assert.deepEqual(run.outputs.removedGroups.map((g: any) => g.displayName).sort(), ['All Staff', 'Power BI Users', 'Sales Team']);
  assert.deepEqual(run.outputs.removedLicenses.map((l: any) => l.skuPartNumber), beforeState.directLicenses);
  assert.equal(run.reversible, true);
});

test('its undo restores what can be restored and lists what cannot', async () => {
  assert.ok(offboardRun, 'the offboarding ran');
  const undo = await env.api('POST', `/api/runs/${offboardRun}/undo`, { token: admin });
  assert.equal(undo.status, 201, JSON.stringify(undo.body));
  assert.equal(undo.body.state, 'Pending', 'undo waits for approval like any card');
  const notUndoable = new Map<string, string>(undo.body.notUndoable.map((n: any) => [n.step, n.reason]));
  assert.deepEqual([...notUndoable.keys()].sort(), ['mfa', 'revoke']);
  for (const reason of notUndoable.values()) assert.ok(reason.length > 10, 'each irreversible step says why');
  // The inverses run in reverse order: licences come back before the mailbox becomes a user mailbox again.
  const actions = undo.body.preview.steps.map((s: any) => s.action);
  assert.ok(actions.indexOf('assign-license') < actions.indexOf('convert-to-shared'));
  assert.equal(actions.at(-1), 'enable-user');

  const offboarded = snapshot(tenant.user(LEAVER)!);
  const done = env.waitTerminal(undo.body.id);
  assert.equal((await env.api('POST', `/api/runs/${undo.body.id}/approve`, { token: admin })).status, 202);
  assert.equal(await done, 'Completed');
  const undoRun = (await env.api('GET', `/api/runs/${undo.body.id}`, { token: admin })).body;
  assert.ok(undoRun.steps.every((s: any) => s.state === 'Completed'), JSON.stringify(undoRun.steps.map((s: any) => [s.id, s.state, s.error?.message])));
  assertSkipsExplained(undoRun);

  const restored = snapshot(tenant.user(LEAVER)!);
  assert.equal(restored.accountEnabled, true, 'the account is enabled again');
  assert.deepEqual(restored.directLicenses, beforeState.directLicenses, 'the direct licence is back');
  assert.deepEqual(restored.groups, beforeState.groups, 'the group memberships are back');
  assert.deepEqual(restored.inheritedLicenses, beforeState.inheritedLicenses, 'and with them the inherited licence');
  assert.deepEqual(restored.forwarding, beforeState.forwarding, 'forwarding is back as it was');
  assert.equal(restored.autoReply.state, beforeState.autoReply.state, 'the auto-reply is off again');
  assert.equal(restored.mailboxType, 'UserMailbox');
  assert.deepEqual(restored.fullAccess, beforeState.fullAccess, 'the delegate no longer has Full Access');
  // What the undo said it cannot restore stays as the offboarding left it.
  assert.deepEqual(restored.authMethods, ['password']);
  assert.equal(restored.sessionsValidFrom, offboarded.sessionsValidFrom);

  const again = await env.api('POST', `/api/runs/${offboardRun}/undo`, { token: admin });
  assert.equal(again.status, 409, 'a run is undone once');
  assert.equal(again.body.error.details.undoRun, undo.body.id);
});

test('without the options, the optional steps are Skipped and say why', async () => {
  const leaver = 'grady.archie@contoso.com';
  const run = await approveToEnd((await propose({ tenant: 'contoso', workflow: 'offboard-user', params: { user: leaver } })).id);
  assert.equal(run.state, 'Completed');
  const states = Object.fromEntries(run.steps.map((s: any) => [s.id, s.state]));
  assert.equal(states.shared, 'Skipped');
  assert.equal(states.delegate, 'Skipped');
  assertSkipsExplained(run);
  const after = snapshot(tenant.user(leaver)!);
  assert.equal(after.accountEnabled, false);
  assert.equal(after.mailboxType, 'UserMailbox', 'the mailbox was not converted');
  assert.deepEqual(after.directLicenses, []);
  assert.equal(after.autoReply.state, 'Enabled');
});

test('the licence step warns that the mailbox goes with the licence, unless an earlier step makes it shared', async () => {
  // A user with a direct licence that carries Exchange Online and a user mailbox of their own.
  const exchangeSku = (skuId: string) => !!tenant.sku(skuId)?.servicePlans.some((p) => p.servicePlanName.startsWith('EXCHANGE_S_'));
  const user = tenant.data.users.find((u) => u.accountEnabled && u.mail && ![LEAVER, DELEGATE].includes(u.userPrincipalName)
    && u.directLicenses.some((l) => exchangeSku(l.skuId)) && tenant.mailbox(u.id)?.recipientTypeDetails === 'UserMailbox'
    && !licenseStates(tenant, u).some((s) => s.assignedByGroup))!;
  assert.ok(user, 'the demo seed has such a user');
  const warningsOf = (card: any) => card.preview.steps.find((s: any) => s.stepId === 'licenses').warnings as string[];
  const kept = await propose({ tenant: 'contoso', workflow: 'offboard-user', params: { user: user.userPrincipalName } });
  assert.ok(warningsOf(kept).some((w) => w === `${user.userPrincipalName} loses Exchange Online: the mailbox is deleted 30 days later. Convert it to a shared mailbox first if it must be kept.`), JSON.stringify(warningsOf(kept)));
  const shared = await propose({ tenant: 'contoso', workflow: 'offboard-user', params: { user: user.userPrincipalName, convertToShared: true } });
  assert.ok(!warningsOf(shared).some((w) => /loses Exchange Online/.test(w)), JSON.stringify(shared.preview.steps.map((s: any) => [s.stepId, s.changes])));
  for (const id of [kept.id, shared.id]) assert.equal((await env.api('POST', `/api/runs/${id}/reject`, { token: admin })).status, 200);
});
