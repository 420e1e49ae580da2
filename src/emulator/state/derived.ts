// Views Graph computes rather than stores: effective licences, consumed units, dynamic membership.
import type { EmuGroup, EmuUser, LicenseAssignment } from './model.ts';
import type { TenantState } from './tenant-state.ts';

export interface LicenseAssignmentState {
  skuId: string;
  disabledPlans: string[];
  assignedByGroup: string | null;
  state: 'Active';
  error: 'None';
  lastUpdatedDateTime: string | null;
}

/** Groups (static or dynamic) the user is a direct member of. */
export function groupsOfUser(t: TenantState, user: EmuUser): EmuGroup[] {
  return t.data.groups.filter((g) => isMember(t, g, user));
}

/** Groups that hold `id` (a group or mail contact) as a static member; dynamic rules take only users. */
export function groupsHolding(t: TenantState, id: string): EmuGroup[] {
  return t.data.groups.filter((g) => !isDynamic(g) && g.memberIds.includes(id));
}

/**
 * The groups `direct` are in, then the groups containing those, and so on, each once (what Graph's
 * transitiveMemberOf lists). Cycles are tolerated.
 */
export function transitiveGroups(t: TenantState, direct: readonly EmuGroup[]): EmuGroup[] {
  const seen = new Set<string>();
  const out: EmuGroup[] = [];
  let frontier = [...direct];
  while (frontier.length) {
    const next: EmuGroup[] = [];
    for (const g of frontier) {
      if (seen.has(g.id)) continue;
      seen.add(g.id);
      out.push(g);
      for (const parent of groupsHolding(t, g.id)) if (!seen.has(parent.id)) next.push(parent);
    }
    frontier = next;
  }
  return out;
}

export function isMember(t: TenantState, g: EmuGroup, user: EmuUser): boolean {
  if (isDynamic(g)) return matchesDynamicRule(g.membershipRule ?? '', user);
  return g.memberIds.includes(user.id);
}

export function isDynamic(g: EmuGroup): boolean {
  return g.groupTypes.includes('DynamicMembership');
}

export function memberIdsOf(t: TenantState, g: EmuGroup): string[] {
  if (!isDynamic(g)) return g.memberIds;
  return t.data.users.filter((u) => matchesDynamicRule(g.membershipRule ?? '', u)).map((u) => u.id);
}

export function licenseStates(t: TenantState, user: EmuUser): LicenseAssignmentState[] {
  const out: LicenseAssignmentState[] = user.directLicenses.map((l) => ({
    skuId: l.skuId, disabledPlans: l.disabledPlans, assignedByGroup: null, state: 'Active', error: 'None', lastUpdatedDateTime: null,
  }));
  for (const g of t.data.groups) {
    if (g.assignedLicenses.length === 0 || !isMember(t, g, user)) continue;
    for (const l of g.assignedLicenses) {
      out.push({ skuId: l.skuId, disabledPlans: l.disabledPlans, assignedByGroup: g.id, state: 'Active', error: 'None', lastUpdatedDateTime: null });
    }
  }
  return out;
}

/** Graph's assignedLicenses: one entry per SKU, direct or inherited. */
export function assignedLicenses(t: TenantState, user: EmuUser): LicenseAssignment[] {
  const seen = new Map<string, LicenseAssignment>();
  for (const s of licenseStates(t, user)) if (!seen.has(s.skuId)) seen.set(s.skuId, { skuId: s.skuId, disabledPlans: s.disabledPlans });
  return [...seen.values()];
}

let consumedCache: { tenant: TenantState; version: number; counts: Map<string, number> } | undefined;

/** consumedUnits per SKU, kept true by recomputing whenever the tenant changed. */
export function consumedUnits(t: TenantState): Map<string, number> {
  if (consumedCache && consumedCache.tenant === t && consumedCache.version === t.version) return consumedCache.counts;
  const counts = new Map<string, number>();
  const licensedGroups = t.data.groups.filter((g) => g.assignedLicenses.length > 0);
  for (const u of t.data.users) {
    const skus = new Set(u.directLicenses.map((l) => l.skuId));
    for (const g of licensedGroups) if (isMember(t, g, u)) for (const l of g.assignedLicenses) skus.add(l.skuId);
    for (const s of skus) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  consumedCache = { tenant: t, version: t.version, counts };
  return counts;
}

/**
 * Entra dynamic membership rules, the subset the seeds use:
 * `(user.department -eq "Sales") -and (user.accountEnabled -eq true)`, with -eq, -ne,
 * -startsWith, -contains, -and, -or, -not and parentheses.
 */
export function matchesDynamicRule(rule: string, user: EmuUser): boolean {
  const tokens = rule.match(/\(|\)|-and\b|-or\b|-not\b|-eq\b|-ne\b|-startsWith\b|-contains\b|"[^"]*"|user\.[A-Za-z]+|true|false|null/gi) ?? [];
  let i = 0;
  const peek = () => tokens[i]?.toLowerCase();
  const orExpr = (): boolean => {
    let v = andExpr();
    while (peek() === '-or') { i++; const r = andExpr(); v = v || r; }
    return v;
  };
  const andExpr = (): boolean => {
    let v = unary();
    while (peek() === '-and') { i++; const r = unary(); v = v && r; }
    return v;
  };
  const unary = (): boolean => {
    if (peek() === '-not') { i++; return !unary(); }
    if (peek() === '(') { i++; const v = orExpr(); if (peek() === ')') i++; return v; }
    return comparison();
  };
  const value = (tok: string | undefined): unknown => {
    if (tok === undefined) return undefined;
    if (tok.startsWith('"')) return tok.slice(1, -1);
    if (tok.toLowerCase() === 'true') return true;
    if (tok.toLowerCase() === 'false') return false;
    if (tok.toLowerCase() === 'null') return null;
    if (tok.toLowerCase().startsWith('user.')) {
      const prop = tok.slice(5);
      const key = Object.keys(user).find((k) => k.toLowerCase() === prop.toLowerCase());
      return key ? (user as unknown as Record<string, unknown>)[key] : undefined;
    }
    return tok;
  };
  const comparison = (): boolean => {
    const left = value(tokens[i++]);
    const op = peek(); i++;
    const right = value(tokens[i++]);
    const l = typeof left === 'string' ? left.toLowerCase() : left;
    const r = typeof right === 'string' ? right.toLowerCase() : right;
    switch (op) {
      case '-eq': return (l ?? null) === r;
      case '-ne': return (l ?? null) !== r;
      case '-startswith': return typeof l === 'string' && typeof r === 'string' && l.startsWith(r);
      case '-contains': return typeof l === 'string' && typeof r === 'string' && l.includes(r);
      default: return false;
    }
  };
  try {
    return tokens.length > 0 && orExpr();
  } catch {
    return false;
  }
}
