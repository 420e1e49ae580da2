import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, FilterSyntaxError } from './filter.ts';
import { checkFilter } from './query-rules.ts';
import { userSpec, groupSpec } from './entities.ts';
import { GraphError } from '../errors.ts';
import { parseSearch, searchMatches } from './search.ts';

const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
const ava = {
  id: 'a1', displayName: 'Ava Boss', department: 'IT', jobTitle: "CTO's office", accountEnabled: true, usageLocation: 'US',
  employeeHireDate: '2023-02-01T00:00:00Z', employeeLeaveDateTime: null, userPrincipalName: 'ava.boss@tailspin.com',
  proxyAddresses: ['SMTP:ava.boss@tailspin.com', 'smtp:ava@tailspin.onmicrosoft.com'], assignedLicenses: [{ skuId: E3, disabledPlans: [] }],
  employeeOrgData: { division: 'Ops', costCenter: 'CC-1' }, businessPhones: [], age: 41,
};
const ben = {
  id: 'b2', displayName: 'Ben Miller', department: 'Sales', jobTitle: 'Account Executive', accountEnabled: false, usageLocation: null,
  employeeHireDate: '2025-06-30T00:00:00Z', employeeLeaveDateTime: '2026-01-31T17:00:00Z', userPrincipalName: 'ben.miller@tailspin.com',
  proxyAddresses: ['SMTP:ben.miller@tailspin.com'], assignedLicenses: [], employeeOrgData: null, businessPhones: ['+1 425 555 0100'], age: 29,
};
const people = [ava, ben];

function ids(filter: string): string[] {
  const f = compileFilter(filter);
  return people.filter((p) => f.test(p)).map((p) => p.id);
}

test('comparison operators, case-insensitive strings and property names', () => {
  assert.deepEqual(ids("department eq 'sales'"), ['b2']);
  assert.deepEqual(ids("DEPARTMENT eq 'IT'"), ['a1']);
  assert.deepEqual(ids("department ne 'IT'"), ['b2']);
  assert.deepEqual(ids('age gt 30'), ['a1']);
  assert.deepEqual(ids('age ge 29'), ['a1', 'b2']);
  assert.deepEqual(ids('age lt 30'), ['b2']);
  assert.deepEqual(ids('age le 28'), []);
  assert.deepEqual(ids('accountEnabled eq true'), ['a1']);
  assert.deepEqual(ids('accountEnabled'), ['a1']);
});

test('datetimes compare by instant, and null never satisfies a range', () => {
  assert.deepEqual(ids('employeeHireDate ge 2024-01-01T00:00:00Z'), ['b2']);
  assert.deepEqual(ids('employeeHireDate le 2024-01-01'), ['a1']);
  assert.deepEqual(ids('employeeLeaveDateTime le 2026-02-01T00:00:00Z'), ['b2']);
  assert.deepEqual(ids('employeeLeaveDateTime ge 2000-01-01T00:00:00Z'), ['b2']);
  assert.deepEqual(ids('employeeLeaveDateTime eq null'), ['a1']);
  assert.deepEqual(ids('usageLocation ne null'), ['a1']);
});

test('functions, in, and/or/not with parentheses and precedence', () => {
  assert.deepEqual(ids("startswith(displayName,'ben')"), ['b2']);
  assert.deepEqual(ids("startsWith(displayName, 'AV')"), ['a1']);
  assert.deepEqual(ids("endswith(userPrincipalName,'@TAILSPIN.com')"), ['a1', 'b2']);
  assert.deepEqual(ids("department in ('it', 'Finance')"), ['a1']);
  assert.deepEqual(ids("department eq 'Sales' or department eq 'IT' and accountEnabled eq false"), ['b2']);
  assert.deepEqual(ids("(department eq 'Sales' or department eq 'IT') and accountEnabled eq true"), ['a1']);
  assert.deepEqual(ids("NOT(department eq 'IT')"), ['b2']);
  assert.deepEqual(ids("not startswith(displayName,'Ava')"), ['b2']);
  assert.deepEqual(ids("startswith(displayName,'Ava') eq false"), ['b2']);
});

test('lambda any/all over objects and strings, and nested paths', () => {
  assert.deepEqual(ids(`assignedLicenses/any(x:x/skuId eq ${E3})`), ['a1']);
  assert.deepEqual(ids(`assignedLicenses/any(x:x/skuId eq ${E3.toUpperCase()})`), ['a1']);
  assert.deepEqual(ids("proxyAddresses/any(p:p eq 'smtp:ava@tailspin.onmicrosoft.com')"), ['a1']);
  assert.deepEqual(ids("proxyAddresses/any(p:startswith(p,'smtp:ben'))"), ['b2']);
  assert.deepEqual(ids('assignedLicenses/any()'), ['a1']);
  assert.deepEqual(ids("proxyAddresses/all(p:endswith(p,'tailspin.com'))"), ['b2']);
  assert.deepEqual(ids('businessPhones/$count eq 0'), ['a1']);
  assert.deepEqual(ids("employeeOrgData/costCenter eq 'cc-1'"), ['a1']);
});

