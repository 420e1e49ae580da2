// The tenant's default domain (the one its users' addresses end in, contoso.com), read once per
// connection from /organization. A configured tenant is known by its *.onmicrosoft.com name, but a
// fix that says "john.doe@contoso.onmicrosoft.com" sends a technician to an address nobody uses.
import type { ActionContext } from '../action.ts';
import type { GraphPort } from '../ports.ts';

const cache = new WeakMap<GraphPort, Promise<string>>();

interface Org {
  verifiedDomains?: Array<{ name: string; isDefault?: boolean }>;
}

/** The default verified domain, or the configured domain when it cannot be read (no permission). */
export function defaultDomain(ctx: Pick<ActionContext, 'graph' | 'tenant'>): Promise<string> {
  let hit = cache.get(ctx.graph);
  if (!hit) {
    hit = ctx.graph.get<{ value: Org[] }>('/organization', { query: { $select: 'verifiedDomains' } }).then(
      (r) => r.value[0]?.verifiedDomains?.find((d) => d.isDefault)?.name ?? ctx.tenant.domain,
      () => ctx.tenant.domain,
    );
    cache.set(ctx.graph, hit);
  }
  return hit;
}
