// `tenantflow worker`: a worker alone against DATABASE_URL, so several workers on several machines
// share one PostgreSQL. It executes approved runs and resumes those whose worker died.
import { parseArgs } from 'node:util';
import { startRuntime } from '../../server/runtime.ts';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { concurrency: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    console.log('Usage: tenantflow worker [--concurrency N]\n\nNeeds DATABASE_URL (a PostgreSQL shared with the server). TENANTFLOW_SECRET_KEY must match the server\'s.');
    return 0;
  }
  if (!process.env.DATABASE_URL) throw new Error('tenantflow worker needs DATABASE_URL: workers share a PostgreSQL server with the API.');
  const concurrency = values.concurrency ? Number(values.concurrency) : 16;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('--concurrency must be a positive integer.');
  const rt = await startRuntime({ worker: { concurrency } });
  console.log(`Tenantflow worker ${rt.worker!.owner} started (concurrency ${concurrency}).`);
  const stop = async () => {
    await rt.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
}
