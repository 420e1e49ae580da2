// The demo tenant inspector (only while the embedded emulator runs): the demo tenant's users,
// groups, licences, mailboxes, email outbox and effects ledger. It reloads as runs in the tenant
// move, so a new user sees each approved change land.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Badge, Button, Field, Input, Select, Spinner, Tab, TabList, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowClockwise20Regular, Search20Regular } from '@fluentui/react-icons';
import { ErrorBox } from '../components/ErrorBox.tsx';
import { errorText, get, qs, socket } from '../lib/api.ts';
import { show, when } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import type { ErrorBody } from '../lib/types.ts';

type Row = Record<string, unknown>;
interface Column { key: string; label: string; render?: (r: Row) => React.ReactNode; wide?: boolean; narrowHide?: boolean }
interface TabDef { id: string; label: string; path: string; searchable: boolean; paged: boolean; columns: Column[] }

const yesNo = (v: unknown) => (v ? 'Yes' : 'No');
const outcomeColor = (o: unknown) => (o === 'ok' ? 'success' : o === 'throttled' ? 'warning' : 'danger') as 'success' | 'warning' | 'danger';

const TABS: TabDef[] = [
  { id: 'users', label: 'Users', path: 'users', searchable: true, paged: true, columns: [
    { key: 'displayName', label: 'Name' },
    { key: 'userPrincipalName', label: 'User principal name', wide: true },
    { key: 'accountEnabled', label: 'Sign-in', render: (r) => <Badge style={{ whiteSpace: 'nowrap' }} appearance="tint" color={r.accountEnabled ? 'success' : 'danger'}>{r.accountEnabled ? 'Allowed' : 'Blocked'}</Badge> },
    { key: 'department', label: 'Department', narrowHide: true },
    { key: 'licenses', label: 'Licences', narrowHide: true },
    { key: 'mailbox', label: 'Mailbox', narrowHide: true },
    { key: 'authMethods', label: 'Sign-in methods', narrowHide: true },
  ] },
  { id: 'groups', label: 'Groups', path: 'groups', searchable: true, paged: true, columns: [
    { key: 'displayName', label: 'Name', wide: true },
    { key: 'kind', label: 'Type' },
    { key: 'memberCount', label: 'Members' },
    { key: 'ownerCount', label: 'Owners', narrowHide: true },
    { key: 'dynamic', label: 'Dynamic', render: (r) => yesNo(r.dynamic), narrowHide: true },
    { key: 'team', label: 'Team', render: (r) => yesNo(r.team), narrowHide: true },
    { key: 'licenses', label: 'Licences', narrowHide: true },
  ] },
  { id: 'licenses', label: 'Licences', path: 'licenses', searchable: false, paged: false, columns: [
    { key: 'displayName', label: 'Product', wide: true },
    { key: 'skuPartNumber', label: 'SKU', narrowHide: true },
    { key: 'prepaid', label: 'Bought' },
    { key: 'consumed', label: 'Assigned' },
    { key: 'available', label: 'Free', render: (r) => <Badge style={{ whiteSpace: 'nowrap' }} appearance="tint" color={Number(r.available) > 0 ? 'success' : 'danger'}>{String(r.available)}</Badge> },
  ] },
  { id: 'mailboxes', label: 'Mailboxes', path: 'mailboxes', searchable: true, paged: true, columns: [
    { key: 'displayName', label: 'Name' },
    { key: 'primarySmtpAddress', label: 'Address', wide: true },
    { key: 'recipientTypeDetails', label: 'Type' },
    { key: 'autoReplyState', label: 'Auto reply', narrowHide: true },
    { key: 'forwardingSmtpAddress', label: 'Forwarding', render: (r) => show(r.forwardingAddress ?? r.forwardingSmtpAddress), narrowHide: true },
    { key: 'fullAccess', label: 'Full access', narrowHide: true },
    { key: 'sendAs', label: 'Send as', narrowHide: true },
  ] },
  { id: 'outbox', label: 'Email outbox', path: 'outbox', searchable: false, paged: false, columns: [
    { key: 'sentDateTime', label: 'Sent', render: (r) => when(String(r.sentDateTime)) },
    { key: 'from', label: 'From', narrowHide: true },
    { key: 'to', label: 'To' },
    { key: 'subject', label: 'Subject', wide: true, render: (r) => <><strong>{String(r.subject)}</strong><br /><Text size={200}>{String(r.bodyPreview ?? '')}</Text></> },
  ] },
  { id: 'ledger', label: 'Effects ledger', path: 'ledger', searchable: false, paged: false, columns: [
    { key: 'seq', label: '#' },
    { key: 'time', label: 'Time', render: (r) => when(String(r.time)), narrowHide: true },
    { key: 'method', label: 'Call', wide: true, render: (r) => <><strong>{String(r.method)}</strong>{` ${r.cmdlet ? String(r.cmdlet) : String(r.path)}`}</> },
    { key: 'target', label: 'Target' },
    { key: 'status', label: 'Status', render: (r) => <Badge style={{ whiteSpace: 'nowrap' }} appearance="tint" color={outcomeColor(r.outcome)}>{`${String(r.status)} ${String(r.outcome)}`}</Badge> },
  ] },
];
const TOP = 25;

