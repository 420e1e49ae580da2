// The signed-in frame, laid out like the Microsoft 365 admin centre: a top bar (product, tenant
// switcher, notifications, account) and a left rail of pages, which becomes a row of tabs on a phone.
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import {
  Button, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, Select, Spinner, makeStyles, mergeClasses, tokens, useId,
} from '@fluentui/react-components';
import {
  Beaker20Regular, BuildingMultiple20Regular, Chat20Regular, Flowchart20Regular, PeopleSync20Regular, History20Regular, Library20Regular, PersonCircle24Regular, SignOut20Regular,
} from '@fluentui/react-icons';
import { get } from '../lib/api.ts';
import { newConversation, useChat } from '../lib/chat-store.ts';
import { linkProps, navigate, usePath } from '../lib/router.ts';
import { SessionContext, type Session } from '../lib/session.ts';
import type { Me, Tenant } from '../lib/types.ts';
import { NotificationBell } from './NotificationBell.tsx';
import { ToastRegion } from './Toasts.tsx';

const ChatPage = lazy(() => import('../pages/ChatPage.tsx'));
const HistoryPage = lazy(() => import('../pages/HistoryPage.tsx'));
const RunPage = lazy(() => import('../pages/RunPage.tsx'));
const CatalogPage = lazy(() => import('../pages/CatalogPage.tsx'));
const InspectorPage = lazy(() => import('../pages/InspectorPage.tsx'));
const DesignRoutes = lazy(() => import('../pages/design/DesignRoutes.tsx'));
const LifecycleRoutes = lazy(() => import('../pages/lifecycle/LifecycleRoutes.tsx'));

const TENANT_KEY = 'tf.tenant';

