// Renders an action card for a terminal: parameters (secrets masked), planned calls, the
// before/after diff, skipped items and warnings; and the outputs of a finished step.
import { MASK } from '../core/secrets.ts';
import type { ActionDefinition, Preview } from '../m365/actions/action.ts';

const tty = process.stdout.isTTY;
const c = (code: string, s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
export const bold = (s: string) => c('1', s);
export const dim = (s: string) => c('2', s);
export const green = (s: string) => c('32', s);
export const red = (s: string) => c('31', s);
export const yellow = (s: string) => c('33', s);

function show(v: unknown): string {
  if (v === null || v === undefined) return dim('(none)');
  if (v === '') return dim('(empty)');
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.length ? v.map(String).join(', ') : dim('(none)');
  return JSON.stringify(v);
}

export function renderCard(a: ActionDefinition, tenant: string, params: Record<string, unknown>, preview: Preview | undefined): string {
  const lines = [bold(`${a.title}  ·  ${tenant}`), dim(a.description)];
  const shownParams = Object.entries(params);
  if (shownParams.length) {
    lines.push('', bold('Parameters'));
    for (const [k, v] of shownParams) lines.push(`  ${k.padEnd(18)} ${a.secrets.includes(k) ? MASK : show(v)}`);
  }
  if (preview) {
    if (preview.alreadyDone) lines.push('', green('Already in the desired state: nothing will change.'));
    if (preview.changes.length) {
      lines.push('', bold('Changes'));
      for (const ch of preview.changes) lines.push(`  ${ch.object} · ${ch.field}: ${red(show(ch.before))} → ${green(show(ch.after))}`);
    }
    if (preview.calls.length) {
      lines.push('', bold(a.readOnly ? 'Reads' : 'Calls'));
      for (const call of preview.calls) lines.push(`  ${call.surface === 'graph' ? 'Graph   ' : 'Exchange'} ${call.method} ${call.target}  ${dim(call.description)}`);
    }
    if (preview.skipped.length) {
      lines.push('', bold('Skipped'));
      for (const s of preview.skipped) lines.push(`  ${s.item}: ${s.reason}`);
    }
    if (preview.warnings.length) {
      lines.push('', bold('Warnings'));
      for (const w of preview.warnings) lines.push(`  ${yellow('!')} ${w}`);
    }
  }
  if (a.readOnly) lines.push('', dim('Read-only: it changes nothing in the tenant.'));
  else if (!a.undo.reversible) lines.push('', dim(`Cannot be undone: ${a.undo.reason}`));
  return lines.join('\n');
}

const ID_KEYS = new Set(['id', 'userId', 'groupId', 'skuId', 'methodId']);

/** One list item on one line: its plain fields as `key: value`, ids left out when there is more. */
function itemLine(item: unknown): string {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return show(item);
  const entries = Object.entries(item as Record<string, unknown>);
  const named = entries.filter(([k]) => !ID_KEYS.has(k));
  return (named.length >= 2 ? named : entries).map(([k, v]) => `${k}: ${show(v)}`).join(', ');
}

/** The outputs of a finished step, readable: lists one item per line, secrets marked as shown once. */
export function renderOutputs(outputs: Record<string, unknown>, secrets: readonly string[]): string[] {
  const lines: string[] = [];
  const width = Math.max(22, ...Object.keys(outputs).map((k) => k.length + 1));
  for (const [k, v] of Object.entries(outputs)) {
    const label = `  ${k.padEnd(width)} `;
    if (Array.isArray(v) && v.some((x) => x !== null && typeof x === 'object')) {
      lines.push(`${label}${dim(`${v.length} item${v.length === 1 ? '' : 's'}`)}`);
      for (const item of v) lines.push(`    - ${itemLine(item)}`);
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      lines.push(label.trimEnd());
      for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) lines.push(`    ${k2.padEnd(width - 2)} ${show(v2)}`);
    } else {
      lines.push(`${label}${show(v)}${secrets.includes(k) ? dim('   (shown once; not stored)') : ''}`);
    }
  }
  return lines;
}
