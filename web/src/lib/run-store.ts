// Every run the page shows, kept once and updated live. While a run is Approved or Running a
// websocket on /api/events?run=ID pushes its step and run events; a fresh GET fills in what events
// do not carry (inputs, outputs). Updates only move forward, so a late answer never undoes a newer event.
import { useEffect, useSyncExternalStore } from 'react';
import { errorText, get, socket } from './api.ts';
import { isTerminal, type ErrorBody, type RunEvent, type RunState, type RunView, type StepEvent, type StepState, type StepView } from './types.ts';

export interface LiveRun {
  run: RunView;
  /** Elapsed ms at the last update, and when (performance.now()) it came: the timer ticks from there. */
  elapsedAt: { ms: number; at: number };
  live: boolean;
}

const runs = new Map<string, LiveRun>();
const listeners = new Map<string, Set<() => void>>();
const sockets = new Map<string, WebSocket>();
const loading = new Map<string, Promise<RunView>>();
const failures = new Map<string, ErrorBody>();

const runRank: Record<RunState, number> = { Pending: 0, Approved: 1, Running: 2, Completed: 3, Failed: 3, PartialSuccess: 3, Cancelled: 3 };
const stepRank: Record<StepState, number> = { Pending: 0, Running: 1, Completed: 2, Failed: 2, Skipped: 2 };

function emit(id: string): void {
  for (const l of listeners.get(id) ?? []) l();
}

function mergeSteps(old: StepView[], fresh: StepView[]): StepView[] {
  return fresh.map((s) => {
    const o = old.find((x) => x.id === s.id);
    return o && stepRank[o.state] > stepRank[s.state] ? { ...s, state: o.state, durationMs: o.durationMs, error: o.error } : s;
  });
}

/** Stores a run as the API answered it, keeping any newer state that events already brought. */
export function putRun(fresh: RunView): LiveRun {
  const cur = runs.get(fresh.id);
  let run = fresh;
  if (cur && runRank[cur.run.state] > runRank[fresh.state]) {
    run = { ...fresh, state: cur.run.state, percent: Math.max(cur.run.percent, fresh.percent), steps: mergeSteps(cur.run.steps, fresh.steps) };
  } else if (cur) {
    run = { ...fresh, steps: mergeSteps(cur.run.steps, fresh.steps) };
  }
  const next: LiveRun = { run, elapsedAt: { ms: run.elapsedMs, at: performance.now() }, live: cur?.live ?? false };
  runs.set(fresh.id, next);
  emit(fresh.id);
  return next;
}

function patch(id: string, fn: (r: LiveRun) => LiveRun): void {
  const cur = runs.get(id);
  if (!cur) return;
  runs.set(id, fn(cur));
  emit(id);
}

const latestRead = new Map<string, number>();
let reads = 0;

/**
 * Reads a run. Concurrent reads share one request unless `fresh` is asked for (after the terminal
 * event: a read that started earlier may predate the final state). An answer older than one already
 * applied is not applied, so a slow early read never overwrites the final one.
 */
export async function fetchRun(id: string, fresh = false): Promise<RunView> {
  let p = fresh ? undefined : loading.get(id);
  if (!p) {
    const mine = ++reads;
    p = get<RunView>(`/api/runs/${id}`).then((run) => {
      if (mine >= (latestRead.get(id) ?? 0)) {
        latestRead.set(id, mine);
        putRun(run);
      }
      return run;
    }).finally(() => { if (loading.get(id) === p) loading.delete(id); });
    loading.set(id, p);
  }
  return p;
}

function applyEvent(e: RunEvent | StepEvent): void {
  patch(e.runId, (cur) => {
    const run = { ...cur.run, percent: Math.max(cur.run.percent, e.percent) };
    if (e.type === 'run') {
      if (runRank[e.state] >= runRank[run.state]) run.state = e.state;
    } else {
      run.steps = run.steps.map((s, idx) => {
        if (s.id !== e.stepId && idx !== e.idx) return s;
        if (stepRank[e.state] < stepRank[s.state]) return s;
        return { ...s, state: e.state, durationMs: e.durationMs ?? s.durationMs, error: e.error ?? s.error };
      });
      if (run.state === 'Approved' || run.state === 'Pending') run.state = 'Running';
    }
    return { ...cur, run, elapsedAt: { ms: e.elapsedMs, at: performance.now() } };
  });
  if (e.type === 'run' && isTerminal(e.state)) {
    // The final answer carries outputs, errors and the undo link the events do not.
    void fetchRun(e.runId, true).catch(() => {});
    stopLive(e.runId);
  }
}

/** Follows a run over the websocket until it ends; reconnects if the connection drops mid-run. */
export function followRun(id: string, attempt = 0): void {
  if (sockets.has(id)) return;
  const cur = runs.get(id);
  if (cur && isTerminal(cur.run.state)) return;
  const ws = socket(`/api/events?run=${encodeURIComponent(id)}`);
  sockets.set(id, ws);
  patch(id, (r) => ({ ...r, live: true }));
  ws.onmessage = (m) => {
    const e = JSON.parse(String(m.data)) as RunEvent | StepEvent | { type: 'hello' };
    // Subscribed: anything that happened before now is in a fresh read.
    if (e.type === 'hello') void fetchRun(id).catch(() => {});
    else applyEvent(e);
  };
  ws.onclose = () => {
    if (sockets.get(id) !== ws) return;
    sockets.delete(id);
    patch(id, (r) => ({ ...r, live: false }));
    const now = runs.get(id);
    if (now && !isTerminal(now.run.state) && now.run.state !== 'Pending' && attempt < 20) {
      setTimeout(() => followRun(id, attempt + 1), Math.min(5000, 250 * 2 ** attempt));
    }
  };
}

function stopLive(id: string): void {
  const ws = sockets.get(id);
  if (!ws) return;
  sockets.delete(id);
  ws.close();
  patch(id, (r) => ({ ...r, live: false }));
}

const approvedHere = new Set<string>();

/** Whether this page approved the run (the approver is watching it finish). */
export function wasApprovedHere(id: string): boolean {
  return approvedHere.has(id);
}

export function markApproved(id: string): void {
  approvedHere.add(id);
  patch(id, (r) => ({ ...r, run: { ...r.run, state: runRank[r.run.state] < 1 ? 'Approved' : r.run.state } }));
}

export function peekRun(id: string): LiveRun | undefined {
  return runs.get(id);
}

export function clearRuns(): void {
  for (const id of [...sockets.keys()]) stopLive(id);
  runs.clear();
}

function subscribe(id: string, l: () => void): () => void {
  let set = listeners.get(id);
  if (!set) listeners.set(id, (set = new Set()));
  set.add(l);
  return () => { set.delete(l); };
}

/** The run, loaded if needed and followed live while it is in flight; or why it could not be loaded. */
export function useRun(id: string): { live: LiveRun | undefined; error: ErrorBody | undefined } {
  const live = useSyncExternalStore((l) => subscribe(id, l), () => runs.get(id));
  const error = useSyncExternalStore((l) => subscribe(id, l), () => failures.get(id));
  useEffect(() => {
    if (runs.has(id)) return;
    failures.delete(id);
    fetchRun(id).catch((e: unknown) => {
      failures.set(id, errorText(e));
      emit(id);
    });
  }, [id]);
  const state = live?.run.state;
  useEffect(() => {
    if (state === 'Approved' || state === 'Running') followRun(id);
  }, [id, state]);
  return { live, error };
}
