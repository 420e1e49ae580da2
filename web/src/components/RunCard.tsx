// An action card. Pending: the action, the tenant, each parameter with where its value came from,
// the preview as a before/after diff, and Approve / Reject. Approved: live progress. Finished: the
// final state, the error and its fix, the one-time credential, and Undo where the run can be undone.
import { useState } from 'react';
import { Badge, Button, Link, Spinner, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ArrowUndo20Regular, Checkmark20Regular, ChevronDown20Regular, ChevronRight20Regular, Dismiss20Regular } from '@fluentui/react-icons';
import { errorText, post } from '../lib/api.ts';
import { humanize, MASK, show, sourceLabel, when } from '../lib/format.ts';
import { linkProps } from '../lib/router.ts';
import { fetchRun, followRun, markApproved, useRun, wasApprovedHere, type LiveRun } from '../lib/run-store.ts';
import { useSession } from '../lib/session.ts';
import { isTerminal, type ErrorBody, type RunView } from '../lib/types.ts';
import { ErrorBox } from './ErrorBox.tsx';
import { PreviewDiff } from './PreviewDiff.tsx';
import { SecretReveal } from './SecretReveal.tsx';
import { StateBadge } from './StateBadge.tsx';
import { StepProgress } from './StepProgress.tsx';

const useStyles = makeStyles({
  card: {
    background: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusLarge, boxShadow: tokens.shadow4,
    border: `1px solid ${tokens.colorNeutralStroke2}`, display: 'flex', flexDirection: 'column', minWidth: 0, overflow: 'hidden',
  },
  head: { display: 'flex', alignItems: 'flex-start', gap: '12px', padding: '14px 16px 10px', borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  titles: { flexGrow: 1, minWidth: 0, display: 'flex', flexDirection: 'column', gap: '2px' },
  title: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightBase400, overflowWrap: 'anywhere', margin: 0 },
  meta: { display: 'flex', gap: '6px 12px', flexWrap: 'wrap', color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  section: { padding: '12px 16px', display: 'flex', flexDirection: 'column', gap: '8px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, minWidth: 0 },
  sectionTitle: { fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  params: {
    display: 'grid', gridTemplateColumns: 'minmax(110px, max-content) minmax(0, 1fr) max-content', gap: '6px 12px', alignItems: 'center', margin: 0,
    '@media (max-width: 560px)': { gridTemplateColumns: 'minmax(0, 1fr) max-content', rowGap: '2px' },
  },
  pname: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, '@media (max-width: 560px)': { gridColumn: '1 / -1', marginTop: '6px' } },
  pvalue: { margin: 0, overflowWrap: 'anywhere' },
  actions: { display: 'flex', gap: '8px', padding: '12px 16px', alignItems: 'center', flexWrap: 'wrap' },
  hint: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  toggle: { alignSelf: 'flex-start', padding: '0', minWidth: 0 },
  final: { display: 'flex', alignItems: 'center', gap: '8px', flexWrap: 'wrap' },
  links: { display: 'flex', gap: '4px 16px', flexWrap: 'wrap', fontSize: tokens.fontSizeBase200 },
  compact: { padding: '10px 16px', color: tokens.colorNeutralForeground2 },
});

const finalText: Record<string, string> = {
  Completed: 'Every step finished.',
  Failed: 'The run stopped at a failed step. Steps before it stay done.',
  PartialSuccess: 'Some steps finished and some were left out; see each step.',
  Cancelled: 'Rejected: nothing was changed.',
};

function hasSecrets(run: RunView): boolean {
  return run.steps.some((s) => Object.values(s.outputs ?? {}).some((v) => v === MASK));
}

function Params({ run }: { run: RunView }) {
  const s = useStyles();
  const entries = Object.entries(run.params);
  if (!entries.length) return <Text className={s.hint}>No parameters.</Text>;
  return (
    <dl className={s.params} aria-label="Parameters">
      {entries.map(([k, v]) => (
        <div key={k} style={{ display: 'contents' }}>
          <dt className={s.pname}>{humanize(k)}</dt>
          <dd className={s.pvalue}>{show(v, k)}</dd>
          <dd style={{ margin: 0 }}><Badge appearance="outline" color="informative" size="small" data-source={run.paramSources[k] ?? 'derived'}>{sourceLabel(run.paramSources[k])}</Badge></dd>
        </div>
      ))}
    </dl>
  );
}

function PendingBody({ run, busy, error, onApprove, onReject }: { run: RunView; busy: 'approve' | 'reject' | null; error: ErrorBody | null; onApprove: () => void; onReject: () => void }) {
  const s = useStyles();
  const blocked = run.errors.length > 0 || run.missing.length > 0;
  return (
    <>
      <section className={s.section}>
        <h3 className={s.sectionTitle}>Parameters</h3>
        <Params run={run} />
      </section>
      {!!run.errors.length && (
        <section className={s.section} aria-label="Problems">
          {run.errors.map((e, i) => <ErrorBox key={i} error={e} title={e.param ? `Problem with ${humanize(e.param).toLowerCase()}` : 'Problem'} />)}
        </section>
      )}
      {!!run.missing.length && (
        <section className={s.section} aria-label="Missing">
          <h3 className={s.sectionTitle}>Still needed</h3>
          <ul style={{ margin: 0, paddingLeft: '18px' }}>{run.missing.map((m) => <li key={m.param}>{m.question}</li>)}</ul>
        </section>
      )}
      {run.preview && (
        <section className={s.section}>
          <h3 className={s.sectionTitle}>What will change</h3>
          <PreviewDiff steps={run.preview.steps} />
        </section>
      )}
      {error && <div className={s.section}><ErrorBox error={error} /></div>}
      <div className={s.actions}>
        <Button appearance="primary" icon={busy === 'approve' ? <Spinner size="tiny" /> : <Checkmark20Regular />} disabled={blocked || busy !== null} onClick={onApprove}>Approve</Button>
        <Button icon={busy === 'reject' ? <Spinner size="tiny" /> : <Dismiss20Regular />} disabled={busy !== null} onClick={onReject}>Reject</Button>
        <span className={s.hint}>{blocked ? 'Fix the problems above to approve; answer in the chat or ask again.' : 'Nothing runs until you approve.'}</span>
      </div>
    </>
  );
}

function Links({ run, compact }: { run: RunView; compact: boolean }) {
  const s = useStyles();
  return (
    <div className={s.links}>
      {compact && <Link {...linkProps(`/runs/${run.id}`)}>Run details</Link>}
      {run.undoOf && <Link {...linkProps(`/runs/${run.undoOf}`)}>View the run it undoes</Link>}
      {run.undoRun && <Link {...linkProps(`/runs/${run.undoRun}`)}>View its undo</Link>}
      {!compact && run.conversationId && <Link {...linkProps(`/chat/${run.conversationId}`)}>Open its conversation</Link>}
    </div>
  );
}

function LiveBody({ live, watched, onUndo, compact }: { live: LiveRun; watched: boolean; onUndo?: (id: string) => void; compact: boolean }) {
  const s = useStyles();
  const { me } = useSession();
  const { run } = live;
  const [showPlan, setShowPlan] = useState(false);
  const [undoBusy, setUndoBusy] = useState(false);
  const [undoError, setUndoError] = useState<ErrorBody | null>(null);
  const done = isTerminal(run.state);
  const canUndo = done && run.state !== 'Cancelled' && run.reversible && !run.undoRun;
  const approver = run.approvedBy === me.user.id;

  const undo = async () => {
    setUndoBusy(true);
    setUndoError(null);
    try {
      const created = await post<{ id: string }>(`/api/runs/${run.id}/undo`);
      await Promise.all([fetchRun(created.id, true), fetchRun(run.id, true)]);
      onUndo?.(created.id);
    } catch (e) {
      setUndoError(errorText(e));
    } finally {
      setUndoBusy(false);
    }
  };

  if (run.state === 'Cancelled') {
    return (
      <div className={s.compact}>
        <Text>{finalText.Cancelled}</Text>
        <Links run={run} compact={compact} />
      </div>
    );
  }
  return (
    <>
      <section className={s.section}>
        <StepProgress live={live} />
      </section>
      {done && (
        <section className={s.section} aria-label="Result">
          <div className={s.final}>
            <Text weight="semibold">Result:</Text>
            <StateBadge state={run.state} />
            <Text className={s.hint}>{finalText[run.state]}</Text>
          </div>
          {run.error && !run.steps.some((x) => x.error?.code === run.error?.code && x.error?.message === run.error?.message) && <ErrorBox error={run.error} title="The run failed" />}
          {hasSecrets(run) && approver && <SecretReveal runId={run.id} auto={watched} subject={run.user} />}
          {hasSecrets(run) && !approver && <Text className={s.hint}>The generated credential is shown once, only to the person who approved the run.</Text>}
          {undoError && <ErrorBox error={undoError} title="Could not prepare the undo" />}
          <div className={s.final}>
            {canUndo && <Button icon={undoBusy ? <Spinner size="tiny" /> : <ArrowUndo20Regular />} disabled={undoBusy} onClick={() => void undo()}>Undo</Button>}
            <Links run={run} compact={compact} />
          </div>
        </section>
      )}
      <section className={s.section}>
        <Button className={s.toggle} appearance="transparent" size="small" icon={showPlan ? <ChevronDown20Regular /> : <ChevronRight20Regular />} aria-expanded={showPlan} onClick={() => setShowPlan(!showPlan)}>
          Parameters and approved preview
        </Button>
        {showPlan && (
          <>
            <Params run={run} />
            {run.preview && <PreviewDiff steps={run.preview.steps} />}
          </>
        )}
      </section>
    </>
  );
}

/** `compact` is the chat's card; the run page shows the same card with its links and timestamps. */
export function RunCard({ runId, compact = true, onUndo }: { runId: string; compact?: boolean; onUndo?: (id: string) => void }) {
  const s = useStyles();
  const { tenantName } = useSession();
  const { live, error: loadError } = useRun(runId);
  const [busy, setBusy] = useState<'approve' | 'reject' | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);

  if (!live) {
    return (
      <article className={s.card} aria-busy={!loadError}>
        <div className={s.section}>{loadError ? <ErrorBox error={loadError} title="Could not load the run" /> : <Spinner size="small" label="Loading the card" />}</div>
      </article>
    );
  }
  const { run } = live;

  const approve = async () => {
    setBusy('approve');
    setError(null);
    try {
      await post(`/api/runs/${run.id}/approve`);
      markApproved(run.id);
      followRun(run.id);
    } catch (e) {
      setError(errorText(e));
      void fetchRun(run.id).catch(() => {});
    } finally {
      setBusy(null);
    }
  };
  const reject = async () => {
    setBusy('reject');
    setError(null);
    try {
      await post(`/api/runs/${run.id}/reject`, {});
      await fetchRun(run.id, true);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const action = run.workflow;
  return (
    <article className={s.card} aria-label={run.title} data-run-id={run.id} data-state={run.state}>
      <header className={s.head}>
        <div className={s.titles}>
          <h2 className={s.title}>{run.title}</h2>
          <div className={s.meta}>
            <span>Action <strong>{action}</strong></span>
            <span>Tenant <strong>{tenantName(run.tenant)}</strong></span>
            {!compact && <span>{`Created ${when(run.createdAt)}`}</span>}
            {!compact && run.finishedAt && <span>{`Finished ${when(run.finishedAt)}`}</span>}
          </div>
        </div>
        <span style={{ flexShrink: 0 }}><StateBadge state={run.state} /></span>
      </header>
      {run.state === 'Pending'
        ? <PendingBody run={run} busy={busy} error={error} onApprove={() => void approve()} onReject={() => void reject()} />
        : <LiveBody live={live} watched={wasApprovedHere(run.id)} compact={compact} {...(onUndo ? { onUndo } : {})} />}
      {!compact && run.state === 'Pending' && <div className={mergeClasses(s.section)}><Links run={run} compact={false} /></div>}
    </article>
  );
}
