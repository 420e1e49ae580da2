// /contacts: mail contacts (orgContact). Read-only in Graph, as in Microsoft 365, where Exchange
// or directory sync owns them; they can be members of security groups and distribution lists.
import { groupsHolding, transitiveGroups } from '../state/derived.ts';
import type { EmuGroup, EmuOrgContact } from '../state/model.ts';
import { applySelect, collectionResponse, parseSelect } from './collection.ts';
import { contextUrl } from './directory-object.ts';
import { graphErrors } from './errors.ts';
import { perms, type GraphContext, type GraphRoute } from './route.ts';
import { contactJson } from './serialize-contact.ts';
import { groupJson } from './serialize-group.ts';

function requireContact(ctx: GraphContext): EmuOrgContact {
  const id = ctx.params.id ?? '';
  const c = ctx.tenant.contact(id);
  if (!c) throw graphErrors.notFound(id);
  return c;
}

function getContact(ctx: GraphContext) {
  const c = requireContact(ctx);
  const select = parseSelect(ctx.query.$select);
  const context = contextUrl(ctx, select ? `contacts(${select.join(',')})/$entity` : 'contacts/$entity');
  return { status: 200, body: { '@odata.context': context, ...applySelect(contactJson(c), select) } };
}

function groupsOf(transitive: boolean) {
  return (ctx: GraphContext) => {
    const c = requireContact(ctx);
    const direct = groupsHolding(ctx.tenant, c.id);
    const groups = transitive ? transitiveGroups(ctx.tenant, direct) : direct;
    return collectionResponse(ctx, groups, {
      context: 'directoryObjects',
      serialize: (g) => ({ '@odata.type': '#microsoft.graph.group', ...groupJson(g, { full: !!ctx.query.$select }) }),
      query: { entity: 'group', toFilterable: (g: EmuGroup) => groupJson(g, { full: true }) },
    });
  };
}

export const routes: GraphRoute[] = [
  {
    method: 'GET', path: '/contacts', permissions: perms.contactRead,
    handler: (ctx) => collectionResponse(ctx, ctx.tenant.contacts, {
      context: 'contacts',
      serialize: contactJson,
      query: { entity: 'orgContact', toFilterable: contactJson },
    }),
  },
  { method: 'GET', path: '/contacts/:id', permissions: perms.contactRead, handler: getContact },
  { method: 'GET', path: '/contacts/:id/memberOf', permissions: perms.contactRead, cost: 2, handler: groupsOf(false) },
  { method: 'GET', path: '/contacts/:id/transitiveMemberOf', permissions: perms.contactRead, cost: 2, handler: groupsOf(true) },
];
