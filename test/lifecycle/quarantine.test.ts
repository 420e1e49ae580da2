// Workflow quarantine through the Graph-shaped API: settings.quarantineConfiguration on workflows,
// versions and the tenant's settings (round-trip and Microsoft-style 400s), and scheduled passes
// with a test clock: a run over its thresholds quarantines the workflow and processes nobody, until
// clearQuarantine releases it and the next pass processes the users still due.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLcwEnv, LCW, type LcwEnv } from './harness.ts';

const HOUR = 3_600_000;
const NS = 'microsoft.graph.identityGovernance';
const COUNT = `#${NS}.countBasedQuarantineCondition`;
const PERCENT = `#${NS}.percentageBasedQuarantineCondition`;
const ENABLE_ACCOUNT = '6fc52c9d-398b-4305-9763-15f42c1676fc';
const DEPARTMENT = 'Quarantine Lab';
/** Users in the scope rule, and how many of them are due (hired an hour before the clock). */
const IN_SCOPE = 40;
const DUE = 12;

let env: LcwEnv;
let dueIds: string[] = [];

const contoso = () => env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
const path = (p: string, tenant = 'contoso') => `/graph/${tenant}/v1.0${LCW}${p}`;
const call = (method: string, p: string, body?: unknown, tenant?: string) => env.call(method, path(p, tenant), { token: env.admin, ...(body !== undefined ? { body } : {}) });
async function ok(method: string, p: string, body?: unknown, status = 200, tenant?: string) {
  const r = await call(method, p, body, tenant);
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}
function assertInvalid(r: { status: number; body: any }, message: RegExp) {
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'invalidRequest');
  assert.match(r.body.error.message, message);
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

before(async () => {
  env = await startLcwEnv('quarantine');
  // A department of 40 cloud users; 12 of them were hired an hour ago (due for a joiner workflow
  // triggered on the hire date), the others years ago.
  const people = contoso().data.users.filter((u) => u.accountEnabled && u.userType === 'Member' && !u.onPremisesSyncEnabled).slice(0, IN_SCOPE);
  assert.equal(people.length, IN_SCOPE, 'the demo tenant has enough cloud users');
  const graph = env.rt.connector.graph(env.contosoId);
  for (const [i, u] of people.entries()) {
    await graph.patch(`/users/${u.id}`, { department: DEPARTMENT, employeeHireDate: i < DUE ? isoSeconds(env.clock.now() - HOUR) : '2019-04-01T00:00:00Z' });
  }
  dueIds = people.slice(0, DUE).map((u) => u.id).sort();
});
after(async () => { await env.close(); });

function joiner(displayName: string, settings?: unknown) {
  return {
    category: 'joiner', displayName, isEnabled: true, isSchedulingEnabled: true,
    executionConditions: {
      '@odata.type': `#${NS}.triggerAndScopeBasedConditions`,
      scope: { '@odata.type': `#${NS}.ruleBasedSubjectSet`, rule: `department eq '${DEPARTMENT}'` },
      trigger: { '@odata.type': `#${NS}.timeBasedAttributeTrigger`, timeBasedAttribute: 'employeeHireDate', offsetInDays: 0 },
    },
    tasks: [{ displayName: 'Enable the account', taskDefinitionId: ENABLE_ACCOUNT, arguments: [] }],
    ...(settings !== undefined ? { settings } : {}),
  };
}

const config = (conditions: unknown[], matchMode = 'any') => ({ quarantineConfiguration: { conditions, matchMode } });
const count = (threshold: number) => ({ '@odata.type': COUNT, threshold });
const percent = (percentage: number) => ({ '@odata.type': PERCENT, percentage });

/** The next pass of contoso (the clock moves one interval), after the users it scheduled are processed. */
async function nextPass() {
  env.clock.advance(3 * HOUR);
  const [r] = (await env.rt.lifecycle.tick()).filter((x) => x.tenantId === env.contosoId);
  assert.ok(r, 'a pass ran');
  await env.rt.lifecycle.settled({ tenantId: env.contosoId });
  return r;
}

/** The users the workflow processed (a preview processes nobody). */
async function processed(workflowId: string): Promise<string[]> {
  return (await ok('GET', `/workflows/${workflowId}/userProcessingResults`)).value.filter((u: any) => u.workflowExecutionType !== 'preview').map((u: any) => u.subject.id).sort();
}

async function stop(...ids: string[]) {
  for (const id of ids) await ok('PATCH', `/workflows/${id}`, { isSchedulingEnabled: false }, 204);
}

