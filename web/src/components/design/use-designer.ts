// The designer's state and what it does with the server: load the latest version, keep unsaved
// edits in this browser (so a reload or a conflict never loses them), validate live as you type,
// and save a new version on top of the one the edit started from (a stale base answers 409).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, errorText } from '../../lib/api.ts';
import { designApi, type DesignState, type Definition, type LintProblem, type WorkflowSummary } from '../../lib/design-api.ts';
import type { ErrorBody } from '../../lib/types.ts';
import { designerData, type DesignerData } from './catalog-data.ts';
import { emptyState, fromDefinition, toDefinition, type EditState } from './model.ts';

export interface Base {
  version: number;
  state: DesignState;
  json: string;
  /** The validation list the server gave with the version. */
  problems?: LintProblem[];
}

export interface Conflict {
  currentVersion: number;
  author: string | null;
  message: string;
}

interface LocalDraft {
  base: number | null;
  definition: Definition;
  at: string;
}

const LOCAL = (id: string | undefined) => `tf.designer.${id ?? 'new'}`;

function readLocal(id: string | undefined): LocalDraft | null {
  try {
    const raw = localStorage.getItem(LOCAL(id));
    return raw ? (JSON.parse(raw) as LocalDraft) : null;
  } catch {
    return null;
  }
}

/** A shape error of the whole definition (400 from lint) as problems pointing at steps. */
function shapeProblems(e: ErrorBody, def: Definition): LintProblem[] {
  const issues = (e.details?.problems as Array<{ path: string; message: string }> | undefined) ?? [];
  if (!issues.length) return [{ severity: 'error', code: e.code, message: e.message }];
  return issues.map((i) => {
    const [root, n, ...rest] = i.path.split('.');
    const idx = Number(n);
    if (root === 'steps' && Number.isInteger(idx)) return { severity: 'error', code: 'invalid_shape', step: def.steps[idx]?.id || `#${idx + 1}`, ...(rest.length ? { field: rest.join('.') } : {}), message: i.message };
    if (root === 'parameters' && Number.isInteger(idx)) return { severity: 'error', code: 'invalid_shape', field: `parameters.${def.parameters[idx]?.name ?? idx}`, message: `${rest.join('.') || 'parameter'}: ${i.message}` };
    return { severity: 'error', code: 'invalid_shape', field: i.path || 'workflow', message: i.message };
  });
}

