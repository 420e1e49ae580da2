// The web app on the same origin as the API: the files Vite built into web/dist, and index.html for
// every other page path so the browser's router can take it (deep links, reloads). API, Graph and
// docs paths never fall back to the page: an unknown one stays a JSON 404.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { AppError } from '../../core/errors.ts';

export const DEFAULT_WEB_DIST = resolve(import.meta.dirname, '../../../web/dist');

export interface WebOptions {
  /** Where the built app lives (default web/dist). */
  distDir?: string;
  /** The first start generated the admin password (printed in the terminal): the sign-in page says where to find it. */
  adminPasswordGenerated?: boolean;
}

const NOT_PAGES = /^\/(api|graph|docs|healthz)(\/|$)/;
const CONFIG_SLOT = '<!--tf-config-->';

function notBuilt(reply: FastifyReply) {
  return reply.code(503).type('text/html; charset=utf-8').send(
    '<!doctype html><meta charset="utf-8"><title>Tenantflow</title><body style="font-family:sans-serif;margin:3rem">' +
      '<h1>The web app is not built yet</h1><p>Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it) and reload.</p>' +
      '<p>The API is up: see <a href="/docs">/docs</a>.</p></body>',
  );
}

export function webRoutes(opts: WebOptions = {}) {
  const dist = resolve(opts.distDir ?? DEFAULT_WEB_DIST);
  // The page carries what the sign-in screen needs before anyone is signed in, so it renders without a round trip.
  const config = JSON.stringify({ adminPasswordGenerated: opts.adminPasswordGenerated === true }).replace(/</g, '\\u003c');
  let page: { mtimeMs: number; html: string } | undefined;
  const indexHtml = (): string | undefined => {
    const file = join(dist, 'index.html');
    if (!existsSync(file)) return undefined;
    const { mtimeMs } = statSync(file);
    if (page?.mtimeMs !== mtimeMs) {
      page = { mtimeMs, html: readFileSync(file, 'utf8').replace(CONFIG_SLOT, `<script type="application/json" id="tf-config">${config}</script>`) };
    }
    return page.html;
  };

  return async (app: FastifyInstance) => {
    await app.register(fastifyStatic, { root: dist, serve: false, decorateReply: true, preCompressed: true });

    const handler = async (req: { url: string }, reply: FastifyReply) => {
      const raw = req.url.split('?')[0]!;
      let path = raw;
      try { path = decodeURIComponent(raw); } catch { /* a malformed escape is just a page path that matches no file */ }
      if (NOT_PAGES.test(path)) {
        const e = new AppError({ code: 'not_found', message: `No route GET ${path}.`, fix: 'See /docs for the API.' });
        return reply.code(404).send({ error: e.toJSON() });
      }
      const rel = normalize(path).replace(/^[/\\]+/, '');
      const file = join(dist, rel);
      if (rel && rel !== 'index.html' && (file + sep).startsWith(dist + sep) && existsSync(file) && statSync(file).isFile()) {
        // Vite names assets by content hash, so they never change under the same name.
        const immutable = rel.startsWith(`assets${sep}`) || rel.startsWith('assets/');
        return reply.sendFile(rel, { cacheControl: true, maxAge: immutable ? 365 * 86_400_000 : 0, immutable });
      }
      const html = indexHtml();
      if (html === undefined) return notBuilt(reply);
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
    };
    app.get('/', handler);
    app.get('/*', handler);
  };
}
