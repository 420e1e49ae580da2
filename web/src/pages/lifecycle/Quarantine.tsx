// Workflow quarantine on the lifecycle pages: the thresholds in the editor (a count and/or a
// percentage of the users in scope, any or all), the badge in the list, and the banner on a
// quarantined workflow with its reason and "Release quarantine" (clearQuarantine).
import { useState } from 'react';
import {
  Badge, Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger, Field, Input, MessageBar,
  MessageBarActions, MessageBarBody, MessageBarTitle, Select, makeStyles, tokens,
} from '@fluentui/react-components';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { errorText } from '../../lib/api.ts';
import { isQuarantined, NS, type LcwWorkflow, type QuarantineCondition, type QuarantineConfiguration } from '../../lib/lifecycle-api.ts';
import { when } from '../../lib/format.ts';
import type { ErrorBody } from '../../lib/types.ts';

const COUNT = `#${NS}.countBasedQuarantineCondition` as const;
const PERCENT = `#${NS}.percentageBasedQuarantineCondition` as const;

/** The thresholds as the editor holds them: empty means no such condition. */
export interface QuarantineDraft {
  threshold: string;
  percentage: string;
  matchMode: 'any' | 'all';
}

export function quarantineDraft(cfg: QuarantineConfiguration | null | undefined): QuarantineDraft {
  const c = cfg?.conditions.find((x) => x['@odata.type'] === COUNT);
  const p = cfg?.conditions.find((x) => x['@odata.type'] === PERCENT);
  return {
    threshold: c && 'threshold' in c ? String(c.threshold) : '',
    percentage: p && 'percentage' in p ? String(p.percentage) : '',
    matchMode: cfg?.matchMode ?? 'any',
  };
}

/** The workflow's settings for POST /workflows or createNewVersion (null: no thresholds of its own). */
export function quarantineSettings(d: QuarantineDraft): { quarantineConfiguration: QuarantineConfiguration | null } {
  const conditions: QuarantineCondition[] = [];
  if (d.threshold.trim()) conditions.push({ '@odata.type': COUNT, threshold: Number(d.threshold) });
  if (d.percentage.trim()) conditions.push({ '@odata.type': PERCENT, percentage: Number(d.percentage) });
  return { quarantineConfiguration: conditions.length ? { conditions, matchMode: conditions.length > 1 ? d.matchMode : 'any' } : null };
}

/** "more than 10 users or more than 25% of the users in scope" */
export function describeQuarantine(cfg: QuarantineConfiguration | null | undefined): string {
  if (!cfg?.conditions.length) return 'No quarantine thresholds of its own; the tenant\'s apply if it has any.';
  const parts = cfg.conditions.map((c) => ('threshold' in c ? `more than ${c.threshold} user${c.threshold === 1 ? '' : 's'}` : `more than ${c.percentage}% of the users in scope`));
  return `Quarantined when a scheduled run would process ${parts.join(cfg.matchMode === 'all' ? ' and ' : ' or ')}.`;
}

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))', gap: '10px 12px', alignItems: 'start' },
  meta: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, margin: 0 },
  reason: { display: 'block', marginTop: '2px' },
});

export function QuarantineFields({ d, onChange }: { d: QuarantineDraft; onChange: (d: QuarantineDraft) => void }) {
  const s = useStyles();
  const both = !!d.threshold.trim() && !!d.percentage.trim();
  return (
    <>
      <p className={s.meta}>
        A safety net against a bad HR sync: when a scheduled run would process more users than this, the workflow is quarantined
        and processes nobody until an admin releases it. Leave both empty for no thresholds of its own (the tenant&apos;s apply if set).
      </p>
      <div className={s.grid}>
        <Field label="Most users a run may process" hint="Empty: no count limit.">
          <Input type="number" min={1} step={1} value={d.threshold} onChange={(_, v) => onChange({ ...d, threshold: v.value })} />
        </Field>
        <Field label="Most % of the users in scope a run may process" hint="1 to 100. Empty: no percentage limit.">
          <Input type="number" min={1} max={100} step={1} value={d.percentage} onChange={(_, v) => onChange({ ...d, percentage: v.value })} />
        </Field>
        <Field label="Quarantine when" hint={both ? undefined : 'Applies when both limits are set.'}>
          <Select value={d.matchMode} disabled={!both} onChange={(_, v) => onChange({ ...d, matchMode: v.value as 'any' | 'all' })}>
            <option value="any">Either limit is exceeded</option>
            <option value="all">Both limits are exceeded</option>
          </Select>
        </Field>
      </div>
    </>
  );
}

export function QuarantineBadge({ w }: { w: LcwWorkflow }) {
  if (!isQuarantined(w)) return null;
  return <Badge appearance="filled" color="danger" title={w.quarantineDetails?.quarantineReason ?? undefined}>Quarantined</Badge>;
}

/** The banner of a quarantined workflow: why, since when, and the release (with a confirmation). */
export function QuarantineBanner({ w, disabledReason, onRelease }: { w: LcwWorkflow; disabledReason: string | null; onRelease: () => Promise<void> }) {
  const s = useStyles();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(null);
  if (!isQuarantined(w)) return null;
  const q = w.quarantineDetails!;
  const release = async () => {
    setBusy(true);
    setError(null);
    try {
      await onRelease();
      setOpen(false);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <MessageBar intent="error" layout="multiline" data-testid="quarantine-banner">
      <MessageBarBody>
        <MessageBarTitle>Quarantined</MessageBarTitle>
        <span className={s.reason}>{q.quarantineReason ?? 'A scheduled run exceeded the quarantine thresholds.'}</span>
        <span className={s.reason}>
          {`Since ${when(q.quarantinedDateTime)}. It processes nobody, scheduled or on demand, until it is released; the next scheduled check then processes the users still due.`}
        </span>
        {disabledReason && <span className={s.reason}>{disabledReason}</span>}
      </MessageBarBody>
      <MessageBarActions>
        <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
          <DialogTrigger disableButtonEnhancement>
            <Button appearance="primary" disabled={!!disabledReason}>Release quarantine</Button>
          </DialogTrigger>
          <DialogSurface>
            <DialogBody>
              <DialogTitle>{`Release ${w.displayName}?`}</DialogTitle>
              <DialogContent>
                <p style={{ marginTop: 0 }}>{q.quarantineReason}</p>
                <p>Release it only if these users should really be processed. At the next scheduled check it processes the users then due, up to as many as were held; more than that quarantines it again.</p>
                {error && <ErrorBox error={error} title="Could not release it" />}
              </DialogContent>
              <DialogActions>
                <DialogTrigger disableButtonEnhancement><Button>Cancel</Button></DialogTrigger>
                <Button appearance="primary" disabled={busy} onClick={() => void release()}>{busy ? 'Releasing…' : 'Release'}</Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      </MessageBarActions>
    </MessageBar>
  );
}
