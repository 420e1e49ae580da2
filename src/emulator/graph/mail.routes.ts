// Exchange-backed Graph: /users/{id}/mailboxSettings (automatic replies mapped onto the mailbox's
// Exchange auto-reply configuration) and /users/{id}/sendMail (messages land in the tenant outbox).
import { newId } from '../../core/ids.ts';
import type { AutoReplyConfig, EmuMailbox, EmuUser, OutboxMessage } from '../state/model.ts';
import { bodyObject, contextUrl } from './directory-object.ts';
import { GraphError, graphErrors } from './errors.ts';
import { perms, type EmuResponse, type GraphContext, type GraphRoute } from './route.ts';
import { ianaZone, utcDateTimeTimeZone, wallClockToUtc } from './time-zones.ts';

/** The outbox keeps the most recent messages only, so a long-running demo stays bounded. */
const OUTBOX_LIMIT = 10_000;

const bad = (code: string, message: string) => new GraphError(400, code, message);
const mailErrors = {
  invalidUser: (id: string) => new GraphError(404, 'ErrorInvalidUser', `The requested user '${id}' is invalid.`),
  unknownProperty: (p: string, type: string) =>
    bad('RequestBodyRead', `The property '${p}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`),
  enumValue: (value: unknown, type: string) => bad('RequestBodyRead', `Cannot convert the literal '${String(value)}' to the expected type 'microsoft.graph.${type}'.`),
  invalidValue: (p: string) => bad('ErrorInvalidRequest', `The value of property '${p}' is invalid.`),
  readOnly: (p: string) => bad('ErrorInvalidRequest', `The property '${p}' is read-only and can't be updated.`),
  timeZone: (z: string) => bad('ErrorTimeZone', `The specified time zone '${z}' isn't valid.`),
  noRecipients: () => bad('ErrorInvalidRecipients', "At least one recipient isn't valid., A message can't be sent because it contains no recipients."),
  unresolved: (a: string) =>
    bad('ErrorInvalidRecipients', `At least one recipient isn't valid., Recipient '${a}' isn't resolved. All recipients must be resolved before a message can be submitted.`),
};

function userAndMailbox(ctx: GraphContext): { user: EmuUser; mailbox: EmuMailbox } {
  const id = ctx.params.id ?? '';
  const user = ctx.tenant.user(id);
  if (!user || ctx.tenant.isInvisible(user.id, ctx.now)) throw mailErrors.invalidUser(id);
  const mailbox = ctx.tenant.mailbox(user.id);
  if (!mailbox) throw graphErrors.mailboxNotEnabled();
  return { user, mailbox };
}

const STATUS_TO_GRAPH = { Disabled: 'disabled', Enabled: 'alwaysEnabled', Scheduled: 'scheduled' } as const;
const AUDIENCE_TO_GRAPH = { None: 'none', Known: 'contactsOnly', All: 'all' } as const;

function fromGraph<T extends string>(map: Record<T, string>, value: unknown, type: string): T {
  const hit = (Object.keys(map) as T[]).find((k) => typeof value === 'string' && map[k].toLowerCase() === value.toLowerCase());
  if (!hit) throw mailErrors.enumValue(value, type);
  return hit;
}

function autoRepliesJson(a: AutoReplyConfig, now: number): Record<string, unknown> {
  // Exchange reports a window even when none was set: the current hour, for one day.
  const hour = Math.floor(now / 3_600_000) * 3_600_000;
  const start = a.startTime ? Date.parse(a.startTime) : hour;
  const end = a.endTime ? Date.parse(a.endTime) : hour + 86_400_000;
  return {
    status: STATUS_TO_GRAPH[a.autoReplyState],
    externalAudience: AUDIENCE_TO_GRAPH[a.externalAudience],
    internalReplyMessage: a.internalMessage,
    externalReplyMessage: a.externalMessage,
    scheduledStartDateTime: utcDateTimeTimeZone(start),
    scheduledEndDateTime: utcDateTimeTimeZone(end),
  };
}

const PURPOSE: Record<EmuMailbox['recipientTypeDetails'], string> = { UserMailbox: 'user', SharedMailbox: 'shared', RoomMailbox: 'room', EquipmentMailbox: 'equipment' };

function localeName(locale: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language', languageDisplay: 'standard' }).of(locale) ?? locale;
  } catch {
    return locale;
  }
}