test('settings.quarantineConfiguration round-trips through create, versions, createNewVersion and $select', async () => {
  const created = await ok('POST', '/workflows', joiner('Settings round trip', {
    quarantineConfiguration: { conditions: [count(10), { '@odata.type': PERCENT.slice(1), percentage: 25 }], matchMode: 'all' },
  }), 201);
  const expected = { quarantineConfiguration: { conditions: [count(10), percent(25)], matchMode: 'all' } };
  assert.deepEqual(created.settings, expected, 'conditions come back with their full @odata.type');
  assert.deepEqual(created.quarantineDetails, { quarantinedDateTime: null, quarantineReason: null, quarantineType: 'notQuarantined' });
  const read = await ok('GET', `/workflows/${created.id}?$select=id,settings,quarantineDetails`);
  assert.deepEqual(Object.keys(read).filter((k) => !k.startsWith('@')).sort(), ['id', 'quarantineDetails', 'settings']);
  assert.deepEqual(read.settings, expected);
  assert.deepEqual((await ok('GET', `/workflows/${created.id}/versions/1`)).settings, expected);

  // A new version without settings keeps them; quarantineDetails echoed back is ignored, as read-only.
  const v2 = await ok('POST', `/workflows/${created.id}/createNewVersion`, { workflow: { ...joiner('Settings round trip'), quarantineDetails: { quarantineType: 'countBasedThresholdExceeded' } } });
  assert.equal(v2.version, 2);
  assert.deepEqual(v2.settings, expected, 'a client that does not send settings cannot drop the safety net');
  assert.equal(v2.quarantineDetails.quarantineType, 'notQuarantined');
  const v3 = await ok('POST', `/workflows/${created.id}/createNewVersion`, { workflow: joiner('Settings round trip', { quarantineConfiguration: null }) });
  assert.deepEqual(v3.settings, { quarantineConfiguration: null });
  const versions = (await ok('GET', `/workflows/${created.id}/versions`)).value;
  assert.deepEqual(versions.map((v: any) => v.settings.quarantineConfiguration?.matchMode ?? null), ['all', 'all', null]);
  // matchMode defaults to any; settings {} means none.
  const v4 = await ok('POST', `/workflows/${created.id}/createNewVersion`, { workflow: joiner('Settings round trip', { quarantineConfiguration: { conditions: [count(3)] } }) });
  assert.deepEqual(v4.settings, { quarantineConfiguration: { conditions: [count(3)], matchMode: 'any' } });
  const plain = await ok('POST', '/workflows', joiner('No settings'), 201);
  assert.deepEqual(plain.settings, { quarantineConfiguration: null });
  await stop(created.id, plain.id);
});

