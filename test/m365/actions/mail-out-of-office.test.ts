// set-out-of-office against the emulator's Set/Get-MailboxAutoReplyConfiguration.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { setOutOfOffice } from '../../../src/m365/actions/mail/set-out-of-office.action.ts';
import type { AutoReplyConfig } from '../../../src/emulator/state/model.ts';
import { MemoryScratch, startActionEnv, type ActionEnv } from '../action-harness.ts';
import { BEN, DAN, clearFaults, faultedWritesSince, injectFaults, mailbox, rejectsWith, runUndo, snapshot, writeNames } from './mail-fixtures.ts';

let env: ActionEnv;
before(async () => {
  env = await startActionEnv();
});
after(async () => {
  await env.close();
});

const off: AutoReplyConfig = { autoReplyState: 'Disabled', internalMessage: '', externalMessage: '', externalAudience: 'All', startTime: null, endTime: null };
beforeEach(() => {
  clearFaults(env);
  mailbox(env, BEN).autoReply = { ...off };
});

const START = '2031-03-01T09:00:00.000Z';
const END = '2031-03-03T17:00:00.000Z';

test('turns replies on with one message for inside and outside, and the preview shows exactly that', async () => {
  const seq = env.ledgerSeq();
  const { preview, result } = await env.run(setOutOfOffice, { user: BEN, message: 'Away until 3 March' });
  const a = mailbox(env, BEN).autoReply;
  assert.equal(a.autoReplyState, 'Enabled');
  assert.equal(a.internalMessage, 'Away until 3 March');
  assert.equal(a.externalMessage, 'Away until 3 March');
  assert.equal(a.externalAudience, 'All');
  assert.deepEqual(writeNames(env, seq), ['Set-MailboxAutoReplyConfiguration']);
  const field = (f: string) => preview.changes.find((c) => c.field === f);
  assert.deepEqual(preview.changes.map((c) => c.field).sort(), ['AutoReplyState', 'ExternalMessage', 'InternalMessage']);
  assert.equal(field('AutoReplyState')?.after, a.autoReplyState);
  assert.equal(field('InternalMessage')?.after, a.internalMessage);
  assert.equal(field('ExternalMessage')?.after, a.externalMessage);
  assert.deepEqual(result.before, off);
  assert.equal(result.outputs.autoReplyState, 'Enabled');
});

test('both times schedule the replies, with a separate external message and audience', async () => {
  const { preview } = await env.run(setOutOfOffice, {
    user: BEN, message: 'Internal note', externalMessage: 'I am away', externalAudience: 'Known', startTime: START, endTime: END,
  });
  const a = mailbox(env, BEN).autoReply;
  assert.deepEqual(a, { autoReplyState: 'Scheduled', internalMessage: 'Internal note', externalMessage: 'I am away', externalAudience: 'Known', startTime: START, endTime: END });
  for (const c of preview.changes) {
    const key = (c.field[0]!.toLowerCase() + c.field.slice(1)) as keyof AutoReplyConfig;
    assert.equal(c.after, a[key], c.field);
  }
});

test('a missing message is a question, not an error', async () => {
  const ctx = env.context();
  const v = await setOutOfOffice.validate(ctx, { user: BEN });
  assert.deepEqual(v.errors, []);
  assert.equal(v.missing[0]?.param, 'message');
  assert.match(v.missing[0]!.question, /say/);
  await assert.rejects(env.run(setOutOfOffice, { user: BEN }), (e: { code?: string }) => e.code === 'missing_parameter');
  assert.deepEqual(mailbox(env, BEN).autoReply, off);
});

test('state Disabled needs no message and keeps the messages, as Exchange does', async () => {
  mailbox(env, BEN).autoReply = { ...off, autoReplyState: 'Enabled', internalMessage: 'Out', externalMessage: 'Out', externalAudience: 'Known' };
  await env.run(setOutOfOffice, { user: BEN, state: 'Disabled' });
  assert.deepEqual(mailbox(env, BEN).autoReply, { ...off, internalMessage: 'Out', externalMessage: 'Out', externalAudience: 'Known' });
});

