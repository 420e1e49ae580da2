// Memberships a user holds through nested groups. Removing a user from a group removes only the
// direct membership; a group the user is in through another group stays until they leave that
// one. This works out, for each group the user is in only through nesting, which of their direct
// groups carry them there, so a card can say so instead of claiming the user left.
import type { ActionContext } from '../action.ts';
import { GROUP_SELECT, type ResolvedGroup } from '../resolve/group.ts';

export interface NestedMembership {
  group: ResolvedGroup;
  /** The user's direct groups through which they are in `group`. */
  via: ResolvedGroup[];
}

/**
 * The groups the user is in only through nesting, each with the direct groups that lead there.
 * One read of transitiveMemberOf; when it names groups beyond the direct ones, one read of each
 * such group's member groups to find the paths.
 */
export async function nestedMemberships(ctx: ActionContext, userId: string, direct: readonly ResolvedGroup[]): Promise<NestedMembership[]> {
  const transitive = await ctx.graph.list<ResolvedGroup>(`/users/${userId}/transitiveMemberOf/microsoft.graph.group`, { query: { $select: GROUP_SELECT, $top: '999' } });
  const directIds = new Set(direct.map((g) => g.id.toLowerCase()));
  const nested = transitive.filter((g) => !directIds.has(g.id.toLowerCase()));
  if (!nested.length) return [];
  const mine = new Map<string, ResolvedGroup>();
  for (const g of [...direct, ...transitive]) mine.set(g.id.toLowerCase(), g);
  // For each nested group, its member groups that are among the user's groups.
  const children = new Map<string, string[]>();
  for (const g of nested) {
    const members = await ctx.graph.list<{ id: string }>(`/groups/${g.id}/members/microsoft.graph.group`, { query: { $select: 'id', $top: '999' } });
    children.set(g.id.toLowerCase(), members.map((m) => m.id.toLowerCase()).filter((id) => mine.has(id)));
  }
  const viaOf = (id: string, seen: Set<string>): Set<string> => {
    const out = new Set<string>();
    if (seen.has(id)) return out;
    seen.add(id);
    for (const child of children.get(id) ?? []) {
      if (directIds.has(child)) out.add(child);
      else for (const v of viaOf(child, seen)) out.add(v);
    }
    return out;
  };
  return nested
    .map((g) => ({ group: g, via: [...viaOf(g.id.toLowerCase(), new Set())].map((id) => mine.get(id)!) }))
    .filter((n) => n.via.length > 0)
    .sort((a, b) => a.group.displayName.localeCompare(b.group.displayName));
}

export function names(groups: readonly ResolvedGroup[]): string {
  return groups.map((g) => `'${g.displayName}'`).join(' and ');
}
