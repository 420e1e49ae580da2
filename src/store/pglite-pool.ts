// PGlite is one in-process Postgres session. Kysely and pg-boss both expect a pool, so this adapter
// hands out that one session under a mutex: a transaction holds it from BEGIN to COMMIT, and nobody
// else's statement can land inside it. (kysely-pglite-dialect would do this, but its peer range
// stops at PGlite 0.4 and we run 0.5.)
import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

export class SessionLock {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves with a release function once every earlier holder has released. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => { release = r; });
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

function commandOf(sql: string): PostgresQueryResult<unknown>['command'] {
  const m = /^\s*(?:with\b[\s\S]*?\)\s*)?(insert|update|delete|merge|select|commit|rollback)\b/i.exec(sql);
  return (m?.[1]?.toUpperCase() ?? 'SELECT') as PostgresQueryResult<unknown>['command'];
}

export function pglitePool(db: PGlite, lock: SessionLock): PostgresPool {
  return {
    options: {},
    async connect(): Promise<PostgresPoolClient> {
      const release = await lock.acquire();
      let released = false;
      return {
        async query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
          if (parameters.length === 0 && sql.includes(';')) {
            // Several statements (a migration file) need the simple protocol.
            const results = await db.exec(sql);
            const last = results[results.length - 1];
            return { command: commandOf(sql), rowCount: last?.affectedRows ?? 0, rows: (last?.rows ?? []) as R[] };
          }
          const res = await db.query<R>(sql, parameters as unknown[]);
          return { command: commandOf(sql), rowCount: res.affectedRows ?? res.rows.length, rows: res.rows };
        },
        release() {
          if (!released) { released = true; release(); }
        },
      } as PostgresPoolClient;
    },
    async end() {},
  };
}
