// ruleBasedSubjectSet rules: the OData subset Microsoft allows (graph-api.md A6), checked property by
// property and compiled once to a predicate over a Graph user. Values compare case-sensitively, as
// Microsoft's rule evaluation does; property names must be written exactly as Graph spells them.
// Tenantflow extension: employeeHireDate, employeeLeaveDateTime and createdDateTime may be compared
// with date literals (eq ne gt ge lt le).
import { compileExpression, type Predicate } from './odata/compile.ts';
import { ExpressionError } from './odata/lexer.ts';
import { parseExpression, type Expr, type Literal, type Operand, type PathNode } from './odata/parser.ts';

type Kind = 'bool' | 'text' | 'textNoStartsWith' | 'date';

const properties: Record<string, Kind> = {
  accountEnabled: 'bool', onPremisesSyncEnabled: 'bool',
  employeeId: 'textNoStartsWith', employeeType: 'textNoStartsWith', 'employeeOrgData/costCenter': 'textNoStartsWith',
  'employeeOrgData/division': 'textNoStartsWith', onPremisesSecurityIdentifier: 'textNoStartsWith', userType: 'textNoStartsWith',
  employeeHireDate: 'date', employeeLeaveDateTime: 'date', createdDateTime: 'date',
};
for (const p of ['city', 'companyName', 'country', 'department', 'displayName', 'faxNumber', 'givenName', 'jobTitle', 'mail', 'mailNickname',
  'mobilePhone', 'officeLocation', 'postalCode', 'preferredLanguage', 'state', 'streetAddress', 'surname', 'usageLocation', 'userPrincipalName']) properties[p] = 'text';
for (let i = 1; i <= 15; i++) properties[`onPremisesExtensionAttributes/extensionAttribute${i}`] = 'textNoStartsWith';

/** Collections `any` may range over, and what an element offers. */
const collections: Record<string, { element: 'text' } | { element: 'object'; fields: string[] }> = {
  otherMails: { element: 'text' },
  proxyAddresses: { element: 'text' },
  assignedPlans: { element: 'object', fields: ['capabilityStatus', 'service', 'servicePlanId'] },
};

const directoryExtension = /^extension_[0-9a-fA-F]{32}_[A-Za-z0-9_]+$/;

export interface CompiledRule {
  rule: string;
  test: Predicate;
  /** Top-level user properties the rule reads (for $select). */
  properties: string[];
}

/** Parses, checks and compiles a rule; throws ExpressionError naming the position of the first problem. */
export function compileRule(rule: string): CompiledRule {
  const ast = parseExpression(rule);
  const used = new Set<string>();
  new RuleChecker(rule, used).check(ast);
  return { rule, test: compileExpression(ast, { caseInsensitive: false }), properties: [...used] };
}

type Element = { variable: string; element: 'text' } | { variable: string; element: 'object'; fields: string[] };

class RuleChecker {
  private readonly rule: string;
  private readonly used: Set<string>;
  private lambda: Element | undefined;

  constructor(rule: string, used: Set<string>) {
    this.rule = rule;
    this.used = used;
  }

  private fail(reason: string, pos: number): never {
    throw new ExpressionError(reason, pos, this.rule);
  }

  check(e: Expr): void {
    switch (e.kind) {
      case 'and': case 'or': this.check(e.left); this.check(e.right); return;
      case 'not': this.check(e.operand); return;
      case 'has': this.fail("'has' is not supported in lifecycle workflow rules; use eq, ne, in or startsWith", e.pos);
      case 'lambda': this.checkLambda(e); return;
      case 'call': this.checkFunction(e.func.name, e.func.written, e.func.args, e.func.pos); return;
      case 'in': {
        const kind = this.operandKind(e.left, 'in');
        for (const v of e.values) this.checkLiteral(kind, v, e.left);
        return;
      }
      case 'compare': {
        if (e.left.kind === 'func') {
          // startsWith(x, 'a') eq true is OData's long form of startsWith(x, 'a').
          if (e.right.kind !== 'literal' || e.right.type !== 'bool' || (e.op !== 'eq' && e.op !== 'ne')) this.fail(`${e.left.written}(…) can only be compared with true or false`, e.pos);
          this.checkFunction(e.left.name, e.left.written, e.left.args, e.left.pos);
          return;
        }
        if (e.left.kind !== 'path') this.fail('A rule compares a user property with a value: put the property name first', e.left.pos);
        if (e.right.kind !== 'literal') this.fail(`Compare '${e.left.segments.join('/')}' with a value (a quoted string, true, false or null), not with ${e.right.kind === 'path' ? `'${e.right.segments.join('/')}'` : 'a function'}`, e.right.pos);
        const kind = this.operandKind(e.left, e.op);
        if (e.op !== 'eq' && e.op !== 'ne' && kind !== 'date') this.fail(`'${e.op}' is not supported for '${e.left.segments.join('/')}' in lifecycle workflow rules; use eq, ne, in or startsWith`, e.pos);
        this.checkLiteral(kind, e.right, e.left);
        return;
      }
    }
  }

