// Workflow quarantine (Microsoft's quarantineConfiguration): a safety net that holds a scheduled
// run when it would process more users than expected — a bad HR sync must not offboard half a
// company. readQuarantineConfiguration checks a client's JSON; quarantineVerdict decides, with no
// I/O, whether a run of `due` users out of `inScope` is held, and says why in plain words.
import type { DirectoryUser } from './directory.ts';
import { lcwErrors } from './errors.ts';
import type { CompiledWorkflow, Due, GroupState } from './evaluate.ts';
import { LIMITS, matchModes, NO_SETTINGS, T, type MatchMode, type QuarantineCondition, type QuarantineConfiguration, type QuarantineType, type Settings, type Workflow, type WorkflowSetting } from './model.ts';

const isAnnotation = (k: string) => k.startsWith('@odata.') || k.includes('@odata.');

function object(v: unknown, path: string, what: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw lcwErrors.invalid(`${path} must be ${what}.`);
  return v as Record<string, unknown>;
}

function onlyProps(o: Record<string, unknown>, allowed: readonly string[], path: string, type: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k) && !isAnnotation(k)) throw lcwErrors.invalid(`'${k}' is not a property of microsoft.graph.identityGovernance.${type} (${path}).`);
  }
}

function wholeNumber(v: unknown, path: string, range: { min: number; max: number }): number {
  // Int64 values may arrive as strings (OData IEEE754Compatible); accept digits only.
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < range.min || n > range.max) {
    throw lcwErrors.invalid(`${path} must be a whole number from ${range.min} to ${range.max}, not ${JSON.stringify(v ?? null)}.`);
  }
  return n;
}

function readCondition(raw: unknown, path: string): QuarantineCondition {
  const c = object(raw, path, `a quarantine condition with an @odata.type (${T.countCondition} or ${T.percentageCondition})`);
  const t = typeof c['@odata.type'] === 'string' ? `#${c['@odata.type'].replace(/^#/, '')}` : '';
  if (t === T.countCondition) {
    onlyProps(c, ['threshold'], path, 'countBasedQuarantineCondition');
    return { '@odata.type': T.countCondition, threshold: wholeNumber(c.threshold, `${path}.threshold`, LIMITS.quarantineThreshold) };
  }
  if (t === T.percentageCondition) {
    onlyProps(c, ['percentage'], path, 'percentageBasedQuarantineCondition');
    return { '@odata.type': T.percentageCondition, percentage: wholeNumber(c.percentage, `${path}.percentage`, LIMITS.quarantinePercentage) };
  }
  throw lcwErrors.invalid(`${path}.@odata.type must be ${T.countCondition} or ${T.percentageCondition}, not ${JSON.stringify(c['@odata.type'] ?? null)}.`);
}

/** A quarantineConfiguration (or null: none), or a 400 naming the property at `path`. */
export function readQuarantineConfiguration(raw: unknown, path: string): QuarantineConfiguration | null {
  if (raw === null || raw === undefined) return null;
  const c = object(raw, path, 'an object {"conditions": [...], "matchMode": "any" | "all"}, or null');
  onlyProps(c, ['conditions', 'matchMode'], path, 'quarantineConfiguration');
  if (!Array.isArray(c.conditions) || !c.conditions.length) {
    throw lcwErrors.invalid(`${path}.conditions is required: at least one countBasedQuarantineCondition {"threshold": n} or percentageBasedQuarantineCondition {"percentage": n}; set ${path} to null for none.`);
  }
  const conditions = c.conditions.map((x, i) => readCondition(x, `${path}.conditions[${i}]`));
  for (const type of [T.countCondition, T.percentageCondition]) {
    if (conditions.filter((x) => x['@odata.type'] === type).length > 1) throw lcwErrors.invalid(`${path}.conditions has more than one ${type.slice(1)}; give each kind of condition once.`);
  }
  const mode = c.matchMode ?? 'any';
  if (!matchModes.includes(mode as MatchMode)) throw lcwErrors.invalid(`${path}.matchMode must be one of ${matchModes.join(', ')}, not ${JSON.stringify(mode)}.`);
  return { conditions, matchMode: mode as MatchMode };
}

