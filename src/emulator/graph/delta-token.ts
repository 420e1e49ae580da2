// Delta state tokens ($skiptoken in @odata.nextLink, $deltatoken in @odata.deltaLink). Microsoft's
// are opaque and carry the query of the round's first request; so do these: the tenant, the
// change-tracking epoch, the version and $select/$filter they were issued for, and where the
// round stands. They are signed with a key made at start-up, so a client cannot edit one and
// a token from another emulator process is refused like an expired one.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { GraphError } from './errors.ts';

const KEY = randomBytes(32);

/** Directory delta tokens live seven days (Microsoft's limit for directory objects). */
export const DELTA_TOKEN_LIFETIME_MS = 7 * 86_400_000;

export interface DeltaScope {
  /** Tenant id. */
  tenant: string;
  version: 'v1.0' | 'beta';
  /** Canonical $select names, or null for the version's default set (every property tracked). */
  select: string[] | null;
  /** Lower-cased object ids of an `id eq …` $filter, or null. */
  ids: string[] | null;
}

export interface DeltaState extends DeltaScope {
  kind: 'skip' | 'delta';
  epoch: string;
  /** Changes after this sequence are the round's; -1 for an initial round (every user). */
  since: number;
  /** The sequence when the round began: the next round's `since`. */
  upTo: number;
  /** Ordinal of the last item served in this round; -1 before the first page. */
  cursor: number;
  /** Issued at (ms). */
  iat: number;
}

function sign(payload: string): string {
  return createHmac('sha256', KEY).update(payload).digest().subarray(0, 16).toString('base64url');
}

export function encodeDeltaToken(s: DeltaState): string {
  const payload = Buffer.from(JSON.stringify([s.kind, s.tenant, s.epoch, s.version, s.select, s.ids, s.since, s.upTo, s.cursor, s.iat])).toString('base64url');
  return `${payload}.${sign(payload)}`;
}

/** The state a token carries, or undefined when it is not one this process issued intact. */
export function decodeDeltaToken(token: string): DeltaState | undefined {
  const dot = token.lastIndexOf('.');
  if (dot < 1) return undefined;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = Buffer.from(sign(payload), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const [kind, tenant, epoch, version, select, ids, since, upTo, cursor, iat] = JSON.parse(Buffer.from(payload, 'base64url').toString()) as [
      DeltaState['kind'], string, string, DeltaState['version'], string[] | null, string[] | null, number, number, number, number,
    ];
    return { kind, tenant, epoch, version, select, ids, since, upTo, cursor, iat };
  } catch {
    return undefined;
  }
}

export const deltaErrors = {
  /** Microsoft's answer to an expired or unknown directory delta token. */
  syncStateNotFound: () =>
    new GraphError(400, 'syncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.'),
  /**
   * The tenant's state was replaced (reset, restore): 410 with a Location header holding the
   * initial request, as Microsoft's "synchronization reset".
   */
  resyncRequired: (location: string) =>
    new GraphError(410, 'resyncRequired', 'The delta token is no longer valid, and the app must reset the sync state.', { headers: { Location: location } }),
  unsupportedQuery: (option: string) =>
    new GraphError(400, 'Request_UnsupportedQuery', `The query option '${option}' is not supported with delta queries.`),
  unsupportedFilter: () =>
    new GraphError(400, 'Request_UnsupportedQuery', "Unsupported query filter for delta: only 'id eq' clauses joined by 'or' (at most 50) are supported."),
};
