// One scheduling pass's decision, with no I/O: which users each workflow is due for, and under
// which trigger key, given the directory as fetched and what the previous pass saw. The scheduler
// feeds it live data; the benchmark feeds it 100,000 users.
import { compileConditions, timeTriggerKey, type CompiledConditions } from './conditions.ts';
import type { DirectoryUser } from './directory.ts';
import type { Workflow } from './model.ts';

export interface CompiledWorkflow {
  workflow: Workflow;
  conditions: CompiledConditions;
}

export function compileWorkflow(workflow: Workflow): CompiledWorkflow {
  return { workflow, conditions: compileConditions(workflow.executionConditions) };
}

/** Watched attribute values per user id, as a pass saw them. */
export type AttributeSnapshot = Record<string, Record<string, unknown>>;

export interface GroupState {
  /** Member ids at the previous pass; undefined the first time (nothing to compare with). */
  previous: ReadonlySet<string> | undefined;
  generation: number;
  current: ReadonlySet<string>;
}

export interface PassInput {
  now: number;
  users: readonly DirectoryUser[];
  attributes?: { generation: number; data: AttributeSnapshot } | undefined;
  groups?: ReadonlyMap<string, GroupState>;
}

export interface Due {
  user: DirectoryUser;
  triggerKey: string;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  return typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b);
}

/** The watched attributes (of every mover workflow) of every user, for the next pass to compare with. */
export function attributeSnapshot(users: readonly DirectoryUser[], attributes: readonly string[]): AttributeSnapshot {
  const out: AttributeSnapshot = {};
  for (const u of users) {
    const rec: Record<string, unknown> = {};
    for (const a of attributes) rec[a] = u[a] ?? null;
    out[u.id] = rec;
  }
  return out;
}

export function evaluateWorkflow(cw: CompiledWorkflow, input: PassInput, byId?: ReadonlyMap<string, DirectoryUser>): Due[] {
  const { rule, trigger } = cw.conditions;
  if (!trigger) return [];
  const inScope = rule ? rule.test : () => true;
  const due: Due[] = [];
  switch (trigger.kind) {
    case 'timeBased': {
      const { attribute, offsetMs } = trigger;
      for (const u of input.users) {
        const key = timeTriggerKey(u[attribute], offsetMs, input.now);
        if (key !== undefined && inScope(u)) due.push({ user: u, triggerKey: key });
      }
      return due;
    }
    case 'attributeChange': {
      const prev = input.attributes;
      if (!prev) return due;
      const key = `attributeChange@${prev.generation}`;
      for (const u of input.users) {
        const before = prev.data[u.id];
        // A user the last pass did not see is new, not moved.
        if (!before) continue;
        let changed = false;
        for (const a of trigger.attributes) {
          if (a in before && !sameValue(before[a], u[a])) { changed = true; break; }
        }
        if (changed && inScope(u)) due.push({ user: u, triggerKey: key });
      }
      return due;
    }
    case 'membershipChange': {
      const users = byId ?? new Map(input.users.map((u) => [u.id, u]));
      const seen = new Set<string>();
      for (const groupId of trigger.groupIds) {
        const g = input.groups?.get(groupId);
        if (!g?.previous) continue;
        const from = trigger.changeType === 'add' ? g.current : g.previous;
        const against = trigger.changeType === 'add' ? g.previous : g.current;
        for (const id of from) {
          if (against.has(id) || seen.has(id)) continue;
          const u = users.get(id);
          if (!u) continue;
          seen.add(id);
          due.push({ user: u, triggerKey: `membershipChange:${groupId}@${g.generation}` });
        }
      }
      return due;
    }
  }
}

export function evaluatePass(workflows: readonly CompiledWorkflow[], input: PassInput): Map<string, Due[]> {
  const byId = workflows.some((w) => w.conditions.trigger?.kind === 'membershipChange') ? new Map(input.users.map((u) => [u.id, u])) : undefined;
  const out = new Map<string, Due[]>();
  for (const cw of workflows) out.set(cw.workflow.id, evaluateWorkflow(cw, input, byId));
  return out;
}
