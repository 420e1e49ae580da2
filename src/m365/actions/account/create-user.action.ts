// Creates a cloud user with a generated temporary password they must change at first sign-in.
// The sign-in domain must be one the tenant owns, the address must be free, and a re-run after a
// crash recognises the user this step created (same name, created after the step's send time)
// rather than failing on its own duplicate.
import { z } from 'zod';
import { AppError, isAppError } from '../../../core/errors.ts';
import { MASK } from '../../../core/secrets.ts';
import { defineAction, type ActionContext, type Change, type PlannedCall } from '../action.ts';
import { findUser, resolveUser } from '../resolve/user.ts';
import { requestId } from '../support/request-ids.ts';
import { userParam, usageLocationParam } from '../support/schemas.ts';
import { isNotFound, withSecret } from './account-checks.ts';
import { validateWith } from '../support/validation.ts';
import { checkUpnDomain, getManager, setManager } from './directory-lookups.ts';
import { generatePassword, nameParts } from './password.ts';
import { happenedSince, markSent, remembered } from '../support/step-memory.ts';

// Characters Entra allows before the @ of a UPN; dots only between other characters.
const upnLocal = /^[A-Za-z0-9'_!#^~-]+(\.[A-Za-z0-9'_!#^~-]+)*@/;

const params = z.strictObject({
  user: userParam
    .refine((v) => upnLocal.test(v) && (v.split('@')[0] ?? '').length <= 64, 'The part before @ may use letters, digits and \' . - _ ! # ^ ~ (at most 64, no leading, trailing or double dots).')
    .describe('The new user\'s user principal name (their sign-in address), e.g. jane.doe@contoso.com.'),
  displayName: z.string().trim().min(1).max(256).describe('The name shown in the address book, e.g. "Jane Doe".'),
  givenName: z.string().trim().min(1).max(64).optional().describe('First name.'),
  surname: z.string().trim().min(1).max(64).optional().describe('Last name.'),
  department: z.string().trim().min(1).max(64).optional().describe('Department, e.g. Sales.'),
  jobTitle: z.string().trim().min(1).max(128).optional().describe('Job title, e.g. Account Executive.'),
  usageLocation: usageLocationParam.optional().describe('Two-letter country code where the user works (needed for licences); defaults to the tenant\'s default.'),
  manager: userParam.optional().describe('The manager\'s user principal name or email address.'),
});
type Params = z.infer<typeof params>;

const permissions = {
  graph: [['User.ReadWrite.All', 'User.Create', 'Directory.ReadWrite.All'], ['Organization.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All']],
  exchange: false,
};

interface CreatedUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  createdDateTime: string | null;
}

const CREATED_SELECT = 'id,userPrincipalName,displayName,createdDateTime';

function newUserBody(ctx: ActionContext, p: Params, password: string): Record<string, unknown> {
  const usageLocation = p.usageLocation ?? ctx.tenant.defaults.usageLocation;
  const body: Record<string, unknown> = {
    accountEnabled: true,
    displayName: p.displayName,
    mailNickname: mailNicknameOf(p.user),
    userPrincipalName: p.user,
    passwordProfile: { password, forceChangePasswordNextSignIn: true },
  };
  for (const k of ['givenName', 'surname', 'department', 'jobTitle'] as const) if (p[k] !== undefined) body[k] = p[k];
  if (usageLocation) body.usageLocation = usageLocation.toUpperCase();
  return body;
}

