// Submitting a version for review: a note that says what changed and why, and sample parameters
// (a test user) with a demo tenant, which the reviewers' dry-run preview uses.
import { useState } from 'react';
import {
  Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger, Field, Input, Select, Textarea,
  makeStyles, tokens,
} from '@fluentui/react-components';
import { Send20Regular } from '@fluentui/react-icons';
import { ErrorBox } from '../ErrorBox.tsx';
import { errorText } from '../../lib/api.ts';
import type { ErrorBody, Tenant } from '../../lib/types.ts';
import type { DefParameter } from '../../lib/design-api.ts';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: '12px' },
  params: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))', gap: '8px 12px', margin: 0, padding: '10px 12px', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  legend: { padding: '0 4px', fontWeight: tokens.fontWeightSemibold },
});

export interface SubmitInput {
  note: string;
  testParams: Record<string, unknown>;
  testTenant: string | undefined;
}

export function SubmitDialog({ version, parameters, demoTenants, disabledReason, onSubmit }: {
  version: number;
  parameters: DefParameter[];
  demoTenants: Tenant[];
  disabledReason: string | null;
  onSubmit: (input: SubmitInput) => Promise<void>;
}) {
  const s = useStyles();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [tenant, setTenant] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(null);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const testParams: Record<string, unknown> = {};
      for (const p of parameters) {
        const v = values[p.name]?.trim();
        if (v) testParams[p.name] = p.type === 'string[]' ? v.split(',').map((x) => x.trim()).filter(Boolean) : v;
      }
      await onSubmit({ note: note.trim(), testParams, testTenant: tenant || demoTenants[0]?.id });
      setOpen(false);
      setNote('');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button icon={<Send20Regular />} disabled={!!disabledReason} title={disabledReason ?? undefined}>Submit for review</Button>
      </DialogTrigger>
      <DialogSurface>
        <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <DialogBody>
            <DialogTitle>{`Submit version ${version} for review`}</DialogTitle>
            <DialogContent className={s.content}>
              <span>Reviewers are notified. Someone other than you must approve it, and an admin then activates it.</span>
              <Field label="Note for the reviewers" required hint="What changed and why.">
                <Textarea value={note} onChange={(_, d) => setNote(d.value)} resize="vertical" />
              </Field>
              {parameters.length > 0 && (
                <fieldset className={s.params}>
                  <legend className={s.legend}>Test values for the dry-run</legend>
                  {parameters.map((p) => (
                    <Field key={p.name} label={p.name} hint={p.description || undefined}>
                      <Input value={values[p.name] ?? ''} placeholder={p.default !== undefined ? String(p.default) : p.required ? 'required' : 'optional'}
                        onChange={(_, d) => setValues((v) => ({ ...v, [p.name]: d.value }))} />
                    </Field>
                  ))}
                </fieldset>
              )}
              {demoTenants.length > 0 && (
                <Field label="Demo tenant for the dry-run">
                  <Select value={tenant || demoTenants[0]!.id} onChange={(_, d) => setTenant(d.value)}>
                    {demoTenants.map((t) => <option key={t.id} value={t.id}>{`${t.displayName} (${t.domain})`}</option>)}
                  </Select>
                </Field>
              )}
              {error && <ErrorBox error={error} title="Could not submit" />}
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setOpen(false)}>Cancel</Button>
              <Button appearance="primary" type="submit" disabled={!note.trim() || busy}>{busy ? 'Submitting…' : 'Submit'}</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
