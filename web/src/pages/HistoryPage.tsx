// Run history, newest first, filtered by tenant, workflow, user, state and date. The filters live
// in the address, so a filtered view can be shared and the back button restores it.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Button, Field, Input, Link, Select, Spinner, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowUndo16Regular, DismissCircle16Regular } from '@fluentui/react-icons';
import { ErrorBox } from '../components/ErrorBox.tsx';
import { StateBadge } from '../components/StateBadge.tsx';
import { errorText, get, qs } from '../lib/api.ts';
import { when } from '../lib/format.ts';
import { linkProps, navigate, usePath } from '../lib/router.ts';
import { useSession } from '../lib/session.ts';
import type { ErrorBody, RunSummary, WorkflowInfo } from '../lib/types.ts';

const STATES = ['Pending', 'Approved', 'Running', 'Completed', 'Failed', 'PartialSuccess', 'Cancelled'];
const PAGE = 50;
const FILTERS = ['tenant', 'workflow', 'state', 'user', 'since', 'until'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

const useStyles = makeStyles({
  page: { padding: '16px 20px 32px', display: 'flex', flexDirection: 'column', gap: '14px', '@media (max-width: 720px)': { padding: '12px' } },
  filters: {
    display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(130px, 1fr))', gap: '10px 12px', alignItems: 'end',
    background: tokens.colorNeutralBackground1, padding: '12px 14px', borderRadius: tokens.borderRadiusLarge, border: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  dropdown: { minWidth: '0', width: '100%' },
  input: { minWidth: '0', width: '100%' },
  tableWrap: { background: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusLarge, border: `1px solid ${tokens.colorNeutralStroke2}`, overflowX: 'auto' },
  table: { width: '100%', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase300 },
  th: { textAlign: 'left', padding: '10px 12px', fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, whiteSpace: 'nowrap' },
  td: { padding: '10px 12px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, verticalAlign: 'top' },
  title: { overflowWrap: 'anywhere' },
  sub: { display: 'flex', gap: '10px', flexWrap: 'wrap', marginTop: '2px', fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3 },
  narrow: { '@media (max-width: 720px)': { display: 'none' } },
  when: { whiteSpace: 'nowrap', color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  empty: { padding: '24px', color: tokens.colorNeutralForeground3, textAlign: 'center' },
  more: { display: 'flex', justifyContent: 'center', padding: '12px' },
  inline: { display: 'inline-flex', alignItems: 'center', gap: '3px' },
});

function readFilters(search: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.map((k) => [k, search.get(k) ?? ''])) as Filters;
}

export default function HistoryPage() {
  const s = useStyles();
  const { search } = usePath();
  const filters = readFilters(search);
  const { tenants, tenantName } = useSession();
  const [workflows, setWorkflows] = useState<WorkflowInfo[]>([]);
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [user, setUser] = useState(filters.user);
  const key = FILTERS.map((k) => filters[k]).join('|');

  useEffect(() => {
    void get<{ workflows: WorkflowInfo[] }>('/api/workflows').then((r) => setWorkflows(r.workflows)).catch(() => {});
  }, []);

  const setFilter = (name: keyof Filters, value: string) => {
    const next = { ...filters, [name]: value };
    navigate(`/history${qs(next)}`, { replace: true });
  };

  // Typing in the user box filters after a short pause, not on every key.
  useEffect(() => {
    if (user === filters.user) return;
    const t = setTimeout(() => setFilter('user', user.trim()), 300);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user]);

  // Filters change faster than answers arrive: only the answer to the latest request may land.
  const latest = useRef(0);
  const load = async (before?: string) => {
    const mine = ++latest.current;
    try {
      setError(null);
      const r = await get<{ runs: RunSummary[] }>(`/api/runs${qs({ ...filters, limit: PAGE, before })}`);
      if (mine !== latest.current) return;
      setRuns((prev) => (before && prev ? [...prev, ...r.runs] : r.runs));
      setMore(r.runs.length === PAGE);
    } catch (e) {
      if (mine !== latest.current) return;
      setError(errorText(e));
      if (!before) setRuns([]);
    }
  };

  useEffect(() => {
    setRuns(null);
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const workflowName = useMemo(() => new Map(workflows.map((w) => [w.id, w.name])), [workflows]);
  const any = FILTERS.some((k) => filters[k]);

  return (
    <div className={s.page}>
      <Title3 as="h1" block style={{ margin: 0 }}>History</Title3>
      <form className={s.filters} aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Tenant">
          <Select className={s.dropdown} value={filters.tenant} onChange={(_, d) => setFilter('tenant', d.value)}>
            <option value="">All tenants</option>
            {tenants.map((t) => <option key={t.id} value={t.id}>{t.displayName}</option>)}
          </Select>
        </Field>
        <Field label="Workflow">
          <Select className={s.dropdown} value={filters.workflow} onChange={(_, d) => setFilter('workflow', d.value)}>
            <option value="">All workflows</option>
            {filters.workflow && !workflowName.has(filters.workflow) && <option value={filters.workflow}>{filters.workflow}</option>}
            {workflows.map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
          </Select>
        </Field>
        <Field label="State">
          <Select className={s.dropdown} value={filters.state} onChange={(_, d) => setFilter('state', d.value)}>
            <option value="">All states</option>
            {STATES.map((x) => <option key={x} value={x}>{x}</option>)}
          </Select>
        </Field>
        <Field label="User">
          <Input className={s.input} value={user} onChange={(_, d) => setUser(d.value)} placeholder="name or UPN" type="search" />
        </Field>
        <Field label="From">
          <Input className={s.input} type="date" value={filters.since} onChange={(_, d) => setFilter('since', d.value)} />
        </Field>
        <Field label="To">
          <Input className={s.input} type="date" value={filters.until} onChange={(_, d) => setFilter('until', d.value)} />
        </Field>
        <Button disabled={!any} onClick={() => { setUser(''); navigate('/history', { replace: true }); }}>Clear filters</Button>
      </form>
      {error && <ErrorBox error={error} title="Could not load the history" />}
      <div className={s.tableWrap}>
        {runs === null ? (
          <div className={s.empty}><Spinner size="small" label="Loading runs" /></div>
        ) : runs.length === 0 ? (
          <div className={s.empty}>{any ? 'No run matches these filters.' : 'No runs yet. Ask for a change in the chat.'}</div>
        ) : (
          <table className={s.table} aria-label="Runs">
            <thead>
              <tr>
                <th className={s.th} scope="col">Run</th>
                <th className={`${s.th} ${s.narrow}`} scope="col">Tenant</th>
                <th className={s.th} scope="col">State</th>
                <th className={`${s.th} ${s.narrow}`} scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} data-run-id={r.id} data-state={r.state}>
                  <td className={s.td}>
                    <Link className={s.title} {...linkProps(`/runs/${r.id}`)}>{r.title}</Link>
                    <div className={s.sub}>
                      <span>{workflowName.get(r.workflow) ?? r.workflow}</span>
                      {r.user && !r.title.includes(r.user) && <span>{r.user}</span>}
                      {r.undoOf && <Link {...linkProps(`/runs/${r.undoOf}`)} className={s.inline}><ArrowUndo16Regular aria-hidden="true" />Undoes a run</Link>}
                      {r.undoRun && <Link {...linkProps(`/runs/${r.undoRun}`)} className={s.inline}><ArrowUndo16Regular aria-hidden="true" />Has an undo</Link>}
                      {r.conversationId && <Link {...linkProps(`/chat/${r.conversationId}`)}>Conversation</Link>}
                      {r.error && <span className={s.inline}><DismissCircle16Regular aria-hidden="true" />{r.error.code}</span>}
                    </div>
                  </td>
                  <td className={`${s.td} ${s.narrow}`}>{tenantName(r.tenant)}</td>
                  <td className={s.td}><StateBadge state={r.state} /></td>
                  <td className={`${s.td} ${s.narrow}`}><span className={s.when}>{when(r.createdAt)}</span></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {more && runs && <div className={s.more}><Button onClick={() => void load(runs.at(-1)?.createdAt)}>Load more</Button></div>}
      </div>
      <Text size={200} style={{ color: tokens.colorNeutralForeground3 }}>{runs ? `${runs.length} run${runs.length === 1 ? '' : 's'} shown` : ''}</Text>
    </div>
  );
}
