import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openStore, dropSchema } from '../../src/store/db.ts';
import { migrationFiles } from '../../src/store/migrate.ts';
import { runMigrations } from '../../src/store/migrate.ts';

const backends = [{ name: 'pglite', url: undefined as string | undefined }];
if (process.env.DATABASE_URL) backends.push({ name: 'postgres', url: process.env.DATABASE_URL });

for (const b of backends) {
  test(`${b.name}: migrations run once, in order, and are recorded`, async () => {
    const store = await openStore({ databaseUrl: b.url, dataDir: 'memory', schema: `t_store_${process.pid}` });
    try {
      const rows = await sql<{ version: number }>`select version from tenantflow_migrations order by version`.execute(store.db);
      assert.deepEqual(rows.rows.map((r) => r.version), migrationFiles().map((m) => m.version));
      assert.deepEqual(await runMigrations(store.db), [], 'a second start applies nothing');
      const t = await sql<{ n: number }>`select count(*)::int as n from runs`.execute(store.db);
      assert.equal(t.rows[0]!.n, 0);
    } finally {
      await dropSchema(store);
      await store.close();
    }
  });

  test(`${b.name}: a transaction is isolated from concurrent statements`, async () => {
    const store = await openStore({ databaseUrl: b.url, dataDir: 'memory', schema: `t_store_tx_${process.pid}` });
    try {
      await store.db.insertInto('accounts').values({ id: '00000000-0000-4000-8000-000000000001', username: 'a', password_hash: 'x', role: 'admin', tenants: [] }).execute();
      const inTx = store.db.transaction().execute(async (trx) => {
        await trx.updateTable('accounts').set({ username: 'b' }).execute();
        throw new Error('rollback');
      }).catch(() => 'rolled back');
      const outside = store.db.selectFrom('accounts').select('username').executeTakeFirstOrThrow();
      assert.equal(await inTx, 'rolled back');
      assert.equal((await outside).username, 'a');
    } finally {
      await dropSchema(store);
      await store.close();
    }
  });
}
