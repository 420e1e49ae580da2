// /users/{id}/authentication: list, get and delete methods under Microsoft's rules, Temporary
// Access Pass creation, password reset (the writeback path for synced users), and session revocation.
import { newId, sha256Hex } from '../../core/ids.ts';
import { PASSWORD_METHOD_ID, PHONE_ALT_MOBILE_ID, PHONE_MOBILE_ID } from '../seed/builders.ts';
import type { AuthMethodType, EmuAuthMethod, EmuUser } from '../state/model.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { collectionResponse } from './collection.ts';
import { authErrors, generatePassword, generateTap, METHOD_SEGMENTS, methodJson, passwordComplex, tapState } from './auth-method-json.ts';
import { bodyObject, contextUrl, requireUser } from './directory-object.ts';
import { graphErrors } from './errors.ts';
import { perms, type EmuResponse, type GraphContext, type GraphRoute } from './route.ts';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The user's methods; every member account has its password method even when the seed lists none. */
function methodsOf(t: TenantState, u: EmuUser): EmuAuthMethod[] {
  const list = t.data.authMethods[u.id];
  if (list) return list;
  return u.userType === 'Guest' ? [] : [{ id: PASSWORD_METHOD_ID, type: 'password', props: { password: null }, createdDateTime: u.createdDateTime }];
}

function listMethods(type?: AuthMethodType) {
  return (ctx: GraphContext) => {
    const u = requireUser(ctx, ctx.params.id);
    const all = methodsOf(ctx.tenant, u);
    const items = type ? all.filter((m) => m.type === type) : all;
    const segment = type ? METHOD_SEGMENTS[type] : 'methods';
    return collectionResponse(ctx, items, { context: `users('${u.id}')/authentication/${segment}`, serialize: (m) => methodJson(m, ctx.now) });
  };
}

function findMethod(ctx: GraphContext, type: AuthMethodType | undefined): { user: EmuUser; list: EmuAuthMethod[]; method: EmuAuthMethod } {
  const user = requireUser(ctx, ctx.params.id);
  const list = methodsOf(ctx.tenant, user);
  const id = (ctx.params.methodId ?? '').toLowerCase();
  const method = list.find((m) => m.id.toLowerCase() === id && (!type || m.type === type));
  if (!method) throw authErrors.notFound();
  return { user, list, method };
}

function getMethod(type?: AuthMethodType) {
  return (ctx: GraphContext): EmuResponse => {
    const { user, method } = findMethod(ctx, type);
    const segment = type ? METHOD_SEGMENTS[type] : 'methods';
    return { status: 200, body: { '@odata.context': contextUrl(ctx, `users('${user.id}')/authentication/${segment}/$entity`), ...methodJson(method, ctx.now) } };
  };
}

const isPhone = (m: EmuAuthMethod, kind: 'mobile' | 'alternateMobile') =>
  m.type === 'phone' && (m.props.phoneType === kind || m.id.toLowerCase() === (kind === 'mobile' ? PHONE_MOBILE_ID : PHONE_ALT_MOBILE_ID));

function deleteMethod(type: AuthMethodType) {
  return (ctx: GraphContext): EmuResponse => {
    const { list, method, user } = findMethod(ctx, type);
    const others = list.filter((m) => m !== method && m.type !== 'password' && m.type !== 'temporaryAccessPass');
    if (method.isDefault && others.length > 0) {
      throw authErrors.badRequest('Cannot delete default method with other methods configured. Please change default method before deletion.');
    }
    if (isPhone(method, 'mobile') && list.some((m) => isPhone(m, 'alternateMobile'))) {
      throw authErrors.badRequest('The mobile phone method cannot be deleted while an alternateMobile phone method exists. Update the mobile number instead, or delete the alternateMobile method first.');
    }
    ctx.tenant.data.authMethods[user.id] = list.filter((m) => m !== method);
    return { status: 204 };
  };
}

const TAP_KEYS = new Set(['startDateTime', 'lifetimeInMinutes', 'isUsableOnce', '@odata.type']);

