// Groups of a seeded organisation: department groups of every kind (Microsoft 365 with and without
// a team, mail-enabled security, security, distribution), licensed groups, a dynamic and an
// AD-synced group, with realistic owners and members. As in real tenants, members are not only
// users: 'IT Admins' is nested in 'VPN Users', and the IT distribution list holds mail contacts.
import type { EmuGroup, EmuOrgContact, EmuUser } from '../state/model.ts';
import { makeGroup } from './builders.ts';
import { adminTitles, type Department } from './org-data.ts';
import type { LicensePlan } from './org-licensing.ts';
import type { Person } from './org-people.ts';
import type { Rng } from './prng.ts';
import type { SeedClock } from './seed-clock.ts';
import { skuCatalog } from './sku-catalog.ts';

type Kind = 'unified' | 'security' | 'mailEnabledSecurity' | 'distribution';

/** The group each department has, by exact display name. */
export const departmentGroups: Record<Department, { name: string; kind: Kind; team: boolean; description: string }> = {
  Sales: { name: 'Sales Team', kind: 'unified', team: true, description: 'Sales department: pipeline, accounts and deal rooms.' },
  Marketing: { name: 'Marketing', kind: 'unified', team: true, description: 'Marketing department: campaigns, brand and content.' },
  Finance: { name: 'Finance', kind: 'mailEnabledSecurity', team: false, description: 'Finance department; grants access to finance shares and mail.' },
  HR: { name: 'HR', kind: 'unified', team: false, description: 'Human Resources department.' },
  'R&D': { name: 'R&D', kind: 'unified', team: true, description: 'Research & Development: engineering, research and design.' },
  IT: { name: 'IT Department', kind: 'distribution', team: false, description: 'Everyone in IT.' },
  Operations: { name: 'Operations', kind: 'security', team: false, description: 'Operations department: logistics, procurement and facilities.' },
};

export interface GroupOptions {
  key: string;
  domain: string;
  companyName: string;
  rng: Rng;
  clock: SeedClock;
  people: readonly Person[];
  guests: readonly EmuUser[];
  plan: LicensePlan;
  departments: readonly Department[];
  /** Mail contacts to put in the IT department's distribution list. */
  contacts?: readonly EmuOrgContact[];
  fastIds: boolean;
}

export function buildGroups(o: GroupOptions): EmuGroup[] {
  const { rng, clock, people } = o;
  const groups: EmuGroup[] = [];
  const ceo = people.find((p) => p.role === 'ceo')!;
  const headOf = (d: string) => people.find((p) => p.role === 'head' && p.user.department === d) ?? ceo;
  const inDept = (d: string) => people.filter((p) => p.user.department === d);
  const enabled = people.filter((p) => p.user.accountEnabled);
  const ids = (ps: readonly Person[]) => ps.map((p) => p.user.id);
  // Team owners are members too; owners are few, members may be thousands.
  const withOwners = (owners: readonly Person[], members: readonly Person[]) => {
    const extra = owners.filter((o) => !members.includes(o));
    return ids(extra.length ? [...extra, ...members] : members);
  };

  const add = (name: string, kind: Kind, members: readonly Person[], owners: readonly Person[], extra: Partial<EmuGroup> = {}): EmuGroup => {
    const g = makeGroup(o.key, {
      id: o.fastIds ? rng.uuid() : undefined,
      displayName: name, kind, domain: o.domain,
      createdDateTime: clock.at(-rng.range(200, 2400), 10 * 60),
      memberIds: withOwners(kind === 'unified' ? owners : [], members),
      ownerIds: ids(owners),
      ...extra,
    });
    groups.push(g);
    return g;
  };

  for (const d of o.departments) {
    const def = departmentGroups[d];
    const members = inDept(d);
    const head = headOf(d);
    const deputy = members.find((p) => p.role === 'staff' && p.user.accountEnabled && p.named) ?? members.find((p) => p.role === 'staff' && p.user.accountEnabled);
    const owners = def.kind === 'unified' && deputy ? [head, deputy] : [head];
    const g = add(def.name, def.kind, members, owners, {
      description: def.description,
      ...(def.team ? { resourceProvisioningOptions: ['Team'] } : {}),
    });
    if (def.team) g.teamOwnerIds = [...g.ownerIds];
  }
  // Partner guests collaborate in the customer-facing teams.
  const salesTeam = groups.find((g) => g.displayName === 'Sales Team');
  const marketing = groups.find((g) => g.displayName === 'Marketing');
  o.guests.forEach((gu, i) => {
    const target = i % 2 === 0 ? (salesTeam ?? marketing) : (marketing ?? salesTeam);
    target?.memberIds.push(gu.id);
  });

  const itHead = headOf('IT');
  add('All Staff', 'distribution', enabled, [headOf('HR')], { description: `Everyone at ${o.companyName}.` });
  add('Leadership Team', 'distribution', people.filter((p) => p.role !== 'staff'), [ceo], { description: 'CEO and department heads.' });
  const itAdmins = add('IT Admins', 'security', [itHead, ...inDept('IT').filter((p) => adminTitles.has(p.user.jobTitle ?? ''))], [itHead], { description: 'Administrators of the IT estate; eligible for privileged roles.' });
  const vpn = add('VPN Users', 'security',
    enabled.filter((p) => p.user.department === 'IT' || p.role !== 'staff' || (p.user.department === 'R&D' ? rng.chance(0.3) : rng.chance(0.12))),
    [itHead], { description: 'Allowed to connect to the corporate VPN.' });
  // Nested: every IT admin may use the VPN through 'IT Admins' (Entra security groups nest).
  vpn.memberIds.push(itAdmins.id);
  // Suppliers' contacts get the IT department's mail (distribution lists hold mail contacts).
  const itList = groups.find((g) => g.displayName === departmentGroups.IT.name);
  if (itList) for (const c of o.contacts ?? []) itList.memberIds.push(c.id);
  add('Power BI Users', 'security', o.plan.powerBiGroup, [itHead], {
    description: 'Members get a Power BI Pro licence (group-based licensing).',
    assignedLicenses: [{ skuId: skuCatalog.POWER_BI_PRO!.skuId, disabledPlans: [] }],
  });
  if (o.plan.visioGroup.length) {
    add('Visio Users', 'security', o.plan.visioGroup, [itHead], {
      description: 'Members get Visio Plan 2 (group-based licensing).',
      assignedLicenses: [{ skuId: skuCatalog.VISIOCLIENT!.skuId, disabledPlans: [] }],
    });
  }
  if (o.departments.includes('Sales')) {
    add('Sales Department (Dynamic)', 'security', [], [], {
      description: 'Every user whose department is Sales.',
      groupTypes: ['DynamicMembership'],
      membershipRule: '(user.department -eq "Sales")',
    });
  }
  const synced = people.filter((p) => p.user.onPremisesSyncEnabled);
  if (synced.length) {
    add('SG-FileServer-Users', 'security', synced, [], { description: 'Synchronised from on-premises Active Directory.', onPremisesSyncEnabled: true });
  }
  const hr = inDept('HR');
  const club = add('Social Club', 'unified', enabled.filter(() => rng.chance(0.1)), hr.length > 1 ? [hr[1]!] : [headOf('HR')], { description: 'After-work events, sports and charity.' });
  club.visibility = 'Public';
  return groups;
}
