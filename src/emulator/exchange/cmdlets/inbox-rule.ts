// Get-InboxRule and Remove-InboxRule. A rule's identity is "<mailbox>\<rule id>"; the mailbox can
// also come from -Mailbox or, as in Exchange, from the X-AnchorMailbox the call is routed to.
import type { EmuMailbox } from '../../state/model.ts';
import type { BoundParams, CmdletContext, CmdletDef } from '../cmdlet.ts';
import { exchangeErrors } from '../errors.ts';
import { dcName, findMailbox } from '../identity.ts';
import { text } from './shared.ts';

type Rule = EmuMailbox['inboxRules'][number];

/** Rules Outlook keeps for itself; listed only with -IncludeHidden. */
function isHidden(r: Rule): boolean {
  return r.name === 'Junk E-Mail Rule' || r.name.startsWith('Microsoft.Exchange.OOF.');
}

function ruleObject(m: EmuMailbox, r: Rule, index: number): Record<string, unknown> {
  return {
    Identity: `${m.alias}\\${r.id}`,
    RuleIdentity: r.id,
    Name: r.name,
    Enabled: r.enabled,
    Priority: index + 1,
    MailboxOwnerId: m.alias,
    ForwardTo: r.forwardTo.length ? [...r.forwardTo] : null,
    RedirectTo: r.redirectTo.length ? [...r.redirectTo] : null,
    DeleteMessage: r.deleteMessage,
    MoveToFolder: r.moveToFolder,
    InError: false,
  };
}

/** Splits "<mailbox>\<rule>" and finds the mailbox from it, -Mailbox or the anchor. */
function target(p: BoundParams, ctx: CmdletContext): { mailbox: EmuMailbox; rule: string | undefined } {
  const identity = typeof p.Identity === 'string' ? p.Identity : undefined;
  const slash = identity?.lastIndexOf('\\') ?? -1;
  const mailboxRef = slash > 0 ? identity!.slice(0, slash) : typeof p.Mailbox === 'string' ? p.Mailbox : anchorOf(ctx);
  if (!mailboxRef) throw exchangeErrors.missingParameters(['Mailbox']);
  return { mailbox: findMailbox(ctx.tenant, mailboxRef), rule: slash > 0 ? identity!.slice(slash + 1) : identity };
}

function anchorOf(ctx: CmdletContext): string | undefined {
  const a = ctx.anchorMailbox?.trim();
  if (!a || /^app:/i.test(a)) return undefined;
  return a.replace(/^(upn|smtp):/i, '');
}

function findRule(m: EmuMailbox, ref: string): Rule | undefined {
  const k = ref.toLowerCase();
  return m.inboxRules.find((r) => r.id.toLowerCase() === k) ?? m.inboxRules.find((r) => r.name.toLowerCase() === k);
}

export const getInboxRule: CmdletDef = {
  name: 'Get-InboxRule',
  write: false,
  parameters: { Mailbox: 'string', Identity: 'string', IncludeHidden: 'bool', BypassScopeCheck: 'bool' },
  mailboxParam: 'Mailbox',
  run(p, ctx) {
    const { mailbox, rule } = target(p, ctx);
    if (rule !== undefined) {
      const r = findRule(mailbox, rule);
      if (!r) throw exchangeErrors.notFound(text(p, 'Identity'), dcName(ctx.tenant));
      return [ruleObject(mailbox, r, mailbox.inboxRules.indexOf(r))];
    }
    return mailbox.inboxRules
      .map((r, i) => [r, i] as const)
      .filter(([r]) => p.IncludeHidden === true || !isHidden(r))
      .map(([r, i]) => ruleObject(mailbox, r, i));
  },
};

export const removeInboxRule: CmdletDef = {
  name: 'Remove-InboxRule',
  write: true,
  parameters: { Identity: 'string', Mailbox: 'string', AlwaysDeleteOutlookRulesBlob: 'bool', Force: 'bool' },
  required: ['Identity'],
  mailboxParam: 'Mailbox',
  run(p, ctx) {
    const { mailbox, rule } = target(p, ctx);
    const r = rule !== undefined ? findRule(mailbox, rule) : undefined;
    if (!r) throw exchangeErrors.notFound(text(p, 'Identity'), dcName(ctx.tenant));
    mailbox.inboxRules = mailbox.inboxRules.filter((x) => x !== r);
    return [];
  },
};
