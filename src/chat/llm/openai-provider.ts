// An optional model behind an OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI,
// vLLM, Ollama, LM Studio …), asked only when the rules understood nothing. It may only call the
// catalog's tools; every call is checked by checkToolCall and then treated exactly like a parsed
// intent. Configured by TENANTFLOW_LLM_URL, TENANTFLOW_LLM_MODEL and TENANTFLOW_LLM_KEY.
import type { ParsedIntent } from '../intent.ts';
import { catalogTools, checkToolCall, type Proposable } from './tools.ts';

export interface IntentProvider {
  readonly name: string;
  propose(text: string, context: { lastUser?: string; subjectUser?: string; domain: string }): Promise<ParsedIntent[]>;
}

export interface OpenAiProviderOptions {
  /** The endpoint, or its base (…/v1); /chat/completions is added when missing. */
  url: string;
  model: string;
  key?: string | undefined;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const SYSTEM = [
  'You turn a Microsoft 365 technician\'s message into tool calls, one per request, in the order written.',
  'Call only the tools given. Use email addresses or user principal names for people when the message has them; otherwise the person\'s name as written.',
  'Leave out parameters the message does not give. If the message asks for nothing the tools can do, call no tool.',
].join(' ');

interface CompletionResponse {
  choices?: Array<{ message?: { tool_calls?: Array<{ type?: string; function?: { name?: string; arguments?: unknown } }> } }>;
}

/** Longest message text sent to the model. */
const MAX_PROMPT = 8_000;

export class OpenAiCompatibleProvider implements IntentProvider {
  readonly name: string;
  private readonly opts: OpenAiProviderOptions;
  private readonly catalog: Proposable;

  constructor(opts: OpenAiProviderOptions, catalog: Proposable) {
    this.opts = opts;
    this.catalog = catalog;
    this.name = `openai-compatible:${opts.model}`;
  }

  private endpoint(): string {
    const u = this.opts.url.replace(/\/+$/, '');
    return /\/chat\/completions$/.test(u) ? u : `${u}/chat/completions`;
  }

  async propose(text: string, context: { lastUser?: string; subjectUser?: string; domain: string }): Promise<ParsedIntent[]> {
    const facts = [
      `Tenant domain: ${context.domain}.`,
      context.lastUser ? `"This user", "her", "him" and "them" mean ${context.lastUser}.` : '',
      context.subjectUser ? `The ticket is about ${context.subjectUser}.` : '',
    ].filter(Boolean).join(' ');
    const body = {
      model: this.opts.model,
      temperature: 0,
      messages: [{ role: 'system', content: `${SYSTEM} ${facts}` }, { role: 'user', content: text.slice(0, MAX_PROMPT) }],
      tools: catalogTools(this.catalog),
      tool_choice: 'auto',
    };
    const res = await (this.opts.fetch ?? fetch)(this.endpoint(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.opts.key ? { authorization: `Bearer ${this.opts.key}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
    });
    if (!res.ok) throw new Error(`The model endpoint answered ${res.status}.`);
    const json = (await res.json()) as CompletionResponse;
    const calls = json.choices?.[0]?.message?.tool_calls ?? [];
    const out: ParsedIntent[] = [];
    for (const c of calls.slice(0, 10)) {
      const name = c.function?.name;
      if (typeof name !== 'string') continue;
      const intent = checkToolCall(this.catalog, name, c.function?.arguments ?? {}, context.domain);
      if (intent) out.push(intent);
    }
    return out;
  }
}

/** The provider the environment configures, or undefined (the default: rules only, no network). */
export function providerFromEnv(env: NodeJS.ProcessEnv, catalog: Proposable): IntentProvider | undefined {
  const url = env.TENANTFLOW_LLM_URL?.trim();
  const model = env.TENANTFLOW_LLM_MODEL?.trim();
  if (!url || !model) return undefined;
  return new OpenAiCompatibleProvider({ url, model, key: env.TENANTFLOW_LLM_KEY?.trim() || undefined }, catalog);
}
