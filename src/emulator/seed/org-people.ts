// The people of a seeded organisation: a CEO, one head per department, named and generated staff,
// with managers, offices, hire and leave dates, pre-hires, leavers, disabled and synced accounts.
import type { EmuUser } from '../state/model.ts';
import { makeUser } from './builders.ts';
import { departmentProfiles, EXECUTIVE, firstNames, lastNames, nicknamePart, offices, type Department, type Office, type PartNumber } from './org-data.ts';
import type { Rng } from './prng.ts';
import type { SeedClock } from './seed-clock.ts';

export type Role = 'ceo' | 'head' | 'staff';
export type AuthKind = 'microsoftAuthenticator' | 'phone' | 'fido2' | 'email' | 'softwareOath';
export type Lifecycle = 'active' | 'preHire' | 'leftRecently' | 'leavingSoon' | 'leavingLater' | 'disabled';

/** A person the seed names explicitly (the demo's well-known users). */
export interface PersonSeed {
  givenName: string;
  surname: string;
  department: Department | typeof EXECUTIVE;
  jobTitle: string;
  role: Role;
  /** officeLocation of one of `offices`; random otherwise. */
  office?: string;
  /** Exchange-bearing licence; otherwise from the department's mix. */
  licence?: PartNumber;
  authKinds?: AuthKind[];
}

export interface Person {
  user: EmuUser;
  role: Role;
  named: boolean;
  office: Office;
  lifecycle: Lifecycle;
  licence?: PartNumber;
  authKinds?: AuthKind[];
}

export interface PeopleOptions {
  key: string;
  domain: string;
  initialDomain: string;
  companyName: string;
  rng: Rng;
  clock: SeedClock;
  /** Member accounts to create, including the CEO, heads and named people. */
  members: number;
  departments: readonly Department[];
  named: readonly PersonSeed[];
  synced: number;
  /** Sales staff who must leave within 1–14 days (lifecycle scenarios need them). */
  salesLeaversSoon: number;
  /** Nicknames never handed out (people the demo onboards later). */
  reserved: readonly string[];
  /** Ids from the random stream instead of hashing: generated tenants are large. */
  fastIds: boolean;
}

const officeShares = offices.map((o) => [o, o.share] as const);
const minuteSlots = (rng: Rng) => 8 * 60 + 15 * rng.int(16);

export function buildPeople(o: PeopleOptions): Person[] {
  const { rng, clock } = o;
  const used = new Set(o.reserved.map((r) => r.toLowerCase()));
  const people: Person[] = [];
  const heads = new Map<string, Person>();
  let seq = 0;

  const nickFor = (given: string, surname: string, named: boolean): string => {
    const base = `${nicknamePart(given)}.${nicknamePart(surname)}`;
    if (!used.has(base)) return base;
    if (named) throw new Error(`Seed names ${given} ${surname} twice or uses a reserved name`);
    for (let n = 2; ; n++) if (!used.has(base + n)) return base + n;
  };

  const create = (s: PersonSeed, named: boolean): Person => {
    const nick = nickFor(s.givenName, s.surname, named);
    used.add(nick);
    const office = s.office ? offices.find((x) => x.officeLocation === s.office) : rng.weighted(officeShares);
    if (!office) throw new Error(`Unknown office ${s.office}`);
    const upn = `${nick}@${o.domain}`;
    const hireDays = s.role === 'ceo' ? -rng.range(2500, 3650) : s.role === 'head' ? -rng.range(1200, 3300) : -(30 + Math.floor(rng.next() ** 1.4 * 3400));
    const createdDays = hireDays - rng.range(3, 14);
    const createdMinutes = minuteSlots(rng);
    const pwdDays = createdDays + Math.floor(rng.next() * -createdDays);
    const pwdChanged = clock.at(pwdDays, minuteSlots(rng));
    const profile = s.department === EXECUTIVE ? undefined : departmentProfiles[s.department];
    const mobile = rng.chance(named || s.role !== 'staff' ? 1 : 0.85) ? office.mobile(rng.int(10000)) : null;
    const desk = rng.chance(0.6) ? [office.phone(rng.int(10000))] : [];
    const manager = s.role === 'ceo' ? undefined : s.role === 'head' ? heads.get(EXECUTIVE) : heads.get(s.department);
    seq++;
    const user = makeUser(o.key, {
      id: o.fastIds ? rng.uuid() : undefined,
      userPrincipalName: upn,
      displayName: `${s.givenName} ${s.surname}`,
      givenName: s.givenName,
      surname: s.surname,
      mailNickname: nick,
      department: s.department,
      jobTitle: s.jobTitle,
      companyName: o.companyName,
      officeLocation: office.officeLocation,
      city: office.city,
      country: office.country,
      mobilePhone: mobile,
      businessPhones: desk,
      usageLocation: office.usageLocation,
      preferredLanguage: office.language,
      employeeId: `E${10000 + seq}`,
      employeeType: 'Employee',
      employeeHireDate: clock.at(hireDays),
      employeeOrgData: profile ? { division: profile.division, costCenter: profile.costCenter } : { division: 'Executive Office', costCenter: 'CC-1000' },
      createdDateTime: clock.at(createdDays, createdMinutes),
      proxyAddresses: [`SMTP:${upn}`, `smtp:${nick}@${o.initialDomain}`],
      managerId: manager?.user.id ?? null,
      signInSessionsValidFromDateTime: pwdChanged,
      lastPasswordChangeDateTime: pwdChanged,
    });
    const p: Person = { user, role: s.role, named, office, lifecycle: 'active', ...(s.licence ? { licence: s.licence } : {}), ...(s.authKinds ? { authKinds: s.authKinds } : {}) };
    if (s.role === 'ceo') heads.set(EXECUTIVE, p);
    if (s.role === 'head') heads.set(s.department, p);
    people.push(p);
    return p;
  };

  const randomName = () => ({ givenName: rng.pick(firstNames), surname: rng.pick(lastNames) });
  const namedOf = (role: Role, dept?: string) => o.named.filter((n) => n.role === role && (dept === undefined || n.department === dept));

  create(namedOf('ceo')[0] ?? { ...randomName(), department: EXECUTIVE, jobTitle: 'Chief Executive Officer', role: 'ceo', office: 'Seattle HQ' }, namedOf('ceo').length > 0);
  for (const dept of o.departments) {
    const n = namedOf('head', dept)[0];
    create(n ?? { ...randomName(), department: dept, jobTitle: departmentProfiles[dept].headTitle, role: 'head' }, n !== undefined);
  }
  for (const n of namedOf('staff')) create(n, true);

  // Generated staff: department quotas by share (largest remainder), drawn in random order so
  // departments interleave the way a real directory's creation order does.
  const remaining = Math.max(0, o.members - people.length);
  const shares = o.departments.map((d) => departmentProfiles[d].share);
  const total = shares.reduce((a, b) => a + b, 0);
  const quotas = shares.map((s) => Math.floor((remaining * s) / total));
  let left = remaining - quotas.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % quotas.length, left--) quotas[i]!++;
  const order: Department[] = [];
  o.departments.forEach((d, i) => { for (let k = 0; k < quotas[i]!; k++) order.push(d); });
  rng.shuffle(order);
  for (const dept of order) {
    const prof = departmentProfiles[dept];
    const p = create({ ...randomName(), department: dept, jobTitle: rng.weighted(prof.titles), role: 'staff' }, false);
    if (rng.chance(0.05)) p.user.usageLocation = null; // the classic gap: no usage location, so no licence
    if (rng.chance(0.05)) p.user.employeeType = 'Contractor';
  }

  applyLifecycles(o, people);
  return people;
}

