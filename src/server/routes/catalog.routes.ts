// Tenants, workflows and actions as the caller may see them.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { singleActionWorkflow } from '../../engine/single-action.ts';
import { actionJsonSchema } from '../../m365/actions/catalog.ts';
import { callerOf, tenantScope } from '../http/auth.ts';
import type { Runtime } from '../runtime.ts';

export function catalogRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get('/api/tenants', { schema: { tags: ['tenants'], summary: 'The tenants you may act in.' } }, async (req) => {
      const scope = tenantScope(rt, callerOf(req));
      return { tenants: rt.registry.list().filter((t) => scope.has(t.id)).map((t) => ({ id: t.id, domain: t.domain, displayName: t.displayName, defaults: t.defaults })) };
    });

    r.get('/api/actions', { schema: { tags: ['catalog'], summary: 'The action catalog with each action\'s parameter schema.' } }, async (req) => {
      callerOf(req);
      return {
        actions: [...rt.actions.values()].map((a) => ({
          id: a.id, title: a.title, description: a.description, category: a.category, secrets: a.secrets,
          reversible: a.undo.reversible, ...(a.undo.reversible ? {} : { irreversibleReason: a.undo.reason }),
          permissions: a.permissions, parameters: actionJsonSchema(a),
        })),
      };
    });

    r.get('/api/workflows', { schema: { tags: ['workflows'], summary: 'Workflows: the built-in and designed ones, and every action as a one-step workflow.' } }, async (req) => {
      callerOf(req);
      const stored = await rt.workflows.list();
      const single = [...rt.actions.values()].map((a) => ({ id: a.id, name: a.title, description: a.description, builtin: true, activeVersion: 1, latestVersion: 1, latestState: 'Active', kind: 'action' as const }));
      return { workflows: [...stored.map((w) => ({ ...w, kind: 'workflow' as const })), ...single] };
    });

    r.get('/api/workflows/:id', { schema: { tags: ['workflows'], params: z.object({ id: z.string().min(1) }), querystring: z.object({ version: z.coerce.number().int().positive().optional() }) } }, async (req) => {
      callerOf(req);
      const found = await rt.ports.workflows.get(req.params.id, req.query.version);
      if (!found) throw new AppError({ code: 'unknown_workflow', message: `No workflow '${req.params.id}'.`, fix: 'GET /api/workflows lists them.' });
      const action = rt.actions.get(req.params.id);
      return { id: req.params.id, version: found.version, definition: action && !(await rt.workflows.get(req.params.id)) ? singleActionWorkflow(action) : found.definition };
    });
  };
}
