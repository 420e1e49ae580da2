// The test run dialog's body: a demo tenant and the version's parameters, then the real card
// (POST /api/workflows/:id/versions/:n/test-run). A complete card is the chat's RunCard: Approve or
// Reject, live progress, the result and a generated credential shown once. An incomplete answer
// shows what is missing and what is wrong (with the fix) by the fields, and the card it made,
// which can never be approved, is set aside as Cancelled so nothing is left waiting in History.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import {
  Button, DialogActions, DialogContent, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Select, Spinner, Text, makeStyles, tokens,
} from '@fluentui/react-components';
import { ErrorBox } from '../ErrorBox.tsx';
import { RunCard } from '../RunCard.tsx';
import { errorText, post } from '../../lib/api.ts';
import { designApi, designStateLabel, type DefParameter, type SavedVersion, type TestRunAnswer } from '../../lib/design-api.ts';
import { useRun } from '../../lib/run-store.ts';
import { useSession } from '../../lib/session.ts';
import { isTerminal, type ErrorBody } from '../../lib/types.ts';
import { fieldMessages, paramHint, parseValues, showDefault } from './param-values.ts';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: '12px' },
  params: {
    display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))', gap: '10px 12px', margin: 0, padding: '10px 12px',
    border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium,
  },
  legend: { padding: '0 4px', fontWeight: tokens.fontWeightSemibold },
  intro: { color: tokens.colorNeutralForeground2 },
  list: { margin: '4px 0 0', paddingLeft: '18px' },
});

function ParamField({ p, value, message, onChange }: { p: DefParameter; value: string; message: string | undefined; onChange: (v: string) => void }) {
  const field = { label: p.name, required: p.required, hint: paramHint(p), ...(message ? { validationMessage: message, validationState: 'error' as const } : {}) };
  if (p.type === 'boolean') {
    const def = showDefault(p);
    return (
      <Field {...field}>
        <Select value={value} onChange={(_, d) => onChange(d.value)}>
          <option value="">{def ? `Default (${def})` : 'Not set'}</option>
          <option value="true">Yes</option>
          <option value="false">No</option>
        </Select>
      </Field>
    );
  }
  const numeric = p.type === 'integer' || p.type === 'number';
  return (
    <Field {...field}>
      <Input
        value={value}
        type={p.secret ? 'password' : 'text'}
        inputMode={numeric ? (p.type === 'integer' ? 'numeric' : 'decimal') : undefined}
        placeholder={showDefault(p) || (p.required ? 'required' : 'optional')}
        onChange={(_, d) => onChange(d.value)}
      />
    </Field>
  );
}

/** Tells whether the card's run has ended (Completed, Failed, PartialSuccess or rejected). */
function SettledWatch({ runId, onChange }: { runId: string; onChange: (settled: boolean) => void }) {
  const state = useRun(runId).live?.run.state;
  useEffect(() => { onChange(!!state && isTerminal(state)); }, [state, onChange]);
  return null;
}

