// Everything one Tenantflow process needs, wired once: the store, pg-boss, the M365 connector,
// the engine's ports and (optionally) a worker. `serve`, `worker` and the tests all start here.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PgBoss } from 'pg-boss';
import { systemClock, type Clock } from '../core/clock.ts';
import { createLogger, type Logger } from '../core/logger.ts';
import { loadSecretBox, type SecretBox } from '../core/secret-box.ts';
import { builtinWorkflows } from '../engine/builtin-workflows.ts';
import { EventBus } from '../engine/events.ts';
import type { EnginePorts } from '../engine/ports.ts';
import { workflowSource } from '../engine/workflow-catalog.ts';
import { enqueueRunIn, startBoss } from '../jobs/boss.ts';
import { Worker, type WorkerOptions } from '../jobs/worker.ts';
import { startLifecycle, type Lifecycle, type LifecycleOptions } from '../lifecycle/service.ts';
import type { ActionDefinition } from '../m365/actions/action.ts';
import { actionCatalog } from '../m365/actions/catalog.ts';
import { M365Connector } from '../m365/connector.ts';
import { tenantInfo } from '../m365/tenant-config.ts';
import { loadTenantRegistry, type TenantRegistry } from '../m365/tenant-registry.ts';
import { AccountsRepo } from '../store/accounts-repo.ts';
import { dropSchema, openStore, type Store } from '../store/db.ts';
import { RunsRepo } from '../store/runs-repo.ts';
import { WorkflowsRepo } from '../store/workflows-repo.ts';

export interface RuntimeOptions {
  dataDir?: string;
  databaseUrl?: string | undefined;
  /** Postgres schema (tests isolate themselves). */
  schema?: string;
  registry?: TenantRegistry;
  connector?: M365Connector;
  worker?: boolean | WorkerOptions;
  /** Lifecycle workflows: schedule timer, custom extension trust (tests turn the timer off). */
  lifecycle?: LifecycleOptions;
  /** Extra actions (benchmarks register a no-op). */
  extraActions?: ActionDefinition[];
  clock?: Clock;
  logger?: Logger;
  secrets?: SecretBox;
}

export interface Runtime {
  store: Store;
  boss: PgBoss;
  ports: EnginePorts;
  bus: EventBus;
  accounts: AccountsRepo;
  runs: RunsRepo;
  workflows: WorkflowsRepo;
  registry: TenantRegistry;
  connector: M365Connector;
  worker: Worker | undefined;
  lifecycle: Lifecycle;
  actions: ReadonlyMap<string, ActionDefinition>;
  log: Logger;
  dataDir: string;
  close(opts?: { dropSchema?: boolean }): Promise<void>;
}

export async function startRuntime(opts: RuntimeOptions = {}): Promise<Runtime> {
  // 'memory' keeps the embedded database in memory (tests); files such as the key then go to a temp dir.
  const inMemory = opts.dataDir === 'memory';
  const dataDir = inMemory ? mkdtempSync(join(tmpdir(), 'tenantflow-')) : resolve(opts.dataDir ?? process.env.TENANTFLOW_DATA_DIR ?? './data');
  const log = opts.logger ?? createLogger('tenantflow');
  // TENANTFLOW_DB_SCHEMA puts a deployment (or a crash test's processes) in its own schema of a shared server.
  const schema = opts.schema ?? process.env.TENANTFLOW_DB_SCHEMA;
  const store = await openStore({ databaseUrl: opts.databaseUrl ?? process.env.DATABASE_URL, dataDir: inMemory ? 'memory' : dataDir, ...(schema ? { schema } : {}) });
  const boss = await startBoss(store);
  const registry = opts.registry ?? loadTenantRegistry();
  const connector = opts.connector ?? new M365Connector({ registry, logger: log });
  const actions = new Map<string, ActionDefinition>(actionCatalog);
  for (const a of opts.extraActions ?? []) actions.set(a.id, a);
  const workflows = new WorkflowsRepo(store.db);
  await workflows.ensureBuiltins(builtinWorkflows());
  const runs = new RunsRepo(store.db, enqueueRunIn(boss));
  const bus = new EventBus();
  const clock = opts.clock ?? systemClock;
  const actionRegistry = { get: (id: string) => actions.get(id) };
  const ports: EnginePorts = {
    runs,
    actions: actionRegistry,
    contexts: {
      tenant: (id) => {
        const t = registry.find(id);
        return t ? tenantInfo(t) : undefined;
      },
      create: (tenantId, o) => ({
        tenant: tenantInfo(registry.get(tenantId)),
        graph: connector.graph(tenantId),
        exchange: connector.exchange(tenantId),
        idempotencyKey: o.idempotencyKey,
        scratch: o.scratch,
        clock,
      }),
    },
    events: bus,
    secrets: opts.secrets ?? loadSecretBox(dataDir),
    clock,
    workflows: workflowSource(workflows, actionRegistry),
  };
  const lifecycle = startLifecycle({ store, ports, bus, connector, registry, clock, log }, opts.lifecycle);
  let worker: Worker | undefined;
  if (opts.worker !== false) {
    worker = new Worker(ports, boss, { log, ...workerEnv(process.env), ...(typeof opts.worker === 'object' ? opts.worker : {}) });
    await worker.start();
  }
  return {
    store, boss, ports, bus, accounts: new AccountsRepo(store.db), runs, workflows, registry, connector, worker, lifecycle, actions, log, dataDir,
    async close(opts: { dropSchema?: boolean } = {}) {
      await lifecycle.stop();
      await worker?.stop();
      await boss.stop({ graceful: false }).catch(() => {});
      await connector.close();
      // Tests drop their schema only once nothing in the background can still hold a lock on it.
      if (opts.dropSchema) await dropSchema(store);
      await store.close();
    },
  };
}

/**
 * TENANTFLOW_LEASE_MS sets how long a run's lease lasts without a heartbeat, so how soon a dead
 * worker's runs resume elsewhere (default 5 s); heartbeat and sweep run at a third of it.
 */
export function workerEnv(env: Record<string, string | undefined>): WorkerOptions {
  const raw = env.TENANTFLOW_LEASE_MS;
  if (raw === undefined || raw === '') return {};
  const leaseMs = Number(raw);
  if (!Number.isInteger(leaseMs) || leaseMs < 300) throw new Error(`TENANTFLOW_LEASE_MS must be a whole number of milliseconds, at least 300, not '${raw}'.`);
  const third = Math.round(leaseMs / 3);
  return { leaseMs, heartbeatMs: third, sweepMs: third, staleApprovedMs: Math.max(leaseMs / 2, 500) };
}
