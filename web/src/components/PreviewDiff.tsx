// The preview as a before/after diff, step by step: what each step will change, what it will leave
// alone and why, and what to watch out for. It was read live from the tenant when the card was made.
import { Badge, makeStyles, tokens } from '@fluentui/react-components';
import { Warning16Regular } from '@fluentui/react-icons';
import { humanize, isSecret, MASK, show } from '../lib/format.ts';
import type { Change, StepPreview } from '../lib/types.ts';

const useStyles = makeStyles({
  steps: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '12px' },
  head: { display: 'flex', alignItems: 'center', gap: '8px', flexWrap: 'wrap', fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase300 },
  num: {
    width: '20px', height: '20px', borderRadius: '50%', background: tokens.colorNeutralBackground4, color: tokens.colorNeutralForeground2,
    display: 'inline-grid', placeItems: 'center', fontSize: tokens.fontSizeBase100, flexShrink: 0,
  },
  muted: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, margin: '4px 0 0 28px' },
  uses: { margin: '4px 0 0 28px', fontSize: tokens.fontSizeBase200, display: 'grid', rowGap: '2px' },
  useRow: { display: 'flex', gap: '8px', minWidth: 0 },
  useKey: { color: tokens.colorNeutralForeground3, flexShrink: 0, minWidth: '96px' },
  useValue: { margin: 0, overflowWrap: 'anywhere', minWidth: 0 },
  table: { width: 'calc(100% - 28px)', marginLeft: '28px', marginTop: '6px', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase200, tableLayout: 'fixed' },
  th: {
    textAlign: 'left', fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground3, padding: '4px 8px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  td: { padding: '5px 8px', verticalAlign: 'top', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, overflowWrap: 'anywhere' },
  before: { background: tokens.colorPaletteRedBackground1, color: tokens.colorPaletteRedForeground1, textDecorationLine: 'line-through', padding: '1px 4px', borderRadius: '3px' },
  after: { background: tokens.colorPaletteGreenBackground1, color: tokens.colorPaletteGreenForeground1, padding: '1px 4px', borderRadius: '3px' },
  same: { color: tokens.colorNeutralForeground3 },
  list: { margin: '4px 0 0 28px', paddingLeft: '18px', fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  warn: { display: 'flex', gap: '6px', alignItems: 'flex-start', margin: '6px 0 0 28px', fontSize: tokens.fontSizeBase200, color: tokens.colorPaletteDarkOrangeForeground1 },
  colObject: { width: '30%' },
  colField: { width: '22%' },
  narrowHide: { '@media (max-width: 560px)': { display: 'none' } },
});

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "authenticationMethod:fido2:<guid>" reads "Authentication method (fido2)". */
function fieldLabel(field: string): string {
  const [head, ...rest] = field.split(':');
  const extra = rest.filter((p) => !GUID.test(p));
  return `${humanize(head ?? field)}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

function valueText(v: unknown, field: string): string {
  if (v === null || v === undefined || v === '') return '(none)';
  if (typeof v === 'string') return isSecret(field) && v !== MASK ? MASK : v;
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ') : '(none)';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function ChangeRow({ c }: { c: Change }) {
  const s = useStyles();
  const before = valueText(c.before, c.field);
  const after = valueText(c.after, c.field);
  const unchanged = before === after && before !== MASK;
  return (
    <tr>
      <td className={`${s.td} ${s.narrowHide}`}>{c.object}</td>
      <td className={s.td}>{fieldLabel(c.field)}</td>
      <td className={s.td}>{unchanged ? <span className={s.same}>{before}</span> : <span className={s.before}><span className="visually-hidden">before: </span>{before}</span>}</td>
      <td className={s.td}>{unchanged ? <span className={s.same}>unchanged</span> : <span className={s.after}>{after}</span>}</td>
    </tr>
  );
}

/** A step that waits for earlier ones: what it will use, as far as it is known now. */
function Uses({ inputs }: { inputs: Record<string, unknown> }) {
  const s = useStyles();
  const rows = Object.entries(inputs).filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && !v.length));
  if (!rows.length) return null;
  return (
    <dl className={s.uses} aria-label="It will use">
      {rows.map(([k, v]) => (
        <div key={k} className={s.useRow}><dt className={s.useKey}>{humanize(k)}</dt><dd className={s.useValue}>{isSecret(k) ? MASK : show(v)}</dd></div>
      ))}
    </dl>
  );
}

export function PreviewDiff({ steps }: { steps: StepPreview[] }) {
  const s = useStyles();
  if (!steps.length) return null;
  return (
    <ol className={s.steps} aria-label="What will change">
      {steps.map((st, i) => (
        <li key={st.stepId}>
          <div className={s.head}>
            <span className={s.num} aria-hidden="true">{i + 1}</span>
            <span>{st.title}</span>
            {st.alreadyDone && <Badge appearance="outline" color="success" size="small">Already done</Badge>}
            {st.skipped && <Badge appearance="outline" color="informative" size="small">Will be skipped</Badge>}
          </div>
          {st.skipped && <div className={s.muted}>{st.skipped}</div>}
          {st.deferred && <div className={s.muted}>Depends on earlier steps: its exact changes are worked out when the run reaches it.</div>}
          {st.deferred && !!st.inputs && <Uses inputs={st.inputs} />}
          {!!st.changes?.length && (
            <table className={s.table}>
              <thead>
                <tr>
                  <th className={`${s.th} ${s.colObject} ${s.narrowHide}`} scope="col">Object</th>
                  <th className={`${s.th} ${s.colField}`} scope="col">Setting</th>
                  <th className={s.th} scope="col">Before</th>
                  <th className={s.th} scope="col">After</th>
                </tr>
              </thead>
              <tbody>{st.changes.map((c, j) => <ChangeRow key={j} c={c} />)}</tbody>
            </table>
          )}
          {!st.skipped && !st.deferred && !st.changes?.length && !st.alreadyDone && (
            // A step is previewed only once the card has no problem and no open question left.
            <div className={s.muted}>{st.calls ? 'Reads only: nothing changes.' : 'Not previewed yet: its changes are shown once the problems or questions above are settled.'}</div>
          )}
          {!!st.skippedItems?.length && (
            <ul className={s.list} aria-label="Left alone">
              {st.skippedItems.map((x, j) => <li key={j}><strong>{x.item}</strong>: {x.reason}</li>)}
            </ul>
          )}
          {st.warnings?.map((w, j) => (
            <div key={j} className={s.warn}><Warning16Regular aria-hidden="true" style={{ flexShrink: 0, marginTop: '1px' }} /><span>{w}</span></div>
          ))}
        </li>
      ))}
    </ol>
  );
}
