// The demo seed: Contoso (contoso.onmicrosoft.com / contoso.com, 250+ people with the users the
// chat examples name) and Fabrikam (a small tenant where the demo app lacks permissions). Written to
// demo.seed.json by write-demo-seed.ts; the emulator loads that JSON, not this code.
import { stableId } from '../../core/ids.ts';
import type { AppGrant, SeedFile } from '../state/model.ts';
import { demoApp, DEMO_APP_ID, demoPartnerToken, fullGrant } from './demo-app.ts';
import { buildOrg } from './org-builder.ts';
import { EXECUTIVE } from './org-data.ts';
import type { PersonSeed } from './org-people.ts';
import { SeedClock } from './seed-clock.ts';
import { fullGraphRoles } from './sku-catalog.ts';

export const CONTOSO_TENANT_ID = stableId('tenant:contoso');
export const FABRIKAM_TENANT_ID = stableId('tenant:fabrikam');

/** People the chat examples and docs refer to by name; everyone else is generated. */
export const contosoNamedPeople: readonly PersonSeed[] = [
  { givenName: 'Patti', surname: 'Fernandez', department: EXECUTIVE, jobTitle: 'Chief Executive Officer', role: 'ceo', office: 'Seattle HQ', licence: 'SPE_E5' },
  { givenName: 'Irvin', surname: 'Sayers', department: 'Sales', jobTitle: 'Vice President of Sales', role: 'head', office: 'New York' },
  { givenName: 'Megan', surname: 'Bowen', department: 'Marketing', jobTitle: 'Marketing Director', role: 'head', office: 'Seattle HQ' },
  { givenName: 'Pradeep', surname: 'Gupta', department: 'Finance', jobTitle: 'Chief Financial Officer', role: 'head', office: 'Seattle HQ' },
  { givenName: 'Diego', surname: 'Siciliani', department: 'HR', jobTitle: 'HR Director', role: 'head', office: 'London' },
  { givenName: 'Lee', surname: 'Gu', department: 'R&D', jobTitle: 'Director of Research & Development', role: 'head', office: 'Seattle HQ' },
  { givenName: 'Lidia', surname: 'Holloway', department: 'IT', jobTitle: 'IT Director', role: 'head', office: 'Seattle HQ' },
  // Holds Microsoft 365 E3 so "assign E5 to nestor" has something to do.
  { givenName: 'Nestor', surname: 'Wilke', department: 'Operations', jobTitle: 'Operations Director', role: 'head', office: 'Seattle HQ', licence: 'SPE_E3' },
  { givenName: 'Debra', surname: 'Berger', department: EXECUTIVE, jobTitle: 'Executive Assistant', role: 'staff', office: 'Seattle HQ', licence: 'SPE_E3' },
  { givenName: 'Alex', surname: 'Wilber', department: 'Marketing', jobTitle: 'Marketing Assistant', role: 'staff', office: 'Seattle HQ', licence: 'ENTERPRISEPACK' },
  { givenName: 'Jane', surname: 'Smith', department: 'Marketing', jobTitle: 'Content Marketing Manager', role: 'staff', office: 'London', licence: 'ENTERPRISEPACK' },
  { givenName: 'Isaiah', surname: 'Langer', department: 'Sales', jobTitle: 'Sales Representative', role: 'staff', office: 'New York', licence: 'ENTERPRISEPACK', authKinds: ['microsoftAuthenticator', 'phone'] },
  { givenName: 'Miriam', surname: 'Graham', department: 'Sales', jobTitle: 'Account Director', role: 'staff', office: 'Seattle HQ', licence: 'SPE_E3' },
  { givenName: 'John', surname: 'Doe', department: 'Sales', jobTitle: 'Account Executive', role: 'staff', office: 'Seattle HQ', licence: 'SPE_E3', authKinds: ['microsoftAuthenticator'] },
  { givenName: 'Christie', surname: 'Cline', department: 'Sales', jobTitle: 'Senior Account Executive', role: 'staff', office: 'Amsterdam', licence: 'ENTERPRISEPACK' },
  { givenName: 'Joni', surname: 'Sherman', department: 'Finance', jobTitle: 'Compliance Analyst', role: 'staff', office: 'Seattle HQ', licence: 'SPE_E3' },
  { givenName: 'Emily', surname: 'Braun', department: 'Finance', jobTitle: 'Budget Analyst', role: 'staff', office: 'Berlin', licence: 'SPE_E3' },
  { givenName: 'Grady', surname: 'Archie', department: 'R&D', jobTitle: 'Product Designer', role: 'staff', office: 'Seattle HQ', licence: 'SPE_E3' },
  { givenName: 'Johanna', surname: 'Lorenz', department: 'R&D', jobTitle: 'Senior Software Engineer', role: 'staff', office: 'Munich', licence: 'SPE_E3' },
  { givenName: 'Henrietta', surname: 'Mueller', department: 'R&D', jobTitle: 'Software Engineer', role: 'staff', office: 'Berlin', licence: 'SPE_E3', authKinds: ['fido2', 'microsoftAuthenticator'] },
  { givenName: 'Lynne', surname: 'Robbins', department: 'Operations', jobTitle: 'Supply Chain Planner', role: 'staff', office: 'Seattle HQ', licence: 'SPB' },
];

