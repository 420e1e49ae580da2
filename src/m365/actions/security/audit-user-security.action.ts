// Read-only security audit of one user, the first step of incident response: the sign-in methods
// registered (an attacker often adds their own), and the mailbox's forwarding and inbox rules
// (forwarding, redirect and delete rules are the usual sign of a compromised mailbox).
import { z } from 'zod';
import { isAppError, toAppError } from '../../../core/errors.ts';
import { defineAction } from '../action.ts';
import { resolveUser } from '../resolve/user.ts';
import { missingPermissions } from '../support/permissions.ts';
import { userParam } from '../support/schemas.ts';

const params = z.strictObject({ user: userParam });
const permissions = { graph: [['UserAuthenticationMethod.Read.All', 'UserAuthenticationMethod.ReadWrite.All']], exchange: false };

interface Finding {
  severity: 'high' | 'medium' | 'info';
  finding: string;
}

interface AuthMethod {
  id: string;
  '@odata.type': string;
  displayName?: string;
  phoneNumber?: string;
  emailAddress?: string;
  createdDateTime?: string;
}

const methodName = (m: AuthMethod) => m['@odata.type'].replace('#microsoft.graph.', '').replace('AuthenticationMethod', '');

export const auditUserSecurity = defineAction({
  id: 'audit-user-security',
  title: 'Audit user security',
  description: 'Lists the user\'s sign-in methods, mailbox forwarding and inbox rules, and flags what looks like a compromise (forwarding or redirect rules, rules that delete mail, external forwarding). Changes nothing.',
  category: 'account',
  params,
  secrets: [],
  permissions,
  async validate(ctx, p) {
    const errors = await missingPermissions(ctx, permissions);
    if (!errors.length) {
      try { await resolveUser(ctx, p.user); } catch (e) { errors.push(toAppError(e)); }
    }
    return { errors, missing: [], warnings: [] };
  },
  async preview(ctx, p) {
    const u = await resolveUser(ctx, p.user);
    return {
      calls: [
        { surface: 'graph', method: 'GET', target: `/users/${u.id}/authentication/methods`, description: 'Read the registered sign-in methods' },
        { surface: 'exchange', method: 'POST', target: 'Get-Mailbox', description: 'Read mailbox forwarding' },
        { surface: 'exchange', method: 'POST', target: 'Get-InboxRule', description: 'Read inbox rules' },
      ],
      changes: [],
      skipped: [],
      alreadyDone: false,
      warnings: ['Read-only: this step changes nothing.'],
    };
  },
  async execute(ctx, p) {
    const u = await resolveUser(ctx, p.user);
    const findings: Finding[] = [];
    const methods = await ctx.graph.list<AuthMethod>(`/users/${u.id}/authentication/methods`);
    const recent = methods.filter((m) => m.createdDateTime && Date.now() - Date.parse(m.createdDateTime) < 7 * 86_400_000 && !m['@odata.type'].includes('password'));
    for (const m of recent) findings.push({ severity: 'high', finding: `A ${methodName(m)} method was registered on ${m.createdDateTime!.slice(0, 10)}, within the last 7 days.` });
    let forwarding: Record<string, unknown> | null = null;
    let inboxRules: Array<Record<string, unknown>> = [];
    try {
      const mbx = (await ctx.exchange.invoke('Get-Mailbox', { Identity: u.userPrincipalName }, { anchorMailbox: u.userPrincipalName })).value[0];
      if (mbx) {
        forwarding = { forwardingAddress: mbx.ForwardingAddress ?? null, forwardingSmtpAddress: mbx.ForwardingSmtpAddress ?? null, deliverToMailboxAndForward: mbx.DeliverToMailboxAndForward ?? false };
        if (mbx.ForwardingSmtpAddress) findings.push({ severity: 'high', finding: `Mailbox forwards to the external address ${String(mbx.ForwardingSmtpAddress).replace(/^smtp:/i, '')}.` });
        else if (mbx.ForwardingAddress) findings.push({ severity: 'medium', finding: `Mailbox forwards to ${String(mbx.ForwardingAddress)}.` });
        inboxRules = (await ctx.exchange.invoke('Get-InboxRule', { Mailbox: u.userPrincipalName }, { anchorMailbox: u.userPrincipalName })).value;
        for (const r of inboxRules) {
          const name = String(r.Name ?? r.Identity ?? 'rule');
          if (r.ForwardTo || r.RedirectTo) findings.push({ severity: 'high', finding: `Inbox rule '${name}' forwards or redirects mail (${[r.ForwardTo, r.RedirectTo].flat().filter(Boolean).join(', ')}).` });
          if (r.DeleteMessage) findings.push({ severity: 'high', finding: `Inbox rule '${name}' deletes incoming mail.` });
          if (r.MoveToFolder && /rss|archive|conversation history|junk/i.test(String(r.MoveToFolder))) findings.push({ severity: 'medium', finding: `Inbox rule '${name}' moves mail to '${String(r.MoveToFolder)}', a common hiding place.` });
        }
      }
    } catch (e) {
      if (!isAppError(e)) throw e;
      findings.push({ severity: 'info', finding: `The mailbox could not be read (${e.code}): ${e.message}` });
    }
    if (!findings.length) findings.push({ severity: 'info', finding: 'Nothing suspicious found.' });
    const outputs = {
      userId: u.id,
      userPrincipalName: u.userPrincipalName,
      methods: methods.map((m) => ({ id: m.id, type: methodName(m), detail: m.displayName ?? m.phoneNumber ?? m.emailAddress ?? null, createdDateTime: m.createdDateTime ?? null })),
      forwarding,
      inboxRules: inboxRules.map((r) => ({ name: r.Name ?? null, enabled: r.Enabled ?? null, forwardTo: r.ForwardTo ?? null, redirectTo: r.RedirectTo ?? null, deleteMessage: r.DeleteMessage ?? null, moveToFolder: r.MoveToFolder ?? null })),
      findings,
    };
    const serious = findings.filter((f) => f.severity === 'high').length;
    return { outputs, before: {}, alreadyDone: false, skipped: [], summary: `${methods.length} sign-in methods, ${inboxRules.length} inbox rules; ${serious} high-severity finding${serious === 1 ? '' : 's'}.` };
  },
  readOnly: true,
  undo: { reversible: false, reason: 'Read-only audit; it changes nothing.' },
});
