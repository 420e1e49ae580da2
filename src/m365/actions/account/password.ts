// Generated passwords for new users and resets. Entra's cloud policy wants 8–256 characters from
// three of four classes and refuses passwords that contain the user's name; we use all four
// classes, a length well above the minimum, and no look-alike characters (the technician reads it
// out to the user).
import { randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!@#$%*-_+=?';

function pick(chars: string): string {
  return chars[randomInt(chars.length)]!;
}

/** Whether the password meets Entra's complexity rule (length and three of four classes). */
export function meetsEntraComplexity(p: string): boolean {
  if (p.length < 8 || p.length > 256) return false;
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length >= 3;
}

/** A random password with every character class, avoiding the given name parts (3+ letters). */
export function generatePassword(avoid: ReadonlyArray<string | null | undefined> = [], length = 16): string {
  const banned = avoid.filter((a): a is string => !!a && a.length >= 3).map((a) => a.toLowerCase());
  for (;;) {
    const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SYMBOLS)];
    const all = UPPER + LOWER + DIGITS + SYMBOLS;
    while (chars.length < length) chars.push(pick(all));
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    const p = chars.join('');
    const lower = p.toLowerCase();
    if (meetsEntraComplexity(p) && !banned.some((b) => lower.includes(b))) return p;
  }
}

/** The parts of a user's name Entra forbids inside their password. */
export function nameParts(u: { userPrincipalName: string; displayName?: string | null; mailNickname?: string | null }): string[] {
  const local = u.userPrincipalName.split('@')[0] ?? '';
  return [local, u.mailNickname ?? '', ...local.split(/[._-]/), ...(u.displayName ?? '').split(/\s+/)];
}
