// Applies validated properties to a user, for POST and PATCH /users. Every check runs before the
// first change, so a refused request leaves the user as it was.
import { randomBytes, scryptSync } from 'node:crypto';
import type { EmuUser } from '../state/model.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { graphErrors } from './errors.ts';
import { checkMail, checkMailNickname, checkUpnFormat, isIsoCountry, passwordIsComplex, userErrors, type PasswordProfileInput } from './user-body.ts';

/** Properties stored on the model itself; everything else writable lives in `extra`. */
const MODEL_FIELDS = new Set([
  'accountEnabled', 'businessPhones', 'city', 'companyName', 'country', 'department', 'displayName', 'employeeHireDate', 'employeeId',
  'employeeLeaveDateTime', 'employeeOrgData', 'employeeType', 'givenName', 'jobTitle', 'mailNickname', 'mobilePhone', 'officeLocation',
  'onPremisesImmutableId', 'otherMails', 'preferredLanguage', 'surname', 'usageLocation', 'userType',
]);

/** What Azure AD Connect masters for a synced user; Graph refuses to change these in the cloud. */
export const ON_PREM_MASTERED = new Set([
  'displayName', 'givenName', 'surname', 'department', 'jobTitle', 'userPrincipalName', 'mail', 'mailNickname', 'employeeId',
  'employeeType', 'mobilePhone', 'businessPhones', 'officeLocation', 'city', 'country', 'state', 'streetAddress', 'postalCode',
  'companyName', 'faxNumber', 'otherMails', 'onPremisesImmutableId', 'passwordProfile', 'onPremisesExtensionAttributes',
]);

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The emulator is a test double, not a credential store, but a reset still never keeps the plain text. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64')}$${scryptSync(password, salt, 32, { N: 1024 }).toString('base64')}`;
}

function addressTaken(t: TenantState, address: string, self: EmuUser | undefined): boolean {
  const a = address.toLowerCase();
  const hit = (list: readonly string[]) => list.some((p) => p.toLowerCase().replace(/^smtp:/, '') === a);
  for (const u of t.data.users) {
    if (u === self) continue;
    if (u.mail?.toLowerCase() === a || hit(u.proxyAddresses)) return true;
  }
  return t.data.groups.some((g) => g.mail?.toLowerCase() === a);
}

/** Validates `props` for `u` (or a user about to be created) without changing anything. */
export function checkUserProps(t: TenantState, u: EmuUser | undefined, props: Record<string, unknown>): void {
  const upn = props.userPrincipalName as string | undefined;
  if (upn !== undefined) {
    const domain = checkUpnFormat(upn);
    if (!t.hasDomain(domain)) throw userErrors.upnDomain();
    const other = t.user(upn);
    if (other && other !== u) throw graphErrors.duplicateValue('userPrincipalName');
  }
  const nick = props.mailNickname as string | undefined;
  if (nick !== undefined) {
    checkMailNickname(nick);
    const lower = nick.toLowerCase();
    if (t.data.users.some((x) => x !== u && x.mailNickname.toLowerCase() === lower)) throw graphErrors.duplicateValue('mailNickname');
  }
  const mail = props.mail as string | null | undefined;
  if (typeof mail === 'string') {
    checkMail('mail', mail);
    if (addressTaken(t, mail, u)) throw graphErrors.duplicateValue('proxyAddresses');
  }
  for (const m of (props.otherMails as string[] | undefined) ?? []) checkMail('otherMails', m);
  const loc = props.usageLocation as string | null | undefined;
  if (typeof loc === 'string' && !isIsoCountry(loc)) throw userErrors.invalidValue('usageLocation');
  if (((props.businessPhones as string[] | undefined) ?? []).length > 1) throw userErrors.invalidValue('businessPhones');
  const lang = props.preferredLanguage as string | null | undefined;
  if (typeof lang === 'string' && !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang)) throw userErrors.invalidValue('preferredLanguage');
  const profile = props.passwordProfile as PasswordProfileInput | null | undefined;
  if (profile?.password !== undefined && !passwordIsComplex(profile.password, nick ?? u?.mailNickname ?? '')) throw userErrors.passwordComplexity();
}

/** Makes `mail` the primary SMTP address: the old primary stays as a secondary `smtp:` proxy. */
function setPrimaryMail(u: EmuUser, mail: string | null): void {
  u.mail = mail;
  if (mail === null) return;
  const lower = mail.toLowerCase();
  const rest = u.proxyAddresses
    .filter((p) => p.toLowerCase() !== `smtp:${lower}`)
    .map((p) => (p.startsWith('SMTP:') ? `smtp:${p.slice(5)}` : p));
  u.proxyAddresses = [`SMTP:${mail}`, ...rest];
}

/** Applies already-checked props. Exchange shows the same names and addresses, so the mailbox follows. */
export function applyUserProps(t: TenantState, u: EmuUser, props: Record<string, unknown>, now: number): void {
  for (const [k, v] of Object.entries(props)) {
    switch (k) {
      case 'userPrincipalName': {
        const old = u.userPrincipalName;
        u.userPrincipalName = v as string;
        if (old !== u.userPrincipalName) t.renameUser(u, old);
        break;
      }
      case 'mail':
        setPrimaryMail(u, v as string | null);
        break;
      case 'usageLocation':
        u.usageLocation = typeof v === 'string' ? v.toUpperCase() : null;
        break;
      case 'passwordProfile': {
        const p = (v ?? {}) as PasswordProfileInput;
        if (p.password !== undefined) {
          u.passwordHash = hashPassword(p.password);
          u.lastPasswordChangeDateTime = isoSeconds(now);
        }
        if (p.forceChangePasswordNextSignIn !== undefined) u.forceChangePasswordNextSignIn = p.forceChangePasswordNextSignIn;
        break;
      }
      default:
        if (MODEL_FIELDS.has(k)) (u as unknown as Record<string, unknown>)[k] = v;
        else u.extra = { ...(u.extra ?? {}), [k]: v };
    }
  }
  // What changed, for /users/delta: the names written (extension names included), and what a
  // password or mail change also rewrites.
  const sources = Object.keys(props);
  if ((props.passwordProfile as PasswordProfileInput | null | undefined)?.password !== undefined) sources.push('lastPasswordChangeDateTime');
  if ('mail' in props) sources.push('proxyAddresses');
  t.userChanged(u, sources);
  const mbx = t.mailbox(u.id);
  if (mbx) {
    if ('displayName' in props) mbx.displayName = u.displayName;
    if (typeof props.mail === 'string') {
      mbx.primarySmtpAddress = u.mail!;
      mbx.emailAddresses = [...u.proxyAddresses];
    }
  }
}
