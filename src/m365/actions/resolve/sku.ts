// Turns "E3", "Business Premium", "SPE_E3" or a skuId into one of the tenant's SKUs. A friendly
// name that fits several SKUs the tenant owns (Office 365 E3 and Microsoft 365 E3) is an
// ambiguity the person must settle, never a guess.
import { AppError } from '../../../core/errors.ts';
import type { ActionContext } from '../action.ts';
import { closestMatches } from '../support/closest.ts';

export interface TenantSku {
  skuId: string;
  skuPartNumber: string;
  consumedUnits: number;
  prepaidUnits: { enabled: number; suspended: number; warning: number; lockedOut: number };
  capabilityStatus: string;
  servicePlans: Array<{ servicePlanId: string; servicePlanName: string }>;
}

/** Microsoft's product names for the part numbers Tenantflow knows. */
export const productNames: Record<string, string> = {
  O365_BUSINESS_ESSENTIALS: 'Microsoft 365 Business Basic',
  O365_BUSINESS_PREMIUM: 'Microsoft 365 Business Standard',
  SPB: 'Microsoft 365 Business Premium',
  ENTERPRISEPACK: 'Office 365 E3',
  ENTERPRISEPREMIUM: 'Office 365 E5',
  STANDARDPACK: 'Office 365 E1',
  SPE_E3: 'Microsoft 365 E3',
  SPE_E5: 'Microsoft 365 E5',
  SPE_F1: 'Microsoft 365 F3',
  VISIOCLIENT: 'Visio Plan 2',
  PROJECTPROFESSIONAL: 'Project Plan 3',
  POWER_BI_PRO: 'Power BI Pro',
  EXCHANGESTANDARD: 'Exchange Online (Plan 1)',
  EXCHANGEENTERPRISE: 'Exchange Online (Plan 2)',
  AAD_PREMIUM: 'Microsoft Entra ID P1',
  AAD_PREMIUM_P2: 'Microsoft Entra ID P2',
};

/** Short names technicians use, each naming one or more part numbers. */
const aliases: Record<string, string[]> = {
  e1: ['STANDARDPACK'],
  e3: ['ENTERPRISEPACK', 'SPE_E3'],
  e5: ['ENTERPRISEPREMIUM', 'SPE_E5'],
  f3: ['SPE_F1'],
  'o365 e3': ['ENTERPRISEPACK'], 'office e3': ['ENTERPRISEPACK'], 'office 365 e3': ['ENTERPRISEPACK'],
  'o365 e5': ['ENTERPRISEPREMIUM'], 'office e5': ['ENTERPRISEPREMIUM'], 'office 365 e5': ['ENTERPRISEPREMIUM'],
  'm365 e3': ['SPE_E3'], 'microsoft 365 e3': ['SPE_E3'], 'm365 e5': ['SPE_E5'], 'microsoft 365 e5': ['SPE_E5'],
  'business basic': ['O365_BUSINESS_ESSENTIALS'], basic: ['O365_BUSINESS_ESSENTIALS'],
  'business standard': ['O365_BUSINESS_PREMIUM'], standard: ['O365_BUSINESS_PREMIUM'],
  'business premium': ['SPB'], 'm365 business premium': ['SPB'], 'microsoft 365 business premium': ['SPB'],
  visio: ['VISIOCLIENT'], 'visio plan 2': ['VISIOCLIENT'],
  project: ['PROJECTPROFESSIONAL'],
  'power bi': ['POWER_BI_PRO'], 'power bi pro': ['POWER_BI_PRO'], powerbi: ['POWER_BI_PRO'], pbi: ['POWER_BI_PRO'],
  'exchange online': ['EXCHANGESTANDARD', 'EXCHANGEENTERPRISE'],
};

export function skuLabel(s: { skuPartNumber: string }): string {
  const name = productNames[s.skuPartNumber];
  return name ? `${name} (${s.skuPartNumber})` : s.skuPartNumber;
}

/**
 * Units that can still be assigned. Units in the warning state (a lapsed subscription in its grace
 * period) stay assignable, so they count; a tenant that over-consumed shows 0, never a negative.
 */
export function freeUnits(s: TenantSku): number {
  return Math.max(0, s.prepaidUnits.enabled + s.prepaidUnits.warning - s.consumedUnits);
}

