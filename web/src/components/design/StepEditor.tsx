// One step of the designer: its action, its inputs (bound to parameters, context, tenant defaults or
// earlier outputs, with completion and type checking against the action's schema), its `when`
// condition, parallel group, error handling, timeout and retries. The header stays visible and
// folds the body away; move and remove are buttons, so everything works from the keyboard.
import { Badge, Button, Field, Input, Select, Switch, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ArrowDown16Regular, ArrowUp16Regular, ChevronDown16Regular, ChevronRight16Regular, Delete16Regular } from '@fluentui/react-icons';
import type { CatalogAction, LintProblem, ParamType } from '../../lib/design-api.ts';
import { BindingInput } from './BindingInput.tsx';
import type { Suggestion } from './bindings.ts';
import { fieldDomId, type EditStep } from './model.ts';
import { acceptsParamType, checkValue, describeSchema, hasReference, parseInputText, wholeReference, type Schema } from './schema-check.ts';

const useStyles = makeStyles({
  fill: { width: '100%', minWidth: 0, '> select': { minWidth: 0 } },
  card: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusLarge, background: tokens.colorNeutralBackground1 },
  faulty: { borderLeft: `4px solid ${tokens.colorPaletteRedBorder2}` },
  head: { display: 'flex', alignItems: 'center', gap: '6px', padding: '6px 8px', flexWrap: 'wrap' },
  toggle: { flexGrow: 1, justifyContent: 'flex-start', minWidth: 0, textAlign: 'left', fontWeight: tokens.fontWeightRegular },
  num: {
    width: '22px', height: '22px', borderRadius: '50%', background: tokens.colorBrandBackground2, color: tokens.colorBrandForeground2,
    display: 'inline-grid', placeItems: 'center', fontSize: tokens.fontSizeBase200, flexShrink: 0, fontWeight: tokens.fontWeightSemibold,
  },
  title: { display: 'flex', flexDirection: 'column', minWidth: 0, alignItems: 'flex-start' },
  id: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3 },
  badges: { display: 'flex', gap: '4px', flexWrap: 'wrap' },
  body: { padding: '4px 14px 14px', display: 'flex', flexDirection: 'column', gap: '12px', borderTop: `1px solid ${tokens.colorNeutralStroke3}` },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))', gap: '10px 12px', paddingTop: '10px', alignItems: 'start', '> *': { minWidth: 0 } },
  h3: { margin: '4px 0 0', fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  inputs: { display: 'flex', flexDirection: 'column', gap: '10px' },
  runGrid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(160px, 1fr))', gap: '10px 12px', alignItems: 'start', '> *': { minWidth: 0 } },
  mono: { fontFamily: tokens.fontFamilyMonospace },
});

export interface StepEditorProps {
  step: EditStep;
  index: number;
  total: number;
  actions: ReadonlyMap<string, CatalogAction>;
  suggestions: readonly Suggestion[];
  params: ReadonlyMap<string, ParamType>;
  earlierSteps: readonly string[];
  problems: LintProblem[];
  expanded: boolean;
  onToggle: () => void;
  onChange: (patch: Partial<EditStep>) => void;
  onMove: (dir: -1 | 1) => void;
  onRemove: () => void;
}

const PATHS = /\{\{\s*([^}]+?)\s*\}\}/g;

/** What is wrong with an input as typed, before the server says so. */
function inputProblem(text: string, schema: Schema | undefined, params: ReadonlyMap<string, ParamType>, earlier: readonly string[]): string | null {
  if (!text.trim() || !schema) return null;
  for (const m of text.matchAll(PATHS)) {
    for (const alt of m[1]!.split('||')) {
      const [root, name] = alt.trim().split('.');
      if (root === 'params' && name && !params.has(name)) return `No parameter '${name}'.`;
      if (root === 'steps' && name && !earlier.includes(name)) return `Step '${name}' does not run before this step, so its outputs are not there yet.`;
      if (!['params', 'steps', 'context', 'tenant'].includes(root ?? '')) return `'${alt.trim()}' must start with params., context., tenant. or steps.`;
    }
  }
  const value = parseInputText(text, schema);
  if (!hasReference(value)) return checkValue(value, schema);
  const whole = wholeReference(text);
  if (whole?.startsWith('params.')) {
    const type = params.get(whole.slice(7));
    if (type && !acceptsParamType(schema, type)) return `Parameter '${whole.slice(7)}' is ${type}; this input expects ${describeSchema(schema)}.`;
  }
  return null;
}

