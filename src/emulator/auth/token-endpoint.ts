// Entra's v2 token endpoint and the OpenID metadata @azure/msal-node reads before it asks for a
// token. Grants: client_credentials (secret or certificate assertion) and refresh_token (the GDAP
// partner flow). Errors use Entra's AADSTS shape.
import { createHash, X509Certificate, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeProtectedHeader, jwtVerify, importX509 } from 'jose';
import type { EmulatorStore } from '../state/store.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { EXCHANGE_AUDIENCE, GRAPH_AUDIENCE, type TokenService } from './tokens.ts';

export interface TokenEndpointDeps {
  store: EmulatorStore;
  tokens: TokenService;
  now: () => number;
}

interface AadError {
  status: number;
  error: string;
  aadsts: number;
  description: string;
}

function aad(status: number, error: string, aadsts: number, description: string): AadError {
  return { status, error, aadsts, description };
}

function sendAad(reply: FastifyReply, e: AadError, now: number): FastifyReply {
  const trace = randomUUID();
  const correlation = randomUUID();
  return reply.code(e.status).send({
    error: e.error,
    error_description: `AADSTS${e.aadsts}: ${e.description} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${new Date(now).toISOString().replace('T', ' ').slice(0, 19)}Z`,
    error_codes: [e.aadsts],
    timestamp: new Date(now).toISOString().replace('T', ' ').slice(0, 19) + 'Z',
    trace_id: trace,
    correlation_id: correlation,
  });
}

function originOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

function resolveTenant(store: EmulatorStore, name: string): TenantState | undefined | 'multi' {
  if (['common', 'organizations', 'consumers'].includes(name.toLowerCase())) return 'multi';
  return store.tenant(name);
}

