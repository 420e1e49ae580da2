// One message in a conversation: read the outputs of runs that finished since the last message
// into memory, answer open questions or understand a new request, turn each intent into a card (a
// Pending run) or questions, store it all, and say what happened.
import type { Logger } from '../core/logger.ts';
import type { WorkflowDefinition } from '../engine/definition.ts';
import type { EnginePorts } from '../engine/ports.ts';
import type { ActionDefinition } from '../m365/actions/action.ts';
import type { GraphPort } from '../m365/actions/ports.ts';
import { isCancel, pickChoice, readAnswers } from './answers.ts';
import type { Conversation, ConversationsRepo, Proposal } from './conversations-repo.ts';
import { proposableIds, type Lookup, type ParsedIntent, type ParseResult } from './intent.ts';
import type { IntentProvider } from './llm/openai-provider.ts';
import { absorbRun, rememberUser, type Memory } from './memory.ts';
import { parseIntents } from './parser.ts';
import { Proposer, type ProposalScope, type Proposed } from './proposer.ts';
import type { Question } from './questions.ts';
import { capabilityText, questionText, refusalReply } from './replies.ts';
import { TenantDirectory } from './resolve/tenant-directory.ts';
import { matchDesignedWorkflow, type DesignedWorkflow } from './designed-workflows.ts';

export interface ChatDeps {
  repo: ConversationsRepo;
  /** Workflows designed and activated here (proposed by name); built-ins are known to the rules. */
  designed?: () => Promise<DesignedWorkflow[]>;
  ports: EnginePorts;
  graph(tenantId: string): GraphPort;
  provider?: IntentProvider | undefined;
  log?: Logger;
}

/** A question as the API shows it: which proposal it belongs to, so a client can answer it. */
export interface OpenQuestion extends Question {
  proposal: string;
  action: string;
}

export interface MessageOutcome {
  reply: string;
  runIds: string[];
  questions: OpenQuestion[];
  intents: Array<{ action: string; params: Record<string, unknown> }>;
}

export function ticketContext(c: Conversation): Record<string, unknown> {
  return { conversationId: c.id, ...(c.ticketRef ? { ticketRef: c.ticketRef } : {}), ...(c.subjectUser ? { subjectUser: c.subjectUser } : {}) };
}

export class ChatService {
  private readonly deps: ChatDeps;
  private readonly proposer: Proposer;
  private readonly known: ReadonlySet<string>;

  constructor(deps: ChatDeps) {
    this.deps = deps;
    this.proposer = new Proposer({ ports: deps.ports, graph: deps.graph, ...(deps.log ? { log: deps.log } : {}) });
    this.known = new Set(proposableIds);
  }

  directory(tenantId: string): TenantDirectory {
    return new TenantDirectory(this.deps.graph(tenantId), this.deps.ports.contexts.tenant(tenantId)?.domain ?? '');
  }

  /** Rules first; the optional model only when the rules understood nothing a person could mean. */
  async understand(text: string, context: { lastUser?: string; subjectUser?: string }, tenantId: string): Promise<ParseResult & { source: 'rules' | 'llm' }> {
    const designed = matchDesignedWorkflow(text, (await this.deps.designed?.()) ?? []);
    if (designed) return { intents: [designed], source: 'rules' };
    const parsed = parseIntents(text, context, { known: this.known });
    if (parsed.intents.length || parsed.refusal !== 'unknown' || !this.deps.provider) return { ...parsed, source: 'rules' };
    try {
      const domain = this.deps.ports.contexts.tenant(tenantId)?.domain ?? '';
      const intents = await this.deps.provider.propose(text, { ...context, domain });
      return intents.length ? { intents, source: 'llm' } : { ...parsed, source: 'rules' };
    } catch (e) {
      this.deps.log?.warn({ err: e instanceof Error ? e.message : String(e), provider: this.deps.provider.name }, 'chat: model provider failed; rules only');
      return { ...parsed, source: 'rules' };
    }
  }

  /** Reads runs of this conversation that finished since the last message into its memory. */
  private async absorb(c: Conversation): Promise<void> {
    const ids = await this.deps.repo.finishedRunIds(c.id, c.memory.absorbed);
    for (const id of ids) {
      const run = await this.deps.ports.runs.getRun(id);
      if (run) absorbRun(c.memory, run, await this.deps.ports.runs.getSteps(id));
    }
  }

