// The directory a scheduled pass reads, kept between passes so a pass fetches only what changed.
// Per tenant and $select set it holds the users of the last fetch and the @odata.deltaLink that
// continues from them. A pass follows that link (Microsoft Graph's /users/delta) and applies the
// round: changed and new users replace or join their record, `@removed` ones leave. The first
// fetch, and any fetch whose token the service refuses (syncStateNotFound, resyncRequired, 410 —
// tokens expire after seven days, and a tenant reset voids them), is a full one: a "sync from
// now" deltaLink ($deltatoken=latest) taken first, then the paged listing fetchDirectory does, so
// a change made between the two is replayed by the next round rather than lost. The result is
// the same user set, with the same values, as a full fetch. Held in memory, in this process.
import { isAppError } from '../core/errors.ts';
import type { GraphPort } from '../m365/actions/ports.ts';
import { fetchDirectory, type DirectoryUser } from './directory.ts';

export interface DirectoryFetch {
  users: DirectoryUser[];
  /** `full`: every user listed; `delta`: one delta round applied to the kept copy. */
  mode: 'full' | 'delta';
  /** Users received: all of them for a full fetch, the changed and removed ones for a delta round. */
  received: number;
  /** Why a full fetch: nothing kept yet, or the service refused the kept token. */
  reason?: 'first' | 'tokenRefused';
}

interface DeltaPage {
  value?: Array<Record<string, unknown>>;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

interface Copy {
  users: Map<string, DirectoryUser>;
  deltaLink: string;
}

/** Graph's answers to a delta token it can no longer use; the fix is a full synchronization. */
const RESYNC_CODES = new Set(['syncStateNotFound', 'syncStateInvalid', 'resyncRequired']);

/** A round that cannot be continued (a page with neither link): handled like a refused token. */
class BrokenRound extends Error {}

function tokenRefused(e: unknown): boolean {
  if (e instanceof BrokenRound) return true;
  if (!isAppError(e) || !e.details) return false;
  return e.details.status === 410 || (e.details.status === 400 && RESYNC_CODES.has(String(e.details.graphCode)));
}

/** The key of `item` a selected name means: the name itself, else the same name in another case. */
function keyOf(item: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(item, name)) return name;
  const lower = name.toLowerCase();
  for (const k in item) if (k.toLowerCase() === lower) return k;
  return undefined;
}

/**
 * A delta item as the listing would return it: exactly the selected properties, in $select order.
 * Graph leaves out of a delta item a property that was never set; the listing shows it as null.
 */
function asListed(item: Record<string, unknown>, select: readonly string[]): DirectoryUser {
  const out: Record<string, unknown> = {};
  for (const name of select) {
    const k = keyOf(item, name);
    out[k ?? name] = k === undefined ? null : item[k];
  }
  return out as DirectoryUser;
}

export class DirectorySync {
  private readonly copies = new Map<string, Map<string, Copy>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly maxSelectsPerTenant: number;

  constructor(opts: { maxSelectsPerTenant?: number } = {}) {
    this.maxSelectsPerTenant = opts.maxSelectsPerTenant ?? 4;
  }

  /**
   * Every user of the tenant with the `select` properties (which must include `id`). The returned
   * records are shared with the kept copy: read them, do not change them.
   */
  fetch(tenantId: string, graph: GraphPort, select: string[]): Promise<DirectoryFetch> {
    const key = `${tenantId}\n${select.join(',')}`;
    // One round at a time per copy: two at once would apply the same changes to it twice.
    const run = (this.queues.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => this.fetchNow(tenantId, graph, select));
    this.queues.set(key, run);
    void run.finally(() => { if (this.queues.get(key) === run) this.queues.delete(key); }).catch(() => undefined);
    return run;
  }

  /** Drops what is kept for a tenant (or every tenant): the next fetch is a full one. */
  forget(tenantId?: string): void {
    if (tenantId === undefined) this.copies.clear();
    else this.copies.delete(tenantId);
  }

  private async fetchNow(tenantId: string, graph: GraphPort, select: string[]): Promise<DirectoryFetch> {
    if (!select.some((s) => s.toLowerCase() === 'id')) {
      const users = await fetchDirectory(graph, select);
      return { users, mode: 'full', received: users.length, reason: 'first' };
    }
    const selectKey = select.join(',');
    const kept = this.copies.get(tenantId)?.get(selectKey);
    if (kept) {
      try {
        const received = await this.applyRound(graph, kept, select);
        this.keep(tenantId, selectKey, kept);
        return { users: [...kept.users.values()], mode: 'delta', received };
      } catch (e) {
        if (!tokenRefused(e)) throw e;
        this.copies.get(tenantId)?.delete(selectKey);
        return this.full(tenantId, graph, select, 'tokenRefused');
      }
    }
    return this.full(tenantId, graph, select, 'first');
  }

  private async full(tenantId: string, graph: GraphPort, select: string[], reason: 'first' | 'tokenRefused'): Promise<DirectoryFetch> {
    // The token first: whatever changes while the listing runs comes again in the next round.
    let latest: DeltaPage | undefined;
    try {
      latest = await graph.get<DeltaPage>('/users/delta', { query: { $select: select.join(','), $deltatoken: 'latest' } });
    } catch (e) {
      // A service that refuses delta queries still gets full fetches; only passing trouble stops the pass.
      if (!isAppError(e) || e.errorClass !== 'user') throw e;
    }
    const users = await fetchDirectory(graph, select);
    const deltaLink = latest?.['@odata.deltaLink'];
    if (typeof deltaLink === 'string' && deltaLink) {
      this.keep(tenantId, select.join(','), { users: new Map(users.map((u) => [u.id, u])), deltaLink });
    }
    return { users, mode: 'full', received: users.length, reason };
  }

  /** Follows the kept deltaLink to the end of its round, then applies the round (all or nothing). */
  private async applyRound(graph: GraphPort, copy: Copy, select: string[]): Promise<number> {
    const items: Array<Record<string, unknown>> = [];
    let url = copy.deltaLink;
    let deltaLink: string | undefined;
    while (deltaLink === undefined) {
      const page: DeltaPage = (await graph.get<DeltaPage | undefined>(url)) ?? {};
      if (Array.isArray(page.value)) items.push(...page.value);
      if (typeof page['@odata.nextLink'] === 'string' && page['@odata.nextLink']) url = page['@odata.nextLink'];
      else if (typeof page['@odata.deltaLink'] === 'string' && page['@odata.deltaLink']) deltaLink = page['@odata.deltaLink'];
      else throw new BrokenRound('A delta page carried neither @odata.nextLink nor @odata.deltaLink.');
    }
    for (const item of items) {
      const id = item.id;
      if (typeof id !== 'string') continue;
      if (item['@removed'] !== undefined) copy.users.delete(id);
      else copy.users.set(id, asListed(item, select));
    }
    copy.deltaLink = deltaLink;
    return items.length;
  }

  private keep(tenantId: string, selectKey: string, copy: Copy): void {
    let byTenant = this.copies.get(tenantId);
    if (!byTenant) this.copies.set(tenantId, (byTenant = new Map()));
    // Most recently used last; the oldest $select set goes when there are too many.
    byTenant.delete(selectKey);
    byTenant.set(selectKey, copy);
    while (byTenant.size > this.maxSelectsPerTenant) byTenant.delete(byTenant.keys().next().value as string);
  }
}
