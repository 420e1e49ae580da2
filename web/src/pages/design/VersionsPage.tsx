// A workflow's version history: every saved version with its author, time, note and state; a
// readable diff between any two; restore of an old version into a new Draft; a test run of a
// version that is not Active (admins, in a demo tenant); and the audit trail.
import { useEffect, useState } from 'react';
import { Button, Field, Link, Select, Spinner, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowUndo16Regular } from '@fluentui/react-icons';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { DesignStateBadge } from '../../components/design/DesignStateBadge.tsx';
import { DiffView } from '../../components/design/DiffView.tsx';
import { TestRunButton } from '../../components/design/TestRunButton.tsx';
import { errorText } from '../../lib/api.ts';
import { designApi, type AuditEntry, type Diff, type VersionView, type WorkflowSummary } from '../../lib/design-api.ts';
import { when } from '../../lib/format.ts';
import { linkProps, navigate, usePath } from '../../lib/router.ts';
import type { ErrorBody } from '../../lib/types.ts';

const useStyles = makeStyles({
  page: { padding: '16px 20px 32px', display: 'flex', flexDirection: 'column', gap: '14px', '@media (max-width: 720px)': { padding: '12px' } },
  crumbs: { display: 'flex', gap: '8px', fontSize: tokens.fontSizeBase200 },
  cols: { display: 'grid', gridTemplateColumns: 'minmax(0, 5fr) minmax(0, 6fr)', gap: '16px', alignItems: 'start', '@media (max-width: 960px)': { gridTemplateColumns: 'minmax(0, 1fr)' } },
  box: { background: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusLarge, border: `1px solid ${tokens.colorNeutralStroke2}`, padding: '12px', display: 'flex', flexDirection: 'column', gap: '10px', minWidth: 0 },
  h2: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  item: { padding: '10px 4px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, display: 'grid', gridTemplateColumns: '1fr auto', gap: '4px 8px' },
  line: { display: 'flex', gap: '8px', alignItems: 'center', flexWrap: 'wrap' },
  meta: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  note: { gridColumn: '1 / -1', fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
  pick: { display: 'flex', gap: '10px', flexWrap: 'wrap', alignItems: 'end' },
  audit: { width: '100%', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase200 },
  th: { textAlign: 'left', padding: '6px 8px', borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, color: tokens.colorNeutralForeground3 },
  td: { padding: '6px 8px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, verticalAlign: 'top', overflowWrap: 'anywhere' },
});

export default function VersionsPage({ id }: { id: string }) {
  const s = useStyles();
  const { search } = usePath();
  const [wf, setWf] = useState<WorkflowSummary | null>(null);
  const [versions, setVersions] = useState<VersionView[] | null>(null);
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [diff, setDiff] = useState<Diff | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const to = Number(search.get('to')) || wf?.headVersion || 0;
  const from = search.has('from') ? Number(search.get('from')) : Math.max(0, to - 1);
  const base = `/workflows/${encodeURIComponent(id)}`;

  useEffect(() => {
    Promise.all([designApi.versions(id), designApi.audit(id)])
      .then(([v, a]) => { setWf(v.workflow); setVersions(v.versions); setAudit(a); })
      .catch((e: unknown) => setError(errorText(e)));
  }, [id]);

  useEffect(() => {
    if (!to) return;
    setDiff(null);
    // Only the answer for the versions still selected may land.
    let current = true;
    designApi.diff(id, from, to).then((d) => { if (current) setDiff(d); }).catch((e: unknown) => { if (current) setError(errorText(e)); });
    return () => { current = false; };
  }, [id, from, to]);

  const pick = (f: number, t: number) => navigate(`${base}/history?from=${f}&to=${t}`, { replace: true });
  const restore = async (n: number) => {
    setBusy(n);
    try {
      await designApi.restore(id, n, wf!.headVersion);
      navigate(base);
    } catch (e) {
      setError(errorText(e));
      setBusy(null);
    }
  };

  if (!versions && !error) return <div className={s.page}><Spinner label="Loading the history" /></div>;
  const options = versions ?? [];
  const restoreBlocked = wf?.state === 'AwaitingReview';

  return (
    <div className={s.page}>
      <nav className={s.crumbs} aria-label="Breadcrumb">
        <Link {...linkProps('/workflows')}>Workflows</Link><span aria-hidden="true">/</span>
        <Link {...linkProps(base)}>{wf?.name ?? id}</Link>
      </nav>
      <Title3 as="h1" block style={{ margin: 0 }}>{`Version history of ${wf?.name ?? id}`}</Title3>
      {error && <ErrorBox error={error} title="Something went wrong" />}
      <div className={s.cols}>
        <section className={s.box} aria-labelledby="vh-list">
          <h2 className={s.h2} id="vh-list">Versions</h2>
          <ol className={s.list} aria-label="Versions" reversed>
            {options.map((v) => (
              <li key={v.version} className={s.item} data-version={v.version}>
                <span className={s.line}>
                  <strong id={`vh-version-${v.version}`}>{`Version ${v.version}`}</strong>
                  <DesignStateBadge state={v.state} size="small" />
                  {wf?.activeVersion === v.version && <span className={s.meta}>serves runs</span>}
                </span>
                <span className={s.line}>
                  <Link {...linkProps(`${base}/versions/${v.version}`)} aria-label={`Open version ${v.version}`}>Open</Link>
                  <Button size="small" icon={<ArrowUndo16Regular />} disabled={busy !== null || restoreBlocked || v.version === wf?.headVersion}
                    onClick={() => void restore(v.version)} aria-label={`Restore version ${v.version} into a new Draft`}>Restore</Button>
                  {v.state !== 'Active' && <TestRunButton workflowId={id} version={v.version} describedBy={`vh-version-${v.version}`} size="small" />}
                </span>
                <span className={s.meta}>{`${v.author?.username ?? 'system'} · ${when(v.createdAt)}`}</span>
                {v.note && <span className={s.note}>{v.note}</span>}
              </li>
            ))}
          </ol>
          {restoreBlocked && <span className={s.meta}>A version is awaiting review; restoring waits until it is decided.</span>}
        </section>
        <section className={s.box} aria-labelledby="vh-diff">
          <h2 className={s.h2} id="vh-diff">Compare versions</h2>
          <div className={s.pick}>
            <Field label="From">
              <Select value={String(from)} onChange={(_, d) => pick(Number(d.value), to)}>
                <option value="0">Empty workflow</option>
                {options.map((v) => <option key={v.version} value={v.version}>{`Version ${v.version}`}</option>)}
              </Select>
            </Field>
            <Field label="To">
              <Select value={String(to)} onChange={(_, d) => pick(from, Number(d.value))}>
                {options.map((v) => <option key={v.version} value={v.version}>{`Version ${v.version}`}</option>)}
              </Select>
            </Field>
          </div>
          {diff ? <DiffView diff={diff} label={`Changes from version ${diff.from} to version ${diff.to}`} /> : <Spinner size="tiny" label="Comparing" />}
        </section>
      </div>
      <section className={s.box} aria-labelledby="vh-audit">
        <h2 className={s.h2} id="vh-audit">Audit trail</h2>
        <div style={{ overflowX: 'auto' }}>
          <table className={s.audit} aria-label="Audit trail">
            <thead><tr><th className={s.th} scope="col">When</th><th className={s.th} scope="col">Who</th><th className={s.th} scope="col">What</th><th className={s.th} scope="col">Version</th><th className={s.th} scope="col">Note</th></tr></thead>
            <tbody>
              {audit.map((a, i) => (
                <tr key={i}>
                  <td className={s.td}>{when(a.at)}</td>
                  <td className={s.td}>{a.actor?.username ?? 'system'}</td>
                  <td className={s.td}>{`${a.action ?? ''}${a.to ? ` → ${a.to}` : ''}`}</td>
                  <td className={s.td}>{a.version ?? ''}</td>
                  <td className={s.td}>{typeof a.detail.note === 'string' ? a.detail.note : typeof a.detail.comment === 'string' ? a.detail.comment : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
