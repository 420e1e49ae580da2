// What one Graph request costs against Microsoft's identity & access throttling budget (reference
// C2): base resource units by resource, write units for mutations, and the query modifiers.
// Requests outside identity & access (mail, Teams, lifecycle workflows) cost nothing here; they
// count only toward the per-app request budget.

export interface GraphCharge {
  /** Whether the identity & access (Entra directory) budget applies. */
  identity: boolean;
  /** Resource units (identity only). */
  ru: number;
  /** Write units (identity mutations). */
  writes: number;
}

const identityRoots = new Set([
  'users', 'groups', 'applications', 'serviceprincipals', 'devices', 'directoryobjects', 'subscribedskus',
  'organization', 'directoryroles', 'directoryroletemplates', 'domains', 'contacts', 'contracts',
  'oauth2permissiongrants', 'me', 'administrativeunits', 'directory', 'invitations',
]);

// Sub-resources of a user served by other workloads (Exchange, OneDrive, Teams), not the directory.
const nonIdentityChildren = new Set([
  'messages', 'mailfolders', 'sendmail', 'mailboxsettings', 'calendar', 'calendars', 'events', 'drive',
  'drives', 'onenote', 'joinedteams', 'chats', 'teamwork', 'outlook', 'inferenceclassification', 'todo',
  'insights', 'presence', 'team', 'channels', 'planner', 'sites', 'photo', 'photos',
]);

const childCosts: Record<string, number> = {
  members: 3,
  transitivemembers: 5,
  memberof: 2,
  transitivememberof: 2,
  licensedetails: 2,
  ownedobjects: 2,
  checkmembergroups: 4,
  getbyids: 3,
};

// POST actions that only read; they cost resource units but no write units.
const readActions = new Set(['checkmembergroups', 'checkmemberobjects', 'getmembergroups', 'getmemberobjects', 'getbyids', 'validateproperties', 'delta']);

const writeMethods = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * `path` is relative to the version (`/users/{id}/memberOf`), `query` the request's query
 * parameters.
 */
export function graphRequestCost(method: string, path: string, query: { get(name: string): string | null }): GraphCharge {
  const segments = path.split('/').filter(Boolean).map((s) => decodeSafe(s).toLowerCase().replace(/^microsoft\.graph\./, ''));
  const root = segments[0] ?? '';
  if (!identityRoots.has(root) || segments.some((s, i) => i > 0 && nonIdentityChildren.has(s))) {
    return { identity: false, ru: 0, writes: 0 };
  }
  const named = segments.filter((s) => !s.startsWith('$'));
  const last = named[named.length - 1] ?? root;
  const upper = method.toUpperCase();
  const isReadAction = upper === 'POST' && readActions.has(last);
  if (writeMethods.has(upper) && !isReadAction) return { identity: true, ru: 1, writes: 1 };

  let base = 1;
  if (named.length >= 3 && childCosts[last] !== undefined) base = childCosts[last]!;
  else if (isReadAction && childCosts[last] !== undefined) base = childCosts[last]!;
  else if (root === 'subscribedskus') base = 3;
  else if ((root === 'users' || root === 'applications') && named.length <= 2) base = 2;
  else if (root === 'me' && named.length === 2 && childCosts[last] !== undefined) base = childCosts[last]!;

  let cost = base;
  if (query.get('$select')) cost -= 1;
  if (query.get('$expand')) cost += 1;
  const top = Number(query.get('$top'));
  if (Number.isFinite(top) && top > 0 && top < 20) cost -= 1;
  return { identity: true, ru: Math.max(1, cost), writes: 0 };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
