// From an intent to a card or to questions. Names are settled against the tenant, missing
// parameters become questions with choices, and a complete intent becomes a Pending run through
// the engine's createRun, so a chat card is validated and previewed exactly like any other.
import { isAppError, type ErrorBody } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { WorkflowDefinition } from '../engine/definition.ts';
import { createRun } from '../engine/planner.ts';
import type { EnginePorts } from '../engine/ports.ts';
import type { GraphPort } from '../m365/actions/ports.ts';
import type { Lookup, ParsedIntent } from './intent.ts';
import type { Memory } from './memory.ts';
import { missingQuestions, type Question } from './questions.ts';
import { settleLookups } from './resolve/lookups.ts';
import type { TenantDirectory } from './resolve/tenant-directory.ts';

export interface ProposerDeps {
  ports: EnginePorts;
  graph(tenantId: string): GraphPort;
  log?: Logger;
}

export interface ProposalScope {
  tenantId: string;
  conversationId: string | null;
  actor: string;
  memory: Memory;
  dir: TenantDirectory;
  /** The message's text, for group choices that match its words. */
  text: string;
  context: Record<string, unknown>;
}

export type Proposed =
  | { kind: 'card'; action: string; params: Record<string, unknown>; runId: string; title: string; errors: ErrorBody[] }
  | { kind: 'questions'; action: string; params: Record<string, unknown>; title: string; questions: Question[] }
  | { kind: 'unavailable'; action: string; reason: string };

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
}

export function titleFor(def: WorkflowDefinition, params: Record<string, unknown>): string {
  const who = params.user ?? params.displayName ?? params.name ?? params.group;
  return who ? `${def.name}: ${Array.isArray(who) ? who.join(', ') : String(who)}` : def.name;
}

function mergeQuestions(...lists: Question[][]): Question[] {
  const out: Question[] = [];
  for (const q of lists.flat()) if (!out.some((x) => x.param === q.param && x.replaces === q.replaces)) out.push(q);
  return out;
}

export class Proposer {
  private readonly deps: ProposerDeps;
  constructor(deps: ProposerDeps) {
    this.deps = deps;
  }

  async definition(action: string): Promise<WorkflowDefinition | undefined> {
    return (await this.deps.ports.workflows.get(action))?.definition;
  }

  /**
   * Settles, asks or proposes. `keep` are questions still open from before that this step did not
   * answer (an ambiguous group among several).
   */
  async propose(intent: ParsedIntent, s: ProposalScope, keep: Question[] = []): Promise<Proposed> {
    const def = await this.definition(intent.action);
    if (!def) return { kind: 'unavailable', action: intent.action, reason: `'${intent.action}' is not available here.` };
    const known = new Set(def.parameters.map((p) => p.name));
    let params: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(intent.params)) if (known.has(k)) params[k] = v;
    const lookups: Lookup[] = intent.lookups.filter((l) => known.has(l.param));
    // A joiner goes into their department's group when no group is named (onboard-user's default):
    // the name is settled now, so a department with no group of that name is a question on the
    // card, not a step that fails after the account exists.
    const groupParam = def.parameters.find((p) => p.name === 'group' && p.format === 'group');
    if (groupParam && known.has('department') && typeof params.department === 'string' && params.group === undefined && !keep.some((q) => q.param === 'group')) {
      params.group = [params.department];
      lookups.push({ param: 'group', kind: 'group', text: params.department });
    }
    let settledQuestions: Question[] = [];
    try {
      const settled = await settleLookups({ action: intent.action, params, lookups }, s.dir);
      params = settled.params;
      settledQuestions = settled.questions;
    } catch (e) {
      this.deps.log?.warn({ err: isAppError(e) ? e.code : String(e) }, 'chat: name lookup failed');
      return { kind: 'unavailable', action: intent.action, reason: `I could not look names up in the tenant just now (${isAppError(e) ? e.message : 'lookup failed'}). Try again in a moment.` };
    }
    const stillOpen = keep.filter((q) => (q.replaces ? Array.isArray(params[q.param]) && (params[q.param] as unknown[]).includes(q.replaces) : !present(params[q.param])));
    const tenant = this.deps.ports.contexts.tenant(s.tenantId);
    let missing: Question[] = [];
    try {
      missing = await missingQuestions({ action: intent.action, definition: def, params, tenantDefaults: tenant?.defaults ?? {}, memory: s.memory, dir: s.dir, text: s.text });
    } catch (e) {
      this.deps.log?.warn({ err: isAppError(e) ? e.code : String(e) }, 'chat: choices lookup failed');
      missing = def.parameters.filter((p) => p.required && !present(params[p.name]) && !present(tenant?.defaults[p.name]) && p.default === undefined)
        .map((p) => ({ param: p.name, kind: 'text' as const, question: `${(p.description || p.name).replace(/\.$/, '')}?` }));
    }
    const questions = mergeQuestions(stillOpen, settledQuestions, missing);
    const title = titleFor(def, params);
    if (questions.length) return { kind: 'questions', action: intent.action, params, title, questions };
    return this.card(intent.action, params, title, s);
  }

  private async card(action: string, params: Record<string, unknown>, title: string, s: ProposalScope): Promise<Proposed> {
    const created = await createRun(this.deps.ports, {
      tenantId: s.tenantId, workflowId: action, params, context: s.context, actor: s.actor, conversationId: s.conversationId,
    });
    // What validation still needs, or a value that fits several things, is a question, not a dead card.
    const ambiguous = created.errors.filter((e) => e.code === 'ambiguous_value' && e.param);
    if (created.missing.length || ambiguous.length) {
      await this.deps.ports.runs.transition(created.id, ['Pending'], 'Cancelled', {}, s.actor);
      const questions: Question[] = [
        ...created.missing.map((m) => ({ param: m.param, question: m.question, kind: kindOf(m.param), ...(m.choices ? { choices: m.choices } : {}) })),
        ...ambiguous.map((e) => ({
          param: e.param!, question: e.message, kind: kindOf(e.param!),
          ...(Array.isArray(e.details?.choices) ? { choices: e.details.choices as Question['choices'] } : {}),
        })),
      ];
      for (const q of questions) delete params[q.param];
      return { kind: 'questions', action, params, title, questions: mergeQuestions(questions) };
    }
    return { kind: 'card', action, params, runId: created.id, title, errors: created.errors };
  }
}

function kindOf(param: string): Question['kind'] {
  if (['user', 'delegate', 'forwardTo', 'to', 'manager'].includes(param)) return 'person';
  if (['sku', 'fromSku', 'toSku'].includes(param)) return 'sku';
  if (['group', 'addGroups', 'removeGroups'].includes(param)) return 'group';
  if (param === 'accessRights') return 'enum';
  return 'text';
}
