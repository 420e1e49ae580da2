// Exchange Online's admin API (the REST endpoint behind the EXO v3 PowerShell module) for one
// tenant: POST {exchangeBaseUrl}/{tenantId}/InvokeCommand with {"CmdletInput":{CmdletName,Parameters}},
// routed by X-AnchorMailbox, paged by re-POSTing the same body to @odata.nextLink, and $batch of up
// to 10 cmdlets with per-item retry. Same retry, pacing and error mapping as the Graph client.
import { randomUUID } from 'node:crypto';
import { AppError } from '../core/errors.ts';
import { stableId } from '../core/ids.ts';
import type { ExchangePort, ExchangeResult } from './actions/ports.ts';
import { runBatchRounds, type RoundResult } from './batch-rounds.ts';
import { exchangeErrorToAppError, isExchangeNotFound, readExchangeError } from './exchange-errors.ts';
import type { Send, WireResponse } from './http-transport.ts';
import type { PacingBudget, PacingRequest } from './pacing.ts';
import { runResilient, type AttemptOutcome } from './resilient-call.ts';
import { parseRetryAfter, retryPolicy, type RetryPolicy } from './retry-policy.ts';
import type { TenantConfig } from './tenant-config.ts';
import { EXCHANGE_SCOPE, rolesInToken, type TokenSource } from './token-provider.ts';
import { lowerKeys, parseBody } from './response-body.ts';

/** The arbitration mailbox the EXO module anchors tenant-wide cmdlets to. */
export function systemAnchor(tenantId: string): string {
  return `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${tenantId}`;
}

/** The admin API takes up to 10 cmdlets per $batch. */
export const EXCHANGE_BATCH_LIMIT = 10;

export interface ExchangeInvokeOptions {
  /** The target mailbox's UPN, so the call routes to its server; default the system mailbox. */
  anchorMailbox?: string;
  clientRequestId?: string;
  /** Retry "couldn't be found" for a while: the recipient was just created. */
  retryNotFound?: boolean;
  /** Properties to return ($select). */
  select?: readonly string[];
}

export interface ExchangeBatchItem {
  id: string;
  cmdlet: string;
  parameters?: Record<string, unknown>;
  anchorMailbox?: string;
}

export interface ExchangeBatchResult extends ExchangeResult {
  id: string;
  status: number;
  /** Set when the item failed (after its retries). */
  error?: AppError;
}

export interface ExchangeClientOptions {
  tenant: TenantConfig;
  tokens: TokenSource;
  send: Send;
  pacing?: PacingBudget;
  retry?: Partial<RetryPolicy>;
  /** Prefer: odata.maxpagesize (the EXO module asks for 1000). */
  maxPageSize?: number;
}

interface InvokeBody {
  value?: Array<Record<string, unknown>>;
  '@adminapi.warnings'?: unknown;
  '@odata.nextLink'?: unknown;
}

export class ExchangeClient implements ExchangePort {
  readonly tenant: TenantConfig;
  private readonly tokens: TokenSource;
  private readonly sendWire: Send;
  private readonly pacing: PacingBudget | undefined;
  private readonly policy: RetryPolicy;
  private readonly maxPageSize: number;
  private readonly root: string;

  constructor(opts: ExchangeClientOptions) {
    this.tenant = opts.tenant;
    this.tokens = opts.tokens;
    this.sendWire = opts.send;
    this.pacing = opts.pacing;
    this.policy = retryPolicy(opts.retry);
    this.maxPageSize = opts.maxPageSize ?? 1000;
    this.root = `${opts.tenant.exchangeBaseUrl}/${opts.tenant.id}`;
  }

