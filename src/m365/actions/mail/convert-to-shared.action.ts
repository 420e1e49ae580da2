// Converts a user mailbox to a shared one (Set-Mailbox -Type Shared), or back with type Regular so
// that undo is the same action. Licences stay: offboarding removes them as a later step, because a
// mailbox whose licence goes first is disabled before it can become shared (CIPP#1494).
import { z } from 'zod';
import { AppError, isAppError } from '../../../core/errors.ts';
import { defineAction, type ActionContext, type PlannedCall } from '../action.ts';
import { prop, resolveMailbox, type ResolvedMailbox } from '../resolve/mailbox.ts';
import { requestId } from '../support/request-ids.ts';
import { userParam } from '../support/schemas.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';
import { exchangeMailPermissions } from './mail-checks.ts';
import { validateWith } from '../support/validation.ts';

const params = z.strictObject({
  user: userParam.describe('The mailbox owner: their user principal name or email address.'),
  type: z.enum(['Shared', 'Regular']).default('Shared')
    .describe('Shared (the default) converts to a shared mailbox; Regular converts a shared mailbox back to a user mailbox.'),
});
type Params = z.infer<typeof params>;

/** A shared mailbox above this size needs an Exchange Online licence of its own. */
const SHARED_LIMIT_GB = 50;

const typeDetails = { Shared: 'SharedMailbox', Regular: 'UserMailbox' } as const;
/** How a person says each type in a sentence. */
const spoken: Record<string, string> = { SharedMailbox: 'shared mailbox', UserMailbox: 'user mailbox' };

/** Parses Exchange's TotalItemSize ("2.5 GB (2,684,354,560 bytes)", a byte count or a number of GB). */
export function parseSizeGB(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const bytes = /\(([\d,]+) bytes\)/.exec(v);
  if (bytes) return Number(bytes[1]!.replace(/,/g, '')) / 1024 ** 3;
  const unit = /^([\d.,]+)\s*(B|KB|MB|GB|TB)$/i.exec(v.trim());
  if (!unit) return undefined;
  const powers: Record<string, number> = { B: 0, KB: 1, MB: 2, GB: 3, TB: 4 };
  return (Number(unit[1]!.replace(/,/g, '')) * 1024 ** powers[unit[2]!.toUpperCase()]!) / 1024 ** 3;
}

/** The mailbox size, or the reason it could not be read (the size only decides a warning). */
async function mailboxSizeGB(ctx: ActionContext, upn: string): Promise<{ gb: number } | { unknown: string }> {
  try {
    const res = await ctx.exchange.invoke('Get-MailboxStatistics', { Identity: upn }, { anchorMailbox: upn });
    const gb = res.value[0] ? parseSizeGB(prop(res.value[0], 'TotalItemSize')) : undefined;
    return gb === undefined ? { unknown: 'Exchange reported no TotalItemSize' } : { gb };
  } catch (e) {
    if (isAppError(e) && e.errorClass === 'user') return { unknown: e.message };
    throw e;
  }
}

function convertible(m: ResolvedMailbox): AppError | undefined {
  const t = m.mailbox.recipientTypeDetails;
  if (t === 'UserMailbox' || t === 'SharedMailbox') return undefined;
  return new AppError({
    code: 'invalid_state',
    message: `${m.user.userPrincipalName} is a ${t}; only user and shared mailboxes are converted by this action.`,
    fix: 'Convert room and equipment mailboxes in the Exchange admin centre.',
    param: 'user',
    value: m.user.userPrincipalName,
  });
}

