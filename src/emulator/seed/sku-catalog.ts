// Microsoft's real SKU part numbers and ids (Product names and service plan identifiers for
// licensing), with the service plans the emulator models. Seeds reference SKUs by part number.
import type { EmuSku, ServicePlan } from '../state/model.ts';

const plan = (servicePlanId: string, servicePlanName: string): ServicePlan => ({ servicePlanId, servicePlanName, provisioningStatus: 'Success', appliesTo: 'User' });

const EXCHANGE_S_STANDARD = plan('9aaf7827-d63c-4b61-89c3-182f06f82e5c', 'EXCHANGE_S_STANDARD');
const EXCHANGE_S_ENTERPRISE = plan('efb87545-963c-4e0d-99df-69c6916d9eb0', 'EXCHANGE_S_ENTERPRISE');
const TEAMS1 = plan('57ff2da0-773e-42df-b2af-ffb7a2317929', 'TEAMS1');
const SHAREPOINTSTANDARD = plan('c7699d2e-19aa-44de-8edf-1736da088ca1', 'SHAREPOINTSTANDARD');
const SHAREPOINTENTERPRISE = plan('5dbe027f-2339-4123-9542-606e4d348a72', 'SHAREPOINTENTERPRISE');
const OFFICESUBSCRIPTION = plan('43de0ff5-c92c-492b-9116-175376d08c38', 'OFFICESUBSCRIPTION');
const AAD_PREMIUM = plan('41781fb2-bc02-4b7c-bd55-b576c07bb09d', 'AAD_PREMIUM');
const AAD_PREMIUM_P2 = plan('eec0eb4f-6444-4f95-aba0-50c24d67f998', 'AAD_PREMIUM_P2');
const INTUNE_A = plan('c1ec4a95-1f05-45b3-a911-aa3fa01094f5', 'INTUNE_A');
const VISIO_CLIENT_SUBSCRIPTION = plan('663a804f-1c30-4ff0-9915-9db84f0d1cea', 'VISIO_CLIENT_SUBSCRIPTION');
const BI_AZURE_P2 = plan('70d33638-9c74-4d01-bfd3-562de28bd4ba', 'BI_AZURE_P2');

export interface SkuCatalogEntry {
  skuId: string;
  skuPartNumber: string;
  displayName: string;
  servicePlans: ServicePlan[];
}

export const skuCatalog: Record<string, SkuCatalogEntry> = {
  O365_BUSINESS_ESSENTIALS: { skuId: '3b555118-da6a-4418-894f-7df1e2096870', skuPartNumber: 'O365_BUSINESS_ESSENTIALS', displayName: 'Microsoft 365 Business Basic', servicePlans: [EXCHANGE_S_STANDARD, TEAMS1, SHAREPOINTSTANDARD] },
  O365_BUSINESS_PREMIUM: { skuId: 'f245ecc8-75af-4f8e-b61f-27d8114de5f3', skuPartNumber: 'O365_BUSINESS_PREMIUM', displayName: 'Microsoft 365 Business Standard', servicePlans: [EXCHANGE_S_STANDARD, TEAMS1, SHAREPOINTSTANDARD, OFFICESUBSCRIPTION] },
  SPB: { skuId: 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46', skuPartNumber: 'SPB', displayName: 'Microsoft 365 Business Premium', servicePlans: [EXCHANGE_S_STANDARD, TEAMS1, SHAREPOINTSTANDARD, OFFICESUBSCRIPTION, AAD_PREMIUM, INTUNE_A] },
  ENTERPRISEPACK: { skuId: '6fd2c87f-b296-42f0-b197-1e91e994b900', skuPartNumber: 'ENTERPRISEPACK', displayName: 'Office 365 E3', servicePlans: [EXCHANGE_S_ENTERPRISE, TEAMS1, SHAREPOINTENTERPRISE, OFFICESUBSCRIPTION] },
  ENTERPRISEPREMIUM: { skuId: 'c7df2760-2c81-4ef7-b578-5b5392b571df', skuPartNumber: 'ENTERPRISEPREMIUM', displayName: 'Office 365 E5', servicePlans: [EXCHANGE_S_ENTERPRISE, TEAMS1, SHAREPOINTENTERPRISE, OFFICESUBSCRIPTION] },
  SPE_E3: { skuId: '05e9a617-0261-4cee-bb44-138d3ef5d965', skuPartNumber: 'SPE_E3', displayName: 'Microsoft 365 E3', servicePlans: [EXCHANGE_S_ENTERPRISE, TEAMS1, SHAREPOINTENTERPRISE, OFFICESUBSCRIPTION, AAD_PREMIUM, INTUNE_A] },
  SPE_E5: { skuId: '06ebc4ee-1bb5-47dd-8120-11324bc54e06', skuPartNumber: 'SPE_E5', displayName: 'Microsoft 365 E5', servicePlans: [EXCHANGE_S_ENTERPRISE, TEAMS1, SHAREPOINTENTERPRISE, OFFICESUBSCRIPTION, AAD_PREMIUM, AAD_PREMIUM_P2, INTUNE_A] },
  VISIOCLIENT: { skuId: 'c5928f49-12ba-48f7-ada3-0d743a3601d5', skuPartNumber: 'VISIOCLIENT', displayName: 'Visio Plan 2', servicePlans: [VISIO_CLIENT_SUBSCRIPTION] },
  POWER_BI_PRO: { skuId: 'f8a1db68-be16-40ed-86d5-cb42ce701560', skuPartNumber: 'POWER_BI_PRO', displayName: 'Power BI Pro', servicePlans: [BI_AZURE_P2] },
};

/** A subscribed SKU for a seed, with `enabled` prepaid units. */
export function subscribedSku(partNumber: keyof typeof skuCatalog | string, enabled: number, subscriptionSeed: string): EmuSku {
  const c = skuCatalog[partNumber];
  if (!c) throw new Error(`Unknown SKU part number ${partNumber}`);
  return {
    skuId: c.skuId,
    skuPartNumber: c.skuPartNumber,
    displayName: c.displayName,
    appliesTo: 'User',
    capabilityStatus: 'Enabled',
    prepaidUnits: { enabled, suspended: 0, warning: 0, lockedOut: 0 },
    servicePlans: c.servicePlans.map((p) => ({ ...p })),
    subscriptionIds: [subscriptionSeed],
    includesExchange: c.servicePlans.some((p) => p.servicePlanName.startsWith('EXCHANGE_S_')),
  };
}

/** Every Graph and Exchange application permission the Tenantflow actions need. */
export const fullGraphRoles = [
  'User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All', 'Directory.ReadWrite.All',
  'LicenseAssignment.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All', 'User.RevokeSessions.All',
  'User.EnableDisableAccount.All', 'User.DeleteRestore.All', 'MailboxSettings.ReadWrite', 'Mail.Send',
  'TeamMember.ReadWrite.All', 'Organization.Read.All', 'AuditLog.Read.All',
];
export const fullExchangeRoles = ['Exchange.ManageAsApp'];
