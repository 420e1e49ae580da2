// A user's relations: manager (get, set by reference, remove), directReports, memberOf and
// transitiveMemberOf (with the microsoft.graph.group cast).
import { groupsOfUser, transitiveGroups } from '../state/derived.ts';
import type { EmuGroup, EmuUser } from '../state/model.ts';
import { collectionResponse } from './collection.ts';
import { GraphError, graphErrors } from './errors.ts';
import { perms, type GraphContext, type GraphRoute } from './route.ts';
import { groupJson } from './serialize-group.ts';
import { userFilterView } from './serialize-user.ts';
import { userErrors } from './user-body.ts';
import { findUser, userSerializer } from './user-response.ts';

function getManager(ctx: GraphContext) {
  const u = findUser(ctx);
  const m = u.managerId ? ctx.tenant.user(u.managerId) : undefined;
  if (!m) throw graphErrors.notFound('manager');
  return { status: 200, body: { '@odata.context': `${ctx.baseUrl}/$metadata#directoryObjects/$entity`, ...userSerializer(ctx, { typed: true })(m) } };
}

/** The object id an `@odata.id` names: `…/users/{id}`, `…/directoryObjects/{id}`, `…/users('{id}')` or a bare id. */
function referencedId(body: unknown): string {
  const ref = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)['@odata.id'] : undefined;
  if (typeof ref !== 'string' || !ref.trim()) {
    throw new GraphError(400, 'BadRequest', "The request body must contain an '@odata.id' reference.");
  }
  const s = ref.trim().replace(/\/+$/, '');
  const quoted = /\(\s*'([^']+)'\s*\)$/.exec(s);
  const id = quoted ? quoted[1]! : s.slice(s.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(id);
  } catch {
    throw new GraphError(400, 'BadRequest', `Invalid object identifier '${id}'.`);
  }
}

function setManager(ctx: GraphContext) {
  const u = findUser(ctx);
  const id = referencedId(ctx.body);
  const m = ctx.tenant.user(id);
  if (!m || ctx.tenant.isInvisible(m.id, ctx.now)) throw graphErrors.notFound(id);
  if (u.onPremisesSyncEnabled) throw userErrors.onPremMastered();
  if (m.id === u.id) throw userErrors.invalidValue('manager');
  u.managerId = m.id;
  ctx.tenant.userChanged(u, ['managerId']);
  return { status: 204 };
}

function removeManager(ctx: GraphContext) {
  const u = findUser(ctx);
  if (!u.managerId) throw graphErrors.notFound('manager');
  if (u.onPremisesSyncEnabled) throw userErrors.onPremMastered();
  u.managerId = null;
  ctx.tenant.userChanged(u, ['managerId']);
  return { status: 204 };
}

function directReports(ctx: GraphContext) {
  const u = findUser(ctx);
  const t = ctx.tenant;
  const reports = t.data.users.filter((r) => r.managerId === u.id);
  return collectionResponse(ctx, reports, {
    context: 'directoryObjects',
    serialize: userSerializer(ctx, { typed: true }),
    query: { entity: 'user', toFilterable: (x: EmuUser) => userFilterView(t, x) },
  });
}

function groupList(transitive: boolean, cast: boolean) {
  return (ctx: GraphContext) => {
    const u = findUser(ctx);
    const direct = groupsOfUser(ctx.tenant, u);
    const groups = transitive ? transitiveGroups(ctx.tenant, direct) : direct;
    const full = !!ctx.query.$select;
    return collectionResponse(ctx, groups, {
      context: cast ? 'groups' : 'directoryObjects',
      serialize: (g) => ({ '@odata.type': '#microsoft.graph.group', ...groupJson(g, { full }) }),
      query: { entity: 'group', toFilterable: (g: EmuGroup) => groupJson(g, { full: true }) },
    });
  };
}

export const routes: GraphRoute[] = [
  { method: 'GET', path: '/users/:id/manager', permissions: perms.userRead, handler: getManager },
  { method: 'PUT', path: '/users/:id/manager/$ref', permissions: perms.userWrite, handler: setManager },
  { method: 'DELETE', path: '/users/:id/manager/$ref', permissions: perms.userWrite, handler: removeManager },
  { method: 'GET', path: '/users/:id/directReports', permissions: perms.userRead, handler: directReports },
  { method: 'GET', path: '/users/:id/memberOf', permissions: perms.userRead, cost: 2, handler: groupList(false, false) },
  { method: 'GET', path: '/users/:id/memberOf/microsoft.graph.group', permissions: perms.userRead, cost: 2, handler: groupList(false, true) },
  { method: 'GET', path: '/users/:id/transitiveMemberOf', permissions: perms.userRead, cost: 2, handler: groupList(true, false) },
  { method: 'GET', path: '/users/:id/transitiveMemberOf/microsoft.graph.group', permissions: perms.userRead, cost: 2, handler: groupList(true, true) },
];
