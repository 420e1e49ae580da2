// The one-time hand-over of generated credentials (a temporary password, a temporary access pass) to
// the person who approved the run. The server gives them out once and seals them; this page keeps
// them only in memory, until the person hides them or reloads.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { Button, Input, MessageBar, MessageBarBody, MessageBarTitle, Text, makeStyles, tokens } from '@fluentui/react-components';
import { Checkmark20Regular, Copy20Regular, Key20Regular } from '@fluentui/react-icons';
import { ApiError, errorText, get } from '../lib/api.ts';
import { humanize } from '../lib/format.ts';
import type { ErrorBody } from '../lib/types.ts';
import { ErrorBox } from './ErrorBox.tsx';

interface Secret { name: string; step: string; value: string }
type Held = { secrets: Secret[] } | { sealed: true } | { error: ErrorBody } | { loading: true };

const held = new Map<string, Held>();
const listeners = new Set<() => void>();
const put = (runId: string, v: Held | undefined) => {
  if (v) held.set(runId, v); else held.delete(runId);
  for (const l of listeners) l();
};

export async function revealSecrets(runId: string): Promise<void> {
  if (held.has(runId)) return;
  put(runId, { loading: true });
  try {
    const r = await get<{ secrets: Secret[] }>(`/api/runs/${runId}/secrets`);
    put(runId, { secrets: r.secrets });
  } catch (e) {
    put(runId, e instanceof ApiError && e.body.code === 'invalid_state' ? { sealed: true } : { error: errorText(e) });
  }
}

const useStyles = makeStyles({
  box: {
    border: `1px solid ${tokens.colorBrandStroke2}`, background: tokens.colorBrandBackground2, borderRadius: tokens.borderRadiusMedium,
    padding: '12px 14px', display: 'flex', flexDirection: 'column', gap: '8px',
  },
  head: { display: 'flex', alignItems: 'center', gap: '8px', fontWeight: tokens.fontWeightSemibold },
  row: { display: 'flex', gap: '8px', alignItems: 'center', flexWrap: 'wrap' },
  value: { fontFamily: tokens.fontFamilyMonospace, minWidth: '220px', flexGrow: 1, maxWidth: '360px' },
  label: { display: 'block', fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2, marginBottom: '4px' },
  note: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(t);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Older browsers or an insecure origin: fall back to a selection copy.
      const ta = document.createElement('textarea');
      ta.value = value;
      document.body.appendChild(ta);
      ta.select();
      document.execCommand('copy');
      ta.remove();
    }
    setCopied(true);
  };
  return (
    <Button icon={copied ? <Checkmark20Regular /> : <Copy20Regular />} onClick={() => void copy()} aria-label={`Copy ${label}`}>
      {copied ? 'Copied' : 'Copy'}
    </Button>
  );
}

/** `auto` reveals at once (the approver just watched the run finish); otherwise it waits for a click. */
export function SecretReveal({ runId, auto, subject }: { runId: string; auto: boolean; subject: string | null }) {
  const s = useStyles();
  const state = useSyncExternalStore((l) => { listeners.add(l); return () => { listeners.delete(l); }; }, () => held.get(runId));
  useEffect(() => {
    if (auto) void revealSecrets(runId);
  }, [auto, runId]);

  if (!state) {
    return (
      <div className={s.box}>
        <div className={s.head}><Key20Regular aria-hidden="true" />This run generated a credential</div>
        <Text className={s.note}>It can be shown once, to you as the approver. Have somewhere safe to put it.</Text>
        <div><Button appearance="primary" onClick={() => void revealSecrets(runId)}>Show it once</Button></div>
      </div>
    );
  }
  if ('loading' in state) return <div className={s.box}><Text>Fetching the credential…</Text></div>;
  if ('error' in state) return <ErrorBox error={state.error} title="Could not fetch the credential" />;
  if ('sealed' in state) {
    return (
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody><MessageBarTitle>Sealed</MessageBarTitle>The generated credential was already shown once and is now sealed. Run the action again if it was lost.</MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <div className={s.box} data-testid="secret-reveal">
      <div className={s.head}><Key20Regular aria-hidden="true" />{`Generated${subject ? ` for ${subject}` : ''}, shown once`}</div>
      {state.secrets.map((x) => {
        const label = humanize(x.name);
        const id = `secret-${runId}-${x.step}-${x.name}`;
        return (
          <div key={id}>
            <label htmlFor={id} className={s.label}>{label}</label>
            <div className={s.row}>
              <Input id={id} className={s.value} readOnly value={x.value} onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={x.value} label={label.toLowerCase()} />
            </div>
          </div>
        );
      })}
      <Text className={s.note}>Copy it now and hand it over safely. It is sealed on the server and disappears from this page when you hide it or reload.</Text>
      <div><Button size="small" onClick={() => put(runId, { sealed: true })}>I have copied it, hide it</Button></div>
    </div>
  );
}
