// The directory kept between lifecycle passes: the first fetch is a full one, later ones apply a
// /users/delta round and give exactly what a full fetch gives; a refused token (the tenant was
// reset) falls back to a full fetch; and a scheduled pass after a change sees it through delta,
// having received only the changed user.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fetchDirectory, passSelect } from '../../src/lifecycle/directory.ts';
import { DirectorySync } from '../../src/lifecycle/directory-sync.ts';
import { startLcwEnv, LCW, type LcwEnv } from './harness.ts';

const HOUR = 3_600_000;
let env: LcwEnv;

before(async () => { env = await startLcwEnv('directory_sync'); });
after(async () => { await env.close(); });

const contoso = () => env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
const graph = () => env.rt.connector.graph(env.contosoId);

test('delta rounds keep the copy equal to a full fetch; only selected changes come over the wire', async () => {
  const sync = new DirectorySync();
  const select = passSelect(['department', 'accountEnabled', 'assignedLicenses']);
  const first = await sync.fetch(env.contosoId, graph(), select);
  assert.equal(first.mode, 'full');
  assert.equal(first.reason, 'first');
  assert.deepEqual(first.users, await fetchDirectory(graph(), select));

  const users = contoso().data.users;
  const mover = users.find((u) => u.department === 'Finance' && u.accountEnabled)!;
  const leaver = users.find((u) => u.accountEnabled && u.id !== mover.id && u.department !== 'Finance')!;
  const licensed = users.find((u) => u.directLicenses.length > 0 && ![mover.id, leaver.id].includes(u.id))!;
  const gone = users.find((u) => !u.managerId && u.directLicenses.length === 0 && ![mover.id, leaver.id, licensed.id].includes(u.id) && !contoso().mailbox(u.id))!;
  const untouched = users.find((u) => ![mover.id, leaver.id, licensed.id, gone.id].includes(u.id) && u.managerId)!;
  const created = await graph().post<{ id: string }>('/users', {
    accountEnabled: true, displayName: 'Delta Newcomer', mailNickname: 'delta.newcomer', userPrincipalName: 'delta.newcomer@contoso.onmicrosoft.com',
    department: 'Research', passwordProfile: { forceChangePasswordNextSignIn: true, password: 'xWwvJ]6NMw+bWH-d' },
  });
  await graph().patch(`/users/${mover.id}`, { department: 'Marketing' });
  await graph().patch(`/users/${leaver.id}`, { accountEnabled: false });
  await graph().post(`/users/${licensed.id}/assignLicense`, { addLicenses: [], removeLicenses: [licensed.directLicenses[0]!.skuId] });
  await graph().delete(`/users/${gone.id}`);
  // Changes to properties the pass does not read do not come back.
  await graph().patch(`/users/${untouched.id}`, { jobTitle: 'Changed but not selected' });
  await graph().delete(`/users/${untouched.id}/manager/$ref`);

  const second = await sync.fetch(env.contosoId, graph(), select);
  assert.equal(second.mode, 'delta');
  assert.equal(second.received, 5, 'the new user, the mover, the disabled user, the licence change and the deletion');
  const full = await fetchDirectory(graph(), select);
  assert.deepEqual(second.users, full, 'the same users, values and order as a full fetch');
  const byId = new Map(second.users.map((u) => [u.id, u]));
  assert.equal(byId.get(created.id)?.department, 'Research');
  assert.equal(byId.get(mover.id)?.department, 'Marketing');
  assert.equal(byId.get(leaver.id)?.accountEnabled, false);
  assert.equal(byId.has(gone.id), false);

  const third = await sync.fetch(env.contosoId, graph(), select);
  assert.equal(third.mode, 'delta');
  assert.equal(third.received, 0);
  assert.deepEqual(third.users, full);

  // A reset voids the token (410 resyncRequired): the copy is rebuilt with a full fetch.
  const reset = await fetch(`${env.h.base}/_emulator/tenants/contoso.onmicrosoft.com/reset`, { method: 'POST' });
  assert.equal(reset.status, 200);
  const afterReset = await sync.fetch(env.contosoId, graph(), select);
  assert.equal(afterReset.mode, 'full');
  assert.equal(afterReset.reason, 'tokenRefused');
  assert.deepEqual(afterReset.users, await fetchDirectory(graph(), select));
  assert.equal((await sync.fetch(env.contosoId, graph(), select)).mode, 'delta', 'and delta again from there');
});

test('a scheduled pass after a change between passes sees it through delta, fetching only that user', async () => {
  const sdk = env.sdk();
  const wf = await sdk.api(`${LCW}/workflows`).post({
    category: 'mover', displayName: 'Moved to Marketing (delta)', isEnabled: true, isSchedulingEnabled: true,
    executionConditions: {
      '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions',
      scope: { '@odata.type': '#microsoft.graph.identityGovernance.ruleBasedSubjectSet', rule: "department eq 'Marketing'" },
      trigger: { '@odata.type': '#microsoft.graph.identityGovernance.attributeChangeTrigger', triggerAttributes: [{ name: 'department' }] },
    },
    tasks: [{ displayName: 'Revoke sessions', taskDefinitionId: '509589a4-0466-4471-829e-49c5e502bdee', arguments: [] }],
  });
  const pass = async () => {
    env.clock.advance(3 * HOUR);
    const [r] = (await env.rt.lifecycle.tick()).filter((x) => x.tenantId === env.contosoId);
    await env.rt.lifecycle.settled({ tenantId: env.contosoId });
    return r!;
  };
  const first = await pass();
  assert.equal(first.directory?.mode, 'full');
  assert.equal(first.directory?.received, first.usersEvaluated);
  assert.deepEqual(first.scheduled, {});

  const mover = contoso().data.users.find((u) => u.department === 'Finance' && u.accountEnabled && !u.employeeLeaveDateTime)!;
  await graph().patch(`/users/${mover.id}`, { department: 'Marketing' });
  const second = await pass();
  assert.deepEqual(second.directory, { mode: 'delta', received: 1 }, 'only the moved user came over the wire');
  assert.equal(second.usersEvaluated, first.usersEvaluated, 'the whole directory was still evaluated');
  assert.equal(second.scheduled[wf.id], 1);
  const results = await sdk.api(`${LCW}/workflows/${wf.id}/userProcessingResults`).get();
  assert.deepEqual(results.value.map((u: any) => u.subject.id), [mover.id]);

  const third = await pass();
  assert.deepEqual(third.directory, { mode: 'delta', received: 0 });
  assert.deepEqual(third.scheduled, {});
  await sdk.api(`${LCW}/workflows/${wf.id}`).patch({ isSchedulingEnabled: false });
});
