// Builds one realistic tenant from a few numbers: people, guests, licences, groups, mailboxes and
// authentication methods. The demo tenants and the generated load-test tenants share this, so the
// synthetic tenants have the demo's realism at any size.
import type { AppGrant, EmuUser, TenantSeed } from '../state/model.ts';
import { makeUser } from './builders.ts';
import { buildAuthMethods } from './org-auth.ts';
import { DEPARTMENTS, firstNames, guestDomains, lastNames, nicknamePart, type Department } from './org-data.ts';
import { buildGroups } from './org-groups.ts';
import { planLicences, subscribedSkus, type SkuProfile } from './org-licensing.ts';
import { buildMail } from './org-mail.ts';
import { buildPeople, type Person, type PersonSeed } from './org-people.ts';
import { Rng } from './prng.ts';
import type { SeedClock } from './seed-clock.ts';

export interface OrgSpec {
  /** Key for stable ids and the random stream ("contoso", "gen07"). */
  key: string;
  tenantId: string;
  displayName: string;
  companyName: string;
  /** Short name for shared mailbox display names ("Contoso"). */
  brand: string;
  initialDomain: string;
  /** Verified domain users and mail live on. */
  domain: string;
  defaultUsageLocation: string | null;
  /** Member accounts (people), not counting guests and shared mailbox users. */
  members: number;
  departments?: readonly Department[];
  named?: readonly PersonSeed[];
  guests: number;
  synced: number;
  salesLeaversSoon: number;
  reserved?: readonly string[];
  skuProfile: SkuProfile;
  clock: SeedClock;
  /** Ids from the random stream (fast) instead of hashed stable ids. */
  fastIds: boolean;
  apps: Record<string, AppGrant>;
}

export interface BuiltOrg {
  tenant: TenantSeed;
  people: Person[];
  guests: EmuUser[];
  sharedUsers: EmuUser[];
}

export function buildOrg(spec: OrgSpec): BuiltOrg {
  const rng = new Rng(spec.key);
  const departments = spec.departments ?? DEPARTMENTS;
  const people = buildPeople({
    key: spec.key, domain: spec.domain, initialDomain: spec.initialDomain, companyName: spec.companyName, rng, clock: spec.clock,
    members: spec.members, departments, named: spec.named ?? [], synced: spec.synced, salesLeaversSoon: spec.salesLeaversSoon,
    reserved: spec.reserved ?? [], fastIds: spec.fastIds,
  });
  const guests = buildGuests(spec, rng);
  const plan = planLicences(people, spec.skuProfile, rng);
  const skus = subscribedSkus(spec.key, people, plan, spec.skuProfile);
  const mail = buildMail({ key: spec.key, domain: spec.domain, initialDomain: spec.initialDomain, brand: spec.brand, rng, clock: spec.clock, people, fastIds: spec.fastIds });
  const groups = buildGroups({ key: spec.key, domain: spec.domain, companyName: spec.companyName, rng, clock: spec.clock, people, guests, plan, departments, contacts: mail.contacts, fastIds: spec.fastIds });
  const authMethods = buildAuthMethods(spec.key, people, [...guests, ...mail.sharedUsers], rng, spec.fastIds);
  const users = [...people.map((p) => p.user), ...guests, ...mail.sharedUsers];
  return {
    tenant: {
      id: spec.tenantId,
      displayName: spec.displayName,
      initialDomain: spec.initialDomain,
      verifiedDomains: [spec.domain],
      defaultUsageLocation: spec.defaultUsageLocation,
      users,
      groups,
      orgContacts: mail.contacts,
      skus,
      mailboxes: mail.mailboxes,
      authMethods,
      apps: spec.apps,
    },
    people,
    guests,
    sharedUsers: mail.sharedUsers,
  };
}

/** B2B guests: `name_domain#EXT#@tenant.onmicrosoft.com`, mail at their home domain. */
function buildGuests(spec: OrgSpec, rng: Rng): EmuUser[] {
  const out: EmuUser[] = [];
  const seen = new Set<string>();
  while (out.length < spec.guests) {
    const given = rng.pick(firstNames);
    const surname = rng.pick(lastNames);
    const domain = guestDomains[out.length % guestDomains.length]!;
    const local = `${nicknamePart(given)}.${nicknamePart(surname)}`;
    const mail = `${local}@${domain}`;
    if (seen.has(mail)) continue;
    seen.add(mail);
    const created = spec.clock.at(-rng.range(20, 900), 14 * 60);
    const company = domain.split('.')[0]!;
    out.push(makeUser(spec.key, {
      id: spec.fastIds ? rng.uuid() : undefined,
      userPrincipalName: `${local}_${domain}#EXT#@${spec.initialDomain}`,
      displayName: `${given} ${surname}`,
      givenName: given,
      surname,
      mail,
      userType: 'Guest',
      companyName: company.charAt(0).toUpperCase() + company.slice(1),
      otherMails: [mail],
      proxyAddresses: [`SMTP:${mail}`],
      createdDateTime: created,
      signInSessionsValidFromDateTime: created,
      lastPasswordChangeDateTime: created,
    }));
  }
  return out;
}
