// /teams/{id}/members: a team is a Microsoft 365 group provisioned with 'Team'; its roster is the
// group's members plus owners, each with a conversationMember id that is not the user id.
import type { EmuGroup, EmuUser } from '../state/model.ts';
import { bodyObject, contextUrl, idFromReference } from './directory-object.ts';
import { GraphError } from './errors.ts';
import { perms, type EmuResponse, type GraphContext, type GraphRoute } from './route.ts';

const teamErrors = {
  teamNotFound: (id: string) => new GraphError(404, 'NotFound', `No team found with Group Id ${id}`),
  memberNotFound: (id: string) => new GraphError(404, 'NotFound', `Could not find member with id ${id} in the team.`),
  userNotFound: (id: string) => new GraphError(404, 'NotFound', `User ${id} could not be found in the tenant.`),
  badRequest: (message: string) => new GraphError(400, 'BadRequest', message),
  lastOwner: () => new GraphError(400, 'BadRequest', 'The last owner of a team cannot be removed. Add another owner first.'),
};

const MEMBER_TYPE = '#microsoft.graph.aadUserConversationMember';

function requireTeam(ctx: GraphContext): EmuGroup {
  const id = ctx.params.id ?? '';
  const g = ctx.tenant.group(id);
  if (!g || !g.resourceProvisioningOptions.includes('Team') || ctx.tenant.isInvisible(g.id, ctx.now)) throw teamErrors.teamNotFound(id);
  return g;
}

/** The conversationMember id Teams gives a user in a team; stable, and not the user id. */
function membershipId(team: EmuGroup, userId: string): string {
  const stored = team.teamMembershipIds?.[userId];
  if (stored) return stored;
  // Teams' ids are base64 of "0#…#…"; kept under 100 characters, the router's parameter limit.
  return Buffer.from(`0#${team.id.replace(/-/g, '')}#${userId.replace(/-/g, '')}`).toString('base64');
}

function isOwner(team: EmuGroup, userId: string): boolean {
  return team.ownerIds.includes(userId) || (team.teamOwnerIds ?? []).includes(userId);
}

function roster(ctx: GraphContext, team: EmuGroup): EmuUser[] {
  const ids = [...new Set([...team.memberIds, ...team.ownerIds, ...(team.teamOwnerIds ?? [])])];
  return ids.map((id) => ctx.tenant.user(id)).filter((u): u is EmuUser => !!u);
}

function memberJson(ctx: GraphContext, team: EmuGroup, u: EmuUser): Record<string, unknown> {
  const roles = isOwner(team, u.id) ? ['owner'] : u.userType === 'Guest' ? ['guest'] : [];
  return {
    '@odata.type': MEMBER_TYPE,
    id: membershipId(team, u.id),
    roles,
    displayName: u.displayName,
    visibleHistoryStartDateTime: '0001-01-01T00:00:00Z',
    userId: u.id,
    email: u.mail,
    tenantId: ctx.tenant.id,
  };
}

