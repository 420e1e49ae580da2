// Regenerates demo.seed.json: `node src/emulator/seed/write-demo-seed.ts [YYYY-MM-DD]`. The date
// (default: today, UTC) becomes the seed's referenceDate; the emulator shifts every date by the
// days between it and the day it starts, so the committed file stays "relative to today".
import { writeFileSync } from 'node:fs';
import { demoSeedJson } from './demo-seed.ts';
import { DEMO_SEED_PATH } from './load-seeds.ts';
import { SeedClock } from './seed-clock.ts';

const date = process.argv[2] ?? SeedClock.ofDay(new Date()).date;
const text = demoSeedJson(date);
writeFileSync(DEMO_SEED_PATH, text);
const seed = JSON.parse(text) as { tenants: Array<{ initialDomain: string; users: unknown[] }> };
for (const t of seed.tenants) console.log(`${t.initialDomain}: ${t.users.length} users`);
console.log(`wrote ${DEMO_SEED_PATH} (referenceDate ${date}, ${(text.length / 1024).toFixed(0)} KiB)`);
