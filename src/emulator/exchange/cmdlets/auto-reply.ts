// Set- and Get-MailboxAutoReplyConfiguration (out of office), on the same autoReply object Graph's
// mailboxSettings.automaticRepliesSetting serves.
import type { AutoReplyConfig } from '../../state/model.ts';
import type { CmdletDef } from '../cmdlet.ts';
import { exchangeErrors } from '../errors.ts';
import { findMailbox } from '../identity.ts';
import { enumValue } from '../params.ts';
import { isSet, noChangeWarning, text } from './shared.ts';

const STATES = ['Disabled', 'Enabled', 'Scheduled'] as const;
const AUDIENCES = ['None', 'Known', 'All'] as const;
const HOUR = 3_600_000;

export const setAutoReply: CmdletDef = {
  name: 'Set-MailboxAutoReplyConfiguration',
  write: true,
  parameters: {
    Identity: 'string', AutoReplyState: 'string', InternalMessage: 'string', ExternalMessage: 'string', ExternalAudience: 'string',
    StartTime: 'date', EndTime: 'date', CreateOOFEvent: 'bool', OOFEventSubject: 'string', AutoDeclineFutureRequestsWhenOOF: 'bool',
    DeclineEventsForScheduledOOF: 'bool', DeclineAllEventsForScheduledOOF: 'bool', DeclineMeetingMessage: 'string',
  },
  required: ['Identity'],
  mailboxParam: 'Identity',
  run(p, ctx) {
    const m = findMailbox(ctx.tenant, text(p, 'Identity'));
    const next: AutoReplyConfig = { ...m.autoReply };
    if (isSet(p, 'AutoReplyState')) next.autoReplyState = enumValue('AutoReplyState', p.AutoReplyState, 'Microsoft.Exchange.Data.Storage.OofState', STATES);
    if (isSet(p, 'ExternalAudience')) next.externalAudience = enumValue('ExternalAudience', p.ExternalAudience, 'Microsoft.Exchange.Data.Storage.ExternalAudience', AUDIENCES);
    if (isSet(p, 'InternalMessage')) next.internalMessage = (p.InternalMessage as string | null) ?? '';
    if (isSet(p, 'ExternalMessage')) next.externalMessage = (p.ExternalMessage as string | null) ?? '';
    if (isSet(p, 'StartTime')) next.startTime = p.StartTime as string | null;
    if (isSet(p, 'EndTime')) next.endTime = p.EndTime as string | null;
    if (isSet(p, 'CreateOOFEvent')) next.createOOFEvent = p.CreateOOFEvent as boolean;
    if (isSet(p, 'OOFEventSubject')) next.oofEventSubject = p.OOFEventSubject as string | null;
    if (isSet(p, 'AutoDeclineFutureRequestsWhenOOF')) next.autoDeclineFutureRequestsWhenOOF = p.AutoDeclineFutureRequestsWhenOOF as boolean;
    if (isSet(p, 'DeclineEventsForScheduledOOF')) next.declineEventsForScheduledOOF = p.DeclineEventsForScheduledOOF as boolean;
    if (isSet(p, 'DeclineAllEventsForScheduledOOF')) next.declineAllEventsForScheduledOOF = p.DeclineAllEventsForScheduledOOF as boolean;
    if (isSet(p, 'DeclineMeetingMessage')) next.declineMeetingMessage = p.DeclineMeetingMessage as string | null;
    if (next.autoReplyState === 'Scheduled') {
      // Exchange fills a missing window with the current hour and the day after it.
      const start = next.startTime ?? new Date(Math.floor(ctx.now / HOUR) * HOUR).toISOString();
      const end = next.endTime ?? new Date(Date.parse(start) + 24 * HOUR).toISOString();
      if (Date.parse(end) <= Date.parse(start)) {
        throw exchangeErrors.invalidOperation('The end time must be later than the start time.', 'Microsoft.Exchange.Data.DataValidationException', 'Ex5A1B2C');
      }
      next.startTime = start;
      next.endTime = end;
    }
    const changed = (Object.keys(next) as Array<keyof AutoReplyConfig>).some((k) => next[k] !== m.autoReply[k]);
    if (!changed) {
      noChangeWarning(ctx, m.alias);
      return [];
    }
    m.autoReply = next;
    return [];
  },
};

export const getAutoReply: CmdletDef = {
  name: 'Get-MailboxAutoReplyConfiguration',
  write: false,
  parameters: { Identity: 'string' },
  required: ['Identity'],
  mailboxParam: 'Identity',
  run(p, ctx) {
    const m = findMailbox(ctx.tenant, text(p, 'Identity'));
    const a = m.autoReply;
    return [{
      Identity: m.alias,
      MailboxOwnerId: m.alias,
      AutoReplyState: a.autoReplyState,
      StartTime: a.startTime,
      EndTime: a.endTime,
      InternalMessage: a.internalMessage,
      ExternalMessage: a.externalMessage,
      ExternalAudience: a.externalAudience,
      CreateOOFEvent: a.createOOFEvent ?? false,
      OOFEventSubject: a.oofEventSubject ?? null,
      AutoDeclineFutureRequestsWhenOOF: a.autoDeclineFutureRequestsWhenOOF ?? false,
      DeclineEventsForScheduledOOF: a.declineEventsForScheduledOOF ?? false,
      DeclineAllEventsForScheduledOOF: a.declineAllEventsForScheduledOOF ?? false,
      DeclineMeetingMessage: a.declineMeetingMessage ?? null,
    }];
  },
};