export function StepEditor(p: StepEditorProps) {
  const s = useStyles();
  const { step } = p;
  const action = p.actions.get(step.action);
  const props = (action?.parameters.properties ?? {}) as Record<string, Schema>;
  const required = new Set(action?.parameters.required ?? []);
  const names = [...Object.keys(props).sort((a, b) => Number(required.has(b)) - Number(required.has(a))), ...Object.keys(step.inputs).filter((k) => !(k in props) && step.inputs[k])];
  const errors = p.problems.filter((x) => x.severity === 'error').length;
  const byCategory = new Map<string, CatalogAction[]>();
  for (const a of p.actions.values()) byCategory.set(a.category, [...(byCategory.get(a.category) ?? []), a]);
  const fid = (field: string) => fieldDomId('step', step.key, field);
  const serverProblem = (field: string) => p.problems.find((x) => x.field === field);
  const label = `Step ${p.index + 1}: ${step.id}`;

  return (
    <article className={mergeClasses(s.card, errors > 0 && s.faulty)} aria-label={label} data-step-id={step.id} data-step-key={step.key}>
      <div className={s.head}>
        <Button
          appearance="transparent"
          className={s.toggle}
          icon={p.expanded ? <ChevronDown16Regular /> : <ChevronRight16Regular />}
          aria-expanded={p.expanded}
          aria-controls={`${fid('body')}`}
          onClick={p.onToggle}
          id={fid('toggle')}
        >
          <span className={s.num} aria-hidden="true">{p.index + 1}</span>
          <span className={s.title}>
            <span>{step.name || action?.title || step.action}</span>
            <span className={s.id}>{`${step.id} · ${step.action}`}</span>
          </span>
        </Button>
        <span className={s.badges}>
          {step.when.trim() && <Badge appearance="outline" size="small" color="informative">when</Badge>}
          {step.parallel.trim() && <Badge appearance="outline" size="small" color="brand">{`parallel: ${step.parallel.trim()}`}</Badge>}
          {step.continueOnError && <Badge appearance="outline" size="small" color="warning">continues on error</Badge>}
          {step.retry && <Badge appearance="outline" size="small" color="informative">retries</Badge>}
          {errors > 0 && <Badge appearance="filled" size="small" color="danger">{`${errors} error${errors === 1 ? '' : 's'}`}</Badge>}
        </span>
        <Button appearance="subtle" size="small" icon={<ArrowUp16Regular />} aria-label={`Move step ${step.id} up`} disabled={p.index === 0} onClick={() => p.onMove(-1)} />
        <Button appearance="subtle" size="small" icon={<ArrowDown16Regular />} aria-label={`Move step ${step.id} down`} disabled={p.index === p.total - 1} onClick={() => p.onMove(1)} />
        <Button appearance="subtle" size="small" icon={<Delete16Regular />} aria-label={`Remove step ${step.id}`} onClick={p.onRemove} />
      </div>
      {p.expanded && (
        <div className={s.body} id={fid('body')}>
          <div className={s.grid}>
            <Field label="Step id" required validationState={serverProblem('id') || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(step.id) ? 'error' : 'none'}
              validationMessage={!/^[A-Za-z][A-Za-z0-9_-]*$/.test(step.id) ? 'Letters, digits, - and _, starting with a letter.' : serverProblem('id')?.message}>
              <Input id={fid('id')} value={step.id} input={{ className: s.mono }} onChange={(_, d) => p.onChange({ id: d.value.trim() })} />
            </Field>
            <Field label="Name" hint="Shown on the card; the action's title when empty.">
              <Input id={fid('name')} value={step.name} onChange={(_, d) => p.onChange({ name: d.value })} />
            </Field>
            <Field label="Action" required validationState={serverProblem('action') ? 'error' : 'none'} validationMessage={serverProblem('action')?.message}>
              <Select className={s.fill} id={fid('action')} value={step.action} onChange={(_, d) => p.onChange({ action: d.value })}>
                {!action && <option value={step.action}>{step.action} (unknown)</option>}
                {[...byCategory.entries()].map(([cat, xs]) => (
                  <optgroup key={cat} label={cat}>
                    {xs.map((a) => <option key={a.id} value={a.id}>{a.title}</option>)}
                  </optgroup>
                ))}
              </Select>
            </Field>
          </div>
          <h3 className={s.h3}>Inputs</h3>
          <div className={s.inputs}>
            {names.map((name) => {
              const schema = props[name];
              const text = step.inputs[name] ?? '';
              const local = schema ? inputProblem(text, schema, p.params, p.earlierSteps) : 'The action has no such input.';
              const server = serverProblem(`inputs.${name}`);
              const message = local ?? server?.message;
              const isReq = required.has(name);
              return (
                <Field
                  key={name}
                  label={`${name}${schema ? ` (${describeSchema(schema)})` : ''}`}
                  required={isReq}
                  hint={schema?.description}
                  validationState={message ? (local || server?.severity === 'error' ? 'error' : 'warning') : 'none'}
                  validationMessage={message}
                >
                  <BindingInput
                    id={fid(`inputs.${name}`)}
                    value={text}
                    onChange={(v) => p.onChange({ inputs: { ...step.inputs, [name]: v } })}
                    suggestions={p.suggestions}
                    multiline={(schema?.maxLength ?? 0) >= 1000}
                    placeholder={isReq ? 'Type {{ to bind a value' : 'Optional'}
                  />
                </Field>
              );
            })}
            {!names.length && <span>This action takes no inputs.</span>}
          </div>
          <h3 className={s.h3}>How it runs</h3>
          <Field label="Run only when" hint="A condition such as params.group || params.department, or steps.create.state == 'Completed'. Empty: always."
            validationState={serverProblem('when') ? 'error' : 'none'} validationMessage={serverProblem('when')?.message}>
            <BindingInput id={fid('when')} mode="condition" value={step.when} onChange={(v) => p.onChange({ when: v })} suggestions={p.suggestions} placeholder="Always" />
          </Field>
          <div className={s.runGrid}>
            <Field label="Parallel group" hint="Neighbouring steps with the same group run at once."
              validationState={serverProblem('parallel') ? 'warning' : 'none'} validationMessage={serverProblem('parallel')?.message}>
              <Input id={fid('parallel')} value={step.parallel} onChange={(_, d) => p.onChange({ parallel: d.value })} />
            </Field>
            <Field label="Timeout (seconds)" hint="1 to 3600; empty: the action's own.">
              <Input id={fid('timeoutSeconds')} type="number" min={1} max={3600} value={step.timeoutSeconds} onChange={(_, d) => p.onChange({ timeoutSeconds: d.value })} />
            </Field>
            <Switch id={fid('continueOnError')} label="Continue on error" checked={step.continueOnError} onChange={(_, d) => p.onChange({ continueOnError: d.checked })} />
            <Switch id={fid('retry')} label="Retry on failure" checked={step.retry} onChange={(_, d) => p.onChange({ retry: d.checked })} />
            {step.retry && (
              <>
                <Field label="Attempts">
                  <Input id={fid('retry.maxAttempts')} type="number" min={1} max={10} value={step.maxAttempts} onChange={(_, d) => p.onChange({ maxAttempts: d.value })} />
                </Field>
                <Field label="Wait between (seconds)">
                  <Input id={fid('retry.backoffSeconds')} type="number" min={0} max={600} value={step.backoffSeconds} onChange={(_, d) => p.onChange({ backoffSeconds: d.value })} />
                </Field>
              </>
            )}
          </div>
        </div>
      )}
    </article>
  );
}