test('bad quarantine settings get a 400 naming the property; PATCH refuses settings and quarantineDetails', async () => {
  const bad: Array<[unknown, RegExp]> = [
    ['strict', /settings must be a workflowSetting object/],
    [{ quarantineConfig: {} }, /'quarantineConfig' is not a property of microsoft\.graph\.identityGovernance\.workflowSetting/],
    [config([]), /settings\.quarantineConfiguration\.conditions is required/],
    [{ quarantineConfiguration: 'any' }, /settings\.quarantineConfiguration must be an object/],
    [config([count(0)]), /settings\.quarantineConfiguration\.conditions\[0\]\.threshold must be a whole number from 1 to/],
    [config([count(2.5)]), /conditions\[0\]\.threshold must be a whole number/],
    [config([{ '@odata.type': COUNT }]), /conditions\[0\]\.threshold must be a whole number.*not null/],
    [config([count(5), percent(101)]), /settings\.quarantineConfiguration\.conditions\[1\]\.percentage must be a whole number from 1 to 100, not 101/],
    [config([{ threshold: 5 }]), /conditions\[0\]\.@odata\.type must be #microsoft\.graph\.identityGovernance\.countBasedQuarantineCondition or/],
    [config([{ ...count(5), percentage: 3 }]), /'percentage' is not a property of microsoft\.graph\.identityGovernance\.countBasedQuarantineCondition/],
    [config([count(5), count(6)]), /more than one microsoft\.graph\.identityGovernance\.countBasedQuarantineCondition/],
    [config([count(5)], 'most'), /settings\.quarantineConfiguration\.matchMode must be one of any, all, not "most"/],
    [{ quarantineConfiguration: { conditions: [count(5)], matchMode: 'any', extra: 1 } }, /'extra' is not a property of microsoft\.graph\.identityGovernance\.quarantineConfiguration/],
  ];
  for (const [settings, message] of bad) assertInvalid(await call('POST', '/workflows', joiner('Refused', settings)), message);
  assert.equal((await ok('GET', '/workflows')).value.some((w: any) => w.displayName === 'Refused'), false, 'nothing was created');

  const wf = await ok('POST', '/workflows', joiner('Patch target', config([count(5)])), 201);
  assertInvalid(await call('POST', `/workflows/${wf.id}/createNewVersion`, { workflow: joiner('Patch target', config([percent(0)])) }), /conditions\[0\]\.percentage must be a whole number from 1 to 100, not 0/);
  assertInvalid(await call('PATCH', `/workflows/${wf.id}`, { settings: config([count(50)]) }), /Property 'settings' cannot be updated with PATCH.*createNewVersion/);
  assertInvalid(await call('PATCH', `/workflows/${wf.id}`, { quarantineDetails: { quarantineType: 'notQuarantined' } }), /Property 'quarantineDetails' cannot be updated with PATCH: it is read-only.*clearQuarantine/);
  const now = await ok('GET', `/workflows/${wf.id}`);
  assert.deepEqual([now.version, now.settings], [1, config([count(5)])], 'a refused request changes nothing');
  await stop(wf.id);
});

test('tenant settings carry a quarantineConfiguration: GET, PATCH, validation, and null to remove it', async () => {
  const fabrikam = 'fabrikam.onmicrosoft.com';
  assert.equal((await ok('GET', '/settings', undefined, 200, fabrikam)).quarantineConfiguration, null);
  await ok('PATCH', '/settings', { quarantineConfiguration: { conditions: [count(500), percent(25)], matchMode: 'any' } }, 204, fabrikam);
  const s = await ok('GET', '/settings', undefined, 200, fabrikam);
  assert.deepEqual(s.quarantineConfiguration, { conditions: [count(500), percent(25)], matchMode: 'any' });
  assert.equal(s.workflowScheduleIntervalInHours, 3, 'other settings unchanged');
  await ok('PATCH', '/settings', { workflowScheduleIntervalInHours: 4 }, 204, fabrikam);
  assert.deepEqual((await ok('GET', '/settings', undefined, 200, fabrikam)).quarantineConfiguration?.conditions, [count(500), percent(25)], 'a PATCH without it keeps it');
  assertInvalid(await call('PATCH', '/settings', { quarantineConfiguration: { conditions: [count(-1)] } }, fabrikam), /quarantineConfiguration\.conditions\[0\]\.threshold must be a whole number from 1/);
  assertInvalid(await call('PATCH', '/settings', { quarantineConfiguration: { conditions: [percent(25)], matchMode: 'every' } }, fabrikam), /quarantineConfiguration\.matchMode must be one of any, all/);
  await ok('PATCH', '/settings', { quarantineConfiguration: null }, 204, fabrikam);
  assert.equal((await ok('GET', '/settings', undefined, 200, fabrikam)).quarantineConfiguration, null);
  assert.equal((await ok('GET', '/settings')).quarantineConfiguration, null, 'settings are per tenant');
});

test('over its count threshold a scheduled run quarantines the workflow and processes nobody, until clearQuarantine', async () => {
  const wf = await ok('POST', '/workflows', joiner('New hires, at most 10 a run', config([count(10)])), 201);
  // A healthy workflow over the same users, with no thresholds, is not affected.
  const plain = await ok('POST', '/workflows', joiner('New hires, no thresholds'), 201);
  const outbox = contoso().data.outbox.length;

  const first = await nextPass();
  const reason = `This run would process ${DUE} users; the threshold is 10 users.`;
  assert.deepEqual(first.quarantined[wf.id], { type: 'countBasedThresholdExceeded', reason, due: DUE, inScope: null });
  assert.equal(first.scheduled[wf.id], undefined, 'nobody scheduled');
  assert.equal(first.scheduled[plain.id], DUE, 'the workflow without thresholds ran');
  let now = await ok('GET', `/workflows/${wf.id}`);
  assert.deepEqual(now.quarantineDetails, { quarantinedDateTime: env.clock.date().toISOString(), quarantineReason: reason, quarantineType: 'countBasedThresholdExceeded' });
  assert.deepEqual((await ok('GET', `/workflows/${wf.id}/runs`)).value, [], 'no run was recorded');
  // The admins hear about it in the bell, with the reason and a link to the workflow.
  const bell = await env.call('GET', '/api/notifications', { token: env.admin });
  const note = bell.body.notifications.find((n: any) => n.kind === 'lifecycle.quarantined' && n.workflowId === wf.id);
  assert.ok(note, JSON.stringify(bell.body));
  assert.deepEqual([note.title, note.state, note.link, note.tenant], [`New hires, at most 10 a run quarantined: ${reason}`, 'Quarantined', `/lifecycle/workflows/${wf.id}`, env.contosoId]);
  assert.deepEqual(await processed(wf.id), []);
  assert.deepEqual(await processed(plain.id), dueIds);
  assert.equal((await ok('GET', `/workflows?$filter=quarantineDetails/quarantineType eq 'countBasedThresholdExceeded'&$select=id`)).value.length, 1);

  // While quarantined it runs for nobody, on demand included; a preview (which executes nothing) still works.
  assertInvalid(await call('POST', `/workflows/${wf.id}/activate`, { subjects: [{ id: dueIds[0] }] }), /The workflow is quarantined: This run would process 12 users.*clearQuarantine/);
  assertInvalid(await call('POST', `/workflows/${wf.id}/activateWithScope`, { scope: { '@odata.type': `#${NS}.activateUserScope`, users: [{ id: dueIds[0] }] } }), /quarantined/);
  await ok('POST', `/workflows/${wf.id}/previewWorkflow`, { subjects: [{ id: dueIds[0] }] }, 204);

  const second = await nextPass();
  assert.deepEqual(second.held, [wf.id], 'later passes skip it');
  assert.deepEqual([second.scheduled[wf.id], second.quarantined[wf.id]], [undefined, undefined]);
  assert.deepEqual(await processed(wf.id), []);
  now = await ok('GET', `/workflows/${wf.id}`);
  assert.equal(now.quarantineDetails.quarantineReason, reason, 'still quarantined, with the first reason');

  const released = await ok('POST', `/workflows/${wf.id}/${NS}.clearQuarantine`);
  assert.match(released['@odata.context'], /microsoft\.graph\.identityGovernance\.workflow$/);
  assert.deepEqual([released.id, released.quarantineDetails], [wf.id, { quarantinedDateTime: null, quarantineReason: null, quarantineType: 'notQuarantined' }]);
  assert.deepEqual((await ok('GET', `/workflows/${wf.id}`)).quarantineDetails.quarantineType, 'notQuarantined');

  const third = await nextPass();
  assert.deepEqual(third.released, [wf.id]);
  assert.equal(third.scheduled[wf.id], DUE, 'the release lets the next pass process the users still due');
  assert.equal(third.quarantined[wf.id], undefined);
  assert.deepEqual(await processed(wf.id), dueIds);
  const runs = (await ok('GET', `/workflows/${wf.id}/runs`)).value.filter((r: any) => r.workflowExecutionType !== 'preview');
  assert.deepEqual(runs.map((r: any) => [r.workflowExecutionType, r.processingStatus, r.totalUsersCount]), [['scheduled', 'completed', DUE]]);

  // The users already processed do not count again: the next pass neither schedules nor quarantines.
  const fourth = await nextPass();
  assert.deepEqual([fourth.scheduled[wf.id], fourth.quarantined[wf.id], fourth.held, fourth.released], [0, undefined, [], []]);
  assert.equal((await ok('GET', `/workflows/${wf.id}`)).quarantineDetails.quarantineType, 'notQuarantined');
  assert.equal(contoso().data.outbox.length, outbox, 'enabling accounts sends no mail');

  // clearQuarantine on a workflow that is not quarantined answers 200 with it, unchanged.
  const again = await ok('POST', `/workflows/${wf.id}/clearQuarantine`);
  assert.deepEqual([again.id, again.version, again.quarantineDetails.quarantineType, again.lastModifiedDateTime], [wf.id, 1, 'notQuarantined', now.lastModifiedDateTime]);
  await stop(wf.id, plain.id);
});

test('percentage thresholds against the users in scope, matchMode any and all, and multipleConditionsExceeded', async () => {
  const pct = Math.round((DUE * 1000) / IN_SCOPE) / 10;
  // 12 due of 40 in scope: 30%.
  const byPercent = await ok('POST', '/workflows', joiner('At most 25% a run', config([percent(25)])), 201);
  const underPercent = await ok('POST', '/workflows', joiner('At most 50% a run', config([percent(50)])), 201);
  const allNotMet = await ok('POST', '/workflows', joiner('Count and 50%, all', config([count(5), percent(50)], 'all')), 201);
  const allMet = await ok('POST', '/workflows', joiner('Count and 25%, all', config([count(5), percent(25)], 'all')), 201);
  const anyBoth = await ok('POST', '/workflows', joiner('Count or 25%, any', config([count(5), percent(25)], 'any')), 201);

  const pass = await nextPass();
  assert.deepEqual(pass.quarantined[byPercent.id], {
    type: 'percentageBasedThresholdExceeded', due: DUE, inScope: IN_SCOPE,
    reason: `This run would process ${DUE} users of the ${IN_SCOPE} in its scope (${pct}%); the threshold is 25% of the users in scope.`,
  });
  assert.equal(pass.scheduled[underPercent.id], DUE, '30% is within 50%');
  assert.equal(pass.scheduled[allNotMet.id], DUE, 'matchMode all: the count is exceeded but the percentage is not');
  for (const w of [allMet, anyBoth]) {
    assert.equal(pass.quarantined[w.id]?.type, 'multipleConditionsExceeded', w.displayName);
    assert.equal(pass.quarantined[w.id]?.reason, `This run would process ${DUE} users of the ${IN_SCOPE} in its scope (${pct}%); the threshold is 5 users and the threshold is 25% of the users in scope.`);
    assert.deepEqual(await processed(w.id), []);
  }
  assert.deepEqual(await processed(byPercent.id), []);
  assert.deepEqual(await processed(allNotMet.id), dueIds);
  const details = (await ok('GET', `/workflows/${allMet.id}`)).quarantineDetails;
  assert.equal(details.quarantineType, 'multipleConditionsExceeded');
  await stop(byPercent.id, underPercent.id, allNotMet.id, allMet.id, anyBoth.id);
});

test('the tenant\'s quarantineConfiguration applies to workflows without their own; a workflow\'s own wins', async () => {
  await ok('PATCH', '/settings', { quarantineConfiguration: { conditions: [count(10)] } }, 204);
  try {
    const inherits = await ok('POST', '/workflows', joiner('Tenant thresholds apply'), 201);
    const own = await ok('POST', '/workflows', joiner('Own thresholds', config([count(100)])), 201);
    const pass = await nextPass();
    assert.equal(pass.quarantined[inherits.id]?.type, 'countBasedThresholdExceeded');
    assert.equal(pass.scheduled[inherits.id], undefined);
    assert.equal(pass.scheduled[own.id], DUE, '12 users are within its own threshold of 100');
    assert.deepEqual(await processed(own.id), dueIds);
    await stop(inherits.id, own.id);
  } finally {
    await ok('PATCH', '/settings', { quarantineConfiguration: null }, 204);
  }
});

test('a release approves the held run only: more users due than were held quarantine the workflow again', async () => {
  const wf = await ok('POST', '/workflows', joiner('Release covers the held run', config([count(10)])), 201);
  assert.equal((await nextPass()).quarantined[wf.id]?.due, DUE);
  await ok('POST', `/workflows/${wf.id}/clearQuarantine`);
  // One more new hire arrives before the next pass: 13 users are due, one more than the admin released.
  const extra = contoso().data.users.find((u) => u.accountEnabled && u.userType === 'Member' && !u.onPremisesSyncEnabled && u.department !== DEPARTMENT)!;
  const graph = env.rt.connector.graph(env.contosoId);
  await graph.patch(`/users/${extra.id}`, { department: DEPARTMENT, employeeHireDate: isoSeconds(env.clock.now() - HOUR) });
  try {
    const pass = await nextPass();
    assert.deepEqual(pass.released, []);
    assert.equal(pass.quarantined[wf.id]?.reason, `This run would process ${DUE + 1} users; the threshold is 10 users.`);
    assert.deepEqual(await processed(wf.id), []);
    // Released again, the next pass processes all 13.
    await ok('POST', `/workflows/${wf.id}/clearQuarantine`);
    const next = await nextPass();
    assert.equal(next.scheduled[wf.id], DUE + 1);
    assert.deepEqual(await processed(wf.id), [...dueIds, extra.id].sort());
  } finally {
    await stop(wf.id);
    await graph.patch(`/users/${extra.id}`, { department: 'Sales', employeeHireDate: '2019-04-01T00:00:00Z' });
  }
});
