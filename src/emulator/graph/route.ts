// How a Graph endpoint is declared. Each graph/*.routes.ts file exports `routes`; the pipeline
// checks the permission, charges the resource units, applies realism and records writes.
import type { AccessClaims } from '../auth/tokens.ts';
import type { EmulatorStore } from '../state/store.ts';
import type { TenantState } from '../state/tenant-state.ts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface GraphContext {
  tenant: TenantState;
  store: EmulatorStore;
  method: HttpMethod;
  /** Path after the version segment, e.g. `/users/abc`. */
  path: string;
  version: 'v1.0' | 'beta';
  params: Record<string, string>;
  /** Query string values, keys as sent (`$top`, `$filter`, …). */
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: unknown;
  claims: AccessClaims;
  now: number;
  requestId: string;
  clientRequestId: string;
  /** Absolute base for links, e.g. `https://127.0.0.1:4443/v1.0`. */
  baseUrl: string;
}

export interface EmuResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type GraphHandler = (ctx: GraphContext) => EmuResponse | Promise<EmuResponse>;

export interface GraphRoute {
  method: HttpMethod;
  /** find-my-way pattern relative to the version, e.g. `/users/:id/manager/$ref`. */
  path: string;
  /** Application permissions (roles), any one of which grants access. */
  permissions: readonly string[];
  /** Identity throttling cost in resource units before modifiers; writes always cost 1. */
  cost?: number;
  handler: GraphHandler;
}

export const perms = {
  userRead: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  userWrite: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
  userEnable: ['User.EnableDisableAccount.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  userCreate: ['User.Create', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  userRevoke: ['User.RevokeSessions.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  groupRead: ['Group.Read.All', 'Group.ReadWrite.All', 'GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  groupWrite: ['Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  groupCreate: ['Group.Create', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  groupMemberWrite: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  licenseRead: ['LicenseAssignment.Read.All', 'LicenseAssignment.ReadWrite.All', 'Organization.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  licenseWrite: ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  authMethodRead: ['UserAuthenticationMethod.Read.All', 'UserAuthenticationMethod.ReadWrite.All'],
  authMethodWrite: ['UserAuthenticationMethod.ReadWrite.All'],
  mailboxSettingsRead: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
  mailboxSettingsWrite: ['MailboxSettings.ReadWrite'],
  mailSend: ['Mail.Send'],
  deletedRead: ['User.Read.All', 'User.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  deletedRestore: ['User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  deletedPurge: ['User.DeleteRestore.All', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  userDelete: ['User.DeleteRestore.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  teamMemberRead: ['TeamMember.Read.All', 'TeamMember.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All'],
  teamMemberWrite: ['TeamMember.ReadWrite.All', 'Group.ReadWrite.All'],
  /** Mail contacts (orgContact): listing them, and seeing more than a contact's id in a group's members. */
  contactRead: ['OrgContact.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  orgRead: ['Organization.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
} as const;
