// Per-tenant realism: latency, Microsoft's throttling budgets, injected faults. The pipelines ask
// `admit` before running a request and call the returned release when it is done. Everything reads
// the tenant's controls at each request, so a PATCH to /_emulator/.../controls applies at once.
import { randomInt } from 'node:crypto';
import type { EmulatorStore } from '../state/store.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { concurrencyKey, graphMailboxOf, identityCharges, mailboxCharge, MAILBOX_CONCURRENCY } from './budgets.ts';
import { rollFault } from './faults.ts';
import { drawLatencyMs } from './latency.ts';
import { seededRandom, type Random } from './random.ts';
import { TokenBuckets, type BucketView } from './token-buckets.ts';

export interface AdmitRequest {
  tenant: TenantState;
  appId: string;
  surface: 'graph' | 'exchange';
  method: string;
  path: string;
  write: boolean;
  /** Resource units (Graph identity) of this request. */
  cost: number;
  /** Exchange: the mailbox the cmdlet targets (X-AnchorMailbox or Identity), for concurrency. */
  mailbox?: string;
  /** Exchange: the cmdlet name, for fault rules that select cmdlets. */
  cmdlet?: string;
}

export type AdmitDecision =
  | { kind: 'ok'; headers: Record<string, string>; release: () => void }
  | { kind: 'throttled'; retryAfterSeconds: number; headers: Record<string, string>; /** Outlook's wording, for surfaces that show one. */ message?: string }
  | { kind: 'fault'; fault: 429 | 500 | 503 | 504 | 'reset'; retryAfterSeconds?: number };

export interface Realism {
  admit(req: AdmitRequest): Promise<AdmitDecision>;
  /** Forgets a tenant's throttling usage and restarts its random sequences (tenant reset). */
  reset(tenantId: string): void;
  /** The tenant's throttling buckets as they stand, for the inspector. */
  usage(tenantId: string): BucketView[];
}

export interface RealismOptions {
  /** How latency is waited for; tests inject a recorder instead of real timers. */
  sleep?: (ms: number) => Promise<void>;
}

interface Streams {
  /** The controls.randomSeed these streams were built from (undefined: a random seed). */
  setting: number | undefined;
  faults: Random;
  latency: Random;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createRealism(_store: EmulatorStore, now: () => number, opts: RealismOptions = {}): Realism {
  const sleep = opts.sleep ?? realSleep;
  const buckets = new TokenBuckets(now);
  const streams = new Map<string, Streams>();

  const streamsOf = (t: TenantState): Streams => {
    const setting = t.data.controls.randomSeed;
    let s = streams.get(t.id);
    if (!s || s.setting !== setting) {
      const seed = setting ?? randomInt(0, 2 ** 31);
      // Separate streams so turning latency on does not shift which requests fault.
      s = { setting, faults: seededRandom(seed), latency: seededRandom(seed ^ 0x5bd1e995) };
      streams.set(t.id, s);
    }
    return s;
  };

  /** Throttling, faults and the concurrency slot, decided at arrival with no await in between. */
  const decide = (req: AdmitRequest): AdmitDecision => {
    const c = req.tenant.data.controls;
    const headers: Record<string, string> = {};
    const mailbox = req.surface === 'exchange' ? (req.mailbox ?? 'system').toLowerCase() : graphMailboxOf(req.tenant, req.path);
    if (mailbox === undefined) headers['x-ms-resource-unit'] = String(req.cost);
    let slot: string | undefined;
    const th = c.throttling;
    if (th?.enabled) {
      const charged = mailbox === undefined
        ? buckets.charge(identityCharges(req.tenant, req.appId, req.cost, req.write, th))
        : buckets.charge([mailboxCharge(req.tenant, req.appId, mailbox, th)]);
      if (!charged.ok) {
        return {
          kind: 'throttled',
          retryAfterSeconds: charged.retryAfterSeconds,
          headers: { 'Retry-After': String(charged.retryAfterSeconds), 'x-ms-throttle-scope': charged.scope, 'x-ms-throttle-information': charged.information },
          ...(mailbox !== undefined ? { message: `Application is over its request limit for mailbox '${mailbox}'.` } : {}),
        };
      }
      if (charged.usage > 0.8) headers['x-ms-throttle-limit-percentage'] = (Math.floor(charged.usage * 100) / 100).toString();
      if (mailbox !== undefined) {
        const key = concurrencyKey(req.tenant, req.appId, mailbox);
        if (!buckets.acquire(key, th.mailboxConcurrency ?? MAILBOX_CONCURRENCY)) {
          return {
            kind: 'throttled',
            retryAfterSeconds: 1,
            headers: { 'Retry-After': '1', 'x-ms-throttle-scope': `Application_Mailbox/ReadWrite/${req.appId}/${mailbox}`, 'x-ms-throttle-information': 'MailboxConcurrencyLimitExceeded' },
            message: 'Application is over its MailboxConcurrency limit.',
          };
        }
        slot = key;
      }
    }

    const fault = c.faults?.length ? rollFault(c.faults, { surface: req.surface, method: req.method, path: req.path, ...(req.cmdlet ? { cmdlet: req.cmdlet } : {}) }, streamsOf(req.tenant).faults) : undefined;
    if (fault) {
      if (slot !== undefined) buckets.release(slot);
      return { kind: 'fault', fault: fault.kind, ...(fault.retryAfterSeconds !== undefined ? { retryAfterSeconds: fault.retryAfterSeconds } : {}) };
    }

    let released = false;
    return {
      kind: 'ok',
      headers,
      release: () => {
        if (released || slot === undefined) return;
        released = true;
        buckets.release(slot);
      },
    };
  };

  return {
    async admit(req) {
      const decision = decide(req);
      // The delay stands for the service's processing time, so a concurrency slot is held through it.
      const delay = drawLatencyMs(req.tenant.data.controls.latency ?? { mode: 'off' }, streamsOf(req.tenant).latency);
      if (delay > 0) await sleep(delay);
      return decision;
    },
    reset(tenantId) {
      buckets.forget(`|${tenantId}|`);
      streams.delete(tenantId);
    },
    usage(tenantId) {
      return buckets.view(`|${tenantId}|`);
    },
  };
}
