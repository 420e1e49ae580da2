// /users: list, count, get, create, update, delete — v1.0 and beta.
import { randomUUID } from 'node:crypto';
import { PASSWORD_METHOD_ID } from '../seed/builders.ts';
import type { EmuUser } from '../state/model.ts';
import { collectionResponse, countResponse } from './collection.ts';
import { softDeleteUser } from './deleted-items.ts';
import { graphErrors } from './errors.ts';
import { perms, type GraphContext, type GraphRoute } from './route.ts';
import { userFilterView, userJson } from './serialize-user.ts';
import { readUserBody, userErrors, type PasswordProfileInput } from './user-body.ts';
import { entityContext, findUser, hasAnyPermission, selectedNames, userSerializer } from './user-response.ts';
import { applyUserProps, checkUserProps, hashPassword, isoSeconds, ON_PREM_MASTERED } from './user-write.ts';

/** Setting employeeLeaveDateTime needs the lifecycle permission (Directory.ReadWrite.All covers it too). */
const LIFECYCLE_WRITE = ['User-LifeCycleInfo.ReadWrite.All', 'Directory.ReadWrite.All'] as const;

function listUsers(ctx: GraphContext) {
  const t = ctx.tenant;
  return collectionResponse(ctx, t.data.users, {
    context: 'users',
    serialize: userSerializer(ctx),
    query: { entity: 'user', toFilterable: (u: EmuUser) => userFilterView(t, u) },
  });
}

function countUsers(ctx: GraphContext) {
  const t = ctx.tenant;
  return countResponse(ctx, t.data.users, { serialize: (u) => userFilterView(t, u), query: { entity: 'user', toFilterable: (u: EmuUser) => userFilterView(t, u) } });
}

function getUser(ctx: GraphContext) {
  const u = findUser(ctx);
  const select = selectedNames(ctx);
  return { status: 200, body: { '@odata.context': entityContext(ctx, select), ...userSerializer(ctx)(u) } };
}

function createUser(ctx: GraphContext) {
  const t = ctx.tenant;
  const props = readUserBody(ctx.body);
  for (const required of ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName']) {
    if (props[required] === undefined) throw userErrors.invalidValue(required);
  }
  const profile = props.passwordProfile as PasswordProfileInput | null | undefined;
  if (!profile?.password) throw userErrors.passwordRequired();
  checkUserProps(t, undefined, props);
  const now = isoSeconds(ctx.now);
  const upn = props.userPrincipalName as string;
  const u: EmuUser = {
    id: randomUUID(),
    userPrincipalName: upn,
    displayName: props.displayName as string,
    givenName: null,
    surname: null,
    // Exchange sets mail and the SMTP proxy when a mailbox is provisioned, not at creation.
    mail: null,
    mailNickname: props.mailNickname as string,
    accountEnabled: props.accountEnabled as boolean,
    userType: upn.includes('#EXT#') ? 'Guest' : 'Member',
    department: null, jobTitle: null, companyName: null, officeLocation: null, city: null, country: null, mobilePhone: null,
    businessPhones: [], usageLocation: null, preferredLanguage: null, employeeId: null, employeeType: null,
    employeeHireDate: null, employeeLeaveDateTime: null, employeeOrgData: null,
    createdDateTime: now,
    onPremisesSyncEnabled: null, onPremisesImmutableId: null, onPremisesSamAccountName: null,
    proxyAddresses: [], otherMails: [], managerId: null, directLicenses: [],
    signInSessionsValidFromDateTime: now,
    lastPasswordChangeDateTime: now,
    passwordHash: hashPassword(profile.password),
    forceChangePasswordNextSignIn: profile.forceChangePasswordNextSignIn ?? false,
  };
  const { passwordProfile: _secret, userPrincipalName: _upn, ...rest } = props;
  applyUserProps(t, u, rest, ctx.now);
  t.addUser(u, ctx.now);
  t.data.authMethods[u.id] = [{ id: PASSWORD_METHOD_ID, type: 'password', props: { password: null }, createdDateTime: now }];
  const origin = ctx.baseUrl.replace(/\/(v1\.0|beta)$/, '');
  return {
    status: 201,
    headers: { location: `${origin}/v2/${t.id}/directoryObjects/${u.id}/Microsoft.DirectoryServices.User` },
    body: { '@odata.context': `${ctx.baseUrl}/$metadata#users/$entity`, ...userJson(t, u, { version: ctx.version }) },
  };
}

function updateUser(ctx: GraphContext) {
  const t = ctx.tenant;
  const u = findUser(ctx);
  const props = readUserBody(ctx.body);
  const keys = Object.keys(props);
  // The route admits User.EnableDisableAccount.All; that permission covers accountEnabled only.
  if (keys.some((k) => k !== 'accountEnabled' && k !== 'employeeLeaveDateTime') && !hasAnyPermission(ctx.claims, perms.userWrite)) throw graphErrors.denied();
  if ('accountEnabled' in props && !hasAnyPermission(ctx.claims, perms.userEnable)) throw graphErrors.denied();
  if ('employeeLeaveDateTime' in props && !hasAnyPermission(ctx.claims, LIFECYCLE_WRITE)) throw graphErrors.denied();
  if (u.onPremisesSyncEnabled && keys.some((k) => ON_PREM_MASTERED.has(k))) throw userErrors.onPremMastered();
  checkUserProps(t, u, props);
  applyUserProps(t, u, props, ctx.now);
  t.touch();
  return { status: 204 };
}

function deleteUser(ctx: GraphContext) {
  const u = findUser(ctx);
  softDeleteUser(ctx.tenant, u, ctx.now);
  return { status: 204 };
}

export const routes: GraphRoute[] = [
  { method: 'GET', path: '/users', permissions: perms.userRead, cost: 2, handler: listUsers },
  { method: 'GET', path: '/users/$count', permissions: perms.userRead, cost: 2, handler: countUsers },
  { method: 'POST', path: '/users', permissions: perms.userCreate, handler: createUser },
  { method: 'GET', path: '/users/:id', permissions: perms.userRead, handler: getUser },
  { method: 'PATCH', path: '/users/:id', permissions: [...new Set([...perms.userWrite, ...perms.userEnable, ...LIFECYCLE_WRITE])], handler: updateUser },
  { method: 'DELETE', path: '/users/:id', permissions: perms.userDelete, handler: deleteUser },
];
