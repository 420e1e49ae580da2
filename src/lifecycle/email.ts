// Lifecycle email tasks as send-email inputs: who receives them (the `to` argument: User, Manager,
// a user id), the cc list (user ids), the subject and body with Microsoft's placeholders filled in,
// and the sender. Microsoft sends these from its own service address; Tenantflow sends through
// Graph sendMail from a mailbox of the tenant: the tenant default `lifecycleSender` when set,
// otherwise the manager for mail to the user and the user for mail about them to others.
import type { DirectoryUser, Manager } from './directory.ts';
import type { KeyValuePair } from './model.ts';

export interface EmailContext {
  tenantDefaults: Record<string, string>;
  user: DirectoryUser;
  manager: Manager | null;
  lookupUser(id: string): Promise<{ id: string; mail: string | null; userPrincipalName: string | null } | undefined>;
}

interface EmailDefault {
  to: 'User' | 'Manager';
  subject: string;
  body: string;
}

/** Default recipients and texts per email task definition (lower-case ids). */
export const emailDefaults: Record<string, EmailDefault> = {
  '70b29d51-b59a-4773-9280-8841dfd3f2ea': { to: 'User', subject: 'Welcome to the organization, {{userDisplayName}}!', body: 'Welcome, {{userGivenName}}! Your first day is {{userEmployeeHireDate}}. Your manager is {{managerDisplayName}} ({{managerEmail}}).' },
  '3c860712-2d37-42a4-928f-5c93935d26a1': { to: 'Manager', subject: 'Reminder: {{userDisplayName}} starts on {{userEmployeeHireDate}}', body: 'Hello {{managerDisplayName}}, {{userDisplayName}} ({{userPrincipalName}}) joins your team on {{userEmployeeHireDate}}. Please prepare their onboarding.' },
  '1b555e50-7f65-41d5-b514-5894a026d10d': { to: 'Manager', subject: 'Temporary Access Pass for {{userDisplayName}}', body: 'Hello {{managerDisplayName}}, the Temporary Access Pass for {{userDisplayName}} ({{userPrincipalName}}) is {{temporaryAccessPass}}. Please hand it over in person; it lets them set up their sign-in methods.' },
  'aab41899-9972-422a-9d97-f626014578b7': { to: 'Manager', subject: '{{userDisplayName}} has moved', body: 'Hello {{managerDisplayName}}, {{userDisplayName}} ({{userPrincipalName}}) has moved: department {{user.department}}, job title {{user.jobTitle}}.' },
  '52853a3e-f4e5-4eb8-bb24-1ac09a1da935': { to: 'Manager', subject: 'Reminder: {{userDisplayName}}\'s last day is {{userEmployeeLeaveDateTime}}', body: 'Hello {{managerDisplayName}}, {{userDisplayName}} ({{userPrincipalName}}) leaves on {{userEmployeeLeaveDateTime}}. Please plan the handover of their work.' },
  '9c0a1eaf-5bda-4392-9d9e-6e155bb57411': { to: 'Manager', subject: 'Today is {{userDisplayName}}\'s last day', body: 'Hello {{managerDisplayName}}, today ({{userEmployeeLeaveDateTime}}) is the last day of {{userDisplayName}} ({{userPrincipalName}}).' },
  '6f22ddd4-b3a5-47a4-a846-0d7c201a49ce': { to: 'Manager', subject: '{{userDisplayName}} has left', body: 'Hello {{managerDisplayName}}, {{userDisplayName}} ({{userPrincipalName}}) left on {{userEmployeeLeaveDateTime}}. Their access is being removed.' },
  '92f74cb4-f1b6-4ec0-b766-96210f56edc2': { to: 'Manager', subject: '{{userDisplayName}} has been inactive', body: 'Hello {{managerDisplayName}}, {{userDisplayName}} ({{userPrincipalName}}) has not signed in for a long time. Please check whether the account is still needed.' },
};

