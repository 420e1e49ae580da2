// Reads a POST/PATCH /users body the way Graph does: property names in any case, JSON types
// checked against the Edm types, values checked against the directory's rules. Returns the
// properties under their Graph spelling; raises Graph's error for the first problem found.
import { GraphError } from './errors.ts';
import { USER_PROPERTIES } from './odata/entities.ts';

type Kind = 'string' | 'nstring' | 'bool' | 'nbool' | 'strings' | 'datetime' | 'orgData' | 'passwordProfile' | 'object';

interface Field {
  kind: Kind;
  max?: number;
  /** Allowed values (compared case-insensitively, stored as listed). */
  oneOf?: readonly string[];
}

export const WRITABLE: Record<string, Field> = {
  accountEnabled: { kind: 'bool' },
  ageGroup: { kind: 'nstring', oneOf: ['minor', 'notAdult', 'adult'] },
  businessPhones: { kind: 'strings' },
  city: { kind: 'nstring', max: 128 },
  companyName: { kind: 'nstring', max: 64 },
  consentProvidedForMinor: { kind: 'nstring', oneOf: ['granted', 'denied', 'notRequired'] },
  country: { kind: 'nstring', max: 128 },
  department: { kind: 'nstring', max: 64 },
  displayName: { kind: 'string', max: 256 },
  employeeHireDate: { kind: 'datetime' },
  employeeId: { kind: 'nstring', max: 16 },
  employeeLeaveDateTime: { kind: 'datetime' },
  employeeOrgData: { kind: 'orgData' },
  employeeType: { kind: 'nstring', max: 64 },
  faxNumber: { kind: 'nstring', max: 64 },
  givenName: { kind: 'nstring', max: 64 },
  jobTitle: { kind: 'nstring', max: 128 },
  mail: { kind: 'nstring', max: 256 },
  mailNickname: { kind: 'string', max: 64 },
  mobilePhone: { kind: 'nstring', max: 64 },
  officeLocation: { kind: 'nstring', max: 128 },
  onPremisesExtensionAttributes: { kind: 'object' },
  onPremisesImmutableId: { kind: 'nstring', max: 256 },
  otherMails: { kind: 'strings' },
  passwordPolicies: { kind: 'nstring' },
  passwordProfile: { kind: 'passwordProfile' },
  postalCode: { kind: 'nstring', max: 40 },
  preferredDataLocation: { kind: 'nstring' },
  preferredLanguage: { kind: 'nstring', max: 32 },
  showInAddressList: { kind: 'nbool' },
  state: { kind: 'nstring', max: 128 },
  streetAddress: { kind: 'nstring', max: 1024 },
  surname: { kind: 'nstring', max: 64 },
  usageLocation: { kind: 'nstring' },
  userPrincipalName: { kind: 'string', max: 113 },
  userType: { kind: 'string', oneOf: ['Member', 'Guest'] },
};

const writableByLower = new Map(Object.keys(WRITABLE).map((k) => [k.toLowerCase(), k]));
const knownByLower = new Map<string, string>(USER_PROPERTIES.map((k) => [k.toLowerCase(), k]));

