// The set of tenants this installation manages: the built-in demo tenants plus those listed in
// the JSON file named by TENANTFLOW_TENANTS_FILE. Lookups accept the tenant GUID, the
// *.onmicrosoft.com domain or the bare prefix ("contoso").
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { closestMatches } from './actions/support/closest.ts';
import { demoTenants } from './demo-tenants.ts';
import { defineTenant, type TenantConfig } from './tenant-config.ts';

export class TenantRegistry {
  private readonly byKey = new Map<string, TenantConfig>();
  private readonly ordered: TenantConfig[] = [];

  constructor(tenants: readonly TenantConfig[] = []) {
    for (const t of tenants) this.add(t);
  }

  /** Adds a tenant; a second tenant with the same id or domain is a configuration error. */
  add(t: TenantConfig): void {
    for (const key of [t.id, t.domain]) {
      const existing = this.byKey.get(key);
      if (existing) {
        throw new AppError({ code: 'invalid_parameter', param: 'tenants', value: key, message: `Tenant ${t.domain} (${t.id}) is configured twice: ${key} is already used by ${existing.domain}.`, fix: 'Remove the duplicate entry from the tenants file.' });
      }
    }
    this.byKey.set(t.id, t);
    this.byKey.set(t.domain, t);
    this.ordered.push(t);
  }

  list(): readonly TenantConfig[] {
    return this.ordered;
  }

  find(ref: string): TenantConfig | undefined {
    const k = ref.trim().toLowerCase();
    return this.byKey.get(k) ?? this.byKey.get(`${k}.onmicrosoft.com`);
  }

  /** Throws unknown_tenant, listing the closest configured tenants. */
  get(ref: string): TenantConfig {
    const t = this.find(ref);
    if (t) return t;
    const closest = closestDomains(ref, this.ordered.map((x) => x.domain));
    const all = this.ordered.map((x) => x.domain);
    throw new AppError({
      code: 'unknown_tenant', param: 'tenant', value: ref,
      message: `No tenant '${ref}' is configured.${closest.length ? ` Did you mean ${closest.join(' or ')}?` : ''}`,
      fix: `Use a configured tenant by its id, domain or prefix (${all.length ? all.join(', ') : 'none is configured'}); add others to the file TENANTFLOW_TENANTS_FILE names.`,
      details: { closest, configured: all },
    });
  }
}

/** Domains near a typed tenant name, compared on the part a person types ("contoso"). */
function closestDomains(ref: string, domains: string[]): string[] {
  const short = (d: string) => d.replace(/\.onmicrosoft\.com$/i, '');
  const typed = short(ref.trim());
  const near = closestMatches(typed, domains.map(short));
  return near.map((n) => domains.find((d) => short(d) === n)!);
}

// ---------------------------------------------------------------------------------------------
// Loading

const tenantsFileSchema = z.object({
  /** Keep Contoso and Fabrikam (served by the emulator) next to the file's tenants. */
  includeDemoTenants: z.boolean().default(true),
  tenants: z.array(z.unknown()).default([]),
}).strict();

export interface RegistryEnv {
  TENANTFLOW_TENANTS_FILE?: string | undefined;
  TENANTFLOW_DATA_DIR?: string | undefined;
  EMULATOR_TLS_PORT?: string | undefined;
}

/** Reads the tenants file (if any) and adds the demo tenants pointing at the local emulator. */
export function loadTenantRegistry(env: RegistryEnv = process.env, cwd = process.cwd()): TenantRegistry {
  const registry = new TenantRegistry();
  let includeDemo = true;
  let fileTenants: TenantConfig[] = [];
  const file = env.TENANTFLOW_TENANTS_FILE;
  if (file) {
    const path = resolve(cwd, file);
    const parsed = readTenantsFile(path);
    includeDemo = parsed.includeDemoTenants;
    fileTenants = parsed.tenants.map((raw, i) => defineTenant(raw, { source: path, baseDir: dirname(path), paramPrefix: `tenants[${i}]` }));
  }
  if (includeDemo) {
    const port = env.EMULATOR_TLS_PORT ? Number(env.EMULATOR_TLS_PORT) : undefined;
    if (port !== undefined && (!Number.isInteger(port) || port <= 0 || port > 65535)) {
      throw new AppError({ code: 'invalid_parameter', param: 'EMULATOR_TLS_PORT', value: env.EMULATOR_TLS_PORT, message: `EMULATOR_TLS_PORT must be a TCP port number, not '${env.EMULATOR_TLS_PORT}'.` });
    }
    const dataDir = resolve(cwd, env.TENANTFLOW_DATA_DIR ?? './data');
    for (const t of demoTenants({ ...(port !== undefined ? { tlsPort: port } : {}), caPemPath: join(dataDir, 'emulator-cert.pem') })) registry.add(t);
  }
  for (const t of fileTenants) registry.add(t);
  return registry;
}

function readTenantsFile(path: string): z.infer<typeof tenantsFileSchema> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new AppError({ code: 'invalid_parameter', param: 'TENANTFLOW_TENANTS_FILE', value: path, message: `The tenants file ${path} cannot be read.`, fix: 'Set TENANTFLOW_TENANTS_FILE to an existing JSON file, or unset it to use only the demo tenants.' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AppError({ code: 'invalid_json', param: 'TENANTFLOW_TENANTS_FILE', value: path, message: `The tenants file ${path} is not valid JSON: ${(e as Error).message}.`, fix: 'Fix the JSON syntax of the tenants file.' });
  }
  const parsed = tenantsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || 'top level';
    throw new AppError({ code: 'invalid_parameter', param: 'TENANTFLOW_TENANTS_FILE', value: path, message: `The tenants file ${path}: ${where}: ${issue.message}.`, fix: 'The file is {"includeDemoTenants"?: boolean, "tenants": [ ... ]}; see src/m365/README.md.' });
  }
  return parsed.data;
}
