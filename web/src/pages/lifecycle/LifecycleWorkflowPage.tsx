// One lifecycle workflow: when it runs and for whom, its tasks, a preview of the users in scope
// right now, "Run now" for chosen users, its runs (each opening the run report) and its versions.
// A quarantined workflow shows why, with "Release quarantine".
import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Link, MessageBar, MessageBarBody, Spinner, Switch, Tab, TabList, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { Edit20Regular } from '@fluentui/react-icons';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { RunNowDialog } from '../../components/lifecycle/RunNowDialog.tsx';
import { StatusBadge } from '../../components/lifecycle/StatusBadge.tsx';
import { useLcwTenant, WRITE_HINT } from '../../components/lifecycle/use-tenant.ts';
import { errorText } from '../../lib/api.ts';
import { describeConditions, isQuarantined, lcwApi, NS, type LcwVersion, type LcwWorkflow, type Run, type Subject } from '../../lib/lifecycle-api.ts';
import { when } from '../../lib/format.ts';
import { linkProps, navigate } from '../../lib/router.ts';
import type { ErrorBody } from '../../lib/types.ts';
import { CategoryBadge } from './LifecycleListPage.tsx';
import { describeQuarantine, QuarantineBadge, QuarantineBanner } from './Quarantine.tsx';

const useStyles = makeStyles({
  page: { padding: '16px 20px 32px', display: 'flex', flexDirection: 'column', gap: '14px', '@media (max-width: 720px)': { padding: '12px' } },
  crumbs: { display: 'flex', gap: '8px', fontSize: tokens.fontSizeBase200 },
  head: { display: 'flex', gap: '10px', alignItems: 'center', flexWrap: 'wrap' },
  bar: { display: 'flex', gap: '8px 16px', alignItems: 'center', flexWrap: 'wrap' },
  box: { background: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusLarge, border: `1px solid ${tokens.colorNeutralStroke2}`, padding: '12px 14px', display: 'flex', flexDirection: 'column', gap: '8px', minWidth: 0 },
  cols: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: '16px', alignItems: 'start', '@media (max-width: 960px)': { gridTemplateColumns: 'minmax(0, 1fr)' } },
  h2: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  meta: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  tasks: { margin: 0, paddingLeft: '22px', display: 'flex', flexDirection: 'column', gap: '6px' },
  args: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere' },
  table: { width: '100%', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase300 },
  th: { textAlign: 'left', padding: '8px 10px', fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, whiteSpace: 'nowrap' },
  td: { padding: '8px 10px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, verticalAlign: 'top', overflowWrap: 'anywhere' },
  scroll: { overflowX: 'auto', maxHeight: '420px', overflowY: 'auto' },
  narrow: { '@media (max-width: 720px)': { display: 'none' } },
});

type TabName = 'overview' | 'runs' | 'versions';

