// One configured customer tenant: who it is, where its Microsoft 365 endpoints live and how the
// connector proves who it is there. The same shape serves real tenants (Microsoft's hosts) and the
// emulator's demo tenants (loopback hosts plus the emulator's self-signed CA).
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { SecretValue } from './secret-value.ts';

export const MICROSOFT_LOGIN_BASE_URL = 'https://login.microsoftonline.com';
export const MICROSOFT_GRAPH_BASE_URL = 'https://graph.microsoft.com';
export const MICROSOFT_EXCHANGE_BASE_URL = 'https://outlook.office365.com/adminapi/beta';

export const tenantSizes = ['S', 'M', 'L'] as const;
/** Microsoft's identity throttling size class: S < 50 users, M 50–500, L > 500. */
export type TenantSize = (typeof tenantSizes)[number];

export type TenantCredentials =
  | { kind: 'clientSecret'; clientId: string; clientSecret: SecretValue }
  | {
      kind: 'certificate';
      clientId: string;
      privateKeyPem: SecretValue;
      certificatePem: string;
      /** Hex SHA-256 thumbprint of the certificate, derived from certificatePem. */
      thumbprintSha256: string;
    }
  | { kind: 'gdapRefreshToken'; clientId: string; clientSecret: SecretValue; refreshToken: SecretValue };

export interface TenantDefaults {
  /** Two-letter country code set before assigning a licence when the user has none. */
  usageLocation?: string;
  [key: string]: string | undefined;
}

export interface TenantConfig {
  readonly id: string;
  readonly domain: string;
  readonly displayName: string;
  /** Graph host without version, e.g. https://graph.microsoft.com; the client appends v1.0/beta. */
  readonly graphBaseUrl: string;
  /** Exchange admin API base, e.g. https://outlook.office365.com/adminapi/beta. */
  readonly exchangeBaseUrl: string;
  /** Authority host, e.g. https://login.microsoftonline.com; the tenant id is appended. */
  readonly loginBaseUrl: string;
  readonly credentials: TenantCredentials;
  readonly defaults: Readonly<TenantDefaults>;
  /** Extra CA certificate (PEM) to trust for this tenant's hosts: the emulator's self-signed one. */
  readonly caPem?: string;
  /** Same as caPem but read when the first connection is made (the file may appear later). */
  readonly caPemPath?: string;
  /** Throttling size class when known; otherwise learned or assumed M. */
  readonly size?: TenantSize;
}

// ---------------------------------------------------------------------------------------------
// Input schema (tenants file entries and programmatic definitions share it)

const baseUrl = (label: string) =>
  z.string().refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, `${label} must be an absolute http(s) URL without query or fragment`);

const httpsBaseUrl = (label: string) =>
  z.string().refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, `${label} must be an absolute https URL (MSAL accepts only https authorities)`);

const pemOrPath = z.string().min(1);

const credentialsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('clientSecret'), clientId: z.string().min(1), clientSecret: z.string().min(1) }).strict(),
  z.object({
    kind: z.literal('certificate'),
    clientId: z.string().min(1),
    privateKeyPem: pemOrPath.optional(),
    privateKeyPath: pemOrPath.optional(),
    certificatePem: pemOrPath.optional(),
    certificatePath: pemOrPath.optional(),
  }).strict()
    .refine((c) => (c.privateKeyPem === undefined) !== (c.privateKeyPath === undefined), { message: 'give exactly one of privateKeyPem or privateKeyPath', path: ['privateKeyPem'] })
    .refine((c) => (c.certificatePem === undefined) !== (c.certificatePath === undefined), { message: 'give exactly one of certificatePem or certificatePath', path: ['certificatePem'] }),
  z.object({ kind: z.literal('gdapRefreshToken'), clientId: z.string().min(1), clientSecret: z.string().min(1), refreshToken: z.string().min(1) }).strict(),
]);

export const tenantInputSchema = z.object({
  id: z.string().refine(isUuid, 'id must be the tenant GUID'),
  domain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.onmicrosoft\.com$/i, 'domain must be the initial *.onmicrosoft.com domain'),
  displayName: z.string().min(1).max(256),
  graphBaseUrl: baseUrl('graphBaseUrl').default(MICROSOFT_GRAPH_BASE_URL),
  exchangeBaseUrl: baseUrl('exchangeBaseUrl').default(MICROSOFT_EXCHANGE_BASE_URL),
  loginBaseUrl: httpsBaseUrl('loginBaseUrl').default(MICROSOFT_LOGIN_BASE_URL),
  credentials: credentialsSchema,
  defaults: z.object({
    usageLocation: z.string().regex(/^[A-Z]{2}$/, 'usageLocation must be a two-letter upper-case country code').optional(),
  }).catchall(z.string()).default({}),
  caPem: z.string().includes('BEGIN CERTIFICATE', { message: 'caPem must be a PEM certificate' }).optional(),
  caPemPath: z.string().min(1).optional(),
  size: z.enum(tenantSizes).optional(),
}).strict();

export type TenantInput = z.input<typeof tenantInputSchema>;

export interface DefineTenantOptions {
  /** Where the definition came from, for error messages (a file path, "demo tenants"). */
  source?: string;
  /** Relative PEM paths are resolved against this directory. */
  baseDir?: string;
  /** Prefix for parameter names in errors, e.g. `tenants[2]`. */
  paramPrefix?: string;
}

