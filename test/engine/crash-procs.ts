// The processes of the crash test: one emulator that outlives everything (it keeps the effects
// ledger), and a pool of `tenantflow worker` processes that are killed with SIGKILL and replaced.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
/** Lines of output kept per process, to explain a failure. */
const TAIL = 40;

export interface Proc {
  readonly child: ChildProcess;
  readonly label: string;
  /** The last lines the process printed (stdout and stderr). */
  readonly tail: string[];
  readonly exited: Promise<number | null>;
  /** Resolves with the first output line matching `re`; rejects if the process exits first. */
  line(re: RegExp): Promise<RegExpMatchArray>;
}

export function startProc(label: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const watchers: Array<{ re: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const onText = (buf: Buffer) => {
    for (const l of buf.toString('utf8').split('\n')) {
      if (!l.trim()) continue;
      tail.push(l.length > 400 ? `${l.slice(0, 400)}…` : l);
      if (tail.length > TAIL) tail.shift();
      for (const w of watchers.splice(0)) {
        const m = w.re.exec(l);
        if (m) w.resolve(m);
        else watchers.push(w);
      }
    }
  };
  child.stdout!.on('data', onText);
  child.stderr!.on('data', onText);
  return {
    child, label, tail, exited,
    line: (re) => new Promise((resolve, reject) => {
      for (const l of tail) {
        const m = re.exec(l);
        if (m) return resolve(m);
      }
      watchers.push({ re, resolve });
      void exited.then((code) => reject(new Error(`${label} exited (${code}) before printing ${re}:\n${tail.join('\n')}`)));
    }),
  };
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export interface EmulatorProc {
  proc: Proc;
  httpUrl: string;
  tlsPort: number;
  stop(): Promise<void>;
}

export async function startEmulatorProc(dataDir: string): Promise<EmulatorProc> {
  const port = await freePort();
  const tlsPort = await freePort();
  const proc = startProc('emulator', ['emulator', '--port', String(port), '--tls-port', String(tlsPort), '--controls', 'off', '--data-dir', dataDir, '--no-snapshot'], { ...process.env });
  await proc.line(/^Tenants\s/);
  return {
    proc, httpUrl: `http://127.0.0.1:${port}`, tlsPort,
    async stop() {
      proc.child.kill('SIGTERM');
      await proc.exited;
    },
  };
}

export interface WorkerProc {
  proc: Proc;
  /** The lease owner the worker writes on the runs it holds, once it has started. */
  owner: string | undefined;
  ready: Promise<string>;
}

/** Keeps `size` worker processes alive; a killed one is replaced at once. */
export class WorkerPool {
  readonly alive: WorkerProc[] = [];
  /** Output of killed or crashed workers, for diagnostics. */
  readonly graveyard: string[] = [];
  private readonly env: NodeJS.ProcessEnv;
  private started = 0;

  constructor(env: NodeJS.ProcessEnv) {
    this.env = env;
  }

  spawn(): WorkerProc {
    const proc = startProc(`worker#${++this.started}`, ['worker'], this.env);
    const w: WorkerProc = { proc, owner: undefined, ready: Promise.resolve('') };
    w.ready = proc.line(/Tenantflow worker (\S+) started/).then((m) => (w.owner = m[1]!));
    // A start that fails (not a kill) is a finding, not something to paper over.
    w.ready.catch(() => {});
    void proc.exited.then((code) => {
      const i = this.alive.indexOf(w);
      if (i >= 0) this.alive.splice(i, 1);
      if (code !== null) this.graveyard.push(`${proc.label} exited with ${code}:\n${proc.tail.join('\n')}`);
    });
    this.alive.push(w);
    return w;
  }

  async fill(size: number): Promise<void> {
    const fresh: WorkerProc[] = [];
    while (this.alive.length < size) fresh.push(this.spawn());
    await Promise.all(fresh.map((w) => w.ready));
  }

  /** SIGKILL, then a replacement; resolves when the killed process is gone. */
  async kill(w: WorkerProc): Promise<void> {
    w.proc.child.kill('SIGKILL');
    await w.proc.exited;
    this.spawn();
  }

  async stop(): Promise<void> {
    const all = [...this.alive];
    for (const w of all) w.proc.child.kill('SIGKILL');
    await Promise.all(all.map((w) => w.proc.exited));
  }

  get spawned(): number {
    return this.started;
  }
}
