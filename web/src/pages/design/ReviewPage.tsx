// The review of one workflow version: what changed against the Active version, a dry-run in a
// demo tenant, the decisions so far, and approve / request changes with a comment. When the
// reader may not decide, it says why (four eyes, role, state). Admins activate Approved versions.
import { useCallback, useEffect, useState } from 'react';
import {
  Button, Field, Link, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Textarea, Title3, makeStyles, tokens,
} from '@fluentui/react-components';
import { Checkmark20Regular, Edit20Regular, Rocket20Regular, ArrowReply20Regular } from '@fluentui/react-icons';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { DesignStateBadge } from '../../components/design/DesignStateBadge.tsx';
import { DiffView } from '../../components/design/DiffView.tsx';
import { DryRunPanel } from '../../components/design/DryRunPanel.tsx';
import { where } from '../../components/design/ProblemList.tsx';
import { errorText } from '../../lib/api.ts';
import { designApi, type ReviewPage as Review } from '../../lib/design-api.ts';
import { when } from '../../lib/format.ts';
import { linkProps } from '../../lib/router.ts';
import { useSession } from '../../lib/session.ts';
import type { ErrorBody } from '../../lib/types.ts';

const useStyles = makeStyles({
  page: { padding: '16px 20px 32px', display: 'flex', flexDirection: 'column', gap: '14px', '@media (max-width: 720px)': { padding: '12px' } },
  crumbs: { display: 'flex', gap: '8px', fontSize: tokens.fontSizeBase200, flexWrap: 'wrap' },
  head: { display: 'flex', gap: '10px', alignItems: 'center', flexWrap: 'wrap' },
  facts: { display: 'flex', flexWrap: 'wrap', gap: '4px 16px', color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase300 },
  cols: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(300px, 380px)', gap: '16px', alignItems: 'start', '@media (max-width: 960px)': { gridTemplateColumns: 'minmax(0, 1fr)' } },
  main: { display: 'flex', flexDirection: 'column', gap: '16px', minWidth: 0 },
  box: { background: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusLarge, border: `1px solid ${tokens.colorNeutralStroke2}`, padding: '12px 14px', display: 'flex', flexDirection: 'column', gap: '10px', minWidth: 0 },
  side: { display: 'flex', flexDirection: 'column', gap: '16px', '@media (max-width: 960px)': { order: -1 } },
  h2: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  buttons: { display: 'flex', gap: '8px', flexWrap: 'wrap' },
  reviews: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '8px' },
  review: { borderLeft: `3px solid ${tokens.colorNeutralStroke1}`, paddingLeft: '10px', display: 'flex', flexDirection: 'column', gap: '2px' },
  meta: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  note: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0 },
  problems: { margin: 0, paddingLeft: '18px', fontSize: tokens.fontSizeBase200 },
  line: { display: 'block' },
});

const FOUR_EYES = 'You wrote or submitted this version, and a second person must review it (four eyes): authors never approve their own work.';

