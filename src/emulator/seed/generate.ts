// `--generate TENANTS:USERS`: deterministic synthetic tenants gen01.onmicrosoft.com … for load
// tests, each with the demo's realism (departments, managers, licences within their units, groups,
// mailboxes, auth methods, hire/leave dates around today), and the demo app consented in full.
import { stableId } from '../../core/ids.ts';
import { defaultControls, type SeedFile, type TenantSeed } from '../state/model.ts';
import type { EmulatorStore } from '../state/store.ts';
import { DEMO_APP_ID, demoApp, demoPartnerToken, fullGrant } from './demo-app.ts';
import { buildOrg } from './org-builder.ts';
import { SeedClock } from './seed-clock.ts';

export interface GenerateSpec {
  tenants: number;
  users: number;
}

export const GENERATE_LIMITS = { minTenants: 1, maxTenants: 100, minUsers: 20, maxUsers: 50_000 } as const;

export function parseGenerateSpec(value: string): GenerateSpec {
  const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(value);
  const tenants = m ? Number(m[1]) : NaN;
  const users = m ? Number(m[2]) : NaN;
  const L = GENERATE_LIMITS;
  if (!(tenants >= L.minTenants && tenants <= L.maxTenants && users >= L.minUsers && users <= L.maxUsers)) {
    throw new Error(
      `Invalid --generate value "${value}": expected TENANTS:USERS as whole numbers, e.g. 20:5000 ` +
      `(TENANTS ${L.minTenants}–${L.maxTenants}, USERS ${L.minUsers}–${L.maxUsers}).`,
    );
  }
  return { tenants, users };
}

/** `gen01`, `gen02`, … `gen100`. */
export function generatedKey(n: number): string {
  return `gen${String(n).padStart(2, '0')}`;
}

export function generatedTenantId(n: number): string {
  return stableId(`gen:${n}`);
}

/** Tenant number n (1-based) with exactly `users` user objects, dated around `clock`'s day. */
export function generateTenant(n: number, users: number, clock: SeedClock): TenantSeed {
  const key = generatedKey(n);
  const brand = key.charAt(0).toUpperCase() + key.slice(1);
  const guests = Math.max(1, Math.round(users * 0.015));
  const sharedMailboxUsers = 2;
  const members = users - guests - sharedMailboxUsers;
  return buildOrg({
    key, tenantId: generatedTenantId(n), displayName: `${brand} Corp`, companyName: `${brand} Corp`, brand,
    initialDomain: `${key}.onmicrosoft.com`, domain: `${key}.example.com`, defaultUsageLocation: 'US',
    members, guests, synced: Math.round(members * 0.02), salesLeaversSoon: members >= 100 ? 5 : 0,
    skuProfile: 'enterprise', clock, fastIds: true,
    apps: { [DEMO_APP_ID]: fullGrant() },
  }).tenant;
}

/** All generated tenants, dated relative to the UTC day of `now` (so no date shifting is needed). */
export function generateTenants(spec: GenerateSpec | string, now: Date): SeedFile {
  const s = typeof spec === 'string' ? parseGenerateSpec(spec) : spec;
  const clock = SeedClock.ofDay(now);
  const tenants: TenantSeed[] = [];
  for (let n = 1; n <= s.tenants; n++) tenants.push(generateTenant(n, s.users, clock));
  return { referenceDate: clock.date, apps: [demoApp()], partnerRefreshTokens: [demoPartnerToken()], tenants };
}

/**
 * Puts generated tenants straight into the store. They skip loadSeed's cloning (three copies of
 * 100,000 users would cost seconds and hundreds of MB); the generator is deterministic, so the
 * same spec and day give the same tenants again.
 */
export function loadGeneratedTenants(store: EmulatorStore, spec: string, now: Date): void {
  const seed = generateTenants(spec, now);
  for (const app of seed.apps) if (!store.apps.has(app.appId)) store.apps.set(app.appId, app);
  for (const t of seed.partnerRefreshTokens ?? []) if (!store.partnerTokens.has(t.refreshToken)) store.partnerTokens.set(t.refreshToken, t);
  for (const t of seed.tenants) {
    store.putTenant({ ...t, deletedItems: {}, outbox: [], controls: { ...defaultControls(), ...store.defaultControls } });
  }
}