const useStyles = makeStyles({
  page: { padding: '16px 20px 32px', display: 'flex', flexDirection: 'column', gap: '12px', '@media (max-width: 720px)': { padding: '12px' } },
  top: { display: 'flex', alignItems: 'flex-end', gap: '12px', flexWrap: 'wrap' },
  intro: { color: tokens.colorNeutralForeground2 },
  tabs: { overflowX: 'auto' },
  tools: { display: 'flex', gap: '8px', alignItems: 'center', flexWrap: 'wrap' },
  wrap: { background: tokens.colorNeutralBackground1, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusLarge, overflowX: 'auto' },
  table: { width: '100%', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase200 },
  th: { textAlign: 'left', padding: '8px 10px', color: tokens.colorNeutralForeground2, fontWeight: tokens.fontWeightSemibold, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, whiteSpace: 'nowrap' },
  td: { padding: '7px 10px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, verticalAlign: 'top', overflowWrap: 'break-word' },
  nowrap: { whiteSpace: 'nowrap' },
  wide: { minWidth: '200px' },
  narrowHide: { '@media (max-width: 720px)': { display: 'none' } },
  empty: { padding: '20px', textAlign: 'center', color: tokens.colorNeutralForeground3 },
});

export default function InspectorPage() {
  const s = useStyles();
  const { demoTenants, tenant } = useSession();
  const [tenantId, setTenantId] = useState(() => (demoTenants.some((t) => t.id === tenant?.id) ? tenant!.id : demoTenants[0]!.id));
  const [tab, setTab] = useState<TabDef>(TABS[0]!);
  const [search, setSearch] = useState('');
  const [skip, setSkip] = useState(0);
  const [data, setData] = useState<{ value: Row[]; count: number } | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [stamp, setStamp] = useState<string>('');
  const query = useRef({ tenantId, tab, search, skip });
  query.current = { tenantId, tab, search, skip };

  const load = useCallback(async () => {
    const q = query.current;
    try {
      const params = q.tab.paged ? { search: q.search || undefined, top: TOP, skip: q.skip } : q.tab.id === 'licenses' ? {} : { top: 100 };
      const r = await get<{ value: Row[]; count?: number }>(`/api/demo/tenants/${q.tenantId}/${q.tab.path}${qs(params)}`);
      setData({ value: r.value, count: r.count ?? r.value.length });
      setError(null);
      setStamp(new Date().toLocaleTimeString());
    } catch (e) {
      setError(errorText(e));
    }
  }, []);

  useEffect(() => {
    const t = setTimeout(() => void load(), search ? 250 : 0);
    return () => clearTimeout(t);
  }, [tenantId, tab, search, skip, load]);

  // Reload as runs in this tenant move: each step that ends has changed (or read) the tenant.
  useEffect(() => {
    const ws = socket(`/api/events?tenant=${encodeURIComponent(tenantId)}`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    ws.onmessage = (m) => {
      const e = JSON.parse(String(m.data)) as { type: string; state?: string };
      if (e.type === 'hello' || e.state === 'Running' || e.state === 'Pending' || e.state === 'Approved') return;
      clearTimeout(timer);
      timer = setTimeout(() => void load(), 150);
    };
    return () => { clearTimeout(timer); ws.close(); };
  }, [tenantId, load]);

  const pickTab = (id: string) => {
    const t = TABS.find((x) => x.id === id);
    if (!t) return;
    setTab(t);
    setSkip(0);
    setSearch('');
    setData(null);
  };

  return (
    <div className={s.page}>
      <div className={s.top}>
        <div style={{ flexGrow: 1 }}>
          <Title3 as="h1" block style={{ margin: 0 }}>Demo tenant</Title3>
          <Text as="p" block className={s.intro} style={{ margin: '4px 0 0' }}>What the embedded Microsoft 365 emulator holds. Approve a card and watch the change land here.</Text>
        </div>
        <Field label="Demo tenant">
          <Select value={tenantId} onChange={(_, d) => { setTenantId(d.value); setSkip(0); setData(null); }}>
            {demoTenants.map((t) => <option key={t.id} value={t.id}>{`${t.displayName} (${t.domain})`}</option>)}
          </Select>
        </Field>
      </div>
      <TabList className={s.tabs} selectedValue={tab.id} onTabSelect={(_, d) => pickTab(String(d.value))} aria-label="What to inspect">
        {TABS.map((t) => <Tab key={t.id} value={t.id}>{t.label}</Tab>)}
      </TabList>
      <div className={s.tools}>
        {tab.searchable && (
          <Input type="search" value={search} onChange={(_, d) => { setSearch(d.value); setSkip(0); }} aria-label={`Search ${tab.label.toLowerCase()}`} placeholder={`Search ${tab.label.toLowerCase()}`} contentBefore={<Search20Regular aria-hidden="true" />} />
        )}
        <Button icon={<ArrowClockwise20Regular />} onClick={() => void load()}>Refresh</Button>
        <Text size={200} style={{ color: tokens.colorNeutralForeground3 }}>{data ? `${data.count} in all · updated ${stamp}` : ''}</Text>
      </div>
      {error && <ErrorBox error={error} title="Could not read the demo tenant" />}
      <div className={s.wrap}>
        {!data ? <div className={s.empty}><Spinner size="small" label="Loading" /></div> : !data.value.length ? <div className={s.empty}>Nothing here yet.</div> : (
          <table className={s.table} aria-label={tab.label}>
            <thead>
              <tr>{tab.columns.map((c) => <th key={c.key} scope="col" className={`${s.th} ${c.narrowHide ? s.narrowHide : ''}`}>{c.label}</th>)}</tr>
            </thead>
            <tbody>
              {data.value.map((r, i) => (
                <tr key={String(r.id ?? r.guid ?? r.skuId ?? r.seq ?? i)}>
                  {tab.columns.map((c) => (
                    <td key={c.key} className={`${s.td} ${c.wide ? s.wide : ''} ${c.narrowHide ? s.narrowHide : ''}`}>{c.render ? c.render(r) : show(r[c.key])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {tab.paged && data && data.count > TOP && (
        <div className={s.tools}>
          <Button disabled={skip === 0} onClick={() => setSkip(Math.max(0, skip - TOP))}>Previous</Button>
          <Text>{`${skip + 1}–${Math.min(skip + TOP, data.count)} of ${data.count}`}</Text>
          <Button disabled={skip + TOP >= data.count} onClick={() => setSkip(skip + TOP)}>Next</Button>
        </div>
      )}
    </div>
  );
}
