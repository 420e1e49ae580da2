// Every cmdlet the emulator answers, keyed by lower-cased name (PowerShell names are case-insensitive).
import type { CmdletDef } from '../cmdlet.ts';
import { getAutoReply, setAutoReply } from './auto-reply.ts';
import { addDistributionGroupMember, getDistributionGroupMember, removeDistributionGroupMember } from './distribution-group-member.ts';
import { getInboxRule, removeInboxRule } from './inbox-rule.ts';
import { getMailbox, setMailbox } from './mailbox.ts';
import { getMailboxStatistics } from './mailbox-statistics.ts';
import { addMailboxPermission, getMailboxPermission, removeMailboxPermission } from './mailbox-permission.ts';
import { addRecipientPermission, getRecipientPermission, removeRecipientPermission } from './recipient-permission.ts';

const all: CmdletDef[] = [
  getMailbox, setMailbox, getMailboxStatistics,
  addMailboxPermission, removeMailboxPermission, getMailboxPermission,
  addRecipientPermission, removeRecipientPermission, getRecipientPermission,
  setAutoReply, getAutoReply,
  addDistributionGroupMember, removeDistributionGroupMember, getDistributionGroupMember,
  getInboxRule, removeInboxRule,
];

export const cmdlets = new Map<string, CmdletDef>(all.map((c) => [c.name.toLowerCase(), c]));
