// `tenantflow serve` (what `npm start` runs): the app server and, unless TENANTFLOW_EMULATOR=off,
// the embedded M365 emulator on EMULATOR_PORT / EMULATOR_TLS_PORT (default 4000 / 4443).
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import { mildControls } from '../../emulator/realism/presets.ts';
import { startAppServer } from '../../server/app-server.ts';
import { DEFAULT_WEB_DIST } from '../../server/routes/web.routes.ts';
import { parsePort } from './emulator.ts';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log('Usage: tenantflow serve [--port P] [--host H]\n\nEnvironment: PORT (3000), EMULATOR_PORT (4000), EMULATOR_TLS_PORT (4443), TENANTFLOW_EMULATOR=off, TENANTFLOW_DATA_DIR (./data), DATABASE_URL.');
    return 0;
  }
  const dataDir = resolve(process.env.TENANTFLOW_DATA_DIR ?? './data');
  const host = values.host ?? process.env.HOST ?? '127.0.0.1';
  let emu: RunningEmulator | undefined;
  if (process.env.TENANTFLOW_EMULATOR !== 'off') {
    emu = await startEmulator({
      port: parsePort(process.env.EMULATOR_PORT ?? '4000', 'EMULATOR_PORT'),
      tlsPort: parsePort(process.env.EMULATOR_TLS_PORT ?? '4443', 'EMULATOR_TLS_PORT'),
      dataDir,
      seeds: ['demo'],
      controls: mildControls(),
    });
  }
  const app = await startAppServer({ host, port: parsePort(values.port ?? process.env.PORT ?? '3000', '--port'), emulator: emu, dataDir });
  console.log(`Tenantflow      ${app.url}   <- open this in a browser`);
  if (!existsSync(join(DEFAULT_WEB_DIST, 'index.html'))) {
    console.log('                (the web app is not built: run `npm run build:web`, or start with `npm start`, which builds it)');
  }
  if (app.generatedAdminPassword) {
    console.log(`First start: sign in as 'admin' with password ${app.generatedAdminPassword} (shown once; set TENANTFLOW_ADMIN_PASSWORD to choose it).`);
  }
  if (emu) {
    console.log(`M365 emulator   ${emu.httpUrl}  (HTTP)`);
    console.log(`M365 emulator   ${emu.httpsUrl}  (HTTPS, certificate ${emu.certPath})`);
  }
  const stop = async () => {
    await app.close();
    await emu?.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
}
