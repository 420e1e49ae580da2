// The catalog: every workflow and action with its parameters, and "Try it", which puts a starting
// phrase in the chat's message box for the person to finish.
import { useEffect, useMemo, useState } from 'react';
import { Badge, Button, Input, Spinner, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { Search20Regular, Chat20Regular } from '@fluentui/react-icons';
import { ErrorBox } from '../components/ErrorBox.tsx';
import { errorText, get } from '../lib/api.ts';
import { setDraft } from '../lib/chat-store.ts';
import { humanize } from '../lib/format.ts';
import { navigate } from '../lib/router.ts';
import type { ActionInfo, ErrorBody, JsonSchema, WorkflowInfo, WorkflowParam } from '../lib/types.ts';

interface Item {
  id: string;
  title: string;
  description: string;
  kind: 'workflow' | 'action';
  category: string;
  reversible: boolean | null;
  irreversibleReason?: string | undefined;
  params: WorkflowParam[];
}

/** How a request for each item usually starts in the chat. */
const starters: Record<string, string> = {
  'reset-password': 'reset password for ',
  'disable-user': 'disable ',
  'enable-user': 'enable ',
  'revoke-sessions': 'revoke sessions for ',
  'reset-mfa': 'reset MFA for ',
  'create-user': 'create user ',
  'delete-user': 'delete user ',
  'restore-user': 'restore user ',
  'create-temporary-access-pass': 'create a temporary access pass for ',
  'assign-license': 'assign license to ',
  'remove-license': 'remove license from ',
  'swap-license': 'swap license for ',
  'audit-licenses': 'audit licenses',
  'offboard-user': 'offboard ',
  'onboard-user': 'onboard ',
  'role-change': 'role change for ',
  'security-incident': 'security incident for ',
  'set-out-of-office': 'set out of office for ',
  'convert-to-shared': 'convert to shared mailbox ',
};

function typeOf(p: JsonSchema): string {
  if (p.enum) return p.enum.map(String).join(' | ');
  if (p.anyOf) return p.anyOf.map(typeOf).join(' or ');
  if (p.type === 'array') return `list of ${p.items ? typeOf(p.items) : 'values'}`;
  return Array.isArray(p.type) ? p.type.join(' | ') : p.type ?? 'value';
}

function actionParams(schema: JsonSchema): WorkflowParam[] {
  const req = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, p]) => ({ name, type: typeOf(p), required: req.has(name), description: p.description ?? '', default: p.default }));
}

const useStyles = makeStyles({
  page: { padding: '16px 20px 32px', display: 'flex', flexDirection: 'column', gap: '14px', '@media (max-width: 720px)': { padding: '12px' } },
  top: { display: 'flex', alignItems: 'center', gap: '12px', flexWrap: 'wrap' },
  search: { width: 'min(360px, 100%)' },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 380px), 1fr))', gap: '12px' },
  card: {
    background: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusLarge, border: `1px solid ${tokens.colorNeutralStroke2}`,
    padding: '14px 16px', display: 'flex', flexDirection: 'column', gap: '8px', minWidth: 0,
  },
  cardHead: { display: 'flex', alignItems: 'flex-start', gap: '8px', justifyContent: 'space-between' },
  name: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  id: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3 },
  desc: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase300 },
  badges: { display: 'flex', gap: '6px', flexWrap: 'wrap' },
  params: { margin: 0, padding: 0, listStyle: 'none', display: 'flex', flexDirection: 'column', gap: '4px', fontSize: tokens.fontSizeBase200 },
  pname: { fontFamily: tokens.fontFamilyMonospace, fontWeight: tokens.fontWeightSemibold },
  ptype: { color: tokens.colorNeutralForeground3 },
  foot: { marginTop: 'auto', display: 'flex', justifyContent: 'flex-end' },
  h2: { margin: '8px 0 0', fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
});

