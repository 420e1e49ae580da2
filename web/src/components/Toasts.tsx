// Toasts: short-lived notices in the corner ("Run Completed"), read out politely by screen readers.
// A few lines of our own instead of Fluent's toaster keep the shell's bundle small.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { Button, Link, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { CheckmarkCircle20Filled, Dismiss16Regular, DismissCircle20Filled, Info20Filled } from '@fluentui/react-icons';
import { navigate } from '../lib/router.ts';

export interface ToastInput {
  title: string;
  body: string;
  intent: 'success' | 'error' | 'info';
  link?: { href: string; label: string };
}
interface ToastItem extends ToastInput { id: number }

const TIMEOUT_MS = 8000;
let toasts: ToastItem[] = [];
let seq = 0;
const listeners = new Set<() => void>();
const emit = () => { for (const l of listeners) l(); };

export function showToast(t: ToastInput): void {
  toasts = [...toasts, { ...t, id: ++seq }].slice(-4);
  emit();
}

function dismiss(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

const useStyles = makeStyles({
  region: {
    position: 'fixed', right: '16px', bottom: '16px', zIndex: 1000, display: 'flex', flexDirection: 'column', gap: '8px',
    width: 'min(340px, calc(100vw - 32px))', pointerEvents: 'none',
  },
  toast: {
    pointerEvents: 'auto', display: 'grid', gridTemplateColumns: '20px 1fr auto', gap: '2px 10px', padding: '12px 8px 12px 14px',
    background: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium, boxShadow: tokens.shadow16,
    border: `1px solid ${tokens.colorNeutralStroke2}`, animationName: { from: { opacity: 0, transform: 'translateY(8px)' }, to: { opacity: 1, transform: 'none' } },
    animationDuration: '160ms',
  },
  title: { fontWeight: tokens.fontWeightSemibold, gridColumn: '2' },
  body: { gridColumn: '2', color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, overflowWrap: 'anywhere' },
  link: { gridColumn: '2', fontSize: tokens.fontSizeBase200, justifySelf: 'start' },
  close: { gridColumn: '3', gridRow: '1', alignSelf: 'start' },
  success: { color: tokens.colorPaletteGreenForeground1 },
  error: { color: tokens.colorPaletteRedForeground1 },
  info: { color: tokens.colorBrandForeground1 },
});

function ToastView({ t }: { t: ToastItem }) {
  const s = useStyles();
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    if (paused) return;
    const timer = setTimeout(() => dismiss(t.id), TIMEOUT_MS);
    return () => clearTimeout(timer);
  }, [paused, t.id]);
  const Icon = t.intent === 'success' ? CheckmarkCircle20Filled : t.intent === 'error' ? DismissCircle20Filled : Info20Filled;
  return (
    <div
      className={s.toast}
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
      data-testid="toast"
    >
      <Icon className={mergeClasses(s[t.intent])} aria-hidden="true" />
      <span className={s.title}>{t.title}</span>
      <Button className={s.close} appearance="subtle" size="small" icon={<Dismiss16Regular />} aria-label="Dismiss" onClick={() => dismiss(t.id)} />
      <span className={s.body}>{t.body}</span>
      {t.link && (
        <Link className={s.link} href={t.link.href} onClick={(e) => { e.preventDefault(); dismiss(t.id); navigate(t.link!.href); }}>{t.link.label}</Link>
      )}
    </div>
  );
}

export function ToastRegion() {
  const s = useStyles();
  const list = useSyncExternalStore((l) => { listeners.add(l); return () => { listeners.delete(l); }; }, () => toasts);
  return (
    <div className={s.region} role="status" aria-live="polite">
      {list.map((t) => <ToastView key={t.id} t={t} />)}
    </div>
  );
}