/** Validates one tenant definition and returns the runtime config (secrets wrapped). */
export function defineTenant(input: unknown, opts: DefineTenantOptions = {}): TenantConfig {
  const parsed = tenantInputSchema.safeParse(input);
  if (!parsed.success) throw configError(parsed.error, opts);
  const t = parsed.data;
  const where = opts.source ? ` in ${opts.source}` : '';
  const param = (p: string) => (opts.paramPrefix ? `${opts.paramPrefix}.${p}` : p);
  const readPem = (inline: string | undefined, path: string | undefined, p: string): string => {
    if (inline !== undefined) return inline;
    const full = isAbsolute(path!) ? path! : resolve(opts.baseDir ?? process.cwd(), path!);
    try {
      return readFileSync(full, 'utf8');
    } catch {
      throw new AppError({ code: 'invalid_parameter', param: param(p), value: full, message: `Tenant ${t.domain}${where}: cannot read ${p} file ${full}.`, fix: 'Point the path at a readable PEM file, or give the PEM inline.' });
    }
  };

  let credentials: TenantCredentials;
  const c = t.credentials;
  switch (c.kind) {
    case 'clientSecret':
      credentials = { kind: 'clientSecret', clientId: c.clientId, clientSecret: new SecretValue(c.clientSecret) };
      break;
    case 'gdapRefreshToken':
      credentials = { kind: 'gdapRefreshToken', clientId: c.clientId, clientSecret: new SecretValue(c.clientSecret), refreshToken: new SecretValue(c.refreshToken) };
      break;
    case 'certificate': {
      const keyPem = readPem(c.privateKeyPem, c.privateKeyPath, 'credentials.privateKeyPath');
      const certPem = readPem(c.certificatePem, c.certificatePath, 'credentials.certificatePath');
      credentials = { kind: 'certificate', clientId: c.clientId, privateKeyPem: new SecretValue(keyPem), certificatePem: certPem, thumbprintSha256: certificateThumbprint(certPem, keyPem, t.domain + where, param('credentials')) };
      break;
    }
  }
  const trim = (u: string) => u.replace(/\/+$/, '');
  const defaults: TenantDefaults = {};
  for (const [k, v] of Object.entries(t.defaults)) if (v !== undefined) defaults[k] = v;
  return Object.freeze({
    id: t.id.toLowerCase(),
    domain: t.domain.toLowerCase(),
    displayName: t.displayName,
    graphBaseUrl: trim(t.graphBaseUrl),
    exchangeBaseUrl: trim(t.exchangeBaseUrl),
    loginBaseUrl: trim(t.loginBaseUrl),
    credentials: Object.freeze(credentials),
    defaults: Object.freeze(defaults),
    ...(t.caPem !== undefined ? { caPem: t.caPem } : {}),
    ...(t.caPemPath !== undefined ? { caPemPath: isAbsolute(t.caPemPath) ? t.caPemPath : resolve(opts.baseDir ?? process.cwd(), t.caPemPath) } : {}),
    ...(t.size !== undefined ? { size: t.size } : {}),
  });
}

/** The thumbprint MSAL puts in the assertion header; also checks that key and certificate match. */
function certificateThumbprint(certPem: string, keyPem: string, where: string, param: string): string {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    throw new AppError({ code: 'invalid_parameter', param: `${param}.certificatePem`, message: `Tenant ${where}: the certificate is not a valid PEM X.509 certificate.`, fix: 'Give the public certificate (-----BEGIN CERTIFICATE-----) registered on the app.' });
  }
  let matches = false;
  try {
    matches = cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    throw new AppError({ code: 'invalid_parameter', param: `${param}.privateKeyPem`, message: `Tenant ${where}: the private key is not a valid PEM private key.`, fix: 'Give the unencrypted PEM private key (-----BEGIN PRIVATE KEY-----) of the certificate.' });
  }
  if (!matches) {
    throw new AppError({ code: 'invalid_parameter', param: `${param}.privateKeyPem`, message: `Tenant ${where}: the private key does not belong to the certificate.`, fix: 'Pair the certificate with the private key it was issued for.' });
  }
  return cert.fingerprint256.replace(/:/g, '').toLowerCase();
}

function configError(error: z.ZodError, opts: DefineTenantOptions): AppError {
  const issue = error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  const param = [opts.paramPrefix, path].filter(Boolean).join('.');
  const where = opts.source ? ` in ${opts.source}` : '';
  // Never echo the offending value: it may be a secret.
  const message = issue.code === 'unrecognized_keys'
    ? `Tenant definition${where}: unknown field(s) ${issue.keys.join(', ')}${path ? ` at ${param}` : ''}.`
    : `Tenant definition${where}: ${param || 'tenant'}: ${issue.message}.`;
  return new AppError({ code: 'invalid_parameter', param: param || undefined, message, fix: 'Correct the tenant definition as described; see src/m365/README.md for the fields.', details: { issues: error.issues.length } });
}

/** The view of a tenant actions and the UI see: no endpoints, no credentials. */
export function tenantInfo(t: TenantConfig): { id: string; domain: string; displayName: string; defaults: Record<string, string>; connection: 'application' | 'delegated' } {
  const defaults: Record<string, string> = {};
  for (const [k, v] of Object.entries(t.defaults)) if (v !== undefined) defaults[k] = v;
  // A GDAP refresh token signs in as a technician (delegated); a secret or certificate as the app.
  const connection = t.credentials.kind === 'gdapRefreshToken' ? 'delegated' : 'application';
  return { id: t.id, domain: t.domain, displayName: t.displayName, defaults, connection };
}

export function clientIdOf(t: TenantConfig): string {
  return t.credentials.clientId;
}
