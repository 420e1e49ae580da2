// "Run now": the workflow runs on demand for up to 10 chosen users, whatever its trigger says.
// Users come from the scope preview, or by user principal name or object id.
import { useMemo, useState } from 'react';
import {
  Button, Checkbox, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger, Field, Input, Textarea,
  makeStyles, tokens,
} from '@fluentui/react-components';
import { Play20Regular } from '@fluentui/react-icons';
import { ErrorBox } from '../ErrorBox.tsx';
import { errorText } from '../../lib/api.ts';
import type { Subject } from '../../lib/lifecycle-api.ts';
import type { ErrorBody } from '../../lib/types.ts';

export const MAX_ON_DEMAND = 10;

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: '10px' },
  list: { listStyle: 'none', margin: 0, padding: '4px 8px', maxHeight: '240px', overflowY: 'auto', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  upn: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, marginLeft: '4px' },
  count: { fontSize: tokens.fontSizeBase200 },
  over: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
});

export function RunNowDialog({ inScope, disabledReason, onRun }: { inScope: Subject[]; disabledReason: string | null; onRun: (ids: string[]) => Promise<void> }) {
  const s = useStyles();
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [others, setOthers] = useState('');
  const [filter, setFilter] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(null);
  const typed = others.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);
  const ids = [...new Set([...picked, ...typed])];
  const over = ids.length > MAX_ON_DEMAND;
  const shown = useMemo(() => {
    const n = filter.trim().toLowerCase();
    return inScope.filter((u) => !n || `${u.displayName ?? ''} ${u.userPrincipalName ?? ''}`.toLowerCase().includes(n)).slice(0, 200);
  }, [inScope, filter]);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await onRun(ids);
      setOpen(false);
      setPicked(new Set());
      setOthers('');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="primary" icon={<Play20Regular />} disabled={!!disabledReason}>Run now</Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Run now for chosen users</DialogTitle>
          <DialogContent className={s.content}>
            <span>{`The tasks run at once for the users you choose (at most ${MAX_ON_DEMAND}), whatever the trigger says.`}</span>
            {inScope.length > 0 && (
              <>
                <Input type="search" value={filter} onChange={(_, d) => setFilter(d.value)} aria-label="Filter the users in scope" placeholder="Filter the users in scope" />
                <ul className={s.list} aria-label="Users in scope">
                  {shown.map((u) => (
                    <li key={u.id}>
                      <Checkbox
                        checked={picked.has(u.id)}
                        onChange={(_, d) => setPicked((p) => { const n = new Set(p); if (d.checked) n.add(u.id); else n.delete(u.id); return n; })}
                        label={<>{u.displayName ?? u.id}<span className={s.upn}>{u.userPrincipalName}</span></>}
                      />
                    </li>
                  ))}
                </ul>
              </>
            )}
            <Field label="Other users" hint="User principal names or object ids, separated by commas or new lines.">
              <Textarea value={others} onChange={(_, d) => setOthers(d.value)} resize="vertical" />
            </Field>
            <span className={over ? s.over : s.count} role="status">{`${ids.length} of at most ${MAX_ON_DEMAND} users chosen${over ? ': remove some' : ''}.`}</span>
            {error && <ErrorBox error={error} title="The run did not start" />}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button appearance="primary" disabled={busy || !ids.length || over} onClick={() => void run()}>{busy ? 'Starting…' : `Run for ${ids.length} user${ids.length === 1 ? '' : 's'}`}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
