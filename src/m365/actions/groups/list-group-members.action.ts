// Lists a group's direct members as Graph reports them, which for a dynamic group is the
// membership its rule computes. Read-only.
import { z } from 'zod';
import { defineAction, type ActionContext } from '../action.ts';
import { groupKind, groupLabel, resolveGroup } from '../resolve/group.ts';
import { groupParam } from '../support/schemas.ts';
import { groupRead, userRead } from '../licenses/step-support.ts';
import { validateWith } from '../support/validation.ts';

const params = z.strictObject({ group: groupParam });
type Params = z.infer<typeof params>;

const permissions = { graph: [groupRead, userRead], exchange: false };

type Member = { '@odata.type'?: string; id: string; userPrincipalName?: string | null; displayName?: string | null; mail?: string | null };

function typeOf(m: Member): string {
  return (m['@odata.type'] ?? '#microsoft.graph.directoryObject').replace('#microsoft.graph.', '');
}

async function listMembers(ctx: ActionContext, p: Params) {
  const g = await resolveGroup(ctx, p.group);
  const raw = await ctx.graph.list<Member>(`/groups/${g.id}/members`, { query: { $select: 'id,userPrincipalName,displayName,mail', $top: '999' } });
  const members = raw
    .map((m) => ({ id: m.id, type: typeOf(m), userPrincipalName: m.userPrincipalName ?? null, displayName: m.displayName ?? null, mail: m.mail ?? null }))
    .sort((a, b) => (a.displayName ?? a.id).localeCompare(b.displayName ?? b.id));
  return { g, members };
}

export const listGroupMembers = defineAction({
  id: 'list-group-members',
  title: 'List group members',
  description: 'Lists a group\'s members (for a dynamic group, the members its rule currently computes) and their count.',
  category: 'groups',
  params,
  secrets: [],
  permissions,
  validate: (ctx, p) => validateWith(ctx, permissions, async (c) => {
    await c.attempt(() => resolveGroup(ctx, p.group));
  }),
  async preview(ctx, p) {
    const g = await resolveGroup(ctx, p.group);
    return {
      calls: [{ surface: 'graph', method: 'GET', target: `/groups/${g.id}/members`, description: `Read the members of ${groupLabel(g)}` }],
      changes: [],
      skipped: [],
      alreadyDone: false,
      warnings: [],
    };
  },
  async execute(ctx, p) {
    const { g, members } = await listMembers(ctx, p);
    const dynamic = g.groupTypes.includes('DynamicMembership');
    return {
      outputs: {
        groupId: g.id,
        displayName: g.displayName,
        kind: groupKind(g),
        dynamic,
        membershipRule: g.membershipRule,
        members,
        count: members.length,
      },
      before: {},
      alreadyDone: false,
      skipped: [],
      summary: `${groupLabel(g)} has ${members.length} member${members.length === 1 ? '' : 's'}${dynamic ? ' (computed by its dynamic rule)' : ''}.`,
    };
  },
  readOnly: true,
  undo: { reversible: false, reason: 'Read-only.' },
});
