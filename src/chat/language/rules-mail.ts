// Requests about mailboxes: out of office, forwarding, shared mailboxes, Full Access, Send As,
// Send on Behalf, and sending an email.
import type { Draft } from '../intent.ts';
import { negative, ownerAndDelegate, person, recipient, single, type Rule } from './rules-support.ts';
import type { ClauseView, Ref } from './view.ts';

function people(v: ClauseView): Ref[] {
  return v.refs().filter((r) => r.kind !== 'requester');
}

/** "from 1 March until 3 March", "until Friday": when the replies start and stop (YYYY-MM-DD). */
function schedule(v: ClauseView): Record<string, string> {
  const dates = v.items.map((it, k) => ({ it, k })).filter((x) => x.it.kind === 'date');
  if (!dates.length) return {};
  const lead = (k: number) => v.before(k);
  const end = dates.find((d) => /^(until|till|til|to|through)$/.test(lead(d.k) ?? '')) ?? (dates.length > 1 ? dates[1] : undefined);
  const start = dates.find((d) => d !== end && /^(from|on|starting|since)$/.test(lead(d.k) ?? '')) ?? dates.find((d) => d !== end);
  if (!end) return {};
  return { startTime: `${(start?.it.norm ?? v.today)}T00:00:00Z`, endTime: `${end.it.norm}T00:00:00Z` };
}

export const outOfOffice: Rule = (v) => {
  if (!v.has('OOO')) return undefined;
  if (v.has('TURN_OFF', 'STOP', 'REMOVE', 'DELETE', 'NEG', 'DISABLE') && !v.has('SET', 'TURN_ON')) return single(v, 'set-out-of-office', { state: 'Disabled' });
  const params: Record<string, unknown> = {};
  const message = v.message();
  if (message) params.message = message;
  Object.assign(params, schedule(v));
  return single(v, 'set-out-of-office', params);
};

export const forwarding: Rule = (v) => {
  if (!v.has('FORWARD')) return undefined;
  if (v.has('STOP', 'REMOVE', 'DELETE', 'NEG', 'TURN_OFF', 'DISABLE', 'REVOKE')) return single(v, 'remove-forwarding');
  const refs = people(v);
  // The first person after "to" is where mail goes; a named person beats "his manager"'s pronoun.
  const to = v.items.findIndex((it, k) => it.kind === 'prep' && (it.norm === 'to' || it.norm === 'into') && refs.some((r) => r.at > k));
  const after = to >= 0 ? refs.filter((r) => r.at > to) : [];
  const target = after.find((r) => r.kind === 'email') ?? after.find((r) => r.kind === 'name') ?? after[0];
  const owner = refs.find((r) => r !== target && r.at < (target?.at ?? Infinity)) ?? refs.find((r) => r !== target);
  const params: Record<string, unknown> = {};
  if (/\bkeep(?:ing)?\s+(?:a\s+)?cop(?:y|ies)\b|\b(?:also|still)\s+deliver|\bcopy\s+(?:in|to)\s+(?:the\s+)?(?:original|mailbox|inbox)/i.test(v.text)) params.keepCopy = true;
  const draft: Draft = { action: 'configure-forwarding', params, people: {}, inheritsUser: !owner };
  if (owner) draft.people.user = person(owner);
  if (target) draft.people.forwardTo = recipient(v, target);
  return [draft];
};

export const sendAs: Rule = (v) => {
  if (!v.has('SEND_AS')) return undefined;
  const { owner, delegate } = ownerAndDelegate(v);
  const draft: Draft = { action: negative(v) ? 'remove-send-as' : 'add-send-as', params: {}, people: {}, inheritsUser: !owner };
  if (owner) draft.people.user = person(owner);
  if (delegate) draft.people.delegate = recipient(v, delegate);
  return [draft];
};

