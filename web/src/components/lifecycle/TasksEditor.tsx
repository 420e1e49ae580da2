// The tasks of a lifecycle workflow, in the order they run: each with its name, whether it is
// enabled and continues on error, and the arguments its task definition takes. Tasks whose
// definition does not fit the workflow's category are not offered.
import { useState } from 'react';
import { Button, Field, Input, Select, Switch, makeStyles, tokens } from '@fluentui/react-components';
import { Add16Regular, ArrowDown16Regular, ArrowUp16Regular, Delete16Regular } from '@fluentui/react-icons';
import type { Category, TaskDefinition } from '../../lib/lifecycle-api.ts';
import { taskKey, type DraftTask } from './draft.ts';

const useStyles = makeStyles({
  fill: { width: '100%', minWidth: 0, '> select': { minWidth: 0 } },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '8px' },
  card: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusLarge, background: tokens.colorNeutralBackground1, padding: '10px 12px', display: 'flex', flexDirection: 'column', gap: '8px' },
  head: { display: 'flex', alignItems: 'center', gap: '8px', flexWrap: 'wrap' },
  num: {
    width: '22px', height: '22px', borderRadius: '50%', background: tokens.colorBrandBackground2, color: tokens.colorBrandForeground2,
    display: 'inline-grid', placeItems: 'center', fontSize: tokens.fontSizeBase200, fontWeight: tokens.fontWeightSemibold, flexShrink: 0,
  },
  def: { flexGrow: 1, minWidth: '160px', color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(180px, 1fr))', gap: '8px 12px', alignItems: 'end', '> *': { minWidth: 0 } },
  add: { display: 'flex', gap: '8px', alignItems: 'end', flexWrap: 'wrap', marginTop: '8px' },
  addSelect: { minWidth: '240px', flexGrow: 1, maxWidth: '480px' },
});

const fits = (d: TaskDefinition, c: Category) => d.category.split(',').map((x) => x.trim()).includes(c);

export function TasksEditor({ tasks, category, definitions, onChange }: {
  tasks: DraftTask[];
  category: Category;
  definitions: TaskDefinition[];
  onChange: (next: DraftTask[]) => void;
}) {
  const s = useStyles();
  const byId = new Map(definitions.map((d) => [d.id.toLowerCase(), d]));
  const offered = definitions.filter((d) => fits(d, category));
  const [pick, setPick] = useState('');
  const set = (key: string, patch: Partial<DraftTask>) => onChange(tasks.map((t) => (t.key === key ? { ...t, ...patch } : t)));
  const move = (i: number, dir: -1 | 1) => {
    const next = [...tasks];
    const [t] = next.splice(i, 1);
    next.splice(i + dir, 0, t!);
    onChange(next);
  };
  const add = () => {
    const d = byId.get(pick.toLowerCase());
    if (!d) return;
    onChange([...tasks, { key: taskKey(), taskDefinitionId: d.id, displayName: d.displayName, description: d.description, continueOnError: false, isEnabled: true, args: {} }]);
    setPick('');
  };
  return (
    <div>
      <ol className={s.list} aria-label="Tasks">
        {tasks.map((t, i) => {
          const d = byId.get(t.taskDefinitionId.toLowerCase());
          return (
            <li key={t.key} className={s.card} data-task={t.displayName}>
              <div className={s.head}>
                <span className={s.num} aria-hidden="true">{i + 1}</span>
                <span className={s.def}>{d?.displayName ?? t.taskDefinitionId}</span>
                <Button appearance="subtle" size="small" icon={<ArrowUp16Regular />} aria-label={`Move task ${t.displayName} up`} disabled={i === 0} onClick={() => move(i, -1)} />
                <Button appearance="subtle" size="small" icon={<ArrowDown16Regular />} aria-label={`Move task ${t.displayName} down`} disabled={i === tasks.length - 1} onClick={() => move(i, 1)} />
                <Button appearance="subtle" size="small" icon={<Delete16Regular />} aria-label={`Remove task ${t.displayName}`} onClick={() => onChange(tasks.filter((x) => x.key !== t.key))} />
              </div>
              <div className={s.grid}>
                <Field label={`Task ${i + 1} name`}>
                  <Input value={t.displayName} onChange={(_, v) => set(t.key, { displayName: v.value })} />
                </Field>
                <Switch label="Enabled" checked={t.isEnabled} onChange={(_, v) => set(t.key, { isEnabled: v.checked })} />
                <Switch label="Continue on error" checked={t.continueOnError} onChange={(_, v) => set(t.key, { continueOnError: v.checked })} />
              </div>
              {!!d?.parameters.length && (
                <div className={s.grid}>
                  {d.parameters.map((p) => (
                    <Field key={p.name} label={p.name} hint={p.valueType !== 'enum' && p.values.length ? `e.g. ${p.values.join(', ')}` : undefined}>
                      {p.valueType === 'enum' ? (
                        <Select className={s.fill} value={t.args[p.name] ?? ''} onChange={(_, v) => set(t.key, { args: { ...t.args, [p.name]: v.value } })}>
                          <option value="">(default)</option>
                          {p.values.map((x) => <option key={x} value={x}>{x}</option>)}
                        </Select>
                      ) : (
                        <Input value={t.args[p.name] ?? ''} onChange={(_, v) => set(t.key, { args: { ...t.args, [p.name]: v.value } })} />
                      )}
                    </Field>
                  ))}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      <div className={s.add}>
        <Field label="Add a task" className={s.addSelect}>
          <Select className={s.fill} value={pick} onChange={(_, v) => setPick(v.value)}>
            <option value="">Choose a task…</option>
            {offered.map((d) => <option key={d.id} value={d.id}>{d.displayName}</option>)}
          </Select>
        </Field>
        <Button icon={<Add16Regular />} disabled={!pick} onClick={add}>Add task</Button>
      </div>
    </div>
  );
}
