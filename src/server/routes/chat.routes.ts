// The chat API: parse text into intents, and conversations (a technician's thread in one tenant,
// optionally attached to a PSA ticket) whose messages come back as cards and questions.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { ChatService, proposableCatalog } from '../../chat/conversation-service.ts';
import { ConversationsRepo, type Conversation } from '../../chat/conversations-repo.ts';
import { providerFromEnv } from '../../chat/llm/openai-provider.ts';
import { parseIntents } from '../../chat/parser.ts';
import { refusalReply } from '../../chat/replies.ts';
import { settleLookups } from '../../chat/resolve/lookups.ts';
import type { Question } from '../../chat/questions.ts';
import { callerOf, scopedTenant, tenantScope, type Caller } from '../http/auth.ts';
import { runView } from '../run-view.ts';
import type { Runtime } from '../runtime.ts';

const email = z.string().trim().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'Use an email address or UPN, e.g. jane.smith@contoso.com.');
const uuid = z.string().uuid('Conversation ids are UUIDs.');

export function chatRoutes(rt: Runtime, opts: { env?: NodeJS.ProcessEnv } = {}) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const repo = new ConversationsRepo(rt.store.db);
    const provider = providerFromEnv(opts.env ?? process.env, await proposableCatalog(rt.ports));
    const chat = new ChatService({ repo, ports: rt.ports, graph: (t) => rt.connector.graph(t), provider, log: rt.log, designed: () => rt.workflows.activeDesigned() });
    // One message at a time per conversation: each reads and writes the conversation's memory.
    const queues = new Map<string, Promise<unknown>>();
    const serial = <T>(id: string, fn: () => Promise<T>): Promise<T> => {
      const next = (queues.get(id) ?? Promise.resolve()).catch(() => {}).then(fn);
      queues.set(id, next);
      void next.finally(() => { if (queues.get(id) === next) queues.delete(id); }).catch(() => {});
      return next;
    };

    const loadOwn = async (caller: Caller, id: string): Promise<Conversation> => {
      const c = await repo.get(id);
      // Someone else's conversation, or one in a tenant no longer in scope, answers like a missing one.
      if (!c || c.accountId !== caller.account.id || !tenantScope(rt, caller).has(c.tenantId)) {
        throw new AppError({ code: 'not_found', message: `No conversation ${id}.`, fix: 'GET /api/conversations lists yours.' });
      }
      return c;
    };

    const cardsOf = async (ids: readonly string[]) => {
      const out = [];
      for (const id of ids) {
        const run = await rt.runs.getRun(id);
        if (run) out.push(runView(run, await rt.runs.getSteps(id), { now: Date.now() }));
      }
      return out;
    };

    const conversationView = (c: Conversation) => ({
      id: c.id, tenant: c.tenantId, ticketRef: c.ticketRef, subjectUser: c.subjectUser, title: c.title,
      memory: { lastUser: c.memory.lastUser ?? null, lastUserId: c.memory.lastUserId ?? null, users: c.memory.users, groups: c.memory.groups, runs: c.memory.runs },
      createdAt: c.createdAt, updatedAt: c.updatedAt,
    });

    r.post('/api/intents/parse', {
      schema: {
        tags: ['chat'],
        summary: 'Turn text into intents ({action, params}) with canonical ids; with a tenant, names are settled against it.',
        body: z.strictObject({
          text: z.string().default(''),
          tenant: z.string().min(1).optional().describe('Tenant id, domain or prefix; only used to settle names ("Jane Smith", "Finance", "E3").'),
          context: z.strictObject({ lastUser: email.optional(), subjectUser: email.optional() }).optional(),
        }),
      },
    }, async (req) => {
      const caller = callerOf(req);
      const tenantId = req.body.tenant ? scopedTenant(rt, caller, req.body.tenant) : undefined;
      const context = req.body.context ?? {};
      const understood = tenantId
        ? await chat.understand(req.body.text, context, tenantId)
        : { ...parseIntents(req.body.text, context), source: 'rules' as const };
      const questions: Array<Question & { intent: number }> = [];
      const intents = [];
      for (const [i, intent] of understood.intents.entries()) {
        if (!tenantId) { intents.push({ action: intent.action, params: intent.params }); continue; }
        const settled = await settleLookups(intent, chat.directory(tenantId));
        intents.push({ action: intent.action, params: settled.params });
        questions.push(...settled.questions.map((q) => ({ ...q, intent: i })));
      }
      return {
        intents,
        ...(questions.length ? { questions } : {}),
        ...(intents.length ? {} : { reply: refusalReply(understood.refusal ?? 'unknown', req.body.text.length), refusal: understood.refusal ?? 'unknown' }),
      };
    });

    r.post('/api/conversations', {
      schema: {
        tags: ['chat'],
        summary: 'Start a conversation in a tenant, optionally attached to a PSA ticket (the same ticket gives back the same conversation).',
        body: z.strictObject({
          tenant: z.string().min(1),
          ticketRef: z.string().trim().min(1).max(200).optional().describe('The PSA ticket reference, e.g. CW-48211.'),
          subjectUser: email.optional().describe('The user the ticket is about.'),
        }),
      },
    }, async (req, reply) => {
      const caller = callerOf(req);
      const tenantId = scopedTenant(rt, caller, req.body.tenant);
      if (req.body.ticketRef) {
        const existing = await repo.byTicket(caller.account.id, tenantId, req.body.ticketRef);
        if (existing) return reply.code(200).send(conversationView(existing));
      }
      const c = await repo.create({ accountId: caller.account.id, tenantId, ticketRef: req.body.ticketRef ?? null, subjectUser: req.body.subjectUser ?? null });
      return reply.code(201).send(conversationView(c));
    });

    r.get('/api/conversations', {
      schema: { tags: ['chat'], summary: 'Your conversations, most recent first.', querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
    }, async (req) => {
      const caller = callerOf(req);
      const list = await repo.listFor(caller.account.id, [...tenantScope(rt, caller)], req.query.limit);
      return { conversations: list.map(conversationView) };
    });

    r.get('/api/conversations/:id', { schema: { tags: ['chat'], summary: 'A conversation with its messages, open questions and cards.', params: z.object({ id: uuid }) } }, async (req) => {
      const c = await loadOwn(callerOf(req), req.params.id);
      const messages = await repo.messages(c.id);
      const open = await repo.asking(c.id);
      return {
        ...conversationView(c),
        messages: messages.map((m) => ({ role: m.role, text: m.text, runIds: m.runIds, questions: m.questions, createdAt: m.createdAt })),
        questions: open.flatMap((p) => p.questions.map((q) => ({ ...q, proposal: p.id, action: p.action }))),
        cards: await cardsOf([...new Set(messages.flatMap((m) => m.runIds))]),
      };
    });

    r.post('/api/conversations/:id/messages', {
      schema: {
        tags: ['chat'],
        summary: 'Say something: the answer is a reply, cards (Pending runs to approve) and questions for what is missing.',
        params: z.object({ id: uuid }),
        body: z.strictObject({
          text: z.string().default(''),
          answers: z.record(z.string(), z.string().max(2000)).optional().describe('Answers to open questions by parameter, e.g. {"sku": "SPE_E3"}.'),
        }),
      },
    }, async (req) => {
      const caller = callerOf(req);
      const c = await loadOwn(caller, req.params.id);
      const out = await serial(c.id, async () => chat.message((await repo.get(c.id))!, req.body.text, caller.account.id, req.body.answers ?? {}));
      return { reply: out.reply, cards: await cardsOf(out.runIds), questions: out.questions, intents: out.intents };
    });
  };
}
