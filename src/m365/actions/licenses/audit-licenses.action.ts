// A tenant-wide licence report: what each SKU has left, licences held by accounts that cannot sign
// in (money spent on nobody), users who hold a SKU both directly and through a group (the direct
// one can usually go), and SKUs with no free unit. It only reads.
import { z } from 'zod';
import { defineAction, type ActionContext, type PlannedCall } from '../action.ts';
import { freeUnits, productNames, tenantSkus, usableUnits, type TenantSku } from '../resolve/sku.ts';
import type { ResolvedUser } from '../resolve/user.ts';
import { holdingsOf, licenceNames, skuName } from './license-state.ts';
import { groupRead, userRead } from './step-support.ts';
import { validateWith } from '../support/validation.ts';

const params = z.strictObject({});

const licenseRead = ['LicenseAssignment.Read.All', 'LicenseAssignment.ReadWrite.All', 'Organization.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const permissions = { graph: [licenseRead, userRead, groupRead], exchange: false };

const USERS_SELECT = 'id,userPrincipalName,displayName,accountEnabled,licenseAssignmentStates';

type AuditUser = Pick<ResolvedUser, 'id' | 'userPrincipalName' | 'displayName' | 'accountEnabled' | 'licenseAssignmentStates'>;

export interface SkuLine {
  skuId: string;
  skuPartNumber: string;
  name: string;
  capabilityStatus: string;
  enabled: number;
  consumed: number;
  free: number;
}

export interface WastedLine {
  userId: string;
  userPrincipalName: string;
  displayName: string;
  licenses: string[];
  direct: string[];
  inherited: string[];
}

export interface DuplicateLine {
  userId: string;
  userPrincipalName: string;
  sku: string;
  groups: string[];
}

const reads: PlannedCall[] = [
  { surface: 'graph', method: 'GET', target: '/subscribedSkus', description: 'Read the tenant\'s licences and their units' },
  { surface: 'graph', method: 'GET', target: `/users?$select=${USERS_SELECT}`, description: 'Read every user\'s licence assignments' },
  { surface: 'graph', method: 'GET', target: '/groups?$select=id,displayName,assignedLicenses', description: 'Read which groups assign licences' },
];

function skuLine(s: TenantSku): SkuLine {
  return {
    skuId: s.skuId,
    skuPartNumber: s.skuPartNumber,
    name: productNames[s.skuPartNumber] ?? s.skuPartNumber,
    capabilityStatus: s.capabilityStatus,
    enabled: usableUnits(s),
    consumed: s.consumedUnits,
    free: freeUnits(s),
  };
}

async function audit(ctx: ActionContext) {
  const skus = await tenantSkus(ctx);
  const users = await ctx.graph.list<AuditUser>('/users', { query: { $select: USERS_SELECT, $top: '999' } });
  const groups = await ctx.graph.list<{ id: string; displayName: string }>('/groups', { query: { $select: 'id,displayName,assignedLicenses', $top: '999' } });
  const groupName = new Map(groups.map((g) => [g.id, g.displayName]));
  const wasted: WastedLine[] = [];
  const duplicates: DuplicateLine[] = [];
  let licensedUsers = 0;
  for (const u of users) {
    const holdings = [...holdingsOf(u as ResolvedUser).values()];
    if (!holdings.length) continue;
    licensedUsers++;
    if (!u.accountEnabled) {
      wasted.push({
        userId: u.id,
        userPrincipalName: u.userPrincipalName,
        displayName: u.displayName,
        licenses: licenceNames(skus, holdings.map((h) => h.skuId)),
        direct: licenceNames(skus, holdings.filter((h) => h.direct).map((h) => h.skuId)),
        inherited: licenceNames(skus, holdings.filter((h) => h.viaGroups.length).map((h) => h.skuId)),
      });
    }
    for (const h of holdings) {
      if (h.direct && h.viaGroups.length) {
        duplicates.push({ userId: u.id, userPrincipalName: u.userPrincipalName, sku: skuName(skus, h.skuId), groups: h.viaGroups.map((g) => groupName.get(g) ?? g) });
      }
    }
  }
  const lines = skus.map(skuLine);
  const exhausted = lines.filter((l) => l.free === 0).map((l) => l.skuPartNumber);
  const wastedUnits = wasted.reduce((n, w) => n + w.licenses.length, 0);
  return {
    skus: lines,
    wasted,
    duplicates,
    exhausted,
    totals: { skus: lines.length, licensedUsers, wastedUnits, duplicateAssignments: duplicates.length, exhaustedSkus: exhausted.length },
  };
}

function summaryOf(r: Awaited<ReturnType<typeof audit>>): string {
  const parts = [`${r.totals.skus} licence${r.totals.skus === 1 ? '' : 's'}, ${r.totals.licensedUsers} licensed user${r.totals.licensedUsers === 1 ? '' : 's'}`];
  parts.push(r.wasted.length ? `${r.totals.wastedUnits} licence${r.totals.wastedUnits === 1 ? '' : 's'} on ${r.wasted.length} disabled account${r.wasted.length === 1 ? '' : 's'}` : 'no licences on disabled accounts');
  parts.push(r.duplicates.length ? `${r.duplicates.length} licence${r.duplicates.length === 1 ? '' : 's'} assigned both directly and by group` : 'no duplicate assignments');
  parts.push(r.exhausted.length ? `no free units of ${r.exhausted.join(', ')}` : 'every licence has free units');
  return `${parts.join('; ')}.`;
}

export const auditLicenses = defineAction({
  id: 'audit-licenses',
  title: 'Audit licences',
  description: 'Reports each licence\'s free units, licences on disabled accounts, licences assigned both directly and by group, and exhausted licences. Changes nothing.',
  category: 'licenses',
  params,
  secrets: [],
  permissions,
  validate: (ctx) => validateWith(ctx, permissions, async () => {}),
  async preview() {
    return { calls: reads, changes: [], skipped: [], alreadyDone: false, warnings: [] };
  },
  async execute(ctx) {
    const report = await audit(ctx);
    // Shared mailboxes are disabled accounts too; one above 50 GB or with an archive needs its licence.
    const notes = report.wasted.length ? ['Disabled accounts include shared mailboxes; those over 50 GB or with an archive need their licence.'] : [];
    return { outputs: { ...report, notes }, before: {}, alreadyDone: false, skipped: [], summary: summaryOf(report) };
  },
  readOnly: true,
  undo: { reversible: false, reason: 'Read-only report; it changes nothing.' },
});
