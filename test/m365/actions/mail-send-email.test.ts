// send-email through Graph sendMail; the emulator's tenant outbox shows what was sent.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { sendEmail } from '../../../src/m365/actions/mail/send-email.action.ts';
import { checkParams } from '../../../src/m365/actions/support/params.ts';
import { MemoryScratch, startActionEnv, type ActionEnv } from '../action-harness.ts';
import { AVA, BEN, CARA, DAN, INFO, clearFaults, faultedWritesSince, injectFaults, mailbox, rejectsWith, user, writeNames } from './mail-fixtures.ts';

let env: ActionEnv;
before(async () => {
  env = await startActionEnv();
});
after(async () => {
  await env.close();
});
beforeEach(() => clearFaults(env));

const outbox = () => env.tenant().data.outbox;

test('sends from the mailbox with to and cc, and the preview describes that message', async () => {
  const count = outbox().length;
  const seq = env.ledgerSeq();
  const params = { user: BEN, to: CARA, cc: [AVA], subject: 'Handover', message: 'The files are in the team site.' };
  const { preview, result } = await env.run(sendEmail, params);
  assert.equal(outbox().length, count + 1);
  const sent = outbox().at(-1)!;
  assert.equal(sent.fromUserId, user(env, BEN).id);
  assert.equal(sent.from, mailbox(env, BEN).primarySmtpAddress);
  assert.equal(sent.subject, 'Handover');
  assert.deepEqual(sent.body, { contentType: 'Text', content: 'The files are in the team site.' });
  assert.deepEqual(sent.toRecipients, [CARA]);
  assert.deepEqual(sent.ccRecipients, [AVA]);
  assert.equal(sent.saveToSentItems, true);
  assert.deepEqual(writeNames(env, seq), [`POST /users/${user(env, BEN).id}/sendMail`]);
  assert.deepEqual(preview.changes[0]?.after, { subject: sent.subject, recipients: [...sent.toRecipients, ...sent.ccRecipients] });
  assert.equal(preview.calls.length, 1);
  assert.equal(result.outputs.messageSubject, 'Handover');
  assert.deepEqual(result.outputs.recipients, [CARA]);
  assert.equal(result.alreadyDone, false);
});

test('several recipients, duplicates dropped, external addresses allowed, from a shared mailbox', async () => {
  await env.run(sendEmail, { user: INFO, to: [CARA, 'Cara.Diaz@tailspin.com', 'partner@fabrikam.example'], subject: 'News', message: 'Hello' });
  const sent = outbox().at(-1)!;
  assert.equal(sent.from, mailbox(env, INFO).primarySmtpAddress);
  assert.deepEqual(sent.toRecipients, [CARA, 'partner@fabrikam.example']);
});

test('a re-run after the send sends nothing more and reports alreadyDone', async () => {
  const scratch = new MemoryScratch();
  const opts = { key: 'step:mail-rerun', scratch };
  const params = { user: BEN, to: CARA, subject: 'Once', message: 'Only once' };
  await env.run(sendEmail, params, opts);
  assert.equal(scratch.get('sent'), true);
  const count = outbox().length;
  const seq = env.ledgerSeq();
  const { preview, result } = await env.run(sendEmail, params, opts);
  assert.equal(outbox().length, count);
  assert.deepEqual(env.writesSince(seq), []);
  assert.equal(preview.alreadyDone, true);
  assert.equal(result.alreadyDone, true);
});

test('cannot be undone', () => {
  assert.deepEqual(sendEmail.undo, { reversible: false, reason: 'An email cannot be unsent.' });
});

test('works under injected 503s: exactly one message', async () => {
  injectFaults(env, 2, 503);
  const count = outbox().length;
  const seq = env.ledgerSeq();
  await env.run(sendEmail, { user: BEN, to: CARA, subject: 'Faults', message: 'Still one' });
  clearFaults(env);
  assert.ok(faultedWritesSince(env, seq) >= 1, 'the send itself was failed at least once and retried');
  assert.equal(outbox().length, count + 1);
  assert.equal(writeNames(env, seq).length, 1);
});

test('validation errors: unknown sender, no mailbox, bad recipient, missing permission', async () => {
  const count = outbox().length;
  const unknown = await rejectsWith(env.run(sendEmail, { user: 'ben.millr@tailspin.com', to: CARA, subject: 's', message: 'm' }), 'unknown_user');
  assert.ok((unknown.details?.suggestions as string[]).includes(BEN));
  const none = await rejectsWith(env.run(sendEmail, { user: DAN, to: CARA, subject: 's', message: 'm' }), 'mailbox_not_found');
  assert.match(none.fix, /licence that includes Exchange Online/);
  const badTo = await rejectsWith(env.run(sendEmail, { user: BEN, to: ['cara'], subject: 's', message: 'm' }), 'invalid_parameter');
  assert.equal(badTo.param, 'to');
  const badUser = await rejectsWith(env.run(sendEmail, { user: 'ben', to: CARA, subject: 's', message: 'm' }), 'invalid_parameter');
  assert.match(badUser.fix, /^Provide the full address, ben@/);
  const perm = await rejectsWith(env.run(sendEmail, { user: BEN, to: CARA, subject: 's', message: 'm' }, { app: 'readonly' }), 'missing_permission');
  assert.match(perm.message, /Mail\.Send/);
  assert.equal(outbox().length, count);
});

test('a missing message or subject is a question', () => {
  const checked = checkParams(sendEmail.params, { user: BEN, to: CARA }, 'tailspin.onmicrosoft.com');
  assert.equal(checked.ok, false);
  if (!checked.ok) assert.deepEqual(checked.missing.map((m) => m.param).sort(), ['message', 'subject']);
});

test('a sender whose mailbox Graph cannot find gets mailbox_not_found at execute', async () => {
  // validate() checks through Exchange; execute must still map sendMail's 404 if the mailbox went away.
  const checked = checkParams(sendEmail.params, { user: DAN, to: CARA, subject: 's', message: 'm' }, 'tailspin.onmicrosoft.com');
  assert.ok(checked.ok);
  const seq = env.ledgerSeq();
  await rejectsWith(sendEmail.execute(env.context(), checked.params), 'mailbox_not_found');
  assert.deepEqual(env.writesSince(seq), []);
});