/** ISO 3166-1 alpha-2: the values usageLocation accepts. */
const ISO_COUNTRIES = new Set((
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG ' +
  'CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL ' +
  'GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA ' +
  'LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP ' +
  'NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV ' +
  'SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' '));

export const userErrors = {
  invalidValue: (prop: string) => new GraphError(400, 'Request_BadRequest', `Invalid value specified for property '${prop}' of resource 'User'.`),
  unknownProperty: (prop: string) => new GraphError(400, 'Request_BadRequest', `Property '${prop}' does not exist as a declared property or extension property.`),
  readOnly: (prop: string) => new GraphError(400, 'Request_BadRequest', `Property '${prop}' is read-only and cannot be set.`),
  passwordComplexity: () =>
    new GraphError(400, 'Request_BadRequest', 'The specified password does not comply with password complexity requirements. Please provide a different password.'),
  passwordRequired: () => new GraphError(400, 'Request_BadRequest', 'A password must be specified to create a new user.'),
  upnDomain: () =>
    new GraphError(400, 'Request_BadRequest', 'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.'),
  onPremMastered: () =>
    new GraphError(400, 'Request_BadRequest', 'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.'),
};

function edm(kind: Kind): string {
  switch (kind) {
    case 'bool': case 'nbool': return 'Edm.Boolean';
    case 'datetime': return 'Edm.DateTimeOffset';
    default: return 'Edm.String';
  }
}

function node(v: unknown): string {
  return Array.isArray(v) ? 'StartArray' : v !== null && typeof v === 'object' ? 'StartObject' : 'PrimitiveValue';
}

function typeError(name: string, v: unknown, kind: Kind, secret = false): GraphError {
  const expected = kind === 'strings' ? 'StartArray' : kind === 'orgData' || kind === 'passwordProfile' || kind === 'object' ? 'StartObject' : 'PrimitiveValue';
  if (node(v) !== expected) {
    return new GraphError(400, 'BadRequest', `An unexpected '${node(v)}' node was found for property named '${name}' when reading from the JSON reader. A '${expected}' node was expected.`);
  }
  if (secret) return new GraphError(400, 'BadRequest', `Cannot convert a primitive value to the expected type '${edm(kind)}'.`);
  return new GraphError(400, 'BadRequest', `Cannot convert the literal '${String(v)}' to the expected type '${edm(kind)}'.`);
}

/** DateTimeOffset as Graph stores it: `YYYY-MM-DDThh:mm:ssZ`. */
function dateTimeOffset(name: string, v: unknown): string | null {
  if (v === null) return null;
  if (typeof v !== 'string') throw typeError(name, v, 'datetime');
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(v);
  const t = ok ? Date.parse(/T/.test(v) && !/(Z|[+-]\d{2}:\d{2})$/.test(v) ? `${v}Z` : v) : NaN;
  if (!Number.isFinite(t)) throw typeError(name, v, 'datetime');
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Checks one property's JSON value and returns it normalised. */
function readField(name: string, f: Field, v: unknown): unknown {
  switch (f.kind) {
    case 'bool':
      if (typeof v !== 'boolean') throw typeError(name, v, f.kind);
      return v;
    case 'nbool':
      if (v !== null && typeof v !== 'boolean') throw typeError(name, v, f.kind);
      return v;
    case 'string':
    case 'nstring': {
      if (v === null) {
        if (f.kind === 'string') throw userErrors.invalidValue(name);
        return null;
      }
      if (typeof v !== 'string') throw typeError(name, v, f.kind);
      if (f.max !== undefined && v.length > f.max) throw userErrors.invalidValue(name);
      if (f.kind === 'string' && !v.trim()) throw userErrors.invalidValue(name);
      if (f.oneOf) {
        const hit = f.oneOf.find((o) => o.toLowerCase() === v.toLowerCase());
        if (!hit) throw userErrors.invalidValue(name);
        return hit;
      }
      return v;
    }
    case 'strings': {
      if (v === null) return [];
      if (!Array.isArray(v)) throw typeError(name, v, f.kind);
      for (const x of v) if (typeof x !== 'string') throw typeError(name, x, 'string');
      return v;
    }
    case 'datetime':
      return dateTimeOffset(name, v);
    case 'orgData': {
      if (v === null) return null;
      if (typeof v !== 'object' || Array.isArray(v)) throw typeError(name, v, f.kind);
      const out: { division: string | null; costCenter: string | null } = { division: null, costCenter: null };
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const key = k.toLowerCase() === 'division' ? 'division' : k.toLowerCase() === 'costcenter' ? 'costCenter' : undefined;
        if (!key) {
          if (k.startsWith('@odata.')) continue;
          throw new GraphError(400, 'BadRequest', `The property '${k}' does not exist on type 'microsoft.graph.employeeOrgData'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
        }
        if (x !== null && typeof x !== 'string') throw typeError(`${name}/${key}`, x, 'nstring');
        out[key] = x as string | null;
      }
      return out;
    }
    case 'object':
      if (v === null) return null;
      if (typeof v !== 'object' || Array.isArray(v)) throw typeError(name, v, f.kind);
      return v;
    case 'passwordProfile':
      return readPasswordProfile(v);
  }
}

export interface PasswordProfileInput {
  password?: string;
  forceChangePasswordNextSignIn?: boolean;
  forceChangePasswordNextSignInWithMfa?: boolean;
}

function readPasswordProfile(v: unknown): PasswordProfileInput | null {
  if (v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw typeError('passwordProfile', v, 'passwordProfile', true);
  const out: PasswordProfileInput = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    switch (k.toLowerCase()) {
      case 'password':
        if (x !== null && typeof x !== 'string') throw typeError('password', x, 'nstring', true);
        if (typeof x === 'string') out.password = x;
        break;
      case 'forcechangepasswordnextsignin':
        if (typeof x !== 'boolean') throw typeError('forceChangePasswordNextSignIn', x, 'bool');
        out.forceChangePasswordNextSignIn = x;
        break;
      case 'forcechangepasswordnextsigninwithmfa':
        if (typeof x !== 'boolean') throw typeError('forceChangePasswordNextSignInWithMfa', x, 'bool');
        out.forceChangePasswordNextSignInWithMfa = x;
        break;
      default:
        if (k.startsWith('@odata.')) break;
        throw new GraphError(400, 'BadRequest', `The property '${k}' does not exist on type 'microsoft.graph.passwordProfile'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
    }
  }
  return out;
}

/** Directory extension attributes (`extension_{appId}_{name}`) are stored as given. */
const EXTENSION = /^extension_[0-9a-f]{32}_[A-Za-z0-9_]+$/i;

/**
 * The body's properties under their Graph names. Unknown names, read-only names and wrong JSON
 * types are refused like Graph refuses them; annotations (`@odata.type`) are ignored.
 */
export function readUserBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || body === '') throw new GraphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new GraphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  }
  const out: Record<string, unknown> = {};
  for (const [raw, v] of Object.entries(body as Record<string, unknown>)) {
    if (raw.startsWith('@') || raw.includes('@odata.')) continue;
    if (EXTENSION.test(raw)) {
      out[raw] = v;
      continue;
    }
    const name = writableByLower.get(raw.toLowerCase());
    if (!name) {
      const known = knownByLower.get(raw.toLowerCase());
      throw known ? userErrors.readOnly(known) : userErrors.unknownProperty(raw);
    }
    out[name] = readField(name, WRITABLE[name]!, v);
  }
  return out;
}

export function isIsoCountry(code: string): boolean {
  return ISO_COUNTRIES.has(code.toUpperCase());
}

/** Entra's password rules: 8–256 characters, three of lower, upper, digit and symbol, ASCII only. */
export function passwordIsComplex(password: string, nickname: string): boolean {
  if (password.length < 8 || password.length > 256) return false;
  if (/[^\x20-\x7e]/.test(password)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) return false;
  return !(nickname.length >= 3 && password.toLowerCase().includes(nickname.toLowerCase()));
}

const UPN_LOCAL = /^[A-Za-z0-9'.\-_!#^~]+$/;

/** `local@domain` with Graph's allowed characters; returns the domain, or throws. */
export function checkUpnFormat(upn: string): string {
  const at = upn.lastIndexOf('@');
  const local = upn.slice(0, at), domain = upn.slice(at + 1);
  if (at <= 0 || !domain || local.length > 64 || !UPN_LOCAL.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    throw userErrors.invalidValue('userPrincipalName');
  }
  if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(domain)) throw userErrors.invalidValue('userPrincipalName');
  return domain;
}

/** Exchange aliases: printable ASCII without spaces or the characters SMTP reserves. */
export function checkMailNickname(nick: string): void {
  if (!/^[!#$%&'*+\-./0-9=?A-Z^_`a-z{|}~]+$/.test(nick) || nick.startsWith('.') || nick.endsWith('.')) throw userErrors.invalidValue('mailNickname');
}

export function checkMail(name: string, mail: string): void {
  if (!/^[^\s@]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(mail)) throw userErrors.invalidValue(name);
}
