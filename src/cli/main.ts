#!/usr/bin/env node
// The `tenantflow` command. Each sub-command lives in commands/<name>.ts and is loaded on demand,
// so `tenantflow actions` does not pay for starting a server.
const commands: Record<string, { summary: string; load: () => Promise<{ run: (argv: string[]) => Promise<number> }> }> = {
  serve: { summary: 'Run the API, a worker and (unless TENANTFLOW_EMULATOR=off) the M365 emulator', load: () => import('./commands/serve.ts') },
  worker: { summary: 'Run a worker alone against DATABASE_URL (executes approved runs, resumes orphaned ones)', load: () => import('./commands/worker.ts') },
  actions: { summary: 'List the action catalog with each action\'s parameters', load: () => import('./commands/actions.ts') },
  action: { summary: 'Run one action without a server: action <id> --tenant T --param k=v … [--dry-run] [--yes] [--json]', load: () => import('./commands/action.ts') },
  emulator: { summary: 'Run the M365 tenant emulator alone (--port P --tls-port Q [--seed FILE|demo] [--data-dir D] [--generate T:U])', load: () => import('./commands/emulator.ts') },
};

export function usage(): string {
  const lines = ['Usage: tenantflow <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push('', 'Run `tenantflow <command> --help` for the options of one command.');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const cmd = commands[name];
  if (!cmd) {
    console.error(`Unknown command '${name}'.\n\n${usage()}`);
    return 2;
  }
  return (await cmd.load()).run(rest);
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => { if (code !== 0) process.exitCode = code; },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exitCode = 1;
    },
  );
}

export { commands };
