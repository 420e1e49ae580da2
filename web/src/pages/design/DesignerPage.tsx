// The workflow designer: details, parameters, steps built from catalog actions and outputs on the
// left; the live validation list on the right (above, on a phone). Save makes a new version on top
// of the one loaded; Submit sends it to the reviewers; Test run (admins) runs the saved version
// for real in a demo tenant.
import { useEffect, useMemo, useState } from 'react';
import {
  Button, Field, Input, Link, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner, Textarea, Title3, makeStyles, tokens,
} from '@fluentui/react-components';
import { Add16Regular, Delete16Regular, History20Regular, Save20Regular } from '@fluentui/react-icons';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { AddStepDialog } from '../../components/design/AddStepDialog.tsx';
import { BindingInput } from '../../components/design/BindingInput.tsx';
import { DesignStateBadge } from '../../components/design/DesignStateBadge.tsx';
import { ImportExport } from '../../components/design/ImportExport.tsx';
import { ParamEditor } from '../../components/design/ParamEditor.tsx';
import { ProblemList } from '../../components/design/ProblemList.tsx';
import { StepEditor } from '../../components/design/StepEditor.tsx';
import { SubmitDialog } from '../../components/design/SubmitDialog.tsx';
import { TestRunButton } from '../../components/design/TestRunButton.tsx';
import { suggestionsAt } from '../../components/design/bindings.ts';
import { fieldDomId, fromDefinition, newKey, newStep, type EditState, type EditStep } from '../../components/design/model.ts';
import { useDesigner } from '../../components/design/use-designer.ts';
import { designApi, type LintProblem, type ParamType } from '../../lib/design-api.ts';
import { when } from '../../lib/format.ts';
import { linkProps, navigate } from '../../lib/router.ts';
import { useSession } from '../../lib/session.ts';

const useStyles = makeStyles({
  page: { padding: '16px 20px 32px', display: 'flex', flexDirection: 'column', gap: '14px', '@media (max-width: 720px)': { padding: '12px' } },
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: '8px 12px' },
  meta: { display: 'flex', flexWrap: 'wrap', gap: '6px 12px', alignItems: 'center', color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  toolbar: {
    display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'flex-end', padding: '10px 12px', background: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusLarge,
  },
  note: { flexGrow: 1, minWidth: '200px' },
  layout: {
    display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 320px', gap: '16px', alignItems: 'start',
    '@media (max-width: 960px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  main: { display: 'flex', flexDirection: 'column', gap: '18px', minWidth: 0 },
  aside: {
    position: 'sticky', top: '0', maxHeight: 'calc(100vh - 80px)', overflowY: 'auto', padding: '12px', background: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusLarge,
    '@media (max-width: 960px)': { position: 'static', maxHeight: 'none', order: -1 },
  },
  section: { display: 'flex', flexDirection: 'column', gap: '10px' },
  h2: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  details: {
    display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))', gap: '10px 12px', padding: '12px', background: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusLarge,
  },
  full: { gridColumn: '1 / -1' },
  steps: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '8px' },
  empty: { padding: '16px', textAlign: 'center', color: tokens.colorNeutralForeground3, border: `1px dashed ${tokens.colorNeutralStroke1}`, borderRadius: tokens.borderRadiusLarge },
  outputRow: { display: 'grid', gridTemplateColumns: 'minmax(120px, 200px) minmax(0, 1fr) auto', gap: '8px', alignItems: 'end' },
  help: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3, margin: '12px 0 0' },
});

