// add-mailbox-permission and remove-mailbox-permission: FullAccess through Add/Remove-MailboxPermission,
// SendOnBehalf through Set-Mailbox GrantSendOnBehalfTo.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { addMailboxPermission } from '../../../src/m365/actions/mail/add-mailbox-permission.action.ts';
import { removeMailboxPermission } from '../../../src/m365/actions/mail/remove-mailbox-permission.action.ts';
import { MemoryScratch, startActionEnv, type ActionEnv } from '../action-harness.ts';
import { AVA, BEN, CARA, DAN, clearFaults, faultedWritesSince, injectFaults, mailbox, rejectsWith, runUndo, snapshot, user, writeNames } from './mail-fixtures.ts';

let env: ActionEnv;
before(async () => {
  env = await startActionEnv();
});
after(async () => {
  await env.close();
});

beforeEach(() => {
  clearFaults(env);
  Object.assign(mailbox(env, BEN), { fullAccess: [], grantSendOnBehalfTo: [] });
});

const fullAccessOf = (upn: string) => (delegate: string) => mailbox(env, upn).fullAccess.find((e) => e.userId === user(env, delegate).id);

describe('add-mailbox-permission', () => {
  test('gives Full Access with automapping by default', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(addMailboxPermission, { user: BEN, delegate: CARA });
    assert.deepEqual(fullAccessOf(BEN)(CARA), { userId: user(env, CARA).id, accessRights: ['FullAccess'], automapping: true, deny: false, inheritanceType: 'All' });
    assert.deepEqual(writeNames(env, seq), ['Add-MailboxPermission']);
    assert.deepEqual(preview.changes, [{ object: BEN, field: `FullAccess:${CARA}`, before: false, after: true }]);
    assert.equal(preview.calls[0]?.target, 'Add-MailboxPermission');
    assert.deepEqual(result.outputs, { mailbox: BEN, delegate: CARA, accessRights: 'FullAccess', autoMapping: true });
  });

  test('autoMapping false is passed to Exchange', async () => {
    await env.run(addMailboxPermission, { user: BEN, delegate: CARA, autoMapping: false });
    assert.equal(fullAccessOf(BEN)(CARA)?.automapping, false);
  });

  test('SendOnBehalf adds the delegate and keeps the others', async () => {
    mailbox(env, BEN).grantSendOnBehalfTo = [user(env, AVA).id];
    const seq = env.ledgerSeq();
    const { preview } = await env.run(addMailboxPermission, { user: BEN, delegate: CARA, accessRights: 'SendOnBehalf' });
    assert.deepEqual(mailbox(env, BEN).grantSendOnBehalfTo, [user(env, AVA).id, user(env, CARA).id]);
    assert.deepEqual(writeNames(env, seq), ['Set-Mailbox']);
    assert.deepEqual(preview.calls[0]?.body, { Identity: BEN, GrantSendOnBehalfTo: { '@odata.type': '#Exchange.GenericHashTable', add: [CARA] } });
    assert.equal(mailbox(env, BEN).fullAccess.length, 0);
  });

  test('an existing right is alreadyDone with no write and no undo', async () => {
    await env.run(addMailboxPermission, { user: BEN, delegate: CARA });
    mailbox(env, BEN).grantSendOnBehalfTo = [user(env, CARA).id];
    for (const accessRights of ['FullAccess', 'SendOnBehalf']) {
      const seq = env.ledgerSeq();
      const params = { user: BEN, delegate: CARA, accessRights };
      const { preview, result } = await env.run(addMailboxPermission, params);
      assert.equal(preview.alreadyDone, true, accessRights);
      assert.equal(result.alreadyDone, true, accessRights);
      assert.deepEqual(env.writesSince(seq), [], accessRights);
      assert.deepEqual(await runUndo(env, 'add-mailbox-permission', params, result), [], accessRights);
    }
  });

  test('undo removes exactly what was given', async () => {
    mailbox(env, BEN).grantSendOnBehalfTo = [user(env, AVA).id];
    for (const accessRights of ['FullAccess', 'SendOnBehalf']) {
      const start = snapshot(env, BEN);
      const params = { user: BEN, delegate: CARA, accessRights };
      const { result } = await env.run(addMailboxPermission, params);
      assert.notDeepEqual(snapshot(env, BEN), start, accessRights);
      const steps = await runUndo(env, 'add-mailbox-permission', params, result);
      assert.deepEqual(steps, [{ action: 'remove-mailbox-permission', params }]);
      assert.deepEqual(snapshot(env, BEN), start, accessRights);
    }
  });

  test('a re-run after a completed execute makes no write and still undoes the first run', async () => {
    const start = snapshot(env, BEN);
    const opts = { key: 'step:fa-rerun', scratch: new MemoryScratch() };
    const params = { user: BEN, delegate: CARA };
    await env.run(addMailboxPermission, params, opts);
    const seq = env.ledgerSeq();
    const { result } = await env.run(addMailboxPermission, params, opts);
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(result.alreadyDone, true);
    await runUndo(env, 'add-mailbox-permission', params, result);
    assert.deepEqual(snapshot(env, BEN), start);
  });

  test('works under injected 503s: one entry, one effective write', async () => {
    injectFaults(env, 8, 503);
    const seq = env.ledgerSeq();
    await env.run(addMailboxPermission, { user: BEN, delegate: CARA });
    clearFaults(env);
    assert.ok(faultedWritesSince(env, seq) >= 1, 'the write itself was failed at least once and retried');
    assert.deepEqual(writeNames(env, seq), ['Add-MailboxPermission']);
    assert.equal(mailbox(env, BEN).fullAccess.length, 1);
  });

  test('validation errors: no mailbox, unknown delegate, bad address, owner as delegate, missing permission', async () => {
    const none = await rejectsWith(env.run(addMailboxPermission, { user: DAN, delegate: CARA }), 'mailbox_not_found');
    assert.equal(none.param, 'user');
    const unknown = await rejectsWith(env.run(addMailboxPermission, { user: BEN, delegate: 'cara.dias@tailspin.com' }), 'unknown_user');
    assert.equal(unknown.param, 'delegate');
    assert.ok((unknown.details?.suggestions as string[]).includes(CARA), unknown.fix);
    assert.match(unknown.fix, /Closest matches: .*cara\.diaz@tailspin\.com/);
    const bad = await rejectsWith(env.run(addMailboxPermission, { user: BEN, delegate: 'cara' }), 'invalid_parameter');
    assert.match(bad.fix, /^Provide the full address, cara@/);
    const self = await rejectsWith(env.run(addMailboxPermission, { user: BEN, delegate: BEN }), 'invalid_parameter');
    assert.equal(self.param, 'delegate');
    const noSendMailbox = await rejectsWith(env.run(addMailboxPermission, { user: BEN, delegate: DAN, accessRights: 'SendOnBehalf' }), 'mailbox_not_found');
    assert.equal(noSendMailbox.param, 'delegate');
    const right = await rejectsWith(env.run(addMailboxPermission, { user: BEN, delegate: CARA, accessRights: 'ReadOnly' }), 'invalid_parameter');
    assert.match(right.fix, /FullAccess or SendOnBehalf/);
    const perm = await rejectsWith(env.run(addMailboxPermission, { user: BEN, delegate: CARA }, { app: 'readonly' }), 'missing_permission');
    assert.match(perm.message, /Exchange\.ManageAsApp/);
    assert.deepEqual(mailbox(env, BEN).fullAccess, []);
  });

  test('validate lists an unknown mailbox and an unknown delegate together', async () => {
    const v = await addMailboxPermission.validate(env.context(), { user: 'nobody@tailspin.com', delegate: 'cara.dias@tailspin.com', accessRights: 'FullAccess', autoMapping: true });
    assert.deepEqual(v.errors.map((e) => [e.code, e.param]), [['unknown_user', 'user'], ['unknown_user', 'delegate']]);
  });
});

