// What the user routes share: finding the user a path names, reading $select and $expand, and
// turning users into response JSON with their expanded manager, direct reports or groups.
import type { AccessClaims } from '../auth/tokens.ts';
import { groupsOfUser } from '../state/derived.ts';
import type { EmuUser } from '../state/model.ts';
import { graphErrors } from './errors.ts';
import { expandedNames, parseSelect } from './collection.ts';
import { userSpec } from './odata/entities.ts';
import { canonicalName, queryErrors } from './odata/query-rules.ts';
import type { GraphContext } from './route.ts';
import { groupJson } from './serialize-group.ts';
import { userRenderer } from './serialize-user.ts';

const USER_TYPE = '#microsoft.graph.user';

/** Whether the token carries any of the permissions, as an app role or a delegated scope. */
export function hasAnyPermission(claims: AccessClaims, perms: readonly string[]): boolean {
  const scopes = claims.scp ? claims.scp.split(' ') : [];
  return perms.some((p) => claims.roles.includes(p) || scopes.includes(p));
}

/** The user a path names (object id or UPN, `#EXT#` included); 404 while it is still replicating. */
export function findUser(ctx: GraphContext, idOrUpn = ctx.params.id ?? ''): EmuUser {
  const u = ctx.tenant.user(idOrUpn);
  if (!u || ctx.tenant.isInvisible(u.id, ctx.now)) throw graphErrors.notFound(idOrUpn);
  return u;
}

/** $select as Graph spells the names; unknown names are the client's mistake. */
export function selectedNames(ctx: GraphContext, raw = ctx.query.$select): string[] | undefined {
  const list = parseSelect(raw);
  return list?.map((n) => canonicalName(userSpec, n));
}

const EXPANDABLE = new Set(['manager', 'directReports', 'memberOf']);

interface Expansion {
  name: 'manager' | 'directReports' | 'memberOf';
  select: string[] | undefined;
}

function parseExpand(ctx: GraphContext): Expansion[] {
  const raw = ctx.query.$expand;
  if (!raw) return [];
  return expandedNames(raw).map((name) => {
    const canonical = canonicalName(userSpec, name);
    if (!EXPANDABLE.has(canonical)) throw queryErrors.unknownProperty(userSpec, name);
    const inner = new RegExp(`${name}\\s*\\(([^)]*)\\)`, 'i').exec(raw)?.[1] ?? '';
    const sel = /\$select=([^;]*)/i.exec(inner)?.[1];
    return { name: canonical as Expansion['name'], select: sel ? selectedNames(ctx, sel) : undefined };
  });
}

/** `users/$entity` or `users(a,b)/$entity`. */
export function entityContext(ctx: GraphContext, select: string[] | undefined): string {
  return `${ctx.baseUrl}/$metadata#users${select ? `(${select.join(',')})` : ''}/$entity`;
}

/** A serializer for one request: $select, the version's default set, and any $expand. */
export function userSerializer(ctx: GraphContext, opts: { typed?: boolean; deletedDateTime?: (u: EmuUser) => string | null } = {}): (u: EmuUser) => Record<string, unknown> {
  const t = ctx.tenant;
  const version = ctx.version;
  const select = selectedNames(ctx);
  const expansions = parseExpand(ctx);
  let reportsOf: Map<string, EmuUser[]> | undefined;
  const reports = (id: string) => {
    if (!reportsOf) {
      reportsOf = new Map();
      for (const x of t.data.users) {
        if (!x.managerId) continue;
        const list = reportsOf.get(x.managerId);
        if (list) list.push(x);
        else reportsOf.set(x.managerId, [x]);
      }
    }
    return reportsOf.get(id) ?? [];
  };
  const typedUser = (x: EmuUser, sel: string[] | undefined) => userRenderer(version, sel)(t, x, null, USER_TYPE);
  const render = userRenderer(version, select);
  const odataType = opts.typed ? USER_TYPE : undefined;
  return (u) => {
    const json = render(t, u, opts.deletedDateTime?.(u) ?? null, odataType);
    for (const e of expansions) {
      if (e.name === 'manager') {
        const m = u.managerId ? t.user(u.managerId) : undefined;
        if (m) json.manager = typedUser(m, e.select);
      } else if (e.name === 'directReports') {
        json.directReports = reports(u.id).map((r) => typedUser(r, e.select));
      } else {
        json.memberOf = groupsOfUser(t, u).map((g) => ({ '@odata.type': '#microsoft.graph.group', ...groupJson(g, { full: false }) }));
      }
    }
    return json;
  };
}