/** Units the tenant pays for and may use (enabled plus grace-period units). */
export function usableUnits(s: TenantSku): number {
  return s.prepaidUnits.enabled + s.prepaidUnits.warning;
}

/** "Microsoft 365 E3 (SPE_E3), 2 free" for every SKU: what a person picks from. */
export function skuChoices(skus: readonly TenantSku[]): Array<{ value: string; label: string }> {
  return skus.map((s) => ({ value: s.skuPartNumber, label: `${skuLabel(s)}, ${freeUnits(s)} free` }));
}

/** The SKU with this id among the tenant's, case-insensitively. */
export function skuById(skus: readonly TenantSku[], skuId: string): TenantSku | undefined {
  const id = skuId.toLowerCase();
  return skus.find((s) => s.skuId.toLowerCase() === id);
}

export async function tenantSkus(ctx: ActionContext): Promise<TenantSku[]> {
  const res = await ctx.graph.get<{ value: TenantSku[] }>('/subscribedSkus');
  return res.value;
}

/** Which of `skus` the words name (several when ambiguous, none when unknown). */
export function matchSkus(words: string, skus: readonly TenantSku[]): TenantSku[] {
  const w = words.trim().toLowerCase().replace(/\s+/g, ' ').replace(/ licen[cs]e$/, '');
  const byId = skus.filter((s) => s.skuId.toLowerCase() === w || s.skuPartNumber.toLowerCase() === w);
  if (byId.length) return byId;
  const parts = aliases[w] ?? aliases[w.replace(/^(microsoft|office|m365|o365)\s*/, '')] ?? [];
  const byAlias = skus.filter((s) => parts.includes(s.skuPartNumber));
  if (byAlias.length) return byAlias;
  return skus.filter((s) => (productNames[s.skuPartNumber] ?? '').toLowerCase() === w);
}

/**
 * The tenant's SKUs nearest to a misspelt name. Each SKU is known by its part number, its product
 * name and the short names technicians use ("Buisness Premium" is near "business premium", so
 * SPB), and is suggested once, under the label a person reads.
 */
export function closestSkus(words: string, skus: readonly TenantSku[]): TenantSku[] {
  const byName = new Map<string, TenantSku>();
  for (const s of skus) {
    const names = [s.skuPartNumber, productNames[s.skuPartNumber], ...Object.entries(aliases).filter(([, parts]) => parts.length === 1 && parts[0] === s.skuPartNumber).map(([alias]) => alias)];
    for (const n of names) if (n && !byName.has(n.toLowerCase())) byName.set(n.toLowerCase(), s);
  }
  const out: TenantSku[] = [];
  for (const name of closestMatches(words, [...byName.keys()], 12)) {
    const s = byName.get(name)!;
    if (!out.includes(s)) out.push(s);
  }
  return out.slice(0, 3);
}

export async function resolveSku(ctx: ActionContext, words: string, param = 'sku', skus?: TenantSku[]): Promise<TenantSku> {
  const all = skus ?? (await tenantSkus(ctx));
  const hits = matchSkus(words, all);
  if (hits.length === 1) return hits[0]!;
  if (hits.length > 1) {
    const choices = skuChoices(hits);
    throw new AppError({
      code: 'ambiguous_value',
      message: `'${words}' matches ${hits.length} licences in ${ctx.tenant.domain}: ${choices.map((c) => c.label).join(' and ')}.`,
      fix: `Name one of them: ${hits.map((s) => s.skuPartNumber).join(' or ')}.`,
      param,
      value: words,
      details: { choices },
    });
  }
  const near = closestSkus(words, all);
  const suggestions = near.map((s) => s.skuPartNumber);
  throw new AppError({
    code: 'unknown_sku',
    message: `${ctx.tenant.domain} has no licence '${words}'.${near.length ? ` Did you mean ${near.map(skuLabel).join(', or ')}?` : ''}`,
    fix: all.length ? `Use one the tenant has: ${skuChoices(all).map((c) => c.label).join('; ')}.` : `${ctx.tenant.domain} subscribes to no licences.`,
    param,
    value: words,
    details: { suggestions, choices: skuChoices(all) },
  });
}