export const mailboxPermission: Rule = (v) => {
  const onBehalf = v.has('SEND_ON_BEHALF');
  const full = v.has('FULL_ACCESS');
  const twoPeople = people(v).length >= 2;
  // "give Y access" with one person and no group: Y is a delegate on the mailbox of the user in play.
  const lone = v.has('GIVE', 'NEED', 'ADD') && people(v).length === 1 && !v.items.some((it, k) => it.kind === 'prep' && (it.norm === 'to' || it.norm === 'in') && k > people(v)[0]!.at);
  const access = (v.has('ACCESS') || (v.has('ADD', 'GIVE') && v.has('MAILBOX'))) && (v.has('MAILBOX', 'SHARED') || twoPeople || lone) && !v.has('GROUP', 'FORWARD', 'LICENSE');
  if (!onBehalf && !full && !access) return undefined;
  const { owner, delegate } = ownerAndDelegate(v);
  const remove = v.has('REMOVE', 'REVOKE', 'DELETE', 'NEG', 'STOP');
  const params: Record<string, unknown> = { accessRights: onBehalf ? 'SendOnBehalf' : 'FullAccess' };
  if (!remove && /\b(?:without|no)\s+auto[\s-]?map(?:ping)?\b|\bdon'?t\s+auto[\s-]?map\b/i.test(v.text)) params.autoMapping = false;
  const draft: Draft = { action: remove ? 'remove-mailbox-permission' : 'add-mailbox-permission', params, people: {}, inheritsUser: !owner };
  if (owner) draft.people.user = person(owner);
  if (delegate) draft.people.delegate = recipient(v, delegate);
  return [draft];
};

export const convertMailbox: Rule = (v) => {
  if (v.has('REGULAR') && v.has('CONVERT', 'CHANGE', 'MAKE', 'SWAP', 'MOVE', 'TURN_ON')) return single(v, 'convert-to-shared', { type: 'Regular' });
  if (!v.has('SHARED')) return undefined;
  // "create a shared mailbox": a new mailbox is not a conversion of someone's (and not in the catalog).
  if (v.has('CREATE', 'NEW') && !v.has('CONVERT')) return undefined;
  if (v.has('CONVERT', 'MAKE', 'CHANGE', 'SET', 'TURN_ON', 'MOVE', 'SWAP') || !v.has('ACCESS', 'FULL_ACCESS', 'SEND_AS', 'GIVE', 'ADD', 'REMOVE')) {
    return single(v, 'convert-to-shared');
  }
  return undefined;
};

/** "send an email to X saying …", "email X: …", "send a message from A to B about …". */
export const sendEmail: Rule = (v) => {
  const first = v.items.find((it) => it.kind !== 'filler');
  const emailVerb = (v.has('SEND') && v.has('EMAIL', 'MAILBOX')) || (first?.concept === 'EMAIL' && first.initial);
  if (!emailVerb) return undefined;
  const refs = people(v);
  const from = refs.find((r) => r.before === 'from' || r.before === 'as');
  const to = refs.filter((r) => r !== from && (r.before === 'to' || r.before === 'EMAIL' || r.before === 'SEND' || r.before === 'and' || r.before === ','));
  const params: Record<string, unknown> = {};
  const message = v.message();
  if (message) params.message = message;
  const about = v.items.findIndex((it) => it.norm === 'about' || it.norm === 'subject' || it.norm === 'titled' || it.norm === 'regarding');
  if (about >= 0) {
    const slot = v.textAfter(about, (it) => it.kind === 'message' || it.kind === 'email' || (it.kind === 'prep' && (it.norm === 'to' || it.norm === 'from')) || it.norm === 'saying');
    if (slot) params.subject = slot.text.replace(/^:\s*/, '');
  }
  const draft: Draft = { action: 'send-email', params, people: {}, inheritsUser: false };
  if (from) draft.people.user = person(from);
  if (to.length === 1) draft.people.to = person(to[0]!);
  else if (to.length > 1) params.to = to.filter((r) => r.kind === 'email').map((r) => r.value);
  return [draft];
};
