// The multi-step workflows that ship with the product, as data files in workflows/.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDefinition, type WorkflowDefinition } from './definition.ts';

const dir = join(import.meta.dirname, 'workflows');

let cache: WorkflowDefinition[] | undefined;

export function builtinWorkflows(): WorkflowDefinition[] {
  cache ??= readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.json'))
    .sort()
    .map((f) => {
      const def = parseDefinition(readFileSync(join(dir, f), 'utf8'), f.endsWith('.json') ? 'json' : 'yaml');
      return { ...def, id: def.id ?? f.replace(/\.(yaml|json)$/, '') };
    });
  return cache;
}