/** The object holding the address, with its creation time, or undefined when the address is free. */
async function holderOf(ctx: ActionContext, upn: string, retryNotFound = false): Promise<CreatedUser | undefined> {
  const knownId = ctx.scratch.get<string>('userId');
  if (knownId) {
    // This step created it earlier: look it up by id, waiting out Entra's replication if needed.
    try {
      return await ctx.graph.get<CreatedUser>(`/users/${knownId}`, { query: { $select: CREATED_SELECT }, retryNotFound: true });
    } catch (e) {
      // Deleted since (an undo ran): whoever holds the address now is found below.
      if (!isNotFound(e)) throw e;
    }
  }
  if (retryNotFound) {
    try {
      return await ctx.graph.get<CreatedUser>(`/users/${encodeURIComponent(upn)}`, { query: { $select: CREATED_SELECT }, retryNotFound: true });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }
  const found = await findUser(ctx, upn);
  if (!found) return undefined;
  return ctx.graph.get<CreatedUser>(`/users/${found.id}`, { query: { $select: CREATED_SELECT } });
}

/** Created by an earlier attempt of this step: same name, created after the step first sent. */
function createdByThisStep(ctx: ActionContext, u: CreatedUser, p: Params): boolean {
  if (ctx.scratch.get<string>('userId') === u.id) return true;
  return u.displayName === p.displayName && happenedSince(u.createdDateTime, ctx.scratch.get<string>('sentAt'));
}

function conflictError(ctx: ActionContext, p: Params, holder: CreatedUser): AppError {
  const same = holder.userPrincipalName.toLowerCase() === p.user.toLowerCase();
  return new AppError({
    code: 'conflict',
    message: same
      ? `A user ${p.user} already exists in ${ctx.tenant.domain} (${holder.displayName}).`
      : `${p.user} is already an email address of ${holder.userPrincipalName} (${holder.displayName}).`,
    fix: `Choose another address for the new user, or change the existing user with update-user.`,
    param: 'user',
    value: p.user,
    details: { existingUserId: holder.id, existingUserPrincipalName: holder.userPrincipalName },
  });
}

/**
 * Microsoft says the address is taken, yet no user with it can be read: one was created moments
 * ago and has not replicated. Transient, so the step is retried once it is visible, when it is
 * either recognised as this step's user or reported as a conflict.
 */
function notYetVisible(ctx: ActionContext, p: Params): AppError {
  return new AppError({
    code: 'm365_unavailable',
    message: `Microsoft Graph reports ${p.user} as taken in ${ctx.tenant.domain}, but the user holding it is not readable yet (directory replication).`,
    fix: 'Retry in a minute; the step then recognises a user it created itself.',
    param: 'user',
    value: p.user,
  });
}

function mailNicknameOf(upn: string): string {
  return (upn.split('@')[0] ?? '').slice(0, 64);
}

/** Another user already using the mail alias the new user would get (Entra refuses a duplicate). */
async function aliasHolder(ctx: ActionContext, p: Params): Promise<{ id: string; userPrincipalName: string } | undefined> {
  const nick = mailNicknameOf(p.user);
  const res = await ctx.graph.get<{ value: Array<{ id: string; userPrincipalName: string }> }>('/users', {
    query: { $filter: `mailNickname eq '${nick.replace(/'/g, "''")}'`, $select: 'id,userPrincipalName', $top: '1' },
  });
  const holder = res.value[0];
  // The new user itself (an earlier attempt's, not yet readable by address) is no conflict.
  return holder && holder.userPrincipalName.toLowerCase() !== p.user.toLowerCase() ? holder : undefined;
}

function aliasConflict(p: Params, holder: { userPrincipalName: string }): AppError {
  const nick = mailNicknameOf(p.user);
  return new AppError({
    code: 'conflict',
    message: `The mail alias '${nick}' (the part of ${p.user} before the @) is already used by ${holder.userPrincipalName}.`,
    fix: `Choose a different name before the @, e.g. ${nick}2@${p.user.split('@')[1]}.`,
    param: 'user',
    value: p.user,
  });
}

function plannedChanges(ctx: ActionContext, p: Params, managerUpn: string | undefined): Change[] {
  const body = newUserBody(ctx, p, MASK);
  const fields = ['displayName', 'givenName', 'surname', 'department', 'jobTitle', 'usageLocation', 'mailNickname', 'accountEnabled'];
  const changes: Change[] = [{ object: p.user, field: 'exists', before: false, after: true }];
  for (const f of fields) if (body[f] !== undefined) changes.push({ object: p.user, field: f, before: null, after: body[f] });
  changes.push({ object: p.user, field: 'password', before: null, after: MASK });
  if (managerUpn) changes.push({ object: p.user, field: 'manager', before: null, after: managerUpn });
  return changes;
}

export const createUser = defineAction({
  id: 'create-user',
  title: 'Create user',
  description: 'Creates a cloud user with a generated temporary password that must be changed at first sign-in.',
  category: 'account',
  params,
  secrets: ['temporaryPassword'],
  permissions,
  validate: (ctx, p) => validateWith(ctx, permissions, async (c) => {
    await c.attempt(() => checkUpnDomain(ctx, p.user));
    const holder = await holderOf(ctx, p.user);
    if (holder && !createdByThisStep(ctx, holder, p)) c.errors.push(conflictError(ctx, p, holder));
    if (!holder) {
      const alias = await aliasHolder(ctx, p);
      if (alias) c.errors.push(aliasConflict(p, alias));
    }
    if (p.manager) await c.attempt(() => resolveUser(ctx, p.manager!, 'manager'));
    if (!p.usageLocation && !ctx.tenant.defaults.usageLocation) {
      c.warnings.push('No usage location is given and the tenant has no default: licences cannot be assigned until one is set.');
    }
  }),
  async preview(ctx, p) {
    const holder = await holderOf(ctx, p.user);
    const ours = !!holder && createdByThisStep(ctx, holder, p);
    if (holder && !ours) throw conflictError(ctx, p, holder);
    const manager = p.manager ? await resolveUser(ctx, p.manager, 'manager') : undefined;
    const currentManager = ours && manager ? await getManager(ctx, holder.id) : null;
    const managerDone = !manager || currentManager?.id === manager.id;
    const calls: PlannedCall[] = [];
    if (!ours) calls.push({ surface: 'graph', method: 'POST', target: '/users', body: newUserBody(ctx, p, MASK), description: `Create ${p.user} (${p.displayName})` });
    if (!managerDone) {
      calls.push({ surface: 'graph', method: 'PUT', target: `/users/{new user}/manager/$ref`, body: { '@odata.id': `https://graph.microsoft.com/v1.0/users/${manager!.id}` }, description: `Set ${manager!.userPrincipalName} as manager` });
    }
    return {
      calls,
      changes: ours ? [] : plannedChanges(ctx, p, manager?.userPrincipalName),
      skipped: [],
      alreadyDone: ours && managerDone,
      warnings: ['The temporary password is shown once, to the approver, when the step completes.'],
    };
  },
  async execute(ctx, p) {
    const password = await remembered(ctx, 'password', () => generatePassword(nameParts({ userPrincipalName: p.user, displayName: p.displayName })));
    const manager = p.manager ? await resolveUser(ctx, p.manager, 'manager') : undefined;
    let user = await holderOf(ctx, p.user);
    let created = false;
    if (user && !createdByThisStep(ctx, user, p)) throw conflictError(ctx, p, user);
    if (!user) {
      const alias = await aliasHolder(ctx, p);
      if (alias) throw aliasConflict(p, alias);
      // The first attempt's send time stays: a user it created must still count as this step's.
      if (!ctx.scratch.get<string>('sentAt')) await markSent(ctx);
      try {
        user = await withSecret([password], () =>
          ctx.graph.post<CreatedUser>('/users', newUserBody(ctx, p, password), { clientRequestId: requestId(ctx.idempotencyKey, 'create-user') }));
        created = true;
      } catch (e) {
        // A duplicate answer can be our own earlier create that replication had hidden from the lookup.
        if (!isAppError(e) || e.code !== 'm365_bad_request') throw e;
        const holder = await holderOf(ctx, p.user, true);
        if (!holder) throw notYetVisible(ctx, p);
        if (!createdByThisStep(ctx, holder, p)) throw conflictError(ctx, p, holder);
        user = holder;
      }
      await ctx.scratch.set('userId', user.id);
    }
    let managerSet = false;
    if (manager && (created || (await getManager(ctx, user.id))?.id !== manager.id)) {
      await setManager(ctx, user.id, manager.id, requestId(ctx.idempotencyKey, 'set-manager'), true);
      managerSet = true;
    }
    const alreadyDone = !created && !managerSet;
    return {
      outputs: { userId: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName, temporaryPassword: password },
      // The user did not exist before this step, whichever attempt created it: undo deletes it.
      before: { existed: false, userId: user.id },
      alreadyDone,
      skipped: [],
      summary: alreadyDone
        ? `${user.userPrincipalName} was already created by this step.`
        : `Created ${user.userPrincipalName} (${user.displayName}); they must change the temporary password at first sign-in.`,
    };
  },
  undo: {
    reversible: true,
    build: (_p, r) => (r.before.existed === false ? [{ action: 'delete-user', params: { user: r.outputs.userPrincipalName } }] : []),
  },
});
