// /directory/deletedItems: soft-deleted users and Microsoft 365 groups — list by type, get, restore
// and permanent delete.
import type { DeletedItem, EmuGroup, EmuUser } from '../state/model.ts';
import { collectionResponse } from './collection.ts';
import { deletedItem, purgeDeleted, restoreDeleted } from './deleted-items.ts';
import { GraphError, graphErrors } from './errors.ts';
import { perms, type GraphContext, type GraphRoute } from './route.ts';
import { groupJson } from './serialize-group.ts';
import { userFilterView } from './serialize-user.ts';
import { hasAnyPermission, userSerializer } from './user-response.ts';

const USER_RESTORE = ['User.DeleteRestore.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'];
const GROUP_RESTORE = ['Group.ReadWrite.All', 'Directory.ReadWrite.All'];

/** Entra shows a deleted user's UPN prefixed with its object id, so the name is free for reuse. */
function asDeleted(u: EmuUser): EmuUser {
  return { ...u, userPrincipalName: `${u.id.replace(/-/g, '')}${u.userPrincipalName}` };
}

function deletedDateOf(ctx: GraphContext): (u: EmuUser) => string | null {
  return (u) => ctx.tenant.data.deletedItems[u.id]?.deletedDateTime ?? null;
}

function deletedOf(ctx: GraphContext, kind: 'user' | 'group'): DeletedItem[] {
  return Object.values(ctx.tenant.data.deletedItems).filter((d) => d.kind === kind);
}

function requireReadable(ctx: GraphContext, kind: 'user' | 'group'): void {
  if (!hasAnyPermission(ctx.claims, kind === 'user' ? perms.userRead : perms.groupRead)) throw graphErrors.denied();
}

function listDeletedUsers(ctx: GraphContext) {
  requireReadable(ctx, 'user');
  const t = ctx.tenant;
  const serialize = userSerializer(ctx, { deletedDateTime: deletedDateOf(ctx) });
  const withDate = !ctx.query.$select;
  return collectionResponse(ctx, deletedOf(ctx, 'user'), {
    context: 'directory/deletedItems/microsoft.graph.user',
    serialize: (d) => ({ ...serialize(asDeleted(d.user!)), ...(withDate ? { deletedDateTime: d.deletedDateTime } : {}) }),
    query: { entity: 'user', toFilterable: (d: DeletedItem) => userFilterView(t, asDeleted(d.user!), d.deletedDateTime) },
  });
}

function deletedGroupJson(d: DeletedItem, full: boolean): Record<string, unknown> {
  return { ...groupJson(d.group!, { full }), deletedDateTime: d.deletedDateTime };
}

function listDeletedGroups(ctx: GraphContext) {
  requireReadable(ctx, 'group');
  const full = !!ctx.query.$select;
  return collectionResponse(ctx, deletedOf(ctx, 'group'), {
    context: 'directory/deletedItems/microsoft.graph.group',
    serialize: (d) => deletedGroupJson(d, full),
    query: { entity: 'group', toFilterable: (d: DeletedItem) => deletedGroupJson(d, true) },
  });
}

function itemJson(ctx: GraphContext, d: DeletedItem, deleted: boolean): Record<string, unknown> {
  if (d.kind === 'user') {
    const u = deleted ? asDeleted(d.user!) : d.user!;
    const json = userSerializer(ctx, { typed: true, deletedDateTime: deleted ? deletedDateOf(ctx) : undefined })(u);
    return deleted && !ctx.query.$select ? { ...json, deletedDateTime: d.deletedDateTime } : json;
  }
  const g: EmuGroup = d.group!;
  return { '@odata.type': '#microsoft.graph.group', ...groupJson(g, { full: !!ctx.query.$select }), deletedDateTime: deleted ? d.deletedDateTime : null };
}

function requireDeleted(ctx: GraphContext): DeletedItem {
  const id = ctx.params.id ?? '';
  const d = deletedItem(ctx.tenant, id);
  if (!d) throw graphErrors.notFound(id);
  return d;
}

function getDeleted(ctx: GraphContext) {
  const id = ctx.params.id ?? '';
  // Other casts (applications, service principals, devices) exist in Graph; this tenant holds none.
  if (/^microsoft\.graph\.[A-Za-z]+$/.test(id)) {
    return collectionResponse(ctx, [], { context: `directory/deletedItems/${id}`, serialize: () => ({}) });
  }
  const d = requireDeleted(ctx);
  requireReadable(ctx, d.kind);
  return { status: 200, body: { '@odata.context': `${ctx.baseUrl}/$metadata#directoryObjects/$entity`, ...itemJson(ctx, d, true) } };
}

function readRestoreOptions(body: unknown): { autoReconcileProxyConflict: boolean } {
  if (body === undefined || body === null || body === '') return { autoReconcileProxyConflict: false };
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new GraphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  }
  let auto = false;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k.toLowerCase() !== 'autoreconcileproxyconflict') {
      throw new GraphError(400, 'BadRequest', `The parameter '${k}' in the request payload is not a valid parameter for the operation 'restore'.`);
    }
    if (typeof v !== 'boolean') throw new GraphError(400, 'BadRequest', `Cannot convert the literal '${String(v)}' to the expected type 'Edm.Boolean'.`);
    auto = v;
  }
  return { autoReconcileProxyConflict: auto };
}

function restore(ctx: GraphContext) {
  const d = requireDeleted(ctx);
  if (!hasAnyPermission(ctx.claims, d.kind === 'user' ? USER_RESTORE : GROUP_RESTORE)) throw graphErrors.denied();
  restoreDeleted(ctx.tenant, d, readRestoreOptions(ctx.body));
  return { status: 200, body: { '@odata.context': `${ctx.baseUrl}/$metadata#directoryObjects/$entity`, ...itemJson(ctx, d, false) } };
}

function purge(ctx: GraphContext) {
  const d = requireDeleted(ctx);
  if (!hasAnyPermission(ctx.claims, d.kind === 'user' ? USER_RESTORE : GROUP_RESTORE)) throw graphErrors.denied();
  purgeDeleted(ctx.tenant, d);
  return { status: 204 };
}

export const routes: GraphRoute[] = [
  { method: 'GET', path: '/directory/deletedItems/microsoft.graph.user', permissions: perms.deletedRead, cost: 2, handler: listDeletedUsers },
  { method: 'GET', path: '/directory/deletedItems/microsoft.graph.group', permissions: perms.deletedRead, cost: 2, handler: listDeletedGroups },
  { method: 'GET', path: '/directory/deletedItems/:id', permissions: perms.deletedRead, handler: getDeleted },
  { method: 'POST', path: '/directory/deletedItems/:id/restore', permissions: [...new Set([...USER_RESTORE, ...GROUP_RESTORE])], handler: restore },
  { method: 'POST', path: '/directory/deletedItems/:id/microsoft.graph.restore', permissions: [...new Set([...USER_RESTORE, ...GROUP_RESTORE])], handler: restore },
  { method: 'DELETE', path: '/directory/deletedItems/:id', permissions: [...new Set([...USER_RESTORE, ...GROUP_RESTORE])], handler: purge },
];
