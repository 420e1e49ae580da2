// Lifecycle workflows in one Tenantflow process: repositories, the processor (users through the
// durable engine), the scheduler (a timer over an injectable clock) and the operations the
// Graph-compatible API calls. The runtime starts it; tests start it with a TestClock and no timer.
import { once } from 'node:events';
import { Agent, fetch as undiciFetch } from 'undici';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { EventBus } from '../engine/events.ts';
import type { ActionRegistry, EnginePorts } from '../engine/ports.ts';
import type { ActionDefinition } from '../m365/actions/action.ts';
import type { M365Connector } from '../m365/connector.ts';
import type { TenantRegistry } from '../m365/tenant-registry.ts';
import type { Store } from '../store/db.ts';
import { LifecycleRepo } from '../store/lifecycle-repo.ts';
import { LifecycleResultsRepo } from '../store/lifecycle-results-repo.ts';
import { customExtensionAction, type CalloutFetch } from './actions/custom-extension.action.ts';
import { removeAllTeamsAction } from './actions/remove-all-teams.action.ts';
import { tapEmailAction } from './actions/tap-email.action.ts';
import { taskFailureAction } from './actions/task-failure.action.ts';
import { ResumeWaiters } from './custom-extension.ts';
import { isTerminalStatus } from './model.ts';
import { LifecycleOperations } from './operations.ts';
import { Processor } from './processor.ts';
import { Scheduler, type PassReport, type QuarantinedEvent } from './scheduler.ts';

export interface LifecycleOptions {
  /** Run the schedule on a timer (default true); tests call tick() instead. */
  autoSchedule?: boolean;
  /** How often the timer checks whether a tenant's pass is due (ms, default 60 s). */
  tickMs?: number;
  /** Users dispatched to the engine at once (default 4). */
  dispatchConcurrency?: number;
  /** CA certificate PEM trusted for custom task extension endpoints, besides the system's. */
  extensionCaPem?: string;
  /** How a custom task extension waiting for its callback re-reads the database (ms, default 2000). */
  resumePollMs?: number;
}

export interface LifecycleDeps {
  store: Store;
  ports: EnginePorts;
  bus: EventBus;
  connector: M365Connector;
  registry: TenantRegistry;
  clock: Clock;
  log: Logger;
}

export class Lifecycle {
  readonly repo: LifecycleRepo;
  readonly results: LifecycleResultsRepo;
  readonly processor: Processor;
  readonly scheduler: Scheduler;
  readonly operations: LifecycleOperations;
  readonly waiters = new ResumeWaiters();
  private readonly quarantineListeners = new Set<(e: QuarantinedEvent) => Promise<void> | void>();
  readonly clock: Clock;
  private readonly unsubscribe: () => void;
  private readonly agent: Agent | undefined;

  constructor(deps: LifecycleDeps, opts: LifecycleOptions = {}) {
    this.clock = deps.clock;
    this.repo = new LifecycleRepo(deps.store.db);
    this.results = new LifecycleResultsRepo(deps.store.db);
    this.processor = new Processor({ db: deps.store.db, repo: this.repo, results: this.results, ports: deps.ports, connector: deps.connector, clock: deps.clock, log: deps.log, concurrency: opts.dispatchConcurrency ?? 4 });
    this.scheduler = new Scheduler({
      repo: this.repo, results: this.results, processor: this.processor, connector: deps.connector, registry: deps.registry, clock: deps.clock, log: deps.log,
      afterTick: () => this.waiters.wakeAll(),
      onQuarantined: async (e) => { await Promise.allSettled([...this.quarantineListeners].map((l) => l(e))); },
    });
    this.operations = new LifecycleOperations({ repo: this.repo, results: this.results, processor: this.processor, connector: deps.connector, clock: deps.clock, waiters: this.waiters });
    this.agent = opts.extensionCaPem ? new Agent({ connect: { ca: opts.extensionCaPem } }) : undefined;
    const agent = this.agent;
    const fetch: CalloutFetch = async (url, init) => {
      const res = await undiciFetch(url, { ...init, ...(agent ? { dispatcher: agent } : {}) });
      await res.body?.cancel();
      return { status: res.status };
    };
    const actions = [
      taskFailureAction, tapEmailAction, removeAllTeamsAction,
      customExtensionAction({ repo: this.repo, results: this.results, waiters: this.waiters, clock: deps.clock, fetch, log: deps.log, pollMs: opts.resumePollMs ?? 2000 }),
    ] as unknown as ActionDefinition[];
    // Lifecycle's own actions join the engine's registry here, not the technicians' catalog:
    // only lifecycle engine runs name them.
    deps.ports.actions = withActions(deps.ports.actions, actions);
    this.unsubscribe = deps.bus.subscribe((e) => this.processor.onEngineEvent(e));
    if (opts.autoSchedule ?? true) this.scheduler.start(opts.tickMs ?? 60_000);
  }

  /** Listens for workflows a pass quarantines; returns the way to stop listening. */
  onQuarantined(listener: (e: QuarantinedEvent) => Promise<void> | void): () => void {
    this.quarantineListeners.add(listener);
    return () => this.quarantineListeners.delete(listener);
  }

  /** Runs every tenant pass that is due at the clock's time, plus recovery; resolves with the passes run. */
  tick(): Promise<PassReport[]> {
    return this.scheduler.tick();
  }

  /**
   * Resolves once no user of the tenant (or of the run) is queued or in progress and nothing is
   * being dispatched. Re-checks whenever this process changes a result, and every 2 s for
   * changes made by other processes.
   */
  async settled(filter: { tenantId: string; runId?: string }): Promise<void> {
    for (;;) {
      const changed = once(this.processor.changes, 'change', { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
      const open = (await this.results.userResults(filter)).some((u) => !isTerminalStatus(u.status));
      if (!open && !this.processor.busy) return;
      await changed;
    }
  }

  async stop(): Promise<void> {
    this.scheduler.stop();
    this.processor.stop();
    this.unsubscribe();
    this.waiters.wakeAll();
    await this.agent?.close();
  }
}

function withActions(base: ActionRegistry, extra: readonly ActionDefinition[]): ActionRegistry {
  const own = new Map(extra.map((a) => [a.id, a]));
  return { get: (id) => own.get(id) ?? base.get(id) };
}

export function startLifecycle(deps: LifecycleDeps, opts: LifecycleOptions = {}): Lifecycle {
  return new Lifecycle(deps, opts);
}
