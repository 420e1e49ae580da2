// Lookups and JSON shapes shared by the group, licence, auth-method, mail and Teams routes: finding
// the user or group a path names (honouring the read-after-create delay), reading a JSON body, and
// rendering users, groups and mail contacts the way Graph lists them as directoryObjects (users
// through serialize-user.ts, so they look the same as on /users).
import type { EmuGroup, EmuOrgContact, EmuUser } from '../state/model.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { parseSelect } from './collection.ts';
import { GraphError, graphErrors } from './errors.ts';
import { perms, type GraphContext } from './route.ts';
import { contactJson, limitedContactJson } from './serialize-contact.ts';
import { groupJson } from './serialize-group.ts';
import { userFilterView, userJson } from './serialize-user.ts';
import { hasAnyPermission } from './user-response.ts';

/** The user a path names, by id or UPN; 404 Request_ResourceNotFound like Graph otherwise. */
export function requireUser(ctx: GraphContext, idOrUpn: string | undefined): EmuUser {
  const u = idOrUpn ? ctx.tenant.user(idOrUpn) : undefined;
  if (!u || ctx.tenant.isInvisible(u.id, ctx.now)) throw graphErrors.notFound(idOrUpn ?? '');
  return u;
}

export function requireGroup(ctx: GraphContext, id: string | undefined): EmuGroup {
  const g = id ? ctx.tenant.group(id) : undefined;
  if (!g || ctx.tenant.isInvisible(g.id, ctx.now)) throw graphErrors.notFound(id ?? '');
  return g;
}

/** The request body as a JSON object; anything else is a client mistake. */
export function bodyObject(ctx: GraphContext, required = true): Record<string, unknown> {
  const b = ctx.body;
  if (b === undefined || b === null || b === '') {
    if (!required) return {};
    throw new GraphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  if (typeof b !== 'object' || Array.isArray(b)) {
    throw new GraphError(400, 'BadRequest', 'The request body must be a JSON object.');
  }
  return b as Record<string, unknown>;
}

/**
 * The object id in a reference URL: `…/directoryObjects/{id}`, `…/users/{id}`, `…/users('{id}')`,
 * or a bare id. Returns undefined when the value is not a usable reference.
 */
export function idFromReference(ref: unknown): string | undefined {
  if (typeof ref !== 'string' || !ref.trim()) return undefined;
  const s = ref.trim().replace(/\/+$/, '');
  const quoted = /\(\s*'([^']+)'\s*\)$/.exec(s);
  if (quoted) return decodeURIComponent(quoted[1]!);
  const last = s.split('/').pop();
  if (!last || last.includes('(')) return undefined;
  return decodeURIComponent(last);
}

export type DirectoryObject =
  | { kind: 'user'; user: EmuUser }
  | { kind: 'group'; group: EmuGroup }
  | { kind: 'orgContact'; contact: EmuOrgContact };

export type DirectoryObjectKind = DirectoryObject['kind'];

/** Resolves an id to a user, group or mail contact of the tenant (what `directoryObjects/{id}` means). */
export function directoryObject(ctx: GraphContext, id: string): DirectoryObject | undefined {
  const u = ctx.tenant.user(id);
  if (u && !ctx.tenant.isInvisible(u.id, ctx.now)) return { kind: 'user', user: u };
  const g = ctx.tenant.group(id);
  if (g && !ctx.tenant.isInvisible(g.id, ctx.now)) return { kind: 'group', group: g };
  const c = ctx.tenant.contact(id);
  if (c) return { kind: 'orgContact', contact: c };
  return undefined;
}

export function directoryObjectId(o: DirectoryObject): string {
  return o.kind === 'user' ? o.user.id : o.kind === 'group' ? o.group.id : o.contact.id;
}

/**
 * A serializer for directoryObject collections: polymorphic `@odata.type`, $select-aware. A
 * contact comes with its properties only when the app may read contacts; otherwise, as Graph
 * does, with its type and id and every other property null.
 */
export function directoryObjectSerializer(ctx: GraphContext): (o: DirectoryObject) => Record<string, unknown> {
  const select = parseSelect(ctx.query.$select);
  const readsContacts = hasAnyPermission(ctx.claims, perms.contactRead);
  return (o) =>
    o.kind === 'user'
      ? { '@odata.type': '#microsoft.graph.user', ...userJson(ctx.tenant, o.user, { version: ctx.version, select }) }
      : o.kind === 'group'
        ? { '@odata.type': '#microsoft.graph.group', ...groupJson(o.group, { full: !!select }) }
        : { '@odata.type': '#microsoft.graph.orgContact', ...(readsContacts ? contactJson(o.contact) : limitedContactJson(o.contact)) };
}

/** What $filter, $orderby and $search read for a directory object in a directoryObject collection. */
export function directoryObjectFilterView(t: TenantState, o: DirectoryObject): Record<string, unknown> {
  return o.kind === 'user' ? userFilterView(t, o.user) : o.kind === 'group' ? groupJson(o.group, { full: true }) : contactJson(o.contact);
}

/** `$metadata#…` context URL for a response. */
export function contextUrl(ctx: GraphContext, suffix: string): string {
  return `${ctx.baseUrl}/$metadata#${suffix}`;
}