function settingsJson(mb: EmuMailbox, now: number): Record<string, unknown> {
  const extra = mb.settingsExtra ?? {};
  return {
    archiveFolder: extra.archiveFolder ?? Buffer.from(`archive:${mb.guid}`).toString('base64url'),
    timeZone: mb.timeZone,
    automaticRepliesSetting: autoRepliesJson(mb.autoReply, now),
    language: { locale: mb.language, displayName: localeName(mb.language) },
    workingHours: extra.workingHours ?? {
      daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '08:00:00.0000000', endTime: '17:00:00.0000000', timeZone: { name: mb.timeZone },
    },
    userPurpose: PURPOSE[mb.recipientTypeDetails],
    dateFormat: extra.dateFormat ?? 'M/d/yyyy',
    timeFormat: extra.timeFormat ?? 'h:mm tt',
    delegateMeetingMessageDeliveryOptions: extra.delegateMeetingMessageDeliveryOptions ?? 'sendToDelegateOnly',
  };
}

function instant(v: unknown, prop: string): string {
  if (!v || typeof v !== 'object') throw mailErrors.invalidValue(prop);
  const { dateTime, timeZone } = v as Record<string, unknown>;
  if (typeof dateTime !== 'string') throw mailErrors.invalidValue(prop);
  const zone = typeof timeZone === 'string' && timeZone ? timeZone : 'UTC';
  if (!ianaZone(zone)) throw mailErrors.timeZone(zone);
  const ms = wallClockToUtc(dateTime, zone);
  if (!Number.isFinite(ms)) throw mailErrors.invalidValue(prop);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const REPLY_KEYS = ['status', 'externalAudience', 'internalReplyMessage', 'externalReplyMessage', 'scheduledStartDateTime', 'scheduledEndDateTime'];

/** Applies a partial automaticRepliesSetting onto a copy of the mailbox's configuration. */
function mergeAutoReplies(current: AutoReplyConfig, patch: unknown): AutoReplyConfig {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw mailErrors.invalidValue('automaticRepliesSetting');
  const next = { ...current };
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (k === '@odata.type') continue;
    if (!REPLY_KEYS.includes(k)) throw mailErrors.unknownProperty(k, 'automaticRepliesSetting');
    if (k === 'status') next.autoReplyState = fromGraph(STATUS_TO_GRAPH, v, 'automaticRepliesStatus');
    else if (k === 'externalAudience') next.externalAudience = fromGraph(AUDIENCE_TO_GRAPH, v, 'externalAudienceScope');
    else if (k === 'internalReplyMessage' || k === 'externalReplyMessage') {
      if (typeof v !== 'string') throw mailErrors.invalidValue(k);
      if (k === 'internalReplyMessage') next.internalMessage = v;
      else next.externalMessage = v;
    } else if (k === 'scheduledStartDateTime') next.startTime = instant(v, k);
    else next.endTime = instant(v, k);
  }
  if (next.autoReplyState === 'Scheduled') {
    if (!next.startTime || !next.endTime) throw bad('ErrorInvalidRequest', 'A scheduled automatic reply needs both scheduledStartDateTime and scheduledEndDateTime.');
    if (Date.parse(next.endTime) <= Date.parse(next.startTime)) throw bad('ErrorInvalidRequest', 'The scheduledEndDateTime must be later than the scheduledStartDateTime.');
  }
  return next;
}

const EXTRA_SETTINGS = new Set(['archiveFolder', 'workingHours', 'dateFormat', 'timeFormat', 'delegateMeetingMessageDeliveryOptions']);

function patchSettings(ctx: GraphContext): EmuResponse {
  const { user, mailbox } = userAndMailbox(ctx);
  const body = bodyObject(ctx);
  const echoed: Record<string, unknown> = {};
  let autoReply = mailbox.autoReply;
  let timeZone = mailbox.timeZone;
  let language = mailbox.language;
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '@odata.context' || k === '@odata.type') continue;
    if (k === 'userPurpose') throw mailErrors.readOnly(k);
    if (k === 'automaticRepliesSetting') autoReply = mergeAutoReplies(autoReply, v);
    else if (k === 'timeZone') {
      if (typeof v !== 'string' || !ianaZone(v)) throw mailErrors.timeZone(String(v));
      timeZone = v;
    } else if (k === 'language') {
      const locale = v && typeof v === 'object' ? (v as Record<string, unknown>).locale : undefined;
      if (typeof locale !== 'string' || !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale)) throw mailErrors.invalidValue('language');
      language = locale;
    } else if (EXTRA_SETTINGS.has(k)) extra[k] = v;
    else throw mailErrors.unknownProperty(k, 'mailboxSettings');
  }
  mailbox.autoReply = autoReply;
  mailbox.timeZone = timeZone;
  mailbox.language = language;
  if (Object.keys(extra).length) mailbox.settingsExtra = { ...(mailbox.settingsExtra ?? {}), ...extra };
  ctx.tenant.touch();
  // Graph answers with the properties that were set.
  const full = settingsJson(mailbox, ctx.now);
  for (const k of Object.keys(body)) if (k in full) echoed[k] = full[k];
  return { status: 200, body: { '@odata.context': contextUrl(ctx, `users('${user.id}')/mailboxSettings`), ...echoed } };
}

