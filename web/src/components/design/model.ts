// The designer's editing model: a definition as the form holds it (every value as the text typed,
// each row with a stable key so a renamed step keeps its place and its focus), and the conversions
// to and from the stored definition.
import type { CatalogAction, DefParameter, DefStep, Definition, ParamType } from '../../lib/design-api.ts';
import { formatInputValue, parseInputText, type Schema } from './schema-check.ts';

export interface EditParam {
  key: string;
  name: string;
  type: ParamType;
  required: boolean;
  format: string;
  defaultText: string;
  description: string;
  secret: boolean;
}

export interface EditStep {
  key: string;
  id: string;
  name: string;
  action: string;
  /** Input name → the text typed; absent or '' means unbound. */
  inputs: Record<string, string>;
  when: string;
  parallel: string;
  continueOnError: boolean;
  timeoutSeconds: string;
  retry: boolean;
  maxAttempts: string;
  backoffSeconds: string;
}

export interface EditOutput {
  key: string;
  name: string;
  value: string;
}

export interface EditState {
  id?: string;
  name: string;
  description: string;
  category: string;
  params: EditParam[];
  steps: EditStep[];
  outputs: EditOutput[];
}

let seq = 0;
export const newKey = (prefix: string) => `${prefix}${++seq}`;

export const emptyState = (): EditState => ({ name: '', description: '', category: '', params: [], steps: [], outputs: [] });

export function newParam(name = ''): EditParam {
  return { key: newKey('p'), name, type: 'string', required: false, format: '', defaultText: '', description: '', secret: false };
}

/** A step id from the action, unique among the others: "assign-license", "assign-license-2". */
export function stepIdFor(action: string, taken: readonly string[]): string {
  const base = action.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z]+/, '') || 'step';
  for (let i = 1; ; i++) {
    const id = i === 1 ? base : `${base}-${i}`;
    if (!taken.includes(id)) return id;
  }
}

export function newStep(action: string, taken: readonly string[]): EditStep {
  return {
    key: newKey('s'), id: stepIdFor(action, taken), name: '', action, inputs: {}, when: '', parallel: '', continueOnError: false,
    timeoutSeconds: '', retry: false, maxAttempts: '3', backoffSeconds: '2',
  };
}

function defaultText(p: DefParameter): string {
  if (p.default === undefined || p.default === null) return '';
  if (Array.isArray(p.default)) return p.default.map(String).join(', ');
  return String(p.default);
}

export function fromDefinition(def: Definition): EditState {
  return {
    ...(def.id ? { id: def.id } : {}),
    name: def.name ?? '',
    description: def.description ?? '',
    category: def.category ?? '',
    params: (def.parameters ?? []).map((p) => ({
      key: newKey('p'), name: p.name, type: p.type ?? 'string', required: !!p.required, format: p.format ?? '', defaultText: defaultText(p),
      description: p.description ?? '', secret: !!p.secret,
    })),
    steps: (def.steps ?? []).map((s) => ({
      key: newKey('s'), id: s.id, name: s.name ?? '', action: s.action,
      inputs: Object.fromEntries(Object.entries(s.inputs ?? {}).map(([k, v]) => [k, formatInputValue(v)])),
      when: s.when ?? '', parallel: s.parallel ?? '', continueOnError: !!s.continueOnError,
      timeoutSeconds: s.timeoutSeconds !== undefined ? String(s.timeoutSeconds) : '',
      retry: !!s.retry, maxAttempts: String(s.retry?.maxAttempts ?? 3), backoffSeconds: String(s.retry?.backoffSeconds ?? 2),
    })),
    outputs: Object.entries(def.outputs ?? {}).map(([name, v]) => ({ key: newKey('o'), name, value: formatInputValue(v) })),
  };
}

function paramDefault(p: EditParam): unknown {
  const t = p.defaultText.trim();
  if (!t) return undefined;
  switch (p.type) {
    case 'boolean': return /^(true|yes|1)$/i.test(t) ? true : /^(false|no|0)$/i.test(t) ? false : t;
    case 'integer':
    case 'number': return Number.isFinite(Number(t)) ? Number(t) : t;
    case 'string[]': return t.split(',').map((x) => x.trim()).filter(Boolean);
    default: return p.defaultText;
  }
}

const num = (t: string): number | undefined => (t.trim() && Number.isFinite(Number(t)) ? Number(t) : undefined);

export function inputSchema(actions: ReadonlyMap<string, CatalogAction>, action: string, input: string): Schema | undefined {
  return actions.get(action)?.parameters.properties?.[input] as Schema | undefined;
}

/** The stored definition; empty fields are left out so the server's defaults apply. */
export function toDefinition(st: EditState, actions: ReadonlyMap<string, CatalogAction>): Definition {
  const parameters: DefParameter[] = st.params.map((p) => {
    const d = paramDefault(p);
    return {
      name: p.name, type: p.type, required: p.required, description: p.description,
      ...(p.format ? { format: p.format as DefParameter['format'] } : {}),
      ...(d !== undefined ? { default: d } : {}),
      ...(p.secret ? { secret: true } : {}),
    };
  });
  const steps: DefStep[] = st.steps.map((s) => {
    const inputs: Record<string, unknown> = {};
    for (const [k, text] of Object.entries(s.inputs)) if (text.trim() !== '') inputs[k] = parseInputText(text, inputSchema(actions, s.action, k));
    const timeout = num(s.timeoutSeconds);
    return {
      id: s.id, action: s.action, inputs, continueOnError: s.continueOnError,
      ...(s.name.trim() ? { name: s.name } : {}),
      ...(s.when.trim() ? { when: s.when.trim() } : {}),
      ...(s.parallel.trim() ? { parallel: s.parallel.trim() } : {}),
      ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
      ...(s.retry ? { retry: { maxAttempts: num(s.maxAttempts) ?? 3, backoffSeconds: num(s.backoffSeconds) ?? 2 } } : {}),
    };
  });
  const outputs: Record<string, unknown> = {};
  for (const o of st.outputs) if (o.name.trim()) outputs[o.name.trim()] = o.value;
  return {
    ...(st.id ? { id: st.id } : {}),
    name: st.name, description: st.description, ...(st.category.trim() ? { category: st.category.trim() } : {}),
    parameters, steps, outputs,
  };
}

/** The DOM id of a field, so a problem in the validation list can focus it. */
export function fieldDomId(kind: 'step' | 'param' | 'output' | 'workflow', key: string, field: string): string {
  return `wf-${kind}-${key}-${field.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