/** Names the demo onboards or uses as "does not exist" examples; never seeded. */
export const contosoReserved = ['adele.vance', 'carlos.mendes'];

/** Fabrikam's consent lacks these, so permission checks and their fixes can be shown. */
export const fabrikamMissingGraphRoles = ['UserAuthenticationMethod.ReadWrite.All', 'LicenseAssignment.ReadWrite.All', 'Mail.Send'];
/**
 * The broad roles Graph also accepts for those operations (User.ReadWrite.All assigns licences,
 * Directory.ReadWrite.All nearly everything): a least-privilege consent has neither, only reads and
 * the narrow write roles.
 */
export const fabrikamGraphRoles = fullGraphRoles
  .filter((r) => !fabrikamMissingGraphRoles.includes(r) && r !== 'User.ReadWrite.All' && r !== 'Directory.ReadWrite.All')
  .concat(['User.Read.All', 'Directory.Read.All']);

export function demoSeed(referenceDate: string): SeedFile {
  const clock = SeedClock.ofDate(referenceDate);
  const contoso = buildOrg({
    key: 'contoso', tenantId: CONTOSO_TENANT_ID, displayName: 'Contoso', companyName: 'Contoso Ltd.', brand: 'Contoso',
    initialDomain: 'contoso.onmicrosoft.com', domain: 'contoso.com', defaultUsageLocation: 'US',
    members: 258, named: contosoNamedPeople, guests: 4, synced: 5, salesLeaversSoon: 6, reserved: contosoReserved,
    skuProfile: 'enterprise', clock, fastIds: false,
    apps: { [DEMO_APP_ID]: fullGrant() },
  });
  const limited: AppGrant = { graphRoles: [...fabrikamGraphRoles], exchangeRoles: [] };
  const fabrikam = buildOrg({
    key: 'fabrikam', tenantId: FABRIKAM_TENANT_ID, displayName: 'Fabrikam', companyName: 'Fabrikam, Inc.', brand: 'Fabrikam',
    initialDomain: 'fabrikam.onmicrosoft.com', domain: 'fabrikam.com', defaultUsageLocation: 'GB',
    members: 13, departments: ['Sales', 'Finance', 'Operations', 'IT'], guests: 1, synced: 0, salesLeaversSoon: 0,
    skuProfile: 'smb', clock, fastIds: false,
    apps: { [DEMO_APP_ID]: limited },
  });
  return {
    referenceDate: clock.date,
    apps: [demoApp()],
    partnerRefreshTokens: [demoPartnerToken()],
    tenants: [contoso.tenant, fabrikam.tenant],
  };
}

/** The exact text of demo.seed.json for a reference date. */
export function demoSeedJson(referenceDate: string): string {
  return JSON.stringify(demoSeed(referenceDate), null, 1) + '\n';
}