export default function DesignerPage({ id }: { id?: string }) {
  const s = useStyles();
  const { me, demoTenants } = useSession();
  const d = useDesigner(id);
  const { st, data } = d;
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  // Where the focus goes after the next render: the first of these ids that exists by then.
  const [focusTarget, setFocusTarget] = useState<string[] | null>(null);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    if (!focusTarget) return;
    const el = focusTarget.map((t) => document.getElementById(t)).find((x) => !!x);
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.focus();
    }
    setFocusTarget(null);
  }, [focusTarget, expanded]);

  const update = (fn: (x: EditState) => EditState) => d.setSt((x) => (x ? fn(x) : x));
  const setStep = (key: string, patch: Partial<EditStep>) => update((x) => ({ ...x, steps: x.steps.map((t) => (t.key === key ? { ...t, ...patch } : t)) }));
  const toggle = (key: string, open?: boolean) => setExpanded((e) => {
    const n = new Set(e);
    if (open ?? !n.has(key)) n.add(key); else n.delete(key);
    return n;
  });

  const paramTypes = useMemo(() => new Map<string, ParamType>((st?.params ?? []).filter((p) => p.name).map((p) => [p.name, p.type])), [st?.params]);
  const bindingScope = useMemo(() => ({ outputsByAction: data?.outputsByAction ?? new Map(), secretsByAction: data?.secretsByAction ?? new Map(), tenantDefaults: data?.tenantDefaults ?? [] }), [data]);

  if (d.loadError) return <div className={s.page}><ErrorBox error={d.loadError} title="Could not open the workflow" /></div>;
  if (!st || !data) return <div className={s.page}><Spinner label="Loading the designer" /></div>;

  const focusProblem = (p: LintProblem) => {
    const step = p.step ? st.steps.find((x) => x.id === p.step) ?? st.steps[Number(p.step.replace('#', '')) - 1] : undefined;
    if (step) {
      toggle(step.key, true);
      setFocusTarget([fieldDomId('step', step.key, p.field ?? 'toggle'), fieldDomId('step', step.key, 'toggle')]);
      return;
    }
    const param = p.field?.startsWith('parameters.') ? st.params.find((x) => x.name === p.field!.slice(11)) : undefined;
    if (param) return setFocusTarget([fieldDomId('param', param.key, 'name')]);
    if (p.field === 'outputs') return setFocusTarget([st.outputs[0] ? fieldDomId('output', st.outputs[0].key, 'value') : 'wf-outputs']);
    setFocusTarget([fieldDomId('workflow', 'w', p.field === 'description' ? 'description' : 'name')]);
  };

  const addStep = (action: string) => {
    const step = newStep(action, st.steps.map((x) => x.id));
    update((x) => ({ ...x, steps: [...x.steps, step] }));
    toggle(step.key, true);
    setFocusTarget([fieldDomId('step', step.key, 'toggle')]);
  };
  const move = (idx: number, dir: -1 | 1) => update((x) => {
    const steps = [...x.steps];
    const [it] = steps.splice(idx, 1);
    steps.splice(idx + dir, 0, it!);
    return { ...x, steps };
  });

  const underReview = d.base?.state === 'AwaitingReview';
  const errors = d.problems.filter((p) => p.severity === 'error').length;
  const submitBlocked = !id ? 'Save the workflow first.'
    : d.dirty ? 'Save your changes first: the saved version is what gets reviewed.'
      : d.base?.state !== 'Draft' ? `Version ${d.base?.version} is ${d.base?.state}; save a new version to submit it.`
        : errors ? `Fix the ${errors} error${errors === 1 ? '' : 's'} in the validation list first.` : null;
  const doSave = async (over?: number) => {
    const ok = await d.save(note, (newId) => navigate(`/workflows/${encodeURIComponent(newId)}`, { replace: true }), over);
    if (ok) { setNote(''); setMessage(id ? 'Saved as a new version.' : null); }
  };
  const fileName = st.id ?? id ?? (st.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'workflow');

  return (
    <div className={s.page}>
      <div className={s.head}>
        <Title3 as="h1" block style={{ margin: 0 }}>{id ? st.name || id : 'New workflow'}</Title3>
        {d.base && <DesignStateBadge state={d.base.state} />}
        {d.dirty && <span role="status">Unsaved changes</span>}
      </div>
      {id && d.summary && (
        <div className={s.meta}>
          <span className={s.mono}>{id}</span>
          <span>{`Editing version ${d.base?.version}`}</span>
          <span>{d.summary.activeVersion ? `Active: version ${d.summary.activeVersion}` : 'Not active yet'}</span>
          <Link {...linkProps(`/workflows/${encodeURIComponent(id)}/history`)}>Version history</Link>
          {underReview && <Link {...linkProps(`/workflows/${encodeURIComponent(id)}/versions/${d.base!.version}`)}>Open the review</Link>}
        </div>
      )}
      {d.restored && (
        <MessageBar intent="info">
          <MessageBarBody>
            <MessageBarTitle>Unsaved changes restored</MessageBarTitle>
            {`Your edits from ${when(d.restored.at)}${d.restored.base ? `, based on version ${d.restored.base},` : ''} were kept in this browser and are back in the designer.`}
            {d.summary && d.restored.base && d.restored.base !== d.summary.headVersion ? ` Version ${d.summary.headVersion} was saved since; saving will ask how to combine them.` : ''}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void d.load({ ignoreLocal: true })}>Discard them</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {d.conflict && (
        <MessageBar intent="warning" layout="multiline" data-testid="save-conflict">
          <MessageBarBody>
            <MessageBarTitle>Someone else saved first</MessageBarTitle>
            {`${d.conflict.message} Your edits are still here and nothing was overwritten.`}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => window.open(`/workflows/${encodeURIComponent(id!)}/history?from=${d.base?.version}&to=${d.conflict!.currentVersion}`, '_blank')}>See their changes</Button>
            <Button appearance="primary" onClick={() => void doSave(d.conflict!.currentVersion)}>{`Save mine as version ${d.conflict.currentVersion + 1}`}</Button>
            <Button onClick={() => void d.load({ ignoreLocal: true })}>{`Load version ${d.conflict.currentVersion} (drops mine)`}</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {underReview && <MessageBar intent="info"><MessageBarBody>{`Version ${d.base!.version} is awaiting review; a new version can be saved once a reviewer has decided.`}</MessageBarBody></MessageBar>}
      {d.saveError && <ErrorBox error={d.saveError} title="Could not save" />}
      {message && <MessageBar intent="success"><MessageBarBody>{message}</MessageBarBody></MessageBar>}

      <div className={s.toolbar} role="group" aria-label="Workflow actions">
        <Field className={s.note} label="Note for this version">
          <Input value={note} onChange={(_, v) => setNote(v.value)} placeholder="What changed" />
        </Field>
        <Button appearance="primary" icon={<Save20Regular />} disabled={d.saving || underReview || (!d.dirty && !!id)} onClick={() => void doSave()}>
          {d.saving ? 'Saving…' : id ? 'Save' : 'Create'}
        </Button>
        <ImportExport
          definition={() => d.definition!}
          fileName={fileName}
          onImport={(def) => update((x) => ({ ...fromDefinition({ ...def, id: x.id }), ...(x.id ? { id: x.id } : {}) }))}
          onMessage={setMessage}
        />
        {id && (
          <SubmitDialog
            version={d.base?.version ?? 1}
            parameters={d.definition?.parameters ?? []}
            demoTenants={demoTenants}
            disabledReason={submitBlocked}
            onSubmit={async (x) => {
              const v = await designApi.submit(id, { note: x.note, version: d.base!.version, testParams: x.testParams, ...(x.testTenant ? { testTenant: x.testTenant } : {}) });
              d.submitted(v.state);
              setMessage(`Version ${v.version} was submitted for review. Reviewers were notified.`);
            }}
          />
        )}
        {(!d.base || d.base.state !== 'Active' || d.dirty) && (
          <TestRunButton workflowId={id} version={d.base?.version} unsaved={!d.dirty ? null : id
            ? 'Your changes are not saved. A test run runs a saved version, never unsaved content: save them as a new version first, then test-run it.'
            : 'This workflow is not saved yet. A test run runs a saved version: create the workflow first, then test-run it.'} />
        )}
        {id && <Button icon={<History20Regular />} {...linkProps(`/workflows/${encodeURIComponent(id)}/history`)} as="a">History</Button>}
      </div>
      {id && submitBlocked && d.base?.state === 'Draft' && !d.dirty && errors > 0 && <span className={s.meta}>{submitBlocked}</span>}

      <div className={s.layout}>
        <div className={s.main}>
          <section className={s.section} aria-labelledby="wf-details-h">
            <h2 className={s.h2} id="wf-details-h">Details</h2>
            <div className={s.details}>
              <Field label="Name" required hint="The chat proposes the workflow by this name.">
                <Input id={fieldDomId('workflow', 'w', 'name')} value={st.name} onChange={(_, v) => update((x) => ({ ...x, name: v.value }))} />
              </Field>
              {!id && (
                <Field label="Id" hint={`Leave empty to derive it from the name${st.name ? ` (${fileName})` : ''}.`}>
                  <Input className={s.mono} value={st.id ?? ''} onChange={(_, v) => update((x) => { const { id: _old, ...rest } = x; return v.value.trim() ? { ...rest, id: v.value.trim() } : rest; })} />
                </Field>
              )}
              <Field label="Category">
                <Input value={st.category} onChange={(_, v) => update((x) => ({ ...x, category: v.value }))} placeholder="e.g. account" />
              </Field>
              <Field className={s.full} label="Description">
                <Textarea id={fieldDomId('workflow', 'w', 'description')} value={st.description} onChange={(_, v) => update((x) => ({ ...x, description: v.value }))} resize="vertical" />
              </Field>
            </div>
          </section>

          <section className={s.section} aria-labelledby="wf-params-h">
            <h2 className={s.h2} id="wf-params-h">Parameters</h2>
            <ParamEditor params={st.params} problems={d.problems} onChange={(params) => update((x) => ({ ...x, params }))} />
          </section>

          <section className={s.section} aria-labelledby="wf-steps-h">
            <h2 className={s.h2} id="wf-steps-h">Steps</h2>
            {st.steps.length === 0 && <div className={s.empty}>No steps yet. Add the first one from the action catalog.</div>}
            <ol className={s.steps} aria-label="Steps">
              {st.steps.map((step, i) => (
                <li key={step.key}>
                  <StepEditor
                    step={step}
                    index={i}
                    total={st.steps.length}
                    actions={data.actionMap}
                    suggestions={suggestionsAt(st, i, bindingScope)}
                    params={paramTypes}
                    earlierSteps={st.steps.slice(0, i).filter((x) => !step.parallel.trim() || x.parallel.trim() !== step.parallel.trim()).map((x) => x.id)}
                    problems={d.problems.filter((p) => p.step === step.id)}
                    expanded={expanded.has(step.key)}
                    onToggle={() => toggle(step.key)}
                    onChange={(patch) => setStep(step.key, patch)}
                    onMove={(dir) => move(i, dir)}
                    onRemove={() => update((x) => ({ ...x, steps: x.steps.filter((t) => t.key !== step.key) }))}
                  />
                </li>
              ))}
            </ol>
            <div><AddStepDialog actions={data.actions} onPick={addStep} /></div>
          </section>

          <section className={s.section} aria-labelledby="wf-outputs-h" id="wf-outputs" tabIndex={-1}>
            <h2 className={s.h2} id="wf-outputs-h">Outputs</h2>
            {st.outputs.map((o) => (
              <div key={o.key} className={s.outputRow}>
                <Field label="Output name">
                  <Input id={fieldDomId('output', o.key, 'name')} value={o.name} onChange={(_, v) => update((x) => ({ ...x, outputs: x.outputs.map((y) => (y.key === o.key ? { ...y, name: v.value } : y)) }))} />
                </Field>
                <Field label={`Value of ${o.name || 'the output'}`}>
                  <BindingInput id={fieldDomId('output', o.key, 'value')} value={o.value} suggestions={suggestionsAt(st, st.steps.length, bindingScope)}
                    onChange={(v) => update((x) => ({ ...x, outputs: x.outputs.map((y) => (y.key === o.key ? { ...y, value: v } : y)) }))} />
                </Field>
                <Button appearance="subtle" icon={<Delete16Regular />} aria-label={`Remove output ${o.name}`} onClick={() => update((x) => ({ ...x, outputs: x.outputs.filter((y) => y.key !== o.key) }))} />
              </div>
            ))}
            <div><Button icon={<Add16Regular />} onClick={() => update((x) => ({ ...x, outputs: [...x.outputs, { key: newKey('o'), name: '', value: '' }] }))}>Add output</Button></div>
          </section>
        </div>
        <aside className={s.aside}>
          <ProblemList problems={d.problems} checking={d.checking} onSelect={focusProblem} />
          <p className={s.help}>
            {'In an input, type {{ or press Ctrl+Space to pick a parameter, the context, a tenant default or an earlier step\'s output. '}
            {me.user.role === 'technician' ? 'You can design and submit; a reviewer approves and an admin activates.' : ''}
          </p>
        </aside>
      </div>
    </div>
  );
}
