// One tenant in memory, with the indexes every handler needs. All mutation goes through here or
// through the plain arrays in `data`; call reindex() after bulk changes to the arrays.
import type { EmuGroup, EmuMailbox, EmuOrgContact, EmuSku, EmuUser, TenantData } from './model.ts';
import { UserChangeLog } from './user-changes.ts';

export class TenantState {
  data: TenantData;
  /** Objects created at (ms), for the read-after-create delay. */
  readonly createdAt = new Map<string, number>();
  /** Bumped on every mutation; derived views cache against it. */
  version = 0;
  /** Which users changed when, for /users/delta. Writes that change a user call userChanged(). */
  readonly changes = new UserChangeLog();
  private usersById = new Map<string, EmuUser>();
  private usersByName = new Map<string, EmuUser>();
  private groupsById = new Map<string, EmuGroup>();
  private mailboxesByUser = new Map<string, EmuMailbox>();
  private skusById = new Map<string, EmuSku>();
  private contactsById = new Map<string, EmuOrgContact>();

  constructor(data: TenantData) {
    this.data = data;
    this.reindex();
  }

  get id(): string {
    return this.data.id;
  }

  reindex(): void {
    this.usersById.clear();
    this.usersByName.clear();
    this.groupsById.clear();
    this.mailboxesByUser.clear();
    this.skusById.clear();
    this.contactsById.clear();
    this.data.orgContacts ??= [];
    for (const c of this.data.orgContacts) this.contactsById.set(c.id.toLowerCase(), c);
    for (const u of this.data.users) this.indexUser(u);
    for (const g of this.data.groups) this.groupsById.set(g.id, g);
    for (const m of this.data.mailboxes) this.mailboxesByUser.set(m.userId, m);
    for (const s of this.data.skus) this.skusById.set(s.skuId.toLowerCase(), s);
    this.changes.restart(this.data.users);
    this.touch();
  }

  /**
   * Records that a write changed `sources` of a user: model field names (`department`,
   * `managerId`, …), extension property names, or `licenses`.
   */
  userChanged(u: EmuUser, sources: Iterable<string>): void {
    this.changes.changed(u, sources);
  }

  touch(): void {
    this.version++;
  }

  private indexUser(u: EmuUser): void {
    this.usersById.set(u.id.toLowerCase(), u);
    this.usersByName.set(u.userPrincipalName.toLowerCase(), u);
  }

  /** Finds a user by object id or userPrincipalName (case-insensitive), as Graph's /users/{id|upn}. */
  user(idOrUpn: string): EmuUser | undefined {
    const k = idOrUpn.toLowerCase();
    return this.usersById.get(k) ?? this.usersByName.get(k);
  }

  /** Finds a user by id, UPN, primary mail or any proxy address (Exchange-style identity). */
  userByAnyAddress(identity: string): EmuUser | undefined {
    const direct = this.user(identity);
    if (direct) return direct;
    const k = identity.toLowerCase().replace(/^smtp:/, '');
    return this.data.users.find(
      (u) => u.mail?.toLowerCase() === k || u.mailNickname.toLowerCase() === k || u.proxyAddresses.some((p) => p.toLowerCase().replace(/^smtp:/, '') === k),
    );
  }

  addUser(u: EmuUser, now: number): void {
    this.data.users.push(u);
    this.indexUser(u);
    this.createdAt.set(u.id.toLowerCase(), now);
    this.changes.added(u);
    this.touch();
  }

  /** Takes a user out of the tenant (a soft delete: the caller keeps it in deletedItems). */
  removeUser(id: string): EmuUser | undefined {
    const u = this.user(id);
    if (!u) return undefined;
    this.data.users = this.data.users.filter((x) => x !== u);
    this.usersById.delete(u.id.toLowerCase());
    this.usersByName.delete(u.userPrincipalName.toLowerCase());
    this.changes.removed(u.id, 'changed');
    this.touch();
    return u;
  }

  /** Call after a user's UPN changes. */
  renameUser(u: EmuUser, oldUpn: string): void {
    this.usersByName.delete(oldUpn.toLowerCase());
    this.usersByName.set(u.userPrincipalName.toLowerCase(), u);
    this.touch();
  }

  group(id: string): EmuGroup | undefined {
    return this.groupsById.get(id.toLowerCase()) ?? this.groupsById.get(id);
  }

  addGroup(g: EmuGroup, now: number): void {
    this.data.groups.push(g);
    this.groupsById.set(g.id, g);
    this.createdAt.set(g.id.toLowerCase(), now);
    this.touch();
  }

  removeGroup(id: string): EmuGroup | undefined {
    const g = this.group(id);
    if (!g) return undefined;
    this.data.groups = this.data.groups.filter((x) => x !== g);
    this.groupsById.delete(g.id);
    this.touch();
    return g;
  }

  /** Mail contacts (Graph orgContacts). */
  get contacts(): EmuOrgContact[] {
    return (this.data.orgContacts ??= []);
  }

  contact(id: string): EmuOrgContact | undefined {
    return this.contactsById.get(id.toLowerCase());
  }

  /** What a member id names: a user, a group or a mail contact (undefined when it names nothing). */
  memberKind(id: string): 'user' | 'group' | 'orgContact' | undefined {
    if (this.user(id)) return 'user';
    if (this.group(id)) return 'group';
    if (this.contact(id)) return 'orgContact';
    return undefined;
  }

  mailbox(userId: string): EmuMailbox | undefined {
    return this.mailboxesByUser.get(userId);
  }

  addMailbox(m: EmuMailbox): void {
    this.data.mailboxes.push(m);
    this.mailboxesByUser.set(m.userId, m);
    this.touch();
  }

  removeMailbox(userId: string): EmuMailbox | undefined {
    const m = this.mailboxesByUser.get(userId);
    if (!m) return undefined;
    this.data.mailboxes = this.data.mailboxes.filter((x) => x !== m);
    this.mailboxesByUser.delete(userId);
    this.touch();
    return m;
  }

  sku(skuId: string): EmuSku | undefined {
    return this.skusById.get(skuId.toLowerCase());
  }

  /** True while a just-created object must still answer 404 (read-after-create delay). */
  isInvisible(id: string, now: number): boolean {
    const delay = this.data.controls.readAfterCreateDelayMs;
    if (!delay) return false;
    const t = this.createdAt.get(id.toLowerCase());
    return t !== undefined && now - t < delay;
  }

  /** Size class for Microsoft's identity throttling budgets: S < 50 users, M 50–500, L > 500. */
  sizeClass(): 'S' | 'M' | 'L' {
    const n = this.data.users.length;
    return n < 50 ? 'S' : n <= 500 ? 'M' : 'L';
  }

  hasDomain(domain: string): boolean {
    const d = domain.toLowerCase();
    return this.data.initialDomain.toLowerCase() === d || this.data.verifiedDomains.some((v) => v.toLowerCase() === d);
  }
}
