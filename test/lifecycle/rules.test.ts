// ruleBasedSubjectSet rules: Microsoft's documented examples, case-sensitive evaluation, and errors
// that name the position of the problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRule } from '../../src/lifecycle/rules.ts';
import { ExpressionError } from '../../src/lifecycle/odata/lexer.ts';

const marketer = {
  id: 'u1', department: 'Marketing', accountEnabled: true, city: 'Paris', country: 'France', userType: 'Member',
  otherMails: ['Avery@fabrikam.com'], proxyAddresses: ['SMTP:jane@contoso.com', 'smtp:j.smith@contoso.com'],
  employeeOrgData: { costCenter: '100', division: 'EMEA' }, onPremisesExtensionAttributes: { extensionAttribute1: 'A1' },
  assignedPlans: [{ capabilityStatus: 'Enabled', service: 'exchange', servicePlanId: '9aaf7827-d63c-4b61-89c3-182f06f82e5c' }],
  employeeHireDate: '2025-03-01T08:00:00Z', extension_0123456789abcdef0123456789abcdef_costCode: 'X-1',
};

const matches = (rule: string, user: object = marketer) => compileRule(rule).test(user);

function errorOf(rule: string): ExpressionError {
  try {
    compileRule(rule);
  } catch (e) {
    assert.ok(e instanceof ExpressionError, `expected an ExpressionError, got ${String(e)}`);
    return e;
  }
  assert.fail(`rule "${rule}" should not compile`);
}

test('Microsoft\'s documented rule examples parse and evaluate', () => {
  assert.equal(matches("(department eq 'Marketing')"), true);
  assert.equal(matches("(department in ('Marketing'))"), true);
  assert.equal(matches("(employeeOrgData/costCenter eq '100')"), true);
  assert.equal(matches("(otherMails/any(p:startsWith(p, 'Av')))"), true);
  assert.equal(matches("(department eq 'Marketing') and (accountEnabled in (true))"), true);
  assert.equal(matches("(department eq 'Marketing') or (not (city eq 'Redmond'))"), true);
  assert.equal(matches("(country eq 'Australia')"), false);
});

test('values compare case-sensitively, as Microsoft\'s rule evaluation does', () => {
  assert.equal(matches("department eq 'marketing'"), false);
  assert.equal(matches("department eq 'MARKETING'"), false);
  assert.equal(matches("department ne 'marketing'"), true);
  assert.equal(matches("startsWith(department, 'mark')"), false);
  assert.equal(matches("startsWith(department, 'Mark')"), true);
  assert.equal(matches("department in ('marketing', 'Sales')"), false);
  assert.equal(matches("otherMails/any(p: p eq 'avery@fabrikam.com')"), false);
  assert.equal(matches("otherMails/any(p: p eq 'Avery@fabrikam.com')"), true);
});

test('operators, precedence, literals and lambdas', () => {
  assert.equal(matches("department eq 'Sales' or department eq 'Marketing' and city eq 'Paris'"), true, 'and binds tighter than or');
  assert.equal(matches("(department eq 'Sales' or department eq 'Marketing') and city eq 'Berlin'"), false);
  assert.equal(matches("department eq 'Marketing' and not (city eq 'Paris')"), false);
  assert.equal(matches("department eq 'Marketing' or not city eq 'Paris'"), true);
  assert.equal(matches('accountEnabled eq false'), false);
  assert.equal(matches('jobTitle eq null'), true, 'an absent property equals null');
  assert.equal(matches('department ne null'), true);
  assert.equal(matches("proxyAddresses/any(x: startsWith(x, 'smtp:j.'))"), true);
  assert.equal(matches('assignedPlans/any(a: a/servicePlanId eq 9aaf7827-d63c-4b61-89c3-182f06f82e5c)'), true, 'GUID literal');
  assert.equal(matches("assignedPlans/any(a: a/capabilityStatus eq 'Enabled' and a/service eq 'exchange')"), true);
  assert.equal(matches("assignedPlans/any(a: a/service eq 'SharePoint')"), false);
  assert.equal(matches("onPremisesExtensionAttributes/extensionAttribute1 eq 'A1'"), true);
  assert.equal(matches("extension_0123456789abcdef0123456789abcdef_costCode eq 'X-1'"), true, 'directory extension attribute');
  assert.equal(matches("department eq 'O''Brien'", { department: "O'Brien" }), true, 'doubled quote inside a string');
  assert.equal(matches('employeeHireDate ge 2025-01-01T00:00:00Z and employeeHireDate lt 2025-04-01'), true, 'date literals on date properties');
  assert.equal(matches('employeeHireDate gt 2025-03-01T08:00:00Z'), false);
});

