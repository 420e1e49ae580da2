// The review discipline: four eyes, approvals counted per person, the state machine's 409s, the
// version precondition, lint blocking submit, notifications, and the audit trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { lockoutDefinition, startDesignEnv, type DesignEnv } from './helpers.ts';

let d: DesignEnv;
before(async () => { d = await startDesignEnv('design_review'); });
after(async () => { await d.env.close(); });

test('a technician designs, a reviewer approves, an admin activates; the audit trail holds every transition', async () => {
  const created = await d.api('POST', '/api/workflows', { token: d.tech.token, body: lockoutDefinition() });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.deepEqual([created.body.workflowId, created.body.version, created.body.state], ['lock-out-user', 1, 'Draft']);
  assert.equal(created.body.author.id, d.tech.id);
  assert.deepEqual(created.body.problems, []);

  const listed = await d.api('GET', '/api/workflows', { token: d.tech.token });
  const row = listed.body.workflows.find((w: any) => w.id === 'lock-out-user');
  assert.deepEqual([row.activeVersion, row.latestState], [null, 'Draft']);
  const early = await d.api('POST', '/api/runs', { token: d.tech.token, body: { tenant: 'contoso', workflow: 'lock-out-user', params: { user: 'megan.bowen@contoso.com' } } });
  assert.equal(early.status, 404, 'a Draft does not run for technicians');
  assert.equal(early.body.error.code, 'unknown_workflow');

  const saved = await d.api('PUT', '/api/workflows/lock-out-user/draft', { token: d.tech.token, body: { definition: { ...lockoutDefinition(), description: 'Locks a user out.' }, baseVersion: 1, note: 'Shorter description' } });
  assert.equal(saved.status, 201, JSON.stringify(saved.body));
  assert.equal(saved.body.version, 2);

  const submitted = await d.api('POST', '/api/workflows/lock-out-user/submit', { token: d.tech.token, body: { note: 'For the incident runbook', testParams: { user: 'megan.bowen@contoso.com' } } });
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  assert.equal(submitted.body.state, 'AwaitingReview');

  // Both reviewers hear of it; the author does not.
  for (const who of [d.reviewer, d.reviewer2, d.admin]) {
    const bell = await d.api('GET', '/api/notifications', { token: who.token });
    const n = bell.body.notifications.find((x: any) => x.workflowId === 'lock-out-user' && x.kind === 'workflow.review-requested');
    assert.ok(n, `${who.id} is notified`);
    assert.equal(n.workflowVersion, 2);
    assert.equal(n.link, '/workflows/lock-out-user/versions/2');
    assert.match(n.title, /For the incident runbook/);
  }
  const techBell = await d.api('GET', '/api/notifications', { token: d.tech.token });
  assert.ok(!techBell.body.notifications.some((x: any) => x.kind === 'workflow.review-requested'));

  // The review page: the diff against the Active version (none yet: everything is new) and a
  // dry-run in the demo tenant that stores nothing and changes nothing.
  const page = await d.api('GET', '/api/workflows/lock-out-user/review', { token: d.reviewer.token });
  assert.equal(page.status, 200, JSON.stringify(page.body));
  assert.equal(page.body.version.version, 2);
  assert.deepEqual(page.body.diff.summary.stepsAdded, 2);
  assert.deepEqual(page.body.you, { canReview: true, reason: null });
  assert.equal(page.body.dryRun.error, null, JSON.stringify(page.body.dryRun));
  const change = page.body.dryRun.result.preview.steps[0].changes[0];
  assert.deepEqual([change.object, change.field, change.before, change.after], ['megan.bowen@contoso.com', 'accountEnabled', true, false]);
  assert.equal(d.env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!.user('megan.bowen@contoso.com')!.accountEnabled, true);
  const runs = await d.api('GET', '/api/runs?workflow=lock-out-user', { token: d.admin.token });
  assert.deepEqual(runs.body.runs, [], 'the dry-run stored no card');
  const authorPage = await d.api('GET', '/api/workflows/lock-out-user/review', { token: d.tech.token });
  assert.equal(authorPage.body.you.canReview, false);

  const approved = await d.api('POST', '/api/workflows/lock-out-user/review', { token: d.reviewer.token, body: { decision: 'approve', comment: 'Good.' } });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.deepEqual([approved.body.state, approved.body.approvals, approved.body.required], ['Approved', 1, 1]);

  const notAdmin = await d.api('POST', '/api/workflows/lock-out-user/activate', { token: d.reviewer.token });
  assert.equal(notAdmin.status, 403);
  const activated = await d.api('POST', '/api/workflows/lock-out-user/activate', { token: d.admin.token });
  assert.equal(activated.status, 200, JSON.stringify(activated.body));
  assert.deepEqual([activated.body.activeVersion, activated.body.superseded], [2, null]);

  const after = await d.api('GET', '/api/workflows', { token: d.tech.token });
  const active = after.body.workflows.find((w: any) => w.id === 'lock-out-user');
  assert.deepEqual([active.activeVersion, active.latestState, active.description], [2, 'Active', 'Locks a user out.']);
  const run = await d.api('POST', '/api/runs', { token: d.tech.token, body: { tenant: 'contoso', workflow: 'lock-out-user', params: { user: 'megan.bowen@contoso.com' } } });
  assert.equal(run.status, 201, JSON.stringify(run.body));
  assert.equal((await d.api('GET', `/api/runs/${run.body.id}`, { token: d.tech.token })).body.version, 2);

  const kinds = (await d.api('GET', '/api/notifications', { token: d.tech.token })).body.notifications.map((n: any) => n.kind);
  assert.ok(kinds.includes('workflow.approved') && kinds.includes('workflow.activated'), kinds.join());

  const audit = await d.api('GET', '/api/workflows/lock-out-user/audit', { token: d.tech.token });
  assert.deepEqual(audit.body.audit.map((a: any) => [a.version, a.action, a.from, a.to, a.actor.username]), [
    [1, 'create', null, 'Draft', 'tina.tech'],
    [2, 'save', null, 'Draft', 'tina.tech'],
    [2, 'submit', 'Draft', 'AwaitingReview', 'tina.tech'],
    [2, 'approve', 'AwaitingReview', 'Approved', 'rita.review'],
    [2, 'activate', 'Approved', 'Active', 'admin'],
  ]);
  assert.equal(audit.body.audit[2].detail.note, 'For the incident runbook');
  assert.equal(audit.body.audit[3].detail.comment, 'Good.');
});

