// What a step input or a `when` condition may refer to at a given step, for completion:
// parameters, conversation context, the tenant and its defaults, and earlier steps' outputs. Outputs
// are learned from the workflows already in use (an action's outputs appear there as
// steps.<id>.outputs.<name>), since the catalog lists only inputs.
import type { Definition } from '../../lib/design-api.ts';
import type { EditState } from './model.ts';

export interface Suggestion {
  path: string;
  detail: string;
}

export interface BindingScope {
  /** Output names per action id. */
  outputsByAction: ReadonlyMap<string, readonly string[]>;
  /** Parameter and output names that hold secrets, per action id (offered last, and marked). */
  secretsByAction: ReadonlyMap<string, readonly string[]>;
  tenantDefaults: readonly string[];
}

const REF = /\{\{\s*([^}]+?)\s*\}\}|\bsteps\.[A-Za-z][\w-]*\.outputs\.[\w-]+/g;

/** Learns output names per action from existing definitions. */
export function learnOutputs(defs: readonly Definition[]): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const def of defs) {
    const actionOf = new Map(def.steps.map((s) => [s.id, s.action]));
    const texts: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'string') texts.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    for (const s of def.steps) { walk(s.inputs); if (s.when) texts.push(s.when); }
    walk(def.outputs);
    for (const t of texts) {
      for (const m of t.matchAll(REF)) {
        for (const alt of (m[1] ?? m[0]).split('||')) {
          const parts = alt.trim().split('.');
          if (parts[0] !== 'steps' || parts[2] !== 'outputs' || !parts[3]) continue;
          const action = actionOf.get(parts[1]!);
          if (!action) continue;
          if (!out.has(action)) out.set(action, new Set());
          out.get(action)!.add(parts[3]);
        }
      }
    }
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}

/** Everything a binding in step `stepIndex` (or the workflow outputs, at steps.length) may use. */
export function suggestionsAt(st: EditState, stepIndex: number, scope: BindingScope): Suggestion[] {
  const out: Suggestion[] = [];
  for (const p of st.params) if (p.name) out.push({ path: `params.${p.name}`, detail: `parameter, ${p.type}${p.required ? ', required' : ''}` });
  out.push({ path: 'context.subjectUser', detail: 'the user the conversation is about' });
  out.push({ path: 'context.requester', detail: 'who raised the ticket' });
  for (const f of ['displayName', 'domain', 'id']) out.push({ path: `tenant.${f}`, detail: 'the tenant the run is for' });
  for (const d of scope.tenantDefaults) out.push({ path: `tenant.defaults.${d}`, detail: 'tenant default' });
  const here = st.steps[stepIndex];
  // Steps in the same parallel group run at once, so they cannot read each other.
  const group = here?.parallel.trim();
  let start = stepIndex;
  if (group) while (start > 0 && st.steps[start - 1]!.parallel.trim() === group) start--;
  for (const s of st.steps.slice(0, start)) {
    if (!s.id) continue;
    const secret = new Set(scope.secretsByAction.get(s.action) ?? []);
    const names = [...(scope.outputsByAction.get(s.action) ?? [])].sort((a, b) => Number(secret.has(a)) - Number(secret.has(b)));
    for (const n of names) out.push({ path: `steps.${s.id}.outputs.${n}`, detail: `${secret.has(n) ? 'secret ' : ''}output of step ${s.id} (${s.action})` });
    if (!names.length) out.push({ path: `steps.${s.id}.outputs.`, detail: `an output of step ${s.id} (${s.action})` });
    out.push({ path: `steps.${s.id}.state`, detail: `how step ${s.id} ended` });
  }
  return out;
}

export interface Completion {
  /** Where the replaced text starts and ends. */
  from: number;
  to: number;
  prefix: string;
  /** Whether "}}" must be added after the inserted path. */
  close: boolean;
}

/**
 * The completion at the caret: in a value, inside an open `{{`; in a condition, the dotted name
 * being typed. Null when there is nothing to complete.
 */
export function completionAt(text: string, caret: number, mode: 'value' | 'condition'): Completion | null {
  const before = text.slice(0, caret);
  if (mode === 'value') {
    const open = before.lastIndexOf('{{');
    if (open < 0 || before.slice(open).includes('}}')) return null;
    const inner = before.slice(open + 2);
    const alt = inner.lastIndexOf('||');
    const startInner = alt >= 0 ? alt + 2 : 0;
    const lead = inner.slice(startInner).match(/^\s*/)![0].length;
    const from = open + 2 + startInner + lead;
    const prefix = before.slice(from);
    if (/\s/.test(prefix)) return null;
    const rest = text.slice(caret);
    const word = rest.match(/^[\w.-]*/)![0];
    return { from, to: caret + word.length, prefix, close: !/^[\w.-]*\s*(\|\||\}\})/.test(rest) };
  }
  const m = before.match(/[A-Za-z_][\w.-]*$/);
  const prefix = m ? m[0] : '';
  if (!prefix && before.length && !/[\s(!&|=]$/.test(before)) return null;
  const word = text.slice(caret).match(/^[\w.-]*/)![0];
  return { from: caret - prefix.length, to: caret + word.length, prefix, close: false };
}

export function filterSuggestions(all: readonly Suggestion[], prefix: string, limit = 12): Suggestion[] {
  const p = prefix.toLowerCase();
  const starts = all.filter((s) => s.path.toLowerCase().startsWith(p));
  const contains = p ? all.filter((s) => !s.path.toLowerCase().startsWith(p) && s.path.toLowerCase().includes(p)) : [];
  return [...starts, ...contains].slice(0, limit);
}

/** The text after accepting a suggestion, and where the caret goes. */
export function applySuggestion(text: string, c: Completion, path: string): { text: string; caret: number } {
  const open = path.endsWith('.');
  const insert = c.close && !open ? `${path}}}` : path;
  const next = text.slice(0, c.from) + insert + text.slice(c.to);
  return { text: next, caret: c.from + insert.length };
}
