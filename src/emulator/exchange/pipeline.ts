// One InvokeCommand from body to response. The HTTP route and $batch both call dispatch(), so a
// batched cmdlet is throttled, faulted, paged and recorded exactly like a single one.
import { createHash, randomUUID } from 'node:crypto';
import type { AccessClaims } from '../auth/tokens.ts';
import type { Ledger } from '../realism/ledger.ts';
import { digestBody, outcomeOf } from '../realism/ledger.ts';
import type { Realism } from '../realism/realism.ts';
import type { EmulatorStore } from '../state/store.ts';
import type { TenantState } from '../state/tenant-state.ts';
import type { CmdletDef } from './cmdlet.ts';
import { cmdlets } from './cmdlets/index.ts';
import { ExchangeError, exchangeErrorBody, exchangeErrors } from './errors.ts';
import { tryMailbox } from './identity.ts';
import { bindParameters } from './params.ts';

export const EXCHANGE_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
/** Page size when the client sends no `Prefer: odata.maxpagesize` (the EXO module always asks for 1000). */
const DEFAULT_PAGE = 1000;

export interface ExchangeInput {
  tenant: TenantState;
  claims: AccessClaims;
  /** The request body: `{"CmdletInput":{"CmdletName","Parameters"}}`. */
  body: unknown;
  /** Query string values (`$select`, `$skiptoken`). */
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  /** e.g. `https://localhost:4443`, for @odata.context and nextLink. */
  origin: string;
  batched: boolean;
}

export interface ExchangeResult {
  status: number;
  body?: unknown;
  headers: Record<string, string>;
  /** An injected connection reset: the HTTP layer drops the socket. */
  reset?: boolean;
}

export interface ExchangeDeps {
  store: EmulatorStore;
  ledger: Ledger;
  realism: Realism;
  now: () => number;
  markDirty: () => void;
}

export class ExchangePipeline {
  private readonly deps: ExchangeDeps;

  constructor(deps: ExchangeDeps) {
    this.deps = deps;
  }

  async dispatch(input: ExchangeInput): Promise<ExchangeResult> {
    const now = this.deps.now();
    const clientRequestId = input.headers['client-request-id'] ?? randomUUID();
    const base = { 'request-id': randomUUID(), 'client-request-id': clientRequestId };
    let def: CmdletDef | undefined;
    let status = 500;
    let faulted = false;
    try {
      const { name, params } = parseInput(input.body);
      def = cmdlets.get(name.toLowerCase());
      if (!def) throw exchangeErrors.unknownCmdlet(name);
      const decision = await this.deps.realism.admit({
        tenant: input.tenant, appId: input.claims.appid, surface: 'exchange', method: 'POST', path: '/InvokeCommand',
        write: def.write, cost: 1, mailbox: throttleMailbox(input, def, params), cmdlet: def.name,
      });
      if (decision.kind === 'throttled') throw exchangeErrors.throttled(decision.retryAfterSeconds, decision.message);
      if (decision.kind === 'fault') {
        faulted = true;
        switch (decision.fault) {
          case 'reset': status = 0; return { status: 0, headers: {}, reset: true };
          case 429: throw exchangeErrors.throttled(decision.retryAfterSeconds ?? 1);
          case 503: throw exchangeErrors.unavailable(decision.retryAfterSeconds);
          case 504: throw exchangeErrors.timeout();
          case 500: throw exchangeErrors.internal();
        }
      }
      let objects: Array<Record<string, unknown>>;
      const warnings: string[] = [];
      try {
        const bound = bindParameters(def, params);
        objects = def.run(bound, {
          tenant: input.tenant, store: this.deps.store, claims: input.claims, now,
          anchorMailbox: input.headers['x-anchormailbox'], warn: (w) => warnings.push(w),
        });
      } finally {
        decision.release();
      }
      if (def.write) {
        input.tenant.touch();
        this.deps.markDirty();
      }
      status = 200;
      return { status, body: this.page(input, name, params, objects, warnings), headers: { ...base, ...decision.headers, ...preferenceApplied(input) } };
    } catch (e) {
      const xe = e instanceof ExchangeError ? e : exchangeErrors.internal();
      status = xe.status;
      return { status, body: exchangeErrorBody(xe), headers: { ...base, ...xe.headers } };
    } finally {
      if (def?.write) {
        this.deps.ledger.record(input.tenant.id, {
          time: new Date(now).toISOString(),
          surface: 'exchange',
          method: 'POST',
          path: '/InvokeCommand',
          cmdlet: def.name,
          batched: input.batched,
          bodyDigest: digestBody(input.body),
          clientRequestId,
          appId: input.claims.appid,
          status,
          outcome: faulted ? 'fault' : outcomeOf(status),
        });
      }
    }
  }

