// Requests about licences and groups: assign, remove, swap and audit licences; add to and remove
// from groups, create a group, list its members.
import type { Draft } from '../intent.ts';
import type { Item } from './items.ts';
import { bareDepartment, groupAfter, groupValue, person, single, splitList, type Rule } from './rules-support.ts';
import type { ClauseView } from './view.ts';

function licenceWord(v: ClauseView): boolean {
  return v.has('LICENSE') || v.items.some((it) => it.concept === 'ASSIGN' && /^licen[cs]e/.test(it.norm));
}

function hasPerson(v: ClauseView): boolean {
  return v.refs().some((r) => r.kind !== 'requester');
}

/** For two licences: which one goes and which one comes ("from E5 to E3", "replace E5 with E3", "E3 instead of E5"). */
function fromAndTo(v: ClauseView, skus: Item[]): { from: Item; to: Item } {
  const at = (s: Item) => v.items.indexOf(s);
  const lead = (s: Item) => v.before(at(s));
  const from = skus.find((s) => lead(s) === 'from' || lead(s) === 'of') ?? skus.find((s) => lead(s) === 'SWAP' || lead(s) === 'REMOVE');
  const to = skus.find((s) => s !== from && /^(to|with|for|into|onto)$/.test(lead(s) ?? ''));
  if (from && to) return { from, to };
  if (from) return { from, to: skus.find((s) => s !== from)! };
  if (to) return { from: skus.find((s) => s !== to)!, to };
  return { from: skus[0]!, to: skus[1]! };
}

export const licence: Rule = (v) => {
  const skus = v.skus();
  if (!skus.length && !licenceWord(v)) return undefined;
  const swapping = v.has('SWAP', 'UPGRADE', 'CHANGE', 'MOVE') || v.word('instead') >= 0;
  if (skus.length >= 2 && (swapping || (v.word('from') >= 0 && v.word('to') >= 0))) {
    const { from, to } = fromAndTo(v, skus);
    return single(v, 'swap-license', { fromSku: from.norm, toSku: to.norm });
  }
  if (skus.length === 1 && v.has('SWAP', 'UPGRADE') && hasPerson(v)) {
    const lead = v.before(v.items.indexOf(skus[0]!));
    return single(v, 'swap-license', lead === 'from' ? { fromSku: skus[0]!.norm } : { toSku: skus[0]!.norm });
  }
  // A report asked for ("give me a licence report") is an audit; "how many are left" is one unless
  // it also asks to hand a licence out.
  const handing = v.has('ADD', 'GIVE', 'REMOVE') || v.items.some((it) => it.concept === 'ASSIGN' && !/^licen[cs]e/.test(it.norm));
  if (!hasPerson(v) && (v.has('AUDIT') || (v.has('LIST', 'HOW_MANY', 'UNUSED') && !handing))) return [{ action: 'audit-licenses', params: {}, people: {}, inheritsUser: false }];
  if (v.has('REMOVE', 'DELETE', 'REVOKE', 'STOP', 'NEG', 'DISABLE')) {
    if (!skus.length) return single(v, 'remove-license', v.has('ALL', 'EVERYTHING') ? { all: true } : {});
    return skus.flatMap((s) => single(v, 'remove-license', { sku: s.norm }));
  }
  if (v.has('ASSIGN', 'GIVE', 'ADD', 'NEED', 'SET', 'NEW', 'MAKE') || (skus.length && hasPerson(v))) {
    if (!skus.length) return single(v, 'assign-license');
    return skus.flatMap((s) => single(v, 'assign-license', { sku: s.norm }));
  }
  return undefined;
};

export const createGroup: Rule = (v) => {
  if (!v.has('CREATE', 'NEW', 'MAKE', 'SET') || !v.has('GROUP')) return undefined;
  if (v.has('USER', 'ACCOUNT', 'ADD')) return undefined;
  // "make Alex an owner of the Sales group" is about an existing group's owners, not a new group.
  if (v.word('owner') >= 0 || v.word('owners') >= 0 || v.word('member') >= 0 || v.word('members') >= 0) return undefined;
  const g = v.items.find((it) => it.concept === 'GROUP')!;
  const params: Record<string, unknown> = {};
  if (/security/.test(g.norm)) params.kind = 'security';
  else if (/365|^teams?$/.test(g.norm)) params.kind = 'microsoft365';
  const quote = v.kinds('quote')[0];
  const named = v.items.findIndex((it) => /^(called|named|name|titled)$/.test(it.norm));
  const from = named >= 0 ? named : v.items.indexOf(g);
  const slot = quote ? { text: quote.raw } : v.textAfter(from, (it) => it.kind === 'email' || (it.kind === 'prep' && (it.norm === 'with' || it.norm === 'for' || it.norm === 'in')) || it.kind === 'message');
  if (!slot) return undefined;
  params.name = slot.text;
  const members = v.refs().filter((r) => r.kind === 'email').map((r) => r.value);
  if (members.length) params.members = members;
  return [{ action: 'create-group', params, people: {}, inheritsUser: false }];
};

