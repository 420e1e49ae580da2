// GET /users/delta (also /users/microsoft.graph.delta, with or without `()`), v1.0 and beta:
// Microsoft Graph's change tracking for users. A round is one or more pages: @odata.nextLink
// ($skiptoken) until the last page, which carries @odata.deltaLink ($deltatoken). The initial
// round returns every user; a round started from a deltaLink returns the users created or changed
// since that link was issued — only changes to the $select-ed properties count, as in Graph — and
// `{"id", "@removed": {"reason"}}` for users deleted since (`changed`: soft-deleted, restorable;
// `deleted`: purged). `$deltatoken=latest` answers an empty page with a deltaLink ("sync from
// now"). Pages hold at most 200 items (`Prefer: odata.maxpagesize` lowers that).
import type { EmuUser } from '../state/model.ts';
import type { TenantState } from '../state/tenant-state.ts';
import type { Tombstone } from '../state/user-changes.ts';
import { memberIdsOf } from '../state/derived.ts';
import { GraphError } from './errors.ts';
import { decodeDeltaToken, DELTA_TOKEN_LIFETIME_MS, deltaErrors, encodeDeltaToken, type DeltaScope, type DeltaState } from './delta-token.ts';
import { perms, type EmuResponse, type GraphContext, type GraphRoute } from './route.ts';
import { userRenderer } from './serialize-user.ts';
import { selectedNames } from './user-response.ts';

const MAX_PAGE = 200;
const MAX_FILTER_IDS = 50;
const UNSUPPORTED_OPTIONS = ['$top', '$orderby', '$expand', '$search', '$count', '$skip'];
const NAVIGATION = new Set(['directReports', 'memberOf', 'transitiveMemberOf', 'ownedObjects', 'licenseDetails']);
const USER_TYPE = '#microsoft.graph.user';

/**
 * The change sources (state/user-changes.ts) a selected property is computed from, where they are
 * not the property itself. Constant properties depend on nothing. licenseAssignmentStates depends
 * on nothing on purpose: Microsoft documents that changes to it are not tracked.
 */
const DEPENDS: Record<string, readonly string[]> = {
  id: [], deletedDateTime: [], aboutMe: [], authorizationInfo: [], birthday: [], customSecurityAttributes: [], hireDate: [],
  interests: [], isManagementRestricted: [], isResourceAccount: [], mailboxSettings: [], mySite: [], onPremisesProvisioningErrors: [],
  pastProjects: [], preferredName: [], provisionedPlans: [], responsibilities: [], schools: [], securityIdentifier: [],
  serviceProvisioningErrors: [], signInActivity: [], skills: [], licenseAssignmentStates: [],
  assignedLicenses: ['licenses'],
  assignedPlans: ['licenses', 'createdDateTime'],
  manager: ['managerId'],
  creationType: ['userType'],
  externalUserState: ['userType'],
  externalUserStateChangeDateTime: ['userType', 'createdDateTime'],
  identities: ['userPrincipalName'],
  imAddresses: ['mail', 'userType'],
  onPremisesDistinguishedName: ['displayName', 'onPremisesSyncEnabled'],
  onPremisesDomainName: ['onPremisesSyncEnabled'],
  onPremisesLastSyncDateTime: ['onPremisesSyncEnabled', 'signInSessionsValidFromDateTime'],
  onPremisesSamAccountName: ['onPremisesSamAccountName', 'onPremisesSyncEnabled', 'mailNickname'],
  onPremisesSecurityIdentifier: ['onPremisesSyncEnabled'],
  onPremisesUserPrincipalName: ['onPremisesSyncEnabled', 'userPrincipalName'],
};

/** Sources a $select tracks; undefined without $select (every property is tracked). */
function trackedSources(select: readonly string[] | null): Set<string> | undefined {
  if (!select) return undefined;
  const out = new Set<string>();
  for (const name of select) for (const src of DEPENDS[name] ?? [name]) out.add(src);
  return out;
}

/**
 * Licences inherited through groups change without a write to the user (membership, the group's
 * licences, a dynamic rule, a group deleted or restored); they are reconciled against the last
 * fingerprint whenever a round that tracks them starts or goes on.
 */
