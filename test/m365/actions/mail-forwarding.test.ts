// configure-forwarding and remove-forwarding against the emulator's Exchange surface.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { configureForwarding } from '../../../src/m365/actions/mail/configure-forwarding.action.ts';
import { removeForwarding } from '../../../src/m365/actions/mail/remove-forwarding.action.ts';
import { MemoryScratch, startActionEnv, type ActionEnv } from '../action-harness.ts';
import { AVA, BEN, CARA, DAN, clearFaults, faultedWritesSince, injectFaults, mailbox, rejectsWith, runUndo, snapshot, user, writeNames } from './mail-fixtures.ts';

let env: ActionEnv;
before(async () => {
  env = await startActionEnv();
});
after(async () => {
  await env.close();
});

/** Every test starts from no forwarding on Ben's and Ava's mailboxes. */
beforeEach(() => {
  clearFaults(env);
  for (const upn of [BEN, AVA]) Object.assign(mailbox(env, upn), { forwardingAddress: null, forwardingSmtpAddress: null, deliverToMailboxAndForward: false });
});

describe('configure-forwarding', () => {
  test('forwards to a colleague through ForwardingAddress, keeping a copy by default', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(configureForwarding, { user: BEN, forwardTo: CARA });
    const m = mailbox(env, BEN);
    assert.equal(m.forwardingAddress, user(env, CARA).id);
    assert.equal(m.forwardingSmtpAddress, null);
    assert.equal(m.deliverToMailboxAndForward, true);
    assert.deepEqual(writeNames(env, seq), ['Set-Mailbox']);
    assert.equal(result.alreadyDone, false);
    assert.deepEqual(result.before, { forwardingAddress: null, forwardingSmtpAddress: null, deliverToMailboxAndForward: false });
    assert.equal(result.outputs.forwardingAddress, CARA);
    assert.equal(result.outputs.external, false);
    // The preview's after-values are what the mailbox now holds.
    const afterOf = (field: string) => preview.changes.find((c) => c.field === field)?.after;
    assert.equal(afterOf('ForwardingAddress'), mailbox(env, CARA).primarySmtpAddress);
    assert.equal(afterOf('DeliverToMailboxAndForward'), m.deliverToMailboxAndForward);
    // ForwardingSmtpAddress stays empty, so the card shows no row for it.
    assert.deepEqual(preview.changes.map((c) => c.field), ['ForwardingAddress', 'DeliverToMailboxAndForward']);
    assert.deepEqual(preview.warnings, []);
    assert.equal(preview.calls[0]?.target, 'Set-Mailbox');
  });

  test('forwards outside the tenant through ForwardingSmtpAddress and warns about the outbound spam policy', async () => {
    const { validation, preview, result } = await env.run(configureForwarding, { user: BEN, forwardTo: 'ben@fabrikam.example', keepCopy: false });
    const m = mailbox(env, BEN);
    assert.equal(m.forwardingSmtpAddress, 'smtp:ben@fabrikam.example');
    assert.equal(m.forwardingAddress, null);
    assert.equal(m.deliverToMailboxAndForward, false);
    assert.equal(result.outputs.external, true);
    assert.match(preview.warnings.join(' '), /outbound spam filter policy/);
    assert.match(validation.warnings.join(' '), /outside the organisation/);
    // Only what changes is on the card: no ForwardingAddress row (empty before and after), no
    // DeliverToMailboxAndForward row (false before and after).
    assert.deepEqual(preview.changes.map((c) => [c.field, c.after]), [['ForwardingSmtpAddress', 'smtp:ben@fabrikam.example']]);
  });

  test('an identical setting is alreadyDone with no write and no undo', async () => {
    Object.assign(mailbox(env, BEN), { forwardingAddress: user(env, CARA).id, deliverToMailboxAndForward: true });
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(configureForwarding, { user: BEN, forwardTo: CARA });
    assert.equal(preview.alreadyDone, true);
    assert.deepEqual(preview.calls, []);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(env.writesSince(seq), []);
    assert.deepEqual(await runUndo(env, 'configure-forwarding', { user: BEN, forwardTo: CARA }, result), []);
  });

  test('switching from external to internal clears ForwardingSmtpAddress, and undo restores it exactly', async () => {
    Object.assign(mailbox(env, BEN), { forwardingSmtpAddress: 'smtp:old@fabrikam.example', deliverToMailboxAndForward: true });
    const start = snapshot(env, BEN);
    const params = { user: BEN, forwardTo: AVA, keepCopy: false };
    const { result } = await env.run(configureForwarding, params);
    assert.equal(mailbox(env, BEN).forwardingAddress, user(env, AVA).id);
    assert.equal(mailbox(env, BEN).forwardingSmtpAddress, null);
    const steps = await runUndo(env, 'configure-forwarding', params, result);
    assert.deepEqual(steps.map((s) => s.action), ['configure-forwarding']);
    assert.deepEqual(snapshot(env, BEN), start);
  });

  test('undo of forwarding set from nothing removes it', async () => {
    const start = snapshot(env, BEN);
    const params = { user: BEN, forwardTo: CARA };
    const { result } = await env.run(configureForwarding, params);
    const steps = await runUndo(env, 'configure-forwarding', params, result);
    assert.deepEqual(steps.map((s) => s.action), ['remove-forwarding']);
    assert.deepEqual(snapshot(env, BEN), start);
  });

  test('a re-run after a completed execute makes no write, reports alreadyDone and still undoes the first run', async () => {
    const start = snapshot(env, BEN);
    const params = { user: BEN, forwardTo: CARA };
    const opts = { key: 'step:fwd-rerun', scratch: new MemoryScratch() };
    await env.run(configureForwarding, params, opts);
    const seq = env.ledgerSeq();
    const { result } = await env.run(configureForwarding, params, opts);
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(result.alreadyDone, true);
    await runUndo(env, 'configure-forwarding', params, result);
    assert.deepEqual(snapshot(env, BEN), start);
  });

  test('works under injected 503s: one effective write and the right state', async () => {
    injectFaults(env, 10, 503);
    const seq = env.ledgerSeq();
    await env.run(configureForwarding, { user: BEN, forwardTo: CARA });
    clearFaults(env);
    assert.ok(faultedWritesSince(env, seq) >= 1, 'the write itself was failed at least once and retried');
    assert.deepEqual(writeNames(env, seq), ['Set-Mailbox']);
    assert.equal(mailbox(env, BEN).forwardingAddress, user(env, CARA).id);
  });

  test('a user without a mailbox is mailbox_not_found with the licence fix', async () => {
    const err = await rejectsWith(env.run(configureForwarding, { user: DAN, forwardTo: CARA }), 'mailbox_not_found');
    assert.match(err.fix, /licence that includes Exchange Online/);
    assert.equal(err.param, 'user');
  });

  test('an unknown colleague address is unknown_user with the closest matches', async () => {
    const err = await rejectsWith(env.run(configureForwarding, { user: BEN, forwardTo: 'cara.dias@tailspin.com' }), 'unknown_user');
    assert.equal(err.param, 'forwardTo');
    assert.ok((err.details?.suggestions as string[]).includes(CARA), err.fix);
  });

  test('an address without a domain is invalid_parameter with the full-address fix', async () => {
    const err = await rejectsWith(env.run(configureForwarding, { user: BEN, forwardTo: 'cara' }), 'invalid_parameter');
    assert.equal(err.param, 'forwardTo');
    assert.match(err.fix, /^Provide the full address, cara@/);
  });

  test('forwarding a mailbox to itself is refused', async () => {
    const err = await rejectsWith(env.run(configureForwarding, { user: BEN, forwardTo: BEN }), 'invalid_parameter');
    assert.equal(err.param, 'forwardTo');
  });

  test('an app without Exchange.ManageAsApp gets missing_permission naming it', async () => {
    const err = await rejectsWith(env.run(configureForwarding, { user: BEN, forwardTo: CARA }, { app: 'readonly' }), 'missing_permission');
    assert.match(err.message, /Exchange\.ManageAsApp/);
    assert.equal(mailbox(env, BEN).forwardingAddress, null);
  });
});

