// Requests about one account: password, MFA, sessions, sign-in, temporary access passes, and
// creating, changing, deleting and restoring users.
import type { Draft } from '../intent.ts';
import type { Concept } from './lexicon.ts';
import { bareDepartment, groupAfter, person, single, valueAfter, type Rule } from './rules-support.ts';

export const password: Rule = (v) => {
  if (!v.has('PASSWORD')) {
    // "X is locked out", "X can't sign in": a password reset is the usual answer.
    if (v.has('FORGOT') && !v.has('MFA', 'LICENSE', 'GROUP', 'MAILBOX', 'REREGISTER') && v.primary()) return single(v, 'reset-password');
    return undefined;
  }
  if (v.has('TAP')) return undefined;
  // "reset the password and MFA for X": both, in the order written.
  if (v.has('MFA') && v.has('RESET', 'CHANGE', 'NEW')) {
    const order = v.index('PASSWORD') < v.index('MFA') ? ['reset-password', 'reset-mfa'] : ['reset-mfa', 'reset-password'];
    return order.flatMap((a) => single(v, a));
  }
  return single(v, 'reset-password');
};

export const mfa: Rule = (v) => {
  if (v.has('REREGISTER') && !v.has('PASSWORD')) return single(v, 'reset-mfa');
  if (!v.has('MFA')) return undefined;
  if (v.has('RESET', 'REMOVE', 'DELETE', 'FORGOT', 'CHANGE', 'NEW', 'NEED', 'SET', 'REVOKE', 'MAKE')) return single(v, 'reset-mfa');
  // "and her MFA too": resetting is the one thing done to someone's MFA.
  if (!v.has('AUDIT', 'LIST', 'ADD', 'GIVE', 'ENABLE', 'DISABLE') && v.primary()) return single(v, 'reset-mfa');
  return undefined;
};

export const sessions: Rule = (v) => {
  if (v.has('SIGNOUT')) return single(v, 'revoke-sessions');
  if (v.has('SESSION') && v.has('REVOKE', 'RESET', 'REMOVE', 'DELETE', 'STOP', 'SIGNOUT', 'DISABLE')) return single(v, 'revoke-sessions');
  if (v.has('REVOKE') && v.has('DEVICES', 'SIGNIN')) return single(v, 'revoke-sessions');
  return undefined;
};

export const enable: Rule = (v) => {
  if (v.has('ENABLE') && !v.has('NEG')) return single(v, 'enable-user');
  if (v.has('TURN_ON') && v.has('ACCOUNT', 'USER', 'SIGNIN')) return single(v, 'enable-user');
  // "allow X to sign in again", "let her log in".
  if (v.has('GIVE') && v.has('SIGNIN') && !v.has('NEG', 'SEND_AS')) return single(v, 'enable-user');
  return undefined;
};

export const disable: Rule = (v) => {
  if (v.has('DISABLE')) return single(v, 'disable-user');
  if (v.has('TURN_OFF') && v.has('ACCOUNT', 'USER', 'SIGNIN')) return single(v, 'disable-user');
  // "stop X signing in", "X should not be able to log in any more".
  if (v.has('SIGNIN') && v.has('STOP', 'NEG')) return single(v, 'disable-user');
  return undefined;
};

export const tap: Rule = (v) => {
  if (!v.has('TAP')) return undefined;
  const params: Record<string, unknown> = {};
  const m = /(\d+)\s*(hours?|hrs?|h|minutes?|mins?|m)\b/i.exec(v.text.slice(v.items[0]!.start, v.items[v.items.length - 1]!.end));
  if (m) params.lifetimeInMinutes = /^h/i.test(m[2]!) ? Number(m[1]) * 60 : Number(m[1]);
  if (/\b(one[\s-]?time|single[\s-]?use|usable once|use once)\b/i.test(v.text)) params.isUsableOnce = true;
  return single(v, 'create-temporary-access-pass', params);
};

export const auditSecurity: Rule = (v) => {
  if (!v.has('AUDIT', 'LIST')) return undefined;
  if (v.has('SECURITY') || (v.has('MFA') && !v.has('RESET', 'REMOVE', 'DELETE')) || (v.has('SIGNIN') && v.has('MFA'))) {
    if (!v.primary()) return undefined;
    return single(v, 'audit-user-security');
  }
  return undefined;
};

const fields: Array<[Concept, string]> = [
  ['JOB_TITLE', 'jobTitle'], ['DEPARTMENT', 'department'], ['DISPLAY_NAME', 'displayName'], ['USAGE_LOCATION', 'usageLocation'],
  ['MANAGER', 'manager'], ['OFFICE', 'officeLocation'], ['PHONE', 'mobilePhone'], ['CITY', 'city'], ['COUNTRY', 'country'], ['COMPANY', 'companyName'],
];

