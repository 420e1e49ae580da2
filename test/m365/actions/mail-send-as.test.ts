// add-send-as and remove-send-as against the emulator's Add/Remove/Get-RecipientPermission.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { addSendAs } from '../../../src/m365/actions/mail/add-send-as.action.ts';
import { removeSendAs } from '../../../src/m365/actions/mail/remove-send-as.action.ts';
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
  mailbox(env, INFO).sendAs = [];
});

describe('add-send-as', () => {
  test('lets the delegate send as a shared mailbox', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(addSendAs, { user: INFO, delegate: CARA });
    assert.deepEqual(mailbox(env, INFO).sendAs, [user(env, CARA).id]);
    assert.deepEqual(writeNames(env, seq), ['Add-RecipientPermission']);
    assert.deepEqual(preview.changes, [{ object: INFO, field: `SendAs:${CARA}`, before: false, after: true }]);
    assert.deepEqual(preview.calls[0]?.body, { Identity: INFO, Trustee: CARA, AccessRights: ['SendAs'], Confirm: false });
    assert.deepEqual(result.outputs, { mailbox: INFO, delegate: CARA, accessRights: 'SendAs' });
  });

  test('an existing right is alreadyDone with no write and no undo', async () => {
    mailbox(env, INFO).sendAs = [user(env, CARA).id];
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(addSendAs, { user: INFO, delegate: CARA });
    assert.equal(preview.alreadyDone, true);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(env.writesSince(seq), []);
    assert.deepEqual(await runUndo(env, 'add-send-as', { user: INFO, delegate: CARA }, result), []);
  });

  test('undo removes the right and leaves the others', async () => {
    mailbox(env, INFO).sendAs = [user(env, AVA).id];
    const start = snapshot(env, INFO);
    const { result } = await env.run(addSendAs, { user: INFO, delegate: CARA });
    const steps = await runUndo(env, 'add-send-as', { user: INFO, delegate: CARA }, result);
    assert.deepEqual(steps, [{ action: 'remove-send-as', params: { user: INFO, delegate: CARA } }]);
    assert.deepEqual(snapshot(env, INFO), start);
  });

  test('a re-run after a completed execute makes no write', async () => {
    const opts = { key: 'step:sendas-rerun', scratch: new MemoryScratch() };
    await env.run(addSendAs, { user: INFO, delegate: CARA }, opts);
    const seq = env.ledgerSeq();
    const { result } = await env.run(addSendAs, { user: INFO, delegate: CARA }, opts);
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(result.before, { granted: false });
  });

  test('works under injected 503s', async () => {
    injectFaults(env, 8, 503);
    const seq = env.ledgerSeq();
    await env.run(addSendAs, { user: INFO, delegate: CARA });
    clearFaults(env);
    assert.ok(faultedWritesSince(env, seq) >= 1, 'the write itself was failed at least once and retried');
    assert.deepEqual(writeNames(env, seq), ['Add-RecipientPermission']);
    assert.deepEqual(mailbox(env, INFO).sendAs, [user(env, CARA).id]);
  });

  test('validation errors: no mailbox, unknown delegate, bad address, missing permission', async () => {
    await rejectsWith(env.run(addSendAs, { user: DAN, delegate: CARA }), 'mailbox_not_found');
    const unknown = await rejectsWith(env.run(addSendAs, { user: INFO, delegate: 'ben.millr@tailspin.com' }), 'unknown_user');
    assert.equal(unknown.param, 'delegate');
    assert.ok((unknown.details?.suggestions as string[]).includes(BEN));
    const bad = await rejectsWith(env.run(addSendAs, { user: INFO, delegate: 'ben' }), 'invalid_parameter');
    assert.match(bad.fix, /^Provide the full address, ben@/);
    const perm = await rejectsWith(env.run(addSendAs, { user: INFO, delegate: CARA }, { app: 'readonly' }), 'missing_permission');
    assert.match(perm.message, /Exchange\.ManageAsApp/);
    assert.deepEqual(mailbox(env, INFO).sendAs, []);
  });
});

describe('remove-send-as', () => {
  test('removes the right; undo gives it back exactly', async () => {
    mailbox(env, INFO).sendAs = [user(env, AVA).id, user(env, CARA).id];
    const start = snapshot(env, INFO);
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(removeSendAs, { user: INFO, delegate: CARA });
    assert.deepEqual(mailbox(env, INFO).sendAs, [user(env, AVA).id]);
    assert.deepEqual(writeNames(env, seq), ['Remove-RecipientPermission']);
    assert.deepEqual(preview.changes, [{ object: INFO, field: `SendAs:${CARA}`, before: true, after: false }]);
    const steps = await runUndo(env, 'remove-send-as', { user: INFO, delegate: CARA }, result);
    assert.deepEqual(steps, [{ action: 'add-send-as', params: { user: INFO, delegate: CARA } }]);
    assert.deepEqual(snapshot(env, INFO), start);
  });

  test('a right that is not there is alreadyDone with no write', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(removeSendAs, { user: INFO, delegate: CARA });
    assert.equal(preview.alreadyDone, true);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(env.writesSince(seq), []);
    assert.deepEqual(await runUndo(env, 'remove-send-as', { user: INFO, delegate: CARA }, result), []);
  });

  test('a re-run after a completed execute makes no write and still undoes the first run', async () => {
    mailbox(env, INFO).sendAs = [user(env, CARA).id];
    const start = snapshot(env, INFO);
    const opts = { key: 'step:unsendas-rerun', scratch: new MemoryScratch() };
    await env.run(removeSendAs, { user: INFO, delegate: CARA }, opts);
    const seq = env.ledgerSeq();
    const { result } = await env.run(removeSendAs, { user: INFO, delegate: CARA }, opts);
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(result.alreadyDone, true);
    await runUndo(env, 'remove-send-as', { user: INFO, delegate: CARA }, result);
    assert.deepEqual(snapshot(env, INFO), start);
  });

  test('works under injected 429s', async () => {
    mailbox(env, INFO).sendAs = [user(env, CARA).id];
    injectFaults(env, 24, 429);
    const seq = env.ledgerSeq();
    await env.run(removeSendAs, { user: INFO, delegate: CARA });
    clearFaults(env);
    assert.ok(faultedWritesSince(env, seq) >= 1, 'the write itself was failed at least once and retried');
    assert.deepEqual(writeNames(env, seq), ['Remove-RecipientPermission']);
    assert.deepEqual(mailbox(env, INFO).sendAs, []);
  });

  test('validation errors: no mailbox, unknown delegate, missing permission', async () => {
    await rejectsWith(env.run(removeSendAs, { user: DAN, delegate: CARA }), 'mailbox_not_found');
    await rejectsWith(env.run(removeSendAs, { user: INFO, delegate: 'nobody@tailspin.com' }), 'unknown_user');
    await rejectsWith(env.run(removeSendAs, { user: INFO, delegate: CARA }, { app: 'readonly' }), 'missing_permission');
  });
});
