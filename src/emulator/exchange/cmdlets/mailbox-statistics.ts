// Get-MailboxStatistics: size and item count, formatted as EXO prints them
// ("62.4 GB (67,001,371,443 bytes)"). Offboarding reads it before converting to shared, since a
// shared mailbox above 50 GB needs a licence.
import type { CmdletDef } from '../cmdlet.ts';
import { findMailbox } from '../identity.ts';
import { text } from './shared.ts';

function sizeText(gb: number): string {
  const bytes = Math.round(gb * 1024 ** 3);
  const shown = gb >= 1 ? `${Math.round(gb * 10) / 10} GB` : `${Math.round(gb * 1024 * 10) / 10} MB`;
  return `${shown} (${bytes.toLocaleString('en-US')} bytes)`;
}

export const getMailboxStatistics: CmdletDef = {
  name: 'Get-MailboxStatistics',
  write: false,
  parameters: { Identity: 'string' },
  required: ['Identity'],
  mailboxParam: 'Identity',
  run(p, ctx) {
    const m = findMailbox(ctx.tenant, text(p, 'Identity'));
    return [{
      Identity: m.guid,
      DisplayName: m.displayName,
      MailboxGuid: m.guid,
      MailboxTypeDetail: m.recipientTypeDetails,
      ItemCount: Math.round(m.totalItemSizeGB * 4200),
      TotalItemSize: sizeText(m.totalItemSizeGB),
      TotalDeletedItemSize: sizeText(m.totalItemSizeGB * 0.02),
      LastLogonTime: null,
    }];
  },
};