test('a rule is compiled once and reports the properties it reads', () => {
  const c = compileRule("(department eq 'Sales') and employeeOrgData/division eq 'EMEA' and otherMails/any(p: p eq 'x')");
  assert.deepEqual(c.properties.sort(), ['department', 'employeeOrgData', 'otherMails']);
  const users = Array.from({ length: 1000 }, (_, i) => ({ department: i % 2 ? 'Sales' : 'IT', employeeOrgData: { division: 'EMEA' }, otherMails: ['x'] }));
  assert.equal(users.filter(c.test).length, 500);
});

test('syntax errors point at the position of the problem', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['(department eq )', 16, /Expected a property name or a value, found '\)'/],
    ["department eq 'Sales", 15, /not closed with a quote/],
    ["(department eq 'Sales'", 23, /Expected '\)' to close the parenthesis/],
    ["department eq 'Sales' and", 26, /Expected a condition, found the end/],
    ["department 'Sales'", 12, /Expected an operator/],
    ["department eq 'a' xor city eq 'b'", 19, /Expected 'and', 'or' or the end/],
    ['', 1, /empty/],
    ["department eq 'a' & city eq 'b'", 19, /Unexpected character '&'/],
    ["otherMails/any(p startsWith(p, 'a'))", 18, /Expected ':' after the lambda variable/],
    ["department in 'Sales'", 15, /'\(' to start the list after 'in'/],
  ];
  for (const [rule, position, message] of cases) {
    const e = errorOf(rule);
    assert.equal(e.position, position, `${rule}: ${e.message}`);
    assert.match(e.reason, message, rule);
    assert.match(e.message, new RegExp(`at position ${position} of`));
  }
});

test('rules use only what Microsoft allows, with the position of the offending part', () => {
  const cases: Array<[string, number, RegExp]> = [
    ["Department eq 'Sales'", 1, /property names are case-sensitive, did you mean 'department'/],
    ["manager eq 'x'", 1, /'manager' is not a user property/],
    ["endsWith(mail, '@contoso.com')", 1, /endsWith is not supported.*use startsWith/],
    ["contains(displayName, 'a')", 1, /contains is not supported/],
    ["startsWith(employeeId, '12')", 12, /startsWith is not supported for 'employeeId'/],
    ["accountEnabled eq 'true'", 19, /'accountEnabled' is true or false/],
    ['department eq true', 15, /'department' is text/],
    ["department gt 'M'", 12, /'gt' is not supported for 'department'/],
    ["customSecurityAttributes/Engineering/Level eq 'x'", 1, /Custom security attributes cannot be used/],
    ["otherMails eq 'x'", 1, /'otherMails' is a collection/],
    ["memberOf/any(g: g/id eq 'x')", 1, /not a collection a rule can use/],
    ["otherMails/all(p: p eq 'x')", 12, /Only 'any' is supported/],
    ["assignedPlans/any(a: a/foo eq 'x')", 22, /Use a\/capabilityStatus, a\/service, a\/servicePlanId/],
    ["'Sales' eq department", 1, /put the property name first/],
    ["department eq city", 15, /Compare 'department' with a value/],
    ["userType has 'Member'", 10, /'has' is not supported/],
  ];
  for (const [rule, position, message] of cases) {
    const e = errorOf(rule);
    assert.match(e.reason, message, `${rule}: ${e.reason}`);
    assert.equal(e.position, position, `${rule}: ${e.message}`);
  }
});
