// The shape of every catalogued action. One module per action (`<id>.action.ts`) exports an
// ActionDefinition; catalog.ts lists them. The engine, the CLI and the chat all go through this
// interface, so an action behaves the same wherever it is run from.
import type { z } from 'zod';
import type { AppError } from '../../core/errors.ts';
import type { Clock } from '../../core/clock.ts';
import type { ExchangePort, GraphPort } from './ports.ts';

export const actionCategories = ['account', 'licenses', 'groups', 'mail'] as const;
export type ActionCategory = (typeof actionCategories)[number];

export interface TenantInfo {
  id: string;
  domain: string;
  displayName: string;
  /** Tenant defaults (usageLocation, …) used when a parameter is not given. */
  defaults: Record<string, string>;
  /**
   * How the connector signs in: as the app (client credentials) or as a technician (GDAP). Some
   * Graph calls exist for delegated callers only; unknown means the action cannot tell beforehand.
   */
  connection?: 'application' | 'delegated';
}

/**
 * Values an action fixes before its first call and must reuse on every retry (a generated
 * password, the time the call was first sent). The engine persists them, encrypted, with the step.
 */
export interface Scratch {
  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): Promise<void>;
}

export interface ActionContext {
  tenant: TenantInfo;
  graph: GraphPort;
  exchange: ExchangePort;
  /** Unique per step and stable across retries; client-request-ids derive from it. */
  idempotencyKey: string;
  scratch: Scratch;
  clock: Clock;
}

/** One call the action will make, shown on the card. Bodies have secrets masked. */
export interface PlannedCall {
  surface: 'graph' | 'exchange';
  method: string;
  /** Graph path (`/users/{id}`) or Exchange cmdlet name. */
  target: string;
  body?: unknown;
  description: string;
}

/** One field of one object, before and after. */
export interface Change {
  object: string;
  field: string;
  before: unknown;
  after: unknown;
}

/** Something the action will not touch, and why (a dynamic group, an inherited licence). */
export interface Skip {
  item: string;
  reason: string;
  code?: string;
}

export interface Preview {
  calls: PlannedCall[];
  changes: Change[];
  skipped: Skip[];
  /** The tenant is already in the desired state; execute will make no call. */
  alreadyDone: boolean;
  warnings: string[];
}

/** A parameter the person must still supply; the chat turns it into a question. */
export interface MissingParam {
  param: string;
  question: string;
  choices?: Array<{ value: string; label: string }>;
}

export interface Validation {
  errors: AppError[];
  missing: MissingParam[];
  warnings: string[];
}

export interface ExecuteResult<O> {
  outputs: O;
  /** The state the action changed, as it was before: what undo restores. */
  before: Record<string, unknown>;
  alreadyDone: boolean;
  skipped: Skip[];
  /** Human-readable summary for the run history. */
  summary: string;
}

export interface UndoStep {
  action: string;
  params: Record<string, unknown>;
}

export type UndoSpec<P, O> =
  | { reversible: true; build: (params: P, result: ExecuteResult<O>) => UndoStep[] }
  | { reversible: false; reason: string };

export interface RequiredPermissions {
  /** Each inner list is alternatives: the app needs one role from every list. */
  graph: string[][];
  /** Whether the action needs Exchange.ManageAsApp. */
  exchange: boolean;
}

export interface ActionDefinition<S extends z.ZodType = z.ZodType, O extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  title: string;
  description: string;
  category: ActionCategory;
  params: S;
  /** Parameter and output names that hold secrets (masked everywhere except the one hand-over). */
  secrets: string[];
  permissions: RequiredPermissions;
  /** The action only reads (a report or a listing): nothing to approve and nothing to undo. */
  readOnly?: boolean;
  validate(ctx: ActionContext, params: z.infer<S>): Promise<Validation>;
  /**
   * For a workflow step whose full inputs wait for earlier steps (the user it acts on is created
   * by the run): checks, before approval, the inputs already known — the group exists and can be
   * joined, the licence exists and has free units. `known` holds only those inputs.
   */
  validateKnown?(ctx: ActionContext, known: Partial<z.infer<S>>): Promise<Validation>;
  preview(ctx: ActionContext, params: z.infer<S>): Promise<Preview>;
  execute(ctx: ActionContext, params: z.infer<S>): Promise<ExecuteResult<O>>;
  /**
   * In a workflow, the preview seen in the light of what earlier steps of the same run will change
   * (their previewed changes, in order). Pure: no call to the tenant. Lets a step drop a warning an
   * earlier step makes untrue ("convert the mailbox first" when an earlier step converts it).
   */
  inContext?(preview: Preview, earlier: readonly Change[], params: z.infer<S>): Preview;
  undo: UndoSpec<z.infer<S>, O>;
}

/**
 * Keeps each action module's types while the catalog holds them uniformly. The preview drops
 * change rows whose before and after are equal: the diff is what will change, and a row such as
 * "member: true → true" on an already-done card reads as a change that is not going to happen.
 */
export function defineAction<S extends z.ZodType, O extends Record<string, unknown>>(def: ActionDefinition<S, O>): ActionDefinition<S, O> {
  const preview = def.preview;
  return {
    ...def,
    async preview(ctx, params) {
      const p = await preview.call(def, ctx, params);
      return { ...p, changes: p.changes.filter((c) => !sameValue(c.before, c.after)) };
    },
  };
}

/** Deep equality of JSON-like values, lists compared in order. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
