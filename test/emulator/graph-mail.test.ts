import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.ts';
import { graphSdkClient } from './graph-sdk-client.ts';
import { MINI_TENANT_ID, READONLY_APP, miniSeed } from '../fixtures/mini-seed.ts';

let h: Harness;
let sdk: ReturnType<typeof graphSdkClient>;
const seed = miniSeed().tenants[0]!;
const user = (upnPrefix: string) => seed.users.find((u) => u.userPrincipalName.startsWith(upnPrefix))!;
const tenant = () => h.emu.deps.store.tenant(MINI_TENANT_ID)!;

before(async () => {
  h = await startHarness();
  sdk = graphSdkClient(h);
});
after(async () => {
  await sdk.close();
  await h.close();
});
beforeEach(() => {
  h.emu.deps.store.reset(MINI_TENANT_ID);
});

test('mailboxSettings reads the Exchange mailbox in Graph\'s shape', async () => {
  const ben = user('ben.miller');
  const s = await sdk.client.api(`/users/${ben.id}/mailboxSettings`).get();
  assert.equal(s.timeZone, 'UTC');
  assert.equal(s.automaticRepliesSetting.status, 'disabled');
  assert.equal(s.automaticRepliesSetting.externalAudience, 'all');
  assert.equal(s.automaticRepliesSetting.scheduledStartDateTime.timeZone, 'UTC');
  assert.deepEqual(s.language, { locale: 'en-US', displayName: 'English (United States)' });
  assert.equal(s.userPurpose, 'user');
  const shared = await sdk.client.api(`/users/${user('info@').id}/mailboxSettings`).get();
  assert.equal(shared.userPurpose, 'shared');
});

test('PATCH with the documentation example schedules automatic replies on the mailbox', async () => {
  const ben = user('ben.miller');
  const res = await sdk.client.api(`/users/${ben.id}/mailboxSettings`).patch({
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Me/mailboxSettings',
    automaticRepliesSetting: {
      status: 'Scheduled',
      scheduledStartDateTime: { dateTime: '2016-03-20T18:00:00.0000000', timeZone: 'UTC' },
      scheduledEndDateTime: { dateTime: '2016-03-28T18:00:00.0000000', timeZone: 'UTC' },
    },
  });
  assert.equal(res.automaticRepliesSetting.status, 'scheduled');
  assert.deepEqual(res.automaticRepliesSetting.scheduledStartDateTime, { dateTime: '2016-03-20T18:00:00.0000000', timeZone: 'UTC' });
  const a = tenant().mailbox(ben.id)!.autoReply;
  assert.equal(a.autoReplyState, 'Scheduled');
  assert.equal(a.startTime, '2016-03-20T18:00:00Z');
  assert.equal(a.endTime, '2016-03-28T18:00:00Z');
});

test('alwaysEnabled with contactsOnly maps to Exchange Enabled/Known and reads back', async () => {
  const cara = user('cara.diaz');
  await sdk.client.api(`/users/${cara.id}/mailboxSettings`).patch({
    automaticRepliesSetting: { status: 'alwaysEnabled', externalAudience: 'contactsOnly', internalReplyMessage: '<p>Away</p>', externalReplyMessage: '<p>Out of office</p>' },
    timeZone: 'Pacific Standard Time',
  });
  const a = tenant().mailbox(cara.id)!.autoReply;
  assert.deepEqual([a.autoReplyState, a.externalAudience, a.internalMessage, a.externalMessage], ['Enabled', 'Known', '<p>Away</p>', '<p>Out of office</p>']);
  const read = await sdk.client.api(`/users/${cara.id}/mailboxSettings/automaticRepliesSetting`).get();
  assert.equal(read.status, 'alwaysEnabled');
  assert.equal(read.externalAudience, 'contactsOnly');
  assert.equal(tenant().mailbox(cara.id)!.timeZone, 'Pacific Standard Time');
  await sdk.client.api(`/users/${cara.id}/mailboxSettings`).patch({ automaticRepliesSetting: { status: 'disabled', externalAudience: 'none' } });
  assert.equal(tenant().mailbox(cara.id)!.autoReply.autoReplyState, 'Disabled');
  assert.equal(tenant().mailbox(cara.id)!.autoReply.externalAudience, 'None');
});

test('scheduled times in a named time zone are stored in UTC', async () => {
  const ben = user('ben.miller');
  await sdk.client.api(`/users/${ben.id}/mailboxSettings`).patch({
    automaticRepliesSetting: {
      status: 'scheduled',
      scheduledStartDateTime: { dateTime: '2025-07-01T09:00:00', timeZone: 'Pacific Standard Time' },
      scheduledEndDateTime: { dateTime: '2025-12-01T09:00:00', timeZone: 'Europe/Berlin' },
    },
  });
  const a = tenant().mailbox(ben.id)!.autoReply;
  assert.equal(a.startTime, '2025-07-01T16:00:00Z', 'PDT is UTC-7');
  assert.equal(a.endTime, '2025-12-01T08:00:00Z', 'CET is UTC+1');
});

