// Creates a lifecycle workflow from a template, or a new version of an existing one: its name,
// execution conditions and tasks. Tasks and conditions never change in place: saving an edit is
// createNewVersion, and the old definition stays as a version. The quarantine thresholds (the
// workflow's settings) are part of the definition too.
import { useEffect, useState } from 'react';
import { Button, Field, Input, Link, Select, Spinner, Switch, Textarea, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { Save20Regular } from '@fluentui/react-icons';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { ConditionsEditor } from '../../components/lifecycle/ConditionsEditor.tsx';
import { TasksEditor } from '../../components/lifecycle/TasksEditor.tsx';
import { draftFromTemplate, draftFromWorkflow, workflowBody, type LcwDraft } from '../../components/lifecycle/draft.ts';
import { useLcwTenant, WRITE_HINT } from '../../components/lifecycle/use-tenant.ts';
import { errorText } from '../../lib/api.ts';
import { lcwApi, type Category, type TaskDefinition } from '../../lib/lifecycle-api.ts';
import { linkProps, navigate, usePath } from '../../lib/router.ts';
import type { ErrorBody } from '../../lib/types.ts';
import { quarantineDraft, QuarantineFields, quarantineSettings, type QuarantineDraft } from './Quarantine.tsx';

const useStyles = makeStyles({
  page: { padding: '16px 20px 32px', display: 'flex', flexDirection: 'column', gap: '14px', maxWidth: '1100px', '@media (max-width: 720px)': { padding: '12px' } },
  crumbs: { display: 'flex', gap: '8px', fontSize: tokens.fontSizeBase200, flexWrap: 'wrap' },
  box: { background: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusLarge, border: `1px solid ${tokens.colorNeutralStroke2}`, padding: '12px 14px', display: 'flex', flexDirection: 'column', gap: '10px' },
  h2: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))', gap: '10px 12px', alignItems: 'start' },
  switches: { gridColumn: '1 / -1', display: 'flex', gap: '8px 24px', flexWrap: 'wrap' },
  full: { gridColumn: '1 / -1' },
  actions: { display: 'flex', gap: '8px', flexWrap: 'wrap', alignItems: 'center' },
  meta: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

export default function LifecycleEditorPage({ workflowId }: { workflowId?: string }) {
  const s = useStyles();
  const { search } = usePath();
  const { tenantId, tenantName, q, canWrite } = useLcwTenant();
  const templateId = search.get('template');
  const [draft, setDraft] = useState<LcwDraft | null>(null);
  const [quarantine, setQuarantine] = useState<QuarantineDraft>(() => quarantineDraft(null));
  const [version, setVersion] = useState<number | null>(null);
  const [defs, setDefs] = useState<TaskDefinition[]>([]);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [saveError, setSaveError] = useState<ErrorBody | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!tenantId) return;
    (async () => {
      const [d, start] = await Promise.all([
        lcwApi.taskDefinitions(tenantId),
        workflowId
          ? lcwApi.workflow(tenantId, workflowId).then((w) => { setVersion(w.version); setQuarantine(quarantineDraft(w.settings?.quarantineConfiguration)); return draftFromWorkflow(w); })
          : lcwApi.templates(tenantId).then((ts) => {
            const t = ts.find((x) => x.id === templateId);
            if (!t) throw new Error(`There is no workflow template '${templateId ?? ''}'.`);
            return draftFromTemplate(t);
          }),
      ]);
      setDefs(d);
      setDraft(start);
    })().catch((e: unknown) => setError(errorText(e)));
  }, [tenantId, workflowId, templateId]);

  if (!tenantId) return <div className={s.page}><ErrorBox error={{ code: 'no_tenant', message: 'Pick a tenant first.', fix: 'Use the tenant switcher at the top.' }} /></div>;
  if (error) return <div className={s.page}><ErrorBox error={error} title="Could not open the editor" /></div>;
  if (!draft) return <div className={s.page}><Spinner label="Loading" /></div>;

  const patch = (p: Partial<LcwDraft>) => setDraft((d) => (d ? { ...d, ...p } : d));
  const save = async () => {
    setBusy(true);
    setSaveError(null);
    try {
      const body = { ...workflowBody(draft), settings: quarantineSettings(quarantine) };
      const w = workflowId ? await lcwApi.newVersion(tenantId, workflowId, body) : await lcwApi.create(tenantId, body);
      navigate(`/lifecycle/workflows/${encodeURIComponent(w.id)}${q}`);
    } catch (e) {
      setSaveError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={s.page}>
      <nav className={s.crumbs} aria-label="Breadcrumb">
        <Link {...linkProps(`/lifecycle${q}`)}>Lifecycle workflows</Link>
        {workflowId && <><span aria-hidden="true">/</span><Link {...linkProps(`/lifecycle/workflows/${encodeURIComponent(workflowId)}${q}`)}>{draft.displayName}</Link></>}
      </nav>
      <Title3 as="h1" block style={{ margin: 0 }}>{workflowId ? `Edit ${draft.displayName}` : 'New lifecycle workflow'}</Title3>
      <span className={s.meta}>
        {workflowId
          ? `Saving creates version ${(version ?? 0) + 1} in ${tenantName}; version ${version} stays in the history and runs already started keep it.`
          : `In ${tenantName}, from a template. Check the scope rule and the task arguments before you create it.`}
      </span>
      {!canWrite && <ErrorBox intent="warning" title="Read only" error={{ code: 'forbidden', message: WRITE_HINT, fix: 'Ask an admin or a reviewer to make this change.' }} />}

      <section className={s.box} aria-labelledby="lcw-basics">
        <h2 className={s.h2} id="lcw-basics">Basics</h2>
        <div className={s.grid}>
          <Field label="Name" required hint="Unique in the tenant.">
            <Input value={draft.displayName} onChange={(_, v) => patch({ displayName: v.value })} />
          </Field>
          <Field label="Category">
            <Select value={draft.category} disabled={!!workflowId} onChange={(_, v) => patch({ category: v.value as Category })}>
              <option value="joiner">Joiner</option>
              <option value="mover">Mover</option>
              <option value="leaver">Leaver</option>
            </Select>
          </Field>
          <div className={s.switches}>
            <Switch label="Enabled" checked={draft.isEnabled} onChange={(_, v) => patch({ isEnabled: v.checked, ...(v.checked ? {} : { isSchedulingEnabled: false }) })} />
            <Switch label="Runs on the schedule" checked={draft.isSchedulingEnabled} disabled={!draft.isEnabled || draft.onDemandOnly} onChange={(_, v) => patch({ isSchedulingEnabled: v.checked })} />
          </div>
          <Field className={s.full} label="Description">
            <Textarea value={draft.description} onChange={(_, v) => patch({ description: v.value })} resize="vertical" />
          </Field>
        </div>
      </section>

      <section className={s.box} aria-labelledby="lcw-conditions">
        <h2 className={s.h2} id="lcw-conditions">Execution conditions</h2>
        <ConditionsEditor d={draft} onChange={(p) => patch({ ...p, ...(p.onDemandOnly ? { isSchedulingEnabled: false } : {}) })} />
      </section>

      <section className={s.box} aria-labelledby="lcw-tasks">
        <h2 className={s.h2} id="lcw-tasks">Tasks</h2>
        <TasksEditor tasks={draft.tasks} category={draft.category} definitions={defs} onChange={(tasks) => patch({ tasks })} />
      </section>

      <section className={s.box} aria-labelledby="lcw-quarantine">
        <h2 className={s.h2} id="lcw-quarantine">Quarantine thresholds</h2>
        <QuarantineFields d={quarantine} onChange={setQuarantine} />
      </section>

      {saveError && <ErrorBox error={saveError} title={workflowId ? 'Could not create the new version' : 'Could not create the workflow'} />}
      <div className={s.actions}>
        <Button appearance="primary" icon={<Save20Regular />} disabled={busy || !canWrite || !draft.displayName.trim() || !draft.tasks.length} onClick={() => void save()}>
          {busy ? 'Saving…' : workflowId ? 'Save as a new version' : 'Create workflow'}
        </Button>
        <Button {...linkProps(workflowId ? `/lifecycle/workflows/${encodeURIComponent(workflowId)}${q}` : `/lifecycle${q}`)} as="a">Cancel</Button>
      </div>
    </div>
  );
}
