// The report of one lifecycle run, at three levels: the run (status and counts), each task (how
// many users it succeeded or failed for) and each user (their tasks, with the reason of a failure).
// While the run is still going the page refreshes itself.
import { Fragment, useCallback, useEffect, useState } from 'react';
import { Button, Link, Spinner, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { ChevronDown16Regular, ChevronRight16Regular } from '@fluentui/react-icons';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { StatusBadge } from '../../components/lifecycle/StatusBadge.tsx';
import { useLcwTenant } from '../../components/lifecycle/use-tenant.ts';
import { errorText } from '../../lib/api.ts';
import { lcwApi, terminal, type LcwWorkflow, type Run, type TaskReport, type TaskResult, type UserResult } from '../../lib/lifecycle-api.ts';
import { when } from '../../lib/format.ts';
import { linkProps } from '../../lib/router.ts';
import type { ErrorBody } from '../../lib/types.ts';

const useStyles = makeStyles({
  page: { padding: '16px 20px 32px', display: 'flex', flexDirection: 'column', gap: '14px', '@media (max-width: 720px)': { padding: '12px' } },
  crumbs: { display: 'flex', gap: '8px', fontSize: tokens.fontSizeBase200, flexWrap: 'wrap' },
  head: { display: 'flex', gap: '10px', alignItems: 'center', flexWrap: 'wrap' },
  stats: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(130px, 1fr))', gap: '10px' },
  stat: { background: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusLarge, border: `1px solid ${tokens.colorNeutralStroke2}`, padding: '10px 12px', display: 'flex', flexDirection: 'column' },
  num: { fontSize: tokens.fontSizeBase600, fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums' },
  label: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  box: { background: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusLarge, border: `1px solid ${tokens.colorNeutralStroke2}`, padding: '12px 14px', display: 'flex', flexDirection: 'column', gap: '8px', minWidth: 0 },
  h2: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  table: { width: '100%', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase300 },
  th: { textAlign: 'left', padding: '8px 10px', fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, whiteSpace: 'nowrap' },
  td: { padding: '8px 10px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, verticalAlign: 'top', overflowWrap: 'anywhere' },
  sub: { display: 'block', color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  inner: { margin: '0 0 4px 28px', paddingLeft: '16px', display: 'flex', flexDirection: 'column', gap: '4px', fontSize: tokens.fontSizeBase200 },
  reason: { color: tokens.colorPaletteRedForeground1 },
  narrow: { '@media (max-width: 720px)': { display: 'none' } },
  wrap: { overflowX: 'auto' },
});

export default function LifecycleRunPage({ id, runId }: { id: string; runId: string }) {
  const s = useStyles();
  const { tenantId, q } = useLcwTenant();
  const [wf, setWf] = useState<LcwWorkflow | null>(null);
  const [run, setRun] = useState<Run | null>(null);
  const [users, setUsers] = useState<UserResult[]>([]);
  const [tasks, setTasks] = useState<TaskResult[]>([]);
  const [reports, setReports] = useState<TaskReport[]>([]);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<ErrorBody | null>(null);

  const load = useCallback(async () => {
    if (!tenantId) return;
    const [w, r, u, t, rep] = await Promise.all([
      lcwApi.workflow(tenantId, id), lcwApi.run(tenantId, id, runId), lcwApi.runUsers(tenantId, id, runId),
      lcwApi.runTasks(tenantId, id, runId), lcwApi.taskReports(tenantId, id),
    ]);
    setWf(w);
    setRun(r);
    setUsers(u);
    setTasks(t);
    setReports(rep.filter((x) => x.runId === runId).sort((a, b) => (a.task?.executionSequence ?? 0) - (b.task?.executionSequence ?? 0)));
    return r;
  }, [tenantId, id, runId]);

  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const r = await load();
        if (!stop && r && !terminal.includes(r.processingStatus)) timer = setTimeout(() => void tick(), 1000);
      } catch (e) {
        if (!stop) setError(errorText(e));
      }
    };
    void tick();
    return () => { stop = true; clearTimeout(timer); };
  }, [load]);

  if (error) return <div className={s.page}><ErrorBox error={error} title="Could not open the run" /></div>;
  if (!run || !wf) return <div className={s.page}><Spinner label="Loading the run" /></div>;

  const toggle = (uid: string) => setOpen((o) => { const n = new Set(o); if (n.has(uid)) n.delete(uid); else n.add(uid); return n; });
  const stat = (n: number, label: string) => <div className={s.stat}><span className={s.num}>{n}</span><span className={s.label}>{label}</span></div>;

  return (
    <div className={s.page}>
      <nav className={s.crumbs} aria-label="Breadcrumb">
        <Link {...linkProps(`/lifecycle${q}`)}>Lifecycle workflows</Link><span aria-hidden="true">/</span>
        <Link {...linkProps(`/lifecycle/workflows/${encodeURIComponent(id)}${q}`)}>{wf.displayName}</Link>
      </nav>
      <div className={s.head}>
        <Title3 as="h1" block style={{ margin: 0 }}>{`Run of ${wf.displayName}`}</Title3>
        <StatusBadge status={run.processingStatus} />
      </div>
      <span className={s.label}>
        {`${run.workflowExecutionType === 'onDemand' ? 'Started on demand' : 'Scheduled'} ${when(run.scheduledDateTime)}`}
        {run.completedDateTime ? ` · finished ${when(run.completedDateTime)}` : ''}
      </span>
      <section className={s.stats} aria-label="Run summary">
        {stat(run.totalUsersCount, 'users')}
        {stat(run.successfulUsersCount, 'users succeeded')}
        {stat(run.failedUsersCount, 'users failed')}
        {stat(run.totalTasksCount, 'tasks')}
        {stat(run.failedTasksCount, 'tasks failed')}
        {stat(run.totalUnprocessedTasksCount, 'tasks not processed')}
      </section>

      <section className={s.box} aria-labelledby="run-tasks">
        <h2 className={s.h2} id="run-tasks">By task</h2>
        <div className={s.wrap}>
          <table className={s.table} aria-label="Task report">
            <thead><tr><th className={s.th} scope="col">Task</th><th className={s.th} scope="col">Status</th><th className={s.th} scope="col">Succeeded</th><th className={s.th} scope="col">Failed</th><th className={`${s.th} ${s.narrow}`} scope="col">Not processed</th></tr></thead>
            <tbody>
              {reports.map((r) => (
                <tr key={r.id}>
                  <td className={s.td}>{`${r.task?.executionSequence ?? ''}. ${r.task?.displayName ?? r.taskDefinition?.displayName ?? ''}`}</td>
                  <td className={s.td}><StatusBadge status={r.processingStatus} size="small" /></td>
                  <td className={s.td}>{r.successfulUsersCount}</td>
                  <td className={s.td}>{r.failedUsersCount}</td>
                  <td className={`${s.td} ${s.narrow}`}>{r.unprocessedUsersCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className={s.box} aria-labelledby="run-users">
        <h2 className={s.h2} id="run-users">By user</h2>
        <div className={s.wrap}>
          <table className={s.table} aria-label="User report">
            <thead><tr><th className={s.th} scope="col">User</th><th className={s.th} scope="col">Status</th><th className={s.th} scope="col">Tasks</th><th className={`${s.th} ${s.narrow}`} scope="col">Finished</th></tr></thead>
            <tbody>
              {users.map((u) => {
                const mine = tasks.filter((t) => t.subject.id === u.subject.id).sort((a, b) => a.task.executionSequence - b.task.executionSequence);
                const isOpen = open.has(u.id);
                return (
                  <Fragment key={u.id}>
                    <tr data-user={u.subject.userPrincipalName ?? u.subject.id}>
                      <td className={s.td}>
                        <Button appearance="transparent" size="small" icon={isOpen ? <ChevronDown16Regular /> : <ChevronRight16Regular />} aria-expanded={isOpen}
                          aria-label={`Tasks of ${u.subject.displayName ?? u.subject.userPrincipalName ?? u.subject.id}`} onClick={() => toggle(u.id)} />
                        {u.subject.displayName ?? u.subject.id}
                        <span className={s.sub}>{u.subject.userPrincipalName}</span>
                      </td>
                      <td className={s.td}><StatusBadge status={u.processingStatus} size="small" /></td>
                      <td className={s.td}>{`${u.totalTasksCount - u.failedTasksCount - u.totalUnprocessedTasksCount} of ${u.totalTasksCount} done${u.failedTasksCount ? `, ${u.failedTasksCount} failed` : ''}`}</td>
                      <td className={`${s.td} ${s.narrow}`}>{when(u.completedDateTime)}</td>
                    </tr>
                    {isOpen && (
                      <tr>
                        <td className={s.td} colSpan={4}>
                          <ol className={s.inner} aria-label={`Task results of ${u.subject.displayName ?? u.subject.id}`}>
                            {mine.map((t) => (
                              <li key={t.id}>
                                <span>{`${t.task.displayName} `}</span>
                                <StatusBadge status={t.processingStatus} size="small" />
                                {t.failureReason && <span className={`${s.sub} ${s.reason}`}>{t.failureReason}</span>}
                              </li>
                            ))}
                          </ol>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
