// The rules, most specific first: the first rule that recognises a clause decides what it asks
// for. The order is the grammar's precedence: "remove forwarding" is about forwarding before it is
// about removing; "add X to the MFA group" is about a group before it is about MFA.
import type { Draft } from '../intent.ts';
import { auditSecurity, createUser, deleteUser, disable, enable, mfa, password, restoreUser, sessions, tap, updateUser } from './rules-account.ts';
import { addToGroup, createGroup, licence, listMembers, removeFromGroup, roleChange } from './rules-directory.ts';
import { incident, leaving, offboard, onboard } from './rules-lifecycle.ts';
import { convertMailbox, forwarding, mailboxPermission, outOfOffice, sendAs, sendEmail } from './rules-mail.ts';
import type { Rule } from './rules-support.ts';
import type { ClauseView } from './view.ts';

export const rules: ReadonlyArray<[string, Rule]> = [
  ['incident', incident],
  ['offboard', offboard],
  ['onboard', onboard],
  ['tap', tap],
  ['audit-security', auditSecurity],
  ['out-of-office', outOfOffice],
  ['forwarding', forwarding],
  ['send-as', sendAs],
  ['mailbox-permission', mailboxPermission],
  ['convert-mailbox', convertMailbox],
  ['licence', licence],
  ['role-change', roleChange],
  ['create-group', createGroup],
  ['list-members', listMembers],
  ['remove-from-group', removeFromGroup],
  ['add-to-group', addToGroup],
  ['password', password],
  ['mfa', mfa],
  ['sessions', sessions],
  ['update-user', updateUser],
  ['create-user', createUser],
  ['restore-user', restoreUser],
  ['delete-user', deleteUser],
  ['enable', enable],
  ['disable', disable],
  ['send-email', sendEmail],
  ['leaving', leaving],
];

export function interpret(v: ClauseView): Draft[] {
  for (const [, rule] of rules) {
    // A rule that gave up must not leave its slot claims behind for the next one.
    v.resetClaims();
    const drafts = rule(v);
    if (drafts?.length) return drafts;
  }
  return [];
}
