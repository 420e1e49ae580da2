// `tenantflow actions`: the catalog with each action's parameters.
import { parseArgs } from 'node:util';
import { actionCategories } from '../../m365/actions/action.ts';
import { actionCatalog, actionJsonSchema } from '../../m365/actions/catalog.ts';
import type { PropertySchema } from '../param-values.ts';
import { bold, dim } from '../card.ts';

interface JsonSchemaObject {
  properties?: Record<string, PropertySchema>;
  required?: string[];
}

/** "text", "text|list", "true|false", "All|Known|None": what a technician may type. */
function kindOf(p: PropertySchema): string {
  const names: Record<string, string> = { string: 'text', integer: 'number', number: 'number', boolean: 'true|false', array: 'list', null: 'null' };
  if (p.enum) return p.enum.join('|');
  const types = [p.type ?? [], ...(p.anyOf ?? []).map((a) => (a.enum ? a.enum.join('|') : a.type ?? []))].flat();
  return [...new Set(types.map((t) => names[t] ?? t))].join('|') || 'value';
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    console.log('Usage: tenantflow actions [--json]\n\nLists every catalog action with its parameters.');
    return 0;
  }
  // Grouped by category in the catalog's category order, so each heading appears once.
  const list = [...actionCatalog.values()]
    .map((a) => ({ id: a.id, title: a.title, category: a.category, description: a.description, reversible: a.undo.reversible, readOnly: a.readOnly === true, parameters: actionJsonSchema(a) as JsonSchemaObject }))
    .sort((x, y) => actionCategories.indexOf(x.category) - actionCategories.indexOf(y.category));
  if (values.json) {
    console.log(JSON.stringify(list, null, 2));
    return 0;
  }
  let category = '';
  for (const a of list) {
    if (a.category !== category) {
      category = a.category;
      console.log(`\n${bold(category.toUpperCase())}`);
    }
    console.log(`  ${bold(a.id.padEnd(30))} ${a.title}${a.readOnly ? dim('  (read-only)') : a.reversible ? '' : dim('  (cannot be undone)')}`);
    const required = new Set(a.parameters.required ?? []);
    for (const [name, p] of Object.entries(a.parameters.properties ?? {})) {
      const kind = kindOf(p);
      const dflt = p.default !== undefined && !/\bdefault\b/i.test(p.description ?? '') ? ` Default: ${JSON.stringify(p.default)}.` : '';
      console.log(`      ${(required.has(name) ? name : `[${name}]`).padEnd(24)} ${dim(kind.padEnd(14))} ${p.description ?? ''}${dflt}`);
    }
  }
  console.log(`\n${list.length} actions. Run one with: tenantflow action <id> --tenant T --param k=v … [--dry-run] [--yes] [--json]`);
  return 0;
}