describe('remove-mailbox-permission', () => {
  test('removes Full Access; undo gives it back with the same automapping', async () => {
    mailbox(env, BEN).fullAccess = [{ userId: user(env, CARA).id, accessRights: ['FullAccess'], automapping: true, deny: false, inheritanceType: 'All' }];
    const start = snapshot(env, BEN);
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(removeMailboxPermission, { user: BEN, delegate: CARA });
    assert.deepEqual(mailbox(env, BEN).fullAccess, []);
    assert.deepEqual(writeNames(env, seq), ['Remove-MailboxPermission']);
    assert.deepEqual(preview.changes, [{ object: BEN, field: `FullAccess:${CARA}`, before: true, after: false }]);
    assert.deepEqual(result.before, { granted: true, autoMapping: true });
    const steps = await runUndo(env, 'remove-mailbox-permission', { user: BEN, delegate: CARA }, result);
    assert.deepEqual(steps, [{ action: 'add-mailbox-permission', params: { user: BEN, delegate: CARA, accessRights: 'FullAccess', autoMapping: true } }]);
    assert.deepEqual(snapshot(env, BEN), start);
  });

  test('removes Send on Behalf and keeps the other delegates; undo restores the list', async () => {
    mailbox(env, BEN).grantSendOnBehalfTo = [user(env, AVA).id, user(env, CARA).id];
    const start = snapshot(env, BEN);
    const params = { user: BEN, delegate: CARA, accessRights: 'SendOnBehalf' };
    const { result } = await env.run(removeMailboxPermission, params);
    assert.deepEqual(mailbox(env, BEN).grantSendOnBehalfTo, [user(env, AVA).id]);
    await runUndo(env, 'remove-mailbox-permission', params, result);
    assert.deepEqual(snapshot(env, BEN), start);
  });

  test('a right that is not there is alreadyDone with no write and no undo', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(removeMailboxPermission, { user: BEN, delegate: CARA });
    assert.equal(preview.alreadyDone, true);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(env.writesSince(seq), []);
    assert.deepEqual(await runUndo(env, 'remove-mailbox-permission', { user: BEN, delegate: CARA }, result), []);
  });

  test('a re-run after a completed execute makes no write and still undoes the first run', async () => {
    mailbox(env, BEN).fullAccess = [{ userId: user(env, CARA).id, accessRights: ['FullAccess'], automapping: true, deny: false, inheritanceType: 'All' }];
    const start = snapshot(env, BEN);
    const opts = { key: 'step:rfa-rerun', scratch: new MemoryScratch() };
    await env.run(removeMailboxPermission, { user: BEN, delegate: CARA }, opts);
    const seq = env.ledgerSeq();
    const { result } = await env.run(removeMailboxPermission, { user: BEN, delegate: CARA }, opts);
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(result.alreadyDone, true);
    await runUndo(env, 'remove-mailbox-permission', { user: BEN, delegate: CARA }, result);
    assert.deepEqual(snapshot(env, BEN), start);
  });

  test('works under injected 429s', async () => {
    mailbox(env, BEN).fullAccess = [{ userId: user(env, CARA).id, accessRights: ['FullAccess'], automapping: true, deny: false, inheritanceType: 'All' }];
    injectFaults(env, 24, 429);
    const seq = env.ledgerSeq();
    await env.run(removeMailboxPermission, { user: BEN, delegate: CARA });
    clearFaults(env);
    assert.ok(faultedWritesSince(env, seq) >= 1, 'the write itself was failed at least once and retried');
    assert.deepEqual(writeNames(env, seq), ['Remove-MailboxPermission']);
    assert.deepEqual(mailbox(env, BEN).fullAccess, []);
  });

  test('validation errors: no mailbox, unknown delegate, missing permission', async () => {
    await rejectsWith(env.run(removeMailboxPermission, { user: DAN, delegate: CARA }), 'mailbox_not_found');
    const unknown = await rejectsWith(env.run(removeMailboxPermission, { user: BEN, delegate: 'ava.bos@tailspin.com' }), 'unknown_user');
    assert.ok((unknown.details?.suggestions as string[]).includes(AVA));
    await rejectsWith(env.run(removeMailboxPermission, { user: BEN, delegate: CARA }, { app: 'readonly' }), 'missing_permission');
  });
});
