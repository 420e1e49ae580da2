// Sign-in: username and password set the session cookie. On a first start the server generated the
// admin password and printed it in its terminal; the page says where to look (never the password).
import { useState, type FormEvent } from 'react';
import {
  Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, Title2, makeStyles, tokens,
} from '@fluentui/react-components';
import { post } from '../lib/api.ts';
import { ApiError } from '../lib/api.ts';

const useStyles = makeStyles({
  page: {
    minHeight: '100%',
    display: 'grid',
    placeItems: 'center',
    padding: '24px 16px',
    boxSizing: 'border-box',
    background: `linear-gradient(160deg, ${tokens.colorBrandBackground2} 0%, ${tokens.colorNeutralBackground3} 60%)`,
  },
  card: {
    width: '100%',
    maxWidth: '400px',
    background: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusXLarge,
    boxShadow: tokens.shadow16,
    padding: '32px 28px',
    boxSizing: 'border-box',
    display: 'flex',
    flexDirection: 'column',
    gap: '16px',
  },
  brand: { display: 'flex', alignItems: 'center', gap: '10px' },
  logo: {
    width: '32px', height: '32px', borderRadius: '6px', background: tokens.colorBrandBackground, color: tokens.colorNeutralForegroundOnBrand,
    display: 'grid', placeItems: 'center', fontWeight: tokens.fontWeightBold, fontSize: '18px',
  },
  sub: { color: tokens.colorNeutralForeground2 },
  form: { display: 'flex', flexDirection: 'column', gap: '14px' },
});

export function SignIn({ adminPasswordGenerated, onSignedIn }: { adminPasswordGenerated: boolean; onSignedIn: () => Promise<void> }) {
  const s = useStyles();
  const [username, setUsername] = useState(adminPasswordGenerated ? 'admin' : '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post('/api/auth/login', { username: username.trim(), password });
      await onSignedIn();
    } catch (err) {
      setError(err instanceof ApiError && err.body.code === 'invalid_credentials'
        ? 'Wrong username or password.'
        : err instanceof ApiError ? err.body.message : 'Could not sign in.');
      setBusy(false);
    }
  };

  return (
    <main className={s.page}>
      <div className={s.card}>
        <div className={s.brand}>
          <div className={s.logo} aria-hidden="true">T</div>
          <Title2 as="h1">Tenantflow</Title2>
        </div>
        <Text className={s.sub}>Sign in to manage your customers' Microsoft 365 tenants in plain words.</Text>
        {adminPasswordGenerated && (
          <MessageBar intent="info" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>First start</MessageBarTitle>
              Sign in as <strong>admin</strong> with the password printed in the terminal where you ran <code>npm start</code>.
            </MessageBarBody>
          </MessageBar>
        )}
        <form className={s.form} onSubmit={submit} aria-label="Sign in">
          <Field label="Username" required>
            <Input value={username} onChange={(_, d) => setUsername(d.value)} autoComplete="username" name="username" autoFocus={!adminPasswordGenerated} />
          </Field>
          <Field label="Password" required validationMessage={error ?? undefined} validationState={error ? 'error' : 'none'}>
            <Input type="password" value={password} onChange={(_, d) => setPassword(d.value)} autoComplete="current-password" name="password" autoFocus={adminPasswordGenerated} />
          </Field>
          <Button appearance="primary" type="submit" disabled={busy || !username || !password} icon={busy ? <Spinner size="tiny" /> : undefined}>
            Sign in
          </Button>
        </form>
      </div>
    </main>
  );
}
