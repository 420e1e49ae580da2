// An engine wired to a real store and pg-boss, with in-memory actions and no Microsoft 365, for
// testing the run machinery itself.
import { z } from 'zod';
import { systemClock } from '../../src/core/clock.ts';
import { AppError } from '../../src/core/errors.ts';
import { SecretBox } from '../../src/core/secret-box.ts';
import type { ActionContext, ActionDefinition, TenantInfo } from '../../src/m365/actions/action.ts';
import { defineAction } from '../../src/m365/actions/action.ts';
import type { WorkflowDefinition } from '../../src/engine/definition.ts';
import { EventBus, type EngineEvent } from '../../src/engine/events.ts';
import type { EnginePorts } from '../../src/engine/ports.ts';
import { isTerminalRun } from '../../src/engine/run-state.ts';
import { openStore, dropSchema, type Store } from '../../src/store/db.ts';
import { RunsRepo } from '../../src/store/runs-repo.ts';
import { enqueueRunIn, startBoss } from '../../src/jobs/boss.ts';
import { Worker } from '../../src/jobs/worker.ts';
import type { PgBoss } from 'pg-boss';

export const TENANT: TenantInfo = { id: 'tenant-1', domain: 'contoso.com', displayName: 'Contoso', defaults: { usageLocation: 'US' } };

export const effects: Array<{ action: string; key: string; params: unknown }> = [];

export const noop = defineAction({
  id: 'noop', title: 'No-op', description: 'Does nothing.', category: 'account',
  params: z.strictObject({ user: z.string().optional(), value: z.string().optional() }),
  secrets: ['secret'],
  permissions: { graph: [], exchange: false },
  validate: async () => ({ errors: [], missing: [], warnings: [] }),
  preview: async (_c, p) => ({ calls: [], changes: [{ object: String(p.user ?? 'x'), field: 'value', before: null, after: p.value ?? null }], skipped: [], alreadyDone: false, warnings: [] }),
  execute: async (ctx: ActionContext, p) => {
    effects.push({ action: 'noop', key: ctx.idempotencyKey, params: p });
    return { outputs: { echoed: p.value ?? null, secret: 'hunter2-secret' }, before: { value: null }, alreadyDone: false, skipped: [], summary: 'ok' };
  },
  undo: { reversible: true, build: (p) => [{ action: 'noop', params: { value: `undo:${p.value ?? ''}` } }] },
});

export const boom = defineAction({
  id: 'boom', title: 'Fails', description: 'Always fails with a user error.', category: 'account',
  params: z.strictObject({}),
  secrets: [],
  permissions: { graph: [], exchange: false },
  validate: async () => ({ errors: [], missing: [], warnings: [] }),
  preview: async () => ({ calls: [], changes: [], skipped: [], alreadyDone: false, warnings: [] }),
  execute: async () => { throw new AppError({ code: 'conflict', message: 'It broke.', fix: 'Fix it.' }); },
  undo: { reversible: false, reason: 'nothing to undo' },
});

export interface EngineEnv {
  store: Store;
  boss: PgBoss;
  ports: EnginePorts;
  bus: EventBus;
  worker: Worker;
  workflows: Map<string, WorkflowDefinition>;
  waitTerminal(runId: string): Promise<EngineEvent>;
  close(): Promise<void>;
}

export async function startEngineEnv(name: string, extraActions: ActionDefinition[] = []): Promise<EngineEnv> {
  const store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory', schema: `t_${name}_${process.pid}` });
  const boss = await startBoss(store);
  const bus = new EventBus();
  const actions = new Map<string, ActionDefinition>([noop, boom, ...extraActions].map((a) => [a.id, a as unknown as ActionDefinition]));
  const workflows = new Map<string, WorkflowDefinition>();
  const ports: EnginePorts = {
    runs: new RunsRepo(store.db, enqueueRunIn(boss)),
    actions: { get: (id) => actions.get(id) },
    contexts: {
      tenant: (id) => (id === TENANT.id ? TENANT : undefined),
      create: (_t, o) => ({ tenant: TENANT, idempotencyKey: o.idempotencyKey, scratch: o.scratch, clock: systemClock } as unknown as ActionContext),
    },
    events: bus,
    secrets: new SecretBox(Buffer.alloc(32, 7)),
    clock: systemClock,
    workflows: { get: async (id) => (workflows.has(id) ? { definition: workflows.get(id)!, version: 1 } : undefined) },
  };
  const worker = new Worker(ports, boss, { leaseMs: 3000, heartbeatMs: 500, sweepMs: 500, backoffScale: 0.001 });
  await worker.start();
  const waitTerminal = (runId: string) => new Promise<EngineEvent>((resolve) => {
    const off = bus.subscribe((e) => {
      if (e.type === 'run' && e.runId === runId && isTerminalRun(e.state)) { off(); resolve(e); }
    });
  });
  return {
    store, boss, ports, bus, worker, workflows, waitTerminal,
    async close() {
      await worker.stop();
      await boss.stop({ graceful: false }).catch(() => {});
      await dropSchema(store);
      await store.close();
    },
  };
}
