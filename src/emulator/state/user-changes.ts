// Change tracking for users, which Graph's /users/delta reads. Each tenant has a change sequence
// that only grows; a write stamps the users it changed with the next number, per source (a model
// field such as `department`, or `licenses` for everything assignedLicenses is computed from), so
// a delta round finds "changed since S" without comparing any user with an old copy. Users also
// get an ordinal when they join the tenant: `data.users` is always in ordinal order (users are
// appended and removed, never moved), which lets a round page by ordinal and stay correct while
// users are created or deleted between its pages. Removed users leave a tombstone (soft-deleted:
// `changed`, restorable; purged: `deleted`). None of this is persisted: a reindex (seed load,
// reset, snapshot restore) starts a new epoch, and tokens from an older epoch are refused.
import { randomBytes } from 'node:crypto';
import type { EmuUser } from './model.ts';

export type RemovedReason = 'changed' | 'deleted';

export interface Tombstone {
  id: string;
  ordinal: number;
  seq: number;
  reason: RemovedReason;
}

interface Stamp {
  /** Sequence at which the user joined (created or restored) in this epoch; 0 for the epoch's first users. */
  created: number;
  /** Highest sequence of any change. */
  any: number;
  /** Highest sequence per source. */
  sources: Map<string, number>;
}

const key = (id: string) => id.toLowerCase();

export class UserChangeLog {
  /** Changes whenever the tenant's state is replaced wholesale; tokens carry it. */
  epoch = '';
  /** The last sequence number handed out in this epoch. */
  seq = 0;
  private nextOrdinal = 0;
  private readonly ordinals = new Map<string, number>();
  private readonly stamps = new Map<string, Stamp>();
  private readonly tombstones = new Map<string, Tombstone>();
  /** Per derived source (e.g. `licenses`): the fingerprint per user at the last reconcile. */
  private readonly baselines = new Map<string, Map<string, string>>();

  /** A new epoch: the users as they are now are the starting state, with nothing changed. */
  restart(users: readonly EmuUser[]): void {
    this.epoch = randomBytes(6).toString('base64url');
    this.seq = 0;
    this.nextOrdinal = 0;
    this.ordinals.clear();
    this.stamps.clear();
    this.tombstones.clear();
    this.baselines.clear();
    for (const u of users) this.ordinals.set(key(u.id), this.nextOrdinal++);
  }

  /** A user joined: created, or restored from deleted items (a new ordinal: it is appended to `data.users`). */
  added(u: EmuUser): void {
    const k = key(u.id);
    const seq = ++this.seq;
    this.ordinals.set(k, this.nextOrdinal++);
    this.stamps.set(k, { created: seq, any: seq, sources: new Map() });
    this.tombstones.delete(k);
  }

  /** A live user's sources changed. Users not (yet) in the tenant are ignored: joining stamps them. */
  changed(u: EmuUser, sources: Iterable<string>): void {
    const k = key(u.id);
    if (!this.ordinals.has(k)) return;
    const seq = ++this.seq;
    let s = this.stamps.get(k);
    if (!s) this.stamps.set(k, (s = { created: 0, any: seq, sources: new Map() }));
    s.any = seq;
    for (const src of sources) s.sources.set(src, seq);
  }

  /** A user left: soft-deleted (`changed`) or, for an id already gone, purged (`deleted`). */
  removed(id: string, reason: RemovedReason): void {
    const k = key(id);
    const ordinal = this.ordinals.get(k) ?? this.tombstones.get(k)?.ordinal ?? this.nextOrdinal++;
    this.ordinals.delete(k);
    this.stamps.delete(k);
    this.tombstones.set(k, { id, ordinal, seq: ++this.seq, reason });
  }

  /** The user's place in `data.users` order; -1 for a user this epoch does not know. */
  ordinal(u: EmuUser): number {
    return this.ordinals.get(key(u.id)) ?? -1;
  }

  /**
   * Whether the user changed after `since` in any of `sources` (undefined: in anything). A user
   * who joined after `since` always counts.
   */
  changedSince(u: EmuUser, since: number, sources: ReadonlySet<string> | undefined): boolean {
    const s = this.stamps.get(key(u.id));
    if (!s || s.any <= since) return false;
    if (s.created > since || !sources) return true;
    for (const src of sources) if ((s.sources.get(src) ?? 0) > since) return true;
    return false;
  }

  /** Users removed after `since`, in ordinal order. */
  removedSince(since: number): Tombstone[] {
    const out: Tombstone[] = [];
    for (const t of this.tombstones.values()) if (t.seq > since) out.push(t);
    return out.sort((a, b) => a.ordinal - b.ordinal);
  }

  /**
   * For values derived from other objects (licences inherited through groups): compares each
   * user's fingerprint with the last reconcile's and stamps `source` on those that differ. The
   * first call only records. Reconciling before every token that tracks `source` is issued or
   * used keeps such changes ordered like any other.
   */
  reconcile(source: string, users: readonly EmuUser[], fingerprint: (u: EmuUser) => string): void {
    const before = this.baselines.get(source);
    const now = new Map<string, string>();
    for (const u of users) {
      const fp = fingerprint(u);
      now.set(key(u.id), fp);
      if (before && before.get(key(u.id)) !== fp) this.changed(u, [source]);
    }
    this.baselines.set(source, now);
  }
}
