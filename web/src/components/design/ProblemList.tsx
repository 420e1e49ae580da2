// The designer's live validation list: each problem names its step and field, and activating it
// takes the focus to that field.
import { Spinner, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { CheckmarkCircle16Regular, DismissCircle16Filled, Warning16Filled } from '@fluentui/react-icons';
import type { LintProblem } from '../../lib/design-api.ts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: '6px' },
  head: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold, display: 'flex', alignItems: 'center', gap: '8px' },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '4px' },
  item: {
    width: '100%', textAlign: 'left', display: 'grid', gridTemplateColumns: '16px 1fr', gap: '2px 8px', padding: '6px 8px', cursor: 'pointer',
    border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, background: tokens.colorNeutralBackground1,
    font: 'inherit', fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground1,
    ':hover': { background: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '1px' },
  },
  error: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
  where: { gridColumn: '2', fontFamily: tokens.fontFamilyMonospace, color: tokens.colorNeutralForeground3 },
  msg: { gridColumn: '2', overflowWrap: 'anywhere' },
  ok: { display: 'flex', alignItems: 'center', gap: '6px', color: tokens.colorPaletteGreenForeground1, fontSize: tokens.fontSizeBase200 },
});

export function where(p: LintProblem): string {
  if (p.step) return `step ${p.step}${p.field ? ` · ${p.field}` : ''}`;
  return p.field ?? 'workflow';
}

export function ProblemList({ problems, checking, onSelect }: { problems: LintProblem[]; checking: boolean; onSelect: (p: LintProblem) => void }) {
  const s = useStyles();
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  return (
    <section className={s.root} aria-label="Validation" aria-live="polite">
      <h2 className={s.head}>
        Validation
        {checking && <Spinner size="extra-tiny" aria-label="Checking" />}
      </h2>
      {problems.length === 0 ? (
        <span className={s.ok} data-testid="valid"><CheckmarkCircle16Regular aria-hidden="true" />No problems found.</span>
      ) : (
        <>
          <span>{`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`}</span>
          <ul className={s.list} aria-label="Problems">
            {problems.map((p, i) => (
              <li key={`${p.code}-${p.step ?? ''}-${p.field ?? ''}-${i}`}>
                <button type="button" className={s.item} onClick={() => onSelect(p)} data-problem-code={p.code} data-problem-step={p.step ?? ''}>
                  {p.severity === 'error'
                    ? <DismissCircle16Filled className={s.error} aria-label="Error" />
                    : <Warning16Filled className={s.warning} aria-label="Warning" />}
                  <span className={s.where}>{where(p)}</span>
                  <span className={mergeClasses(s.msg)}>{p.message}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
