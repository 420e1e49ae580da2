// Soft delete and restore. A deleted user leaves its groups, owned groups and reports' manager
// links, and its mailbox and authentication methods go with it into deletedItems; a restore puts
// all of that back, as Entra does within the 30-day window.
import type { DeletedItem, EmuGroup, EmuUser } from '../state/model.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { graphErrors } from './errors.ts';
import { isoSeconds } from './user-write.ts';

export function softDeleteUser(t: TenantState, u: EmuUser, now: number): DeletedItem {
  const memberOf: string[] = [], ownerOf: string[] = [], teamOwnerOf: string[] = [];
  for (const g of t.data.groups) {
    if (g.memberIds.includes(u.id)) {
      memberOf.push(g.id);
      g.memberIds = g.memberIds.filter((id) => id !== u.id);
    }
    if (g.ownerIds.includes(u.id)) {
      ownerOf.push(g.id);
      g.ownerIds = g.ownerIds.filter((id) => id !== u.id);
    }
    if (g.teamOwnerIds?.includes(u.id)) {
      teamOwnerOf.push(g.id);
      g.teamOwnerIds = g.teamOwnerIds.filter((id) => id !== u.id);
    }
    if (g.teamMembershipIds && u.id in g.teamMembershipIds) {
      const { [u.id]: _gone, ...rest } = g.teamMembershipIds;
      g.teamMembershipIds = rest;
    }
  }
  const directReportIds: string[] = [];
  for (const r of t.data.users) {
    if (r.managerId === u.id) {
      directReportIds.push(r.id);
      r.managerId = null;
      t.userChanged(r, ['managerId']);
    }
  }
  const mailbox = t.removeMailbox(u.id);
  const authMethods = t.data.authMethods[u.id];
  delete t.data.authMethods[u.id];
  t.removeUser(u.id);
  t.createdAt.delete(u.id.toLowerCase());
  const item: DeletedItem = {
    kind: 'user', deletedDateTime: isoSeconds(now), user: u, memberOf, ownerOf, teamOwnerOf, directReportIds,
    ...(mailbox ? { mailbox } : {}), ...(authMethods ? { authMethods } : {}),
  };
  t.data.deletedItems[u.id] = item;
  t.touch();
  return item;
}

/** The deleted item by id, if its kind is one the caller may see. */
export function deletedItem(t: TenantState, id: string): DeletedItem | undefined {
  const direct = t.data.deletedItems[id];
  if (direct) return direct;
  const lower = id.toLowerCase();
  for (const [k, v] of Object.entries(t.data.deletedItems)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export function deletedId(item: DeletedItem): string {
  return item.kind === 'user' ? item.user!.id : item.group!.id;
}

/**
 * Brings a deleted object back. A UPN now used by another user, or a proxy address now used by
 * another object, blocks the restore unless `autoReconcileProxyConflict` drops the clashing proxies.
 */
export function restoreDeleted(t: TenantState, item: DeletedItem, opts: { autoReconcileProxyConflict: boolean }): void {
  if (item.kind === 'user') restoreUser(t, item, opts);
  else restoreGroup(t, item);
  delete t.data.deletedItems[deletedId(item)];
  t.touch();
}

function restoreUser(t: TenantState, item: DeletedItem, opts: { autoReconcileProxyConflict: boolean }): void {
  const u = item.user!;
  if (t.user(u.userPrincipalName)) throw graphErrors.duplicateValue('userPrincipalName');
  const taken = new Set<string>();
  for (const x of t.data.users) {
    if (x.mail) taken.add(x.mail.toLowerCase());
    for (const p of x.proxyAddresses) taken.add(p.toLowerCase().replace(/^smtp:/, ''));
  }
  for (const g of t.data.groups) if (g.mail) taken.add(g.mail.toLowerCase());
  const clashes = u.proxyAddresses.filter((p) => taken.has(p.toLowerCase().replace(/^smtp:/, '')));
  if (clashes.length) {
    if (!opts.autoReconcileProxyConflict) throw graphErrors.duplicateValue('proxyAddresses');
    u.proxyAddresses = u.proxyAddresses.filter((p) => !clashes.includes(p));
    if (u.mail && taken.has(u.mail.toLowerCase())) u.mail = null;
  }
  // A restored object is visible at once: it was replicated before it was deleted.
  t.addUser(u, 0);
  t.createdAt.delete(u.id.toLowerCase());
  for (const id of item.memberOf ?? []) addOnce(t.group(id), 'memberIds', u.id);
  for (const id of item.ownerOf ?? []) addOnce(t.group(id), 'ownerIds', u.id);
  for (const id of item.teamOwnerOf ?? []) {
    const g = t.group(id);
    if (g) g.teamOwnerIds = [...(g.teamOwnerIds ?? []).filter((x) => x !== u.id), u.id];
  }
  for (const id of item.directReportIds ?? []) {
    const r = t.user(id);
    if (r && r.managerId === null) {
      r.managerId = u.id;
      t.userChanged(r, ['managerId']);
    }
  }
  if (u.managerId && !t.user(u.managerId)) u.managerId = null;
  if (item.mailbox && !t.mailbox(u.id)) t.addMailbox(item.mailbox);
  if (item.authMethods) t.data.authMethods[u.id] = item.authMethods;
}

function restoreGroup(t: TenantState, item: DeletedItem): void {
  const g = item.group!;
  if (g.mail && t.data.groups.some((x) => x.mail?.toLowerCase() === g.mail!.toLowerCase())) throw graphErrors.duplicateValue('proxyAddresses');
  // Members deleted in the meantime do not come back with the group.
  g.memberIds = g.memberIds.filter((id) => t.memberKind(id) !== undefined);
  g.ownerIds = g.ownerIds.filter((id) => t.user(id));
  t.addGroup(g, 0);
  t.createdAt.delete(g.id.toLowerCase());
  for (const id of item.memberOf ?? []) addOnce(t.group(id), 'memberIds', g.id);
}

function addOnce(g: EmuGroup | undefined, field: 'memberIds' | 'ownerIds', id: string): void {
  if (g && !g[field].includes(id)) g[field] = [...g[field], id];
}

export function purgeDeleted(t: TenantState, item: DeletedItem): void {
  delete t.data.deletedItems[deletedId(item)];
  if (item.kind === 'user') t.changes.removed(item.user!.id, 'deleted');
  t.touch();
}