function reconcileLicences(t: TenantState): void {
  const inherited = new Map<string, string[]>();
  for (const g of t.data.groups) {
    if (!g.assignedLicenses.length) continue;
    const part = g.assignedLicenses.map((l) => `${l.skuId}/${l.disabledPlans.join(',')}`).join(';');
    for (const id of memberIdsOf(t, g)) {
      const list = inherited.get(id);
      if (list) list.push(part);
      else inherited.set(id, [part]);
    }
  }
  t.changes.reconcile('licenses', t.data.users, (u) =>
    `${u.directLicenses.map((l) => `${l.skuId}/${l.disabledPlans.join(',')}`).join(';')}|${(inherited.get(u.id) ?? []).join('|')}`);
}

function lowerKeys(q: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) out[k.toLowerCase()] = v;
  return out;
}

/** `id eq '…' or id eq '…'` (at most 50) → lower-cased ids. Nothing else filters a delta query. */
function parseIdFilter(raw: string): string[] {
  const parts = raw.split(/\s+or\s+/i);
  if (parts.length > MAX_FILTER_IDS) throw deltaErrors.unsupportedFilter();
  return parts.map((p) => {
    const m = /^\s*\(?\s*id\s+eq\s+'([^']+)'\s*\)?\s*$/i.exec(p);
    if (!m) throw deltaErrors.unsupportedFilter();
    return m[1]!.toLowerCase();
  });
}

function sameList(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((x, i) => x.toLowerCase() === b[i]!.toLowerCase());
}

/** `Prefer: odata.maxpagesize=N` (1..200); anything else leaves Graph's page size. */
function pageSize(prefer: string | undefined): { size: number; applied: boolean } {
  const m = /(?:^|[,;\s])odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer ?? '');
  const n = m ? Number(m[1]) : NaN;
  return Number.isInteger(n) && n >= 1 ? { size: Math.min(n, MAX_PAGE), applied: true } : { size: MAX_PAGE, applied: false };
}

/** Index of the first user whose ordinal is above `cursor` (data.users is in ordinal order). */
function firstAfter(t: TenantState, cursor: number): number {
  const users = t.data.users;
  let lo = 0, hi = users.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.changes.ordinal(users[mid]!) > cursor) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function queryString(scope: DeltaScope): string {
  const params: string[] = [];
  if (scope.select) params.push(`$select=${encodeURIComponent(scope.select.join(','))}`);
  if (scope.ids) params.push(`$filter=${encodeURIComponent(scope.ids.map((id) => `id eq '${id}'`).join(' or '))}`);
  return params.join('&');
}

type Item = { ordinal: number; user: EmuUser; gone?: undefined } | { ordinal: number; user?: undefined; gone: Tombstone };

/** The next page of the round: users (and, after the initial round, tombstones) in ordinal order. */
function page(t: TenantState, state: DeltaState, size: number): { items: Item[]; more: boolean } {
  const { since, cursor } = state;
  const ids = state.ids ? new Set(state.ids) : undefined;
  const sources = trackedSources(state.select);
  const users = t.data.users;
  const wanted = (u: EmuUser) => (!ids || ids.has(u.id.toLowerCase())) && (since < 0 || t.changes.changedSince(u, since, sources));
  const gone = since < 0 ? [] : t.changes.removedSince(since).filter((x) => x.ordinal > cursor && (!ids || ids.has(x.id.toLowerCase())));
  const items: Item[] = [];
  let i = firstAfter(t, cursor), j = 0;
  while (items.length <= size) {
    while (i < users.length && !wanted(users[i]!)) i++;
    const u = users[i], g = gone[j];
    if (!u && !g) break;
    const uo = u ? t.changes.ordinal(u) : Infinity;
    if (g && g.ordinal < uo) {
      items.push({ ordinal: g.ordinal, gone: g });
      j++;
    } else {
      items.push({ ordinal: uo, user: u! });
      i++;
    }
  }
  const more = items.length > size;
  if (more) items.length = size;
  return { items, more };
}

