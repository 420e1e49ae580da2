// The shapes that flow out of the chat's understanding: intents with canonical action ids and
// parameter names, the names still to look up in a tenant, and why nothing was proposed.

/** A person a parameter points at before the message as a whole is read. */
export type PersonRef =
  | { kind: 'email'; value: string }
  | { kind: 'name'; value: string }
  /** A pronoun or "this user": the last person named, in this message or before. */
  | { kind: 'pointer'; value: string }
  /** "my", "me" in a pasted ticket: the person who raised it. */
  | { kind: 'requester'; value: string }
  /** "her manager", "Jane's boss": the manager the directory records for another person. */
  | { kind: 'manager'; value: string; of: PersonRef };

/** One request found in one clause, before pronouns and names are settled. */
export interface Draft {
  action: string;
  params: Record<string, unknown>;
  /** Parameters that hold a person (user, delegate, forwardTo, to, manager). */
  people: Record<string, PersonRef>;
  /**
   * A detail of a new starter in the same message ("Department: Sales", "Title: CFO"): folded into
   * the onboarding before it, and never a request of its own.
   */
  detail?: boolean;
  /**
   * Inferred, not asked for ("X is leaving" → an offboarding): dropped when the same message asks
   * for specific changes to that person, which are then proposed as written.
   */
  weak?: boolean;
  /** The clause named no user: the user of the request before it (or the ticket's) applies. */
  inheritsUser: boolean;
}

/** A value the tenant must settle: a person's name, a group's name or a licence's friendly name. */
export interface Lookup {
  param: string;
  /** `manager`: the text names a person (an address or a name) whose manager is meant. */
  kind: 'user' | 'group' | 'sku' | 'manager';
  text: string;
}

export interface ParsedIntent {
  action: string;
  params: Record<string, unknown>;
  lookups: Lookup[];
  /** About the new starter of the onboarding before it (a detail, or "give him E3"): folded into it. */
  newcomer?: boolean;
  /** Inferred from the situation rather than asked for (see Draft.weak). */
  weak?: boolean;
}

export type Refusal =
  /** Nothing to read: empty, whitespace, emoji. */
  | 'empty'
  /** SQL, script or shell fragments. */
  | 'code'
  /** Tenant-wide destruction ("delete everything", "disable all users"). */
  | 'bulk'
  /** Far longer than a request and not a ticket: a paste gone wrong, or a flood. */
  | 'long'
  /** Words, but no request the catalog covers. */
  | 'unknown'
  /** A question about what Tenantflow can do ("help", "what can you do?"). */
  | 'help';

export interface TicketInfo {
  subject?: string;
  requester?: string;
  subjectUser?: string;
}

export interface ParseResult {
  intents: ParsedIntent[];
  refusal?: Refusal;
  ticket?: TicketInfo;
  /** The last person the message names (what "her" means in the next message). */
  lastUser?: string;
}

export interface ParseContext {
  /** The last user the conversation was about. */
  lastUser?: string;
  /** The user a ticket is about (a conversation attached to a ticket). */
  subjectUser?: string;
}

/** The action and workflow ids the chat may propose; nothing else is ever proposed. */
export const proposableIds = [
  'disable-user', 'enable-user', 'reset-password', 'reset-mfa', 'revoke-sessions', 'create-user', 'update-user', 'delete-user', 'restore-user',
  'create-temporary-access-pass', 'assign-license', 'remove-license', 'swap-license', 'audit-licenses', 'add-to-group', 'remove-from-group',
  'create-group', 'list-group-members', 'configure-forwarding', 'remove-forwarding', 'set-out-of-office', 'convert-to-shared',
  'add-mailbox-permission', 'remove-mailbox-permission', 'add-send-as', 'remove-send-as', 'send-email', 'audit-user-security',
  'onboard-user', 'offboard-user', 'role-change', 'security-incident',
] as const;

/** Parameters that name a person and take an address. */
export const personParams = ['user', 'delegate', 'forwardTo', 'to', 'manager'] as const;
