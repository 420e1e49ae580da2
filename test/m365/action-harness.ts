// Runs catalog actions against a harness emulator the way the engine does: schema check, validate,
// preview, execute, with a per-step idempotency key and scratch. Tests assert on the emulator's
// own state and its effects ledger.
import assert from 'node:assert/strict';
import { systemClock } from '../../src/core/clock.ts';
import { getAction } from '../../src/m365/actions/catalog.ts';
import type { ActionContext, ActionDefinition, ExecuteResult, Preview, Scratch, Validation } from '../../src/m365/actions/action.ts';
import { checkParams } from '../../src/m365/actions/support/params.ts';
import { newId } from '../../src/core/ids.ts';
import { M365Connector } from '../../src/m365/connector.ts';
import { TenantRegistry } from '../../src/m365/tenant-registry.ts';
import { tenantInfo } from '../../src/m365/tenant-config.ts';
import type { LedgerEntry } from '../../src/emulator/realism/ledger.ts';
import type { RealismControls, SeedFile } from '../../src/emulator/state/model.ts';
import type { TenantState } from '../../src/emulator/state/tenant-state.ts';
import { startHarness, type Harness } from '../emulator/harness.ts';
import { MINI_TENANT_ID, READONLY_APP } from '../fixtures/mini-seed.ts';
import { harnessTenant, instantRetry } from './helpers.ts';

export class MemoryScratch implements Scratch {
  readonly values = new Map<string, unknown>();
  get<T = unknown>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async set(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

export interface RunOptions {
  key?: string;
  scratch?: MemoryScratch;
  app?: 'full' | 'readonly';
}

export interface ActionEnv {
  h: Harness;
  tenantId: string;
  context(opts?: RunOptions): ActionContext;
  // Any action, whatever its parameter and output types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  run(def: ActionDefinition<any, any>, raw: Record<string, unknown>, opts?: RunOptions): Promise<{ validation: Validation; preview: Preview; result: ExecuteResult<Record<string, unknown>> }>;
  tenant(): TenantState;
  ledgerSeq(): number;
  writesSince(seq: number): LedgerEntry[];
  setControls(c: Partial<RealismControls>): void;
  close(): Promise<void>;
}

export async function startActionEnv(opts: { seeds?: Array<'demo' | string | SeedFile>; tenantId?: string } = {}): Promise<ActionEnv> {
  const h = await startHarness(opts.seeds ? { seeds: opts.seeds } : {});
  const tenantId = opts.tenantId ?? MINI_TENANT_ID;
  const full = harnessTenant(h);
  const readonly = harnessTenant(h, { credentials: { kind: 'clientSecret', clientId: READONLY_APP.clientId, clientSecret: READONLY_APP.secret } });
  const { retry } = instantRetry();
  const connectors = {
    full: new M365Connector({ registry: new TenantRegistry([full]), retry, pacing: false }),
    readonly: new M365Connector({ registry: new TenantRegistry([readonly]), retry, pacing: false }),
  };
  const context = (o: RunOptions = {}): ActionContext => {
    const c = connectors[o.app ?? 'full'];
    return {
      tenant: tenantInfo(o.app === 'readonly' ? readonly : full),
      graph: c.graph(full.id),
      exchange: c.exchange(full.id),
      idempotencyKey: o.key ?? `test:${newId()}`,
      scratch: o.scratch ?? new MemoryScratch(),
      clock: systemClock,
    };
  };
  const env: ActionEnv = {
    h,
    tenantId,
    context,
    async run(def, raw, o = {}) {
      const ctx = context({ ...o, key: o.key ?? `test:${newId()}`, scratch: o.scratch ?? new MemoryScratch() });
      const checked = checkParams(def.params, raw, ctx.tenant.domain);
      if (!checked.ok) {
        if (checked.errors[0]) throw checked.errors[0];
        throw Object.assign(new Error(`missing: ${checked.missing.map((m) => m.param).join(', ')}`), { code: 'missing_parameter', missing: checked.missing });
      }
      const validation = await def.validate(ctx, checked.params as never);
      if (validation.errors[0]) throw validation.errors[0];
      if (validation.missing.length) throw Object.assign(new Error(`missing: ${validation.missing.map((m) => m.param).join(', ')}`), { code: 'missing_parameter', missing: validation.missing });
      const preview = await def.preview(ctx, checked.params as never);
      const result = await def.execute(ctx, checked.params as never);
      return { validation, preview, result };
    },
    tenant: () => h.emu.deps.store.tenant(tenantId)!,
    ledgerSeq: () => {
      const list = h.emu.deps.ledger.list(tenantId);
      return list.length ? list[list.length - 1]!.seq : 0;
    },
    writesSince: (seq) => h.emu.deps.ledger.list(tenantId, seq).filter((e) => e.outcome === 'ok'),
    setControls: (c) => {
      const t = h.emu.deps.store.tenant(tenantId)!;
      t.data.controls = { ...t.data.controls, ...c };
    },
    async close() {
      await connectors.full.close();
      await connectors.readonly.close();
      await h.close();
    },
  };
  return env;
}

/** Runs a result's undo steps through the catalog, as the engine's undo run does; returns the steps. */
export async function runUndo(env: ActionEnv, actionId: string, params: Record<string, unknown>, result: ExecuteResult<Record<string, unknown>>) {
  const def = getAction(actionId);
  assert.ok(def, actionId);
  assert.equal(def.undo.reversible, true, `${actionId} is reversible`);
  if (!def.undo.reversible) return [];
  const steps = def.undo.build(params as never, result as never);
  for (const step of steps) {
    const undoDef = getAction(step.action);
    assert.ok(undoDef, `undo action ${step.action} is in the catalog`);
    await env.run(undoDef, step.params);
  }
  return steps;
}

export interface ErrorLike {
  code: string;
  message: string;
  fix: string;
  param?: string;
  details?: Record<string, unknown>;
}

/** Awaits a rejection and returns it, asserting its code. */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<ErrorLike> {
  try {
    await p;
  } catch (e) {
    const err = e as ErrorLike;
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return err;
  }
  assert.fail(`expected a rejection with ${code}`);
}
