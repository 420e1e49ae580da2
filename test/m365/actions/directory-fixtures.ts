// Shared by the licence and group action tests: the mini tenant plus what those tests need on top
// (a second "E3", a duplicate direct+group licence, a licensed disabled account, a licence with a
// plan switched off), state snapshots read straight from the emulator, undo through the catalog,
// and assertions on AppErrors.
import assert from 'node:assert/strict';
import { stableId } from '../../../src/core/ids.ts';
import type { ExecuteResult, UndoStep } from '../../../src/m365/actions/action.ts';
import { getAction } from '../../../src/m365/actions/catalog.ts';
import { makeGroup, makeUser } from '../../../src/emulator/seed/builders.ts';
import { skuCatalog, subscribedSku } from '../../../src/emulator/seed/sku-catalog.ts';
import type { EmuGroup, EmuUser, SeedFile } from '../../../src/emulator/state/model.ts';
import { licenseStates } from '../../../src/emulator/state/derived.ts';
import { MINI_VERIFIED, miniSeed } from '../../fixtures/mini-seed.ts';
import type { ActionEnv } from '../action-harness.ts';

export const D = MINI_VERIFIED;
export const AVA = `ava.boss@${D}`;
export const BEN = `ben.miller@${D}`;
export const CARA = `cara.diaz@${D}`;
/** No usage location, no licence, no mailbox. */
export const DAN = `dan.nolocation@${D}`;
export const EVE = `eve.disabled@${D}`;
export const SAM = `sam.synced@${D}`;
/** Power BI both directly and through 'BI Users'. */
export const PIA = `pia.both@${D}`;
/** Disabled, yet licensed: Office 365 E3 (Teams off) and Power BI Pro. */
export const OLGA = `olga.former@${D}`;

export const SKU = {
  M365E3: skuCatalog.SPE_E3!.skuId,
  O365E3: skuCatalog.ENTERPRISEPACK!.skuId,
  VISIO: skuCatalog.VISIOCLIENT!.skuId,
  PBI: skuCatalog.POWER_BI_PRO!.skuId,
};
export const TEAMS1 = '57ff2da0-773e-42df-b2af-ffb7a2317929';

/**
 * The mini tenant plus a second E3 (Office 365 E3, 2 units) so "E3" is ambiguous, 'BI Users'
 * (assigns Power BI Pro) with Pia in it, Pia holding Power BI directly too, and Olga, disabled
 * but licensed. Added here rather than to the shared mini seed so other tests keep their counts.
 */
export function directorySeed(): SeedFile {
  const seed = miniSeed();
  const t = seed.tenants[0]!;
  const k = 'tailspin';
  const pia = makeUser(k, { userPrincipalName: PIA, displayName: 'Pia Both', department: 'Finance', usageLocation: 'DE', directLicenses: [{ skuId: SKU.PBI, disabledPlans: [] }] });
  const olga = makeUser(k, {
    userPrincipalName: OLGA, displayName: 'Olga Former', department: 'Marketing', accountEnabled: false, usageLocation: 'US',
    directLicenses: [{ skuId: SKU.O365E3, disabledPlans: [TEAMS1] }, { skuId: SKU.PBI, disabledPlans: [] }],
  });
  t.users.push(pia, olga);
  t.groups.push(makeGroup(k, { displayName: 'BI Users', kind: 'security', domain: D, memberIds: [pia.id], assignedLicenses: [{ skuId: SKU.PBI, disabledPlans: [] }] }));
  t.skus.push(subscribedSku('ENTERPRISEPACK', 2, stableId('sub:o365e3')));
  t.authMethods[pia.id] = [];
  t.authMethods[olga.id] = [];
  return seed;
}

export function user(env: ActionEnv, upn: string): EmuUser {
  const u = env.tenant().user(upn);
  assert.ok(u, `fixture user ${upn}`);
  return u;
}

export function group(env: ActionEnv, name: string): EmuGroup {
  const g = env.tenant().data.groups.find((x) => x.displayName === name);
  assert.ok(g, `fixture group ${name}`);
  return g;
}

/** A user's licence state as the emulator holds it: direct assignments and usage location. */
export function licenceState(env: ActionEnv, upn: string): { usageLocation: string | null; direct: Array<{ skuId: string; disabledPlans: string[] }> } {
  const u = user(env, upn);
  return {
    usageLocation: u.usageLocation,
    direct: u.directLicenses.map((l) => ({ skuId: l.skuId.toLowerCase(), disabledPlans: [...l.disabledPlans].map((p) => p.toLowerCase()).sort() }))
      .sort((a, b) => a.skuId.localeCompare(b.skuId)),
  };
}

/** Part numbers of every licence the user holds, direct or inherited, sorted. */
export function effectiveSkus(env: ActionEnv, upn: string): string[] {
  const t = env.tenant();
  return [...new Set(licenseStates(t, user(env, upn)).map((s) => t.sku(s.skuId)?.skuPartNumber ?? s.skuId))].sort();
}

/** Every group's static members, by group name: the whole membership picture of the tenant. */
export function memberships(env: ActionEnv): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of env.tenant().data.groups) out[g.displayName] = [...g.memberIds].sort();
  return out;
}

/** Names of the groups the user is a static member of, sorted. */
export function groupsOf(env: ActionEnv, upn: string): string[] {
  const id = user(env, upn).id;
  return env.tenant().data.groups.filter((g) => g.memberIds.includes(id)).map((g) => g.displayName).sort();
}

/** The undo steps a result builds, without running them. */
export function undoSteps(actionId: string, params: Record<string, unknown>, result: ExecuteResult<Record<string, unknown>>): UndoStep[] {
  const def = getAction(actionId);
  assert.ok(def, actionId);
  return def.undo.reversible ? def.undo.build(params as never, result as never) : [];
}

export { rejectsWith, runUndo, type ErrorLike } from '../action-harness.ts';

/** "POST /users/{id}/assignLicense" or the cmdlet name of each successful write since `seq`. */
export function writeNames(env: ActionEnv, seq: number): string[] {
  return env.writesSince(seq).map((w) => w.cmdlet ?? `${w.method} ${w.path}`);
}

/** Faults of one kind at rate 0.3 on every request, repeatable through the seed. */
export function injectFaults(env: ActionEnv, seed: number, kind: 503 | 429 = 503): void {
  clearFaults(env);
  env.setControls({ faults: [{ rate: 0.3, kind, retryAfterSeconds: 1 }], randomSeed: seed });
}

/** Writes the emulator refused with an injected fault since `seq` (proof the faults were met). */
export function faultedWrites(env: ActionEnv, seq: number): number {
  return env.h.emu.deps.ledger.list(env.tenantId, seq).filter((e) => e.outcome === 'fault').length;
}

/** Stops the faults and forgets the seed, so the next injectFaults starts a fresh, repeatable stream. */
export function clearFaults(env: ActionEnv): void {
  const c = env.tenant().data.controls;
  c.faults = [];
  delete c.randomSeed;
}
