// Authentication methods of a seeded organisation: everyone has a password; most people have at
// least one MFA method (Authenticator, phone, FIDO2 key …), some none, pre-hires none yet.
import type { EmuAuthMethod, EmuUser } from '../state/model.ts';
import { makeAuthMethods } from './builders.ts';
import type { AuthKind, Person } from './org-people.ts';
import type { Rng } from './prng.ts';

const mixes: ReadonlyArray<readonly [AuthKind[], number]> = [
  [[], 8],
  [['microsoftAuthenticator'], 45],
  [['microsoftAuthenticator', 'phone'], 22],
  [['phone'], 10],
  [['fido2', 'microsoftAuthenticator'], 7],
  [['phone', 'email'], 3],
  [['softwareOath', 'microsoftAuthenticator'], 5],
];
const adminMixes: ReadonlyArray<readonly [AuthKind[], number]> = [
  [['fido2', 'microsoftAuthenticator'], 60],
  [['microsoftAuthenticator', 'phone'], 40],
];

/** "+1 425 555 0123" → Graph's phoneAuthenticationMethod form "+1 4255550123". */
export function authPhoneNumber(mobile: string): string {
  const i = mobile.indexOf(' ');
  return i < 0 ? mobile : `${mobile.slice(0, i)} ${mobile.slice(i + 1).replaceAll(' ', '')}`;
}

export function buildAuthMethods(key: string, people: readonly Person[], others: readonly EmuUser[], rng: Rng, fastIds: boolean): Record<string, EmuAuthMethod[]> {
  const out: Record<string, EmuAuthMethod[]> = {};
  const idOf = fastIds ? () => rng.uuid() : undefined;
  for (const p of people) {
    let kinds: AuthKind[] = p.authKinds ?? (p.lifecycle === 'preHire' ? [] : rng.weighted(p.user.department === 'IT' || p.role !== 'staff' ? adminMixes : mixes));
    if (p.named && kinds.length === 0 && !p.authKinds) kinds = ['microsoftAuthenticator'];
    const phone = p.user.mobilePhone ?? p.office.mobile(rng.int(10000));
    out[p.user.id] = makeAuthMethods(key, p.user, kinds, { phoneNumber: authPhoneNumber(phone), idOf });
  }
  for (const u of others) out[u.id] = makeAuthMethods(key, u, []);
  return out;
}
