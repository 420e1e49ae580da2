// The app registration every demo and generated tenant consents to. Its secret is public on
// purpose: the emulator is a test double and the README tells people to use it.
import type { AppGrant, EmuApp, PartnerRefreshToken } from '../state/model.ts';
import { fullExchangeRoles, fullGraphRoles } from './sku-catalog.ts';

export const DEMO_APP_ID = 'tenantflow-demo';
export const DEMO_APP_SECRET = 'tenantflow-demo-secret';

export function demoApp(): EmuApp {
  return { appId: DEMO_APP_ID, displayName: 'Tenantflow (demo)', secrets: [DEMO_APP_SECRET], certificates: [] };
}

export function fullGrant(): AppGrant {
  return { graphRoles: [...fullGraphRoles], exchangeRoles: [...fullExchangeRoles] };
}

/** The GDAP partner's refresh token (a technician at the MSP), usable against every demo tenant. */
export function demoPartnerToken(): PartnerRefreshToken {
  return { refreshToken: 'tenantflow-demo-gdap-refresh-token', appId: DEMO_APP_ID, upn: 'tech@northwind-msp.com' };
}
