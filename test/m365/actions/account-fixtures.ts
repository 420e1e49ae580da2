// Shared by the account action tests: the mini tenant plus users whose MFA registrations exercise
// Microsoft's deletion order, state read straight from the emulator, undo through the catalog,
// fault injection, and assertions on AppErrors and on secrets staying out of everything visible.
import assert from 'node:assert/strict';
import { scryptSync } from 'node:crypto';
import { systemClock } from '../../../src/core/clock.ts';
import { newId, sha256Hex } from '../../../src/core/ids.ts';
import type { ActionContext, ExecuteResult } from '../../../src/m365/actions/action.ts';
import { makeAuthMethods, makeUser, PHONE_ALT_MOBILE_ID, PHONE_MOBILE_ID } from '../../../src/emulator/seed/builders.ts';
import type { EmuAuthMethod, EmuUser, SeedFile } from '../../../src/emulator/state/model.ts';
import { M365Connector } from '../../../src/m365/connector.ts';
import { tenantInfo } from '../../../src/m365/tenant-config.ts';
import { TenantRegistry } from '../../../src/m365/tenant-registry.ts';
import { FULL_APP, MINI_VERIFIED, miniSeed } from '../../fixtures/mini-seed.ts';
import { MemoryScratch, type ActionEnv } from '../action-harness.ts';
import { harnessTenant, instantRetry } from '../helpers.ts';

export const D = MINI_VERIFIED;
/** Licensed, manager of Ben and Cara; FIDO2 key (default) and Authenticator. */
export const AVA = `ava.boss@${D}`;
/** Licensed, managed by Ava; Authenticator (default) and mobile phone. */
export const BEN = `ben.miller@${D}`;
export const CARA = `cara.diaz@${D}`;
/** No usage location, no licence, no second factor. */
export const DAN = `dan.nolocation@${D}`;
export const EVE = `eve.disabled@${D}`;
/** Synced from on-premises AD. */
export const SAM = `sam.synced@${D}`;
export const GUEST = 'gina_fabrikam.com#EXT#@tailspin.onmicrosoft.com';
/** Mobile phone as the default method, plus alternate mobile, OATH token and email. */
export const MIA = `mia.multi@${D}`;

/** The mini tenant plus Mia, whose default method is the weakest she has. */
export function accountSeed(): SeedFile {
  const seed = miniSeed();
  const t = seed.tenants[0]!;
  const k = 'tailspin';
  const mia = makeUser(k, { userPrincipalName: MIA, displayName: 'Mia Multi', department: 'Support', usageLocation: 'US' });
  const base = makeAuthMethods(k, mia, []);
  const at = mia.createdDateTime;
  const methods: EmuAuthMethod[] = [
    ...base,
    { id: PHONE_MOBILE_ID, type: 'phone', props: { phoneNumber: '+1 4255550101', phoneType: 'mobile', smsSignInState: 'notAllowedByPolicy' }, createdDateTime: at, isDefault: true },
    { id: PHONE_ALT_MOBILE_ID, type: 'phone', props: { phoneNumber: '+1 4255550102', phoneType: 'alternateMobile', smsSignInState: 'notSupported' }, createdDateTime: at },
    { id: newId(), type: 'softwareOath', props: {}, createdDateTime: at },
    { id: newId(), type: 'email', props: { emailAddress: 'mia@outlook.example' }, createdDateTime: at },
  ];
  t.users.push(mia);
  t.authMethods[mia.id] = methods;
  return seed;
}

export function user(env: ActionEnv, upn: string): EmuUser {
  const u = env.tenant().user(upn);
  assert.ok(u, `fixture user ${upn}`);
  return u;
}

/** A deep copy of the user as the emulator holds it, for before/after comparisons. */
export function snapshot(env: ActionEnv, upn: string): EmuUser {
  return structuredClone(user(env, upn));
}