/** Reads one aadUserConversationMember from a request: `user@odata.bind` (or userId) and roles. */
function parseMember(ctx: GraphContext, raw: unknown): { user: EmuUser; owner: boolean } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw teamErrors.badRequest('The member must be a JSON object.');
  const m = raw as Record<string, unknown>;
  const type = m['@odata.type'];
  if (typeof type === 'string' && type.replace(/^#/, '') !== MEMBER_TYPE.slice(1)) throw teamErrors.badRequest(`Member type '${type}' is not supported; use ${MEMBER_TYPE}.`);
  const ref = m['user@odata.bind'] ?? m.userId;
  const id = idFromReference(ref);
  if (!id) throw teamErrors.badRequest('The member must carry user@odata.bind.');
  const user = ctx.tenant.user(id);
  if (!user) throw teamErrors.userNotFound(id);
  const roles = m.roles ?? [];
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string')) throw teamErrors.badRequest("Invalid value for property 'roles'.");
  const owner = (roles as string[]).some((r) => r.toLowerCase() === 'owner');
  return { user, owner };
}

function addToTeam(team: EmuGroup, user: EmuUser, owner: boolean): void {
  if (!team.memberIds.includes(user.id)) team.memberIds.push(user.id);
  if (owner && !team.ownerIds.includes(user.id)) team.ownerIds.push(user.id);
}

function removeFromTeam(team: EmuGroup, userId: string): void {
  if (isOwner(team, userId) && new Set([...team.ownerIds, ...(team.teamOwnerIds ?? [])]).size === 1) throw teamErrors.lastOwner();
  team.memberIds = team.memberIds.filter((x) => x !== userId);
  team.ownerIds = team.ownerIds.filter((x) => x !== userId);
  if (team.teamOwnerIds) team.teamOwnerIds = team.teamOwnerIds.filter((x) => x !== userId);
  if (team.teamMembershipIds) delete team.teamMembershipIds[userId];
}

function listMembers(ctx: GraphContext): EmuResponse {
  const team = requireTeam(ctx);
  const value = roster(ctx, team).map((u) => memberJson(ctx, team, u));
  return { status: 200, body: { '@odata.context': contextUrl(ctx, `teams('${team.id}')/members`), '@odata.count': value.length, value } };
}

function getMember(ctx: GraphContext): EmuResponse {
  const team = requireTeam(ctx);
  const u = roster(ctx, team).find((x) => membershipId(team, x.id) === ctx.params.membershipId);
  if (!u) throw teamErrors.memberNotFound(ctx.params.membershipId ?? '');
  return { status: 200, body: { '@odata.context': contextUrl(ctx, `teams('${team.id}')/members/$entity`), ...memberJson(ctx, team, u) } };
}

function addMember(ctx: GraphContext): EmuResponse {
  const team = requireTeam(ctx);
  const { user, owner } = parseMember(ctx, bodyObject(ctx));
  addToTeam(team, user, owner);
  ctx.tenant.touch();
  return { status: 201, body: { '@odata.context': contextUrl(ctx, `teams('${team.id}')/members/$entity`), ...memberJson(ctx, team, user) } };
}

function deleteMember(ctx: GraphContext): EmuResponse {
  const team = requireTeam(ctx);
  const u = roster(ctx, team).find((x) => membershipId(team, x.id) === ctx.params.membershipId);
  if (!u) throw teamErrors.memberNotFound(ctx.params.membershipId ?? '');
  removeFromTeam(team, u.id);
  ctx.tenant.touch();
  return { status: 204 };
}

function errorPart(e: unknown): Record<string, unknown> {
  const ge = e instanceof GraphError ? e : new GraphError(500, 'InternalServerError', 'An unexpected error occurred.');
  return { code: ge.code, message: ge.message };
}

/** members/add and members/remove: per-item results; 207 when some items failed. */
function bulk(action: 'add' | 'remove') {
  return (ctx: GraphContext): EmuResponse => {
    const team = requireTeam(ctx);
    const values = bodyObject(ctx).values;
    if (!Array.isArray(values) || values.length === 0) throw teamErrors.badRequest("The request must carry a non-empty 'values' array.");
    if (values.length > 200) throw teamErrors.badRequest('A single request can add or remove at most 200 members.');
    let failed = 0;
    const value = values.map((raw) => {
      const userRef = raw && typeof raw === 'object' ? ((raw as Record<string, unknown>)['user@odata.bind'] ?? (raw as Record<string, unknown>).userId) : undefined;
      const result: Record<string, unknown> = { '@odata.type': '#microsoft.graph.aadUserConversationMemberResult', userId: idFromReference(userRef) ?? null, error: null };
      try {
        const { user, owner } = parseMember(ctx, raw);
        result.userId = user.id;
        if (action === 'add') addToTeam(team, user, owner);
        else {
          if (!roster(ctx, team).some((u) => u.id === user.id)) throw teamErrors.memberNotFound(user.id);
          removeFromTeam(team, user.id);
        }
      } catch (e) {
        failed++;
        result.error = errorPart(e);
      }
      return result;
    });
    if (failed < values.length) ctx.tenant.touch();
    return { status: failed ? 207 : 200, body: { '@odata.context': contextUrl(ctx, 'Collection(microsoft.graph.actionResultPart)'), value } };
  };
}

export const routes: GraphRoute[] = [
  { method: 'GET', path: '/teams/:id/members', permissions: perms.teamMemberRead, handler: listMembers },
  { method: 'POST', path: '/teams/:id/members', permissions: perms.teamMemberWrite, handler: addMember },
  { method: 'POST', path: '/teams/:id/members/add', permissions: perms.teamMemberWrite, handler: bulk('add') },
  { method: 'POST', path: '/teams/:id/members/remove', permissions: perms.teamMemberWrite, handler: bulk('remove') },
  { method: 'GET', path: '/teams/:id/members/:membershipId', permissions: perms.teamMemberRead, handler: getMember },
  { method: 'DELETE', path: '/teams/:id/members/:membershipId', permissions: perms.teamMemberWrite, handler: deleteMember },
];
