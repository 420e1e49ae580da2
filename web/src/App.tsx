// Signed out: the sign-in page. Signed in: the shell with its pages. The session comes from
// GET /api/auth/me (the cookie is httpOnly; the CSRF token comes back in the answer).
import { useCallback, useEffect, useState } from 'react';
import { Spinner } from '@fluentui/react-components';
import { get, onUnauthenticated, post, setCsrfToken } from './lib/api.ts';
import { pageConfig } from './lib/config.ts';
import type { Me } from './lib/types.ts';
import { SignIn } from './pages/SignIn.tsx';
import { Shell } from './components/Shell.tsx';
import { resetChat } from './lib/chat-store.ts';

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const config = pageConfig();

  const load = useCallback(async () => {
    try {
      const m = await get<Me>('/api/auth/me');
      setCsrfToken(m.csrfToken);
      setMe(m);
    } catch {
      setCsrfToken(null);
      setMe(null);
    }
  }, []);

  useEffect(() => {
    onUnauthenticated(() => { setCsrfToken(null); setMe(null); });
    void load();
    return () => onUnauthenticated(null);
  }, [load]);

  const signOut = useCallback(async () => {
    try { await post('/api/auth/logout'); } catch { /* the session may already be gone */ }
    setCsrfToken(null);
    resetChat();
    setMe(null);
  }, []);

  if (me === undefined) {
    return <div style={{ display: 'grid', placeItems: 'center', height: '100%' }}><Spinner label="Loading Tenantflow" /></div>;
  }
  if (me === null) return <SignIn adminPasswordGenerated={config.adminPasswordGenerated} onSignedIn={load} />;
  return <Shell me={me} onSignOut={signOut} />;
}