export default function ReviewPage({ id, version }: { id: string; version: number }) {
  const s = useStyles();
  const { me, demoTenants } = useSession();
  const [data, setData] = useState<Review | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [actionError, setActionError] = useState<ErrorBody | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setData(await designApi.review(id, version));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [id, version]);
  useEffect(() => { setData(null); void load(); }, [load]);

  const act = async (what: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setActionError(null);
    try {
      await what();
      setDone(message);
      setComment('');
      await load();
    } catch (e) {
      setActionError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (error) return <div className={s.page}><ErrorBox error={error} title="Could not open the review" /></div>;
  if (!data) return <div className={s.page}><Spinner label="Loading the review" /></div>;

  const v = data.version;
  const base = `/workflows/${encodeURIComponent(id)}`;
  const isAdmin = me.user.role === 'admin';
  const mine = v.author?.id === me.user.id || v.review?.submittedBy === me.user.id;
  const errors = data.problems.filter((p) => p.severity === 'error');

  return (
    <div className={s.page}>
      <nav className={s.crumbs} aria-label="Breadcrumb">
        <Link {...linkProps('/workflows')}>Workflows</Link><span aria-hidden="true">/</span>
        <Link {...linkProps(base)}>{data.workflow.name}</Link><span aria-hidden="true">/</span>
        <Link {...linkProps(`${base}/history`)}>History</Link>
      </nav>
      <div className={s.head}>
        <Title3 as="h1" block style={{ margin: 0 }}>{`${v.name} · version ${v.version}`}</Title3>
        <DesignStateBadge state={v.state} />
      </div>
      <div className={s.facts}>
        <span>{`Written by ${v.author?.username ?? 'system'}, ${when(v.createdAt)}`}</span>
        {v.review?.submittedAt && <span>{`Submitted ${when(v.review.submittedAt)}`}</span>}
        <span>{`Approvals: ${data.approvals.count} of ${data.approvals.required}`}</span>
        <span>{data.workflow.activeVersion ? `Active version: ${data.workflow.activeVersion}` : 'No Active version yet'}</span>
      </div>
      {done && <MessageBar intent="success"><MessageBarBody>{done}</MessageBarBody></MessageBar>}
      {actionError && <ErrorBox error={actionError} title="That did not work" />}

      <div className={s.cols}>
        <div className={s.main}>
          {v.review?.note && (
            <section className={s.box} aria-labelledby="rv-note">
              <h2 className={s.h2} id="rv-note">Note from the author</h2>
              <p className={s.note}>{v.review.note}</p>
            </section>
          )}
          {errors.length > 0 && (
            <MessageBar intent="error" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>This version does not validate</MessageBarTitle>
                <ul className={s.problems}>{errors.map((p, i) => <li key={i}>{`${where(p)}: ${p.message}`}</li>)}</ul>
              </MessageBarBody>
            </MessageBar>
          )}
          <section className={s.box} aria-labelledby="rv-diff">
            <h2 className={s.h2} id="rv-diff">{data.diff.from ? `Changes against the Active version ${data.diff.from}` : 'Changes (no version is Active yet, so everything is new)'}</h2>
            <DiffView diff={data.diff} label="Changes against the Active version" />
          </section>
          <section className={s.box} aria-labelledby="rv-dry">
            <h2 className={s.h2} id="rv-dry">Dry-run in a demo tenant</h2>
            <DryRunPanel workflowId={id} version={v.version} parameters={v.definition.parameters} demoTenants={demoTenants} initial={data.dryRun} />
          </section>
        </div>
        <div className={s.side}>
          <section className={s.box} aria-labelledby="rv-decide">
            <h2 className={s.h2} id="rv-decide">Decision</h2>
            {data.you.canReview ? (
              <>
                <Field label="Comment" hint="Required to request changes; say which.">
                  <Textarea value={comment} onChange={(_, d) => setComment(d.value)} resize="vertical" />
                </Field>
                <div className={s.buttons}>
                  <Button appearance="primary" icon={<Checkmark20Regular />} disabled={busy}
                    onClick={() => void act(() => designApi.decide(id, v.version, 'approve', comment.trim()), `You approved version ${v.version}.`)}>Approve</Button>
                  <Button icon={<ArrowReply20Regular />} disabled={busy || !comment.trim()}
                    onClick={() => void act(() => designApi.decide(id, v.version, 'request-changes', comment.trim()), `You asked for changes to version ${v.version}.`)}>Request changes</Button>
                </div>
              </>
            ) : (
              <MessageBar intent={mine && v.state === 'AwaitingReview' ? 'warning' : 'info'} layout="multiline" data-testid="cannot-review">
                <MessageBarBody>
                  <MessageBarTitle>{v.state === 'AwaitingReview' ? 'You cannot review this version' : 'Nothing to decide'}</MessageBarTitle>
                  {v.state === 'AwaitingReview' && mine && !data.you.reason?.includes('four eyes') && <span className={s.line}>{FOUR_EYES}</span>}
                  <span className={s.line}>{data.you.reason}</span>
                </MessageBarBody>
              </MessageBar>
            )}
            {v.state === 'Approved' && (isAdmin ? (
              <>
                <span>Activating makes this the version that runs from the chat, the API and the CLI. The current Active version is kept as Superseded.</span>
                <div className={s.buttons}>
                  <Button appearance="primary" icon={<Rocket20Regular />} disabled={busy}
                    onClick={() => void act(() => designApi.activate(id, v.version), `Version ${v.version} is now Active.`)}>{`Activate version ${v.version}`}</Button>
                </div>
              </>
            ) : <span className={s.meta}>Approved. An admin activates it.</span>)}
            {v.state === 'ChangesRequested' && (
              <div className={s.buttons}>
                <Button icon={<Edit20Regular />} as="a" {...linkProps(base)}>Edit in the designer</Button>
              </div>
            )}
          </section>
          <section className={s.box} aria-labelledby="rv-reviews">
            <h2 className={s.h2} id="rv-reviews">Reviews</h2>
            {data.reviews.length === 0 ? <span className={s.meta}>No decisions yet.</span> : (
              <ul className={s.reviews}>
                {data.reviews.map((r, i) => (
                  <li key={i} className={s.review}>
                    <strong>{`${r.reviewer.username ?? 'someone'} ${r.decision === 'approve' ? 'approved' : 'requested changes'}`}</strong>
                    <span className={s.meta}>{`Round ${r.round} · ${when(r.createdAt)}`}</span>
                    {r.comment && <p className={s.note}>{r.comment}</p>}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}
