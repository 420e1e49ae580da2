// The Exchange Online admin API surface the EXO v3 module and CIPP use:
// POST /adminapi/beta/{tenant}/InvokeCommand and POST /adminapi/beta/{tenant}/$batch.
// Authenticates the Bearer token (audience outlook.office365.com, tenant matching the URL,
// Exchange.ManageAsApp) and hands the body to the pipeline.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EXCHANGE_AUDIENCE, type AccessClaims } from '../auth/tokens.ts';
import type { EmulatorDeps } from '../deps.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { runExchangeBatch } from './batch.ts';
import { exchangeErrorBody, exchangeErrors, type ExchangeError } from './errors.ts';
import { EXCHANGE_CONTENT_TYPE, ExchangePipeline, type ExchangeInput, type ExchangeResult } from './pipeline.ts';

const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';

export function registerExchange(app: FastifyInstance, deps: EmulatorDeps): void {
  const pipeline = new ExchangePipeline(deps);

  const handler = (kind: 'invoke' | 'batch') => async (req: FastifyRequest, reply: FastifyReply) => {
    const headers = req.headers as Record<string, string | undefined>;
    const { tenant: tenantRef } = req.params as { tenant: string };
    const auth = await authenticate(deps, headers.authorization, tenantRef);
    if ('error' in auth) return send(reply, { status: auth.error.status, body: exchangeErrorBody(auth.error), headers: auth.error.headers });
    const q = req.url.indexOf('?');
    const input: ExchangeInput = {
      tenant: auth.tenant, claims: auth.claims, body: req.body, headers,
      query: Object.fromEntries(new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1))),
      origin: `${req.protocol}://${req.host}`, batched: kind === 'batch',
    };
    const res = kind === 'batch' ? await runExchangeBatch(pipeline, input) : await pipeline.dispatch(input);
    if (res.reset) {
      req.raw.socket.destroy();
      return reply;
    }
    return send(reply, res);
  };
  app.post('/adminapi/beta/:tenant/InvokeCommand', handler('invoke'));
  app.post('/adminapi/beta/:tenant/$batch', handler('batch'));
}

function send(reply: FastifyReply, res: ExchangeResult): FastifyReply {
  reply.code(res.status).headers({ 'content-type': EXCHANGE_CONTENT_TYPE, ...res.headers });
  return reply.send(JSON.stringify(res.body));
}

async function authenticate(deps: EmulatorDeps, authorization: string | undefined, tenantRef: string): Promise<{ claims: AccessClaims; tenant: TenantState } | { error: ExchangeError }> {
  const unauthorized = (reason: string, category: string) => {
    const e = exchangeErrors.unauthorized(reason);
    e.headers['WWW-Authenticate'] = `Bearer client_id="${EXCHANGE_APP_ID}", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token"`;
    e.headers['x-ms-diagnostics'] = `2000001;reason="${reason}";error_category="${category}"`;
    return { error: e };
  };
  if (!authorization || !/^bearer\s+\S/i.test(authorization)) return unauthorized('The request has no Bearer access token.', 'invalid_token');
  const claims = await deps.tokens.verify(authorization.replace(/^bearer\s+/i, ''), deps.now());
  if (!claims) return unauthorized('The access token is invalid, expired or not signed by a trusted issuer.', 'invalid_token');
  if (claims.aud !== EXCHANGE_AUDIENCE && claims.aud !== EXCHANGE_APP_ID) {
    return unauthorized(`The audience claim value is invalid '${claims.aud}'.`, 'invalid_resource');
  }
  const tenant = deps.store.tenant(tenantRef);
  if (!tenant || tenant.id.toLowerCase() !== claims.tid.toLowerCase()) {
    return unauthorized(`The token's tenant '${claims.tid}' doesn't match the organization '${tenantRef}' in the request.`, 'invalid_tenant');
  }
  const scopes = claims.scp?.split(' ') ?? [];
  if (!claims.roles.includes('Exchange.ManageAsApp') && !scopes.includes('Exchange.ManageAsApp') && !scopes.includes('Exchange.Manage')) {
    return { error: exchangeErrors.denied() };
  }
  return { claims, tenant };
}
