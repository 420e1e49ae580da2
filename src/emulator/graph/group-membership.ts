// Who may change a group's members and owners through Graph, and the changes themselves. Graph
// refuses dynamic groups, mail-enabled security groups and distribution lists (Exchange owns those),
// and on-premises synced groups (AD owns those), each with its own answer.
import type { EmuGroup } from '../state/model.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { isDynamic, memberIdsOf } from '../state/derived.ts';
import { directoryObject, directoryObjectId, idFromReference } from './directory-object.ts';
import { GraphError, graphErrors } from './errors.ts';
import type { GraphContext } from './route.ts';

export type RefKind = 'members' | 'owners';

/** Graph accepts at most 20 references per request (group-post-members, group-post-groups). */
export const MAX_REFS_PER_REQUEST = 20;

export const groupErrors = {
  mailEnabledReadOnly: () => new GraphError(400, 'Request_BadRequest', 'Cannot Update a mail-enabled security groups and or distribution list.'),
  syncedReadOnly: () =>
    new GraphError(400, 'Request_BadRequest', 'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.'),
  duplicateRef: (kind: RefKind) =>
    new GraphError(400, 'Request_BadRequest', `One or more added object references already exist for the following modified properties: '${kind}'.`),
  tooManyRefs: () =>
    new GraphError(400, 'Request_BadRequest', `The request exceeds the maximum of ${MAX_REFS_PER_REQUEST} object references that can be added in a single request.`),
  invalidRef: (value: unknown) =>
    new GraphError(400, 'Request_BadRequest', `Invalid object identifier '${typeof value === 'string' ? value : JSON.stringify(value ?? null)}'.`),
  unsupportedMember: () =>
    new GraphError(400, 'Request_BadRequest', 'Microsoft 365 groups can contain only users as members; the referenced object cannot be added.'),
  /** What Graph answers when a Microsoft 365 group is added to a Microsoft 365 group. */
  unifiedIntoUnified: () =>
    new GraphError(400, 'Request_BadRequest', 'Unified Groups cannot be added to Unified Groups. paramName: Members, paramValue: , objectType: Microsoft.Online.DirectoryServices.Group', {
      details: [{ target: 'membersWithLicenseErrors.members', code: 'InvalidValue' }],
    }),
  /** A Microsoft 365 group cannot be a member of any group. */
  unifiedAsMember: () =>
    new GraphError(400, 'Request_BadRequest', 'Unified Groups cannot be added as members of other groups. paramName: Members, paramValue: , objectType: Microsoft.Online.DirectoryServices.Group'),
  selfMember: () => new GraphError(400, 'Request_BadRequest', 'A group cannot be added as a member of itself.'),
  ownerNotUser: () => new GraphError(400, 'Request_BadRequest', 'Only users can be added as owners of a group.'),
  lastOwner: () => new GraphError(400, 'Request_BadRequest', 'The group must have at least one owner, hence this owner cannot be removed.'),
};

export function isUnified(g: EmuGroup): boolean {
  return g.groupTypes.includes('Unified');
}

/** Mail-enabled security groups and distribution lists: read-only in Graph, managed in Exchange. */
export function isExchangeManaged(g: EmuGroup): boolean {
  return g.mailEnabled && !isUnified(g);
}

/** Throws Graph's refusal when this group's members (or owners) cannot be edited through Graph. */
export function assertEditable(g: EmuGroup, kind: RefKind): void {
  if (isExchangeManaged(g)) throw groupErrors.mailEnabledReadOnly();
  if (kind === 'owners') return;
  // Microsoft answers membership writes to dynamic groups with the directory's generic 403
  // (Entra developer support: "You cannot use Microsoft Graph to manage Dynamic group membership").
  if (isDynamic(g)) throw graphErrors.denied();
  if (g.onPremisesSyncEnabled) throw groupErrors.syncedReadOnly();
}

/** Reads `members@odata.bind` / `owners@odata.bind`: an array of reference URLs. */
export function bindList(value: unknown): string[] {
  if (!Array.isArray(value)) throw groupErrors.invalidRef(value);
  return value.map((v) => {
    const id = idFromReference(v);
    if (!id) throw groupErrors.invalidRef(v);
    return id;
  });
}

