// Numbered SQL migrations (migrations/NNN_name.sql), applied in order at start, each in its own
// transaction and recorded in tenantflow_migrations. An advisory lock keeps two processes from
// migrating at once.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';

const dir = join(import.meta.dirname, 'migrations');

export function migrationFiles(): Array<{ version: number; name: string; sql: string }> {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: readFileSync(join(dir, f), 'utf8') }));
}

export async function runMigrations(db: Kysely<any>): Promise<number[]> {
  const applied: number[] = [];
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(727274)`.execute(conn);
    try {
      await sql`create table if not exists tenantflow_migrations (version int primary key, name text not null, applied_at timestamptz not null default now())`.execute(conn);
      const done = new Set((await sql<{ version: number }>`select version from tenantflow_migrations`.execute(conn)).rows.map((r) => r.version));
      for (const m of migrationFiles()) {
        if (done.has(m.version)) continue;
        await conn.transaction().execute(async (trx) => {
          await sql.raw(m.sql).execute(trx);
          await sql`insert into tenantflow_migrations (version, name) values (${m.version}, ${m.name})`.execute(trx);
        });
        applied.push(m.version);
      }
    } finally {
      await sql`select pg_advisory_unlock(727274)`.execute(conn);
    }
  });
  return applied;
}