  /** One page of results; the nextLink carries the offset and a digest of the cmdlet call it belongs to. */
  private page(input: ExchangeInput, name: string, params: Record<string, unknown>, objects: Array<Record<string, unknown>>, warnings: string[]): unknown {
    const root = `${input.origin}/adminapi/beta/${input.tenant.id}`;
    const size = maxPageSize(input.headers.prefer) ?? DEFAULT_PAGE;
    const digest = callDigest(name, params);
    const offset = decodeSkipToken(input.query.$skiptoken, digest);
    const select = input.query.$select?.split(',').map((s) => s.trim()).filter(Boolean);
    const body: Record<string, unknown> = {
      '@odata.context': `${root}/$metadata#Collection(Exchange.GenericHashTable)`,
      'adminapi.warnings@odata.type': '#Collection(String)',
      '@adminapi.warnings': warnings,
    };
    if (offset + size < objects.length) {
      const q = new URLSearchParams();
      if (input.query.$select) q.set('$select', input.query.$select);
      q.set('$skiptoken', Buffer.from(`${offset + size}:${digest}`).toString('base64url'));
      body['@odata.nextLink'] = `${root}/InvokeCommand?${q.toString()}`;
    }
    body.value = objects.slice(offset, offset + size).map((o) => (select ? pick(o, select) : o));
    return body;
  }
}

function parseInput(body: unknown): { name: string; params: Record<string, unknown> } {
  const input = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).CmdletInput : undefined;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw exchangeErrors.badInput("The request body must be a JSON object with a 'CmdletInput' object.");
  }
  const { CmdletName: name, Parameters: params } = input as Record<string, unknown>;
  if (typeof name !== 'string' || !name.trim()) throw exchangeErrors.badInput("'CmdletInput.CmdletName' must be a non-empty string.");
  if (params !== undefined && params !== null && (typeof params !== 'object' || Array.isArray(params))) {
    throw exchangeErrors.badInput("'CmdletInput.Parameters' must be an object of parameter names and values.");
  }
  return { name: name.trim(), params: (params as Record<string, unknown> | null | undefined) ?? {} };
}

/**
 * The mailbox the call is metered against: the X-AnchorMailbox if sent, else the cmdlet's target
 * mailbox, resolved to its guid so UPN and alias share a budget; calls without either share the
 * system mailbox (as the EXO module's default anchor does).
 */
function throttleMailbox(input: ExchangeInput, def: CmdletDef, params: Record<string, unknown>): string | undefined {
  const anchor = input.headers['x-anchormailbox']?.trim();
  let ref: string | undefined;
  if (anchor) {
    if (/^app:/i.test(anchor)) return 'system';
    ref = anchor.replace(/^(upn|smtp|oid):/i, '');
  } else if (def.mailboxParam) {
    const key = Object.keys(params).find((k) => k.toLowerCase() === def.mailboxParam!.toLowerCase());
    const v = key ? params[key] : undefined;
    if (typeof v === 'string') ref = v.split('\\')[0];
  }
  if (!ref) return undefined;
  try {
    return tryMailbox(input.tenant, ref)?.guid ?? ref.toLowerCase();
  } catch {
    return ref.toLowerCase();
  }
}

/** `Prefer: odata.maxpagesize=1000` (the EXO module also sends `odata.maxpagesize = 1000;odata.continue-on-error`). */
export function maxPageSize(prefer: string | undefined): number | undefined {
  const m = prefer ? /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer) : null;
  const n = m ? Number(m[1]) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function preferenceApplied(input: ExchangeInput): Record<string, string> {
  const n = maxPageSize(input.headers.prefer);
  return n ? { 'Preference-Applied': `odata.maxpagesize=${n}` } : {};
}

function callDigest(name: string, params: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify([name.toLowerCase(), params])).digest('base64url').slice(0, 16);
}

/** A nextLink must be re-POSTed with the body it came from; any other body is refused. */
function decodeSkipToken(token: string | undefined, digest: string): number {
  if (!token) return 0;
  const m = /^(\d+):(.+)$/.exec(Buffer.from(token, 'base64url').toString());
  if (!m) throw exchangeErrors.badInput('The $skiptoken is not valid.');
  if (m[2] !== digest) throw exchangeErrors.badInput('The $skiptoken belongs to a different command; re-send the same CmdletInput body to follow @odata.nextLink.');
  return Number(m[1]);
}

function pick(o: Record<string, unknown>, select: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of select) {
    const key = Object.keys(o).find((k) => k.toLowerCase() === s.toLowerCase());
    if (key) out[key] = o[key];
  }
  return out;
}
