// Sign-in, sign-out, who am I, API tokens, and (for admins) user management.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { roles } from '../../store/accounts-repo.ts';
import { callerOf, requireRole, SESSION_COOKIE, tenantScope } from '../http/auth.ts';
import type { Runtime } from '../runtime.ts';

const password = z.string().min(10, 'Use at least 10 characters.').max(200);
const email = z.string().email('Give a valid email address.').max(254);

export function authRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.post('/api/auth/login', {
      schema: { tags: ['auth'], summary: 'Sign in: sets the session cookie and answers a token usable as a Bearer token.', body: z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }) },
    }, async (req, reply) => {
      const account = await rt.accounts.authenticate(req.body.username, req.body.password);
      if (!account) throw new AppError({ code: 'invalid_credentials', message: 'Wrong username or password, or the account is disabled.' });
      const s = await rt.accounts.createSession(account.id);
      reply.setCookie(SESSION_COOKIE, s.token, { httpOnly: true, sameSite: 'lax', path: '/', secure: req.protocol === 'https', expires: s.expiresAt });
      return { token: s.token, csrfToken: s.csrfToken, user: publicAccount(account), expiresAt: s.expiresAt };
    });

    r.post('/api/auth/logout', { schema: { tags: ['auth'] } }, async (req, reply) => {
      const token = req.cookies?.[SESSION_COOKIE] ?? req.headers.authorization?.replace(/^bearer\s+/i, '');
      if (token) await rt.accounts.deleteSession(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    });

    r.get('/api/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in account, its tenants and the CSRF token for cookie sessions.' } }, async (req) => {
      const c = callerOf(req);
      return { user: publicAccount(c.account), csrfToken: c.csrfToken ?? null, tenants: [...tenantScope(rt, c)] };
    });

    r.post('/api/tokens', { schema: { tags: ['auth'], summary: 'Create an API token for scripts (shown once).', body: z.strictObject({ name: z.string().min(1).max(100) }) } }, async (req, reply) => {
      const c = callerOf(req);
      const t = await rt.accounts.createApiToken(c.account.id, req.body.name);
      return reply.code(201).send(t);
    });

    r.get('/api/users', { schema: { tags: ['users'], summary: 'List accounts (admin).' } }, async (req) => {
      requireRole(req, 'admin');
      return { users: (await rt.accounts.list()).map(publicAccount) };
    });

    r.post('/api/users', {
      schema: { tags: ['users'], summary: 'Create an account (admin).', body: z.strictObject({ username: z.string().regex(/^[a-z0-9._-]{2,64}$/i, 'Use 2–64 letters, digits, dots, dashes or underscores.'), password, role: z.enum(roles), tenants: z.array(z.string()).default([]), email: email.optional().describe('Where review notifications are mailed (optional).') }) },
    }, async (req, reply) => {
      requireRole(req, 'admin');
      for (const t of req.body.tenants) if (t !== '*' && !rt.registry.find(t)) throw new AppError({ code: 'unknown_tenant', message: `No tenant '${t}' is configured.`, param: 'tenants', value: t });
      if (await rt.accounts.byUsername(req.body.username)) throw new AppError({ code: 'conflict', message: `The username '${req.body.username}' is taken.`, param: 'username', value: req.body.username });
      const tenants = req.body.tenants.map((t) => (t === '*' ? '*' : rt.registry.get(t).id));
      try {
        return reply.code(201).send(publicAccount(await rt.accounts.create({ ...req.body, tenants })));
      } catch (e) {
        // Two admins creating the same username at once: the unique index decides, and the loser hears why.
        if ((e as { code?: string }).code === '23505') throw new AppError({ code: 'conflict', message: `The username '${req.body.username}' is taken.`, param: 'username', value: req.body.username });
        throw e;
      }
    });

    r.patch('/api/users/:id', {
      schema: { tags: ['users'], summary: 'Update or disable an account (admin).', params: z.object({ id: z.string().uuid() }), body: z.strictObject({ password: password.optional(), role: z.enum(roles).optional(), tenants: z.array(z.string()).optional(), disabled: z.boolean().optional(), email: email.nullable().optional() }) },
    }, async (req) => {
      const c = requireRole(req, 'admin');
      if (req.params.id === c.account.id && (req.body.disabled || (req.body.role && req.body.role !== 'admin'))) {
        throw new AppError({ code: 'conflict', message: 'You cannot disable or demote your own account.', fix: 'Ask another admin.' });
      }
      for (const t of req.body.tenants ?? []) if (t !== '*' && !rt.registry.find(t)) throw new AppError({ code: 'unknown_tenant', message: `No tenant '${t}' is configured.`, param: 'tenants', value: t });
      const tenants = req.body.tenants?.map((t) => (t === '*' ? '*' : rt.registry.get(t).id));
      const updated = await rt.accounts.update(req.params.id, { ...req.body, ...(tenants ? { tenants } : {}) });
      if (!updated) throw new AppError({ code: 'not_found', message: `No account ${req.params.id}.` });
      return publicAccount(updated);
    });
  };
}

export function publicAccount(a: { id: string; username: string; role: string; tenants: string[]; disabled: boolean; email?: string | null }) {
  return { id: a.id, username: a.username, role: a.role, tenants: a.tenants, disabled: a.disabled, email: a.email ?? null };
}