async function warningsFor(ctx: ActionContext, m: ResolvedMailbox, p: Params): Promise<string[]> {
  const upn = m.user.userPrincipalName;
  if (p.type === 'Regular') {
    return m.user.assignedLicenses.length
      ? []
      : [`${upn} has no licence: a user mailbox without an Exchange Online licence is disabled after a 30-day grace period. Assign one after the conversion.`];
  }
  const size = await mailboxSizeGB(ctx, upn);
  const out = ['Licences are NOT removed by this action; offboarding removes them after the conversion.'];
  if ('unknown' in size) {
    out.push(`The size of ${upn}'s mailbox could not be read (${size.unknown}); a shared mailbox above ${SHARED_LIMIT_GB} GB needs a licence, so check it before removing licences.`);
  } else if (size.gb > SHARED_LIMIT_GB) {
    out.push(`${upn}'s mailbox holds ${size.gb.toFixed(1)} GB: a shared mailbox above ${SHARED_LIMIT_GB} GB needs an Exchange Online licence, so keep one assigned.`);
  }
  return out;
}

function convertCall(upn: string, type: Params['type']): PlannedCall {
  return {
    surface: 'exchange', method: 'POST', target: 'Set-Mailbox',
    body: { Identity: upn, Type: type },
    description: type === 'Shared' ? `Convert ${upn}'s mailbox to a shared mailbox` : `Convert ${upn}'s shared mailbox back to a user mailbox`,
  };
}

export const convertToShared = defineAction({
  id: 'convert-to-shared',
  title: 'Convert to shared mailbox',
  description: 'Converts a user mailbox to a shared mailbox (or back, with type Regular). Mail and permissions are kept; licences are not removed.',
  category: 'mail',
  params,
  secrets: [],
  permissions: exchangeMailPermissions,
  validate: (ctx, p) => validateWith(ctx, exchangeMailPermissions, async (c) => {
    const m = await c.attempt(() => resolveMailbox(ctx, p.user));
    if (!m) return;
    const bad = convertible(m);
    if (bad) c.errors.push(bad);
    else if (m.mailbox.recipientTypeDetails !== typeDetails[p.type]) c.warnings.push(...(await warningsFor(ctx, m, p)));
  }),
  async preview(ctx, p) {
    const m = await resolveMailbox(ctx, p.user);
    const bad = convertible(m);
    if (bad) throw bad;
    const upn = m.user.userPrincipalName;
    const target = typeDetails[p.type];
    const alreadyDone = m.mailbox.recipientTypeDetails === target;
    return {
      calls: alreadyDone ? [] : [convertCall(upn, p.type)],
      changes: [{ object: upn, field: 'RecipientTypeDetails', before: m.mailbox.recipientTypeDetails, after: target }],
      skipped: [],
      alreadyDone,
      warnings: alreadyDone ? [] : await warningsFor(ctx, m, p),
    };
  },
  async execute(ctx, p) {
    const m = await resolveMailbox(ctx, p.user);
    const bad = convertible(m);
    if (bad) throw bad;
    const upn = m.user.userPrincipalName;
    const target = typeDetails[p.type];
    const outputs = { userPrincipalName: upn, recipientTypeDetails: target, primarySmtpAddress: m.mailbox.primarySmtpAddress };
    if (m.mailbox.recipientTypeDetails === target) {
      const before = earlierBefore(ctx) ?? { recipientTypeDetails: target };
      return { outputs, before, alreadyDone: true, skipped: [], summary: `${upn}'s mailbox was already a ${spoken[target] ?? target}.` };
    }
    const before = await recordBefore(ctx, { recipientTypeDetails: m.mailbox.recipientTypeDetails });
    const call = convertCall(upn, p.type);
    await ctx.exchange.invoke(call.target, call.body as Record<string, unknown>, {
      anchorMailbox: upn,
      clientRequestId: requestId(ctx.idempotencyKey, `convert-${p.type}`),
    });
    return { outputs, before, alreadyDone: false, skipped: [], summary: `Converted ${upn}'s mailbox to a ${spoken[target] ?? target}.` };
  },
  undo: {
    reversible: true,
    build: (_p, r) => {
      const was = r.before.recipientTypeDetails;
      if (was === r.outputs.recipientTypeDetails) return [];
      return [{ action: 'convert-to-shared', params: { user: r.outputs.userPrincipalName, type: was === 'SharedMailbox' ? 'Shared' : 'Regular' } }];
    },
  },
});