function CatalogCard({ item }: { item: Item }) {
  const s = useStyles();
  const tryIt = () => {
    setDraft(starters[item.id] ?? `${item.title.toLowerCase()} `, true);
    navigate('/chat');
  };
  return (
    <article className={s.card} aria-label={item.title} data-catalog-id={item.id}>
      <div className={s.cardHead}>
        <div>
          <h3 className={s.name}>{item.title}</h3>
          <span className={s.id}>{item.id}</span>
        </div>
        <div className={s.badges}>
          <Badge appearance="tint" color={item.kind === 'workflow' ? 'brand' : 'informative'}>{item.kind === 'workflow' ? 'Workflow' : humanize(item.category)}</Badge>
          {item.reversible === true && <Badge appearance="outline" color="success">Undoable</Badge>}
          {item.reversible === false && <Badge appearance="outline" color="warning" title={item.irreversibleReason}>No undo</Badge>}
        </div>
      </div>
      <Text className={s.desc}>{item.description}</Text>
      {item.params.length > 0 && (
        <ul className={s.params} aria-label={`Parameters of ${item.title}`}>
          {item.params.map((p) => (
            <li key={p.name}>
              <span className={s.pname}>{p.name}</span>
              <span className={s.ptype}>{` ${p.type ?? 'string'}${p.required ? ', required' : ', optional'}${p.default !== undefined ? `, default ${JSON.stringify(p.default)}` : ''}`}</span>
              {p.description ? ` — ${p.description}` : ''}
            </li>
          ))}
        </ul>
      )}
      <div className={s.foot}>
        <Button icon={<Chat20Regular />} onClick={tryIt} aria-label={`Try ${item.title} in the chat`}>Try it</Button>
      </div>
    </article>
  );
}

export default function CatalogPage() {
  const s = useStyles();
  const [items, setItems] = useState<Item[] | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [q, setQ] = useState('');

  useEffect(() => {
    (async () => {
      const [a, w] = await Promise.all([get<{ actions: ActionInfo[] }>('/api/actions'), get<{ workflows: WorkflowInfo[] }>('/api/workflows')]);
      const multi = w.workflows.filter((x) => x.kind === 'workflow');
      const defs = await Promise.all(multi.map((x) =>
        get<{ definition: { parameters?: WorkflowParam[] } }>(`/api/workflows/${encodeURIComponent(x.id)}`).then((d) => d.definition.parameters ?? []).catch(() => [] as WorkflowParam[])));
      setItems([
        ...multi.map((x, i): Item => ({ id: x.id, title: x.name, description: x.description, kind: 'workflow', category: 'workflow', reversible: null, params: defs[i] ?? [] })),
        ...a.actions.map((x): Item => ({ id: x.id, title: x.title, description: x.description, kind: 'action', category: x.category, reversible: x.reversible, irreversibleReason: x.irreversibleReason, params: actionParams(x.parameters) })),
      ]);
    })().catch((e: unknown) => { setError(errorText(e)); setItems([]); });
  }, []);

  const shown = useMemo(() => {
    const n = q.trim().toLowerCase();
    return (items ?? []).filter((x) => !n || `${x.title} ${x.id} ${x.description} ${x.category}`.toLowerCase().includes(n));
  }, [items, q]);
  const groups = useMemo(() => {
    const out = new Map<string, Item[]>();
    for (const x of shown) {
      const k = x.kind === 'workflow' ? 'Workflows' : `${humanize(x.category)} actions`;
      out.set(k, [...(out.get(k) ?? []), x]);
    }
    return [...out.entries()];
  }, [shown]);

  return (
    <div className={s.page}>
      <div className={s.top}>
        <Title3 as="h1" block style={{ flexGrow: 1, margin: 0 }}>Catalog</Title3>
        <Input className={s.search} type="search" value={q} onChange={(_, d) => setQ(d.value)} aria-label="Search the catalog" placeholder="Search actions and workflows" contentBefore={<Search20Regular aria-hidden="true" />} />
      </div>
      {error && <ErrorBox error={error} title="Could not load the catalog" />}
      {items === null && <Spinner size="small" label="Loading the catalog" />}
      {items !== null && !shown.length && !error && <Text>Nothing matches “{q}”.</Text>}
      {groups.map(([title, xs]) => (
        <section key={title} aria-label={title}>
          <h2 className={s.h2}>{title}</h2>
          <div className={s.grid} style={{ marginTop: '8px' }}>{xs.map((x) => <CatalogCard key={x.id} item={x} />)}</div>
        </section>
      ))}
    </div>
  );
}
