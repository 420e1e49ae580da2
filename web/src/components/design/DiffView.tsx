// A readable diff between two workflow versions, as the server computes it: a one-line summary,
// then the changes grouped by what they touch (the workflow, each parameter, each step, outputs),
// each with its sentence and, where there is one, the value before and after.
import { Badge, makeStyles, tokens, type BadgeProps } from '@fluentui/react-components';
import type { Diff, DiffChange } from '../../lib/design-api.ts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: '12px' },
  summary: { margin: 0, color: tokens.colorNeutralForeground2 },
  group: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, background: tokens.colorNeutralBackground1, overflow: 'hidden' },
  groupHead: {
    margin: 0, padding: '8px 12px', display: 'flex', alignItems: 'center', gap: '8px', flexWrap: 'wrap', fontSize: tokens.fontSizeBase300,
    fontWeight: tokens.fontWeightSemibold, background: tokens.colorNeutralBackground2, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  id: { fontFamily: tokens.fontFamilyMonospace },
  list: { listStyle: 'none', margin: 0, padding: '4px 0' },
  item: { padding: '6px 12px', display: 'flex', flexDirection: 'column', gap: '4px', fontSize: tokens.fontSizeBase300 },
  values: { display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '2px 8px', fontSize: tokens.fontSizeBase200, alignItems: 'baseline' },
  label: { color: tokens.colorNeutralForeground3 },
  before: {
    fontFamily: tokens.fontFamilyMonospace, background: tokens.colorPaletteRedBackground1, color: tokens.colorPaletteRedForeground1,
    padding: '1px 4px', borderRadius: '3px', overflowWrap: 'anywhere', whiteSpace: 'pre-wrap',
  },
  after: {
    fontFamily: tokens.fontFamilyMonospace, background: tokens.colorPaletteGreenBackground1, color: tokens.colorPaletteGreenForeground1,
    padding: '1px 4px', borderRadius: '3px', overflowWrap: 'anywhere', whiteSpace: 'pre-wrap',
  },
  empty: { color: tokens.colorNeutralForeground3 },
});

const opColors: Record<DiffChange['op'], BadgeProps['color']> = { added: 'success', removed: 'danger', changed: 'warning', moved: 'informative' };

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v, null, 1)?.replace(/\n\s*/g, ' ') ?? String(v);
}

function groupKey(c: DiffChange): string {
  return c.scope === 'workflow' ? 'workflow' : `${c.scope}:${c.id ?? ''}`;
}

function groupTitle(c: DiffChange): React.ReactNode {
  if (c.scope === 'workflow') return 'Workflow';
  const word = c.scope === 'parameter' ? 'Parameter' : c.scope === 'step' ? 'Step' : 'Output';
  return <>{word} <span>{c.id}</span></>;
}

/** The op a group shows in its heading: added or removed when the whole thing was, else changed. */
function groupOp(cs: DiffChange[]): DiffChange['op'] {
  if (cs.some((c) => c.op === 'added' && !c.field)) return 'added';
  if (cs.some((c) => c.op === 'removed' && !c.field)) return 'removed';
  if (cs.every((c) => c.op === 'moved')) return 'moved';
  return 'changed';
}

export function summaryText(diff: Diff): string {
  const d = diff.summary;
  const parts: string[] = [];
  const own = diff.changes.filter((c) => c.scope === 'workflow').length;
  if (own) parts.push(`the workflow's ${diff.changes.filter((c) => c.scope === 'workflow').map((c) => c.field).join(' and ')} changed`);
  const n = (k: number, what: string, done: string) => { if (k) parts.push(`${k} ${what}${k === 1 ? '' : 's'} ${done}`); };
  n(d.stepsAdded, 'step', 'added');
  n(d.stepsRemoved, 'step', 'removed');
  n(d.stepsChanged, 'step', 'changed');
  n(d.stepsMoved, 'step', 'moved');
  n(d.parametersChanged, 'parameter', 'changed');
  n(d.outputsChanged, 'output', 'changed');
  const text = parts.join(', ');
  return parts.length ? `${text.charAt(0).toUpperCase()}${text.slice(1)}.` : 'No differences.';
}

export function DiffView({ diff, label }: { diff: Diff; label: string }) {
  const s = useStyles();
  const groups = new Map<string, DiffChange[]>();
  for (const c of diff.changes) groups.set(groupKey(c), [...(groups.get(groupKey(c)) ?? []), c]);
  return (
    <section className={s.root} aria-label={label} data-testid="diff">
      <p className={s.summary}>{summaryText(diff)}</p>
      {[...groups.values()].map((cs) => {
        const op = groupOp(cs);
        return (
          <div key={groupKey(cs[0]!)} className={s.group} data-diff-group={groupKey(cs[0]!)}>
            <h4 className={s.groupHead}>
              <Badge appearance="tint" size="small" color={opColors[op]}>{op}</Badge>
              <span className={cs[0]!.id ? s.id : undefined}>{groupTitle(cs[0]!)}</span>
            </h4>
            <ul className={s.list}>
              {cs.map((c, i) => (
                <li key={i} className={s.item}>
                  <span>{c.text}</span>
                  {c.field && (c.before !== undefined || c.after !== undefined) && c.op !== 'moved' && (
                    <span className={s.values}>
                      {c.before !== undefined && <><span className={s.label}>before</span><span className={s.before}>{show(c.before)}</span></>}
                      {c.after !== undefined && <><span className={s.label}>after</span><span className={s.after}>{show(c.after)}</span></>}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
      {!diff.changes.length && <span className={s.empty}>The two versions are the same.</span>}
    </section>
  );
}
