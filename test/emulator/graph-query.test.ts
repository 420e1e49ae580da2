import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { PageIterator, type Client } from '@microsoft/microsoft-graph-client';
import { startHarness, type Harness } from './harness.ts';
import { graphSdkClient } from './graph-sdk-client.ts';
import { MINI_VERIFIED, miniSeed } from '../fixtures/mini-seed.ts';
import { makeUser } from '../../src/emulator/seed/builders.ts';

const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
const EXTRA = 1234;
const EV = { ConsistencyLevel: 'eventual' };

let h: Harness;
let sdk: { client: Client; close(): Promise<void> };

/** The fixture tenant plus 1,234 numbered users in ten departments, hired one day apart. */
function bigSeed() {
  const seed = miniSeed();
  const t = seed.tenants[0]!;
  for (let i = 0; i < EXTRA; i++) {
    const n = String(i).padStart(4, '0');
    t.users.push(makeUser('tailspin', {
      userPrincipalName: `user${n}@${MINI_VERIFIED}`,
      displayName: `Zed User ${n}`,
      department: `Dept${i % 10}`,
      employeeHireDate: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().replace('.000Z', 'Z'),
      directLicenses: i % 100 === 0 ? [{ skuId: E3, disabledPlans: [] }] : [],
    }));
  }
  return seed;
}

before(async () => {
  h = await startHarness({ seeds: [bigSeed()] });
  sdk = graphSdkClient(h);
});
after(async () => {
  await sdk.close();
  await h.close();
});

async function names(query: string, headers: Record<string, string> = {}): Promise<string[]> {
  const r = await h.graph(`/v1.0/users?${query}`, { headers });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.value.map((u: any) => u.displayName).sort();
}

test('eq, in, startswith, and/or and lambdas filter by default', async () => {
  assert.deepEqual(await names("$filter=department eq 'sales'"), ['Ben Miller', 'Cara Diaz']);
  assert.deepEqual(await names("$filter=department in ('IT','HR')"), ['Ava Boss', 'Eve Disabled', 'Sam Synced']);
  assert.deepEqual(await names("$filter=startswith(displayName,'ca')"), ['Cara Diaz']);
  assert.deepEqual(await names("$filter=department eq 'IT' and accountEnabled eq true"), ['Ava Boss', 'Sam Synced']);
  assert.deepEqual(await names("$filter=department eq 'HR' or userType eq 'Guest'"), ['Eve Disabled', 'Gina Guest']);
  assert.deepEqual(await names('$filter=accountEnabled eq false'), ['Eve Disabled', 'Info']);
  assert.deepEqual(await names(`$filter=proxyAddresses/any(p:p eq 'smtp:ben.miller@${MINI_VERIFIED}')`), ['Ben Miller']);
  const licensed = await names(`$filter=assignedLicenses/any(x:x/skuId eq ${E3})&$top=999`);
  assert.equal(licensed.length, 3 + 13, 'direct E3 holders: three people and users 0000, 0100 … 1200');
  assert.ok(licensed.includes('Ava Boss') && licensed.includes('Zed User 0100'));
  assert.deepEqual(await names("$filter=userPrincipalName eq 'BEN.MILLER@tailspin.com'"), ['Ben Miller']);
});

