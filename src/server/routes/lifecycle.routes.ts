// Microsoft Graph's lifecycle workflows API, per tenant: /graph/{tenant}/{v1.0|beta}/
// identityGovernance/lifecycleWorkflows/…, so Microsoft's SDKs and scripts work against Tenantflow
// with its Bearer tokens. Permissions map onto Tenantflow roles:
//   LifecycleWorkflows.Read.All      → any role (technician, reviewer, admin): every GET;
//   LifecycleWorkflows.ReadWrite.All → reviewer or admin: POST, PATCH and DELETE (including
//                                      activate, createNewVersion, restore and resume).
// The caller's tenant scope applies: a tenant outside it answers like an unknown one.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LcwError, lcwErrors } from '../../lifecycle/errors.ts';
import { Reports } from '../../lifecycle/reports.ts';
import { callerOf, scopedTenant } from '../http/auth.ts';
import { graphHeaders, sendGraphError } from '../lifecycle-api/graph-error.ts';
import { readQuery } from '../lifecycle-api/odata-query.ts';
import type { ApiContext } from '../lifecycle-api/resources.ts';
import { match } from '../lifecycle-api/router.ts';
import type { Runtime } from '../runtime.ts';

const PREFIX = 'identityGovernance/lifecycleWorkflows';
const WRITE_ROLES = new Set(['admin', 'reviewer']);

function parseJson(body: string): unknown {
  if (!body.trim()) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    throw new LcwError(400, 'BadRequest', 'Invalid JSON in the request body.');
  }
}

export function lifecycleRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    const reports = new Reports(rt.lifecycle.repo, rt.lifecycle.results);
    app.setErrorHandler((err, req, reply) => sendGraphError(req, reply, err, rt.log));
    // Graph bodies are JSON; bodiless POSTs (restore) may come with or without a content type.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
      try { done(null, parseJson(String(body))); } catch (e) { done(e as Error, undefined); }
    });
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
      if (!String(body).trim()) done(null, undefined);
      else done(new LcwError(415, 'UnsupportedMediaType', 'Send the request body as application/json.'), undefined);
    });

    const handle = async (req: FastifyRequest<{ Params: { tenant: string; version: string; '*'?: string } }>, reply: FastifyReply) => {
      const caller = callerOf(req);
      const { tenant, version } = req.params;
      if (version !== 'v1.0' && version !== 'beta') throw new LcwError(400, 'BadRequest', `Invalid version: '${version}'; use v1.0 or beta.`);
      const tenantId = scopedTenant(rt, caller, tenant);
      const method = req.method.toUpperCase();
      if (method !== 'GET' && !WRITE_ROLES.has(caller.account.role)) {
        throw lcwErrors.forbidden(`Insufficient privileges to complete the operation: this needs LifecycleWorkflows.ReadWrite.All, which Tenantflow grants to the reviewer and admin roles; you are a ${caller.account.role}.`);
      }
      const [path, search = ''] = req.url.split('?') as [string, string?];
      const below = path.slice(path.indexOf(PREFIX) + PREFIX.length).split('/').filter(Boolean);
      let segments: string[];
      try {
        segments = below.map((s) => decodeURIComponent(s));
      } catch {
        throw new LcwError(400, 'BadRequest', 'The request path is not correctly URL-encoded.');
      }
      const m = match(method, segments);
      const root = `${req.protocol}://${req.headers.host ?? 'localhost'}/graph/${encodeURIComponent(tenant)}/${version}`;
      const ctx: ApiContext = {
        rt, lc: rt.lifecycle, reports, tenantId, caller, method, params: m.params, fnArgs: m.fnArgs, deleted: m.deleted,
        query: readQuery(search), body: req.body, root, selfUrl: `${req.protocol}://${req.headers.host ?? 'localhost'}${path}`,
      };
      const res = await m.handler(ctx);
      graphHeaders(req, reply);
      if (res.body === undefined) return reply.code(res.status).send();
      return reply.code(res.status).header('content-type', 'application/json; odata.metadata=minimal; charset=utf-8').send(JSON.stringify(res.body));
    };

    const methods = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT'] as const;
    const schema = { tags: ['lifecycle workflows'], summary: 'Microsoft Graph lifecycle workflows API (identityGovernance/lifecycleWorkflows), per tenant.' };
    app.route({ method: [...methods], url: `/graph/:tenant/:version/${PREFIX}`, schema, handler: handle });
    app.route({ method: [...methods], url: `/graph/:tenant/:version/${PREFIX}/*`, schema, handler: handle });
  };
}
