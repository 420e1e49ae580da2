// The built-in workflows: onboarding a joiner, offboarding a leaver, and a security incident.
// (A mover is role-change, in rules-directory.ts next to the group rules it resembles.)
import type { Draft } from '../intent.ts';
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
  return single(v, 'offboard-user');
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
