// `tenantflow emulator`: the M365 tenant emulator on its own, e.g. for a crash test whose servers
// are killed while the emulator keeps its ledger.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { startEmulator } from '../../emulator/server.ts';
import { mildControls, offControls } from '../../emulator/realism/presets.ts';

const help = `Usage: tenantflow emulator [--port P] [--tls-port Q] [--seed FILE|demo]... [--data-dir D]
                           [--generate TENANTS:USERS] [--controls mild|off] [--no-snapshot] [--host H]

Serves plain HTTP on P (default $EMULATOR_PORT or 4000) and HTTPS on Q (default $EMULATOR_TLS_PORT
or 4443). The self-signed certificate is generated on first start under the data dir
(default $TENANTFLOW_DATA_DIR or ./data).`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'tls-port': { type: 'string' },
      seed: { type: 'string', multiple: true },
      'data-dir': { type: 'string' },
      generate: { type: 'string' },
      controls: { type: 'string' },
      'no-snapshot': { type: 'boolean' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const port = parsePort(values.port ?? process.env.EMULATOR_PORT ?? '4000', '--port');
  const tlsPort = parsePort(values['tls-port'] ?? process.env.EMULATOR_TLS_PORT ?? '4443', '--tls-port');
  const controls = values.controls ?? 'mild';
  if (controls !== 'mild' && controls !== 'off') throw new Error(`--controls must be 'mild' or 'off', not '${controls}'.`);
  const dataDir = resolve(values['data-dir'] ?? process.env.TENANTFLOW_DATA_DIR ?? './data');
  const emu = await startEmulator({
    host: values.host ?? '127.0.0.1',
    port,
    tlsPort,
    seeds: (values.seed ?? ['demo']).map((s) => (s === 'demo' ? 'demo' : resolve(s))),
    dataDir,
    snapshot: !values['no-snapshot'],
    controls: controls === 'mild' ? mildControls() : offControls(),
    ...(values.generate ? { generate: values.generate } : {}),
  });
  console.log(`M365 emulator   ${emu.httpUrl}  (HTTP)`);
  console.log(`M365 emulator   ${emu.httpsUrl}  (HTTPS, certificate ${emu.certPath})`);
  console.log(`Tenants         ${[...emu.deps.store.tenants.values()].map((t) => t.data.initialDomain).join(', ')}`);
  const stop = async () => {
    await emu.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
}

export function parsePort(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag} must be a port number 0–65535, not '${raw}'.`);
  return n;
}
