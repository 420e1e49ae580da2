// Live progress of a run: the overall percentage and elapsed time, then one row per step with its
// state icon, name and duration. Every row and column has its final size from the start, so nothing
// moves while events stream in; a row expands (by the person's choice) to show inputs and outputs.
import { useEffect, useState } from 'react';
import { Button, ProgressBar, Spinner, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import {
  CheckmarkCircle20Filled, ChevronDown20Regular, ChevronRight20Regular, Circle20Regular, DismissCircle20Filled, SubtractCircle20Regular,
} from '@fluentui/react-icons';
import { clock, duration } from '../lib/format.ts';
import type { LiveRun } from '../lib/run-store.ts';
import { isTerminal, type StepState, type StepView } from '../lib/types.ts';
import { ErrorBox } from './ErrorBox.tsx';
import { KeyValues } from './KeyValues.tsx';

const useStyles = makeStyles({
  summary: { display: 'grid', gridTemplateColumns: '1fr 48px auto', alignItems: 'center', gap: '12px', marginBottom: '8px' },
  pct: { textAlign: 'right', fontWeight: tokens.fontWeightSemibold },
  elapsed: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, whiteSpace: 'nowrap', minWidth: '92px', textAlign: 'right' },
  rows: { listStyle: 'none', margin: 0, padding: 0, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  row: { borderTop: `1px solid ${tokens.colorNeutralStroke3}`, ':first-child': { borderTop: 'none' } },
  line: { display: 'grid', gridTemplateColumns: '24px 1fr 76px 32px', alignItems: 'center', gap: '8px', minHeight: '40px', padding: '0 4px 0 10px' },
  icon: { width: '20px', height: '20px', display: 'grid', placeItems: 'center' },
  name: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  pending: { color: tokens.colorNeutralForeground3 },
  completed: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  skipped: { color: tokens.colorNeutralForeground3 },
  dur: { textAlign: 'right', color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  detail: { padding: '4px 12px 12px 42px', display: 'flex', flexDirection: 'column', gap: '10px' },
  sub: { fontSize: tokens.fontSizeBase200, fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2, marginBottom: '2px' },
  summaryText: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  err: { padding: '0 12px 10px 42px' },
});

export function StateIcon({ state }: { state: StepState }) {
  const s = useStyles();
  const icon = (() => {
    switch (state) {
      case 'Pending': return <Circle20Regular className={s.pending} />;
      case 'Running': return <Spinner size="extra-tiny" />;
      case 'Completed': return <CheckmarkCircle20Filled className={s.completed} />;
      case 'Failed': return <DismissCircle20Filled className={s.failed} />;
      case 'Skipped': return <SubtractCircle20Regular className={s.skipped} />;
    }
  })();
  return <span className={s.icon} role="img" aria-label={state} title={state} data-step-state={state}>{icon}</span>;
}

/** Re-renders every second while `active`, for a ticking clock. */
function useTick(active: boolean): void {
  const [, setN] = useState(0);
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setN((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [active]);
}

function StepRow({ step, secrets }: { step: StepView; secrets: readonly string[] }) {
  const s = useStyles();
  const [open, setOpen] = useState(false);
  const detailId = `step-${step.id}-detail`;
  const canOpen = step.state !== 'Pending';
  return (
    <li className={s.row} data-step={step.id} data-step-state={step.state}>
      <div className={s.line}>
        <StateIcon state={step.state} />
        <span className={mergeClasses(s.name, step.state === 'Pending' && s.pending)}>{step.name}</span>
        <span className={mergeClasses(s.dur, 'tabular')}>{step.state === 'Running' ? 'running' : duration(step.durationMs)}</span>
        <Button
          appearance="subtle"
          size="small"
          icon={open ? <ChevronDown20Regular /> : <ChevronRight20Regular />}
          aria-expanded={open}
          aria-controls={open ? detailId : undefined}
          aria-label={`${open ? 'Hide' : 'Show'} inputs and outputs of ${step.name}`}
          disabled={!canOpen}
          onClick={() => setOpen(!open)}
        />
      </div>
      {step.state === 'Failed' && step.error && (
        <div className={s.err}><ErrorBox error={step.error} title={`${step.name} failed`} /></div>
      )}
      {open && (
        <div className={s.detail} id={detailId}>
          {step.summary && <div className={s.summaryText}>{step.summary}</div>}
          {step.skipReason && <div className={s.summaryText}>Skipped: {step.skipReason}</div>}
          <div><div className={s.sub}>Inputs</div><KeyValues values={step.inputs} secrets={secrets} label={`Inputs of ${step.name}`} /></div>
          <div><div className={s.sub}>Outputs</div><KeyValues values={step.outputs} secrets={secrets} label={`Outputs of ${step.name}`} /></div>
          {!!step.skipped.length && (
            <div>
              <div className={s.sub}>Left alone</div>
              <ul style={{ margin: 0, paddingLeft: '18px', fontSize: tokens.fontSizeBase200 }}>
                {step.skipped.map((x, i) => <li key={i}><strong>{x.item}</strong>: {x.reason}</li>)}
              </ul>
            </div>
          )}
          {step.attempts > 1 && <div className={s.summaryText}>{`Took ${step.attempts} attempts (transient errors were retried).`}</div>}
        </div>
      )}
    </li>
  );
}

export function StepProgress({ live, secrets = [] }: { live: LiveRun; secrets?: readonly string[] }) {
  const s = useStyles();
  const { run } = live;
  const running = run.state === 'Running' || run.state === 'Approved';
  useTick(running);
  const elapsed = running && run.state === 'Running' ? live.elapsedAt.ms + (performance.now() - live.elapsedAt.at) : run.elapsedMs || live.elapsedAt.ms;
  const pct = Math.round(run.percent);
  return (
    <section aria-label="Progress">
      <div className={s.summary}>
        <ProgressBar value={pct / 100} thickness="large" color={run.state === 'Failed' ? 'error' : run.state === 'Completed' ? 'success' : 'brand'} aria-label={`Progress ${pct}%`} />
        <span className={mergeClasses(s.pct, 'tabular')} data-testid="run-percent">{`${pct}%`}</span>
        <span className={mergeClasses(s.elapsed, 'tabular')}>{isTerminal(run.state) ? `Took ${duration(run.elapsedMs)}` : `Elapsed ${clock(elapsed)}`}</span>
      </div>
      <ol className={s.rows} aria-label="Steps">
        {run.steps.map((st) => <StepRow key={st.id} step={st} secrets={secrets} />)}
      </ol>
    </section>
  );
}
