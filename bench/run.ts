// `npm run bench -- NAME [args]` runs bench/NAME.bench.ts. Each bench exports a default
// `(args: string[]) => Promise<void>` that prints readable figures and, as its last line, one JSON
// object with the headline numbers.
import { readdirSync } from 'node:fs';

const SUFFIX = '.bench.ts';
const available = readdirSync(import.meta.dirname).filter((f) => f.endsWith(SUFFIX)).map((f) => f.slice(0, -SUFFIX.length)).sort();
const [name, ...args] = process.argv.slice(2);

if (!name || !available.includes(name)) {
  console.error(`${name ? `Unknown benchmark "${name}". ` : ''}Usage: npm run bench -- NAME [args]`);
  console.error(`Available: ${available.join(', ') || '(none)'}`);
  process.exit(1);
}

const mod = (await import(`./${name}${SUFFIX}`)) as { default?: (args: string[]) => Promise<void> };
if (typeof mod.default !== 'function') {
  console.error(`bench/${name}${SUFFIX} has no default export to run.`);
  process.exit(1);
}
await mod.default(args);
