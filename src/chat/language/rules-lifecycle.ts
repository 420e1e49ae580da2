// The built-in workflows: onboarding a joiner, offboarding a leaver, and a security incident.
// (A mover is role-change, in rules-directory.ts next to the group rules it resembles.)
import type { Draft } from '../intent.ts';
import { verbConcepts } from './lexicon.ts';
import { bareDepartment, groupAfter, person, single, type Rule } from './rules-support.ts';

export const incident: Rule = (v) => (v.has('INCIDENT') ? single(v, 'security-incident') : undefined);

export const offboard: Rule = (v) => {
  if (!v.has('OFFBOARD')) return undefined;
  const params: Record<string, unknown> = {};
  if (v.has('SHARED')) params.convertToShared = true;
  const message = v.message();
  if (message) params.message = message;
  return single(v, 'offboard-user', params);
};

/** "X is leaving", "her last day is Friday": an offboarding, when nothing more specific was asked. */
export const leaving: Rule = (v) => {
  if (!v.has('LEAVING')) return undefined;
  const p = v.primary();
  if (!p || p.kind === 'requester') return undefined;
  return single(v, 'offboard-user').map((d) => ({ ...d, weak: true }));
};

/**
 * "Onboard new employee Jane Smith", "onboard jane@contoso.com", "new starter Jane Smith in
 * Finance as Accountant with E3". A joiner is a new person: no pronoun or earlier user applies.
 */
export const onboard: Rule = (v) => {
  if (!v.has('ONBOARD')) return undefined;
  const params: Record<string, unknown> = {};
  const dept = groupAfter(v, ['in', 'into', 'joining'], { stopAtPrep: true });
  if (dept) params.department = bareDepartment(dept.names.join(' and '));
  const title = groupAfter(v, ['as'], { stopAtPrep: true });
  if (title) params.jobTitle = title.names.join(' and ');
  // A new-starter form: "Tom Jones, department Sales, job title Account Manager, needs E3".
  for (const [concept, param] of [['DEPARTMENT', 'department'], ['JOB_TITLE', 'jobTitle']] as const) {
    const k = v.index(concept);
    if (k < 0 || params[param] !== undefined) continue;
    let from = k;
    while (v.items[from + 1] && (v.items[from + 1]!.norm === ':' || v.items[from + 1]!.norm === 'is' || v.items[from + 1]!.norm === '=')) from++;
    // Up to the next comma or request: "Account Manager" and "R&D" are names, "needs E3" is not.
    const slot = v.textAfter(from, (x) => x.norm === ',' || (x.kind === 'conj' && x.norm !== '&') || x.kind === 'email' || x.kind === 'pronoun' || x.kind === 'sku' || x.kind === 'date'
      || (x.kind === 'concept' && (verbConcepts.has(x.concept!) || x.concept === 'NEED' || x.concept === 'LICENSE' || x.concept === 'MANAGER' && !x.cap || x.concept === 'DEPARTMENT' || x.concept === 'JOB_TITLE'))
      || (x.kind === 'prep' && x.norm !== 'of'));
    if (!slot) continue;
    v.claim(k, slot.to);
    params[param] = param === 'department' ? bareDepartment(slot.text) : slot.text;
  }
  const sku = v.skus()[0];
  if (sku) params.sku = sku.norm;
  const people: Draft['people'] = {};
  const refs = v.refs();
  const manager = refs.find((r) => r.before === 'MANAGER' || (r.before === 'to' && v.has('MANAGER')));
  if (manager && manager.kind !== 'requester') people.manager = person(manager);
  const email = refs.find((r) => r.kind === 'email' && r !== manager);
  if (email) people.user = person(email);
  const quote = v.kinds('quote')[0];
  const names = refs.filter((r) => r.kind === 'name' && r !== manager);
  const name = names.find((r) => v.items[r.at]!.cap) ?? names[0];
  if (quote) params.displayName = quote.raw;
  else if (name) params.displayName = name.value;
  return [{ action: 'onboard-user', params, people, inheritsUser: false }];
};
