// Access tokens for Graph and Exchange, per tenant and scope, through @azure/msal-node. One
// ConfidentialClientApplication per tenant: the authority is `${loginBaseUrl}/${tenantId}` and the
// emulator's host is declared a known authority, so MSAL runs unmodified against it. Concurrent
// callers for the same (tenant, scope) share one in-flight request (no thundering herd), and a
// token is reused until five minutes before it expires.
import { ConfidentialClientApplication, LogLevel, ServerError, AuthError, type AuthenticationResult, type Configuration } from '@azure/msal-node';
import { AppError } from '../core/errors.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { silentLogger, type Logger } from '../core/logger.ts';
import { scrubText } from '../core/secrets.ts';
import type { Send } from './http-transport.ts';
import { MsalNetworkClient } from './msal-network-client.ts';
import type { TenantConfig } from './tenant-config.ts';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
export const EXCHANGE_SCOPE = 'https://outlook.office365.com/.default';

const microsoftAuthorityHosts = new Set([
  'login.microsoftonline.com', 'login.microsoft.com', 'login.windows.net', 'sts.windows.net',
  'login.microsoftonline.us', 'login.partner.microsoftonline.cn',
]);

export interface TokenOptions {
  /** Ignore every cache: after Microsoft refused the cached token with 401. */
  forceRefresh?: boolean;
}

/** What the Graph and Exchange clients need; tests may give a fake. */
export interface TokenSource {
  getToken(tenant: TenantConfig, scope: string, opts?: TokenOptions): Promise<string>;
}

interface CachedToken {
  token: string;
  expiresOnMs: number;
}

interface TenantApp {
  app: ConfidentialClientApplication;
  net: MsalNetworkClient;
}

export interface TokenProviderOptions {
  /** The transport for a tenant (its TLS trust); see TransportPool.forTrust. */
  sendFor: (tenant: TenantConfig) => Send;
  clock?: Clock;
  logger?: Logger;
  /** Renew this long before expiry (default 5 min, MSAL's own margin). */
  renewBeforeMs?: number;
}

export class TokenProvider implements TokenSource {
  private readonly apps = new Map<string, TenantApp>();
  private readonly cache = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<CachedToken>>();
  private readonly sendFor: (tenant: TenantConfig) => Send;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly renewBeforeMs: number;

  constructor(opts: TokenProviderOptions) {
    this.sendFor = opts.sendFor;
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
    this.renewBeforeMs = opts.renewBeforeMs ?? 5 * 60_000;
  }

  async getToken(tenant: TenantConfig, scope: string, opts: TokenOptions = {}): Promise<string> {
    const key = `${appKey(tenant)}|${scope}`;
    if (!opts.forceRefresh) {
      const hit = this.cache.get(key);
      if (hit && hit.expiresOnMs - this.clock.now() > this.renewBeforeMs) return hit.token;
    }
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.acquire(tenant, scope, opts.forceRefresh === true).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const fresh = await pending;
    this.cache.set(key, fresh);
    return fresh.token;
  }

  /** Drops the cached token so the next call asks Entra again. */
  invalidate(tenant: TenantConfig, scope: string): void {
    this.cache.delete(`${appKey(tenant)}|${scope}`);
  }

  private async acquire(tenant: TenantConfig, scope: string, forceRefresh: boolean): Promise<CachedToken> {
    const { app, net } = this.appFor(tenant);
    const creds = tenant.credentials;
    let result: AuthenticationResult | null;
    try {
      net.lastFailure = undefined;
      result = creds.kind === 'gdapRefreshToken'
        ? await app.acquireTokenByRefreshToken({ scopes: [scope], refreshToken: creds.refreshToken.reveal(), forceCache: false })
        : await app.acquireTokenByClientCredential({ scopes: [scope], skipCache: forceRefresh });
    } catch (e) {
      throw this.mapError(e, tenant, scope, net);
    }
    if (!result?.accessToken) {
      throw new AppError({ code: 'm365_auth_failed', message: `Entra ID returned no access token for ${tenant.domain} (${scope}).`, details: { tenantId: tenant.id, scope } });
    }
    const expiresOnMs = result.expiresOn ? result.expiresOn.getTime() : this.clock.now() + 3_600_000;
    this.logger.debug({ tenant: tenant.domain, scope, expiresOn: new Date(expiresOnMs).toISOString() }, 'access token acquired');
    return { token: result.accessToken, expiresOnMs };
  }