  async invoke(cmdlet: string, parameters: Record<string, unknown> = {}, opts: ExchangeInvokeOptions = {}): Promise<ExchangeResult> {
    const body = JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } });
    const select = opts.select?.length ? `?$select=${encodeURIComponent(opts.select.join(','))}` : '';
    return this.collect(`${this.root}/InvokeCommand${select}`, body, cmdlet, opts, undefined);
  }

  /**
   * Up to 10 cmdlets per request, each answered 429 or 5xx sent again after its own Retry-After.
   * Failed items carry an AppError; results come back in the order of `items`.
   */
  async batch(items: readonly ExchangeBatchItem[], opts: { clientRequestId?: string } = {}): Promise<ExchangeBatchResult[]> {
    const baseId = opts.clientRequestId ?? randomUUID();
    const rounds = await runBatchRounds(items, {
      chunkSize: EXCHANGE_BATCH_LIMIT,
      policy: this.policy,
      onThrottled: (item, ms, r) => this.pacing?.throttled(this.charge(item.anchorMailbox), ms, r.headers['x-ms-throttle-scope']),
      sendChunk: async (chunk, round, index) => {
        const requests = chunk.map(({ item }) => ({
          id: item.id,
          method: 'POST',
          url: `${this.root}/InvokeCommand`,
          body: { CmdletInput: { CmdletName: item.cmdlet, Parameters: item.parameters ?? {} } },
          headers: {
            'Content-Type': 'application/json',
            'X-AnchorMailbox': item.anchorMailbox ?? systemAnchor(this.tenant.id),
            'X-CmdletName': item.cmdlet,
            'client-request-id': stableId(`${baseId}:${item.id}`),
          },
        }));
        const { body } = await this.post(`${this.root}/$batch`, JSON.stringify({ requests }), `$batch (${chunk.map((c) => c.item.cmdlet).join(', ')})`, {
          clientRequestId: stableId(`${baseId}:$batch:${round}:${index}`),
          extraHeaders: { Prefer: `odata.maxpagesize=${this.maxPageSize};odata.continue-on-error`, 'parameter-based-routing': 'true' },
          charge: { ...this.charge(undefined), requests: chunk.length },
        });
        const responses = (body as { responses?: Array<{ id?: unknown; status?: unknown; headers?: Record<string, string>; body?: unknown }> } | undefined)?.responses ?? [];
        return responses.map((r): RoundResult => ({ id: String(r.id), status: Number(r.status), headers: lowerKeys(r.headers), body: r.body }));
      },
    });
    const out: ExchangeBatchResult[] = [];
    for (const [i, r] of rounds.entries()) {
      const item = items[i]!;
      const clientRequestId = stableId(`${baseId}:${item.id}`);
      if (r.status >= 400) {
        out.push({ id: r.id, status: r.status, value: [], warnings: [], error: exchangeErrorToAppError({ status: r.status, body: r.body, cmdlet: item.cmdlet, clientRequestId, retryAfterMs: parseRetryAfter(r.headers['retry-after'], this.policy.clock.now()) }) });
        continue;
      }
      const first = (r.body ?? {}) as InvokeBody;
      const next = typeof first['@odata.nextLink'] === 'string' ? first['@odata.nextLink'] : undefined;
      if (!next) {
        out.push({ id: r.id, status: r.status, value: first.value ?? [], warnings: warningsOf(first) });
        continue;
      }
      // Large answers inside a batch are rare; the rest of the pages come one POST at a time.
      const rest = await this.collect(next, JSON.stringify({ CmdletInput: { CmdletName: item.cmdlet, Parameters: item.parameters ?? {} } }), item.cmdlet, { ...(item.anchorMailbox ? { anchorMailbox: item.anchorMailbox } : {}), clientRequestId }, first);
      out.push({ id: r.id, status: r.status, ...rest });
    }
    return out;
  }

  /** Exchange roles granted to the app, read from the Exchange access token. */
  async grantedRoles(): Promise<string[]> {
    return rolesInToken(await this.tokens.getToken(this.tenant, EXCHANGE_SCOPE));
  }

  /** Follows @odata.nextLink, re-POSTing the same body, and gathers values and warnings. */
  private async collect(url: string, body: string, cmdlet: string, opts: ExchangeInvokeOptions, firstPage: InvokeBody | undefined): Promise<ExchangeResult> {
    const value: Array<Record<string, unknown>> = [...(firstPage?.value ?? [])];
    const warnings: string[] = firstPage ? warningsOf(firstPage) : [];
    const clientRequestId = opts.clientRequestId ?? randomUUID();
    let next: string | undefined = url;
    let page = 0;
    while (next) {
      if (!next.toLowerCase().startsWith(`${this.tenant.exchangeBaseUrl.toLowerCase()}/`)) {
        throw new AppError({ code: 'm365_bad_request', message: `Refusing to follow an Exchange link outside ${this.tenant.exchangeBaseUrl}.`, details: { cmdlet } });
      }
      const res = await this.post(next, body, cmdlet, {
        // Pages after the first are new requests; they get ids of their own, derived from the call's.
        clientRequestId: page === 0 ? clientRequestId : stableId(`${clientRequestId}:page:${page}`),
        anchorMailbox: opts.anchorMailbox,
        retryNotFound: opts.retryNotFound === true && page === 0,
        charge: this.charge(opts.anchorMailbox),
      });
      const b = (res.body ?? {}) as InvokeBody;
      if (Array.isArray(b.value)) value.push(...b.value);
      warnings.push(...warningsOf(b));
      next = typeof b['@odata.nextLink'] === 'string' && b['@odata.nextLink'] ? b['@odata.nextLink'] : undefined;
      page++;
    }
    return { value, warnings };
  }

  private async post(url: string, body: string, cmdlet: string, o: { clientRequestId: string; anchorMailbox?: string | undefined; retryNotFound?: boolean; extraHeaders?: Record<string, string>; charge: PacingRequest }): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Prefer: `odata.maxpagesize=${this.maxPageSize}`,
      'X-AnchorMailbox': o.anchorMailbox ?? systemAnchor(this.tenant.id),
      'X-CmdletName': cmdlet.startsWith('$batch') ? '$batch' : cmdlet,
      'client-request-id': o.clientRequestId,
      ...(o.extraHeaders ?? {}),
    };
    type Outcome = AttemptOutcome & { wire: WireResponse };
    const parsed = new WeakMap<WireResponse, unknown>();
    const json = (w: WireResponse) => {
      if (!parsed.has(w)) parsed.set(w, parseBody(w.text));
      return parsed.get(w);
    };
    const pacing = this.pacing;
    const { response, retryAfterMs } = await runResilient<Outcome>({
      send: async ({ refreshToken }) => {
        headers.Authorization = `Bearer ${await this.tokens.getToken(this.tenant, EXCHANGE_SCOPE, { forceRefresh: refreshToken })}`;
        const wire = await this.sendWire({ method: 'POST', url, headers, body });
        return { status: wire.status, header: (n: string) => wire.headers[n.toLowerCase()], wire };
      },
      ...(pacing ? {
        pace: () => pacing.acquire(o.charge),
        onThrottled: (ms: number | undefined, r: Outcome) => pacing.throttled(o.charge, ms, r.wire.headers['x-ms-throttle-scope']),
      } : {}),
      retryNotFound: o.retryNotFound ?? false,
      isNotFound: (r) => r.status >= 400 && isExchangeNotFound(r.status, readExchangeError(json(r.wire))),
    }, this.policy);
    const resBody = json(response.wire);
    if (response.status >= 400) {
      throw exchangeErrorToAppError({ status: response.status, body: resBody, cmdlet, clientRequestId: o.clientRequestId, retryAfterMs: retryAfterMs ?? parseRetryAfter(response.wire.headers['retry-after'], this.policy.clock.now()) });
    }
    return { status: response.status, body: resBody };
  }

  private charge(anchorMailbox: string | undefined): PacingRequest {
    return {
      tenantId: this.tenant.id, appId: this.tenant.credentials.clientId, surface: 'exchange', requests: 1, ru: 0, writes: 0,
      mailbox: anchorMailbox && !/^app:/i.test(anchorMailbox) ? anchorMailbox : 'system',
    };
  }
}

function warningsOf(b: InvokeBody): string[] {
  const w = b['@adminapi.warnings'];
  return Array.isArray(w) ? w.filter((x): x is string => typeof x === 'string') : [];
}
