// What lifecycle workflows read from a tenant's directory, through the connector's Graph client:
// every user with the properties the workflows need (paged, $top=999; directory-sync.ts keeps it
// between scheduled passes and fetches only the changes), one user again just before processing,
// a user's manager, and group memberships.
import { isAppError } from '../core/errors.ts';
import type { GraphPort } from '../m365/actions/ports.ts';

export type DirectoryUser = Record<string, unknown> & { id: string };

/** Always read: what results, emails and triggers need besides the rules' own properties. */
export const BASE_USER_PROPERTIES = [
  'id', 'userPrincipalName', 'displayName', 'givenName', 'surname', 'mail', 'accountEnabled', 'department', 'jobTitle',
  'employeeHireDate', 'employeeLeaveDateTime', 'createdDateTime', 'otherMails', 'companyName',
] as const;

export function selectFor(properties: Iterable<string>): string[] {
  return [...new Set([...BASE_USER_PROPERTIES, ...properties])].sort();
}

/** What a pass reads of every user: a result's subject, plus what the workflows' conditions read. */
export function passSelect(properties: Iterable<string>): string[] {
  return [...new Set(['id', 'userPrincipalName', 'displayName', 'mail', ...properties])].sort();
}

function isNotFound(e: unknown): boolean {
  return isAppError(e) && (e.code === 'm365_not_found' || e.status === 404);
}

export async function fetchDirectory(graph: GraphPort, select: string[]): Promise<DirectoryUser[]> {
  return graph.list<DirectoryUser>('/users', { query: { $select: select.join(','), $top: '999' } });
}

export async function fetchUser(graph: GraphPort, id: string, select: string[]): Promise<DirectoryUser | undefined> {
  try {
    return await graph.get<DirectoryUser>(`/users/${encodeURIComponent(id)}`, { query: { $select: select.join(',') } });
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export interface Manager {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
  mail: string | null;
}

export async function fetchManager(graph: GraphPort, userId: string): Promise<Manager | null> {
  try {
    const m = await graph.get<Manager>(`/users/${encodeURIComponent(userId)}/manager`, { query: { $select: 'id,displayName,userPrincipalName,mail' } });
    return m?.id ? { id: m.id, displayName: m.displayName ?? null, userPrincipalName: m.userPrincipalName ?? null, mail: m.mail ?? null } : null;
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

export async function groupMemberIds(graph: GraphPort, groupId: string): Promise<string[]> {
  try {
    const members = await graph.list<{ id: string; '@odata.type'?: string }>(`/groups/${encodeURIComponent(groupId)}/members`, { query: { $select: 'id', $top: '999' } });
    return members.filter((m) => !m['@odata.type'] || m['@odata.type'] === '#microsoft.graph.user').map((m) => m.id);
  } catch (e) {
    // A scope group that was deleted has no members; the pass must not stop for it.
    if (isNotFound(e)) return [];
    throw e;
  }
}

export async function userGroupIds(graph: GraphPort, userId: string): Promise<string[]> {
  const groups = await graph.list<{ id: string }>(`/users/${encodeURIComponent(userId)}/memberOf`, { query: { $select: 'id' } });
  return groups.map((g) => g.id);
}