interface Recipients { to: string[]; cc: string[]; bcc: string[] }

function recipientList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw mailErrors.invalidValue('recipients');
  return v.map((r) => {
    const address = r && typeof r === 'object' ? ((r as Record<string, unknown>).emailAddress as Record<string, unknown> | undefined)?.address : undefined;
    if (typeof address !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address.trim())) throw mailErrors.unresolved(typeof address === 'string' ? address : '');
    return address.trim();
  });
}

function sendMail(ctx: GraphContext): EmuResponse {
  const { user, mailbox } = userAndMailbox(ctx);
  const body = bodyObject(ctx);
  const message = body.message;
  if (!message || typeof message !== 'object' || Array.isArray(message)) throw bad('ErrorInvalidRequest', 'The request body must contain a message to send.');
  const m = message as Record<string, unknown>;
  const r: Recipients = { to: recipientList(m.toRecipients), cc: recipientList(m.ccRecipients), bcc: recipientList(m.bccRecipients) };
  if (r.to.length + r.cc.length + r.bcc.length === 0) throw mailErrors.noRecipients();
  if (m.subject !== undefined && m.subject !== null && typeof m.subject !== 'string') throw mailErrors.invalidValue('subject');
  let content = { contentType: 'Text', content: '' };
  if (m.body !== undefined && m.body !== null) {
    const b = m.body as Record<string, unknown>;
    if (typeof b !== 'object') throw mailErrors.invalidValue('body');
    const type = b.contentType ?? 'text';
    if (typeof type !== 'string' || !['text', 'html'].includes(type.toLowerCase())) throw mailErrors.enumValue(type, 'bodyType');
    if (b.content !== undefined && b.content !== null && typeof b.content !== 'string') throw mailErrors.invalidValue('content');
    content = { contentType: type.toLowerCase() === 'html' ? 'HTML' : 'Text', content: (b.content as string | undefined) ?? '' };
  }
  // Microsoft's own sendMail example sends "false" as a string, and Graph accepts it.
  const rawSave = body.saveToSentItems ?? true;
  const save = rawSave === 'true' ? true : rawSave === 'false' ? false : rawSave;
  if (typeof save !== 'boolean') throw mailErrors.invalidValue('saveToSentItems');
  const out: OutboxMessage = {
    id: newId(),
    fromUserId: user.id,
    from: mailbox.primarySmtpAddress,
    subject: (m.subject as string | undefined) ?? '',
    body: content,
    toRecipients: r.to,
    ccRecipients: r.cc,
    bccRecipients: r.bcc,
    saveToSentItems: save,
    sentDateTime: new Date(ctx.now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  const outbox = ctx.tenant.data.outbox;
  outbox.push(out);
  if (outbox.length > OUTBOX_LIMIT) outbox.splice(0, outbox.length - OUTBOX_LIMIT);
  ctx.tenant.touch();
  return { status: 202 };
}

export const routes: GraphRoute[] = [
  {
    method: 'GET', path: '/users/:id/mailboxSettings', permissions: perms.mailboxSettingsRead,
    handler: (ctx) => {
      const { user, mailbox } = userAndMailbox(ctx);
      return { status: 200, body: { '@odata.context': contextUrl(ctx, `users('${user.id}')/mailboxSettings`), ...settingsJson(mailbox, ctx.now) } };
    },
  },
  { method: 'PATCH', path: '/users/:id/mailboxSettings', permissions: perms.mailboxSettingsWrite, handler: patchSettings },
  {
    method: 'GET', path: '/users/:id/mailboxSettings/automaticRepliesSetting', permissions: perms.mailboxSettingsRead,
    handler: (ctx) => {
      const { user, mailbox } = userAndMailbox(ctx);
      return {
        status: 200,
        body: { '@odata.context': contextUrl(ctx, `users('${user.id}')/mailboxSettings/automaticRepliesSetting`), ...autoRepliesJson(mailbox.autoReply, ctx.now) },
      };
    },
  },
  { method: 'POST', path: '/users/:id/sendMail', permissions: perms.mailSend, handler: sendMail },
];
