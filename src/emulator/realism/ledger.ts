// The effects ledger: every mutating request with its outcome, so tests count side effects exactly.
import { createHash } from 'node:crypto';

export type LedgerOutcome = 'ok' | 'error' | 'throttled' | 'fault';

export interface LedgerEntry {
  seq: number;
  time: string;
  surface: 'graph' | 'exchange';
  method: string;
  /** Graph: path after the version; Exchange: `/InvokeCommand`. */
  path: string;
  /** Exchange only: the cmdlet name. */
  cmdlet?: string;
  /** Whether the request came inside a $batch. */
  batched: boolean;
  bodyDigest: string | null;
  clientRequestId: string;
  appId: string;
  status: number;
  outcome: LedgerOutcome;
}

export class Ledger {
  private readonly entries = new Map<string, LedgerEntry[]>();
  private seq = 0;
  /** Bounded per tenant so a long-running demo cannot grow without limit. */
  maxEntriesPerTenant = 200_000;

  record(tenantId: string, e: Omit<LedgerEntry, 'seq'>): LedgerEntry {
    const entry: LedgerEntry = { seq: ++this.seq, ...e };
    let list = this.entries.get(tenantId);
    if (!list) this.entries.set(tenantId, (list = []));
    list.push(entry);
    if (list.length > this.maxEntriesPerTenant) list.splice(0, list.length - this.maxEntriesPerTenant);
    return entry;
  }

  list(tenantId: string, sinceSeq = 0): LedgerEntry[] {
    const list = this.entries.get(tenantId) ?? [];
    return sinceSeq ? list.filter((e) => e.seq > sinceSeq) : list;
  }

  clear(tenantId: string): void {
    this.entries.delete(tenantId);
  }
}

export function digestBody(body: unknown): string | null {
  if (body === undefined || body === null || body === '') return null;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export function outcomeOf(status: number): LedgerOutcome {
  if (status < 400) return 'ok';
  if (status === 429) return 'throttled';
  return 'error';
}
