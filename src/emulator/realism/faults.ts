// Injected faults: each rule that matches a request rolls against its rate; the first hit wins.
import type { FaultRule } from '../state/model.ts';
import type { Random } from './random.ts';

export interface FaultTarget {
  surface: 'graph' | 'exchange';
  method: string;
  path: string;
  cmdlet?: string;
}

const regexCache = new Map<string, RegExp | null>();

/** A rule's pattern compiled once; null for an invalid pattern (the rule then never matches). */
function compiled(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'i');
    } catch {
      re = null;
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

export function ruleMatches(rule: FaultRule, t: FaultTarget): boolean {
  if (rule.surface && rule.surface !== t.surface) return false;
  if (rule.method && rule.method.toUpperCase() !== t.method.toUpperCase()) return false;
  if (rule.path !== undefined) {
    const re = compiled(rule.path);
    if (!re || !re.test(t.path)) return false;
  }
  if (rule.cmdlet !== undefined) {
    const re = compiled(rule.cmdlet);
    if (!re || !t.cmdlet || !re.test(t.cmdlet)) return false;
  }
  return true;
}

/** The rule that fires for this request, if any. Draws one number per matching rule. */
export function rollFault(rules: readonly FaultRule[], t: FaultTarget, rnd: Random): FaultRule | undefined {
  for (const rule of rules) {
    if (!(rule.rate > 0) || !ruleMatches(rule, t)) continue;
    if (rnd() < rule.rate) return rule;
  }
  return undefined;
}
