// The workflows people design: the versions waiting for a review first, then every workflow with
// the state of its latest version and the version that serves runs.
import { useEffect, useState } from 'react';
import { Badge, Button, Link, Spinner, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { Add20Regular } from '@fluentui/react-icons';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { DesignStateBadge } from '../../components/design/DesignStateBadge.tsx';
import { errorText } from '../../lib/api.ts';
import { designApi, type WorkflowListItem } from '../../lib/design-api.ts';
import { linkProps, navigate } from '../../lib/router.ts';
import { useSession } from '../../lib/session.ts';
import type { ErrorBody } from '../../lib/types.ts';

const useStyles = makeStyles({
  page: { padding: '16px 20px 32px', display: 'flex', flexDirection: 'column', gap: '14px', '@media (max-width: 720px)': { padding: '12px' } },
  top: { display: 'flex', alignItems: 'center', gap: '12px', flexWrap: 'wrap' },
  intro: { color: tokens.colorNeutralForeground2, margin: 0, maxWidth: '80ch' },
  tableWrap: { background: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusLarge, border: `1px solid ${tokens.colorNeutralStroke2}`, overflowX: 'auto' },
  table: { width: '100%', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase300 },
  th: { textAlign: 'left', padding: '10px 12px', fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, whiteSpace: 'nowrap' },
  td: { padding: '10px 12px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, verticalAlign: 'top' },
  id: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3, display: 'block' },
  narrow: { '@media (max-width: 720px)': { display: 'none' } },
  h2: { margin: '4px 0 0', fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  review: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '6px' },
  reviewItem: {
    display: 'flex', alignItems: 'center', gap: '10px', flexWrap: 'wrap', padding: '10px 12px', background: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorPaletteMarigoldBorder2}`, borderRadius: tokens.borderRadiusMedium,
  },
  links: { display: 'flex', gap: '12px', flexWrap: 'wrap' },
});

export default function WorkflowsPage() {
  const s = useStyles();
  const { me } = useSession();
  const [items, setItems] = useState<WorkflowListItem[] | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);

  useEffect(() => {
    designApi.list().then(setItems).catch((e: unknown) => { setError(errorText(e)); setItems([]); });
  }, []);

  const waiting = (items ?? []).filter((w) => w.latestState === 'AwaitingReview');
  const mayReview = me.user.role === 'reviewer' || me.user.role === 'admin';
  const path = (w: WorkflowListItem) => `/workflows/${encodeURIComponent(w.id)}`;

  return (
    <div className={s.page}>
      <div className={s.top}>
        <Title3 as="h1" block style={{ flexGrow: 1, margin: 0 }}>Workflows</Title3>
        <Button appearance="primary" icon={<Add20Regular />} onClick={() => navigate('/workflows/new')}>New workflow</Button>
      </div>
      <p className={s.intro}>
        Build a workflow from catalog actions, submit it for review, and once a second person has approved it an admin activates it.
        Only the Active version runs from the chat, the API or the CLI.
      </p>
      {error && <ErrorBox error={error} title="Could not load the workflows" />}
      {items === null && <Spinner size="small" label="Loading workflows" />}
      {waiting.length > 0 && (
        <section aria-labelledby="wf-waiting-h">
          <h2 className={s.h2} id="wf-waiting-h">Waiting for review</h2>
          <ul className={s.review} style={{ marginTop: '8px' }}>
            {waiting.map((w) => (
              <li key={w.id} className={s.reviewItem}>
                <Text weight="semibold">{`${w.name} · version ${w.latestVersion}`}</Text>
                <Link {...linkProps(`${path(w)}/versions/${w.latestVersion}`)}>{mayReview ? 'Review it' : 'Open the review'}</Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {items !== null && items.length > 0 && (
        <div className={s.tableWrap}>
          <table className={s.table} aria-label="Workflows">
            <thead>
              <tr>
                <th className={s.th} scope="col">Workflow</th>
                <th className={s.th} scope="col">Latest version</th>
                <th className={`${s.th} ${s.narrow}`} scope="col">Active version</th>
                <th className={s.th} scope="col"><span className="visually-hidden">Links</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((w) => (
                <tr key={w.id} data-workflow-id={w.id}>
                  <td className={s.td}>
                    <Link {...linkProps(path(w))}>{w.name}</Link>
                    {w.builtin && <Badge appearance="outline" size="small" style={{ marginLeft: '6px' }}>built-in</Badge>}
                    <span className={s.id}>{w.id}</span>
                  </td>
                  <td className={s.td}>
                    <span style={{ marginRight: '6px' }}>{`v${w.latestVersion}`}</span>
                    <DesignStateBadge state={w.latestState} size="small" />
                  </td>
                  <td className={`${s.td} ${s.narrow}`}>{w.activeVersion ? `v${w.activeVersion}` : '—'}</td>
                  <td className={s.td}>
                    <span className={s.links}>
                      <Link {...linkProps(`${path(w)}/history`)}>History</Link>
                      {(w.latestState === 'AwaitingReview' || w.latestState === 'Approved') && (
                        <Link {...linkProps(`${path(w)}/versions/${w.latestVersion}`)}>{w.latestState === 'Approved' ? 'Activate' : 'Review'}</Link>
                      )}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {items !== null && !items.length && !error && <Text>No workflows yet.</Text>}
    </div>
  );
}