export default function LifecycleWorkflowPage({ id }: { id: string }) {
  const s = useStyles();
  const { tenantId, q, canWrite } = useLcwTenant();
  const [wf, setWf] = useState<LcwWorkflow | null>(null);
  const [scope, setScope] = useState<Subject[] | null>(null);
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [versions, setVersions] = useState<LcwVersion[]>([]);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [actionError, setActionError] = useState<ErrorBody | null>(null);
  const [tab, setTab] = useState<TabName>('overview');

  const load = useCallback(async () => {
    if (!tenantId) return;
    try {
      const [w, r, v] = await Promise.all([lcwApi.workflow(tenantId, id), lcwApi.runs(tenantId, id), lcwApi.versions(tenantId, id)]);
      setWf(w);
      setRuns(r.sort((a, b) => String(b.scheduledDateTime).localeCompare(String(a.scheduledDateTime))));
      setVersions(v.sort((a, b) => b.versionNumber - a.versionNumber));
      lcwApi.scope(tenantId, id).then(setScope).catch((e: unknown) => { setScope([]); setActionError(errorText(e)); });
    } catch (e) {
      setError(errorText(e));
    }
  }, [tenantId, id]);
  useEffect(() => { void load(); }, [load]);

  if (error) return <div className={s.page}><ErrorBox error={error} title="Could not open the lifecycle workflow" /></div>;
  if (!wf || !tenantId) return <div className={s.page}><Spinner label="Loading" /></div>;

  const onDemandOnly = wf.executionConditions['@odata.type'] === `#${NS}.onDemandExecutionOnly`;
  const setFlag = async (patch: { isEnabled?: boolean; isSchedulingEnabled?: boolean }) => {
    setActionError(null);
    try {
      await lcwApi.patch(tenantId, id, patch);
      await load();
    } catch (e) {
      setActionError(errorText(e));
    }
  };
  const runNow = async (ids: string[]) => {
    const started = Date.now();
    await lcwApi.activate(tenantId, id, ids);
    const all = await lcwApi.runs(tenantId, id);
    const mine = all.filter((r) => r.workflowExecutionType === 'onDemand' && Date.parse(r.scheduledDateTime ?? '') >= started - 60_000)
      .sort((a, b) => String(b.scheduledDateTime).localeCompare(String(a.scheduledDateTime)))[0];
    if (mine) navigate(`/lifecycle/workflows/${encodeURIComponent(id)}/runs/${encodeURIComponent(mine.id)}${q}`);
    else { setTab('runs'); await load(); }
  };
  const release = async () => {
    await lcwApi.clearQuarantine(tenantId, id);
    await load();
  };
  const runLink = (r: Run) => `/lifecycle/workflows/${encodeURIComponent(id)}/runs/${encodeURIComponent(r.id)}${q}`;

  return (
    <div className={s.page}>
      <nav className={s.crumbs} aria-label="Breadcrumb"><Link {...linkProps(`/lifecycle${q}`)}>Lifecycle workflows</Link></nav>
      <div className={s.head}>
        <Title3 as="h1" block style={{ margin: 0 }}>{wf.displayName}</Title3>
        <CategoryBadge category={wf.category} />
        <Badge appearance="outline">{`Version ${wf.version}`}</Badge>
        <QuarantineBadge w={wf} />
      </div>
      <QuarantineBanner w={wf} disabledReason={canWrite ? null : WRITE_HINT} onRelease={release} />
      {wf.description && <span>{wf.description}</span>}
      <div className={s.bar}>
        <RunNowDialog inScope={scope ?? []} disabledReason={!canWrite ? WRITE_HINT : !wf.isEnabled ? 'Enable the workflow first.' : isQuarantined(wf) ? 'Release the quarantine first.' : null} onRun={runNow} />
        <Button icon={<Edit20Regular />} as="a" {...linkProps(`/lifecycle/workflows/${encodeURIComponent(id)}/edit${q}`)} disabled={!canWrite}>Edit tasks and conditions</Button>
        <Switch label="Enabled" checked={wf.isEnabled} disabled={!canWrite} onChange={(_, d) => void setFlag({ isEnabled: d.checked })} />
        <Switch label="Runs on the schedule" checked={wf.isSchedulingEnabled} disabled={!canWrite || !wf.isEnabled || onDemandOnly} onChange={(_, d) => void setFlag({ isSchedulingEnabled: d.checked })} />
      </div>
      {!canWrite && <MessageBar intent="info"><MessageBarBody>{WRITE_HINT}</MessageBarBody></MessageBar>}
      {actionError && <ErrorBox error={actionError} title="That did not work" />}

      <TabList selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as TabName)} aria-label="Workflow views">
        <Tab value="overview">Overview</Tab>
        <Tab value="runs">{`Runs (${runs?.length ?? 0})`}</Tab>
        <Tab value="versions">{`Versions (${versions.length})`}</Tab>
      </TabList>

      {tab === 'overview' && (
        <div className={s.cols}>
          <div style={{ display: 'flex', flexDirection: 'column', gap: '16px' }}>
            <section className={s.box} aria-labelledby="lcw-when">
              <h2 className={s.h2} id="lcw-when">When it runs</h2>
              <span>{describeConditions(wf.executionConditions)}</span>
              <span className={s.meta}>{wf.nextScheduleRunDateTime ? `Next scheduled check: ${when(wf.nextScheduleRunDateTime)}` : wf.isSchedulingEnabled ? '' : 'Not on the schedule: it runs only when started here or through the API.'}</span>
              {!onDemandOnly && <span className={s.meta} data-testid="quarantine-thresholds">{describeQuarantine(wf.settings?.quarantineConfiguration)}</span>}
            </section>
            <section className={s.box} aria-labelledby="lcw-tasks-h">
              <h2 className={s.h2} id="lcw-tasks-h">Tasks</h2>
              <ol className={s.tasks}>
                {(wf.tasks ?? []).map((t) => (
                  <li key={t.id}>
                    <span>{t.displayName}</span>
                    {!t.isEnabled && <Badge appearance="outline" size="small" style={{ marginLeft: '6px' }}>disabled</Badge>}
                    {t.continueOnError && <Badge appearance="outline" size="small" color="warning" style={{ marginLeft: '6px' }}>continues on error</Badge>}
                    {t.arguments.some((a) => a.value) && <div className={s.args}>{t.arguments.filter((a) => a.value).map((a) => `${a.name}=${a.value}`).join(' · ')}</div>}
                  </li>
                ))}
              </ol>
            </section>
          </div>
          <section className={s.box} aria-labelledby="lcw-scope">
            <h2 className={s.h2} id="lcw-scope">Users in scope now</h2>
            {onDemandOnly ? <span className={s.meta}>This workflow runs on demand only, so it has no scope: choose the users when you run it.</span>
              : scope === null ? <Spinner size="tiny" label="Reading the directory" />
                : (
                  <>
                    <span className={s.meta} role="status">{`${scope.length} user${scope.length === 1 ? '' : 's'} match the scope today (the trigger decides when each is processed).`}</span>
                    {scope.length > 0 && (
                      <div className={s.scroll}>
                        <table className={s.table} aria-label="Users in scope">
                          <thead><tr><th className={s.th} scope="col">Name</th><th className={s.th} scope="col">User principal name</th></tr></thead>
                          <tbody>{scope.map((u) => <tr key={u.id}><td className={s.td}>{u.displayName}</td><td className={s.td}>{u.userPrincipalName}</td></tr>)}</tbody>
                        </table>
                      </div>
                    )}
                  </>
                )}
          </section>
        </div>
      )}

      {tab === 'runs' && (
        <section className={s.box} aria-label="Runs">
          {!runs?.length ? <span className={s.meta}>No runs yet.</span> : (
            <div style={{ overflowX: 'auto' }}>
              <table className={s.table} aria-label="Runs">
                <thead><tr>
                  <th className={s.th} scope="col">Started</th><th className={s.th} scope="col">Status</th><th className={`${s.th} ${s.narrow}`} scope="col">How</th>
                  <th className={s.th} scope="col">Users</th><th className={`${s.th} ${s.narrow}`} scope="col">Failed tasks</th>
                </tr></thead>
                <tbody>
                  {runs.map((r) => (
                    <tr key={r.id} data-run-id={r.id}>
                      <td className={s.td}><Link {...linkProps(runLink(r))}>{when(r.startedDateTime ?? r.scheduledDateTime)}</Link></td>
                      <td className={s.td}><StatusBadge status={r.processingStatus} size="small" /></td>
                      <td className={`${s.td} ${s.narrow}`}>{r.workflowExecutionType === 'onDemand' ? 'On demand' : 'Scheduled'}</td>
                      <td className={s.td}>{`${r.successfulUsersCount} of ${r.totalUsersCount} succeeded`}</td>
                      <td className={`${s.td} ${s.narrow}`}>{r.failedTasksCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}

      {tab === 'versions' && (
        <section className={s.box} aria-label="Versions">
          <table className={s.table} aria-label="Versions">
            <thead><tr><th className={s.th} scope="col">Version</th><th className={s.th} scope="col">Saved</th><th className={s.th} scope="col">Runs when</th><th className={`${s.th} ${s.narrow}`} scope="col">Tasks</th></tr></thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.versionNumber}>
                  <td className={s.td}>{`${v.versionNumber}${v.versionNumber === wf.version ? ' (current)' : ''}`}</td>
                  <td className={s.td}>{when(v.lastModifiedDateTime)}</td>
                  <td className={s.td}>{describeConditions(v.executionConditions)}</td>
                  <td className={`${s.td} ${s.narrow}`}>{(v.tasks ?? []).map((t) => t.displayName).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