  private checkFunction(name: string, written: string, args: Operand[], pos: number): void {
    if (name !== 'startswith') this.fail(`${written} is not supported in lifecycle workflow rules; use startsWith`, pos);
    const [subject, prefix] = args;
    if (subject!.kind !== 'path') this.fail(`The first argument of ${written} must be a user property`, subject!.pos);
    const kind = this.operandKind(subject as PathNode, 'startsWith');
    if (kind !== 'text') this.fail(`startsWith is not supported for '${(subject as PathNode).segments.join('/')}'; use eq, ne or in`, subject!.pos);
    if (prefix!.kind !== 'literal' || prefix!.type !== 'string') this.fail(`The second argument of ${written} must be a quoted string`, prefix!.pos);
  }

  private checkLambda(e: Extract<Expr, { kind: 'lambda' }>): void {
    if (this.lambda) this.fail('Lambdas cannot be nested in lifecycle workflow rules', e.pos);
    const name = e.collection.segments.join('/');
    const coll = collections[name];
    if (!coll) {
      const hint = Object.keys(collections).find((c) => c.toLowerCase() === name.toLowerCase());
      this.fail(hint ? `Unknown collection '${name}': property names are case-sensitive, did you mean '${hint}'?` : `'${name}' is not a collection a rule can use with ${e.quantifier}; use otherMails, proxyAddresses or assignedPlans`, e.collection.pos);
    }
    if (e.quantifier !== 'any') this.fail("Only 'any' is supported on collections in lifecycle workflow rules", e.pos);
    if (!e.body || !e.variable) this.fail(`any() needs a condition, e.g. ${name}/any(p: p eq 'value')`, e.pos);
    this.used.add(name);
    this.lambda = coll.element === 'text' ? { variable: e.variable, element: 'text' } : { variable: e.variable, element: 'object', fields: coll.fields };
    try {
      this.check(e.body);
    } finally {
      this.lambda = undefined;
    }
  }

  /** The kind of a property operand, after checking it exists and allows the operator. */
  private operandKind(o: Operand, op: string): Kind {
    if (o.kind !== 'path') this.fail('A rule compares a user property with a value: put the property name first', o.pos);
    const path = o.segments.join('/');
    const l = this.lambda;
    if (l && o.segments[0] === l.variable) {
      if (l.element === 'text') {
        if (o.segments.length !== 1) this.fail(`'${l.variable}' is a string; it has no property '${o.segments.slice(1).join('/')}'`, o.pos);
        return 'text';
      }
      const field = o.segments.slice(1).join('/');
      if (o.segments.length !== 2 || !l.fields.includes(field)) this.fail(`Use ${l.fields.map((f) => `${l.variable}/${f}`).join(', ')} inside this any()`, o.pos);
      if (op === 'startsWith') this.fail(`startsWith is not supported for '${path}'; use eq, ne or in`, o.pos);
      return 'textNoStartsWith';
    }
    const kind = properties[path];
    if (kind) {
      this.used.add(o.segments[0]!);
      return kind;
    }
    if (o.segments.length === 1 && directoryExtension.test(path)) {
      this.used.add(path);
      return 'text';
    }
    if (path.startsWith('customSecurityAttributes')) this.fail('Custom security attributes cannot be used in lifecycle workflow rules', o.pos);
    if (collections[path]) this.fail(`'${path}' is a collection: use ${path}/any(p: …)`, o.pos);
    const hint = Object.keys(properties).find((p) => p.toLowerCase() === path.toLowerCase());
    if (hint) this.fail(`Unknown property '${path}': property names are case-sensitive, did you mean '${hint}'?`, o.pos);
    this.fail(`'${path}' is not a user property lifecycle workflow rules support`, o.pos);
  }

  private checkLiteral(kind: Kind, v: Literal, prop: Operand): void {
    const name = prop.kind === 'path' ? prop.segments.join('/') : 'the property';
    if (v.type === 'null') return;
    switch (kind) {
      case 'bool':
        if (v.type !== 'bool') this.fail(`'${name}' is true or false; compare it with true or false, not ${shown(v)}`, v.pos);
        return;
      case 'date':
        if (v.type !== 'date' && !(v.type === 'string' && Number.isFinite(Date.parse(v.value)))) this.fail(`'${name}' is a date; compare it with a date such as 2025-01-31T00:00:00Z, not ${shown(v)}`, v.pos);
        return;
      case 'text': case 'textNoStartsWith':
        if (v.type !== 'string' && v.type !== 'guid') this.fail(`'${name}' is text; compare it with a quoted string, not ${shown(v)}`, v.pos);
        return;
    }
  }
}

function shown(v: Literal): string {
  return v.type === 'string' ? `'${v.value}'` : String(v.value);
}

export { ExpressionError as RuleError };
