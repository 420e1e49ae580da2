// The tenant's lifecycle workflows (joiner, mover, leaver) and Microsoft's templates to start a new
// one from.
import { useEffect, useState } from 'react';
import { Badge, Button, Link, Spinner, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { useLcwTenant, WRITE_HINT } from '../../components/lifecycle/use-tenant.ts';
import { errorText } from '../../lib/api.ts';
import { categoryLabel, describeConditions, lcwApi, type Category, type LcwWorkflow, type Template } from '../../lib/lifecycle-api.ts';
import { when } from '../../lib/format.ts';
import { linkProps, navigate } from '../../lib/router.ts';
import type { ErrorBody } from '../../lib/types.ts';
import { QuarantineBadge } from './Quarantine.tsx';

const useStyles = makeStyles({
  page: { padding: '16px 20px 32px', display: 'flex', flexDirection: 'column', gap: '14px', '@media (max-width: 720px)': { padding: '12px' } },
  intro: { color: tokens.colorNeutralForeground2, margin: 0, maxWidth: '80ch' },
  tableWrap: { background: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusLarge, border: `1px solid ${tokens.colorNeutralStroke2}`, overflowX: 'auto' },
  table: { width: '100%', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase300 },
  th: { textAlign: 'left', padding: '10px 12px', fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, whiteSpace: 'nowrap' },
  td: { padding: '10px 12px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, verticalAlign: 'top' },
  sub: { display: 'block', color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  narrow: { '@media (max-width: 720px)': { display: 'none' } },
  h2: { margin: '8px 0 0', fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 300px), 1fr))', gap: '12px', marginTop: '8px' },
  card: {
    background: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusLarge, border: `1px solid ${tokens.colorNeutralStroke2}`,
    padding: '12px 14px', display: 'flex', flexDirection: 'column', gap: '6px',
  },
  cardHead: { display: 'flex', justifyContent: 'space-between', gap: '8px', alignItems: 'flex-start' },
  name: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  desc: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  foot: { marginTop: 'auto', display: 'flex', justifyContent: 'flex-end', paddingTop: '6px' },
});

const catColor = { joiner: 'success', mover: 'brand', leaver: 'danger' } as const;

export function CategoryBadge({ category }: { category: Category }) {
  return <Badge appearance="tint" color={catColor[category]}>{categoryLabel[category]}</Badge>;
}

export default function LifecycleListPage() {
  const s = useStyles();
  const { tenantId, tenantName, q, canWrite } = useLcwTenant();
  const [items, setItems] = useState<LcwWorkflow[] | null>(null);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [error, setError] = useState<ErrorBody | null>(null);

  useEffect(() => {
    if (!tenantId) return;
    setItems(null);
    setError(null);
    Promise.all([lcwApi.workflows(tenantId), lcwApi.templates(tenantId)])
      .then(([w, t]) => { setItems(w); setTemplates(t); })
      .catch((e: unknown) => { setError(errorText(e)); setItems([]); });
  }, [tenantId]);

  const open = (w: LcwWorkflow) => `/lifecycle/workflows/${encodeURIComponent(w.id)}${q}`;

  return (
    <div className={s.page}>
      <Title3 as="h1" block style={{ margin: 0 }}>Lifecycle workflows</Title3>
      <p className={s.intro}>
        {`Joiner, mover and leaver workflows for ${tenantName || 'the tenant'}, with the same model and API as Microsoft Entra Lifecycle Workflows. `}
        They run on the tenant&apos;s schedule from directory attributes, or on demand for chosen users.
      </p>
      {error && <ErrorBox error={error} title="Could not load the lifecycle workflows" />}
      {items === null && !error && <Spinner size="small" label="Loading" />}
      {items !== null && items.length === 0 && !error && <Text>No lifecycle workflows in this tenant yet. Start from a template below.</Text>}
      {items !== null && items.length > 0 && (
        <div className={s.tableWrap}>
          <table className={s.table} aria-label="Lifecycle workflows">
            <thead>
              <tr>
                <th className={s.th} scope="col">Workflow</th>
                <th className={s.th} scope="col">Category</th>
                <th className={`${s.th} ${s.narrow}`} scope="col">Runs when</th>
                <th className={`${s.th} ${s.narrow}`} scope="col">Tasks</th>
                <th className={s.th} scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {items.map((w) => (
                <tr key={w.id} data-lcw-id={w.id}>
                  <td className={s.td}>
                    <Link {...linkProps(open(w))}>{w.displayName}</Link>
                    <span className={s.sub}>{`Version ${w.version} · changed ${when(w.lastModifiedDateTime)}`}</span>
                  </td>
                  <td className={s.td}><CategoryBadge category={w.category} /></td>
                  <td className={`${s.td} ${s.narrow}`}>{describeConditions(w.executionConditions)}</td>
                  <td className={`${s.td} ${s.narrow}`}>{w.tasks?.length ?? ''}</td>
                  <td className={s.td}>
                    {!w.isEnabled ? 'Disabled' : w.isSchedulingEnabled ? 'Scheduled' : 'On demand'}
                    {' '}<QuarantineBadge w={w} />
                    {w.nextScheduleRunDateTime && <span className={s.sub}>{`next ${when(w.nextScheduleRunDateTime)}`}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section aria-labelledby="lcw-templates">
        <h2 className={s.h2} id="lcw-templates">Create from a template</h2>
        {!canWrite && <Text size={200}>{WRITE_HINT}</Text>}
        <div className={s.grid}>
          {templates.map((t) => (
            <article key={t.id} className={s.card} aria-label={t.displayName} data-template-id={t.id}>
              <div className={s.cardHead}>
                <h3 className={s.name}>{t.displayName}</h3>
                <CategoryBadge category={t.category} />
              </div>
              <span className={s.desc}>{t.description}</span>
              <span className={s.desc}>{`${describeConditions(t.executionConditions)} · ${t.tasks.map((x) => x.displayName).join(', ')}`}</span>
              <div className={s.foot}>
                <Button disabled={!canWrite} aria-label={`Use the template ${t.displayName}`}
                  onClick={() => navigate(`/lifecycle/new?template=${encodeURIComponent(t.id)}${q ? `&${q.slice(1)}` : ''}`)}>Use template</Button>
              </div>
            </article>
          ))}
        </div>
      </section>
    </div>
  );
}
