// Authentication and scope. A request carries a session cookie (browser; writes also need the
// CSRF header) or a Bearer token (a login token or an API token). Every route except /healthz and
// login requires one, and every tenant-bound route checks the caller's tenant scope.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import { AppError } from '../../core/errors.ts';
import type { Account, Role } from '../../store/accounts-repo.ts';
import type { Runtime } from '../runtime.ts';

export const SESSION_COOKIE = 'tf_session';

export interface Caller {
  account: Account;
  /** Set for cookie sessions: writes must echo it in X-CSRF-Token. */
  csrfToken?: string;
  via: 'cookie' | 'bearer' | 'apiToken';
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

const publicRoutes = new Set(['/healthz', '/api/auth/login']);

export function authHook(rt: Runtime) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const path = req.url.split('?')[0]!;
    if (publicRoutes.has(path) || path.startsWith('/docs') || !path.startsWith('/api') && !path.startsWith('/graph')) return;
    const auth = req.headers.authorization;
    if (auth && /^bearer\s+/i.test(auth)) {
      const token = auth.replace(/^bearer\s+/i, '').trim();
      if (token.startsWith('tfp_')) {
        const account = await rt.accounts.apiToken(token);
        if (account) req.caller = { account, via: 'apiToken' };
      } else {
        const s = await rt.accounts.session(token);
        if (s) req.caller = { account: s.account, via: 'bearer' };
      }
      if (!req.caller) throw new AppError({ code: 'unauthenticated', message: 'The Bearer token is invalid or expired.', fix: 'Sign in again (POST /api/auth/login) or create a new API token.' });
      return;
    }
    const cookie = req.cookies?.[SESSION_COOKIE];
    if (cookie) {
      const s = await rt.accounts.session(cookie);
      if (s) {
        req.caller = { account: s.account, csrfToken: s.csrfToken, via: 'cookie' };
        if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS' && req.headers['x-csrf-token'] !== s.csrfToken) {
          throw new AppError({ code: 'csrf_failed', message: 'This request needs the CSRF token of your session.', fix: 'Send the csrfToken from /api/auth/me in the X-CSRF-Token header; reload the page if it expired.' });
        }
        return;
      }
    }
    throw new AppError({ code: 'unauthenticated', message: 'Sign in to use this API.', fix: 'POST /api/auth/login with your username and password, then send the session cookie or the returned token as a Bearer token.' });
  };
}

export function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new AppError({ code: 'unauthenticated', message: 'Sign in to use this API.' });
  return req.caller;
}

export function requireRole(req: FastifyRequest, ...allowed: Role[]): Caller {
  const c = callerOf(req);
  if (!allowed.includes(c.account.role)) {
    throw new AppError({ code: 'forbidden', message: `This needs the ${allowed.join(' or ')} role; you are a ${c.account.role}.` });
  }
  return c;
}

/** The tenant ids the caller may act in (admins: every configured tenant). */
export function tenantScope(rt: Runtime, caller: Caller): Set<string> {
  if (caller.account.role === 'admin' || caller.account.tenants.includes('*')) return new Set(rt.registry.list().map((t) => t.id));
  const out = new Set<string>();
  for (const ref of caller.account.tenants) {
    const t = rt.registry.find(ref);
    if (t) out.add(t.id);
  }
  return out;
}

/** Resolves a tenant reference the caller may use; an out-of-scope tenant looks like an unknown one. */
export function scopedTenant(rt: Runtime, caller: Caller, ref: string): string {
  const t = rt.registry.find(ref);
  if (!t || !tenantScope(rt, caller).has(t.id)) {
    throw new AppError({ code: 'unknown_tenant', message: `No tenant '${ref}' is available to you.`, fix: 'Use one of the tenants listed by GET /api/tenants.', param: 'tenant', value: ref });
  }
  return t.id;
}
