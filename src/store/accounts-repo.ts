// Accounts, sessions and API tokens. Passwords are scrypt-hashed; session and API tokens are
// stored only as SHA-256 digests, so a database leak yields no usable credential.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { newId, randomToken, sha256Hex } from '../core/ids.ts';
import type { Database } from './schema.ts';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: { N: number; r: number; p: number }) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1 };

export const roles = ['technician', 'reviewer', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface Account {
  id: string;
  username: string;
  role: Role;
  tenants: string[];
  disabled: boolean;
  createdAt: Date;
  /** Where review notifications are mailed, when mail is configured; optional. */
  email: string | null;
}

export async function hashPassword(pw: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pw, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(pw: string, stored: string): Promise<boolean> {
  const [kind, n, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !n || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const got = await scrypt(pw, Buffer.from(salt, 'base64url'), expected.length, { ...SCRYPT, N: Number(n) });
  return timingSafeEqual(expected, got);
}

function toAccount(r: { id: string; username: string; role: string; tenants: string[]; disabled: boolean; created_at: Date; email: string | null }): Account {
  return { id: r.id, username: r.username, role: r.role as Role, tenants: r.tenants, disabled: r.disabled, createdAt: r.created_at, email: r.email };
}

export class AccountsRepo {
  private readonly db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('accounts').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    return r.n;
  }

  async create(input: { username: string; password: string; role: Role; tenants: string[]; email?: string | null }): Promise<Account> {
    const row = await this.db.insertInto('accounts').values({
      id: newId(), username: input.username, password_hash: await hashPassword(input.password), role: input.role, tenants: input.tenants,
      email: input.email ?? null,
    }).returningAll().executeTakeFirstOrThrow();
    return toAccount(row);
  }

  async update(id: string, patch: { password?: string; role?: Role; tenants?: string[]; disabled?: boolean; email?: string | null }): Promise<Account | undefined> {
    const row = await this.db.updateTable('accounts').set({
      ...(patch.password !== undefined ? { password_hash: await hashPassword(patch.password) } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.tenants !== undefined ? { tenants: patch.tenants } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
      ...(patch.email !== undefined ? { email: patch.email } : {}),
      updated_at: sql`now()`,
    }).where('id', '=', id).returningAll().executeTakeFirst();
    if (row && patch.disabled) await this.db.deleteFrom('sessions').where('account_id', '=', id).execute();
    return row ? toAccount(row) : undefined;
  }

  async list(): Promise<Account[]> {
    return (await this.db.selectFrom('accounts').selectAll().orderBy('username').execute()).map(toAccount);
  }

  async byId(id: string): Promise<Account | undefined> {
    const r = await this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toAccount(r) : undefined;
  }

  async byUsername(username: string): Promise<Account | undefined> {
    const r = await this.db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
    return r ? toAccount(r) : undefined;
  }

  /** The account when the password is right and the account enabled; otherwise undefined. */
  async authenticate(username: string, password: string): Promise<Account | undefined> {
    const r = await this.db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
    if (!r) {
      await hashPassword(password); // same cost either way, so timing does not reveal usernames
      return undefined;
    }
    if (r.disabled || !(await verifyPassword(password, r.password_hash))) return undefined;
    return toAccount(r);
  }

  async createSession(accountId: string, ttlHours = 12): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
    const token = randomToken(32);
    const csrfToken = randomToken(24);
    const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
    await this.db.insertInto('sessions').values({ token_hash: sha256Hex(token), account_id: accountId, csrf_token: csrfToken, expires_at: expiresAt }).execute();
    return { token, csrfToken, expiresAt };
  }

  async session(token: string): Promise<{ account: Account; csrfToken: string } | undefined> {
    const r = await this.db.selectFrom('sessions').innerJoin('accounts', 'accounts.id', 'sessions.account_id')
      .select(['accounts.id', 'accounts.username', 'accounts.role', 'accounts.tenants', 'accounts.disabled', 'accounts.created_at', 'accounts.email', 'sessions.csrf_token'])
      .where('sessions.token_hash', '=', sha256Hex(token)).where('sessions.expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
    if (!r || r.disabled) return undefined;
    return { account: toAccount(r), csrfToken: r.csrf_token };
  }

  async deleteSession(token: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', sha256Hex(token)).execute();
  }

  async createApiToken(accountId: string, name: string): Promise<{ id: string; token: string }> {
    const token = `tfp_${randomToken(32)}`;
    const id = newId();
    await this.db.insertInto('api_tokens').values({ id, account_id: accountId, token_hash: sha256Hex(token), name }).execute();
    return { id, token };
  }

  async apiToken(token: string): Promise<Account | undefined> {
    const r = await this.db.selectFrom('api_tokens').innerJoin('accounts', 'accounts.id', 'api_tokens.account_id')
      .select(['accounts.id', 'accounts.username', 'accounts.role', 'accounts.tenants', 'accounts.disabled', 'accounts.created_at', 'accounts.email', 'api_tokens.id as token_id'])
      .where('api_tokens.token_hash', '=', sha256Hex(token))
      .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', sql<Date>`now()`)]))
      .executeTakeFirst();
    if (!r || r.disabled) return undefined;
    await this.db.updateTable('api_tokens').set({ last_used_at: sql`now()` }).where('id', '=', r.token_id).execute();
    return toAccount(r);
  }
}