function createTap(ctx: GraphContext): EmuResponse {
  const user = requireUser(ctx, ctx.params.id);
  const body = bodyObject(ctx, false);
  for (const k of Object.keys(body)) if (!TAP_KEYS.has(k)) throw authErrors.badRequest(`Invalid property '${k}' for temporaryAccessPassAuthenticationMethod.`);
  const lifetime = body.lifetimeInMinutes ?? 60;
  if (typeof lifetime !== 'number' || !Number.isInteger(lifetime) || lifetime < 10 || lifetime > 43200) {
    throw authErrors.badRequest('The lifetimeInMinutes of a Temporary Access Pass must be between 10 and 43200 minutes as set by the Temporary Access Pass policy.');
  }
  const isUsableOnce = body.isUsableOnce ?? false;
  if (typeof isUsableOnce !== 'boolean') throw authErrors.badRequest("Invalid value for property 'isUsableOnce'.");
  let start = ctx.now;
  if (body.startDateTime !== undefined && body.startDateTime !== null) {
    start = typeof body.startDateTime === 'string' ? Date.parse(body.startDateTime) : NaN;
    if (!Number.isFinite(start)) throw authErrors.badRequest("Invalid value for property 'startDateTime'.");
  }
  const list = methodsOf(ctx.tenant, user);
  const existing = list.find((m) => m.type === 'temporaryAccessPass');
  if (existing && tapState(existing, ctx.now).methodUsabilityReason !== 'Expired') {
    throw authErrors.badRequest("A user can only have one Temporary Access Pass that's usable within its specified lifetime.");
  }
  const pass = generateTap();
  const method: EmuAuthMethod = {
    id: newId(),
    type: 'temporaryAccessPass',
    props: { startDateTime: iso(start), lifetimeInMinutes: lifetime, isUsableOnce },
    createdDateTime: iso(ctx.now),
    // Kept hashed: the pass is shown once, in this answer, and never again.
    secret: sha256Hex(pass),
  };
  ctx.tenant.data.authMethods[user.id] = [...list.filter((m) => m !== existing), method];
  return {
    status: 201,
    body: { '@odata.context': contextUrl(ctx, `users('${user.id}')/authentication/temporaryAccessPassMethods/$entity`), ...methodJson(method, ctx.now, pass) },
  };
}

/** Password resets run as long-running operations; their status is kept per tenant. */
const operations = new WeakMap<TenantState, Map<string, { userId: string; created: number }>>();

function resetPassword(ctx: GraphContext): EmuResponse {
  const user = requireUser(ctx, ctx.params.id);
  if ((ctx.params.methodId ?? '').toLowerCase() !== PASSWORD_METHOD_ID) throw authErrors.notFound();
  // Microsoft supports this action only for delegated callers, and never on the caller's own account.
  if (ctx.claims.idtyp === 'app' || (ctx.claims.upn && ctx.claims.upn.toLowerCase() === user.userPrincipalName.toLowerCase())) throw graphErrors.denied();
  const body = bodyObject(ctx, false);
  const supplied = body.newPassword;
  if (supplied !== undefined && supplied !== null && typeof supplied !== 'string') throw authErrors.badRequest("Invalid value for property 'newPassword'.");
  if (!supplied && user.onPremisesSyncEnabled) {
    throw authErrors.badRequest('A new password must be supplied for users whose password is managed on-premises (password writeback).');
  }
  if (typeof supplied === 'string' && !passwordComplex(supplied)) {
    throw authErrors.badRequest('The specified password does not comply with password complexity requirements. Please provide a different password.');
  }
  const password = typeof supplied === 'string' && supplied ? supplied : generatePassword();
  user.passwordHash = sha256Hex(password);
  user.lastPasswordChangeDateTime = iso(ctx.now);
  user.forceChangePasswordNextSignIn = true;
  ctx.tenant.userChanged(user, ['lastPasswordChangeDateTime', 'passwordProfile']);
  ctx.tenant.touch();
  const opId = newId();
  let ops = operations.get(ctx.tenant);
  if (!ops) operations.set(ctx.tenant, (ops = new Map()));
  ops.set(opId, { userId: user.id, created: ctx.now });
  const headers = { Location: `${ctx.baseUrl}/users/${user.id}/authentication/operations/${opId}` };
  const body202 = supplied ? {} : { '@odata.context': contextUrl(ctx, 'microsoft.graph.passwordResetResponse'), newPassword: password };
  return { status: 202, headers, body: body202 };
}

