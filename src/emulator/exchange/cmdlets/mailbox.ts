// Get-Mailbox and Set-Mailbox: mailbox type conversion, forwarding, Send on Behalf and GAL
// visibility on the same EmuMailbox Graph's mailboxSettings reads.
import type { EmuMailbox } from '../../state/model.ts';
import type { CmdletDef, MultiValuedChange } from '../cmdlet.ts';
import { exchangeErrors } from '../errors.ts';
import { findMailbox, findUser } from '../identity.ts';
import { enumValue } from '../params.ts';
import { mailboxObject } from '../render.ts';
import { isSet, limitResults, noChangeWarning, recipientId, sameSet, text } from './shared.ts';

const RECIPIENT_TYPES = [
  'DiscoveryMailbox', 'EquipmentMailbox', 'GroupMailbox', 'LegacyMailbox', 'LinkedMailbox', 'LinkedRoomMailbox',
  'RoomMailbox', 'SchedulingMailbox', 'SharedMailbox', 'TeamMailbox', 'UserMailbox',
] as const;

const MAILBOX_TYPES = ['Regular', 'Room', 'Equipment', 'Shared'] as const;
const TYPE_DETAILS: Record<(typeof MAILBOX_TYPES)[number], EmuMailbox['recipientTypeDetails']> = {
  Regular: 'UserMailbox', Room: 'RoomMailbox', Equipment: 'EquipmentMailbox', Shared: 'SharedMailbox',
};

const SMTP = /^[^@\s:]+@[^@\s]+\.[^@\s]+$/;

export const getMailbox: CmdletDef = {
  name: 'Get-Mailbox',
  write: false,
  parameters: { Identity: 'string', RecipientTypeDetails: 'strings', ResultSize: 'resultSize' },
  mailboxParam: 'Identity',
  run(p, ctx) {
    const t = ctx.tenant;
    if (isSet(p, 'Identity') && p.Identity !== null) return [mailboxObject(t, findMailbox(t, text(p, 'Identity')))];
    let list = t.data.mailboxes;
    if (Array.isArray(p.RecipientTypeDetails)) {
      // A flags enum: "UserMailbox,SharedMailbox" in one string works as well as an array.
      const wanted = new Set(p.RecipientTypeDetails.flatMap((v) => v.split(',')).map((v) =>
        enumValue('RecipientTypeDetails', v.trim(), 'Microsoft.Exchange.Data.Directory.Recipient.RecipientTypeDetails', RECIPIENT_TYPES)));
      list = list.filter((m) => wanted.has(m.recipientTypeDetails));
    }
    return limitResults(list, p, ctx).map((m) => mailboxObject(t, m));
  },
};

export const setMailbox: CmdletDef = {
  name: 'Set-Mailbox',
  write: true,
  parameters: {
    Identity: 'string', Type: 'string', ForwardingAddress: 'string', ForwardingSmtpAddress: 'string',
    DeliverToMailboxAndForward: 'bool', GrantSendOnBehalfTo: 'multiValued', HiddenFromAddressListsEnabled: 'bool',
    LitigationHoldEnabled: 'bool', MessageCopyForSentAsEnabled: 'bool', MessageCopyForSendOnBehalfEnabled: 'bool',
  },
  required: ['Identity'],
  mailboxParam: 'Identity',
  run(p, ctx) {
    const t = ctx.tenant;
    const m = findMailbox(t, text(p, 'Identity'));
    // Resolve and validate everything first so a bad value leaves the mailbox untouched.
    const next: Partial<EmuMailbox> = {};
    if (isSet(p, 'Type')) {
      // Converting keeps the mailbox and its content; the user's licences are left alone.
      next.recipientTypeDetails = TYPE_DETAILS[enumValue('Type', p.Type, 'Microsoft.Exchange.Data.Directory.Management.ConvertibleMailboxSubType', MAILBOX_TYPES)];
    }
    if (isSet(p, 'ForwardingAddress')) next.forwardingAddress = p.ForwardingAddress ? recipientId(t, text(p, 'ForwardingAddress')) : null;
    if (isSet(p, 'ForwardingSmtpAddress')) next.forwardingSmtpAddress = smtpAddress(p.ForwardingSmtpAddress as string | null);
    if (isSet(p, 'GrantSendOnBehalfTo')) next.grantSendOnBehalfTo = applyDelegates(ctx.tenant, m.grantSendOnBehalfTo, p.GrantSendOnBehalfTo as MultiValuedChange);
    for (const [param, prop] of [
      ['DeliverToMailboxAndForward', 'deliverToMailboxAndForward'],
      ['HiddenFromAddressListsEnabled', 'hiddenFromAddressListsEnabled'],
      ['LitigationHoldEnabled', 'litigationHoldEnabled'],
      ['MessageCopyForSentAsEnabled', 'messageCopyForSentAsEnabled'],
      ['MessageCopyForSendOnBehalfEnabled', 'messageCopyForSendOnBehalfEnabled'],
    ] as const) {
      if (isSet(p, param)) next[prop] = p[param] as boolean;
    }
    let changed = false;
    for (const [k, v] of Object.entries(next) as Array<[keyof EmuMailbox, unknown]>) {
      const cur = m[k] ?? (typeof v === 'boolean' ? false : null);
      const same = Array.isArray(v) ? sameSet(cur as string[], v as string[]) : typeof v === 'string' && typeof cur === 'string' ? v.toLowerCase() === cur.toLowerCase() : v === cur;
      if (same) continue;
      (m as unknown as Record<string, unknown>)[k] = v;
      changed = true;
    }
    if (!changed) noChangeWarning(ctx, m.alias);
    return [];
  },
};

/** ForwardingSmtpAddress takes "x@y" or "smtp:x@y" and is shown as "smtp:x@y". */
function smtpAddress(v: string | null): string | null {
  if (v === null || v.trim() === '') return null;
  const addr = v.trim().replace(/^smtp:/i, '');
  if (!SMTP.test(addr)) {
    throw exchangeErrors.conversion('ForwardingSmtpAddress', v, 'Microsoft.Exchange.Data.ProxyAddress', `The address '${v}' is invalid: "${addr}" isn't a valid SMTP address.`);
  }
  return `smtp:${addr}`;
}

function applyDelegates(t: Parameters<typeof findUser>[0], current: string[], change: MultiValuedChange): string[] {
  const resolve = (refs: string[]) => refs.map((r) => findUser(t, r, { mailEnabled: true }).id);
  if (change.replace) return [...new Set(resolve(change.replace))];
  const out = new Set(current);
  for (const id of resolve(change.add ?? [])) out.add(id);
  for (const id of resolve(change.remove ?? [])) out.delete(id);
  return [...out];
}
