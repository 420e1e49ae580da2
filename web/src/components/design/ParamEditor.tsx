// The workflow's parameters: name, type, format, whether required, default and description.
import { Button, Checkbox, Field, Input, Select, makeStyles, tokens } from '@fluentui/react-components';
import { Add16Regular, Delete16Regular } from '@fluentui/react-icons';
import { paramFormats, paramTypes, type LintProblem, type ParamType } from '../../lib/design-api.ts';
import { fieldDomId, newParam, type EditParam } from './model.ts';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '8px' },
  row: {
    display: 'grid', gap: '8px 10px', alignItems: 'end', padding: '10px 12px', borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`, background: tokens.colorNeutralBackground1,
    gridTemplateColumns: 'minmax(120px, 1.2fr) minmax(96px, 0.8fr) minmax(96px, 0.8fr) auto auto',
    '@media (max-width: 720px)': { gridTemplateColumns: '1fr 1fr' },
  },
  wide: { gridColumn: '1 / span 2', '@media (max-width: 720px)': { gridColumn: '1 / -1' } },
  desc: { gridColumn: '3 / -1', '@media (max-width: 720px)': { gridColumn: '1 / -1' } },
  bad: { outline: `2px solid ${tokens.colorPaletteRedBorder2}` },
  mono: { fontFamily: tokens.fontFamilyMonospace },
});

const typeWords: Record<ParamType, string> = { string: 'text', boolean: 'true/false', integer: 'whole number', number: 'number', 'string[]': 'list of text' };

export function ParamEditor({ params, problems, onChange }: { params: EditParam[]; problems: LintProblem[]; onChange: (next: EditParam[]) => void }) {
  const s = useStyles();
  const set = (key: string, patch: Partial<EditParam>) => onChange(params.map((p) => (p.key === key ? { ...p, ...patch } : p)));
  const problemOf = (p: EditParam) => problems.find((x) => !x.step && x.field === `parameters.${p.name}`);
  return (
    <div>
      <ul className={s.list} aria-label="Parameters">
        {params.map((p, i) => {
          const prob = problemOf(p);
          const nameOk = !p.name || /^[A-Za-z][A-Za-z0-9_-]*$/.test(p.name);
          return (
            <li key={p.key} className={s.row} data-param={p.name}>
              <Field
                label={`Parameter ${i + 1} name`}
                required
                validationState={!nameOk || prob?.severity === 'error' ? 'error' : prob ? 'warning' : 'none'}
                validationMessage={!nameOk ? 'Letters, digits, - and _, starting with a letter.' : prob?.message}
              >
                <Input id={fieldDomId('param', p.key, 'name')} value={p.name} input={{ className: s.mono }} onChange={(_, d) => set(p.key, { name: d.value.trim() })} />
              </Field>
              <Field label="Type">
                <Select id={fieldDomId('param', p.key, 'type')} value={p.type} onChange={(_, d) => set(p.key, { type: d.value as ParamType })}>
                  {paramTypes.map((t) => <option key={t} value={t}>{typeWords[t]}</option>)}
                </Select>
              </Field>
              <Field label="Format">
                <Select id={fieldDomId('param', p.key, 'format')} value={p.format} onChange={(_, d) => set(p.key, { format: d.value })}>
                  <option value="">any</option>
                  {paramFormats.map((f) => <option key={f} value={f}>{f}</option>)}
                </Select>
              </Field>
              <Checkbox label="Required" checked={p.required} onChange={(_, d) => set(p.key, { required: !!d.checked })} />
              <Button
                appearance="subtle"
                icon={<Delete16Regular />}
                aria-label={`Remove parameter ${p.name || i + 1}`}
                onClick={() => onChange(params.filter((x) => x.key !== p.key))}
              />
              <Field className={s.wide} label="Default" hint={p.type === 'string[]' ? 'Separate items with commas.' : undefined}>
                <Input id={fieldDomId('param', p.key, 'default')} value={p.defaultText} onChange={(_, d) => set(p.key, { defaultText: d.value })} />
              </Field>
              <Field className={s.desc} label="Description" hint="The chat asks for a missing value with this.">
                <Input id={fieldDomId('param', p.key, 'description')} value={p.description} onChange={(_, d) => set(p.key, { description: d.value })} />
              </Field>
            </li>
          );
        })}
      </ul>
      <Button style={{ marginTop: '8px' }} icon={<Add16Regular />} onClick={() => onChange([...params, newParam()])}>Add parameter</Button>
    </div>
  );
}