/**
 * Adds references after validating all of them, so a failing request changes nothing.
 * `ids` may name users, groups or mail contacts. As Graph documents (group-post-members): a
 * security group takes users, security groups and contacts; a Microsoft 365 group takes only
 * users; a Microsoft 365 group is never a member; owners are users.
 */
export function addRefs(ctx: GraphContext, g: EmuGroup, ids: readonly string[], kind: RefKind): void {
  const list = kind === 'members' ? g.memberIds : g.ownerIds;
  const seen = new Set(list.map((x) => x.toLowerCase()));
  const toAdd: string[] = [];
  for (const raw of ids) {
    const obj = directoryObject(ctx, raw);
    if (!obj) throw graphErrors.notFound(raw);
    const id = directoryObjectId(obj);
    if (kind === 'owners' && obj.kind !== 'user') throw groupErrors.ownerNotUser();
    if (obj.kind === 'group') {
      if (id === g.id) throw groupErrors.selfMember();
      if (isUnified(g)) throw isUnified(obj.group) ? groupErrors.unifiedIntoUnified() : groupErrors.unsupportedMember();
      if (isUnified(obj.group)) throw groupErrors.unifiedAsMember();
    }
    if (obj.kind === 'orgContact' && isUnified(g)) throw groupErrors.unsupportedMember();
    if (seen.has(id.toLowerCase())) throw groupErrors.duplicateRef(kind);
    seen.add(id.toLowerCase());
    toAdd.push(id);
  }
  list.push(...toAdd);
  if (kind === 'owners' && g.teamOwnerIds) for (const id of toAdd) if (!g.teamOwnerIds.includes(id)) g.teamOwnerIds.push(id);
  ctx.tenant.touch();
}

export function removeRef(ctx: GraphContext, g: EmuGroup, rawId: string, kind: RefKind): void {
  const list = kind === 'members' ? g.memberIds : g.ownerIds;
  const idx = list.findIndex((x) => x.toLowerCase() === rawId.toLowerCase());
  if (idx < 0) {
    // A UPN in the path resolves to the user's id.
    const u = ctx.tenant.user(rawId);
    const byUser = u ? list.indexOf(u.id) : -1;
    if (byUser < 0) throw graphErrors.notFound(rawId);
    return removeAt(ctx, g, list, byUser, kind);
  }
  removeAt(ctx, g, list, idx, kind);
}

function removeAt(ctx: GraphContext, g: EmuGroup, list: string[], idx: number, kind: RefKind): void {
  if (kind === 'owners' && isUnified(g) && list.length === 1) throw groupErrors.lastOwner();
  const [id] = list.splice(idx, 1);
  if (id && g.teamMembershipIds && kind === 'members' && !g.ownerIds.includes(id)) delete g.teamMembershipIds[id];
  if (id && kind === 'owners' && g.teamOwnerIds) g.teamOwnerIds = g.teamOwnerIds.filter((x) => x !== id);
  ctx.tenant.touch();
}

/**
 * Users, contacts and groups reachable through nested membership, each once (cycles are
 * tolerated). `userIds` holds the non-group members: users and mail contacts.
 */
export function transitiveMembers(t: TenantState, root: EmuGroup): { userIds: string[]; groupIds: string[] } {
  const userIds: string[] = [];
  const groupIds: string[] = [];
  const seenUsers = new Set<string>();
  const seenGroups = new Set<string>([root.id]);
  const queue: EmuGroup[] = [root];
  while (queue.length) {
    const g = queue.shift()!;
    for (const id of memberIdsOf(t, g)) {
      const child = t.group(id);
      if (child) {
        if (seenGroups.has(child.id)) continue;
        seenGroups.add(child.id);
        groupIds.push(child.id);
        queue.push(child);
      } else if (!seenUsers.has(id)) {
        seenUsers.add(id);
        userIds.push(id);
      }
    }
  }
  return { userIds, groupIds };
}
