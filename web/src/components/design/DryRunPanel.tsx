// The reviewer's dry-run: the run planned in a demo tenant with test values, as a card would show
// it, storing nothing. Other values or another demo tenant can be tried here.
import { useState } from 'react';
import { Button, Field, Input, Select, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { Play16Regular } from '@fluentui/react-icons';
import { ErrorBox } from '../ErrorBox.tsx';
import { PreviewDiff } from '../PreviewDiff.tsx';
import { errorText } from '../../lib/api.ts';
import { designApi, type DefParameter, type DryRun } from '../../lib/design-api.ts';
import type { ErrorBody, Tenant } from '../../lib/types.ts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: '10px' },
  meta: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, overflowWrap: 'anywhere' },
  form: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(180px, 1fr))', gap: '8px 12px', alignItems: 'end' },
  missing: { margin: 0, paddingLeft: '18px' },
});

export function DryRunPanel({ workflowId, version, parameters, demoTenants, initial }: {
  workflowId: string;
  version: number;
  parameters: DefParameter[];
  demoTenants: Tenant[];
  initial: { result: DryRun | null; error: ErrorBody | null };
}) {
  const s = useStyles();
  const [result, setResult] = useState(initial.result);
  const [error, setError] = useState(initial.error);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(initial.result?.params ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])));
  const [tenant, setTenant] = useState(initial.result?.tenant.id ?? demoTenants[0]?.id ?? '');
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    try {
      const params: Record<string, unknown> = {};
      for (const p of parameters) {
        const v = values[p.name]?.trim();
        if (v) params[p.name] = p.type === 'string[]' ? v.split(',').map((x) => x.trim()).filter(Boolean) : v;
      }
      setResult(await designApi.dryRun(workflowId, version, tenant || undefined, params));
      setError(null);
    } catch (e) {
      setError(errorText(e));
      setResult(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={s.root}>
      {result && (
        <>
          <span className={s.meta}>
            {`In ${result.tenant.domain} with ${Object.entries(result.params).map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(', ') : String(v)}`).join(', ') || 'no values'}. Read live from the demo tenant; nothing was changed.`}
          </span>
          {result.missing.length > 0 && (
            <ErrorBox intent="warning" title="Values still missing" error={{ code: 'missing_parameters', message: result.missing.map((m) => `${m.param}: ${m.question}`).join(' · '), fix: 'Enter them below and try again.' }} />
          )}
          {result.errors.map((e, i) => <ErrorBox key={i} error={e} title="The run would be refused" />)}
          <PreviewDiff steps={result.preview.steps} />
        </>
      )}
      {error && <ErrorBox error={error} title="No dry-run" />}
      <form className={s.form} aria-label="Dry-run values" onSubmit={(e) => { e.preventDefault(); void run(); }}>
        {parameters.map((p) => (
          <Field key={p.name} label={p.name}>
            <Input value={values[p.name] ?? ''} placeholder={p.default !== undefined ? String(p.default) : ''} onChange={(_, d) => setValues((v) => ({ ...v, [p.name]: d.value }))} />
          </Field>
        ))}
        {demoTenants.length > 0 && (
          <Field label="Demo tenant">
            <Select value={tenant} onChange={(_, d) => setTenant(d.value)}>
              {demoTenants.map((t) => <option key={t.id} value={t.id}>{t.displayName}</option>)}
            </Select>
          </Field>
        )}
        <div><Button type="submit" icon={busy ? <Spinner size="extra-tiny" /> : <Play16Regular />} disabled={busy}>Dry-run again</Button></div>
      </form>
    </div>
  );
}