  async message(c: Conversation, text: string, actor: string, answers: Record<string, string> = {}): Promise<MessageOutcome> {
    await this.absorb(c);
    const messageId = await this.deps.repo.addMessage(c.id, { role: 'technician', text });
    const scope: ProposalScope = {
      tenantId: c.tenantId, conversationId: c.id, actor, memory: c.memory, dir: this.directory(c.tenantId), text, context: ticketContext(c),
    };
    const results: Array<{ proposed: Proposed; proposal?: string }> = [];
    const parseContext = {
      ...(c.memory.lastUser ?? c.subjectUser ? { lastUser: (c.memory.lastUser ?? c.subjectUser)! } : {}),
      ...(c.subjectUser ? { subjectUser: c.subjectUser } : {}),
    };
    let intents: ParsedIntent[] = [];
    let reply: string | undefined;
    const open = await this.deps.repo.asking(c.id);

    if (open.length && isCancel(text)) {
      for (const p of open) await this.deps.repo.updateProposal(p.id, { state: 'dropped' });
      reply = 'OK, I dropped that request; nothing was proposed.';
    } else {
      // A reply that is itself a request ("reset password for x@…") starts over, unless it picks a choice.
      const newRequest = open.length > 0 && !Object.keys(answers).length && parseIntents(text, parseContext, { known: this.known }).intents.length > 0
        && !open.some((p) => p.questions.some((q) => pickChoice(text, q) !== undefined));
      const answered = open.length && !newRequest ? await this.answer(open, text, answers, scope) : [];
      if (answered.length) results.push(...answered);
      else {
        const understood = await this.understand(text, parseContext, c.tenantId);
        intents = understood.intents;
        if (!intents.length && open.length) {
          reply = `I still need this before I can make the card:\n${questionText(open.flatMap((p) => p.questions))}\nOr say "cancel" to drop it.`;
          results.push(...open.map((p) => ({ proposed: { kind: 'questions' as const, action: p.action, params: p.params, title: p.action, questions: p.questions }, proposal: p.id })));
        } else if (!intents.length) {
          reply = refusalReply(understood.refusal ?? 'unknown', text.length);
        } else {
          for (const p of open) await this.deps.repo.updateProposal(p.id, { state: 'superseded' });
          for (const intent of intents) {
            const proposed = await this.proposer.propose(intent, scope);
            const proposal = await this.record(c.id, messageId, proposed, understood.source);
            results.push({ proposed, ...(proposal ? { proposal } : {}) });
          }
        }
      }
    }

    for (const r of results) {
      const user = r.proposed.kind === 'card' ? r.proposed.params.user : undefined;
      if (typeof user === 'string' && user.includes('@')) rememberUser(c.memory, user);
    }
    const runIds = results.flatMap((r) => (r.proposed.kind === 'card' ? [r.proposed.runId] : []));
    const questions: OpenQuestion[] = results.flatMap((r) => (r.proposed.kind === 'questions' && r.proposal ? r.proposed.questions.map((q) => ({ ...q, proposal: r.proposal!, action: r.proposed.action })) : []));
    reply ??= describe(results.map((r) => r.proposed));
    await this.deps.repo.addMessage(c.id, { role: 'assistant', text: reply, intents: intents.map((i) => ({ action: i.action, params: i.params })), questions, runIds });
    await this.deps.repo.saveMemory(c.id, c.memory, c.title ? undefined : text.trim().slice(0, 80));
    return { reply, runIds, questions, intents: intents.map((i) => ({ action: i.action, params: i.params })) };
  }

  private async record(conversationId: string, messageId: string, p: Proposed, source: 'rules' | 'llm'): Promise<string | undefined> {
    if (p.kind === 'unavailable') return undefined;
    return this.deps.repo.addProposal({
      conversationId, messageId, action: p.action, params: p.params, source,
      state: p.kind === 'card' ? 'proposed' : 'asking', questions: p.kind === 'questions' ? p.questions : [], runId: p.kind === 'card' ? p.runId : null,
    });
  }

  /** Applies a reply to the open proposals it answers; proposals it does not touch stay open. */
  private async answer(open: Proposal[], text: string, explicit: Record<string, string>, scope: ProposalScope): Promise<Array<{ proposed: Proposed; proposal: string }>> {
    const out: Array<{ proposed: Proposed; proposal: string }> = [];
    for (const p of open) {
      const got = readAnswers(text, p.questions, explicit);
      if (!got.length) continue;
      const params = structuredClone(p.params);
      const lookups: Lookup[] = [];
      for (const a of got) {
        const q = a.question;
        if (q.param === 'sku' && a.value === 'all') { params.all = true; delete params.sku; continue; }
        if (q.replaces && Array.isArray(params[q.param])) params[q.param] = (params[q.param] as unknown[]).map((x) => (x === q.replaces ? a.value : x));
        else params[q.param] = a.value;
        if (a.lookup && !(a.lookup === 'user' && a.value.includes('@'))) lookups.push({ param: q.param, kind: a.lookup, text: a.value });
      }
      const keep = p.questions.filter((q) => !got.some((a) => a.question === q));
      const proposed = await this.proposer.propose({ action: p.action, params, lookups }, scope, keep);
      await this.deps.repo.updateProposal(p.id, proposed.kind === 'card'
        ? { state: 'proposed', params: proposed.params, runId: proposed.runId, questions: [] }
        : proposed.kind === 'questions' ? { params: proposed.params, questions: proposed.questions } : { state: 'dropped' });
      out.push({ proposed, proposal: p.id });
    }
    return out;
  }
}

function describe(results: Proposed[]): string {
  const lines: string[] = [];
  const cards = results.filter((r) => r.kind === 'card');
  if (cards.length) {
    lines.push(cards.length === 1 ? 'Here is the card; nothing runs until you approve it:' : `Here are ${cards.length} cards; nothing runs until you approve them:`);
    for (const c of cards) {
      lines.push(`- ${c.title}`);
      for (const e of c.errors) lines.push(`  ! ${e.message}${e.fix ? ` ${e.fix}` : ''}`);
    }
  }
  for (const r of results) {
    if (r.kind === 'questions') lines.push(`To prepare "${r.title}" I need to know:\n${questionText(r.questions)}`);
    if (r.kind === 'unavailable') lines.push(r.reason);
  }
  return lines.length ? lines.join('\n') : capabilityText();
}

/** Catalog actions and built-in workflows the optional model may call (what the rules may propose). */
export async function proposableCatalog(ports: EnginePorts): Promise<{ actions: Map<string, ActionDefinition>; workflows: Map<string, WorkflowDefinition> }> {
  const actions = new Map<string, ActionDefinition>();
  const workflows = new Map<string, WorkflowDefinition>();
  for (const id of proposableIds) {
    const a = ports.actions.get(id);
    if (a) { actions.set(id, a); continue; }
    const wf = await ports.workflows.get(id);
    if (wf) workflows.set(id, wf.definition);
  }
  return { actions, workflows };
}