function usersDelta(ctx: GraphContext): EmuResponse {
  const t = ctx.tenant;
  const q = lowerKeys(ctx.query);
  for (const opt of UNSUPPORTED_OPTIONS) if (q[opt] !== undefined) throw deltaErrors.unsupportedQuery(opt);
  const select = q.$select !== undefined ? selectedNames(ctx, q.$select) ?? null : null;
  for (const name of select ?? []) {
    if (NAVIGATION.has(name)) throw new GraphError(400, 'Request_UnsupportedQuery', `The property '${name}' cannot be selected in a delta query; only manager is tracked among navigation properties.`);
  }
  const ids = q.$filter !== undefined ? parseIdFilter(q.$filter) : null;
  const base = `${ctx.baseUrl}${ctx.path}`;
  const { size, applied } = pageSize(ctx.headers.prefer);

  let state: DeltaState;
  const deltaToken = q.$deltatoken, skipToken = q.$skiptoken;
  const startRound = (scope: DeltaScope, since: number): DeltaState => {
    if (!scope.select || scope.select.includes('assignedLicenses') || scope.select.includes('assignedPlans')) reconcileLicences(t);
    return { ...scope, kind: 'skip', epoch: t.changes.epoch, since, upTo: t.changes.seq, cursor: -1, iat: ctx.now };
  };
  if (deltaToken !== undefined && skipToken !== undefined) {
    throw new GraphError(400, 'Request_BadRequest', 'A delta request carries either $deltatoken or $skiptoken, not both.');
  }
  if (deltaToken === 'latest') {
    // Sync from now: no data, a deltaLink at the current state.
    const s = startRound({ tenant: t.id, version: ctx.version, select, ids }, -1);
    const link = encodeDeltaToken({ ...s, kind: 'delta', since: s.upTo });
    return { status: 200, body: { '@odata.context': contextUrl(ctx, select), '@odata.deltaLink': `${base}?$deltatoken=${link}`, value: [] } };
  }
  if (deltaToken !== undefined || skipToken !== undefined) {
    const tok = decodeDeltaToken((skipToken ?? deltaToken)!);
    const kind = skipToken !== undefined ? 'skip' : 'delta';
    if (!tok || tok.kind !== kind || tok.tenant !== t.id || tok.version !== ctx.version || ctx.now - tok.iat > DELTA_TOKEN_LIFETIME_MS) throw deltaErrors.syncStateNotFound();
    // The token carries its query; one sent beside it must be the same query.
    if ((q.$select !== undefined && !sameList(select, tok.select)) || (q.$filter !== undefined && !sameList(ids, tok.ids))) throw deltaErrors.syncStateNotFound();
    if (tok.epoch !== t.changes.epoch) {
      const qs = queryString(tok);
      throw deltaErrors.resyncRequired(qs ? `${base}?${qs}` : base);
    }
    if (tok.kind === 'delta') state = startRound(tok, tok.since);
    else {
      if (!tok.select || tok.select.includes('assignedLicenses') || tok.select.includes('assignedPlans')) reconcileLicences(t);
      state = tok;
    }
  } else {
    state = startRound({ tenant: t.id, version: ctx.version, select, ids }, -1);
  }

  const { items, more } = page(t, state, size);
  const withManager = state.select?.includes('manager') ?? false;
  const render = userRenderer(ctx.version, state.select ? state.select.filter((n) => n !== 'manager') : undefined);
  const value = items.map((it): Record<string, unknown> => {
    if (it.gone) return { id: it.gone.id, '@removed': { reason: it.gone.reason } };
    const json = render(t, it.user, null);
    // Graph always returns id from a delta query, selected or not.
    if (!('id' in json)) json.id = it.user.id;
    if (withManager) json['manager@delta'] = it.user.managerId ? [{ '@odata.type': USER_TYPE, id: it.user.managerId }] : [];
    return json;
  });
  const body: Record<string, unknown> = { '@odata.context': contextUrl(ctx, state.select) };
  if (more) {
    body['@odata.nextLink'] = `${base}?$skiptoken=${encodeDeltaToken({ ...state, kind: 'skip', cursor: items[items.length - 1]!.ordinal, iat: state.iat })}`;
  } else {
    body['@odata.deltaLink'] = `${base}?$deltatoken=${encodeDeltaToken({ ...state, kind: 'delta', since: state.upTo, cursor: -1, iat: ctx.now })}`;
  }
  body.value = value;
  return { status: 200, body, ...(applied ? { headers: { 'Preference-Applied': `odata.maxpagesize=${size}` } } : {}) };
}

function contextUrl(ctx: GraphContext, select: readonly string[] | null): string {
  return `${ctx.baseUrl}/$metadata#users${select ? `(${select.join(',')})` : ''}`;
}

const paths = ['/users/delta', '/users/delta()', '/users/microsoft.graph.delta', '/users/microsoft.graph.delta()'];

export const routes: GraphRoute[] = paths.map((path) => ({ method: 'GET', path, permissions: perms.userRead, cost: 2, handler: usersDelta }));
