// All tenants of one emulator, reachable by GUID and by any of their domains, plus the app
// registrations they consent to. Seeds are kept so a tenant can be reset to them.
import { readFileSync, writeFileSync, existsSync, renameSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EmuApp, PartnerRefreshToken, SeedFile, TenantData, TenantSeed, RealismControls } from './model.ts';
import { defaultControls } from './model.ts';
import { TenantState } from './tenant-state.ts';
import { shiftSeedDates } from './seed-dates.ts';

export class EmulatorStore {
  readonly tenants = new Map<string, TenantState>();
  readonly apps = new Map<string, EmuApp>();
  readonly partnerTokens = new Map<string, PartnerRefreshToken>();
  private readonly seeds = new Map<string, TenantSeed>();
  private byDomain = new Map<string, TenantState>();
  /** Controls applied to every tenant loaded after they are set (tests: off; npm start: mild). */
  defaultControls: Partial<RealismControls> = {};

  loadSeed(seed: SeedFile, now = new Date()): void {
    const shifted = shiftSeedDates(seed, now);
    for (const app of shifted.apps) this.apps.set(app.appId, app);
    for (const t of shifted.partnerRefreshTokens ?? []) this.partnerTokens.set(t.refreshToken, t);
    for (const ts of shifted.tenants) {
      this.seeds.set(ts.id, structuredClone(ts));
      this.putTenant(this.tenantFromSeed(ts));
    }
  }

  loadSeedFile(path: string): void {
    this.loadSeed(JSON.parse(readFileSync(path, 'utf8')) as SeedFile);
  }

  private tenantFromSeed(ts: TenantSeed): TenantData {
    const seed = structuredClone(ts);
    return {
      ...seed,
      deletedItems: seed.deletedItems ?? {},
      outbox: seed.outbox ?? [],
      orgContacts: seed.orgContacts ?? [],
      controls: { ...defaultControls(), ...this.defaultControls, ...(seed.controls ?? {}) },
    };
  }

  putTenant(data: TenantData): TenantState {
    const existing = this.tenants.get(data.id.toLowerCase());
    const state = existing ?? new TenantState(data);
    if (existing) {
      existing.data = data;
      existing.createdAt.clear();
      existing.reindex();
    }
    this.tenants.set(data.id.toLowerCase(), state);
    this.byDomain.set(data.initialDomain.toLowerCase(), state);
    for (const d of data.verifiedDomains) this.byDomain.set(d.toLowerCase(), state);
    return state;
  }

  /** A tenant by GUID, *.onmicrosoft.com name or verified domain. */
  tenant(idOrDomain: string): TenantState | undefined {
    const k = idOrDomain.toLowerCase();
    return this.tenants.get(k) ?? this.byDomain.get(k);
  }

  /** Restores a tenant to its seed, keeping its current realism controls. */
  reset(idOrDomain: string): TenantState | undefined {
    const t = this.tenant(idOrDomain);
    if (!t) return undefined;
    const seed = this.seeds.get(t.id);
    if (!seed) return undefined;
    const controls = t.data.controls;
    const data = this.tenantFromSeed(seed);
    data.controls = controls;
    return this.putTenant(data);
  }

  snapshotPath(dataDir: string): string {
    return join(dataDir, 'emulator-state.json');
  }

  /** Writes every tenant's state atomically, so a demo survives restarts. */
  saveSnapshot(dataDir: string): void {
    mkdirSync(dataDir, { recursive: true });
    // Only seeded tenants are restored at start, so only they are written: generated load-test
    // tenants are rebuilt deterministically and would make the snapshot hundreds of MB.
    const tenants = [...this.tenants.values()].filter((t) => this.seeds.has(t.id)).map((t) => t.data);
    const body = JSON.stringify({ savedAt: new Date().toISOString(), tenants });
    const path = this.snapshotPath(dataDir);
    writeFileSync(path + '.tmp', body);
    renameSync(path + '.tmp', path);
  }

  /** Replaces seeded tenants with their snapshot state where one exists. Returns how many. */
  loadSnapshot(dataDir: string): number {
    const path = this.snapshotPath(dataDir);
    if (!existsSync(path)) return 0;
    const snap = JSON.parse(readFileSync(path, 'utf8')) as { tenants: TenantData[] };
    let n = 0;
    for (const data of snap.tenants) {
      if (!this.seeds.has(data.id)) continue; // a tenant whose seed is gone is not resurrected
      this.putTenant(data);
      n++;
    }
    return n;
  }
}
