// Execution conditions: who a workflow runs for (scope) and when (trigger). readConditions checks a
// client's JSON and returns the normalized model; compileConditions turns it into the evaluator the
// scheduler uses, with the rule compiled once.
import { lcwErrors } from './errors.ts';
import { LIMITS, T, timeBasedAttributes, type ExecutionConditions, type Scope, type TimeBasedAttribute, type Trigger, type WorkflowCategory } from './model.ts';
import { ExpressionError } from './odata/lexer.ts';
import { compileRule, type CompiledRule } from './rules.ts';

const DAY_MS = 86_400_000;

function typeOf(v: Record<string, unknown>): string {
  const t = v['@odata.type'];
  return typeof t === 'string' ? (t.startsWith('#') ? t : `#${t}`) : '';
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw lcwErrors.invalid(`${what} must be an object with an @odata.type.`);
  return v as Record<string, unknown>;
}

/** A rule's problem as the API reports it: what is wrong and where. */
export function ruleProblem(e: ExpressionError): string {
  return `The rule of the ruleBasedSubjectSet is invalid at position ${e.position}: ${e.reason}. Rule: ${e.expression}`;
}

function readScope(raw: unknown): Scope {
  const s = obj(raw, 'executionConditions.scope');
  const type = typeOf(s);
  if (type === T.ruleScope) {
    if (typeof s.rule !== 'string' || !s.rule.trim()) throw lcwErrors.invalid('executionConditions.scope.rule is required: an OData filter such as (department eq \'Sales\').');
    try {
      compileRule(s.rule);
    } catch (e) {
      if (e instanceof ExpressionError) throw lcwErrors.invalid(ruleProblem(e));
      throw e;
    }
    return { '@odata.type': T.ruleScope, rule: s.rule };
  }
  if (type === T.groupScope) {
    if (!Array.isArray(s.groups) || s.groups.some((g) => !g || typeof g !== 'object' || typeof (g as { id?: unknown }).id !== 'string')) {
      throw lcwErrors.invalid('executionConditions.scope.groups must be a list of groups, each {"id": "<group object id>"}.');
    }
    return { '@odata.type': T.groupScope, groups: (s.groups as Array<{ id: string }>).map((g) => ({ id: g.id })) };
  }
  throw lcwErrors.invalid(`executionConditions.scope has an unsupported @odata.type '${String(s['@odata.type'] ?? '')}'; use ${T.ruleScope} or ${T.groupScope}.`);
}

function readTrigger(raw: unknown, category: WorkflowCategory): Trigger {
  const t = obj(raw, 'executionConditions.trigger');
  const type = typeOf(t);
  if (type === T.timeBased) {
    if (!timeBasedAttributes.includes(t.timeBasedAttribute as TimeBasedAttribute)) {
      throw lcwErrors.invalid(`timeBasedAttribute must be one of ${timeBasedAttributes.join(', ')}, not '${String(t.timeBasedAttribute)}'.`);
    }
    const offset = t.offsetInDays;
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < LIMITS.offsetInDays.min || offset > LIMITS.offsetInDays.max) {
      throw lcwErrors.invalid(`offsetInDays must be a whole number from ${LIMITS.offsetInDays.min} to ${LIMITS.offsetInDays.max}, not ${JSON.stringify(offset)}.`);
    }
    return { '@odata.type': T.timeBased, timeBasedAttribute: t.timeBasedAttribute as TimeBasedAttribute, offsetInDays: offset };
  }
  if (type === T.attributeChange) {
    if (category !== 'mover') throw lcwErrors.invalid('attributeChangeTrigger is for mover workflows only.');
    const attrs = t.triggerAttributes;
    if (!Array.isArray(attrs) || !attrs.length || attrs.some((a) => !a || typeof (a as { name?: unknown }).name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test((a as { name: string }).name))) {
      throw lcwErrors.invalid('triggerAttributes must list at least one user attribute, e.g. [{"name": "department"}].');
    }
    return { '@odata.type': T.attributeChange, triggerAttributes: (attrs as Array<{ name: string }>).map((a) => ({ name: a.name })) };
  }
  if (type === T.membershipChange) {
    if (t.changeType !== 'add' && t.changeType !== 'remove') throw lcwErrors.invalid(`membershipChangeTrigger.changeType must be 'add' or 'remove', not '${String(t.changeType)}'.`);
    return { '@odata.type': T.membershipChange, changeType: t.changeType };
  }
  throw lcwErrors.invalid(`executionConditions.trigger has an unsupported @odata.type '${String(t['@odata.type'] ?? '')}'; use timeBasedAttributeTrigger, attributeChangeTrigger or membershipChangeTrigger.`);
}