test('the author can never approve their own version, whatever their role', async () => {
  const created = await d.api('POST', '/api/workflows', { token: d.reviewer.token, body: lockoutDefinition('Self review') });
  assert.equal(created.status, 201);
  const id = created.body.workflowId;
  assert.equal((await d.api('POST', `/api/workflows/${id}/submit`, { token: d.reviewer.token, body: { note: 'mine' } })).status, 200);
  const own = await d.api('POST', `/api/workflows/${id}/review`, { token: d.reviewer.token, body: { decision: 'approve' } });
  assert.equal(own.status, 403);
  assert.equal(own.body.error.code, 'forbidden');
  assert.equal(own.body.error.details.reason, 'four_eyes');
  assert.match(own.body.error.message, /authored version 1.*second person/);
  // An admin who only submitted someone else's draft is bound the same way.
  const other = await d.api('POST', '/api/workflows', { token: d.tech.token, body: lockoutDefinition('Submitted by admin') });
  assert.equal((await d.api('POST', `/api/workflows/${other.body.workflowId}/submit`, { token: d.admin.token, body: { note: 'on behalf' } })).status, 200);
  const submitter = await d.api('POST', `/api/workflows/${other.body.workflowId}/review`, { token: d.admin.token, body: { decision: 'approve' } });
  assert.equal(submitter.status, 403);
  assert.match(submitter.body.error.message, /submitted version 1/);
  // A technician may design but not review.
  const tech = await d.api('POST', `/api/workflows/${id}/review`, { token: d.tech.token, body: { decision: 'approve' } });
  assert.equal(tech.status, 403);
  const versions = await d.api('GET', `/api/workflows/${id}/versions`, { token: d.tech.token });
  assert.equal(versions.body.versions[0].state, 'AwaitingReview', 'nothing changed');
});