/** Pre-hires, leavers (past, soon, later), other disabled accounts and AD-synced accounts. */
function applyLifecycles(o: PeopleOptions, people: Person[]): void {
  const { rng, clock } = o;
  const pool = rng.shuffle(people.filter((p) => p.role === 'staff' && !p.named));
  let next = 0;
  const take = (n: number, pred: (p: Person) => boolean = () => true): Person[] => {
    const out: Person[] = [];
    for (let i = next; i < pool.length && out.length < n; i++) {
      const p = pool[i]!;
      if (!pred(p)) continue;
      out.push(p);
      [pool[i], pool[next]] = [pool[next]!, pool[i]!];
      next++;
    }
    return out;
  };
  const leaveAt = (p: Person, days: number, lifecycle: Lifecycle) => {
    p.user.employeeLeaveDateTime = clock.at(days);
    p.lifecycle = lifecycle;
  };

  const n = o.members;
  const salesSoon = take(o.salesLeaversSoon, (p) => p.user.department === 'Sales');
  salesSoon.forEach((p, i) => leaveAt(p, 1 + ((i * 3 + rng.int(3)) % 14), 'leavingSoon'));
  for (const p of take(Math.round(n * 0.02))) {
    const hire = rng.range(1, 30);
    const created = -rng.range(1, 10);
    p.user.employeeHireDate = clock.at(hire);
    p.user.createdDateTime = clock.at(created, 9 * 60);
    p.user.lastPasswordChangeDateTime = p.user.createdDateTime;
    p.user.signInSessionsValidFromDateTime = p.user.createdDateTime;
    p.user.accountEnabled = false;
    p.user.forceChangePasswordNextSignIn = true;
    p.lifecycle = 'preHire';
  }
  const leavers = Math.max(0, Math.round(n * 0.1) - salesSoon.length);
  for (const p of take(leavers)) {
    const r = rng.next();
    if (r < 0.35) {
      leaveAt(p, -rng.range(1, 120), 'leftRecently');
      if (rng.chance(0.85)) p.user.accountEnabled = false;
    } else if (r < 0.8) leaveAt(p, rng.range(1, 30), 'leavingSoon');
    else leaveAt(p, rng.range(31, 180), 'leavingLater');
  }
  for (const p of take(Math.round(n * 0.01))) {
    p.user.accountEnabled = false;
    p.lifecycle = 'disabled';
  }
  for (const p of take(o.synced, (x) => x.lifecycle === 'active')) {
    const nick = p.user.mailNickname;
    p.user.onPremisesSyncEnabled = true;
    p.user.onPremisesImmutableId = rng.bytes(16).toString('base64');
    p.user.onPremisesSamAccountName = nick.replace(/\./g, '').slice(0, 20);
  }
}
