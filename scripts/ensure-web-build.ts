// Builds the web app into web/dist when it is missing or older than its sources, so `npm start`
// and the browser tests work straight after `npm install` on a fresh clone. A lock directory keeps
// two processes (parallel test files) from building over each other.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const WEB = resolve(import.meta.dirname, '../web');
const DIST = join(WEB, 'dist');
const DIST_INDEX = join(DIST, 'index.html');
const LOCK = join(WEB, '.build-lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function webBuildIsFresh(): boolean {
  if (!existsSync(DIST_INDEX)) return false;
  const built = statSync(DIST_INDEX).mtimeMs;
  const sources = Math.max(newestSource(join(WEB, 'src')), statSync(join(WEB, 'index.html')).mtimeMs, statSync(join(WEB, 'vite.config.ts')).mtimeMs);
  return built >= sources;
}

function lockHolderAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
  } catch {
    // No pid yet: the holder is writing it, unless the lock is old (a crash between the two calls).
    return existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs < 60_000;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function acquire(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (!lockHolderAlive()) {
        rmSync(LOCK, { recursive: true, force: true });
        continue;
      }
      await sleep(200);
    }
  }
}

/** Builds web/dist if it is stale; answers whether it built. */
export async function ensureWebBuild(opts: { quiet?: boolean } = {}): Promise<boolean> {
  if (webBuildIsFresh()) return false;
  await acquire();
  try {
    // Another process may have built it while this one waited for the lock.
    if (webBuildIsFresh()) return false;
    if (!opts.quiet) console.log('Building the web app (web/dist)…');
    const { build } = await import('vite');
    // Build beside, then swap in: a server reading web/dist never sees a half-written build.
    const tmp = join(WEB, `.dist-${process.pid}`);
    const old = join(WEB, `.dist-old-${process.pid}`);
    rmSync(tmp, { recursive: true, force: true });
    try {
      await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: opts.quiet ? 'error' : 'warn', build: { outDir: tmp, emptyOutDir: true } });
      if (existsSync(DIST)) renameSync(DIST, old);
      renameSync(tmp, DIST);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
      rmSync(old, { recursive: true, force: true });
    }
    return true;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  await ensureWebBuild();
}
