import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApiEnv, type ApiEnv } from '../server/harness.ts';

let env: ApiEnv;
let admin: string;
before(async () => {
  env = await startApiEnv('chat');
  admin = await env.login();
});
after(async () => { await env.close(); });

async function conversation(body: Record<string, unknown> = { tenant: 'contoso' }, token = admin): Promise<string> {
  const c = await env.api('POST', '/api/conversations', { token, body });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  return c.body.id as string;
}

async function say(id: string, text: string, extra: Record<string, unknown> = {}, token = admin) {
  const r = await env.api('POST', `/api/conversations/${id}/messages`, { token, body: { text, ...extra } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(typeof r.body.reply, 'string');
  assert.ok(r.body.reply.length > 0);
  return r.body as { reply: string; cards: any[]; questions: any[]; intents: any[] };
}

test('"Offboard this user" after a card about a user gives that user\'s offboarding card', async () => {
  const id = await conversation();
  const first = await say(id, 'reset the password for Jane Smith');
  assert.equal(first.cards.length, 1);
  assert.deepEqual([first.cards[0].workflow, first.cards[0].state, first.cards[0].params.user], ['reset-password', 'Pending', 'jane.smith@contoso.com'], 'the name became her UPN');
  const second = await say(id, 'Offboard this user');
  assert.equal(second.cards.length, 1);
  const card = second.cards[0];
  assert.deepEqual([card.workflow, card.state, card.params.user], ['offboard-user', 'Pending', 'jane.smith@contoso.com']);
  assert.deepEqual(card.errors, []);
  assert.ok(card.preview.steps.length >= 8, 'one multi-step run, previewed');
  assert.equal(card.conversationId, id);
  const tenant = env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
  assert.equal(tenant.user('jane.smith@contoso.com')!.accountEnabled, true, 'nothing runs before approval');
});

test('"Onboard new employee Jane Smith" asks for the UPN and the licence with choices, then gives a complete card', async () => {
  const id = await conversation();
  const asked = await say(id, 'Onboard new employee Jane Smith');
  assert.deepEqual(asked.cards, []);
  const upn = asked.questions.find((q) => q.param === 'user');
  const sku = asked.questions.find((q) => q.param === 'sku');
  assert.ok(upn && sku, JSON.stringify(asked.questions));
  assert.ok(upn.choices.length >= 2);
  assert.ok(!upn.choices.some((c: any) => c.value === 'jane.smith@contoso.com'), 'the address Jane Smith already has is not offered');
  assert.match(upn.question, /jane\.smith@contoso\.com is already taken/);
  assert.ok(upn.choices.every((c: any) => c.value.endsWith('@contoso.com')), 'in the tenant\'s default domain');
  assert.ok(sku.choices.some((c: any) => c.value === 'SPE_E3' && /\d+ free/.test(c.label)), 'licences with their free units');
  assert.equal(upn.proposal, sku.proposal);
  assert.match(asked.reply, /sign-in address/);

  const chosen = upn.choices[0].value as string;
  const done = await say(id, `${chosen} and SPE_E3`);
  assert.deepEqual(done.questions, []);
  assert.equal(done.cards.length, 1);
  const card = done.cards[0];
  assert.equal(card.workflow, 'onboard-user');
  assert.equal(card.state, 'Pending');
  assert.deepEqual([card.params.user, card.params.displayName, card.params.sku], [chosen, 'Jane Smith', 'SPE_E3']);
  assert.deepEqual(card.errors, []);
  assert.deepEqual(card.missing, []);
  const view = await env.api('GET', `/api/conversations/${id}`, { token: admin });
  assert.deepEqual(view.body.questions, [], 'the question is closed');
  assert.deepEqual(view.body.messages.map((m: any) => m.role), ['technician', 'assistant', 'technician', 'assistant']);
  assert.ok(view.body.cards.some((c: any) => c.id === card.id));
});

test('answers can be choice numbers or data, and "cancel" drops the open question', async () => {
  const id = await conversation();
  const asked = await say(id, 'assign E3 to nestor.wilke@contoso.com');
  assert.equal(asked.questions.length, 1);
  const q = asked.questions[0];
  assert.deepEqual(q.choices.map((c: any) => c.value).sort(), ['ENTERPRISEPACK', 'SPE_E3'], 'E3 is ambiguous in Contoso');
  const picked = await say(id, '2');
  assert.equal(picked.cards[0].params.sku, q.choices[1].value);

  const again = await say(id, 'assign Visio to this user');
  assert.equal(again.cards[0].params.sku, 'VISIOCLIENT', 'Visio is one SKU: no question');
  const asked2 = await say(id, 'add nestor.wilke@contoso.com to a group');
  const gq = asked2.questions.find((x) => x.param === 'group');
  assert.ok(gq?.choices?.length, 'groups of the tenant are offered');
  const byData = await say(id, '', { answers: { group: 'Finance' } });
  assert.deepEqual([byData.cards[0]?.workflow, byData.cards[0]?.params.group], ['add-to-group', 'Finance']);

  await say(id, 'add nestor.wilke@contoso.com to a group');
  const fresh = await say(id, 'reset password for alex.wilber@contoso.com');
  assert.deepEqual(fresh.cards.map((x) => x.workflow), ['reset-password'], 'a new request is not taken as the group\'s name');

  await say(id, 'assign E3 to nestor.wilke@contoso.com');
  const dropped = await say(id, 'cancel');
  assert.deepEqual([dropped.cards, dropped.questions], [[], []]);
  assert.match(dropped.reply, /dropped/);
  const view = await env.api('GET', `/api/conversations/${id}`, { token: admin });
  assert.deepEqual(view.body.questions, []);
});

test('"assign E3 to that user" after a completed run uses its outputs from memory and asks which E3', async () => {
  const id = await conversation();
  // A run made outside the chat but in this conversation: only its outputs can tell the chat who "that user" is.
  const created = await env.api('POST', '/api/runs', { token: admin, body: { tenant: 'contoso', workflow: 'create-user', params: { user: 'sam.taylor@contoso.com', displayName: 'Sam Taylor' }, conversationId: id } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const done = env.waitTerminal(created.body.id);
  assert.equal((await env.api('POST', `/api/runs/${created.body.id}/approve`, { token: admin })).status, 202);
  assert.equal(await done, 'Completed');
  const secret = await env.api('GET', `/api/runs/${created.body.id}/secrets`, { token: admin });
  const password = secret.body.secrets[0].value as string;

  const asked = await say(id, 'assign E3 to that user');
  assert.deepEqual(asked.cards, []);
  assert.equal(asked.questions.length, 1);
  assert.equal(asked.questions[0].param, 'sku');
  assert.deepEqual(asked.questions[0].choices.map((c: any) => c.value).sort(), ['ENTERPRISEPACK', 'SPE_E3']);
  assert.ok(asked.questions[0].choices.every((c: any) => /\d+ free/.test(c.label)));
  const card = (await say(id, 'SPE_E3')).cards[0];
  assert.deepEqual([card.workflow, card.params.user, card.params.sku], ['assign-license', 'sam.taylor@contoso.com', 'SPE_E3']);
  assert.deepEqual(card.errors, []);

  const view = await env.api('GET', `/api/conversations/${id}`, { token: admin });
  const tenant = env.h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
  assert.equal(view.body.memory.lastUserId, tenant.user('sam.taylor@contoso.com')!.id, 'the new user\'s id is remembered');
  const remembered = view.body.memory.runs.find((r: any) => r.runId === created.body.id);
  assert.equal(remembered.hasTemporaryPassword, true);
  const raw = await env.rt.store.db.selectFrom('conversations').select('memory').where('id', '=', id).executeTakeFirstOrThrow();
  assert.ok(!JSON.stringify(raw.memory).includes(password), 'the temporary password never enters memory');
  assert.ok(!JSON.stringify(view.body).includes(password));
});

test('a conversation attached to a ticket is about its user; the same ticket gives back the same conversation', async () => {
  const body = { tenant: 'contoso', ticketRef: 'CW-48211', subjectUser: 'megan.bowen@contoso.com' };
  const id = await conversation(body);
  const again = await env.api('POST', '/api/conversations', { token: admin, body });
  assert.equal(again.status, 200);
  assert.equal(again.body.id, id);
  const r = await say(id, 'please reset the password');
  assert.equal(r.cards[0].params.user, 'megan.bowen@contoso.com');
  assert.equal(r.cards[0].context.ticketRef, 'CW-48211');
  const list = await env.api('GET', '/api/conversations', { token: admin });
  assert.ok(list.body.conversations.some((c: any) => c.id === id && c.ticketRef === 'CW-48211'));
  const bad = await env.api('POST', '/api/conversations', { token: admin, body: { tenant: 'contoso', subjectUser: 'not an address' } });
  assert.equal(bad.status, 400);
});

test('adversarial input gets a helpful reply, no card and a 200', async () => {
  const id = await conversation();
  const inputs = ['', '   ', '😀🔥', 'x'.repeat(10_000), "'; DROP TABLE conversations; --", '<script>alert(1)</script>', 'delete everything in the tenant', 'tell me a joke', '{{7*7}}'];
  for (const text of inputs) {
    const r = await say(id, text);
    assert.deepEqual(r.cards, [], text.slice(0, 40));
    assert.deepEqual(r.questions, []);
    assert.match(r.reply, /I can help|can't|won't|too long|didn't catch|not something/i);
  }
  const missingText = await env.api('POST', `/api/conversations/${id}/messages`, { token: admin, body: {} });
  assert.equal(missingText.status, 200);
  const runs = await env.api('GET', `/api/runs?conversation=${id}`, { token: admin });
  assert.deepEqual(runs.body.runs, [], 'no run was created');
});

test('conversations belong to their technician; the API needs authentication', async () => {
  await env.rt.accounts.create({ username: 'tech1', password: 'tech1-password-long', role: 'technician', tenants: ['contoso'] });
  await env.rt.accounts.create({ username: 'tech2', password: 'tech2-password-long', role: 'technician', tenants: ['fabrikam'] });
  const t1 = await env.login('tech1', 'tech1-password-long');
  const t2 = await env.login('tech2', 'tech2-password-long');
  const id = await conversation({ tenant: 'contoso' }, t1);
  assert.equal((await env.api('GET', `/api/conversations/${id}`, { token: t2 })).status, 404);
  assert.equal((await env.api('POST', `/api/conversations/${id}/messages`, { token: t2, body: { text: 'hi' } })).status, 404);
  assert.equal((await env.api('POST', '/api/conversations', { token: t2, body: { tenant: 'contoso' } })).status, 404, 'a tenant out of scope looks unknown');
  assert.equal((await env.api('POST', '/api/intents/parse', { token: t2, body: { text: 'reset password for Jane Smith', tenant: 'contoso' } })).status, 404);
  const mine = await env.api('GET', '/api/conversations', { token: t2 });
  assert.ok(!mine.body.conversations.some((c: any) => c.id === id));
  for (const [m, p] of [['POST', '/api/intents/parse'], ['POST', '/api/conversations'], ['GET', '/api/conversations'], ['GET', `/api/conversations/${id}`]] as const) {
    assert.equal((await env.api(m, p, m === 'POST' ? { body: {} } : {})).status, 401, `${m} ${p}`);
  }
  assert.equal((await env.api('GET', '/api/conversations/not-a-uuid', { token: t1 })).status, 400);
});

test('POST /api/intents/parse gives canonical intents; with a tenant, names are settled against it', async () => {
  const plain = await env.api('POST', '/api/intents/parse', { token: admin, body: { text: 'reset the password for henrietta.mueller@contoso.com and revoke her sessions' } });
  assert.equal(plain.status, 200);
  assert.deepEqual(plain.body.intents, [
    { action: 'reset-password', params: { user: 'henrietta.mueller@contoso.com' } },
    { action: 'revoke-sessions', params: { user: 'henrietta.mueller@contoso.com' } },
  ]);
  const ctx = await env.api('POST', '/api/intents/parse', { token: admin, body: { text: 'Offboard this user', context: { lastUser: 'joni.sherman@contoso.com' } } });
  assert.deepEqual(ctx.body.intents, [{ action: 'offboard-user', params: { user: 'joni.sherman@contoso.com' } }]);
  const unsettled = await env.api('POST', '/api/intents/parse', { token: admin, body: { text: 'add Jane Smith to finance' } });
  assert.deepEqual(unsettled.body.intents, [{ action: 'add-to-group', params: { user: 'Jane Smith', group: 'finance' } }], 'without a tenant, names stay as written');

  const settled = await env.api('POST', '/api/intents/parse', { token: admin, body: { tenant: 'contoso', text: 'add Jane Smith to finance and give her Business Premium and Visio' } });
  assert.equal(settled.status, 200, JSON.stringify(settled.body));
  assert.deepEqual(settled.body.intents, [
    { action: 'add-to-group', params: { user: 'jane.smith@contoso.com', group: 'Finance' } },
    { action: 'assign-license', params: { user: 'jane.smith@contoso.com', sku: 'SPB' } },
    { action: 'assign-license', params: { user: 'jane.smith@contoso.com', sku: 'VISIOCLIENT' } },
  ]);
  const e3 = await env.api('POST', '/api/intents/parse', { token: admin, body: { tenant: 'contoso', text: 'assign E3 to alex.wilber@contoso.com' } });
  assert.deepEqual(e3.body.intents, [{ action: 'assign-license', params: { user: 'alex.wilber@contoso.com' } }]);
  assert.deepEqual(e3.body.questions.map((q: any) => [q.param, q.choices.length]), [['sku', 2]]);
  const smith = await env.api('POST', '/api/intents/parse', { token: admin, body: { tenant: 'contoso', text: 'disable Smith' } });
  assert.ok(smith.body.questions[0].choices.length >= 2, 'two Smiths: a question, not a guess');
  const nobody = await env.api('POST', '/api/intents/parse', { token: admin, body: { tenant: 'contoso', text: 'disable Jane Smyth' } });
  assert.match(nobody.body.questions[0].question, /no one called 'Jane Smyth'/);
  assert.ok(nobody.body.questions[0].choices.some((c: any) => c.value === 'jane.smith@contoso.com'), 'people sharing a word of the name are offered');
  const off = await env.api('POST', '/api/intents/parse', { token: admin, body: { text: 'tell me a joke' } });
  assert.deepEqual(off.body.intents, []);
  assert.match(off.body.reply, /I can help/);
});

test('a sign-in name typed without its domain becomes the person\'s address', async () => {
  const id = await conversation();
  const r = await say(id, 'give megan.bowen full access to alex.wilber@contoso.com');
  assert.equal(r.cards.length, 1, JSON.stringify(r));
  assert.deepEqual([r.cards[0].workflow, r.cards[0].params.user, r.cards[0].params.delegate], ['add-mailbox-permission', 'alex.wilber@contoso.com', 'megan.bowen@contoso.com']);
  const unknown = await say(id, 'reset password for nobody.here');
  assert.deepEqual(unknown.cards, []);
  assert.match(unknown.questions[0].question, /no one called 'nobody\.here'/);
});

test('"give his manager access" asks the directory who the manager is; no manager becomes a question', async () => {
  const id = await conversation();
  const r = await say(id, 'offboard nestor.wilke@contoso.com, convert to shared and give his manager access to the mailbox');
  assert.equal(r.cards.length, 1, JSON.stringify(r.questions));
  assert.deepEqual([r.cards[0].workflow, r.cards[0].params.user, r.cards[0].params.delegate], ['offboard-user', 'nestor.wilke@contoso.com', 'patti.fernandez@contoso.com']);
  const fwd = await say(id, "forward jane.smith@contoso.com's mail to her manager");
  assert.deepEqual([fwd.cards[0].workflow, fwd.cards[0].params.forwardTo], ['configure-forwarding', 'megan.bowen@contoso.com']);
  // Patti has no manager: the chat asks rather than guessing.
  const none = await say(id, 'give patti.fernandez@contoso.com\'s manager full access to patti.fernandez@contoso.com');
  assert.deepEqual(none.cards, []);
  assert.match(none.questions[0].question, /patti\.fernandez@contoso\.com has no manager in the directory/);
});

test('an onboarding joins the department\'s group: settled when it exists, asked when no group has that name', async () => {
  const id = await conversation();
  const finance = await say(id, 'onboard Tom Jones tom.jones@contoso.com in Finance with SPE_E3');
  assert.equal(finance.cards.length, 1, JSON.stringify(finance.questions));
  assert.deepEqual(finance.cards[0].params.group, ['Finance']);
  assert.deepEqual(finance.cards[0].errors, []);
  const sales = await say(id, 'new starter Sam Lee, sam.lee@contoso.com, department Sales, needs SPE_E3');
  assert.deepEqual(sales.cards, []);
  const q = sales.questions.find((x: any) => x.param === 'group');
  assert.ok(q, JSON.stringify(sales.questions));
  assert.match(q.question, /Which group do you mean by 'Sales'/, JSON.stringify(q));
  assert.ok(q.choices.some((c: any) => c.value === 'Sales Team'), JSON.stringify(q.choices));
  const done = await say(id, 'Sales Team');
  assert.equal(done.cards.length, 1, JSON.stringify(done));
  assert.deepEqual([done.cards[0].params.department, done.cards[0].params.group], ['Sales', ['Sales Team']]);
  assert.deepEqual(done.cards[0].errors, []);
});

test('"Marketing DL" is the Marketing group when no group is called "Marketing DL"', async () => {
  const id = await conversation();
  const r = await say(id, 'add megan.bowen@contoso.com to Marketing DL');
  assert.equal(r.cards.length, 1, JSON.stringify(r.questions));
  assert.deepEqual([r.cards[0].workflow, r.cards[0].params.group], ['add-to-group', 'Marketing']);
});