  private appFor(tenant: TenantConfig): TenantApp {
    const existing = this.apps.get(appKey(tenant));
    if (existing) return existing;
    const net = new MsalNetworkClient(this.sendFor(tenant));
    const authorityHost = new URL(tenant.loginBaseUrl).host;
    const creds = tenant.credentials;
    const auth: Configuration['auth'] = {
      clientId: creds.clientId,
      authority: `${tenant.loginBaseUrl}/${tenant.id}`,
      // Non-Microsoft hosts (the emulator) are declared trusted, which also skips Microsoft's
      // instance discovery: MSAL reads the tenant's OpenID metadata from the host itself.
      ...(microsoftAuthorityHosts.has(authorityHost.toLowerCase()) ? {} : { knownAuthorities: [authorityHost] }),
    };
    if (creds.kind === 'certificate') {
      auth.clientCertificate = { thumbprintSha256: creds.thumbprintSha256, privateKey: creds.privateKeyPem.reveal(), x5c: creds.certificatePem };
    } else {
      auth.clientSecret = creds.clientSecret.reveal();
    }
    const logger = this.logger;
    const app = new ConfidentialClientApplication({
      auth,
      system: {
        networkClient: net,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (_level, message, containsPii) => {
            if (!containsPii) logger.debug({ msal: message }, 'msal');
          },
        },
      },
    });
    const entry = { app, net };
    this.apps.set(appKey(tenant), entry);
    return entry;
  }

  private mapError(e: unknown, tenant: TenantConfig, scope: string, net: MsalNetworkClient): AppError {
    if (e instanceof AppError) return e;
    const secrets = secretsOf(tenant);
    // MSAL reports a transport failure as network_error, or as endpoints_resolution_error when
    // it happened while reading the OpenID metadata; the network client knows what really failed.
    if (net.lastFailure) return net.lastFailure;
    if (e instanceof AuthError && e.errorCode === 'network_error') {
      return new AppError({ code: 'network_error', message: `The identity endpoint of ${tenant.domain} (${new URL(tenant.loginBaseUrl).host}) could not be reached.`, cause: e, details: { tenantId: tenant.id } });
    }
    if (e instanceof ServerError || e instanceof AuthError) {
      const description = scrubText(e.errorMessage || e.message, secrets);
      const aadsts = /AADSTS(\d+)/.exec(description)?.[1];
      const status = e instanceof ServerError ? e.status : undefined;
      if (status === 429 || (status !== undefined && status >= 500)) {
        return new AppError({ code: status === 429 ? 'm365_throttled' : 'm365_unavailable', message: `Entra ID answered ${status} to the token request for ${tenant.domain}: ${firstLine(description)}`, cause: e, details: { tenantId: tenant.id, scope, aadError: e.errorCode, aadsts } });
      }
      return new AppError({
        code: 'm365_auth_failed',
        message: `Entra ID refused the token request for ${tenant.domain} (${e.errorCode}): ${firstLine(description)}`,
        fix: fixForAadsts(aadsts, tenant),
        cause: e,
        details: { tenantId: tenant.id, scope, aadError: e.errorCode, ...(aadsts ? { aadsts: Number(aadsts) } : {}) },
      });
    }
    return new AppError({ code: 'm365_auth_failed', message: `Token acquisition for ${tenant.domain} failed: ${scrubText(String((e as Error)?.message ?? e), secrets)}`, cause: e, details: { tenantId: tenant.id, scope } });
  }
}

/** A token belongs to a tenant, an app and a way of signing in (app-only or partner-delegated). */
function appKey(tenant: TenantConfig): string {
  return `${tenant.id}|${tenant.credentials.clientId}|${tenant.credentials.kind}`;
}

function firstLine(s: string): string {
  // Entra appends trace and correlation ids on later lines / after "Trace ID"; keep the sentence.
  return s.split(/\r?\n/)[0]!.replace(/\s*Trace ID:.*$/, '');
}

function fixForAadsts(code: string | undefined, tenant: TenantConfig): string {
  switch (code) {
    case '7000215':
    case '7000222':
      return `The client secret of app ${tenant.credentials.clientId} is wrong or expired; create a new secret and update the tenant configuration.`;
    case '700016':
      return `App ${tenant.credentials.clientId} is not consented in ${tenant.domain}; ask a Global Administrator to grant admin consent.`;
    case '90002':
      return `Check the tenant id ${tenant.id}: Entra ID does not know it.`;
    case '700027':
    case '700023':
      return 'Upload the certificate to the app registration, or configure the certificate that is registered.';
    case '70000':
    case '70008':
    case '50173':
    case '70043':
      return 'The GDAP refresh token is expired or revoked; sign the partner account in again and store the new refresh token.';
    default:
      return "Check the tenant's app credentials (client id, secret or certificate) and admin consent.";
  }
}

function secretsOf(tenant: TenantConfig): string[] {
  const c = tenant.credentials;
  switch (c.kind) {
    case 'clientSecret':
      return [c.clientSecret.reveal()];
    case 'gdapRefreshToken':
      return [c.clientSecret.reveal(), c.refreshToken.reveal()];
    case 'certificate':
      return [];
  }
}

/** The permissions in an access token: app roles, or delegated scopes for GDAP tokens. */
export function rolesInToken(token: string): string[] {
  const part = token.split('.')[1];
  if (!part) return [];
  try {
    const payload = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { roles?: unknown; scp?: unknown };
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
    const scp = typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [];
    return [...new Set([...roles, ...scp])];
  } catch {
    return [];
  }
}
