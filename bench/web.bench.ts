// `npm run bench -- web [runs]`: builds the web app, reports its JavaScript gzipped, and measures in
// Debian's chromium how long the app shell takes to appear for a signed-in person, from navigation
// start (cold cache, a fresh browser context each time) to the shell's first render. The baseline,
// measured in the same run, is a blank HTML page from a plain HTTP server on the same machine.
import { createServer } from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { startWebEnv } from '../test/web/web-env.ts';

const DIST = resolve(import.meta.dirname, '../web/dist');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function bundleSizes(): { totalGzipKB: number; entryGzipKB: number; files: number } {
  const assets = join(DIST, 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const gz = (f: string) => gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
  const total = js.reduce((n, f) => n + gz(f), 0);
  // What the first page load fetches: the entry script and the chunks index.html preloads.
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const initial = js.filter((f) => html.includes(`/assets/${f}`));
  return { totalGzipKB: total / 1024, entryGzipKB: initial.reduce((n, f) => n + gz(f), 0) / 1024, files: js.length };
}

async function blankBaseline(browser: Browser, runs: number): Promise<number[]> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><meta charset="utf-8"><title>blank</title><p id="x">blank</p>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(url, { waitUntil: 'load' });
    out.push(await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return nav.loadEventStart;
    }));
    await ctx.close();
  }
  server.close();
  return out;
}

export default async function main(args: string[]): Promise<void> {
  const runs = Math.max(3, Number(args[0] ?? 9) || 9);
  const started = performance.now();
  const { build } = await import('vite');
  await build({ configFile: resolve(import.meta.dirname, '../web/vite.config.ts'), logLevel: 'error' });
  const buildMs = performance.now() - started;
  const sizes = bundleSizes();
  console.log(`build            ${buildMs.toFixed(0)} ms (${sizes.files} JS files, index.html ${statSync(join(DIST, 'index.html')).size} B)`);
  console.log(`bundle (all JS)  ${sizes.totalGzipKB.toFixed(1)} KB gzipped   target ≤ 300 KB`);
  console.log(`first load JS    ${sizes.entryGzipKB.toFixed(1)} KB gzipped (entry + preloaded chunks; pages load lazily)`);

  const env = await startWebEnv('bench', { adminPasswordGenerated: false });
  try {
    const baseline = await blankBaseline(env.browser, runs);
    // Sign in once for a session cookie, then measure fresh contexts that carry it.
    const { context, page } = await env.newPage();
    await env.signIn(page);
    const cookies = await context.cookies();
    const cold: number[] = [];
    const clickToShell: number[] = [];
    for (let i = 0; i < runs; i++) {
      const ctx = await env.browser.newContext({ baseURL: env.url, viewport: { width: 1280, height: 800 } });
      await ctx.addCookies(cookies);
      const p = await ctx.newPage();
      await p.goto('/');
      await p.getByTestId('app-shell').waitFor();
      cold.push(await p.evaluate(() => performance.getEntriesByName('tf-shell')[0]!.startTime));
      await ctx.close();

      // The literal "after sign-in": from the click on Sign in to the shell, bundle already loaded.
      const fresh = await env.browser.newContext({ baseURL: env.url });
      const q = await fresh.newPage();
      await q.goto('/');
      await q.getByLabel('Username').fill('admin');
      await q.getByLabel('Password').fill('admin-password-for-web-tests');
      const t0 = await q.evaluate(() => performance.now());
      await q.getByRole('button', { name: 'Sign in' }).click();
      await q.getByTestId('app-shell').waitFor();
      clickToShell.push(await q.evaluate((t) => performance.getEntriesByName('tf-shell')[0]!.startTime - t, t0));
      await fresh.close();
    }
    const firstRenderMs = median(cold);
    const base = median(baseline);
    console.log(`blank page       ${base.toFixed(1)} ms median (navigation start → load, baseline)`);
    console.log(`app shell        ${firstRenderMs.toFixed(1)} ms median over ${runs} cold loads (navigation start → shell rendered, signed in)   target ≤ 1000 ms   ×${(firstRenderMs / Math.max(base, 0.1)).toFixed(1)} baseline`);
    console.log(`sign-in click    ${median(clickToShell).toFixed(1)} ms median (click on Sign in → shell rendered)`);
    console.log(JSON.stringify({ bundleGzipKB: Number(sizes.totalGzipKB.toFixed(1)), firstRenderMs: Number(firstRenderMs.toFixed(1)) }));
  } finally {
    await env.close();
  }
}