export function useDesigner(id: string | undefined) {
  const [data, setData] = useState<DesignerData | null>(null);
  const [st, setSt] = useState<EditState | null>(null);
  const [base, setBase] = useState<Base | null>(null);
  const [summary, setSummary] = useState<WorkflowSummary | null>(null);
  const [problems, setProblems] = useState<LintProblem[]>([]);
  const [checking, setChecking] = useState(false);
  const [loadError, setLoadError] = useState<ErrorBody | null>(null);
  const [saveError, setSaveError] = useState<ErrorBody | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [restored, setRestored] = useState<LocalDraft | null>(null);
  const [saving, setSaving] = useState(false);

  const load = useCallback(async (opts: { ignoreLocal?: boolean } = {}) => {
    setLoadError(null);
    try {
      const d = await designerData();
      setData(d);
      let loaded: EditState;
      let b: Base | null = null;
      if (id) {
        const vs = await designApi.versions(id);
        const head = await designApi.version(id, vs.workflow.headVersion);
        setSummary(vs.workflow);
        loaded = fromDefinition(head.definition);
        b = { version: head.version, state: head.state, json: JSON.stringify(toDefinition(loaded, d.actionMap)), problems: head.problems };
        setProblems(head.problems);
      } else {
        loaded = emptyState();
        setSummary(null);
      }
      const local = opts.ignoreLocal ? null : readLocal(id);
      if (local && JSON.stringify(local.definition) !== (b?.json ?? JSON.stringify(toDefinition(loaded, d.actionMap)))) {
        loaded = fromDefinition(local.definition);
        setRestored(local);
        // Edits based on an older version keep that base, so saving them is detected as a conflict
        // (and offered on top of the newer version) instead of silently overwriting it.
        if (id && local.base && b && local.base !== b.version) {
          const old = await designApi.version(id, local.base).catch(() => undefined);
          if (old) b = { version: old.version, state: old.state, json: JSON.stringify(toDefinition(fromDefinition(old.definition), d.actionMap)), problems: old.problems };
        }
      } else {
        setRestored(null);
        if (opts.ignoreLocal) localStorage.removeItem(LOCAL(id));
      }
      setBase(b);
      setSt(loaded);
      setConflict(null);
      setSaveError(null);
    } catch (e) {
      setLoadError(errorText(e));
    }
  }, [id]);

  useEffect(() => { void load(); }, [load]);

  const definition = useMemo(() => (st && data ? toDefinition(st, data.actionMap) : null), [st, data]);
  const json = useMemo(() => (definition ? JSON.stringify(definition) : ''), [definition]);
  const emptyJson = useMemo(() => (data ? JSON.stringify(toDefinition(emptyState(), data.actionMap)) : ''), [data]);
  const dirty = !!definition && json !== (base?.json ?? emptyJson);

  // Unsaved edits survive a reload, a crash or a conflict: they stay in this browser until saved.
  useEffect(() => {
    if (!definition) return;
    if (dirty) localStorage.setItem(LOCAL(id), JSON.stringify({ base: base?.version ?? null, definition, at: new Date().toISOString() } satisfies LocalDraft));
    else localStorage.removeItem(LOCAL(id));
  }, [json, dirty, id, base?.version, definition]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => { e.preventDefault(); };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  // Live validation, a moment after the typing stops; an answer to an older text is dropped.
  const lintSeq = useRef(0);
  useEffect(() => {
    // The saved version came with its validation list; only an edit needs a new one.
    if (!definition) return;
    if (base?.problems && json === base.json) {
      lintSeq.current++;
      setChecking(false);
      setProblems(base.problems);
      return;
    }
    const seq = ++lintSeq.current;
    setChecking(true);
    const t = setTimeout(() => {
      designApi.lint(definition)
        .then((r) => { if (seq === lintSeq.current) setProblems(r.problems); })
        .catch((e: unknown) => { if (seq === lintSeq.current) setProblems(shapeProblems(errorText(e), definition)); })
        .finally(() => { if (seq === lintSeq.current) setChecking(false); });
    }, 300);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [json]);

  const save = useCallback(async (note: string, onCreated: (id: string) => void, overBase?: number): Promise<boolean> => {
    if (!definition || !data) return false;
    setSaving(true);
    setSaveError(null);
    try {
      if (!id) {
        const v = await designApi.create(definition, note || 'Created');
        localStorage.removeItem(LOCAL(undefined));
        onCreated(v.workflowId);
        return true;
      }
      const { id: _own, ...rest } = definition;
      const v = await designApi.saveDraft(id, rest, overBase ?? base!.version, note);
      const savedState = fromDefinition(v.definition);
      setBase({ version: v.version, state: v.state, json: JSON.stringify(toDefinition(savedState, data.actionMap)), problems: v.problems });
      setSummary((s) => (s ? { ...s, headVersion: v.version, state: v.state } : s));
      setProblems(v.problems);
      setConflict(null);
      setRestored(null);
      return true;
    } catch (e) {
      const err = errorText(e);
      const current = err.details?.currentVersion;
      if (e instanceof ApiError && e.status === 409 && err.code === 'conflict' && typeof current === 'number') {
        setConflict({ currentVersion: current, author: (err.details?.author as string | null) ?? null, message: err.message });
      } else setSaveError(err);
      return false;
    } finally {
      setSaving(false);
    }
  }, [definition, data, id, base]);

  const submitted = useCallback((state: DesignState) => {
    setBase((b) => (b ? { ...b, state } : b));
    setSummary((s) => (s ? { ...s, state } : s));
  }, []);

  return {
    data, st, setSt, base, summary, problems, checking, definition, dirty, saving, loadError, saveError, conflict, restored,
    load, save, submitted, dismissRestored: () => setRestored(null),
  };
}
