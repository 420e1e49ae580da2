// Creates a security group or a Microsoft 365 group, with owners and members bound in the same
// request. Graph allows two groups with one display name; MSPs do not want that, so a taken name
// is a conflict. A re-run after a crash recognises the group its first attempt created (same
// name and alias, created after the call was first sent) instead of making a second one.
import { z } from 'zod';
import { AppError, isAppError, toAppError } from '../../../core/errors.ts';
import { defineAction, type ActionContext, type Change } from '../action.ts';
import { resolveUser, type ResolvedUser } from '../resolve/user.ts';
import { missingPermissions } from '../support/permissions.ts';
import { requestId } from '../support/request-ids.ts';
import { userParam } from '../support/schemas.ts';
import { groupRead, userRead } from '../licenses/step-support.ts';
import { validateWith } from '../support/validation.ts';
import { memberWrite } from './membership.ts';

/** Entra's mailNickname: 1–64 printable ASCII characters, none of @ ( ) \ [ ] " ; : < > , or space. */
const nicknameRe = /^[\x21-\x7e]{1,64}$/;
const nicknameBad = /[@()\\[\]";:<>,]/;

const params = z.strictObject({
  name: z.string().trim().min(1, 'A group name is required.').max(256).describe('The new group\'s display name.'),
  kind: z.enum(['security', 'microsoft365']).default('security')
    .describe('security (access and licensing; no mailbox) or microsoft365 (shared mailbox, calendar, files and Teams).'),
  description: z.string().trim().min(1).max(1024).optional().describe('What the group is for.'),
  mailNickname: z.string().trim().refine((s) => nicknameRe.test(s) && !nicknameBad.test(s), 'Invalid mail nickname: use 1–64 letters, digits, dots, hyphens or underscores.').optional()
    .describe('The alias (the part before @ of a Microsoft 365 group\'s address). Derived from the name when omitted.'),
  owners: z.array(userParam).max(20).optional().describe('Owners: user principal names or email addresses.'),
  members: z.array(userParam).max(1000).optional().describe('Members: user principal names or email addresses.'),
});
type Params = z.infer<typeof params>;

const groupCreate = ['Group.Create', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];
const permissions = { graph: [groupCreate, groupRead, userRead], exchange: false };

/** Graph binds at most 20 owners and members in one request; the rest are added afterwards. */
const REFS_PER_REQUEST = 20;
/** Allowance for clock skew between Tenantflow and Microsoft when matching our own earlier create. */
const SKEW_MS = 120_000;

type ExistingGroup = { id: string; displayName: string; mailNickname: string; mail: string | null; createdDateTime: string; groupTypes: string[] };
type FirstSend = { sentAt: number; mailNickname: string };

interface CreatePlan {
  name: string;
  kind: Params['kind'];
  mailNickname: string;
  owners: ResolvedUser[];
  members: ResolvedUser[];
  /** The group this step already created (a re-run), if any. */
  ours: ExistingGroup | undefined;
  problems: AppError[];
  warnings: string[];
}

function odataString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A mailNickname from the display name: ASCII letters, digits, dots, hyphens and underscores. */
export function nicknameFrom(name: string): string {
  const base = name.normalize('NFKD').replace(/[^A-Za-z0-9._-]/g, '').replace(/^\.+|\.+$/g, '').slice(0, 56);
  return base || 'group';
}

async function groupsWhere(ctx: ActionContext, filter: string): Promise<ExistingGroup[]> {
  const res = await ctx.graph.get<{ value: ExistingGroup[] }>('/groups', { query: { $filter: filter, $select: 'id,displayName,mailNickname,mail,createdDateTime,groupTypes' } });
  return res.value;
}

/** The group an earlier attempt of this step created, recognised by name, alias and time. */
function ourEarlierGroup(ctx: ActionContext, named: readonly ExistingGroup[]): ExistingGroup | undefined {
  const id = ctx.scratch.get<string>('groupId');
  if (id) return named.find((g) => g.id === id);
  const sent = ctx.scratch.get<FirstSend>('firstSend');
  if (!sent) return undefined;
  return named.find((g) => g.mailNickname.toLowerCase() === sent.mailNickname.toLowerCase() && Date.parse(g.createdDateTime) >= sent.sentAt - SKEW_MS);
}

/** Whether a Microsoft 365 group could take this alias (its address must be unique). */
async function aliasTaken(ctx: ActionContext, nickname: string): Promise<boolean> {
  const f = `mailNickname eq ${odataString(nickname)}`;
  const groups = await groupsWhere(ctx, f);
  if (groups.some((g) => g.mail)) return true;
  const users = await ctx.graph.get<{ value: unknown[] }>('/users', { query: { $filter: f, $select: 'id' } });
  return users.value.length > 0;
}

async function resolveUsers(ctx: ActionContext, list: readonly string[] | undefined, param: string, problems: AppError[]): Promise<ResolvedUser[]> {
  const out = new Map<string, ResolvedUser>();
  for (const who of list ?? []) {
    try {
      const u = await resolveUser(ctx, who, param);
      out.set(u.id, u);
    } catch (e) {
      if (!isAppError(e) || e.errorClass !== 'user') throw e;
      problems.push(toAppError(e));
    }
  }
  return [...out.values()];
}

async function planCreate(ctx: ActionContext, p: Params): Promise<CreatePlan> {
  const problems: AppError[] = [];
  const warnings: string[] = [];
  const named = await groupsWhere(ctx, `displayName eq ${odataString(p.name)}`);
  const ours = ourEarlierGroup(ctx, named);
  const owners = await resolveUsers(ctx, p.owners, 'owners', problems);
  const members = await resolveUsers(ctx, p.members, 'members', problems);
  const sent = ctx.scratch.get<FirstSend>('firstSend');
  let mailNickname = ours?.mailNickname ?? sent?.mailNickname ?? p.mailNickname ?? nicknameFrom(p.name);
  if (!ours && named.length) {
    problems.push(new AppError({
      code: 'conflict',
      message: `${ctx.tenant.domain} already has a group called '${p.name}'${named.length > 1 ? ` (${named.length} of them)` : ''}.`,
      fix: 'Choose another name, or use the existing group (add-to-group).',
      param: 'name',
      value: p.name,
      details: { existing: named.map((g) => ({ id: g.id, displayName: g.displayName, mail: g.mail })) },
    }));
  }
  if (!ours && !sent && p.kind === 'microsoft365' && (await aliasTaken(ctx, mailNickname))) {
    if (p.mailNickname) {
      problems.push(new AppError({
        code: 'conflict',
        message: `The alias '${mailNickname}' is already used by another mailbox or group in ${ctx.tenant.domain}.`,
        fix: 'Choose another mailNickname.',
        param: 'mailNickname',
        value: mailNickname,
      }));
    } else {
      // A derived alias is ours to choose: take the first free numbered one.
      const base = mailNickname;
      for (let n = 2; n < 100 && (await aliasTaken(ctx, mailNickname)); n++) mailNickname = `${base}${n}`;
    }
  }
  if (p.kind === 'microsoft365' && owners.length === 0) {
    warnings.push('A Microsoft 365 group created by an app has no owner unless one is given; add an owner so someone can manage it.');
  }
  return { name: p.name, kind: p.kind, mailNickname, owners, members, ours, problems, warnings };
}

const ref = (u: ResolvedUser) => `https://graph.microsoft.com/v1.0/directoryObjects/${u.id}`;

/** The create body: owners first, then as many members as fit in one request. */
function createBody(plan: CreatePlan, description: string | undefined): Record<string, unknown> {
  const unified = plan.kind === 'microsoft365';
  const room = Math.max(0, REFS_PER_REQUEST - plan.owners.length);
  return {
    displayName: plan.name,
    ...(description ? { description } : {}),
    ...(unified ? { groupTypes: ['Unified'] } : {}),
    mailEnabled: unified,
    mailNickname: plan.mailNickname,
    securityEnabled: !unified,
    ...(plan.owners.length ? { 'owners@odata.bind': plan.owners.map(ref) } : {}),
    ...(plan.members.length ? { 'members@odata.bind': plan.members.slice(0, room).map(ref) } : {}),
  };
}

function laterMembers(plan: CreatePlan): ResolvedUser[] {
  return plan.members.slice(Math.max(0, REFS_PER_REQUEST - plan.owners.length));
}

function changesOf(plan: CreatePlan): Change[] {
  const upns = (l: ResolvedUser[]) => l.map((u) => u.userPrincipalName).sort();
  const exists = !!plan.ours;
  return [
    { object: plan.name, field: 'kind', before: exists ? plan.kind : null, after: plan.kind },
    { object: plan.name, field: 'mailNickname', before: exists ? plan.mailNickname : null, after: plan.mailNickname },
    { object: plan.name, field: 'owners', before: exists ? upns(plan.owners) : [], after: upns(plan.owners) },
    { object: plan.name, field: 'members', before: exists ? upns(plan.members) : [], after: upns(plan.members) },
  ];
}

/** Adds the members that did not fit in the create request, skipping any already in. */
async function addLaterMembers(ctx: ActionContext, groupId: string, plan: CreatePlan): Promise<void> {
  const later = laterMembers(plan);
  if (!later.length) return;
  const current = await ctx.graph.list<{ id: string }>(`/groups/${groupId}/members`, { query: { $select: 'id', $top: '999' }, retryNotFound: true });
  const have = new Set(current.map((m) => m.id.toLowerCase()));
  const missing = later.filter((u) => !have.has(u.id.toLowerCase()));
  for (let i = 0; i < missing.length; i += REFS_PER_REQUEST) {
    const chunk = missing.slice(i, i + REFS_PER_REQUEST);
    await ctx.graph.patch(`/groups/${groupId}`, { 'members@odata.bind': chunk.map(ref) }, {
      clientRequestId: requestId(ctx.idempotencyKey, `members-${chunk[0]!.id}`),
      retryNotFound: true,
    });
  }
}

export const createGroup = defineAction({
  id: 'create-group',
  title: 'Create group',
  description: 'Creates a security group or a Microsoft 365 group with owners and members; a name already in use is refused.',
  category: 'groups',
  params,
  secrets: [],
  permissions,
  validate: (ctx, p) => validateWith(ctx, permissions, async (c) => {
    const plan = await c.attempt(() => planCreate(ctx, p));
    if (!plan) return;
    c.errors.push(...plan.problems);
    c.warnings.push(...plan.warnings);
    if (laterMembers(plan).length) c.errors.push(...(await missingPermissions(ctx, { graph: [memberWrite], exchange: false })));
  }),
  async preview(ctx, p) {
    const plan = await planCreate(ctx, p);
    if (plan.problems[0]) throw plan.problems[0];
    const calls = plan.ours ? [] : [{
      surface: 'graph' as const, method: 'POST', target: '/groups', body: createBody(plan, p.description),
      description: `Create the ${plan.kind === 'microsoft365' ? 'Microsoft 365' : 'security'} group '${plan.name}'`,
    }];
    const later = laterMembers(plan);
    if (!plan.ours && later.length) {
      calls.push({ surface: 'graph', method: 'PATCH', target: '/groups/{new group id}', body: { 'members@odata.bind': later.map(ref) }, description: `Add the other ${later.length} members (${REFS_PER_REQUEST} references fit in one request)` });
    }
    return { calls, changes: changesOf(plan), skipped: [], alreadyDone: !!plan.ours, warnings: plan.warnings };
  },
  async execute(ctx, p) {
    const plan = await planCreate(ctx, p);
    if (plan.problems[0]) throw plan.problems[0];
    let group = plan.ours;
    const alreadyDone = !!group;
    if (!group) {
      if (!ctx.scratch.get<FirstSend>('firstSend')) await ctx.scratch.set('firstSend', { sentAt: ctx.clock.now(), mailNickname: plan.mailNickname } satisfies FirstSend);
      group = await ctx.graph.post<ExistingGroup>('/groups', createBody(plan, p.description), { clientRequestId: requestId(ctx.idempotencyKey, 'create') });
      await ctx.scratch.set('groupId', group.id);
    }
    await addLaterMembers(ctx, group.id, plan);
    return {
      outputs: {
        groupId: group.id,
        displayName: group.displayName,
        mailNickname: group.mailNickname,
        mail: group.mail ?? null,
        kind: plan.kind,
        owners: plan.owners.map((u) => u.userPrincipalName),
        members: plan.members.map((u) => u.userPrincipalName),
      },
      before: { existed: false },
      alreadyDone,
      skipped: [],
      summary: alreadyDone
        ? `The group '${plan.name}' had already been created by an earlier attempt.`
        : `Created the ${plan.kind === 'microsoft365' ? 'Microsoft 365' : 'security'} group '${plan.name}' with ${plan.owners.length} owner${plan.owners.length === 1 ? '' : 's'} and ${plan.members.length} member${plan.members.length === 1 ? '' : 's'}.`,
    };
  },
  undo: { reversible: false, reason: 'Delete the group in the admin centre if it is not wanted; deleting groups is not in the catalog.' },
});