describe('remove-forwarding', () => {
  test('clears both addresses and DeliverToMailboxAndForward; undo puts them back exactly', async () => {
    Object.assign(mailbox(env, BEN), { forwardingAddress: user(env, CARA).id, deliverToMailboxAndForward: true });
    const start = snapshot(env, BEN);
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(removeForwarding, { user: BEN });
    const m = mailbox(env, BEN);
    assert.deepEqual([m.forwardingAddress, m.forwardingSmtpAddress, m.deliverToMailboxAndForward], [null, null, false]);
    assert.deepEqual(writeNames(env, seq), ['Set-Mailbox']);
    assert.deepEqual(preview.changes.map((c) => [c.field, c.before, c.after]), [['ForwardingAddress', CARA, null], ['DeliverToMailboxAndForward', true, false]]);
    assert.deepEqual(result.before, { forwardingAddress: CARA, forwardingSmtpAddress: null, deliverToMailboxAndForward: true });
    const steps = await runUndo(env, 'remove-forwarding', { user: BEN }, result);
    assert.deepEqual(steps, [{ action: 'configure-forwarding', params: { user: BEN, forwardTo: CARA, keepCopy: true } }]);
    assert.deepEqual(snapshot(env, BEN), start);
  });

  test('external forwarding is removed and restored by undo', async () => {
    Object.assign(mailbox(env, AVA), { forwardingSmtpAddress: 'smtp:ava@home.example', deliverToMailboxAndForward: false });
    const start = snapshot(env, AVA);
    const { result } = await env.run(removeForwarding, { user: AVA });
    assert.equal(mailbox(env, AVA).forwardingSmtpAddress, null);
    await runUndo(env, 'remove-forwarding', { user: AVA }, result);
    assert.deepEqual(snapshot(env, AVA), start);
  });

  test('nothing forwarded is alreadyDone with no write and an empty undo', async () => {
    const seq = env.ledgerSeq();
    const { preview, result } = await env.run(removeForwarding, { user: BEN });
    assert.equal(preview.alreadyDone, true);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(env.writesSince(seq), []);
    assert.deepEqual(await runUndo(env, 'remove-forwarding', { user: BEN }, result), []);
  });

  test('a re-run after a completed execute makes no write', async () => {
    Object.assign(mailbox(env, BEN), { forwardingSmtpAddress: 'smtp:x@fabrikam.example' });
    const opts = { key: 'step:unfwd-rerun', scratch: new MemoryScratch() };
    await env.run(removeForwarding, { user: BEN }, opts);
    const seq = env.ledgerSeq();
    const { result } = await env.run(removeForwarding, { user: BEN }, opts);
    assert.deepEqual(env.writesSince(seq), []);
    assert.equal(result.alreadyDone, true);
    assert.deepEqual(result.before, { forwardingAddress: null, forwardingSmtpAddress: 'smtp:x@fabrikam.example', deliverToMailboxAndForward: false });
  });

  test('works under injected 429s', async () => {
    Object.assign(mailbox(env, BEN), { forwardingSmtpAddress: 'smtp:x@fabrikam.example' });
    injectFaults(env, 14, 429);
    const seq = env.ledgerSeq();
    await env.run(removeForwarding, { user: BEN });
    clearFaults(env);
    assert.ok(faultedWritesSince(env, seq) >= 1, 'the write itself was failed at least once and retried');
    assert.deepEqual(writeNames(env, seq), ['Set-Mailbox']);
    assert.equal(mailbox(env, BEN).forwardingSmtpAddress, null);
  });

  test('validation: no mailbox, unknown user, missing permission', async () => {
    await rejectsWith(env.run(removeForwarding, { user: DAN }), 'mailbox_not_found');
    const unknown = await rejectsWith(env.run(removeForwarding, { user: 'ben.millr@tailspin.com' }), 'unknown_user');
    assert.ok((unknown.details?.suggestions as string[]).includes(BEN));
    await rejectsWith(env.run(removeForwarding, { user: BEN }, { app: 'readonly' }), 'missing_permission');
  });
});