const countries: Record<string, string> = {
  'united states': 'US', usa: 'US', america: 'US', 'united kingdom': 'GB', uk: 'GB', britain: 'GB', england: 'GB', germany: 'DE',
  france: 'FR', netherlands: 'NL', ireland: 'IE', spain: 'ES', italy: 'IT', canada: 'CA', australia: 'AU', india: 'IN', japan: 'JP',
  belgium: 'BE', sweden: 'SE', norway: 'NO', denmark: 'DK', switzerland: 'CH', austria: 'AT', poland: 'PL', portugal: 'PT',
};

function countryCode(text: string): string {
  const t = text.trim();
  return /^[A-Za-z]{2}$/.test(t) ? t.toUpperCase() : countries[t.toLowerCase()] ?? t;
}

/** "department Sales": the rest of the clause after the field word, as typed. */
function bareValueAfter(v: Parameters<Rule>[0], k: number): string | undefined {
  const slot = v.textAfter(k, (x) => x.kind === 'email' || x.kind === 'pronoun');
  if (!slot) return undefined;
  v.claim(slot.from, slot.to);
  return slot.text.replace(/^(?:the|a|an)\s+/i, '').trim() || undefined;
}

/** "change X's job title to Team Lead", "set the department of X to Sales", "rename X to Jane Doe". */
export const updateUser: Rule = (v) => {
  const params: Record<string, unknown> = {};
  const people: Draft['people'] = {};
  const setting = v.has('CHANGE', 'SET', 'NEW', 'RENAME', 'MOVE', 'UPGRADE') || v.word('is') >= 0 || v.word('now') >= 0;
  // "Department: Sales" or "job title Account Manager" on its own, as a new-starter form lists them.
  const detail = !setting && fields.some(([c]) => v.index(c) === 0);
  if (v.has('RENAME') && !v.has('DISPLAY_NAME', 'GROUP')) {
    const name = valueAfter(v, v.index('RENAME'));
    if (name) params.displayName = name;
  }
  for (const [c, param] of fields) {
    const k = v.index(c);
    if (k < 0 || !(setting || detail)) continue;
    if (c === 'MANAGER') {
      const after = v.refs().filter((r) => r.at > k && r.kind !== 'requester');
      // "the manager of Jane to Megan": Jane is whose manager changes, Megan the new manager.
      const pick = after.find((r) => r.before !== undefined && /^(?:to|as|is|be|becomes|=|:)$/.test(r.before))
        ?? after.find((r) => r.before !== 'of' && r.before !== 'for');
      if (pick) {
        people.manager = person(pick);
        v.claim(pick.at, pick.end);
      }
      continue;
    }
    const value = valueAfter(v, k) ?? (detail ? bareValueAfter(v, k) : undefined);
    if (value) params[param] = c === 'USAGE_LOCATION' || c === 'COUNTRY' ? countryCode(value) : value;
  }
  if (!Object.keys(params).length && !people.manager) return undefined;
  if (detail) return [{ action: 'update-user', params, people, inheritsUser: false, detail: true }];
  const p = v.primary();
  return [{ action: 'update-user', params, people: { ...people, ...(p ? { user: person(p) } : {}) }, inheritsUser: !p }];
};

/** "create user X", "set up an account for Jane Smith (jane@…)", "add a new user". */
export const createUser: Rule = (v) => {
  if (!v.has('CREATE', 'ADD', 'MAKE', 'SET', 'NEW') || !v.has('USER', 'ACCOUNT')) return undefined;
  if (v.has('GROUP', 'LICENSE', 'MAILBOX', 'SHARED')) return undefined;
  const params: Record<string, unknown> = {};
  const dept = groupAfter(v, ['in', 'into']);
  if (dept) params.department = bareDepartment(dept.names.join(' and '));
  const refs = v.refs();
  const email = refs.find((r) => r.kind === 'email');
  const name = refs.find((r) => r.kind === 'name');
  const quote = v.kinds('quote')[0];
  if (quote) params.displayName = quote.raw;
  else if (name) params.displayName = name.value;
  const people: Draft['people'] = {};
  if (email) people.user = person(email);
  return [{ action: 'create-user', params, people, inheritsUser: false }];
};

export const deleteUser: Rule = (v) => {
  const del = v.has('DELETE') || (v.has('REMOVE') && v.has('USER', 'ACCOUNT'));
  if (!del || v.has('GROUP', 'LICENSE', 'FORWARD', 'OOO', 'ACCESS', 'SEND_AS', 'FULL_ACCESS', 'MFA', 'SESSION', 'PASSWORD')) return undefined;
  // Deleting needs someone named in this very clause: never a guess from earlier context.
  const p = v.primary();
  if (!p || p.kind === 'requester') return undefined;
  return single(v, 'delete-user');
};

export const restoreUser: Rule = (v) => {
  if (!v.has('RESTORE') || v.has('GROUP', 'LICENSE')) return undefined;
  return single(v, 'restore-user');
};