test('the same configuration again is alreadyDone with no write and no undo', async () => {
  mailbox(env, BEN).autoReply = { ...off, autoReplyState: 'Enabled', internalMessage: 'Out', externalMessage: 'Out' };
  const seq = env.ledgerSeq();
  const params = { user: BEN, message: 'Out' };
  const { preview, result } = await env.run(setOutOfOffice, params);
  assert.equal(preview.alreadyDone, true);
  assert.deepEqual(preview.calls, []);
  assert.equal(result.alreadyDone, true);
  assert.deepEqual(env.writesSince(seq), []);
  assert.deepEqual(await runUndo(env, 'set-out-of-office', params, result), []);
});

test('undo of turning replies on restores the disabled configuration exactly', async () => {
  mailbox(env, BEN).autoReply = { autoReplyState: 'Disabled', internalMessage: 'Old', externalMessage: 'Old ext', externalAudience: 'None', startTime: START, endTime: END };
  const start = snapshot(env, BEN);
  const params = { user: BEN, message: 'New' };
  const { result } = await env.run(setOutOfOffice, params);
  assert.equal(mailbox(env, BEN).autoReply.autoReplyState, 'Enabled');
  const steps = await runUndo(env, 'set-out-of-office', params, result);
  assert.equal(steps[0]?.params.state, 'Disabled');
  assert.deepEqual(snapshot(env, BEN), start);
});

test('undo of a new schedule restores the earlier schedule exactly', async () => {
  mailbox(env, BEN).autoReply = { autoReplyState: 'Scheduled', internalMessage: 'Trip', externalMessage: 'Trip', externalAudience: 'All', startTime: START, endTime: END };
  const start = snapshot(env, BEN);
  const params = { user: BEN, message: 'Longer trip', startTime: '2031-03-02T09:00:00Z', endTime: '2031-03-09T17:00:00Z' };
  const { result } = await env.run(setOutOfOffice, params);
  assert.equal(mailbox(env, BEN).autoReply.endTime, '2031-03-09T17:00:00.000Z');
  await runUndo(env, 'set-out-of-office', params, result);
  assert.deepEqual(snapshot(env, BEN), start);
});

test('a re-run after a completed execute makes no write and still undoes the first run', async () => {
  const start = snapshot(env, BEN);
  const params = { user: BEN, message: 'Away' };
  const opts = { key: 'step:ooo-rerun', scratch: new MemoryScratch() };
  await env.run(setOutOfOffice, params, opts);
  const seq = env.ledgerSeq();
  const { result } = await env.run(setOutOfOffice, params, opts);
  assert.deepEqual(env.writesSince(seq), []);
  assert.equal(result.alreadyDone, true);
  await runUndo(env, 'set-out-of-office', params, result);
  assert.deepEqual(snapshot(env, BEN), start);
});

test('works under injected 503s', async () => {
  injectFaults(env, 3, 503);
  const seq = env.ledgerSeq();
  await env.run(setOutOfOffice, { user: BEN, message: 'Away' });
  clearFaults(env);
  assert.ok(faultedWritesSince(env, seq) >= 1, 'the write itself was failed at least once and retried');
  assert.deepEqual(writeNames(env, seq), ['Set-MailboxAutoReplyConfiguration']);
  assert.equal(mailbox(env, BEN).autoReply.internalMessage, 'Away');
});

test('validation errors: no mailbox, bad times, bad date, missing permission', async () => {
  const noMailbox = await rejectsWith(env.run(setOutOfOffice, { user: DAN, message: 'x' }), 'mailbox_not_found');
  assert.equal(noMailbox.param, 'user');
  const order = await rejectsWith(env.run(setOutOfOffice, { user: BEN, message: 'x', startTime: END, endTime: START }), 'invalid_parameter');
  assert.equal(order.param, 'endTime');
  const half = await rejectsWith(env.run(setOutOfOffice, { user: BEN, message: 'x', startTime: START }), 'invalid_parameter');
  assert.equal(half.param, 'endTime');
  const date = await rejectsWith(env.run(setOutOfOffice, { user: BEN, message: 'x', startTime: 'next tuesday', endTime: END }), 'invalid_parameter');
  assert.equal(date.param, 'startTime');
  const scheduledNoTimes = await rejectsWith(env.run(setOutOfOffice, { user: BEN, message: 'x', state: 'Scheduled' }), 'invalid_parameter');
  assert.equal(scheduledNoTimes.param, 'state');
  const perm = await rejectsWith(env.run(setOutOfOffice, { user: BEN, message: 'x' }, { app: 'readonly' }), 'missing_permission');
  assert.match(perm.message, /Exchange\.ManageAsApp/);
  assert.deepEqual(mailbox(env, BEN).autoReply, off);
});