test("string escapes: '' inside a literal is one quote", () => {
  assert.deepEqual(ids("jobTitle eq 'CTO''s office'"), ['a1']);
});

test('syntax errors carry the position Graph reports', () => {
  assert.throws(() => compileFilter("department eqq 'Sales'"), (e: unknown) => e instanceof FilterSyntaxError && e.message === "Syntax error at position 14 in 'department eqq 'Sales''.");
  assert.throws(() => compileFilter("department eq 'Sales"), (e: unknown) => e instanceof FilterSyntaxError && /unterminated string literal at position 20/.test(e.message));
  assert.throws(() => compileFilter("substringof('a', displayName)"), (e: unknown) => e instanceof FilterSyntaxError && /unknown function with name 'substringof'/.test(e.message));
  assert.throws(() => compileFilter("(department eq 'IT'"), FilterSyntaxError);
  assert.throws(() => compileFilter('department eq'), FilterSyntaxError);
  assert.throws(() => compileFilter(''), FilterSyntaxError);
});

test('a filter text is compiled once and reused', () => {
  const a = compileFilter("department eq 'cache-check'");
  assert.equal(compileFilter("department eq 'cache-check'"), a);
});

function rule(filter: string, mode: { eventual: boolean; count: boolean }, spec = userSpec): GraphError | undefined {
  try {
    checkFilter(compileFilter(filter).ast, spec, mode);
    return undefined;
  } catch (e) {
    if (e instanceof GraphError) return e;
    throw e;
  }
}

test('advanced-query rules: ne, not and endsWith need ConsistencyLevel and $count', () => {
  const basic = { eventual: false, count: false };
  const adv = { eventual: true, count: true };
  assert.equal(rule("department eq 'IT'", basic), undefined);
  assert.equal(rule("department in ('IT','HR')", basic), undefined);
  assert.equal(rule("department ne 'IT'", basic)?.code, 'Request_UnsupportedQuery');
  assert.match(rule("department ne 'IT'", basic)!.message, /^Operator 'ne' is not supported/);
  assert.equal(rule("department ne 'IT'", { eventual: true, count: false })?.code, 'Request_UnsupportedQuery');
  assert.equal(rule("department ne 'IT'", adv), undefined);
  assert.match(rule("not(department eq 'IT')", basic)!.message, /^Operator 'not'/);
  assert.match(rule("endswith(mail,'@tailspin.com')", basic)!.message, /^Operator 'endsWith'/);
  assert.equal(rule("endswith(mail,'@tailspin.com')", adv), undefined);
  assert.equal(rule("endswith(displayName,'x')", adv)?.message, "Unsupported or invalid query filter clause specified for property 'displayName' of resource 'User'.");
});

test('property rules: hire dates need advanced queries, unknown properties are named', () => {
  const basic = { eventual: false, count: false };
  const adv = { eventual: true, count: true };
  assert.equal(rule('employeeHireDate ge 2024-01-01T00:00:00Z', basic)?.message, "Unsupported or invalid query filter clause specified for property 'employeeHireDate' of resource 'User'.");
  assert.equal(rule('employeeHireDate ge 2024-01-01T00:00:00Z and employeeHireDate le 2025-01-01T00:00:00Z', adv), undefined);
  assert.equal(rule('employeeLeaveDateTime le 2026-01-01T00:00:00Z', adv), undefined);
  const unknown = rule("favouriteColour eq 'blue'", basic)!;
  assert.equal(unknown.code, 'BadRequest');
  assert.equal(unknown.message, "Could not find a property named 'favouriteColour' on type 'microsoft.graph.user'.");
  assert.equal(rule(`assignedLicenses/any(x:x/skuId eq ${E3})`, basic), undefined);
  assert.equal(rule('assignedLicenses/$count eq 0', basic)?.code, 'Request_UnsupportedQuery');
  assert.equal(rule('assignedLicenses/$count eq 0', adv), undefined);
  assert.equal(rule("groupTypes/any(c:c eq 'Unified')", basic, groupSpec), undefined);
  assert.equal(rule("department eq null", basic)?.code, 'Request_UnsupportedQuery');
  assert.equal(rule("department eq null", adv), undefined);
});

test('$search: quoted property clauses, tokenized displayName, AND binds tighter than OR', () => {
  const q = parseSearch('"displayName:mil"', userSpec);
  assert.equal(searchMatches(ben, q), true);
  assert.equal(searchMatches(ava, q), false);
  assert.equal(searchMatches(ava, parseSearch('"displayName:boss" OR "displayName:ben"', userSpec)), true);
  assert.equal(searchMatches(ava, parseSearch('"displayName:ava" AND "department:sa"', userSpec)), false);
  assert.equal(searchMatches(ben, parseSearch('"displayName:ava" AND "department:it" OR "userPrincipalName:ben."', userSpec)), true);
  assert.throws(() => parseSearch('displayName:ava', userSpec), (e: unknown) => e instanceof GraphError && e.status === 400);
  assert.throws(() => parseSearch('"shoeSize:9"', userSpec), (e: unknown) => e instanceof GraphError && e.code === 'Request_UnsupportedQuery');
});