const useStyles = makeStyles({
  root: {
    height: '100%',
    display: 'grid',
    gridTemplateRows: '48px 1fr',
    gridTemplateColumns: '216px 1fr',
    gridTemplateAreas: '"top top" "nav main"',
    '@media (max-width: 720px)': {
      gridTemplateColumns: '1fr',
      gridTemplateRows: 'auto auto 1fr',
      gridTemplateAreas: '"top" "nav" "main"',
    },
  },
  top: {
    gridArea: 'top',
    display: 'flex',
    alignItems: 'center',
    gap: '12px',
    padding: '0 12px 0 16px',
    background: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    minWidth: 0,
    '@media (max-width: 720px)': { gap: '4px', padding: '0 4px 0 10px' },
  },
  product: {
    fontSize: tokens.fontSizeBase400,
    fontWeight: tokens.fontWeightSemibold,
    color: 'inherit',
    textDecoration: 'none',
    whiteSpace: 'nowrap',
    display: 'flex',
    alignItems: 'center',
    gap: '8px',
    borderRadius: tokens.borderRadiusMedium,
    ':focus-visible': { outline: `2px solid ${tokens.colorNeutralForegroundOnBrand}`, outlineOffset: '2px' },
  },
  productName: { '@media (max-width: 720px)': { display: 'none' } },
  logo: {
    width: '24px', height: '24px', borderRadius: '5px', background: tokens.colorNeutralForegroundOnBrand, color: tokens.colorBrandForeground1,
    display: 'grid', placeItems: 'center', fontWeight: tokens.fontWeightBold, fontSize: '14px',
  },
  spacer: { flexGrow: 1 },
  tenantBox: { display: 'flex', alignItems: 'center', gap: '6px', minWidth: 0 },
  tenantLabel: { fontSize: tokens.fontSizeBase200, '@media (max-width: 720px)': { display: 'none' } },
  tenantIcon: { '@media (max-width: 720px)': { display: 'none' } },
  tenant: { minWidth: '180px', maxWidth: '260px', '@media (max-width: 720px)': { minWidth: '0', width: '170px' } },
  onBrand: {
    color: tokens.colorNeutralForegroundOnBrand,
    ':hover': { color: tokens.colorNeutralForegroundOnBrand, background: tokens.colorBrandBackgroundHover },
    ':hover:active': { color: tokens.colorNeutralForegroundOnBrand, background: tokens.colorBrandBackgroundPressed },
  },
  userName: { '@media (max-width: 720px)': { display: 'none' } },
  nav: {
    gridArea: 'nav',
    background: tokens.colorNeutralBackground1,
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    padding: '12px 8px',
    display: 'flex',
    flexDirection: 'column',
    gap: '2px',
    '@media (max-width: 720px)': {
      flexDirection: 'row', overflowX: 'auto', padding: '4px 8px', borderRight: 'none', borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    },
  },
  navLink: {
    display: 'flex',
    alignItems: 'center',
    gap: '10px',
    padding: '8px 12px',
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground1,
    textDecoration: 'none',
    fontSize: tokens.fontSizeBase300,
    whiteSpace: 'nowrap',
    position: 'relative',
    ':hover': { background: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
    '@media (max-width: 720px)': { padding: '8px 10px', gap: '0' },
  },
  navIcon: { display: 'inline-flex', '@media (max-width: 720px)': { display: 'none' } },
  navActive: {
    background: tokens.colorNeutralBackground1Selected,
    fontWeight: tokens.fontWeightSemibold,
    '::before': {
      content: '""', position: 'absolute', left: '0', top: '8px', bottom: '8px', width: '3px', borderRadius: '2px', background: tokens.colorBrandBackground,
    },
    '@media (max-width: 720px)': {
      '::before': { left: '10px', right: '10px', top: 'auto', bottom: '0', width: 'auto', height: '3px' },
    },
  },
  main: { gridArea: 'main', overflow: 'auto', minWidth: 0, minHeight: 0, background: tokens.colorNeutralBackground2 },
  loading: { padding: '48px', display: 'grid', placeItems: 'center' },
});

function pageOf(path: string): { page: 'chat' | 'history' | 'run' | 'catalog' | 'inspector' | 'workflows' | 'lifecycle'; id?: string } {
  const parts = path.split('/').filter(Boolean);
  switch (parts[0]) {
    case 'history': return { page: 'history' };
    case 'runs': return parts[1] ? { page: 'run', id: parts[1] } : { page: 'history' };
    case 'catalog': return { page: 'catalog' };
    case 'inspector': return { page: 'inspector' };
    case 'workflows': return { page: 'workflows' };
    case 'lifecycle': return { page: 'lifecycle' };
    case 'chat': return parts[1] ? { page: 'chat', id: parts[1] } : { page: 'chat' };
    default: return { page: 'chat' };
  }
}

export function Shell({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const s = useStyles();
  const { path } = usePath();
  const route = pageOf(path);
  const chat = useChat();
  const switcherId = useId('tenant');
  const [tenants, setTenants] = useState<Tenant[]>([]);
  const [demoTenants, setDemoTenants] = useState<Tenant[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [tenantId, setTenantId] = useState<string | undefined>(() => localStorage.getItem(TENANT_KEY) ?? undefined);

  useEffect(() => {
    performance.mark('tf-shell');
    let cancelled = false;
    void Promise.all([
      get<{ tenants: Tenant[] }>('/api/tenants').catch(() => ({ tenants: [] })),
      get<{ enabled: boolean; tenants: Tenant[] }>('/api/demo').catch(() => ({ enabled: false, tenants: [] })),
    ]).then(([t, d]) => {
      if (cancelled) return;
      setTenants(t.tenants);
      setDemoTenants(d.enabled ? d.tenants : []);
      setLoaded(true);
    });
    return () => { cancelled = true; };
  }, []);

  // The switcher shows only the caller's tenants; a remembered tenant they lost falls back to the first.
  const tenant = tenants.find((t) => t.id === tenantId) ?? tenants[0];
  useEffect(() => {
    if (tenant && chat.tenantId === undefined && !chat.conversationId) newConversation(tenant.id);
  }, [tenant, chat.tenantId, chat.conversationId]);

  const setTenant = useCallback((id: string) => {
    localStorage.setItem(TENANT_KEY, id);
    setTenantId(id);
    newConversation(id);
  }, []);

  const session = useMemo<Session>(() => ({
    me, tenants, tenant, setTenant, demoTenants, signOut: onSignOut,
    tenantName: (id: string) => tenants.find((t) => t.id === id)?.displayName ?? id,
  }), [me, tenants, tenant, setTenant, demoTenants, onSignOut]);

  const nav: Array<{ to: string; label: string; icon: React.ReactElement; active: boolean }> = [
    { to: '/chat', label: 'Chat', icon: <Chat20Regular />, active: route.page === 'chat' },
    { to: '/history', label: 'History', icon: <History20Regular />, active: route.page === 'history' || route.page === 'run' },
    { to: '/catalog', label: 'Catalog', icon: <Library20Regular />, active: route.page === 'catalog' },
    { to: '/workflows', label: 'Workflows', icon: <Flowchart20Regular />, active: route.page === 'workflows' },
    { to: '/lifecycle', label: 'Lifecycle', icon: <PeopleSync20Regular />, active: route.page === 'lifecycle' },
    ...(demoTenants.length ? [{ to: '/inspector', label: 'Demo tenant', icon: <Beaker20Regular />, active: route.page === 'inspector' }] : []),
  ];

  return (
    <SessionContext.Provider value={session}>
      <div className={s.root} data-testid="app-shell">
        <header className={s.top}>
          <a className={s.product} aria-label="Tenantflow home" {...linkProps('/chat')}>
            <span className={s.logo} aria-hidden="true">T</span>
            <span className={s.productName}>Tenantflow</span>
          </a>
          <div className={s.spacer} />
          <div className={s.tenantBox}>
            <BuildingMultiple20Regular aria-hidden="true" className={s.tenantIcon} />
            <label className={s.tenantLabel} htmlFor={switcherId}>Tenant</label>
            {/* A native select: light, and the phone's own picker on small screens. */}
            <Select
              id={switcherId}
              className={s.tenant}
              size="small"
              value={tenant?.id ?? ''}
              onChange={(_, d) => d.value && setTenant(d.value)}
              disabled={!tenants.length}
            >
              {/* "No tenants" only once the list has come back empty, never while it loads. */}
              {!tenants.length && <option value="">{loaded ? 'No tenants' : 'Loading tenants…'}</option>}
              {tenants.map((t) => <option key={t.id} value={t.id} title={t.domain}>{t.displayName}</option>)}
            </Select>
          </div>
          <NotificationBell className={s.onBrand} />
          <Menu>
            <MenuTrigger disableButtonEnhancement>
              <Button appearance="transparent" className={s.onBrand} icon={<PersonCircle24Regular />} aria-label={`Account: ${me.user.username}`}>
                <span className={s.userName}>{me.user.username}</span>
              </Button>
            </MenuTrigger>
            <MenuPopover>
              <MenuList>
                <MenuItem disabled>{`${me.user.username} · ${me.user.role}`}</MenuItem>
                <MenuItem icon={<SignOut20Regular />} onClick={onSignOut}>Sign out</MenuItem>
              </MenuList>
            </MenuPopover>
          </Menu>
        </header>
        <nav className={s.nav} aria-label="Pages">
          {nav.map((n) => (
            <a key={n.to} className={mergeClasses(s.navLink, n.active && s.navActive)} aria-current={n.active ? 'page' : undefined} {...linkProps(n.to)}>
              <span aria-hidden="true" className={s.navIcon}>{n.icon}</span>
              {n.label}
            </a>
          ))}
        </nav>
        <main className={s.main} id="main">
          <Suspense fallback={<div className={s.loading}><Spinner label="Loading" /></div>}>
            {route.page === 'chat' && <ChatPage conversationId={route.id} />}
            {route.page === 'history' && <HistoryPage />}
            {route.page === 'run' && route.id && <RunPage id={route.id} />}
            {route.page === 'catalog' && <CatalogPage />}
            {route.page === 'workflows' && <DesignRoutes path={path} />}
            {route.page === 'lifecycle' && <LifecycleRoutes path={path} />}
            {route.page === 'inspector' && (!loaded ? <div className={s.loading}><Spinner label="Loading" /></div> : demoTenants.length ? <InspectorPage /> : <Redirect to="/chat" />)}
          </Suspense>
        </main>
        <ToastRegion />
      </div>
    </SessionContext.Provider>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => { navigate(to, { replace: true }); }, [to]);
  return null;
}