test('ne, not, endsWith, null and hire-date ranges need ConsistencyLevel: eventual and $count=true', async () => {
  const without = await h.graph("/v1.0/users?$filter=department ne 'Sales'");
  assert.equal(without.status, 400);
  assert.equal(without.body.error.code, 'Request_UnsupportedQuery');
  assert.match(without.body.error.message, /^Operator 'ne' is not supported because the required parameters might be missing/);
  const headerOnly = await h.graph("/v1.0/users?$filter=department ne 'Sales'", { headers: EV });
  assert.equal(headerOnly.status, 400, 'the header alone is not enough without $count=true');
  const ne = await h.graph("/v1.0/users?$filter=startswith(displayName,'C') or department ne 'Sales' and department eq 'IT'&$count=true", { headers: EV });
  assert.equal(ne.status, 200);
  assert.deepEqual(ne.body.value.map((u: any) => u.displayName).sort(), ['Ava Boss', 'Cara Diaz', 'Sam Synced']);
  assert.equal(ne.body['@odata.count'], 3);
  assert.deepEqual(await names("$filter=not(startswith(displayName,'Z')) and not(department eq 'IT')&$count=true", EV), ['Ben Miller', 'Cara Diaz', 'Dan Nolocation', 'Eve Disabled', 'Gina Guest', 'Info']);
  assert.deepEqual(await names(`$filter=${encodeURIComponent("endswith(userPrincipalName,'#EXT#@tailspin.onmicrosoft.com')")}&$count=true`, EV), ['Gina Guest']);
  assert.equal((await h.graph("/v1.0/users?$filter=endswith(mail,'@fabrikam.com')")).status, 400);
  const range = '$filter=employeeHireDate ge 2024-01-01T00:00:00Z and employeeHireDate le 2024-01-03T23:59:59Z';
  const noAdv = await h.graph(`/v1.0/users?${range}`);
  assert.equal(noAdv.status, 400);
  assert.equal(noAdv.body.error.message, "Unsupported or invalid query filter clause specified for property 'employeeHireDate' of resource 'User'.");
  assert.deepEqual(await names(`${range}&$count=true`, EV), ['Zed User 0000', 'Zed User 0001', 'Zed User 0002']);
  assert.deepEqual(await names("$filter=department eq null&$count=true", EV), ['Gina Guest', 'Info']);
});

test('$count=true counts only with the header; /users/$count is plain text and honours $filter', async () => {
  const silent = await h.graph('/v1.0/users?$count=true&$top=1');
  assert.equal(silent.status, 200);
  assert.equal(silent.body['@odata.count'], undefined, 'Graph silently ignores $count=true without the header');
  const counted = await h.graph('/v1.0/users?$count=true&$top=1', { headers: EV });
  assert.equal(counted.body['@odata.count'], 8 + EXTRA);
  const seg = await h.graph('/v1.0/users/$count', { headers: EV });
  assert.equal(seg.status, 200);
  assert.match(seg.headers.get('content-type') ?? '', /^text\/plain/);
  assert.equal(seg.body, 8 + EXTRA);
  const filtered = await fetch(`${h.base}/v1.0/users/$count?$filter=${encodeURIComponent("department eq 'Dept3'")}`, { headers: { authorization: `Bearer ${await h.token()}`, ...EV } });
  assert.equal(await filtered.text(), '124', 'users 0003, 0013 … 1233');
  const noHeader = await h.graph('/v1.0/users/$count');
  assert.equal(noHeader.status, 400);
  assert.equal(noHeader.body.error.code, 'Request_BadRequest');
  assert.equal(noHeader.body.error.message, '$count is not currently supported.');
});

test('$search needs the header and matches words of displayName, OR of quoted clauses', async () => {
  const none = await h.graph('/v1.0/users?$search="displayName:dia"');
  assert.equal(none.status, 400);
  assert.equal(none.body.error.code, 'Request_UnsupportedQuery');
  assert.deepEqual(await names('$search="displayName:dia"', EV), ['Cara Diaz']);
  assert.deepEqual(await names('$search="displayName:MILL" OR "mail:eve.dis"', EV), ['Ben Miller', 'Eve Disabled']);
  assert.deepEqual(await names('$search="displayName:zed user 0012"', EV), ['Zed User 0012']);
  const bad = await h.graph('/v1.0/users?$search=displayName:dia', { headers: EV });
  assert.equal(bad.status, 400);
});

test('$orderby on displayName and userPrincipalName; with $filter it needs the advanced parameters', async () => {
  const desc = await h.graph('/v1.0/users?$orderby=displayName desc&$top=3&$select=displayName');
  assert.deepEqual(desc.body.value.map((u: any) => u.displayName), ['Zed User 1233', 'Zed User 1232', 'Zed User 1231']);
  const asc = await h.graph('/v1.0/users?$orderby=userPrincipalName&$top=2&$select=userPrincipalName');
  assert.deepEqual(asc.body.value.map((u: any) => u.userPrincipalName), [`ava.boss@${MINI_VERIFIED}`, `ben.miller@${MINI_VERIFIED}`]);
  const both = await h.graph("/v1.0/users?$filter=department eq 'Sales'&$orderby=displayName desc");
  assert.equal(both.status, 400);
  assert.equal(both.body.error.code, 'Request_UnsupportedQuery');
  assert.equal(both.body.error.message, 'Sorting not supported for current query.');
  const ok = await h.graph("/v1.0/users?$filter=department eq 'Sales'&$orderby=displayName desc&$count=true", { headers: EV });
  assert.deepEqual(ok.body.value.map((u: any) => u.displayName), ['Cara Diaz', 'Ben Miller']);
  assert.equal((await h.graph('/v1.0/users?$orderby=jobTitle')).status, 400);
});