export function readConditions(raw: unknown, category: WorkflowCategory): ExecutionConditions {
  const c = obj(raw, 'executionConditions');
  const type = typeOf(c);
  if (type === T.onDemand) return { '@odata.type': T.onDemand };
  if (type !== T.triggerAndScope) {
    throw lcwErrors.invalid(`executionConditions has an unsupported @odata.type '${String(c['@odata.type'] ?? '')}'; use ${T.triggerAndScope} or ${T.onDemand}.`);
  }
  const scope = readScope(c.scope);
  const trigger = readTrigger(c.trigger, category);
  const groupScope = scope['@odata.type'] === T.groupScope;
  const membership = trigger['@odata.type'] === T.membershipChange;
  if (groupScope !== membership) throw lcwErrors.invalid('A groupBasedSubjectSet scope goes with a membershipChangeTrigger, and a membershipChangeTrigger needs a groupBasedSubjectSet scope.');
  if (groupScope && !(scope as { groups: unknown[] }).groups.length) throw lcwErrors.invalid('executionConditions.scope.groups must name at least one group.');
  return { '@odata.type': T.triggerAndScope, scope, trigger };
}

export type CompiledTrigger =
  | { kind: 'timeBased'; attribute: TimeBasedAttribute; offsetMs: number }
  | { kind: 'attributeChange'; attributes: string[] }
  | { kind: 'membershipChange'; changeType: 'add' | 'remove'; groupIds: string[] };

export interface CompiledConditions {
  onDemandOnly: boolean;
  rule: CompiledRule | undefined;
  trigger: CompiledTrigger | undefined;
  /** User properties evaluation reads (for the directory fetch's $select). */
  properties: string[];
}

export function compileConditions(ec: ExecutionConditions): CompiledConditions {
  if (ec['@odata.type'] === T.onDemand) return { onDemandOnly: true, rule: undefined, trigger: undefined, properties: [] };
  const rule = ec.scope['@odata.type'] === T.ruleScope ? compileRule(ec.scope.rule) : undefined;
  const props = new Set(rule?.properties ?? []);
  let trigger: CompiledTrigger;
  const t = ec.trigger;
  if (t['@odata.type'] === T.timeBased) {
    trigger = { kind: 'timeBased', attribute: t.timeBasedAttribute, offsetMs: t.offsetInDays * DAY_MS };
    props.add(t.timeBasedAttribute);
  } else if (t['@odata.type'] === T.attributeChange) {
    trigger = { kind: 'attributeChange', attributes: t.triggerAttributes.map((a) => a.name) };
    for (const a of trigger.attributes) props.add(a);
  } else {
    trigger = { kind: 'membershipChange', changeType: t.changeType, groupIds: ec.scope['@odata.type'] === T.groupScope ? ec.scope.groups.map((g) => g.id) : [] };
  }
  return { onDemandOnly: false, rule, trigger, properties: [...props] };
}

/**
 * When a time-based trigger fires for a user, as an ISO key, or undefined. It fires once the
 * attribute plus the offset has passed, and not when that moment is more than the catch-up window
 * (3 days) in the past: a user whose date is older is not picked up.
 */
export function timeTriggerKey(value: unknown, offsetMs: number, now: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const at = Date.parse(value);
  if (!Number.isFinite(at)) return undefined;
  const fireAt = at + offsetMs;
  if (fireAt > now || fireAt < now - LIMITS.catchUpDays * DAY_MS) return undefined;
  return new Date(fireAt).toISOString();
}
