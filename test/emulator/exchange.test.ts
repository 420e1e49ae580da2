// The Exchange Online admin API: InvokeCommand cmdlets against the mini tenant, with EXO's output
// shapes, warnings and errors, paging, $batch, and token checks.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.ts';
import { MINI_DOMAIN, MINI_TENANT_ID, READONLY_APP } from '../fixtures/mini-seed.ts';

let h: Harness;
const EXO_SCOPE = 'https://outlook.office365.com/.default';

before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });
beforeEach(async () => {
  const r = await fetch(`${h.base}/_emulator/tenants/${MINI_DOMAIN}/reset`, { method: 'POST' });
  assert.equal(r.status, 200);
});

const tenant = () => h.emu.deps.store.tenant(MINI_DOMAIN)!;
const userId = (upn: string) => tenant().user(upn)!.id;
const mailboxOf = (upn: string) => tenant().mailbox(userId(upn))!;

/** InvokeCommand with extra headers or query, for what h.exo cannot send. */
async function invoke(cmdlet: string, parameters: Record<string, unknown>, opts: { headers?: Record<string, string>; url?: string; token?: string } = {}) {
  const tok = opts.token ?? (await h.token({ scope: EXO_SCOPE }));
  const res = await fetch(opts.url ?? `${h.base}/adminapi/beta/${MINI_TENANT_ID}/InvokeCommand`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json', ...(opts.headers ?? {}) },
    body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

async function batch(requests: unknown[], headers: Record<string, string> = {}) {
  const tok = await h.token({ scope: EXO_SCOPE });
  const res = await fetch(`${h.base}/adminapi/beta/${MINI_DOMAIN}/$batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ requests }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

function errorMessage(body: any): string {
  return body.error.details[0].message as string;
}

describe('Get-Mailbox', () => {
  test('answers in the adminapi envelope with EXO property names', async () => {
    const r = await h.exo('Get-Mailbox', { Identity: 'ben.miller@tailspin.com' });
    assert.equal(r.status, 200);
    assert.equal(r.body['@odata.context'], `${h.base}/adminapi/beta/${MINI_TENANT_ID}/$metadata#Collection(Exchange.GenericHashTable)`);
    assert.equal(r.body['adminapi.warnings@odata.type'], '#Collection(String)');
    assert.deepEqual(r.body['@adminapi.warnings'], []);
    const m = r.body.value[0];
    assert.equal(m.PrimarySmtpAddress, 'ben.miller@tailspin.com');
    assert.equal(m.RecipientTypeDetails, 'UserMailbox');
    assert.equal(m.ExternalDirectoryObjectId, userId('ben.miller@tailspin.com'));
    assert.equal(m.Alias, 'ben.miller');
    assert.equal(m.DisplayName, 'Ben Miller');
    assert.deepEqual(m.EmailAddresses, ['SMTP:ben.miller@tailspin.com']);
    for (const k of ['Identity', 'Name', 'ForwardingAddress', 'ForwardingSmtpAddress', 'DeliverToMailboxAndForward', 'GrantSendOnBehalfTo', 'HiddenFromAddressListsEnabled']) {
      assert.ok(k in m, `has ${k}`);
    }
  });

  test('resolves UPN, SMTP proxy, alias, mailbox guid, user id and display name to the same mailbox', async () => {
    const mbx = mailboxOf('ben.miller@tailspin.com');
    for (const id of ['BEN.MILLER@tailspin.com', 'smtp:ben.miller@tailspin.com', 'ben.miller', mbx.guid, mbx.userId, 'Ben Miller']) {
      const r = await h.exo('Get-Mailbox', { Identity: id });
      assert.equal(r.status, 200, id);
      assert.equal(r.body.value[0].Guid, mbx.guid, id);
    }
  });

  test('an unknown identity is ManagementObjectNotFoundException with 404', async () => {
    const r = await h.exo('Get-Mailbox', { Identity: 'nobody@tailspin.com' });
    assert.equal(r.status, 404);
    assert.equal(r.body.error.innererror.internalexception.type, 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException');
    assert.match(errorMessage(r.body), /The operation couldn't be performed because object 'nobody@tailspin.com' couldn't be found on '.+'\./);
    const noMailbox = await h.exo('Get-Mailbox', { Identity: 'dan.nolocation@tailspin.com' });
    assert.equal(noMailbox.status, 404, 'a user without a mailbox is not a mailbox');
  });

  test('lists all mailboxes, filters by RecipientTypeDetails and limits with ResultSize', async () => {
    const all = await h.exo('Get-Mailbox', {});
    assert.equal(all.body.value.length, 4);
    const shared = await h.exo('Get-Mailbox', { RecipientTypeDetails: ['SharedMailbox'] });
    assert.deepEqual(shared.body.value.map((m: any) => m.Alias), ['info']);
    const both = await h.exo('Get-Mailbox', { RecipientTypeDetails: 'UserMailbox,SharedMailbox' });
    assert.equal(both.body.value.length, 4);
    const limited = await h.exo('Get-Mailbox', { ResultSize: 2 });
    assert.equal(limited.body.value.length, 2);
    assert.match(limited.body['@adminapi.warnings'][0], /more results available/);
    const bad = await h.exo('Get-Mailbox', { RecipientTypeDetails: 'Mailboxy' });
    assert.equal(bad.status, 400);
    assert.match(errorMessage(bad.body), /Unable to match the identifier name Mailboxy/);
  });
});

describe('Set-Mailbox', () => {
  test('converts to Shared keeping the mailbox and the licences, and warns when already shared', async () => {
    const before = structuredClone(tenant().user('ben.miller@tailspin.com')!.directLicenses);
    const r = await h.exo('Set-Mailbox', { Identity: 'ben.miller@tailspin.com', Type: 'shared' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.value, []);
    assert.deepEqual(r.body['@adminapi.warnings'], []);
    const m = await h.exo('Get-Mailbox', { Identity: 'ben.miller@tailspin.com' });
    assert.equal(m.body.value[0].RecipientTypeDetails, 'SharedMailbox');
    assert.equal(m.body.value[0].Guid, mailboxOf('ben.miller@tailspin.com').guid);
    assert.deepEqual(tenant().user('ben.miller@tailspin.com')!.directLicenses, before);
    const again = await h.exo('Set-Mailbox', { Identity: 'ben.miller@tailspin.com', Type: 'Shared' });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body['@adminapi.warnings'], ["The command completed successfully but no settings of 'ben.miller' have been modified."]);
    const back = await h.exo('Set-Mailbox', { Identity: 'ben.miller', Type: 'Regular' });
    assert.equal(back.status, 200);
    assert.equal(mailboxOf('ben.miller@tailspin.com').recipientTypeDetails, 'UserMailbox');
  });

  test('an invalid Type lists the valid enumerator names and changes nothing', async () => {
    const r = await h.exo('Set-Mailbox', { Identity: 'ben.miller', Type: 'Public', HiddenFromAddressListsEnabled: true });
    assert.equal(r.status, 400);
    assert.match(errorMessage(r.body), /Specify one of the following enumerator names and try again: Regular, Room, Equipment, Shared/);
    assert.equal(mailboxOf('ben.miller@tailspin.com').hiddenFromAddressListsEnabled, false);
  });

  test('sets external and internal forwarding and clears it with null', async () => {
    let r = await h.exo('Set-Mailbox', { Identity: 'ben.miller', ForwardingSmtpAddress: 'smtp:ext@fabrikam.com', ForwardingAddress: null, DeliverToMailboxAndForward: true });
    assert.equal(r.status, 200);
    let m = (await h.exo('Get-Mailbox', { Identity: 'ben.miller' })).body.value[0];
    assert.equal(m.ForwardingSmtpAddress, 'smtp:ext@fabrikam.com');
    assert.equal(m.DeliverToMailboxAndForward, true);
    r = await h.exo('Set-Mailbox', { Identity: 'ben.miller', ForwardingAddress: 'cara.diaz@tailspin.com', ForwardingSmtpAddress: null, DeliverToMailboxAndForward: false });
    m = (await h.exo('Get-Mailbox', { Identity: 'ben.miller' })).body.value[0];
    assert.equal(m.ForwardingAddress, 'cara.diaz');
    assert.equal(m.ForwardingSmtpAddress, null);
    await h.exo('Set-Mailbox', { Identity: 'ben.miller', ForwardingAddress: null });
    assert.equal(mailboxOf('ben.miller@tailspin.com').forwardingAddress, null);
    const plain = await h.exo('Set-Mailbox', { Identity: 'ben.miller', ForwardingSmtpAddress: 'ext2@fabrikam.com' });
    assert.equal(plain.status, 200);
    assert.equal(mailboxOf('ben.miller@tailspin.com').forwardingSmtpAddress, 'smtp:ext2@fabrikam.com');
    const bad = await h.exo('Set-Mailbox', { Identity: 'ben.miller', ForwardingSmtpAddress: 'not an address' });
    assert.equal(bad.status, 400);
    const unknown = await h.exo('Set-Mailbox', { Identity: 'ben.miller', ForwardingAddress: 'ghost@tailspin.com' });
    assert.equal(unknown.status, 404);
    assert.match(errorMessage(unknown.body), /Couldn't find object "ghost@tailspin.com"/);
  });

  test('GrantSendOnBehalfTo replaces with a list and adds/removes with a GenericHashTable', async () => {
    await h.exo('Set-Mailbox', { Identity: 'info', GrantSendOnBehalfTo: ['ben.miller@tailspin.com'] });
    assert.deepEqual(mailboxOf('info@tailspin.com').grantSendOnBehalfTo, [userId('ben.miller@tailspin.com')]);
    await h.exo('Set-Mailbox', { Identity: 'info', GrantSendOnBehalfTo: { '@odata.type': '#Exchange.GenericHashTable', add: 'cara.diaz@tailspin.com' } });
    let m = (await h.exo('Get-Mailbox', { Identity: 'info' })).body.value[0];
    assert.deepEqual(m.GrantSendOnBehalfTo.sort(), ['ben.miller', 'cara.diaz']);
    await h.exo('Set-Mailbox', { Identity: 'info', GrantSendOnBehalfTo: { '@odata.type': '#Exchange.GenericHashTable', remove: ['ben.miller@tailspin.com'] } });
    m = (await h.exo('Get-Mailbox', { Identity: 'info' })).body.value[0];
    assert.deepEqual(m.GrantSendOnBehalfTo, ['cara.diaz']);
    const noop = await h.exo('Set-Mailbox', { Identity: 'info', GrantSendOnBehalfTo: { '@odata.type': '#Exchange.GenericHashTable', remove: ['ben.miller@tailspin.com'] } });
    assert.match(noop.body['@adminapi.warnings'][0], /no settings of 'info' have been modified/);
  });

  test('hides from the address lists', async () => {
    await h.exo('Set-Mailbox', { Identity: 'cara.diaz@tailspin.com', HiddenFromAddressListsEnabled: '$true' });
    assert.equal((await h.exo('Get-Mailbox', { Identity: 'cara.diaz' })).body.value[0].HiddenFromAddressListsEnabled, true);
    const bad = await h.exo('Set-Mailbox', { Identity: 'cara.diaz', HiddenFromAddressListsEnabled: 'maybe' });
    assert.equal(bad.status, 400);
    assert.match(errorMessage(bad.body), /Cannot convert value "maybe" to type "System.Boolean"/);
  });

  test('parameters are refused like PowerShell: unknown name, missing mandatory', async () => {
    const unknown = await h.exo('Set-Mailbox', { Identity: 'ben.miller', Colour: 'blue' });
    assert.equal(unknown.status, 400);
    assert.match(errorMessage(unknown.body), /A parameter cannot be found that matches parameter name 'Colour'\./);
    const missing = await h.exo('Set-Mailbox', { Type: 'Shared' });
    assert.equal(missing.status, 400);
    assert.match(errorMessage(missing.body), /missing mandatory parameters: Identity/);
    const caseless = await h.exo('set-mailbox', { identity: 'ben.miller', hiddenfromaddresslistsenabled: true, Confirm: false });
    assert.equal(caseless.status, 200, 'names are case-insensitive and common parameters are accepted');
    const cmd = await h.exo('Get-Nothing', {});
    assert.equal(cmd.status, 400);
    assert.match(errorMessage(cmd.body), /The term 'Get-Nothing' is not recognized/);
  });
});

describe('mailbox and recipient permissions', () => {
  test('FullAccess: add, list with SELF, warn on duplicate, remove, warn on missing ACE', async () => {
    const add = await h.exo('Add-MailboxPermission', { Identity: 'info@tailspin.com', User: 'cara.diaz@tailspin.com', AccessRights: ['FullAccess'], AutoMapping: false, InheritanceType: 'All' });
    assert.equal(add.status, 200);
    assert.equal(add.body.value[0].User, 'cara.diaz@tailspin.com');
    assert.deepEqual(add.body.value[0].AccessRights, ['FullAccess']);
    assert.equal(mailboxOf('info@tailspin.com').fullAccess[0]!.automapping, false);
    const list = await h.exo('Get-MailboxPermission', { Identity: 'info' });
    assert.deepEqual(list.body.value.map((e: any) => e.User), ['NT AUTHORITY\\SELF', 'cara.diaz@tailspin.com']);
    const onlyCara = await h.exo('Get-MailboxPermission', { Identity: 'info', User: 'Cara Diaz' });
    assert.equal(onlyCara.body.value.length, 1);
    const dup = await h.exo('Add-MailboxPermission', { Identity: 'info', User: 'cara.diaz@tailspin.com', AccessRights: 'FullAccess' });
    assert.equal(dup.status, 200);
    assert.match(dup.body['@adminapi.warnings'][0], /existing permission entry was found/);
    assert.equal(mailboxOf('info@tailspin.com').fullAccess.length, 1);
    const rm = await h.exo('Remove-MailboxPermission', { Identity: 'info', User: 'cara.diaz@tailspin.com', AccessRights: ['FullAccess'], InheritanceType: 'All', Confirm: false });
    assert.equal(rm.status, 200);
    assert.deepEqual(rm.body['@adminapi.warnings'], []);
    assert.equal(mailboxOf('info@tailspin.com').fullAccess.length, 0);
    const again = await h.exo('Remove-MailboxPermission', { Identity: 'info', User: 'cara.diaz@tailspin.com', AccessRights: ['FullAccess'] });
    assert.equal(again.status, 200);
    assert.match(again.body['@adminapi.warnings'][0], /^Can't remove the access control entry on the object ".+" for account "cara.diaz@tailspin.com" because the ACE doesn't exist on the object\.$/);
  });

  test('invalid rights and unknown trustees are errors', async () => {
    const bad = await h.exo('Add-MailboxPermission', { Identity: 'info', User: 'cara.diaz', AccessRights: ['Everything'] });
    assert.equal(bad.status, 400);
    assert.match(errorMessage(bad.body), /FullAccess/);
    const ghost = await h.exo('Add-MailboxPermission', { Identity: 'info', User: 'ghost@tailspin.com', AccessRights: ['FullAccess'] });
    assert.equal(ghost.status, 404);
    assert.equal(mailboxOf('info@tailspin.com').fullAccess.length, 0);
  });

  test('SendAs: add, list, remove, warn when the ACE is gone', async () => {
    const add = await h.exo('Add-RecipientPermission', { Identity: 'info', Trustee: 'ben.miller@tailspin.com', AccessRights: ['SendAs'], Confirm: false });
    assert.equal(add.status, 200);
    assert.equal(add.body.value[0].Trustee, 'ben.miller@tailspin.com');
    const list = await h.exo('Get-RecipientPermission', { Identity: 'info' });
    assert.deepEqual(list.body.value.map((e: any) => e.Trustee), ['NT AUTHORITY\\SELF', 'ben.miller@tailspin.com']);
    const byTrustee = await h.exo('Get-RecipientPermission', { Trustee: 'ben.miller@tailspin.com' });
    assert.deepEqual(byTrustee.body.value.map((e: any) => e.Identity), ['info']);
    const dup = await h.exo('Add-RecipientPermission', { Identity: 'info', Trustee: 'ben.miller', AccessRights: 'SendAs' });
    assert.equal(dup.body['@adminapi.warnings'].length, 1);
    assert.deepEqual(mailboxOf('info@tailspin.com').sendAs, [userId('ben.miller@tailspin.com')]);
    await h.exo('Remove-RecipientPermission', { Identity: 'info', Trustee: 'ben.miller@tailspin.com', AccessRights: ['SendAs'], Confirm: false });
    assert.deepEqual(mailboxOf('info@tailspin.com').sendAs, []);
    const again = await h.exo('Remove-RecipientPermission', { Identity: 'info', Trustee: 'ben.miller@tailspin.com', AccessRights: ['SendAs'] });
    assert.match(again.body['@adminapi.warnings'][0], /because the ACE doesn't exist on the object/);
    const wrong = await h.exo('Add-RecipientPermission', { Identity: 'info', Trustee: 'ben.miller', AccessRights: ['FullAccess'] });
    assert.equal(wrong.status, 400);
  });
});

describe('auto reply', () => {
  test('sets a scheduled reply that Get returns and the shared mailbox object holds', async () => {
    const r = await h.exo('Set-MailboxAutoReplyConfiguration', {
      Identity: 'ben.miller@tailspin.com', AutoReplyState: 'Scheduled', InternalMessage: 'Away', ExternalMessage: 'Out of office',
      ExternalAudience: 'Known', StartTime: '2030-01-01T09:00:00Z', EndTime: '2030-01-08T09:00:00Z',
    });
    assert.equal(r.status, 200);
    const g = (await h.exo('Get-MailboxAutoReplyConfiguration', { Identity: 'ben.miller' })).body.value[0];
    assert.equal(g.AutoReplyState, 'Scheduled');
    assert.equal(g.InternalMessage, 'Away');
    assert.equal(g.ExternalMessage, 'Out of office');
    assert.equal(g.ExternalAudience, 'Known');
    assert.equal(g.StartTime, '2030-01-01T09:00:00.000Z');
    assert.equal(g.EndTime, '2030-01-08T09:00:00.000Z');
    assert.equal(mailboxOf('ben.miller@tailspin.com').autoReply.autoReplyState, 'Scheduled');
    const same = await h.exo('Set-MailboxAutoReplyConfiguration', { Identity: 'ben.miller', AutoReplyState: 'Scheduled', InternalMessage: 'Away' });
    assert.match(same.body['@adminapi.warnings'][0], /no settings of 'ben.miller' have been modified/);
    await h.exo('Set-MailboxAutoReplyConfiguration', { Identity: 'ben.miller', AutoReplyState: 'Disabled' });
    assert.equal(mailboxOf('ben.miller@tailspin.com').autoReply.autoReplyState, 'Disabled');
  });

  test('refuses an end before the start, bad states and bad dates', async () => {
    const r = await h.exo('Set-MailboxAutoReplyConfiguration', { Identity: 'ben.miller', AutoReplyState: 'Scheduled', StartTime: '2030-01-08T00:00:00Z', EndTime: '2030-01-01T00:00:00Z' });
    assert.equal(r.status, 400);
    assert.match(errorMessage(r.body), /end time must be later than the start time/);
    assert.equal(mailboxOf('ben.miller@tailspin.com').autoReply.autoReplyState, 'Disabled');
    assert.equal((await h.exo('Set-MailboxAutoReplyConfiguration', { Identity: 'ben.miller', AutoReplyState: 'On' })).status, 400);
    assert.equal((await h.exo('Set-MailboxAutoReplyConfiguration', { Identity: 'ben.miller', StartTime: 'next tuesday' })).status, 400);
  });
});

describe('distribution group members', () => {
  const allStaff = () => tenant().data.groups.find((g) => g.displayName === 'All Staff')!;

  test('adds and removes a member of a distribution list by name, alias, mail or id', async () => {
    const sam = userId('sam.synced@tailspin.com');
    const add = await h.exo('Add-DistributionGroupMember', { Identity: 'All Staff', Member: 'sam.synced@tailspin.com', BypassSecurityGroupManagerCheck: true });
    assert.equal(add.status, 200);
    assert.ok(allStaff().memberIds.includes(sam));
    const members = await h.exo('Get-DistributionGroupMember', { Identity: allStaff().mail! });
    assert.ok(members.body.value.some((m: any) => m.PrimarySmtpAddress === 'sam.synced@tailspin.com' && m.ExternalDirectoryObjectId === sam));
    const dup = await h.exo('Add-DistributionGroupMember', { Identity: allStaff().mailNickname, Member: sam, BypassSecurityGroupManagerCheck: true });
    assert.equal(dup.status, 400);
    assert.equal(dup.body.error.innererror.internalexception.type, 'Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException');
    assert.match(errorMessage(dup.body), /is already a member of the group "All Staff"/);
    const rm = await h.exo('Remove-DistributionGroupMember', { Identity: allStaff().id, Member: 'Sam Synced', BypassSecurityGroupManagerCheck: true, Confirm: false });
    assert.equal(rm.status, 200);
    assert.ok(!allStaff().memberIds.includes(sam));
    const gone = await h.exo('Remove-DistributionGroupMember', { Identity: 'All Staff', Member: sam, BypassSecurityGroupManagerCheck: true });
    assert.equal(gone.status, 400);
    assert.equal(gone.body.error.innererror.internalexception.type, 'Microsoft.Exchange.Management.Tasks.MemberNotFoundException');
    assert.match(errorMessage(gone.body), /isn't a member of the group "All Staff"/);
  });

  test('works for mail-enabled security groups; Graph sees the change', async () => {
    const r = await h.exo('Add-DistributionGroupMember', { Identity: 'Finance', Member: 'ben.miller@tailspin.com', BypassSecurityGroupManagerCheck: true });
    assert.equal(r.status, 200);
    const finance = tenant().data.groups.find((g) => g.displayName === 'Finance')!;
    assert.ok(finance.memberIds.includes(userId('ben.miller@tailspin.com')));
  });

  test('Microsoft 365 and non-mail groups are refused; the manager check needs the bypass', async () => {
    const m365 = await h.exo('Add-DistributionGroupMember', { Identity: 'Sales Team', Member: 'ava.boss@tailspin.com', BypassSecurityGroupManagerCheck: true });
    assert.equal(m365.status, 400);
    assert.match(errorMessage(m365.body), /isn't a distribution group or mail-enabled security group/);
    const security = await h.exo('Add-DistributionGroupMember', { Identity: 'VPN Users', Member: 'cara.diaz@tailspin.com', BypassSecurityGroupManagerCheck: true });
    assert.equal(security.status, 404, 'a security group without mail is not an Exchange recipient');
    const noBypass = await h.exo('Add-DistributionGroupMember', { Identity: 'All Staff', Member: 'sam.synced@tailspin.com' });
    assert.equal(noBypass.status, 400);
    assert.match(errorMessage(noBypass.body), /can only be performed by a manager of the group/);
    assert.ok(!allStaff().memberIds.includes(userId('sam.synced@tailspin.com')));
    const ghost = await h.exo('Add-DistributionGroupMember', { Identity: 'All Staff', Member: 'ghost@tailspin.com', BypassSecurityGroupManagerCheck: true });
    assert.equal(ghost.status, 404);
  });
});

describe('inbox rules', () => {
  beforeEach(() => {
    mailboxOf('ben.miller@tailspin.com').inboxRules.push(
      { id: '1001', name: 'Forward to personal', enabled: true, forwardTo: ['ben@gmail.example'], redirectTo: [], deleteMessage: false, moveToFolder: null },
      { id: '1002', name: 'Junk E-Mail Rule', enabled: true, forwardTo: [], redirectTo: [], deleteMessage: false, moveToFolder: 'Junk Email' },
    );
  });

  test('lists visible rules, hidden ones with IncludeHidden, and removes by identity', async () => {
    const visible = await h.exo('Get-InboxRule', { Mailbox: 'ben.miller@tailspin.com' });
    assert.deepEqual(visible.body.value.map((r: any) => r.Name), ['Forward to personal']);
    assert.deepEqual(visible.body.value[0].ForwardTo, ['ben@gmail.example']);
    const all = await h.exo('Get-InboxRule', { Mailbox: 'ben.miller@tailspin.com', IncludeHidden: true });
    assert.equal(all.body.value.length, 2);
    const rm = await h.exo('Remove-InboxRule', { Identity: visible.body.value[0].Identity, Confirm: false });
    assert.equal(rm.status, 200);
    assert.deepEqual(mailboxOf('ben.miller@tailspin.com').inboxRules.map((r) => r.id), ['1002']);
    const again = await h.exo('Remove-InboxRule', { Identity: visible.body.value[0].Identity });
    assert.equal(again.status, 404);
  });

  test('the mailbox can come from X-AnchorMailbox', async () => {
    const r = await invoke('Get-InboxRule', {}, { headers: { 'X-AnchorMailbox': 'UPN:ben.miller@tailspin.com' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.value[0].RuleIdentity, '1001');
    const rm = await invoke('Remove-InboxRule', { Identity: '1001' }, { headers: { 'X-AnchorMailbox': 'UPN:ben.miller@tailspin.com' } });
    assert.equal(rm.status, 200);
    assert.equal(mailboxOf('ben.miller@tailspin.com').inboxRules.length, 1);
  });
});

describe('paging and $select', () => {
  test('Prefer: odata.maxpagesize pages through @odata.nextLink re-POSTed with the same body', async () => {
    const first = await invoke('Get-Mailbox', {}, { headers: { Prefer: 'odata.maxpagesize=3' } });
    assert.equal(first.body.value.length, 3);
    assert.equal(first.headers.get('preference-applied'), 'odata.maxpagesize=3');
    const next = first.body['@odata.nextLink'] as string;
    assert.ok(next.startsWith(`${h.base}/adminapi/beta/${MINI_TENANT_ID}/InvokeCommand?`));
    const second = await invoke('Get-Mailbox', {}, { url: next, headers: { Prefer: 'odata.maxpagesize=3' } });
    assert.equal(second.body.value.length, 1);
    assert.equal(second.body['@odata.nextLink'], undefined);
    const ids = [...first.body.value, ...second.body.value].map((m: any) => m.Guid);
    assert.equal(new Set(ids).size, 4);
    const other = await invoke('Get-Mailbox', { RecipientTypeDetails: 'UserMailbox' }, { url: next });
    assert.equal(other.status, 400, 'a nextLink belongs to the call that produced it');
  });

  test('$select keeps only the named properties', async () => {
    const r = await invoke('Get-Mailbox', { Identity: 'info' }, { url: `${h.base}/adminapi/beta/${MINI_DOMAIN}/InvokeCommand?$select=PrimarySmtpAddress,RecipientTypeDetails` });
    assert.deepEqual(r.body.value, [{ PrimarySmtpAddress: 'info@tailspin.com', RecipientTypeDetails: 'SharedMailbox' }]);
  });
});

describe('$batch', () => {
  const sub = (id: number, cmdlet: string, parameters: Record<string, unknown>) => ({
    id: String(id), method: 'POST', url: `https://outlook.office365.com/adminapi/beta/${MINI_TENANT_ID}/InvokeCommand`,
    body: { CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }, headers: { 'X-CmdletName': cmdlet },
  });

  test('runs 10 sub-requests and answers each by id', async () => {
    const requests = Array.from({ length: 10 }, (_, i) => i === 9
      ? sub(i, 'Set-Mailbox', { Identity: 'cara.diaz', HiddenFromAddressListsEnabled: true })
      : sub(i, 'Get-Mailbox', { Identity: 'ben.miller' }));
    const r = await batch(requests);
    assert.equal(r.status, 200);
    assert.equal(r.body.responses.length, 10);
    assert.deepEqual(r.body.responses.map((x: any) => x.id), requests.map((x) => x.id));
    assert.ok(r.body.responses.every((x: any) => x.status === 200));
    assert.equal(r.body.responses[0].body.value[0].Alias, 'ben.miller');
    assert.equal(mailboxOf('cara.diaz@tailspin.com').hiddenFromAddressListsEnabled, true);
    const ledger = h.emu.deps.ledger.list(MINI_TENANT_ID).filter((e) => e.surface === 'exchange');
    assert.equal(ledger.length, 1, 'only the write is recorded');
    assert.equal(ledger[0]!.batched, true);
    assert.equal(ledger[0]!.cmdlet, 'Set-Mailbox');
  });

  test('11 sub-requests are refused with 400', async () => {
    const r = await batch(Array.from({ length: 11 }, (_, i) => sub(i, 'Get-Mailbox', { Identity: 'ben.miller' })));
    assert.equal(r.status, 400);
    assert.match(errorMessage(r.body), /at most 10/);
  });

  test('without continue-on-error processing stops at the first failure; with it every item runs', async () => {
    const requests = [sub(1, 'Get-Mailbox', { Identity: 'ghost' }), sub(2, 'Set-Mailbox', { Identity: 'cara.diaz', HiddenFromAddressListsEnabled: true })];
    const stop = await batch(requests);
    assert.deepEqual(stop.body.responses.map((x: any) => x.status), [404]);
    assert.equal(mailboxOf('cara.diaz@tailspin.com').hiddenFromAddressListsEnabled, false);
    const go = await batch(requests, { Prefer: 'odata.maxpagesize = 1000;odata.continue-on-error' });
    assert.deepEqual(go.body.responses.map((x: any) => x.status), [404, 200]);
    assert.equal(mailboxOf('cara.diaz@tailspin.com').hiddenFromAddressListsEnabled, true);
  });
});

describe('tokens and roles', () => {
  test('a Graph token is refused with 401', async () => {
    const graphToken = await h.token();
    const r = await invoke('Get-Mailbox', {}, { token: graphToken });
    assert.equal(r.status, 401);
    assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer /);
    assert.match(r.headers.get('x-ms-diagnostics') ?? '', /audience/);
  });

  test('no token, or a token for another tenant, is 401', async () => {
    const none = await fetch(`${h.base}/adminapi/beta/${MINI_DOMAIN}/InvokeCommand`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(none.status, 401);
    const other = await invoke('Get-Mailbox', {}, { url: `${h.base}/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand` });
    assert.equal(other.status, 401);
  });

  test('an app without Exchange.ManageAsApp gets 403', async () => {
    const tok = await h.token({ clientId: READONLY_APP.clientId, secret: READONLY_APP.secret, scope: EXO_SCOPE });
    const r = await invoke('Get-Mailbox', {}, { token: tok });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.innererror.internalexception.type, 'Microsoft.Exchange.Configuration.Tasks.AccessDeniedException');
  });

  test('a malformed body is a 400 in Exchange shape', async () => {
    const tok = await h.token({ scope: EXO_SCOPE });
    const res = await fetch(`${h.base}/adminapi/beta/${MINI_DOMAIN}/InvokeCommand`, { method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, body: '{"CmdletInput":' });
    assert.equal(res.status, 400);
    const body = await res.json() as any;
    assert.ok(body.error.innererror, 'Exchange error shape');
    const noInput = await fetch(`${h.base}/adminapi/beta/${MINI_DOMAIN}/InvokeCommand`, { method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, body: '{"Cmdlet":"Get-Mailbox"}' });
    assert.equal(noInput.status, 400);
  });
});

describe('throttling', () => {
  test('over the per-mailbox request budget Exchange answers 429 with Retry-After', async () => {
    const t = tenant();
    t.data.controls = { ...t.data.controls, throttling: { enabled: true, exchangeRequestsPerMailboxPer10min: 2 } };
    try {
      assert.equal((await h.exo('Get-Mailbox', { Identity: 'cara.diaz' })).status, 200);
      assert.equal((await h.exo('Get-Mailbox', { Identity: 'Cara Diaz' })).status, 200);
      const r = await h.exo('Get-Mailbox', { Identity: 'cara.diaz@tailspin.com' });
      assert.equal(r.status, 429, 'the three identities share one mailbox budget');
      assert.equal(r.body.error.code, 'TooManyRequests');
      assert.ok(Number(r.headers.get('retry-after')) > 0);
      assert.equal((await h.exo('Get-Mailbox', { Identity: 'ben.miller' })).status, 200, 'another mailbox has its own budget');
    } finally {
      t.data.controls = { ...t.data.controls, throttling: { enabled: false } };
      h.emu.deps.realism.reset(t.id);
    }
  });
});

describe('ledger', () => {
  test('records write cmdlets with their outcome and leaves reads out', async () => {
    h.emu.deps.ledger.clear(MINI_TENANT_ID);
    await h.exo('Get-Mailbox', { Identity: 'ben.miller' });
    await h.exo('Set-Mailbox', { Identity: 'ben.miller', Type: 'Shared' });
    await h.exo('Set-Mailbox', { Identity: 'ghost', Type: 'Shared' });
    const entries = h.emu.deps.ledger.list(MINI_TENANT_ID);
    assert.deepEqual(entries.map((e) => [e.surface, e.cmdlet, e.path, e.status, e.outcome]), [
      ['exchange', 'Set-Mailbox', '/InvokeCommand', 200, 'ok'],
      ['exchange', 'Set-Mailbox', '/InvokeCommand', 404, 'error'],
    ]);
  });
});