test('a transition from the wrong state answers 409 with the current state', async () => {
  const created = await d.api('POST', '/api/workflows', { token: d.tech.token, body: lockoutDefinition('Wrong states') });
  const id = created.body.workflowId;
  const expect409 = async (method: string, path: string, token: string, body: unknown, state: string) => {
    const r = await d.api(method, path, { token, body });
    assert.equal(r.status, 409, `${method} ${path}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, 'invalid_state');
    assert.equal(r.body.error.details.state, state);
    assert.match(r.body.error.message, new RegExp(`is ${state}`));
  };
  await expect409('POST', `/api/workflows/${id}/review`, d.reviewer.token, { decision: 'approve' }, 'Draft');
  await expect409('POST', `/api/workflows/${id}/activate`, d.admin.token, {}, 'Draft');
  await expect409('POST', `/api/workflows/${id}/reopen`, d.tech.token, undefined, 'Draft');
  assert.equal((await d.api('POST', `/api/workflows/${id}/submit`, { token: d.tech.token, body: { note: 'first' } })).status, 200);
  await expect409('POST', `/api/workflows/${id}/submit`, d.tech.token, { note: 'again' }, 'AwaitingReview');
  await expect409('PUT', `/api/workflows/${id}/draft`, d.tech.token, { definition: lockoutDefinition('Wrong states'), baseVersion: 1 }, 'AwaitingReview');
  await expect409('POST', `/api/workflows/${id}/activate`, d.admin.token, {}, 'AwaitingReview');

  const noComment = await d.api('POST', `/api/workflows/${id}/review`, { token: d.reviewer.token, body: { decision: 'request-changes' } });
  assert.equal(noComment.status, 400, 'changes are requested with a comment');
  const sentBack = await d.api('POST', `/api/workflows/${id}/review`, { token: d.reviewer.token, body: { decision: 'request-changes', comment: 'Revoke first, then disable.' } });
  assert.equal(sentBack.body.state, 'ChangesRequested');
  const authorBell = await d.api('GET', '/api/notifications', { token: d.tech.token });
  assert.ok(authorBell.body.notifications.some((n: any) => n.workflowId === id && n.kind === 'workflow.changes-requested' && /Revoke first/.test(n.title)));
  await expect409('POST', `/api/workflows/${id}/submit`, d.tech.token, { note: 'unchanged' }, 'ChangesRequested');
  await expect409('POST', `/api/workflows/${id}/review`, d.reviewer2.token, { decision: 'approve' }, 'ChangesRequested');

  const reopened = await d.api('POST', `/api/workflows/${id}/reopen`, { token: d.tech.token });
  assert.equal(reopened.body.state, 'Draft');
  const again = await d.api('POST', `/api/workflows/${id}/submit`, { token: d.tech.token, body: { note: 'second round' } });
  assert.equal(again.body.state, 'AwaitingReview');
  assert.equal(again.body.review.round, 2);
  // The first round's decision does not count in the second: rita may decide again.
  const approved = await d.api('POST', `/api/workflows/${id}/review`, { token: d.reviewer.token, body: { decision: 'approve' } });
  assert.equal(approved.body.state, 'Approved');
  await expect409('POST', `/api/workflows/${id}/submit`, d.tech.token, { note: 'x' }, 'Approved');
  assert.equal((await d.api('POST', `/api/workflows/${id}/activate`, { token: d.admin.token })).status, 200);
  await expect409('POST', `/api/workflows/${id}/activate`, d.admin.token, { version: 1 }, 'Active');
});

test('concurrent edits of one Draft are detected by the version precondition, never lost', async () => {
  const created = await d.api('POST', '/api/workflows', { token: d.tech.token, body: { definition: lockoutDefinition('Concurrent'), note: 'v1' } });
  const id = created.body.workflowId;
  const mine = { ...lockoutDefinition('Concurrent'), description: 'Tina\'s edit' };
  const theirs = { ...lockoutDefinition('Concurrent'), description: 'Rob\'s edit' };
  const first = await d.api('PUT', `/api/workflows/${id}/draft`, { token: d.tech.token, body: { definition: mine, baseVersion: 1 } });
  assert.equal(first.status, 201);
  const stale = await d.api('PUT', `/api/workflows/${id}/draft`, { token: d.reviewer2.token, body: { definition: theirs, baseVersion: 1 } });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.code, 'conflict');
  assert.deepEqual([stale.body.error.details.currentVersion, stale.body.error.details.author], [2, 'tina.tech']);
  const staleHeader = await d.api('PUT', `/api/workflows/${id}/draft`, { token: d.reviewer2.token, body: { definition: theirs }, headers: { 'if-match': '"1"' } });
  assert.equal(staleHeader.status, 409);
  const none = await d.api('PUT', `/api/workflows/${id}/draft`, { token: d.reviewer2.token, body: { definition: theirs } });
  assert.equal(none.status, 400, 'a save without a precondition is refused');
  assert.equal(none.body.error.param, 'baseVersion');
  const merged = await d.api('PUT', `/api/workflows/${id}/draft`, { token: d.reviewer2.token, body: { definition: theirs }, headers: { 'if-match': 'W/"2"' } });
  assert.equal(merged.status, 201);
  const versions = await d.api('GET', `/api/workflows/${id}/versions`, { token: d.tech.token });
  assert.deepEqual(versions.body.versions.map((v: any) => [v.version, v.author.username]), [[3, 'rob.review'], [2, 'tina.tech'], [1, 'tina.tech']]);
  const v2 = await d.api('GET', `/api/workflows/${id}/versions/2`, { token: d.tech.token });
  assert.equal(v2.body.definition.description, 'Tina\'s edit', 'the earlier save is kept');
});

test('a definition with errors saves as a Draft but cannot be submitted; the error lists each problem with its step', async () => {
  const broken = {
    ...lockoutDefinition('Broken'),
    parameters: [...lockoutDefinition().parameters, { name: 'unused', type: 'string' }],
    steps: [
      { id: 'disable', action: 'disable-usr', inputs: { user: '{{params.user}}' } },
      { id: 'license', action: 'assign-license', inputs: { user: '{{steps.later.outputs.userPrincipalName}}' } },
      { id: 'later', action: 'revoke-sessions', inputs: { user: '{{params.user}}' } },
    ],
  };
  const lint = await d.api('POST', '/api/workflows/lint', { token: d.tech.token, body: { definition: broken } });
  assert.equal(lint.status, 200);
  assert.equal(lint.body.valid, false);
  const created = await d.api('POST', '/api/workflows', { token: d.tech.token, body: broken });
  assert.equal(created.status, 201, 'a draft may be incomplete');
  assert.deepEqual(created.body.problems, lint.body.problems);
  const submit = await d.api('POST', `/api/workflows/${created.body.workflowId}/submit`, { token: d.tech.token, body: { note: 'please' } });
  assert.equal(submit.status, 400);
  assert.equal(submit.body.error.code, 'invalid_request');
  const problems = submit.body.error.details.problems.map((p: any) => [p.step, p.code]);
  assert.deepEqual(problems, [['disable', 'unknown_action'], ['license', 'unbound_input'], ['license', 'forward_reference']]);
  assert.match(submit.body.error.message, /step 'disable' \(action\)/);
  assert.match(submit.body.error.message, /step 'license' \(inputs\.sku\)/);
  assert.ok(!submit.body.error.details.problems.some((p: any) => p.code === 'unused_parameter'), 'warnings do not block');
  const live = await d.api('GET', `/api/workflows/${created.body.workflowId}/lint`, { token: d.tech.token });
  assert.ok(live.body.problems.some((p: any) => p.code === 'unused_parameter' && p.severity === 'warning'));
  const versions = await d.api('GET', `/api/workflows/${created.body.workflowId}/versions`, { token: d.tech.token });
  assert.equal(versions.body.versions[0].state, 'Draft');
});

test('with two approvals required, two distinct reviewers must approve', async () => {
  const set = await d.api('PUT', '/api/design/settings', { token: d.admin.token, body: { approvalsRequired: 2 } });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.equal((await d.api('PUT', '/api/design/settings', { token: d.tech.token, body: { approvalsRequired: 1 } })).status, 403);
  try {
    const created = await d.api('POST', '/api/workflows', { token: d.tech.token, body: lockoutDefinition('Two approvals') });
    const id = created.body.workflowId;
    await d.api('POST', `/api/workflows/${id}/submit`, { token: d.tech.token, body: { note: 'needs two' } });
    const one = await d.api('POST', `/api/workflows/${id}/review`, { token: d.reviewer.token, body: { decision: 'approve' } });
    assert.deepEqual([one.body.state, one.body.approvals, one.body.required], ['AwaitingReview', 1, 2]);
    const twice = await d.api('POST', `/api/workflows/${id}/review`, { token: d.reviewer.token, body: { decision: 'approve' } });
    assert.equal(twice.status, 409, 'the same person counts once');
    assert.equal(twice.body.error.code, 'conflict');
    const early = await d.api('POST', `/api/workflows/${id}/activate`, { token: d.admin.token });
    assert.equal(early.status, 409);
    assert.equal(early.body.error.details.state, 'AwaitingReview');
    const two = await d.api('POST', `/api/workflows/${id}/review`, { token: d.reviewer2.token, body: { decision: 'approve', comment: 'Second pair of eyes.' } });
    assert.deepEqual([two.body.state, two.body.approvals], ['Approved', 2]);
    const audit = await d.api('GET', `/api/workflows/${id}/audit`, { token: d.tech.token });
    assert.deepEqual(audit.body.audit.slice(-2).map((a: any) => [a.action, a.from, a.to, a.actor.username, a.detail.approvals]), [
      ['approve', 'AwaitingReview', 'AwaitingReview', 'rita.review', 1],
      ['approve', 'AwaitingReview', 'Approved', 'rob.review', 2],
    ]);
  } finally {
    await d.api('PUT', '/api/design/settings', { token: d.admin.token, body: { approvalsRequired: 1 } });
  }
});

test('reviewers with a mail address are also emailed through Graph sendMail when review mail is on', async () => {
  const off = await d.api('POST', '/api/workflows', { token: d.tech.token, body: lockoutDefinition('Mail off') });
  const outbox = d.env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!.data.outbox;
  const before = outbox.length;
  await d.api('POST', `/api/workflows/${off.body.workflowId}/submit`, { token: d.tech.token, body: { note: 'no mail' } });
  assert.equal(outbox.length, before, 'mail is off by default');

  const on = await d.api('PUT', '/api/design/settings', { token: d.admin.token, body: { reviewMail: { tenant: 'contoso', from: 'megan.bowen@contoso.com' } } });
  assert.equal(on.status, 200, JSON.stringify(on.body));
  try {
    const wf = await d.api('POST', '/api/workflows', { token: d.tech.token, body: lockoutDefinition('Mail on') });
    await d.api('POST', `/api/workflows/${wf.body.workflowId}/submit`, { token: d.tech.token, body: { note: 'mail me' } });
    const sent = outbox.slice(before);
    assert.equal(sent.length, 1, 'one email: only rita has an address');
    assert.deepEqual(sent[0]!.toRecipients, ['alex.wilber@contoso.com']);
    assert.match(sent[0]!.subject, /Review requested: Mail on v1 \(mail me\)/);
    assert.match(sent[0]!.body.content, /\/workflows\/mail-on\/versions\/1/);
  } finally {
    await d.api('PUT', '/api/design/settings', { token: d.admin.token, body: { reviewMail: null } });
  }
});