test('mailboxSettings refusals leave the mailbox unchanged', async () => {
  const ben = user('ben.miller');
  const path = `/v1.0/users/${ben.id}/mailboxSettings`;
  const before = structuredClone(tenant().mailbox(ben.id)!.autoReply);
  const cases: Array<[unknown, number, string]> = [
    [{ userPurpose: 'shared' }, 400, 'ErrorInvalidRequest'],
    [{ favouriteColour: 'blue' }, 400, 'RequestBodyRead'],
    [{ automaticRepliesSetting: { status: 'sometimes' } }, 400, 'RequestBodyRead'],
    [{ automaticRepliesSetting: { status: 'scheduled', scheduledStartDateTime: { dateTime: '2025-02-01T00:00:00', timeZone: 'UTC' }, scheduledEndDateTime: { dateTime: '2025-01-01T00:00:00', timeZone: 'UTC' } } }, 400, 'ErrorInvalidRequest'],
    [{ automaticRepliesSetting: { status: 'scheduled', scheduledStartDateTime: { dateTime: '2025-02-01T00:00:00', timeZone: 'Mars/Olympus' } } }, 400, 'ErrorTimeZone'],
  ];
  for (const [body, status, code] of cases) {
    const r = await h.graph(path, { method: 'PATCH', body });
    assert.equal(r.status, status, JSON.stringify(body));
    assert.equal(r.body.error.code, code, JSON.stringify(body));
  }
  assert.deepEqual(tenant().mailbox(ben.id)!.autoReply, before);
});

test('users without a mailbox get MailboxNotEnabledForRESTAPI; unknown users ErrorInvalidUser', async () => {
  const dan = user('dan.nolocation');
  const r = await h.graph(`/v1.0/users/${dan.id}/mailboxSettings`);
  assert.equal(r.status, 404);
  assert.equal(r.body.error.code, 'MailboxNotEnabledForRESTAPI');
  assert.equal(r.body.error.message, 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
  const unknown = await h.graph('/v1.0/users/nobody@tailspin.com/mailboxSettings');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'ErrorInvalidUser');
});

test('sendMail with the documentation example answers 202 and lands in the outbox', async () => {
  const ben = user('ben.miller');
  await sdk.client.api(`/users/${ben.userPrincipalName}/sendMail`).post({
    message: {
      subject: 'Meet for lunch?',
      body: { contentType: 'Text', content: 'The new cafeteria is open.' },
      toRecipients: [{ emailAddress: { address: 'frannis@contoso.com' } }],
      ccRecipients: [{ emailAddress: { address: 'danas@contoso.com' } }],
    },
    saveToSentItems: 'false',
  });
  const outbox = tenant().data.outbox;
  assert.equal(outbox.length, 1);
  const m = outbox[0]!;
  assert.equal(m.fromUserId, ben.id);
  assert.equal(m.from, ben.userPrincipalName);
  assert.equal(m.subject, 'Meet for lunch?');
  assert.deepEqual(m.body, { contentType: 'Text', content: 'The new cafeteria is open.' });
  assert.deepEqual(m.toRecipients, ['frannis@contoso.com']);
  assert.deepEqual(m.ccRecipients, ['danas@contoso.com']);
  assert.equal(m.saveToSentItems, false);
  const raw = await h.graph(`/v1.0/users/${user('info@').id}/sendMail`, {
    method: 'POST', body: { message: { subject: 'From shared', body: { contentType: 'HTML', content: '<b>hi</b>' }, bccRecipients: [{ emailAddress: { address: 'x@fabrikam.com' } }] } },
  });
  assert.equal(raw.status, 202);
  assert.equal(raw.body, undefined);
  assert.equal(tenant().data.outbox[1]!.saveToSentItems, true);
  assert.equal(tenant().data.outbox[1]!.body.contentType, 'HTML');
});

test('sendMail refusals: no recipients, bad address, no mailbox', async () => {
  const ben = user('ben.miller');
  const none = await h.graph(`/v1.0/users/${ben.id}/sendMail`, { method: 'POST', body: { message: { subject: 'x', toRecipients: [] } } });
  assert.equal(none.status, 400);
  assert.equal(none.body.error.code, 'ErrorInvalidRecipients');
  assert.equal(none.body.error.message, "At least one recipient isn't valid., A message can't be sent because it contains no recipients.");
  const bad = await h.graph(`/v1.0/users/${ben.id}/sendMail`, { method: 'POST', body: { message: { toRecipients: [{ emailAddress: { address: 'not-an-address' } }] } } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'ErrorInvalidRecipients');
  const noMessage = await h.graph(`/v1.0/users/${ben.id}/sendMail`, { method: 'POST', body: { subject: 'x' } });
  assert.equal(noMessage.status, 400);
  const noMailbox = await h.graph(`/v1.0/users/${user('dan.nolocation').id}/sendMail`, { method: 'POST', body: { message: { toRecipients: [{ emailAddress: { address: 'a@b.com' } }] } } });
  assert.equal(noMailbox.status, 404);
  assert.equal(noMailbox.body.error.code, 'MailboxNotEnabledForRESTAPI');
  assert.equal(tenant().data.outbox.length, 0);
});

test('a read-only app can neither read mailbox settings nor send mail', async () => {
  const token = await h.token({ clientId: READONLY_APP.clientId, secret: READONLY_APP.secret });
  const ben = user('ben.miller');
  const read = await h.graph(`/v1.0/users/${ben.id}/mailboxSettings`, { token });
  assert.equal(read.status, 403);
  const patch = await h.graph(`/v1.0/users/${ben.id}/mailboxSettings`, { method: 'PATCH', token, body: { timeZone: 'UTC' } });
  assert.equal(patch.status, 403);
  const send = await h.graph(`/v1.0/users/${ben.id}/sendMail`, { method: 'POST', token, body: { message: { toRecipients: [{ emailAddress: { address: 'a@b.com' } }] } } });
  assert.equal(send.status, 403);
  assert.equal(send.body.error.code, 'Authorization_RequestDenied');
  assert.equal(tenant().data.outbox.length, 0);
});
