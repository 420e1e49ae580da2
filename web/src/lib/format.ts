// How values read on screen: durations, times, parameter sources and secrets.

export const MASK = '●●●●●●●●';

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s % 60)} s`;
}

/** Elapsed time as m:ss, fixed width so it does not shift the layout as it ticks. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  return sameDay
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

const sourceLabels: Record<string, string> = {
  input: 'You typed it',
  context: 'From the conversation',
  'tenant.defaults': 'Tenant default',
  'workflow.default': 'Workflow default',
};

export function sourceLabel(s: string | undefined): string {
  if (!s) return 'Derived';
  return sourceLabels[s] ?? s.replace(/^steps\./, 'From step ');
}

const secretName = /(password|secret|token|passcode|\btap\b|temporaryAccessPass)/i;

/** Whether a value must be shown masked: the server masks secrets already; names that look secret are masked again here. */
export function isSecret(name: string, secrets: readonly string[] = []): boolean {
  return secrets.includes(name) || secretName.test(name);
}

export function show(value: unknown, name = '', secrets: readonly string[] = []): string {
  if (value === null || value === undefined || value === '') return '—';
  if (isSecret(name, secrets) && typeof value === 'string') return MASK;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length ? value.map((v) => show(v)).join(', ') : '(none)';
  return JSON.stringify(value);
}

/** "userPrincipalName" → "User principal name". */
export function humanize(key: string): string {
  const words = key.replace(/[-_.]/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