export const listMembers: Rule = (v) => {
  const list = v.items.find((it) => it.concept === 'LIST' || (it.concept === 'AUDIT' && v.has('MEMBERS')));
  if (!list || !(v.has('MEMBERS', 'GROUP') || /\bin$/.test(list.norm))) return undefined;
  const k = v.items.indexOf(list);
  let target = groupAfter(v, ['of', 'in', 'for'], { after: k });
  if (!target && /\bin$/.test(list.norm)) {
    const slot = v.textAfter(k, (it) => it.kind === 'email');
    if (slot) target = { names: splitList(slot.text.replace(/\s+(group|team)$/i, '')), at: k };
  }
  if (!target) {
    // "list the HR group members": the name sits between the verb and the noun.
    const slot = v.textAfter(k, (it) => it.concept === 'GROUP' || it.concept === 'MEMBERS');
    if (slot && v.items.slice(slot.from, slot.to).some((it) => it.kind === 'word' || it.cap)) target = { names: [slot.text], at: k };
  }
  if (!target?.names.length) return undefined;
  return [{ action: 'list-group-members', params: { group: target.names[0]! }, people: {}, inheritsUser: false }];
};

export const removeFromGroup: Rule = (v) => {
  const removing = v.has('REMOVE', 'DELETE') || (v.has('NEG') && v.has('NEED', 'ACCESS', 'MEMBERS'));
  if (!removing) return undefined;
  const target = groupAfter(v, ['from', 'out']) ?? (v.has('NEG') ? groupAfter(v, ['in', 'of']) ?? groupAfter(v, ['to']) : undefined);
  if (!target) {
    if (v.has('ALL', 'EVERYTHING') && v.has('GROUP')) return single(v, 'remove-from-group', { all: true });
    return v.has('GROUP') && v.refs().some((r) => r.kind !== 'requester') ? single(v, 'remove-from-group') : undefined;
  }
  return single(v, 'remove-from-group', { group: groupValue(target.names) });
};

export const addToGroup: Rule = (v) => {
  const adding = v.has('ADD') || (v.has('GIVE', 'NEED') && v.has('ACCESS', 'MEMBERS', 'GROUP')) || (v.has('MAKE') && v.has('MEMBERS'));
  if (!adding) return undefined;
  const target = groupAfter(v, ['to', 'into', 'in', 'of', 'onto']);
  // "add X to a group": the group is a question, with the tenant's groups as choices.
  if (!target) return v.has('GROUP') && v.refs().some((r) => r.kind !== 'requester') ? single(v, 'add-to-group') : undefined;
  const drafts = single(v, 'add-to-group', { group: groupValue(target.names) });
  // Several people named in one go ("add A and B to HR") are one card each.
  return drafts;
};

/** "X is moving to Marketing", "X transfers from Sales to Finance as Team Lead", "X was promoted to Team Lead". */
export const roleChange: Rule = (v) => {
  const explicit = v.has('ROLE_CHANGE');
  if (!explicit && !v.has('MOVE')) return undefined;
  if (v.has('MAILBOX', 'SHARED', 'LICENSE') || v.skus().length) return undefined;
  const promoted = v.items.some((it) => it.concept === 'ROLE_CHANGE' && /promot/.test(it.norm));
  const from = groupAfter(v, ['from'], { stopAtPrep: true });
  const to = groupAfter(v, ['to', 'into', 'in'], { stopAtPrep: true });
  const title = groupAfter(v, ['as'], { stopAtPrep: true });
  if (!to && !explicit) return undefined;
  const params: Record<string, unknown> = {};
  if (to) {
    if (promoted) params.jobTitle = to.names.join(' and ');
    else if (v.items.some((it) => it.concept === 'GROUP' && !/^teams?$/.test(it.norm))) params.addGroups = to.names;
    else params.department = bareDepartment(to.names.join(' and '));
  }
  if (from) params.removeGroups = from.names;
  if (title) params.jobTitle = title.names.join(' and ');
  const p = v.primary();
  const draft: Draft = { action: 'role-change', params, people: p ? { user: person(p) } : {}, inheritsUser: !p };
  return [draft];
};