function getOperation(ctx: GraphContext): EmuResponse {
  const user = requireUser(ctx, ctx.params.id);
  const op = operations.get(ctx.tenant)?.get(ctx.params.opId ?? '');
  if (!op || op.userId !== user.id) throw authErrors.notFound();
  return {
    status: 200,
    body: {
      '@odata.context': contextUrl(ctx, `users('${user.id}')/authentication/operations/$entity`),
      id: ctx.params.opId, createdDateTime: iso(op.created), lastActionDateTime: iso(op.created), resourceLocation: null, status: 'succeeded', statusDetail: null,
    },
  };
}

/** Resets signInSessionsValidFromDateTime. Graph answers 200 with an Edm.Boolean (a documented known issue). */
function revokeSessions(betaOnly: boolean) {
  return (ctx: GraphContext): EmuResponse => {
    if (betaOnly && ctx.version !== 'beta') throw graphErrors.segmentNotFound('invalidateAllRefreshTokens');
    const user = requireUser(ctx, ctx.params.id);
    // External users sign in at home, so nothing is revoked for them, but the call still succeeds.
    if (user.userType !== 'Guest') {
      user.signInSessionsValidFromDateTime = iso(ctx.now);
      ctx.tenant.userChanged(user, ['signInSessionsValidFromDateTime']);
      ctx.tenant.touch();
    }
    return { status: 200, body: { '@odata.context': contextUrl(ctx, 'Edm.Boolean'), value: true } };
  };
}

const deletable: AuthMethodType[] = ['phone', 'microsoftAuthenticator', 'fido2', 'softwareOath', 'email', 'temporaryAccessPass', 'windowsHelloForBusiness'];
const base = '/users/:id/authentication';

export const routes: GraphRoute[] = [
  { method: 'GET', path: `${base}/methods`, permissions: perms.authMethodRead, handler: listMethods() },
  { method: 'GET', path: `${base}/methods/:methodId`, permissions: perms.authMethodRead, handler: getMethod() },
  { method: 'POST', path: `${base}/methods/:methodId/resetPassword`, permissions: perms.authMethodWrite, handler: resetPassword },
  { method: 'GET', path: `${base}/operations/:opId`, permissions: perms.authMethodRead, handler: getOperation },
  { method: 'GET', path: `${base}/passwordMethods`, permissions: perms.authMethodRead, handler: listMethods('password') },
  { method: 'GET', path: `${base}/passwordMethods/:methodId`, permissions: perms.authMethodRead, handler: getMethod('password') },
  ...deletable.flatMap((type): GraphRoute[] => [
    { method: 'GET', path: `${base}/${METHOD_SEGMENTS[type]}`, permissions: perms.authMethodRead, handler: listMethods(type) },
    { method: 'GET', path: `${base}/${METHOD_SEGMENTS[type]}/:methodId`, permissions: perms.authMethodRead, handler: getMethod(type) },
    { method: 'DELETE', path: `${base}/${METHOD_SEGMENTS[type]}/:methodId`, permissions: perms.authMethodWrite, handler: deleteMethod(type) },
  ]),
  { method: 'POST', path: `${base}/temporaryAccessPassMethods`, permissions: perms.authMethodWrite, handler: createTap },
  { method: 'POST', path: '/users/:id/revokeSignInSessions', permissions: perms.userRevoke, handler: revokeSessions(false) },
  { method: 'POST', path: '/users/:id/invalidateAllRefreshTokens', permissions: perms.userRevoke, handler: revokeSessions(true) },
];
