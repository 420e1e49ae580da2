// Loads the seeds named on the command line: 'demo' (demo.seed.json next to this file), seed file
// paths, seed objects, and `--generate TENANTS:USERS` synthetic tenants.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeedFile } from '../state/model.ts';
import type { EmulatorStore } from '../state/store.ts';
import { loadGeneratedTenants } from './generate.ts';

export const DEMO_SEED_PATH = join(import.meta.dirname, 'demo.seed.json');

export function loadSeeds(store: EmulatorStore, seeds: Array<'demo' | string | SeedFile>, generate: string | undefined, now: Date): void {
  for (const s of seeds) {
    if (typeof s === 'string') store.loadSeed(readSeedFile(s === 'demo' ? DEMO_SEED_PATH : s), now);
    else store.loadSeed(s, now);
  }
  if (generate !== undefined) loadGeneratedTenants(store, generate, now);
}

export function readSeedFile(path: string): SeedFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read seed file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let seed: unknown;
  try {
    seed = JSON.parse(text);
  } catch (e) {
    throw new Error(`Seed file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (!seed || typeof seed !== 'object' || !Array.isArray((seed as SeedFile).tenants) || !Array.isArray((seed as SeedFile).apps)) {
    throw new Error(`Seed file ${path} must be an object with "apps" and "tenants" arrays.`);
  }
  return seed as SeedFile;
}
