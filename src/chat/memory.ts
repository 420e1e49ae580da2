// A conversation's memory: who it has been about, and what its completed runs produced (the new
// user's id and address, the groups they joined), so "assign E3 to that user" works next.
// Secrets never enter it: a run's temporary password stays sealed in run_secrets, and memory only
// notes that one exists and where the approver can collect it.
import type { RunRecord, StepRecord } from '../engine/types.ts';

export interface RememberedRun {
  runId: string;
  workflow: string;
  state: string;
  user?: string;
  userId?: string;
  groupsAdded?: string[];
  /** The run generated a credential; only the approver can read it, once, from /api/runs/{id}/secrets. */
  hasTemporaryPassword?: boolean;
}

export interface Memory {
  /** What "her", "this user" and "that user" mean. */
  lastUser?: string;
  lastUserId?: string;
  /** People the conversation has been about, most recent first. */
  users: string[];
  /** Groups runs added people to, most recent first. */
  groups: string[];
  runs: RememberedRun[];
  /** Runs already read into memory. */
  absorbed: string[];
}

const MAX_USERS = 10;
const MAX_RUNS = 20;
const MAX_ABSORBED = 200;

export function emptyMemory(): Memory {
  return { users: [], groups: [], runs: [], absorbed: [] };
}

/** Tolerates memory written by an older version (missing lists). */
export function readMemory(raw: unknown): Memory {
  const m = (raw && typeof raw === 'object' ? raw : {}) as Partial<Memory>;
  return {
    ...(typeof m.lastUser === 'string' ? { lastUser: m.lastUser } : {}),
    ...(typeof m.lastUserId === 'string' ? { lastUserId: m.lastUserId } : {}),
    users: Array.isArray(m.users) ? m.users.filter((x) => typeof x === 'string') : [],
    groups: Array.isArray(m.groups) ? m.groups.filter((x) => typeof x === 'string') : [],
    runs: Array.isArray(m.runs) ? m.runs : [],
    absorbed: Array.isArray(m.absorbed) ? m.absorbed.filter((x) => typeof x === 'string') : [],
  };
}

export function rememberUser(m: Memory, upn: string, userId?: string): void {
  const u = upn.toLowerCase();
  if (m.lastUser !== u) delete m.lastUserId;
  m.lastUser = u;
  if (userId) m.lastUserId = userId;
  m.users = [u, ...m.users.filter((x) => x !== u)].slice(0, MAX_USERS);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v && !v.startsWith('●') ? v : undefined;
}

/** Reads a finished run's outputs into memory (its user becomes the one "that user" means). */
export function absorbRun(m: Memory, run: RunRecord, steps: readonly StepRecord[]): void {
  if (m.absorbed.includes(run.id)) return;
  m.absorbed = [...m.absorbed, run.id].slice(-MAX_ABSORBED);
  const outputs = run.outputs ?? {};
  const stepOut = steps.map((s) => s.outputs ?? {});
  const user = str(outputs.userPrincipalName) ?? stepOut.map((o) => str(o.userPrincipalName)).find(Boolean) ?? str(run.params.user) ?? run.subjectUser ?? undefined;
  const userId = str(outputs.userId) ?? stepOut.map((o) => str(o.userId)).find(Boolean);
  const groupsAdded = stepOut.flatMap((o) => (Array.isArray(o.added) ? o.added : []))
    .map((g) => (g && typeof g === 'object' ? str((g as Record<string, unknown>).displayName) : undefined))
    .filter((g): g is string => g !== undefined);
  const hasTemporaryPassword = 'temporaryPassword' in outputs || stepOut.some((o) => 'temporaryPassword' in o);
  const remembered: RememberedRun = {
    runId: run.id, workflow: run.workflowId, state: run.state,
    ...(user ? { user: user.toLowerCase() } : {}), ...(userId ? { userId } : {}),
    ...(groupsAdded.length ? { groupsAdded } : {}), ...(hasTemporaryPassword ? { hasTemporaryPassword } : {}),
  };
  m.runs = [remembered, ...m.runs].slice(0, MAX_RUNS);
  if (groupsAdded.length) m.groups = [...new Set([...groupsAdded, ...m.groups])].slice(0, MAX_USERS);
  if (user) rememberUser(m, user, userId);
}