export function arg(args: readonly KeyValuePair[], name: string): string | undefined {
  const v = args.find((a) => a.name === name)?.value;
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function day(v: unknown): string {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : '';
}

/** Microsoft's legacy placeholders and the {{user.<property>}} form; the TAP one is filled when the pass exists. */
export function fillPlaceholders(text: string, user: DirectoryUser, manager: Manager | null): string {
  const legacy: Record<string, string> = {
    userDisplayName: String(user.displayName ?? ''),
    userGivenName: String(user.givenName ?? ''),
    userSurname: String(user.surname ?? ''),
    userPrincipalName: String(user.userPrincipalName ?? ''),
    userEmployeeHireDate: day(user.employeeHireDate),
    userEmployeeLeaveDateTime: day(user.employeeLeaveDateTime),
    managerDisplayName: manager?.displayName ?? '',
    managerEmail: manager?.mail ?? '',
  };
  return text.replace(/\{\{\s*([A-Za-z0-9_./]+)\s*\}\}/g, (whole, name: string) => {
    if (name in legacy) return legacy[name]!;
    if (name.startsWith('user.')) {
      let cur: unknown = user;
      for (const seg of name.slice(5).split('/')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
      return cur === undefined || cur === null ? '' : String(cur);
    }
    return whole;
  });
}

export type EmailPlan =
  | { ok: true; sender: string; to: string[]; cc: string[]; subject: string; message: string }
  | { ok: false; reason: string };

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function planEmail(definitionId: string, args: readonly KeyValuePair[], ctx: EmailContext): Promise<EmailPlan> {
  const d = emailDefaults[definitionId.toLowerCase()];
  if (!d) return { ok: false, reason: `Task definition ${definitionId} has no email Tenantflow can send.` };
  const upn = String(ctx.user.userPrincipalName ?? ctx.user.id);
  const toArg = arg(args, 'to') ?? d.to;
  let to: string;
  let toUser = false;
  if (toArg === 'User') {
    toUser = true;
    const mail = typeof ctx.user.mail === 'string' && ctx.user.mail ? ctx.user.mail : undefined;
    if (!mail) return { ok: false, reason: `${upn} has no mail address, so the email to the user cannot be sent. Give the user a mailbox (a licence with Exchange Online) first.` };
    to = mail;
  } else if (toArg === 'Manager') {
    if (!ctx.manager) return { ok: false, reason: `${upn} has no manager, so the email to the manager cannot be sent. Set the user's manager.` };
    if (!ctx.manager.mail) return { ok: false, reason: `The manager of ${upn} (${ctx.manager.userPrincipalName ?? ctx.manager.id}) has no mail address.` };
    to = ctx.manager.mail;
  } else if (toArg === 'User/otherMails') {
    const other = Array.isArray(ctx.user.otherMails) ? (ctx.user.otherMails as string[])[0] : undefined;
    if (!other) return { ok: false, reason: `${upn} has no otherMails address to send to.` };
    to = other;
  } else if (guid.test(toArg)) {
    const r = await ctx.lookupUser(toArg);
    if (!r?.mail) return { ok: false, reason: `The recipient ${toArg} is not a user with a mail address in this tenant.` };
    to = r.mail;
  } else {
    return { ok: false, reason: `The recipient '${toArg}' is not supported by Tenantflow; use User, Manager, User/otherMails or a user id.` };
  }
  const cc: string[] = [];
  for (const id of (arg(args, 'cc') ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!guid.test(id)) return { ok: false, reason: `cc must list user object ids separated by commas; '${id}' is not one.` };
    const r = await ctx.lookupUser(id);
    if (!r?.mail) return { ok: false, reason: `The cc recipient ${id} is not a user with a mail address in this tenant.` };
    cc.push(r.mail);
  }
  const configured = ctx.tenantDefaults.lifecycleSender;
  const sender = configured ?? (toUser ? ctx.manager?.userPrincipalName ?? ctx.manager?.mail : upn);
  if (!sender) {
    return { ok: false, reason: `No mailbox to send from: ${upn} has no manager to send the email as. Set the tenant default 'lifecycleSender' to a mailbox of the tenant.` };
  }
  return {
    ok: true, sender, to: [to], cc,
    subject: fillPlaceholders(arg(args, 'customSubject') ?? d.subject, ctx.user, ctx.manager),
    message: fillPlaceholders(arg(args, 'customBody') ?? d.body, ctx.user, ctx.manager),
  };
}
