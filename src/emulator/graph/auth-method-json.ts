// Authentication methods as Graph renders them (polymorphic @odata.type, secrets never echoed),
// Temporary Access Pass usability, and generation of passes and passwords.
import { randomInt } from 'node:crypto';
import type { AuthMethodType, EmuAuthMethod } from '../state/model.ts';
import { GraphError } from './errors.ts';

/** Path segment under /authentication for each method type. */
export const METHOD_SEGMENTS: Record<AuthMethodType, string> = {
  password: 'passwordMethods',
  phone: 'phoneMethods',
  microsoftAuthenticator: 'microsoftAuthenticatorMethods',
  fido2: 'fido2Methods',
  softwareOath: 'softwareOathMethods',
  email: 'emailMethods',
  temporaryAccessPass: 'temporaryAccessPassMethods',
  windowsHelloForBusiness: 'windowsHelloForBusinessMethods',
};

const ODATA_TYPES: Record<AuthMethodType, string> = {
  password: '#microsoft.graph.passwordAuthenticationMethod',
  phone: '#microsoft.graph.phoneAuthenticationMethod',
  microsoftAuthenticator: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  fido2: '#microsoft.graph.fido2AuthenticationMethod',
  softwareOath: '#microsoft.graph.softwareOathAuthenticationMethod',
  email: '#microsoft.graph.emailAuthenticationMethod',
  temporaryAccessPass: '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
  windowsHelloForBusiness: '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
};

/** Methods whose Graph type carries createdDateTime. */
const HAS_CREATED = new Set<AuthMethodType>(['password', 'microsoftAuthenticator', 'fido2', 'temporaryAccessPass', 'windowsHelloForBusiness']);

/** Graph's errors from the authentication-methods service use its own lower-camel codes. */
export const authErrors = {
  notFound: () => new GraphError(404, 'itemNotFound', 'The requested authentication method was not found for this user.'),
  badRequest: (message: string) => new GraphError(400, 'badRequest', message),
};

export interface TapState {
  isUsable: boolean;
  methodUsabilityReason: 'EnabledByPolicy' | 'NotYetValid' | 'Expired' | 'OneTimeUsed';
}

export function tapState(m: EmuAuthMethod, now: number): TapState {
  const start = Date.parse(String(m.props.startDateTime ?? m.createdDateTime));
  const lifetime = Number(m.props.lifetimeInMinutes ?? 60);
  if (m.props.used === true && m.props.isUsableOnce === true) return { isUsable: false, methodUsabilityReason: 'OneTimeUsed' };
  if (now < start) return { isUsable: false, methodUsabilityReason: 'NotYetValid' };
  if (now >= start + lifetime * 60_000) return { isUsable: false, methodUsabilityReason: 'Expired' };
  return { isUsable: true, methodUsabilityReason: 'EnabledByPolicy' };
}

/** A method as Graph returns it; `reveal` is set only in the answer to the TAP create call. */
export function methodJson(m: EmuAuthMethod, now: number, reveal?: string): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.type': ODATA_TYPES[m.type], id: m.id };
  for (const [k, v] of Object.entries(m.props)) if (k !== 'used') out[k] = v;
  if (HAS_CREATED.has(m.type)) out.createdDateTime = m.createdDateTime;
  if (m.type === 'password') out.password = null;
  if (m.type === 'softwareOath') out.secretKey = null;
  if (m.type === 'temporaryAccessPass') {
    out.temporaryAccessPass = reveal ?? null;
    Object.assign(out, tapState(m, now));
  }
  return out;
}

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!@#$%&*?';

function pick(chars: string): string {
  return chars[randomInt(chars.length)]!;
}

/** A cryptographically random pass of the policy's default length (8), mixing character classes like Entra's. */
export function generateTap(length = 8): string {
  const all = LETTERS + DIGITS + SYMBOLS;
  const chars = [pick(LETTERS), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** A system-generated password that satisfies Entra's complexity rules. */
export function generatePassword(): string {
  const upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  const lower = 'abcdefghijkmnopqrstuvwxyz';
  const chars = [pick(upper), pick(lower), pick(lower), pick(lower), pick(DIGITS), pick(DIGITS), pick(DIGITS), pick(DIGITS)];
  return chars.join('') + pick(SYMBOLS);
}

/** Entra cloud password policy: 8–256 characters and three of the four character classes. */
export function passwordComplex(p: string): boolean {
  if (p.length < 8 || p.length > 256) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length;
  return classes >= 3;
}