export function registerTokenEndpoint(app: FastifyInstance, deps: TokenEndpointDeps): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get('/:tenant/v2.0/.well-known/openid-configuration', async (req, reply) => {
    const { tenant } = req.params as { tenant: string };
    const t = resolveTenant(deps.store, tenant);
    if (!t) return sendAad(reply, aad(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`), deps.now());
    const origin = originOf(req);
    const tid = t === 'multi' ? '{tenantid}' : t.id;
    return {
      token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${origin}/${tid}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${origin}/oidc/userinfo`,
      authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${origin}/${tenant}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid', 'roles'],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
    };
  });

  app.get('/:tenant/discovery/v2.0/keys', async () => deps.tokens.jwks());

  // MSAL's instance discovery, for clients that do not pass knownAuthorities.
  app.get('/common/discovery/instance', async (req) => {
    const host = req.host;
    return {
      tenant_discovery_endpoint: `${originOf(req)}/{tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    };
  });

  app.post('/:tenant/oauth2/v2.0/token', async (req, reply) => {
    const now = deps.now();
    const { tenant: tenantName } = req.params as { tenant: string };
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    if (typeof req.body !== 'object' || req.body === null) {
      return sendAad(reply, aad(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'."), now);
    }
    const t = resolveTenant(deps.store, tenantName);
    if (!t) return sendAad(reply, aad(400, 'invalid_request', 90002, `Tenant '${tenantName}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`), now);
    if (t === 'multi') return sendAad(reply, aad(400, 'invalid_request', 700016, "Use a tenant-specific endpoint: the client credentials flow needs a tenant id or domain, not 'common' or 'organizations'."), now);
    const grant = body.grant_type;
    if (!grant) return sendAad(reply, aad(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'."), now);
    const basic = parseBasicAuth(req.headers.authorization);
    const clientId = body.client_id ?? basic?.id;
    if (!clientId) return sendAad(reply, aad(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'."), now);
    const app = deps.store.apps.get(clientId);
    const grantInTenant = t.data.apps[clientId];
    if (!app || !grantInTenant) {
      return sendAad(reply, aad(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${t.data.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`), now);
    }
    const audience = audienceOf(body.scope);
    if (!audience) return sendAad(reply, aad(400, 'invalid_scope', 1002012, `The provided value for scope ${body.scope ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`), now);

    // Client authentication: secret or certificate assertion.
    const secret = body.client_secret ?? basic?.secret;
    if (body.client_assertion) {
      const ok = await verifyAssertion(body.client_assertion, body.client_assertion_type, app.certificates, clientId, now);
      if (ok !== true) return sendAad(reply, aad(401, 'invalid_client', ok.code, ok.message), now);
    } else if (secret !== undefined) {
      if (!app.secrets.includes(secret)) return sendAad(reply, aad(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`), now);
    } else {
      return sendAad(reply, aad(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."), now);
    }

    const roles = audience === GRAPH_AUDIENCE ? grantInTenant.graphRoles : grantInTenant.exchangeRoles;
    if (grant === 'client_credentials') {
      const { token, expiresIn } = await deps.tokens.issue({ tenantId: t.id, appId: clientId, audience, roles }, now);
      return { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token };
    }
    if (grant === 'refresh_token') {
      const rt = body.refresh_token ? deps.store.partnerTokens.get(body.refresh_token) : undefined;
      if (!rt || rt.appId !== clientId) {
        return sendAad(reply, aad(400, 'invalid_grant', 70000, 'The provided value for the input parameter \'refresh_token\' or \'assertion\' is not valid.'), now);
      }
      const { token, expiresIn } = await deps.tokens.issue({ tenantId: t.id, appId: clientId, audience, roles, upn: rt.upn, scp: roles.join(' ') }, now);
      return {
        token_type: 'Bearer', scope: `${audience}/.default`, expires_in: expiresIn, ext_expires_in: expiresIn,
        access_token: token, refresh_token: rt.refreshToken,
      };
    }
    return sendAad(reply, aad(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`), now);
  });
}

function audienceOf(scope: string | undefined): string | undefined {
  if (!scope) return undefined;
  for (const s of scope.split(' ')) {
    const lower = s.toLowerCase();
    if (lower === 'https://graph.microsoft.com/.default' || lower === '00000003-0000-0000-c000-000000000000/.default') return GRAPH_AUDIENCE;
    if (lower === 'https://outlook.office365.com/.default' || lower === 'https://outlook.office.com/.default' || lower === '00000002-0000-0ff1-ce00-000000000000/.default') return EXCHANGE_AUDIENCE;
  }
  return undefined;
}

function parseBasicAuth(h: string | undefined): { id: string; secret: string } | undefined {
  if (!h?.startsWith('Basic ')) return undefined;
  const raw = Buffer.from(h.slice(6), 'base64').toString();
  const i = raw.indexOf(':');
  if (i < 0) return undefined;
  return { id: decodeURIComponent(raw.slice(0, i)), secret: decodeURIComponent(raw.slice(i + 1)) };
}

async function verifyAssertion(
  assertion: string,
  type: string | undefined,
  certs: Array<{ thumbprint: string; pem: string }>,
  clientId: string,
  now: number,
): Promise<true | { code: number; message: string }> {
  if (type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
    return { code: 50027, message: "Invalid client_assertion_type; expected 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'." };
  }
  let header;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    return { code: 50027, message: 'JWT token is invalid or malformed.' };
  }
  const x5t = (header.x5t as string | undefined) ?? undefined;
  const x5tS256 = (header['x5t#S256'] as string | undefined) ?? undefined;
  const cert = certs.find((c) => {
    const der = new X509Certificate(c.pem).raw;
    return (x5t && createHash('sha1').update(der).digest('base64url') === x5t) ||
      (x5tS256 && createHash('sha256').update(der).digest('base64url') === x5tS256) ||
      (x5t && c.thumbprint.toLowerCase() === Buffer.from(x5t, 'base64url').toString('hex'));
  });
  if (!cert) return { code: 700027, message: `The certificate with identifier used to sign the client assertion is not registered on application '${clientId}'.` };
  try {
    const key = await importX509(cert.pem, (header.alg as string) ?? 'RS256');
    // Entra accepts 5 minutes of clock skew; MSAL rounds iat to the nearest second.
    const { payload } = await jwtVerify(assertion, key, { currentDate: new Date(now), clockTolerance: 300 });
    if (payload.iss !== clientId || payload.sub !== clientId) return { code: 700023, message: 'Client assertion audience claim does not match Realm issuer.' };
    return true;
  } catch {
    return { code: 700027, message: 'Client assertion failed signature validation.' };
  }
}
