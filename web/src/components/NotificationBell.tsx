// The bell: unread count, the list of finished runs you started or approved, and a toast as each
// one ends (pushed over /api/notifications/live, so a run that ends on another page still tells you).
import { useCallback, useEffect, useState } from 'react';
import {
  Button, CounterBadge, Popover, PopoverSurface, PopoverTrigger, Text, makeStyles, tokens,
} from '@fluentui/react-components';
import { Alert24Regular } from '@fluentui/react-icons';
import { get, post, socket } from '../lib/api.ts';
import { when } from '../lib/format.ts';
import { navigate } from '../lib/router.ts';
import type { NotificationItem } from '../lib/types.ts';
import { StateBadge } from './StateBadge.tsx';
import { showToast } from './Toasts.tsx';

const useStyles = makeStyles({
  wrap: { position: 'relative', display: 'inline-flex' },
  badge: { position: 'absolute', top: '4px', right: '2px', pointerEvents: 'none' },
  surface: { width: 'min(360px, calc(100vw - 24px))', padding: '0', boxSizing: 'border-box' },
  head: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', padding: '12px 12px 8px 16px', borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  list: { listStyle: 'none', margin: 0, padding: '4px 0', maxHeight: '360px', overflowY: 'auto' },
  item: {
    display: 'grid', gridTemplateColumns: '1fr auto', gap: '2px 8px', width: '100%', textAlign: 'left', border: 'none', background: 'transparent',
    padding: '10px 16px', cursor: 'pointer', font: 'inherit', color: tokens.colorNeutralForeground1,
    ':hover': { background: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  unread: { fontWeight: tokens.fontWeightSemibold, '::before': { content: '"● "', color: tokens.colorBrandForeground1 } },
  time: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  empty: { padding: '16px', color: tokens.colorNeutralForeground3 },
});

/** Where a notification leads: the server's link (a run, or a workflow version to review). */
const linkOf = (n: NotificationItem & { link?: string | null }): string => n.link ?? `/runs/${n.runId}`;

export function NotificationBell({ className }: { className?: string }) {
  const s = useStyles();
  const [items, setItems] = useState<NotificationItem[]>([]);
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);

  const load = useCallback(async () => {
    try {
      const r = await get<{ notifications: NotificationItem[]; unread: number }>('/api/notifications?limit=30');
      setItems(r.notifications);
      setUnread(r.unread);
    } catch { /* the bell stays as it was */ }
  }, []);

  useEffect(() => {
    void load();
    let ws: WebSocket | undefined;
    let stopped = false;
    let retry = 0;
    const connect = () => {
      ws = socket('/api/notifications/live');
      ws.onopen = () => { retry = 0; };
      ws.onmessage = (m) => {
        const msg = JSON.parse(String(m.data)) as { type: string; notification?: NotificationItem };
        if (msg.type !== 'notification' || !msg.notification) return;
        const n = msg.notification;
        setItems((xs) => [n, ...xs.filter((x) => x.id !== n.id)].slice(0, 30));
        setUnread((u) => u + 1);
        const lifecycle = n.kind.startsWith('lifecycle.');
        showToast({
          title: n.runId ? `Run ${n.state}` : lifecycle ? `Lifecycle workflow ${n.state.toLowerCase()}` : 'Workflow review',
          body: n.title,
          intent: lifecycle ? 'error' : !n.runId ? 'info' : n.state === 'Completed' ? 'success' : n.state === 'Cancelled' ? 'info' : 'error',
          link: { href: linkOf(n), label: n.runId ? 'Open the run' : 'Open the workflow' },
        });
      };
      ws.onclose = () => {
        if (stopped) return;
        retry++;
        setTimeout(() => { if (!stopped) { connect(); void load(); } }, Math.min(10_000, 500 * 2 ** retry));
      };
    };
    connect();
    return () => { stopped = true; ws?.close(); };
  }, [load]);

  const openRun = async (n: NotificationItem) => {
    setOpen(false);
    if (!n.read) {
      setItems((xs) => xs.map((x) => (x.id === n.id ? { ...x, read: true } : x)));
      setUnread((u) => Math.max(0, u - 1));
      void post(`/api/notifications/${n.id}/read`).catch(() => {});
    }
    navigate(linkOf(n));
  };

  const readAll = async () => {
    setItems((xs) => xs.map((x) => ({ ...x, read: true })));
    setUnread(0);
    await post('/api/notifications/read-all').catch(() => {});
  };

  return (
    <span className={s.wrap}>
    <Popover open={open} onOpenChange={(_, d) => setOpen(d.open)} positioning="below-end" trapFocus>
      <PopoverTrigger disableButtonEnhancement>
        <Button appearance="transparent" className={className} icon={<Alert24Regular />} aria-label={`Notifications, ${unread} unread`} />
      </PopoverTrigger>
      <PopoverSurface className={s.surface} aria-label="Notifications">
        <div className={s.head}>
          <Text weight="semibold">Notifications</Text>
          <Button size="small" appearance="subtle" onClick={readAll} disabled={!unread}>Mark all read</Button>
        </div>
        {items.length === 0 ? (
          <div className={s.empty}>Nothing yet. When a run you started or approved ends, it shows up here.</div>
        ) : (
          <ul className={s.list}>
            {items.map((n) => (
              <li key={n.id}>
                <button type="button" className={s.item} onClick={() => void openRun(n)}>
                  <span className={n.read ? undefined : s.unread}>{n.title}</span>
                  <StateBadge state={n.state} size="small" />
                  <span className={s.time}>{when(n.createdAt)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </PopoverSurface>
    </Popover>
    {unread > 0 && <CounterBadge className={s.badge} count={unread} size="small" color="danger" aria-hidden="true" data-testid="unread-count" />}
    </span>
  );
}
