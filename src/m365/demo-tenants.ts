// The two tenants every installation knows: Contoso and Fabrikam, served by the bundled emulator.
// Their ids are the same deterministic ids the emulator's demo seed uses, so a token for
// contoso.onmicrosoft.com carries the tid the connector expects.
import { stableId } from '../core/ids.ts';
import { defineTenant, type TenantConfig } from './tenant-config.ts';

export const DEMO_CLIENT_ID = 'tenantflow-demo';
export const DEMO_CLIENT_SECRET = 'tenantflow-demo-secret';
export const DEFAULT_EMULATOR_TLS_PORT = 4443;

export const demoTenantSeeds = [
  // welcomeSender: the shared mailbox onboarding's welcome email comes from (both seeds have info@).
  { key: 'contoso', domain: 'contoso.onmicrosoft.com', displayName: 'Contoso', usageLocation: 'US', welcomeSender: 'info@contoso.com' },
  // The emulator seeds Fabrikam as a UK company (defaultUsageLocation GB); the default follows it.
  { key: 'fabrikam', domain: 'fabrikam.onmicrosoft.com', displayName: 'Fabrikam', usageLocation: 'GB', welcomeSender: 'info@fabrikam.com' },
] as const;

export interface DemoTenantOptions {
  /** HTTPS port of the emulator (EMULATOR_TLS_PORT, default 4443). */
  tlsPort?: number;
  /** Host the emulator answers on; its certificate names localhost and 127.0.0.1. */
  host?: string;
  /** The emulator's certificate PEM, when already known (tests pass the harness's). */
  caPem?: string;
  /** Or the file the emulator writes it to (`${dataDir}/emulator-cert.pem`), read on first use. */
  caPemPath?: string;
}

export function demoTenants(opts: DemoTenantOptions = {}): TenantConfig[] {
  const origin = `https://${opts.host ?? 'localhost'}:${opts.tlsPort ?? DEFAULT_EMULATOR_TLS_PORT}`;
  return demoTenantSeeds.map((d) =>
    defineTenant({
      id: stableId(`tenant:${d.key}`),
      domain: d.domain,
      displayName: d.displayName,
      loginBaseUrl: origin,
      graphBaseUrl: origin,
      exchangeBaseUrl: `${origin}/adminapi/beta`,
      credentials: { kind: 'clientSecret', clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET },
      defaults: { usageLocation: d.usageLocation, welcomeSender: d.welcomeSender },
      ...(opts.caPem !== undefined ? { caPem: opts.caPem } : {}),
      ...(opts.caPem === undefined && opts.caPemPath !== undefined ? { caPemPath: opts.caPemPath } : {}),
    }, { source: 'the built-in demo tenants' }),
  );
}