export function authMethods(env: ActionEnv, upn: string): EmuAuthMethod[] {
  return env.tenant().data.authMethods[user(env, upn).id] ?? [];
}

export { rejectsWith, runUndo, type ErrorLike } from '../action-harness.ts';

/** "METHOD /path" of each successful write since `seq`. */
export function writeNames(env: ActionEnv, seq: number): string[] {
  return env.writesSince(seq).map((w) => `${w.method} ${w.path}`);
}

/** Faults of one kind at rate 0.3 on every request, repeatable through the seed. */
export function injectFaults(env: ActionEnv, seed: number, kind: 503 | 429 = 503): void {
  env.setControls({ faults: [{ rate: 0.3, kind, retryAfterSeconds: 1 }], randomSeed: seed });
}

export function clearFaults(env: ActionEnv): void {
  env.setControls({ faults: [] });
}

/** Writes the emulator failed on purpose since `seq`, so a fault test knows its writes were hit. */
export function faultedWritesSince(env: ActionEnv, seq: number): number {
  return env.h.emu.deps.ledger.list(env.tenantId, seq).filter((e) => e.outcome === 'fault').length;
}

/** Asserts the secret appears nowhere in the given values (previews, summaries, errors). */
export function assertNoSecret(secret: string, ...values: unknown[]): void {
  assert.ok(secret.length >= 8, 'a real secret');
  for (const v of values) {
    const text = typeof v === 'string' ? v : JSON.stringify(v, (_k, x) => (x instanceof Error ? { ...x, message: x.message } : x));
    assert.ok(!text.includes(secret), `secret leaked into ${text.slice(0, 200)}`);
  }
}

/**
 * Runs `body` once per seed under 503 or 429 faults (alternating) at rate 0.3 on every request,
 * then asserts that some writes were in fact faulted (and so retried). Faults are cleared after.
 */
export async function underFaults(env: ActionEnv, seeds: readonly number[], body: (seed: number) => Promise<void>): Promise<void> {
  const start = env.ledgerSeq();
  try {
    for (const [i, seed] of seeds.entries()) {
      injectFaults(env, seed, i % 2 ? 429 : 503);
      await body(seed);
      clearFaults(env);
    }
  } finally {
    clearFaults(env);
  }
  assert.ok(faultedWritesSince(env, start) > 0, 'some writes were faulted and retried');
}

/** Whether the emulator's stored hash is of this password (scrypt$salt$key, or sha256 hex from the writeback path). */
export function passwordMatches(hash: string | null, password: string): boolean {
  if (hash && /^[0-9a-f]{64}$/.test(hash)) return hash === sha256Hex(password);
  const [kind, salt, key] = (hash ?? '').split('$');
  if (kind !== 'scrypt' || !salt || !key) return false;
  return scryptSync(password, Buffer.from(salt, 'base64'), 32, { N: 1024 }).toString('base64') === key;
}

/**
 * A context connected the GDAP way (partner refresh token, delegated token), as Microsoft requires
 * for the password-writeback reset. Closed with the returned close().
 */
export function gdapContext(env: ActionEnv, opts: { key?: string; scratch?: MemoryScratch } = {}): { ctx: ActionContext; close: () => Promise<void> } {
  const tenant = harnessTenant(env.h, { credentials: { kind: 'gdapRefreshToken', clientId: FULL_APP.clientId, clientSecret: FULL_APP.secret, refreshToken: 'test-partner-refresh-token' } });
  const connector = new M365Connector({ registry: new TenantRegistry([tenant]), retry: instantRetry().retry, pacing: false });
  const ctx: ActionContext = {
    tenant: tenantInfo(tenant),
    graph: connector.graph(tenant.id),
    exchange: connector.exchange(tenant.id),
    idempotencyKey: opts.key ?? `test:${newId()}`,
    scratch: opts.scratch ?? new MemoryScratch(),
    clock: systemClock,
  };
  return { ctx, close: () => connector.close() };
}