test('paging: the SDK PageIterator walks every user exactly once through @odata.nextLink', async () => {
  const first = await sdk.client.api('/users').select('id,displayName').top(250).get();
  assert.equal(first.value.length, 250);
  assert.match(first['@odata.nextLink'], /\$skiptoken=/);
  const seen = new Set<string>();
  const it = new PageIterator(sdk.client, first, (u: { id: string }) => {
    assert.ok(!seen.has(u.id), 'no user twice');
    seen.add(u.id);
    return true;
  });
  await it.iterate();
  assert.ok(it.isComplete());
  assert.equal(seen.size, 8 + EXTRA);
  const def = await sdk.client.api('/users').get();
  assert.equal(def.value.length, 100, 'default page size is 100');
});

test('paging a filtered, ordered query keeps its order across pages', async () => {
  const collected: string[] = [];
  let url: string | undefined = `/v1.0/users?$filter=${encodeURIComponent("department eq 'Dept7'")}&$orderby=displayName desc&$count=true&$top=37&$select=displayName`;
  let count: number | undefined;
  while (url) {
    const r: { status: number; body: any } = await h.graph(url.startsWith('http') ? url.slice(h.base.length) : url, { headers: EV });
    assert.equal(r.status, 200);
    count ??= r.body['@odata.count'];
    collected.push(...r.body.value.map((u: any) => u.displayName));
    url = r.body['@odata.nextLink'];
  }
  assert.equal(count, collected.length);
  assert.equal(collected.length, 123);
  assert.deepEqual(collected, [...collected].sort().reverse());
  assert.ok(collected.every((n) => Number(n.slice(-4)) % 10 === 7));
});

test('bad filters, bad $top, unknown $select and $skip get Graph errors', async () => {
  const f = await h.graph("/v1.0/users?$filter=department eqq 'Sales'");
  assert.equal(f.status, 400);
  assert.equal(f.body.error.code, 'BadRequest');
  assert.equal(f.body.error.message, "Invalid filter clause: Syntax error at position 14 in 'department eqq 'Sales''.");
  const unknown = await h.graph("/v1.0/users?$filter=shoeSize eq '9'");
  assert.equal(unknown.body.error.message, "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.");
  for (const top of ['0', '1000', 'abc', '-5']) {
    const r = await h.graph(`/v1.0/users?$top=${top}`);
    assert.equal(r.status, 400, top);
    assert.equal(r.body.error.message, `Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`);
  }
  const sel = await h.graph('/v1.0/users?$select=displayName,shoeSize');
  assert.equal(sel.status, 400);
  assert.equal(sel.body.error.message, "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.");
  const skip = await h.graph('/v1.0/users?$skip=10');
  assert.equal(skip.status, 400);
  const token = await h.graph('/v1.0/users?$skiptoken=garbage');
  assert.equal(token.status, 400);
});

test('memberOf and deleted items take the same query options', async () => {
  const sales = await h.graph(`/v1.0/users/ben.miller@${MINI_VERIFIED}/memberOf?$filter=${encodeURIComponent('securityEnabled eq true')}&$select=displayName`);
  assert.equal(sales.status, 200);
  assert.deepEqual(sales.body.value.map((g: any) => g.displayName).sort(), ['Sales Dynamic', 'VPN Users', 'Visio Users']);
  const del = await h.graph(`/v1.0/users/user0005@${MINI_VERIFIED}`, { method: 'DELETE' });
  assert.equal(del.status, 204);
  const found = await h.graph(`/v1.0/directory/deletedItems/microsoft.graph.user?$filter=${encodeURIComponent("startswith(displayName,'Zed User 0005')")}&$select=id,displayName`);
  assert.deepEqual(found.body.value.map((u: any) => u.displayName), ['Zed User 0005']);
});
