// Lists a group's direct members as Graph reports them, which for a dynamic group is the
// membership its rule computes. Members are users, nested groups and mail contacts (orgContact),
// each labelled as what it is; a nested group's own members are not expanded. Read-only.
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

/** `user`, `group`, `orgContact` (a mail contact), or another directory type (`device`, `servicePrincipal` …). */
function typeOf(m: Member): string {
  return (m['@odata.type'] ?? '#microsoft.graph.directoryObject').replace('#microsoft.graph.', '');
}

async function listMembers(ctx: ActionContext, p: Params) {
  const g = await resolveGroup(ctx, p.group);
  const raw = await ctx.graph.list<Member>(`/groups/${g.id}/members`, { query: { $select: 'id,userPrincipalName,displayName,mail', $top: '999' } });
  const members = raw
    .map((m) => {
      const type = typeOf(m);
      // Only users have a user principal name; Graph answers null for it on groups and contacts.
      return { id: m.id, type, userPrincipalName: type === 'user' ? m.userPrincipalName ?? null : null, displayName: m.displayName ?? null, mail: m.mail ?? null };
    })
    .sort((a, b) => (a.displayName ?? a.id).localeCompare(b.displayName ?? b.id));
  return { g, members };
}

type Listed = Awaited<ReturnType<typeof listMembers>>['members'];

/** How many members of each kind: users, nested groups, mail contacts, anything else. */
function countsOf(members: Listed) {
  const n = (t: string) => members.filter((m) => m.type === t).length;
  const users = n('user'), groups = n('group'), contacts = n('orgContact');
  return { users, groups, contacts, other: members.length - users - groups - contacts };
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "3 users, 1 nested group and 2 mail contacts" (only the kinds present beyond users). */
function breakdown(c: ReturnType<typeof countsOf>): string {
  const parts = [plural(c.users, 'user', 'users')];
  if (c.groups) parts.push(plural(c.groups, 'nested group', 'nested groups'));
  if (c.contacts) parts.push(plural(c.contacts, 'mail contact', 'mail contacts'));
  if (c.other) parts.push(plural(c.other, 'other object', 'other objects'));
  return parts.length === 1 ? '' : ` (${parts.slice(0, -1).join(', ')} and ${parts.at(-1)})`;
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
    const counts = countsOf(members);
    return {
      outputs: {
        groupId: g.id,
        displayName: g.displayName,
        kind: groupKind(g),
        dynamic,
        membershipRule: g.membershipRule,
        members,
        count: members.length,
        counts,
      },
      before: {},
      alreadyDone: false,
      skipped: [],
      summary: `${groupLabel(g)} has ${members.length} member${members.length === 1 ? '' : 's'}${breakdown(counts)}${dynamic ? ' (computed by its dynamic rule)' : ''}.`
        + (counts.groups ? ' Members of nested groups are members too, through their group; they are not listed here.' : ''),
    };
  },
  readOnly: true,
  undo: { reversible: false, reason: 'Read-only.' },
});
