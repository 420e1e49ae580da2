// pg-boss on the same database as the store: its PGlite backend when embedded (sharing the one
// session under the store's lock), the real server otherwise. LISTEN/NOTIFY is on, and the run
// queue notifies, so a job is dispatched in milliseconds rather than at the next poll.
import { PgBoss, fromKysely, fromPglite } from 'pg-boss';
import type { Transaction } from 'kysely';
import type { Store } from '../store/db.ts';
import type { Database } from '../store/schema.ts';

export const RUN_QUEUE = 'tenantflow-runs';

export interface RunJob {
  runId: string;
}

/**
 * pg-boss's schema follows the store's: processes sharing a store share its queue, and a store in
 * its own schema (a test, a benchmark) gets a queue no other store's workers can take jobs from.
 */
export function bossSchemaOf(store: Pick<Store, 'schema'>): string {
  return store.schema === 'public' ? 'pgboss' : `${store.schema}_pgboss`;
}

export async function startBoss(store: Store, opts: { supervise?: boolean } = {}): Promise<PgBoss> {
  const common = { schema: bossSchemaOf(store), useListenNotify: true, supervise: opts.supervise ?? true, schedule: true };
  let boss: PgBoss;
  if (store.kind === 'pglite' && store.pglite) {
    const { db, lock } = store.pglite;
    const locked = async <T>(fn: () => Promise<T>): Promise<T> => {
      const release = await lock.acquire();
      try { return await fn(); } finally { release(); }
    };
    const adapter = fromPglite({
      query: (text: string, params?: unknown[]) => locked(() => db.query(text, params)),
      exec: (text: string) => locked(() => db.exec(text)),
      listen: (channel: string, cb: (payload: string) => void) => db.listen(channel, cb),
    });
    boss = new PgBoss({ ...common, db: adapter, backend: 'pglite' });
  } else {
    boss = new PgBoss({ ...common, connectionString: store.databaseUrl!, max: 6 });
  }
  boss.on('error', () => {}); // surfaced through job failures; an unhandled 'error' event would kill the process
  await boss.start();
  await boss.createQueue(RUN_QUEUE, { notify: true, expireInSeconds: 3600, retryLimit: 5, retryDelay: 2, retentionSeconds: 86_400, deleteAfterSeconds: 86_400 }).catch((e: Error) => {
    if (!/already exists/i.test(e.message)) throw e;
  });
  return boss;
}

/** Sends the run's job inside the caller's transaction: the approval and the job commit together. */
export function enqueueRunIn(boss: PgBoss) {
  return async (trx: Transaction<Database>, runId: string): Promise<void> => {
    await boss.send(RUN_QUEUE, { runId } satisfies RunJob, { db: fromKysely(trx) });
  };
}