export default function TestRunPanel({ workflowId, version, onClose }: { workflowId: string; version: number; onClose: () => void }) {
  const s = useStyles();
  const { demoTenants, tenantName } = useSession();
  const [saved, setSaved] = useState<SavedVersion | null>(null);
  const [loadError, setLoadError] = useState<ErrorBody | null>(null);
  const [tenant, setTenant] = useState(() => (demoTenants.find((t) => /^contoso\./i.test(t.domain)) ?? demoTenants[0])?.id ?? '');
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [incomplete, setIncomplete] = useState<TestRunAnswer | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const top = useRef<HTMLDivElement>(null);
  const [settled, setSettled] = useState(false);
  const [undoing, setUndoing] = useState(false);

  // The card takes the focus when it appears, so the next Tab reaches Approve.
  useEffect(() => { if (runId) top.current?.focus(); }, [runId]);

  useEffect(() => {
    let current = true;
    designApi.version(workflowId, version)
      .then((v) => { if (current) setSaved(v); })
      .catch((e: unknown) => { if (current) setLoadError(errorText(e)); });
    return () => { current = false; };
  }, [workflowId, version]);

  const parameters = saved?.definition.parameters ?? [];
  const lintErrors = saved?.problems.filter((p) => p.severity === 'error') ?? [];
  const messages = { ...(incomplete ? fieldMessages(parameters, incomplete.missing, incomplete.errors) : {}), ...invalid };

  const submit = async () => {
    if (!saved || busy || lintErrors.length) return;
    const parsed = parseValues(parameters, texts);
    setInvalid(parsed.invalid);
    if (Object.keys(parsed.invalid).length) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await designApi.testRun(workflowId, version, tenant || undefined, parsed.params);
      if (answer.missing.length || answer.errors.length) {
        setIncomplete(answer);
        // The API refuses to approve it; Cancelled says so in History instead of a card left Pending.
        void post(`/api/runs/${answer.id}/reject`, { reason: 'Test run with missing or invalid values; set aside.' }).catch(() => {});
      } else {
        setIncomplete(null);
        setRunId(answer.id);
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  let body: ReactNode;
  if (runId) {
    // An undo is its own card, approved the same way: it takes this one's place in the dialog.
    body = (
      <>
        <Text className={s.intro} role="status">{undoing ? 'The undo of the test run: approve it to put things back, or reject it.' : `Test run of version ${version}${tenant ? ` in ${tenantName(tenant)}` : ''}: approve the card to run it, or reject it.`}</Text>
        <RunCard key={runId} runId={runId} onUndo={(id) => { setSettled(false); setUndoing(true); setRunId(id); }} />
        <SettledWatch runId={runId} onChange={setSettled} />
      </>
    );
  }
  else if (loadError) body = <ErrorBox error={loadError} title="Could not load the version" />;
  else if (!saved) body = <Spinner size="small" label={`Loading version ${version}`} />;
  else {
    body = (
      <>
        <Text className={s.intro}>
          {`Version ${saved.version} of ${saved.name} (${designStateLabel[saved.state]}) runs for real in the demo tenant you pick, once you approve its card. `}
          {saved.state === 'Active' ? '' : 'It is not Active, so only demo tenants are offered.'}
        </Text>
        {lintErrors.length > 0 && (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>This version does not validate</MessageBarTitle>
              <ul className={s.list}>{lintErrors.map((p, i) => <li key={i}>{`${p.step ? `Step ${p.step}: ` : ''}${p.message}`}</li>)}</ul>
              Fix it in the designer and save, then test-run the new version.
            </MessageBarBody>
          </MessageBar>
        )}
        {demoTenants.length > 0 ? (
          <Field label="Demo tenant" hint="Only the demo tenants you may act in.">
            <Select value={tenant} onChange={(_, d) => setTenant(d.value)}>
              {demoTenants.map((t) => <option key={t.id} value={t.id}>{t.displayName}</option>)}
            </Select>
          </Field>
        ) : (
          <MessageBar intent="info"><MessageBarBody>No demo tenant of the embedded emulator is in your scope; the first demo tenant you may act in is used.</MessageBarBody></MessageBar>
        )}
        {parameters.length > 0 ? (
          <fieldset className={s.params}>
            <legend className={s.legend}>Parameters</legend>
            {parameters.map((p) => (
              <ParamField key={p.name} p={p} value={texts[p.name] ?? ''} message={messages[p.name]}
                onChange={(v) => { setTexts((t) => ({ ...t, [p.name]: v })); setInvalid(({ [p.name]: _gone, ...rest }) => rest); }} />
            ))}
          </fieldset>
        ) : <Text>This workflow has no parameters.</Text>}
        {incomplete && (
          <div role="alert" data-testid="test-run-incomplete" className={s.content}>
            {incomplete.missing.length > 0 && (
              <MessageBar intent="warning" layout="multiline">
                <MessageBarBody>
                  <MessageBarTitle>Values still needed</MessageBarTitle>
                  <ul className={s.list}>{incomplete.missing.map((m) => <li key={m.param}><strong>{m.param}</strong>{`: ${m.question}`}</li>)}</ul>
                </MessageBarBody>
              </MessageBar>
            )}
            {incomplete.errors.map((e, i) => <ErrorBox key={i} error={e} title={e.param ? `Problem with ${e.param}` : 'The run would be refused'} />)}
            <Text size={200}>Nothing ran, and that card was set aside. Correct the values and prepare the card again.</Text>
          </div>
        )}
        {error && <ErrorBox error={error} title="No test run" />}
      </>
    );
  }

  // No browser validation: the card's answer says what is missing, in the same words as the chat.
  // One tree for every view, so the action buttons stay the same elements and the focus stays in
  // the modal dialog when the form gives way to the card (and back).
  const again = () => { setRunId(null); setSettled(false); setUndoing(false); requestAnimationFrame(() => top.current?.focus()); };
  return (
    <form style={{ display: 'contents' }} aria-label="Test run values" noValidate onSubmit={(e) => { e.preventDefault(); if (!runId) void submit(); else if (settled) again(); }}>
      <DialogContent>
        <div ref={top} tabIndex={-1} className={s.content} style={{ outline: 'none' }}>{body}</div>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{runId ? 'Close' : 'Cancel'}</Button>
        {runId
          ? <Button type="submit" disabledFocusable={!settled} title={settled ? undefined : 'Approve or reject this card first.'}>Test again</Button>
          : <Button appearance="primary" type="submit" disabledFocusable={busy || !saved || lintErrors.length > 0}>{busy ? 'Preparing…' : 'Prepare the card'}</Button>}
      </DialogActions>
    </form>
  );
}
