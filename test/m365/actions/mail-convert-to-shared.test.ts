// convert-to-shared (and back, with type Regular) against the emulator's Set-Mailbox -Type.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { convertToShared } from '../../../src/m365/actions/mail/convert-to-shared.action.ts';
import { MemoryScratch, startActionEnv, type ActionEnv } from '../action-harness.ts';
import { AVA, BEN, CARA, DAN, INFO, clearFaults, faultedWritesSince, injectFaults, mailbox, rejectsWith, runUndo, snapshot, user, writeNames } from './mail-fixtures.ts';

let env: ActionEnv;
before(async () => {
  env = await startActionEnv();
});
after(async () => {
  await env.close();
});

beforeEach(() => {
  clearFaults(env);
  for (const upn of [BEN, CARA, AVA]) mailbox(env, upn).recipientTypeDetails = 'UserMailbox';
  mailbox(env, INFO).recipientTypeDetails = 'SharedMailbox';
});

test('converts a user mailbox to shared, keeps licences, and the preview says so', async () => {
  const licences = structuredClone(user(env, BEN).directLicenses);
  const seq = env.ledgerSeq();
  const { preview, result } = await env.run(convertToShared, { user: BEN });
  assert.equal(mailbox(env, BEN).recipientTypeDetails, 'SharedMailbox');
  assert.deepEqual(user(env, BEN).directLicenses, licences);
  assert.deepEqual(writeNames(env, seq), ['Set-Mailbox']);
  assert.deepEqual(preview.changes, [{ object: BEN, field: 'RecipientTypeDetails', before: 'UserMailbox', after: mailbox(env, BEN).recipientTypeDetails }]);
  assert.ok(preview.warnings.some((w) => /Licences are NOT removed/.test(w)), preview.warnings.join(' | '));
  assert.deepEqual(result.before, { recipientTypeDetails: 'UserMailbox' });
  assert.equal(result.outputs.recipientTypeDetails, 'SharedMailbox');
  // The summary is a sentence for a person, not Exchange's type name.
  assert.equal(result.summary, `Converted ${BEN}'s mailbox to a shared mailbox.`);
});

test('a mailbox above 50 GB gets a licence warning', async () => {
  mailbox(env, CARA).totalItemSizeGB = 62.4;
  try {
    const { preview, validation } = await env.run(convertToShared, { user: CARA });
    assert.ok(preview.warnings.some((w) => /62\.4 GB.*needs an Exchange Online licence/.test(w)), preview.warnings.join(' | '));
    assert.ok(validation.warnings.some((w) => /62\.4 GB/.test(w)));
  } finally {
    mailbox(env, CARA).totalItemSizeGB = 2.5;
  }
});

test('a mailbox under 50 GB gets no size warning', async () => {
  const { preview } = await env.run(convertToShared, { user: AVA });
  assert.ok(!preview.warnings.some((w) => /GB/.test(w)), preview.warnings.join(' | '));
});

test('an already shared mailbox is alreadyDone with no write and no undo', async () => {
  const seq = env.ledgerSeq();
  const { preview, result } = await env.run(convertToShared, { user: INFO });
  assert.equal(preview.alreadyDone, true);
  assert.deepEqual(preview.calls, []);
  assert.equal(result.alreadyDone, true);
  assert.deepEqual(env.writesSince(seq), []);
  assert.deepEqual(await runUndo(env, 'convert-to-shared', { user: INFO }, result), []);
});

test('undo converts back to a user mailbox with the same id, and the mailbox is as before', async () => {
  const start = snapshot(env, BEN);
  const { result } = await env.run(convertToShared, { user: BEN });
  const steps = await runUndo(env, 'convert-to-shared', { user: BEN }, result);
  assert.deepEqual(steps, [{ action: 'convert-to-shared', params: { user: BEN, type: 'Regular' } }]);
  assert.deepEqual(snapshot(env, BEN), start);
});

test('type Regular turns a shared mailbox into a user mailbox and warns when the user has no licence', async () => {
  const start = snapshot(env, INFO);
  const { preview, result } = await env.run(convertToShared, { user: INFO, type: 'Regular' });
  assert.equal(mailbox(env, INFO).recipientTypeDetails, 'UserMailbox');
  assert.ok(preview.warnings.some((w) => /no licence/.test(w)), preview.warnings.join(' | '));
  await runUndo(env, 'convert-to-shared', { user: INFO, type: 'Regular' }, result);
  assert.deepEqual(snapshot(env, INFO), start);
});

test('a re-run after a completed execute makes no write and still undoes the first run', async () => {
  const start = snapshot(env, BEN);
  const opts = { key: 'step:shared-rerun', scratch: new MemoryScratch() };
  await env.run(convertToShared, { user: BEN }, opts);
  const seq = env.ledgerSeq();
  const { result } = await env.run(convertToShared, { user: BEN }, opts);
  assert.deepEqual(env.writesSince(seq), []);
  assert.equal(result.alreadyDone, true);
  await runUndo(env, 'convert-to-shared', { user: BEN }, result);
  assert.deepEqual(snapshot(env, BEN), start);
});

test('works under injected 429s', async () => {
  injectFaults(env, 14, 429);
  const seq = env.ledgerSeq();
  await env.run(convertToShared, { user: BEN });
  clearFaults(env);
  assert.ok(faultedWritesSince(env, seq) >= 1, 'the write itself was failed at least once and retried');
  assert.deepEqual(writeNames(env, seq), ['Set-Mailbox']);
  assert.equal(mailbox(env, BEN).recipientTypeDetails, 'SharedMailbox');
});

test('validation errors: no mailbox, unknown user, bad address, missing permission', async () => {
  const none = await rejectsWith(env.run(convertToShared, { user: DAN }), 'mailbox_not_found');
  assert.match(none.fix, /licence that includes Exchange Online/);
  const unknown = await rejectsWith(env.run(convertToShared, { user: 'cara.dias@tailspin.com' }), 'unknown_user');
  assert.ok((unknown.details?.suggestions as string[]).includes(CARA));
  const bad = await rejectsWith(env.run(convertToShared, { user: 'ben' }), 'invalid_parameter');
  assert.match(bad.fix, /^Provide the full address, ben@/);
  const perm = await rejectsWith(env.run(convertToShared, { user: BEN }, { app: 'readonly' }), 'missing_permission');
  assert.match(perm.message, /Exchange\.ManageAsApp/);
  assert.equal(mailbox(env, BEN).recipientTypeDetails, 'UserMailbox');
});

test('a room mailbox is refused with invalid_state', async () => {
  mailbox(env, AVA).recipientTypeDetails = 'RoomMailbox';
  const err = await rejectsWith(env.run(convertToShared, { user: AVA }), 'invalid_state');
  assert.match(err.message, /RoomMailbox/);
});
