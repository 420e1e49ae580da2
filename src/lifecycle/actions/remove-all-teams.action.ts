// "Remove user from all Teams": the teams are the user's groups provisioned as a team, read when the
// step runs (not when the workflow was scheduled), then left with remove-from-group.
import { z } from 'zod';
import { defineAction, type ActionContext } from '../../m365/actions/action.ts';
import { resolveUser } from '../../m365/actions/resolve/user.ts';
import { userParam } from '../../m365/actions/support/schemas.ts';
import { catalogAction, LCW_ACTIONS, runInner } from './support.ts';

const REMOVE = 'remove-from-group';

async function teamsOf(ctx: ActionContext, user: string): Promise<Array<{ id: string; displayName: string }>> {
  const u = await resolveUser(ctx, user);
  const groups = await ctx.graph.list<{ id: string; displayName: string; resourceProvisioningOptions?: string[] }>(`/users/${u.id}/memberOf/microsoft.graph.group`, {
    query: { $select: 'id,displayName,resourceProvisioningOptions' },
  });
  return groups.filter((g) => g.resourceProvisioningOptions?.includes('Team')).map((g) => ({ id: g.id, displayName: g.displayName }));
}

export const removeAllTeamsAction = defineAction({
  id: LCW_ACTIONS.removeAllTeams,
  title: 'Remove user from all Teams',
  description: 'Removes the user from every team they are a member of.',
  category: 'groups',
  params: z.strictObject({ user: userParam }),
  secrets: [],
  permissions: catalogAction(REMOVE).permissions,
  async validate(ctx, p) {
    const teams = await teamsOf(ctx, p.user);
    if (!teams.length) return { errors: [], missing: [], warnings: [] };
    return catalogAction(REMOVE).validate(ctx, { user: p.user, group: teams.map((t) => t.id) });
  },
  async preview(ctx, p) {
    const teams = await teamsOf(ctx, p.user);
    if (!teams.length) return { calls: [], changes: [], skipped: [], alreadyDone: true, warnings: [] };
    return catalogAction(REMOVE).preview(ctx, { user: p.user, group: teams.map((t) => t.id) });
  },
  async execute(ctx, p) {
    const teams = await teamsOf(ctx, p.user);
    if (!teams.length) {
      return { outputs: { removed: [] }, before: {}, alreadyDone: true, skipped: [], summary: `${p.user} is not a member of any team.` };
    }
    const r = await runInner(ctx, REMOVE, { user: p.user, group: teams.map((t) => t.id) });
    return { ...r, summary: `Removed ${p.user} from ${teams.length} team(s): ${teams.map((t) => t.displayName).join(', ')}.` };
  },
  undo: { reversible: false, reason: 'Add the user to the teams again with add-to-group.' },
});
