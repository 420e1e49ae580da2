import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { startHarness, type Harness } from '../emulator/harness.ts';

const run = promisify(execFile);
const main = join(import.meta.dirname, '../../src/cli/main.ts');
let h: Harness;
let env: NodeJS.ProcessEnv;

before(async () => {
  h = await startHarness({ seeds: ['demo'] });
  env = { ...process.env, EMULATOR_TLS_PORT: new URL(h.emu.httpsUrl).port, TENANTFLOW_DATA_DIR: dirname(h.emu.certPath), TENANTFLOW_TENANTS_FILE: '' };
});
after(async () => { await h.close(); });

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [main, ...args], { env, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e: any) {
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

test('tenantflow actions lists every catalog action with its parameters', async () => {
  const r = await cli('actions', '--json');
  assert.equal(r.code, 0, r.stderr);
  const list = JSON.parse(r.stdout) as Array<{ id: string; parameters: { properties: Record<string, unknown> } }>;
  for (const id of ['disable-user', 'reset-password', 'assign-license', 'add-to-group', 'configure-forwarding', 'send-email']) {
    assert.ok(list.some((a) => a.id === id), id);
  }
  assert.ok(list.find((a) => a.id === 'disable-user')!.parameters.properties.user);
});

test('a dry run prints the card and changes nothing; --yes runs it and prints the outputs', async () => {
  const tenant = h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
  const dry = await cli('action', 'disable-user', '--tenant', 'contoso', '--param', 'user=lynne.robbins@contoso.com', '--dry-run');
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /accountEnabled: true → false/);
  assert.equal(tenant.user('lynne.robbins@contoso.com')!.accountEnabled, true);
  const real = await cli('action', 'disable-user', '--tenant', 'contoso', '--param', 'user=lynne.robbins@contoso.com', '--yes', '--json');
  assert.equal(real.code, 0, real.stderr);
  const out = JSON.parse(real.stdout);
  assert.equal(out.ok, true);
  assert.equal(out.outputs.accountEnabled, false);
  assert.equal(tenant.user('lynne.robbins@contoso.com')!.accountEnabled, false);
});

test('without --yes and without a terminal nothing runs', async () => {
  const r = await cli('action', 'disable-user', '--tenant', 'contoso', '--param', 'user=isaiah.langer@contoso.com');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--yes/);
  assert.equal(h.emu.deps.store.tenant('contoso.onmicrosoft.com')!.user('isaiah.langer@contoso.com')!.accountEnabled, true);
});

test('bad input names the parameter, the value and the fix; unknown ids suggest the closest', async () => {
  const bad = await cli('action', 'disable-user', '--tenant', 'contoso', '--param', 'user=john.doe', '--yes');
  assert.equal(bad.code, 2);
  // The fix names the tenant's default domain, the one its users' addresses really end in.
  assert.match(bad.stderr, /user: Invalid email format\. Value: john\.doe\. Fix: Provide the full address, john\.doe@contoso\.com\./);
  const unknown = await cli('action', 'disable-usr', '--tenant', 'contoso');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Did you mean disable-user/);
  const tenant = await cli('action', 'disable-user', '--tenant', 'contosso', '--param', 'user=a@b.com', '--yes');
  assert.equal(tenant.code, 2, 'a mistyped tenant is bad input, like any other');
  assert.match(tenant.stderr, /No tenant 'contosso' is configured\. Did you mean contoso\.onmicrosoft\.com\?/);
  assert.doesNotMatch(tenant.stderr, /tenantflow tenants/);
  const missing = await cli('action', 'disable-user', '--tenant', 'contoso', '--yes');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--param user=… is required/);
});

test('--param values follow the schema: null clears, digits stay text, a single owner is a list', async () => {
  const tenant = h.emu.deps.store.tenant('contoso.onmicrosoft.com')!;
  const upn = 'megan.bowen@contoso.com';
  assert.ok(tenant.user(upn)!.department);
  const cleared = await cli('action', 'update-user', '--tenant', 'contoso', '--param', `user=${upn}`, '--param', 'department=null', '--yes', '--json');
  assert.equal(cleared.code, 0, cleared.stderr);
  assert.equal(tenant.user(upn)!.department, null, 'department=null clears it, not the text "null"');
  const mail = await cli('action', 'send-email', '--tenant', 'contoso', '--param', `user=${upn}`, '--param', 'to=joni.sherman@contoso.com',
    '--param', 'subject=2024', '--param', 'message=Hi,there', '--dry-run', '--json');
  assert.equal(mail.code, 0, mail.stderr);
  assert.match(JSON.stringify(JSON.parse(mail.stdout).preview.changes), /"subject":"2024"/);
  const group = await cli('action', 'create-group', '--tenant', 'contoso', '--param', 'name=CLI Owners Test', '--param', `owners=${upn}`, '--dry-run');
  assert.equal(group.code, 0, group.stderr);
  assert.match(group.stdout, new RegExp(`owners: \\(none\\) → ${upn.replace(/\./g, '\\.')}`));
});

test('a group list with spaces in names is two groups; an unknown option is a usage error', async () => {
  const r = await cli('action', 'add-to-group', '--tenant', 'contoso', '--param', 'user=ryan.nowak@contoso.com', '--param', 'group=Finance,VPN Users', '--dry-run');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Finance · member:ryan\.nowak@contoso\.com: false → true/);
  assert.match(r.stdout, /VPN Users · member:ryan\.nowak@contoso\.com: false → true/);
  const bad = await cli('action', 'disable-user', '--tenant', 'contoso', '--bogus');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^Unknown option '--bogus'\.\n\nUsage: tenantflow action/);
});

test('a read-only action runs without approval, says it changes nothing, and lists its outputs one per line', async () => {
  const seq = h.emu.deps.ledger.list('contoso.onmicrosoft.com').length;
  const r = await cli('action', 'list-group-members', '--tenant', 'contoso', '--param', 'group=VPN Users');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Read-only: it changes nothing in the tenant\./);
  assert.doesNotMatch(r.stdout, /Cannot be undone/);
  assert.match(r.stdout, /\n {4}- type: user, userPrincipalName: [^,]+@contoso\.com, displayName: /);
  assert.doesNotMatch(r.stdout, /\[\{"id"/, 'no JSON dump in the card');
  assert.equal(h.emu.deps.ledger.list('contoso.onmicrosoft.com').length, seq);
});

test('an already-done card shows no change rows', async () => {
  const r = await cli('action', 'convert-to-shared', '--tenant', 'contoso', '--param', 'user=info@contoso.com', '--dry-run');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Already in the desired state: nothing will change\./);
  assert.doesNotMatch(r.stdout, /Changes/);
  assert.doesNotMatch(r.stdout, /SharedMailbox → SharedMailbox/);
});

test('tenantflow actions shows each category once, read-only actions as such, and defaults', async () => {
  const r = await cli('actions');
  assert.equal(r.code, 0, r.stderr);
  for (const heading of ['ACCOUNT', 'LICENSES', 'GROUPS', 'MAIL']) assert.equal(r.stdout.split('\n').filter((l) => l === heading).length, 1, heading);
  assert.match(r.stdout, /list-group-members\s+List group members {2}\(read-only\)/);
  assert.match(r.stdout, /\[keepCopy\]\s+true\|false\s+.*Default: true\./);
});
