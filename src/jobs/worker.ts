// A worker: takes run jobs from pg-boss, executes each run under a lease it renews by heartbeat,
// and sweeps for runs whose worker died (expired lease, or approved but never picked up), so a
// run is resumed elsewhere within leaseMs + sweepMs of a crash.
//
// A job only carries a run to a worker. Once the run is claimed, its lease and the sweeper keep it
// durable, so the job completes at the claim and the next fetch does not wait for slow runs; the
// worker fetches again as soon as it has room for another batch.
import { hostname } from 'node:os';
import type { PgBoss } from 'pg-boss';
import { randomToken } from '../core/ids.ts';
import type { Logger } from '../core/logger.ts';
import { executeRun, type ExecuteOptions } from '../engine/executor.ts';
import type { EnginePorts } from '../engine/ports.ts';
import { RUN_QUEUE, type RunJob } from './boss.ts';

export interface WorkerOptions {
  leaseMs?: number;
  heartbeatMs?: number;
  sweepMs?: number;
  /** Runs executed at once by this worker. */
  concurrency?: number;
  /** An Approved run not picked up within this long is taken by the sweeper. */
  staleApprovedMs?: number;
  backoffScale?: number;
  log?: Logger;
}

export class Worker {
  readonly owner = `${hostname()}:${process.pid}:${randomToken(4)}`;
  private readonly active = new Set<string>();
  /** Fetches waiting for room: each resolves when that many more runs fit. */
  private roomWaiters: Array<{ n: number; resolve: () => void }> = [];
  private timers: NodeJS.Timeout[] = [];
  private workId: string | undefined;
  private stopped = false;
  private readonly ports: EnginePorts;
  private readonly boss: PgBoss;
  private readonly opts: Required<Omit<WorkerOptions, 'log'>> & { log?: Logger };

  constructor(ports: EnginePorts, boss: PgBoss, opts: WorkerOptions = {}) {
    this.ports = ports;
    this.boss = boss;
    this.opts = {
      // A dead worker's runs resume within about leaseMs + sweepMs (the issue asks for 10 s).
      leaseMs: opts.leaseMs ?? 5000,
      heartbeatMs: opts.heartbeatMs ?? 1500,
      sweepMs: opts.sweepMs ?? 1000,
      concurrency: opts.concurrency ?? 16,
      staleApprovedMs: opts.staleApprovedMs ?? 3000,
      backoffScale: opts.backoffScale ?? 1,
      ...(opts.log ? { log: opts.log } : {}),
    };
  }

  async start(): Promise<void> {
    const batchSize = Math.max(1, Math.ceil(this.opts.concurrency / 4));
    const work = { batchSize, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 5, burstWhenBatchFull: true };
    this.workId = await this.boss.work<RunJob>(RUN_QUEUE, work, async (jobs) => {
      await Promise.all(jobs.map((j) => this.dispatch(j.data.runId)));
      await this.roomFor(batchSize);
    });
    this.timers.push(setInterval(() => void this.heartbeat(), this.opts.heartbeatMs));
    this.timers.push(setInterval(() => void this.sweep(), this.opts.sweepMs));
    for (const t of this.timers) t.unref();
  }

  /** Executes one run if it is not already running here; resolves when it stops. */
  async run(runId: string, onClaimed?: () => void): Promise<void> {
    if (this.active.has(runId) || this.stopped) return;
    this.active.add(runId);
    try {
      const exec: ExecuteOptions = { owner: this.owner, leaseMs: this.opts.leaseMs, backoffScale: this.opts.backoffScale, ...(onClaimed ? { onClaimed } : {}) };
      await executeRun(this.ports, runId, exec);
    } catch (e) {
      // The lease expires and another worker (or this one's sweeper) resumes the run.
      this.opts.log?.error({ err: e, runId }, 'run execution failed');
    } finally {
      this.active.delete(runId);
      this.wakeRoomWaiters();
    }
  }

  /** Starts a run and resolves once its claim is settled; the run goes on in the background. */
  private dispatch(runId: string): Promise<void> {
    return new Promise((resolve) => {
      void this.run(runId, resolve).finally(resolve);
    });
  }

  private roomFor(n: number): Promise<void> {
    if (this.stopped || this.active.size + n <= this.opts.concurrency) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push({ n, resolve }));
  }

  private wakeRoomWaiters(): void {
    this.roomWaiters = this.roomWaiters.filter((w) => {
      if (this.stopped || this.active.size + w.n <= this.opts.concurrency) {
        w.resolve();
        return false;
      }
      return true;
    });
  }

  private async heartbeat(): Promise<void> {
    try {
      await this.ports.runs.heartbeat([...this.active], this.owner, this.opts.leaseMs);
    } catch (e) {
      this.opts.log?.warn({ err: e }, 'heartbeat failed');
    }
  }

  private async sweep(): Promise<void> {
    if (this.stopped) return;
    try {
      const room = this.opts.concurrency - this.active.size;
      if (room <= 0) return;
      const ids = await this.ports.runs.orphaned(this.opts.staleApprovedMs, room);
      for (const id of ids) void this.run(id);
    } catch (e) {
      this.opts.log?.warn({ err: e }, 'sweep failed');
    }
  }

  get activeRuns(): number {
    return this.active.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeRoomWaiters();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.workId) await this.boss.offWork(RUN_QUEUE, { id: this.workId }).catch(() => {});
  }
}
