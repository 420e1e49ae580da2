// Opens the system of record: embedded PGlite (data in the data dir) by default, a PostgreSQL
// server when DATABASE_URL is set. Both get the same Kysely API and the same migrations.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Database } from './schema.ts';
import { pglitePool, SessionLock } from './pglite-pool.ts';
import { runMigrations } from './migrate.ts';

export interface StoreOptions {
  /** postgres://… ; when absent the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** Where PGlite keeps its files; 'memory' for an in-memory database (tests). */
  dataDir?: string | undefined;
  /** Postgres schema to use (tests isolate themselves with a fresh one). */
  schema?: string | undefined;
  poolSize?: number;
}

export interface Store {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  /** The PGlite instance and its session lock, for pg-boss on the same database. */
  pglite?: { db: PGlite; lock: SessionLock };
  databaseUrl?: string;
  schema: string;
  close(): Promise<void>;
}

export async function openStore(opts: StoreOptions = {}): Promise<Store> {
  const schema = opts.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name '${schema}'.`);
  let store: Store;
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      ...(schema !== 'public' ? { options: `-c search_path=${schema},public` } : {}),
    });
    pool.on('error', () => {}); // an idle client's error must not crash the process; the next query reports it
    if (schema !== 'public') await pool.query(`create schema if not exists ${schema}`);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    store = { db, kind: 'postgres', databaseUrl: opts.databaseUrl, schema, close: () => db.destroy() };
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    const dir = opts.dataDir ?? './data';
    let pgl: PGlite;
    if (dir === 'memory') pgl = new PGlite();
    else {
      mkdirSync(dir, { recursive: true });
      pgl = new PGlite(join(dir, 'pglite'));
    }
    await pgl.waitReady;
    const lock = new SessionLock();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(pgl, lock) }) });
    store = { db, kind: 'pglite', pglite: { db: pgl, lock }, schema, close: async () => { await db.destroy(); await pgl.close(); } };
  }
  await runMigrations(store.db);
  return store;
}

/** Drops a test schema (real PostgreSQL only). */
export async function dropSchema(store: Store): Promise<void> {
  if (store.kind === 'postgres' && store.schema !== 'public') {
    await sql.raw(`drop schema if exists ${store.schema} cascade`).execute(store.db);
    // pg-boss keeps its tables in a sibling schema (see jobs/boss.ts).
    await sql.raw(`drop schema if exists ${store.schema}_pgboss cascade`).execute(store.db);
  }
}
