// Shared by the mail action tests: the mini tenant's mailboxes read straight from emulator state,
// undo steps run through the catalog, and assertions on AppErrors.
import assert from 'node:assert/strict';
import type { ExecuteResult } from '../../../src/m365/actions/action.ts';
import { getAction } from '../../../src/m365/actions/catalog.ts';
import type { EmuMailbox, EmuUser } from '../../../src/emulator/state/model.ts';
import { MINI_VERIFIED } from '../../fixtures/mini-seed.ts';
import type { ActionEnv } from '../action-harness.ts';

export const D = MINI_VERIFIED;
export const BEN = `ben.miller@${D}`;
export const CARA = `cara.diaz@${D}`;
export const AVA = `ava.boss@${D}`;
/** Licensed nowhere with Exchange: no mailbox. */
export const DAN = `dan.nolocation@${D}`;
/** A shared mailbox. */
export const INFO = `info@${D}`;

export function user(env: ActionEnv, upn: string): EmuUser {
  const u = env.tenant().user(upn);
  assert.ok(u, `fixture user ${upn}`);
  return u;
}

/** The live EmuMailbox of a user (mutations through Exchange change this object). */
export function mailbox(env: ActionEnv, upn: string): EmuMailbox {
  const m = env.tenant().mailbox(user(env, upn).id);
  assert.ok(m, `fixture mailbox of ${upn}`);
  return m;
}

/** A deep copy, to compare the state before and after. */
export function snapshot(env: ActionEnv, upn: string): EmuMailbox {
  return structuredClone(mailbox(env, upn));
}

/** Runs a result's undo steps through the catalog, as the engine's undo run does. */
export async function runUndo(env: ActionEnv, actionId: string, params: Record<string, unknown>, result: ExecuteResult<Record<string, unknown>>) {
  const def = getAction(actionId);
  assert.ok(def, actionId);
  assert.equal(def.undo.reversible, true, `${actionId} is reversible`);
  if (!def.undo.reversible) return [];
  const steps = def.undo.build(params as never, result as never);
  const results = [];
  for (const step of steps) {
    const undoDef = getAction(step.action);
    assert.ok(undoDef, `undo action ${step.action} is in the catalog`);
    results.push(await env.run(undoDef, step.params));
  }
  return steps;
}

/** Awaits a rejection and returns it as an AppError-like object with the given code. */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<{ code: string; message: string; fix: string; param?: string; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code?: string; message: string; fix: string; param?: string; details?: Record<string, unknown> };
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return err as { code: string; message: string; fix: string };
  }
  assert.fail(`expected a rejection with ${code}`);
}

/** The cmdlet names (or Graph method+path) of the successful writes since `seq`. */
export function writeNames(env: ActionEnv, seq: number): string[] {
  return env.writesSince(seq).map((w) => w.cmdlet ?? `${w.method} ${w.path}`);
}

/** Faults of one kind at rate 0.3 on every request, repeatable through the seed. */
export function injectFaults(env: ActionEnv, seed: number, kind: 503 | 429 = 503): void {
  env.setControls({ faults: [{ rate: 0.3, kind, retryAfterSeconds: 1 }], randomSeed: seed });
}

export function clearFaults(env: ActionEnv): void {
  env.setControls({ faults: [] });
}

/** Mutating requests since `seq` that the emulator failed on purpose (injected faults). */
export function faultedWritesSince(env: ActionEnv, seq: number): number {
  return env.h.emu.deps.ledger.list(env.tenantId, seq).filter((e) => e.outcome === 'fault').length;
}
