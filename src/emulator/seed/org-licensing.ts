// Licences of a seeded organisation: one Exchange-bearing SKU per licensed person, Power BI and
// Visio add-ons (directly, through a licensed group, or both), and the subscribed SKUs sized so
// some have free units and some are exhausted — consumed never exceeds enabled.
import { stableId } from '../../core/ids.ts';
import type { EmuSku } from '../state/model.ts';
import { departmentProfiles, EXECUTIVE, type PartNumber } from './org-data.ts';
import type { Person } from './org-people.ts';
import type { Rng } from './prng.ts';
import { skuCatalog, subscribedSku } from './sku-catalog.ts';

export type SkuProfile = 'enterprise' | 'smb';

interface ProfileDef {
  /** Subscribed SKUs in the order the tenant lists them. */
  skus: readonly PartNumber[];
  /** Free units on top of the consumed ones (0: exhausted). */
  free: Record<string, (consumed: number) => number>;
  staff: (p: Person, rng: Rng) => PartNumber;
  leader: PartNumber;
  visio: boolean;
}

const profiles: Record<SkuProfile, ProfileDef> = {
  enterprise: {
    skus: ['O365_BUSINESS_ESSENTIALS', 'O365_BUSINESS_PREMIUM', 'SPB', 'ENTERPRISEPACK', 'ENTERPRISEPREMIUM', 'SPE_E3', 'SPE_E5', 'VISIOCLIENT', 'POWER_BI_PRO'],
    free: {
      O365_BUSINESS_ESSENTIALS: (c) => Math.max(5, Math.ceil(c * 0.1)),
      O365_BUSINESS_PREMIUM: () => 1,
      SPB: (c) => Math.max(3, Math.ceil(c * 0.08)),
      ENTERPRISEPACK: (c) => Math.max(2, Math.ceil(c * 0.05)),
      ENTERPRISEPREMIUM: () => 0,
      SPE_E3: (c) => Math.max(3, Math.ceil(c * 0.06)),
      SPE_E5: () => 2,
      VISIOCLIENT: () => 0,
      POWER_BI_PRO: (c) => Math.max(4, Math.ceil(c * 0.1)),
    },
    staff: (p, rng) => {
      if (p.user.employeeType === 'Contractor') return 'O365_BUSINESS_ESSENTIALS';
      const dept = p.user.department;
      if (!dept || dept === EXECUTIVE) return 'SPE_E3';
      return rng.weighted(departmentProfiles[dept as keyof typeof departmentProfiles].licences);
    },
    leader: 'SPE_E5',
    visio: true,
  },
  smb: {
    skus: ['O365_BUSINESS_ESSENTIALS', 'SPB', 'POWER_BI_PRO'],
    free: { O365_BUSINESS_ESSENTIALS: () => 5, SPB: () => 3, POWER_BI_PRO: () => 2 },
    staff: (p, rng) => (p.user.employeeType === 'Contractor' || rng.chance(0.3) ? 'O365_BUSINESS_ESSENTIALS' : 'SPB'),
    leader: 'SPB',
    visio: false,
  },
};

export interface LicensePlan {
  /** Members of the group that carries POWER_BI_PRO. */
  powerBiGroup: Person[];
  /** Members of the group that carries VISIOCLIENT (empty when the profile has no Visio). */
  visioGroup: Person[];
}

const skuIdOf = (part: PartNumber) => skuCatalog[part]!.skuId;

/** Chooses and assigns every person's direct licences; returns who the licensed groups hold. */
export function planLicences(people: readonly Person[], profileName: SkuProfile, rng: Rng): LicensePlan {
  const profile = profiles[profileName];
  const licensed: Person[] = [];
  for (const p of people) {
    if (!p.user.usageLocation) continue;
    if (p.lifecycle === 'leftRecently' && !p.user.accountEnabled && rng.chance(0.5)) continue; // already cleaned up
    const part = p.licence ?? (p.role === 'staff' ? profile.staff(p, rng) : profile.leader);
    p.licence = part;
    p.user.directLicenses.push({ skuId: skuIdOf(part), disabledPlans: [] });
    licensed.push(p);
  }

  const addDirect = (p: Person, part: PartNumber) => p.user.directLicenses.push({ skuId: skuIdOf(part), disabledPlans: [] });
  const dept = (p: Person) => p.user.department;
  const powerBiGroup = licensed.filter((p) =>
    (dept(p) === 'Finance' && (p.role === 'head' || rng.chance(0.5))) ||
    (p.role === 'head' && dept(p) === 'Sales') ||
    ((dept(p) === 'Sales' || dept(p) === 'Marketing') && rng.chance(0.08)));
  const powerBiDirect = licensed.filter((p) =>
    (dept(p) === 'Finance' && rng.chance(0.3)) || (p.user.jobTitle === 'Data Scientist' && rng.chance(0.5)));
  // Someone always holds it both ways, as happens after a move to group-based licensing.
  if (powerBiDirect.length && !powerBiDirect.some((p) => powerBiGroup.includes(p))) powerBiGroup.push(powerBiDirect[0]!);
  for (const p of powerBiDirect) addDirect(p, 'POWER_BI_PRO');

  let visioGroup: Person[] = [];
  if (profile.visio) {
    const drawing = new Set(['Product Designer', 'Hardware Engineer', 'Engineering Manager']);
    visioGroup = licensed.filter((p) => (dept(p) === 'R&D' && drawing.has(p.user.jobTitle ?? '')) || (p.user.jobTitle === 'Supply Chain Planner' && rng.chance(0.3)));
    for (const p of visioGroup.slice(0, 2)) addDirect(p, 'VISIOCLIENT');
    const directOnly = licensed.find((p) => p.user.jobTitle === 'Network Engineer' && !visioGroup.includes(p));
    if (directOnly) addDirect(directOnly, 'VISIOCLIENT');
  }
  return { powerBiGroup, visioGroup };
}

/** Subscribed SKUs with prepaid units = consumed (direct ∪ group-inherited, per user) + free. */
export function subscribedSkus(key: string, people: readonly Person[], plan: LicensePlan, profileName: SkuProfile): EmuSku[] {
  const profile = profiles[profileName];
  const consumed = new Map<string, number>();
  const inPbi = new Set(plan.powerBiGroup);
  const inVisio = new Set(plan.visioGroup);
  const pbi = skuIdOf('POWER_BI_PRO');
  const visio = skuIdOf('VISIOCLIENT');
  for (const p of people) {
    const skus = new Set(p.user.directLicenses.map((l) => l.skuId));
    if (inPbi.has(p)) skus.add(pbi);
    if (inVisio.has(p)) skus.add(visio);
    for (const s of skus) consumed.set(s, (consumed.get(s) ?? 0) + 1);
  }
  return profile.skus.map((part) => {
    const used = consumed.get(skuIdOf(part)) ?? 0;
    const enabled = Math.max(1, used + profile.free[part]!(used));
    return subscribedSku(part, enabled, stableId(`${key}:subscription:${part}`));
  });
}

/** SKU ids whose service plans include Exchange Online (a mailbox comes with them). */
export const exchangeSkuIds: ReadonlySet<string> = new Set(
  Object.values(skuCatalog).filter((c) => c.servicePlans.some((s) => s.servicePlanName.startsWith('EXCHANGE_S_'))).map((c) => c.skuId),
);
