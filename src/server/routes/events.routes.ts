// Live progress: a websocket at /api/events that pushes every run and step event within the
// caller's tenants, optionally filtered by run or tenant.
import type { FastifyInstance } from 'fastify';
import type {} from '@fastify/websocket';
import { callerOf, scopedTenant, tenantScope } from '../http/auth.ts';
import type { Runtime } from '../runtime.ts';

export function eventsRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.get('/api/events', { websocket: true, schema: { tags: ['runs'], summary: 'Websocket of run and step events (?run=ID&tenant=T).' } }, (socket, req) => {
      const caller = callerOf(req);
      const q = req.query as { run?: string; tenant?: string };
      let tenant: string | undefined;
      try {
        tenant = q.tenant ? scopedTenant(rt, caller, q.tenant) : undefined;
      } catch {
        socket.close(4404, 'unknown tenant');
        return;
      }
      const scope = tenantScope(rt, caller);
      const off = rt.bus.subscribe((e) => {
        if (!scope.has(e.tenantId)) return;
        if (tenant && e.tenantId !== tenant) return;
        if (q.run && e.runId !== q.run) return;
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(e));
      });
      socket.on('close', off);
      socket.send(JSON.stringify({ type: 'hello', tenants: [...scope] }));
    });
  };
}