/** A workflow's settings (workflowSetting) from a create or createNewVersion body. */
export function readWorkflowSetting(raw: unknown): WorkflowSetting {
  if (raw === null) return { ...NO_SETTINGS };
  const s = object(raw, 'settings', 'a workflowSetting object {"quarantineConfiguration": {...}}');
  onlyProps(s, ['quarantineConfiguration'], 'settings', 'workflowSetting');
  return { quarantineConfiguration: readQuarantineConfiguration(s.quarantineConfiguration, 'settings.quarantineConfiguration') };
}

/** The configuration a scheduled run of the workflow is checked against: its own, else the tenant's. */
export function effectiveQuarantineConfiguration(wf: Pick<Workflow, 'settings'>, tenant: Pick<Settings, 'quarantineConfiguration'>): QuarantineConfiguration | null {
  return wf.settings?.quarantineConfiguration ?? tenant.quarantineConfiguration ?? null;
}

export interface QuarantineVerdict {
  type: Exclude<QuarantineType, 'notQuarantined'>;
  reason: string;
}

const users = (n: number) => `${n} user${n === 1 ? '' : 's'}`;

/** Percent with at most one decimal (48.3, 100). */
function percent(part: number, whole: number): number {
  return Math.round((part * 1000) / whole) / 10;
}

/**
 * Whether a run that would process `due` users, out of `inScope` users in the workflow's scope, is
 * quarantined: count — more than `threshold` users; percentage — more than `percentage` % of the
 * scope. matchMode any holds it when one condition is exceeded, all when every one is.
 */
export function quarantineVerdict(cfg: QuarantineConfiguration, run: { due: number; inScope: number }): QuarantineVerdict | undefined {
  const { due } = run;
  // Due users are in scope by definition (a removed group member just was); never divide by less.
  const scope = Math.max(run.inScope, due);
  const exceeded: Array<{ type: QuarantineVerdict['type']; says: string }> = [];
  for (const c of cfg.conditions) {
    if (c['@odata.type'] === T.countCondition) {
      if (due > c.threshold) exceeded.push({ type: 'countBasedThresholdExceeded', says: `the threshold is ${users(c.threshold)}` });
    } else if (scope > 0 && due * 100 > c.percentage * scope) {
      exceeded.push({ type: 'percentageBasedThresholdExceeded', says: `the threshold is ${c.percentage}% of the users in scope` });
    }
  }
  if (!exceeded.length || (cfg.matchMode === 'all' && exceeded.length < cfg.conditions.length)) return undefined;
  const hasPercentage = exceeded.some((x) => x.type === 'percentageBasedThresholdExceeded');
  const what = hasPercentage ? `${users(due)} of the ${scope} in its scope (${percent(due, scope)}%)` : users(due);
  return {
    type: exceeded.length > 1 ? 'multipleConditionsExceeded' : exceeded[0]!.type,
    reason: `This run would process ${what}; ${exceeded.map((x) => x.says).join(' and ')}.`,
  };
}

/** Whether the configuration has a percentage condition (which needs the size of the scope). */
export function needsScopeSize(cfg: QuarantineConfiguration): boolean {
  return cfg.conditions.some((c) => c['@odata.type'] === T.percentageCondition);
}

/**
 * How many users are in the workflow's scope at this pass: those its rule matches (every user
 * without a rule), or the current members of its scope groups; plus the due users themselves (a
 * user just removed from a group is no longer a member, yet is in this run's population).
 */
export function scopeSize(cw: CompiledWorkflow, users: readonly DirectoryUser[], groups: ReadonlyMap<string, GroupState>, due: readonly Due[]): number {
  const ids = new Set(due.map((d) => d.user.id));
  const trigger = cw.conditions.trigger;
  if (trigger?.kind === 'membershipChange') {
    for (const gid of trigger.groupIds) for (const id of groups.get(gid)?.current ?? []) ids.add(id);
  } else {
    const rule = cw.conditions.rule;
    for (const u of users) if (!rule || rule.test(u)) ids.add(u.id);
  }
  return ids.size;
}
