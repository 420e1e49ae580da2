// Group commit: many small writes from concurrent callers become one statement.
//
// A request is sent at once when fewer than `maxInFlight` statements are running; otherwise it
// waits for the next one, together with every other request that arrived meanwhile. So an idle
// system adds no latency, and a busy one pays one round trip and one commit for a whole batch
// instead of one per request. Each caller gets its own answer, or the statement's error.
export interface GroupCommitOptions {
  /** Statements running at once (the rest queue up into the next batch). */
  maxInFlight?: number;
  /** Largest batch in one statement. */
  maxBatch?: number;
  /**
   * Requests that must not share a statement (two writes to one row): a request whose key is already
   * in the batch being formed waits for the next one. Omit when any requests may share.
   */
  keysOf?: (req: never) => string[];
}

interface Pending<Req, Res> {
  req: Req;
  resolve: (res: Res) => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<Req, Res> {
  private queue: Array<Pending<Req, Res>> = [];
  private inFlight = 0;
  private readonly flush: (reqs: Req[]) => Promise<Res[]>;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;
  private readonly keysOf: ((req: Req) => string[]) | undefined;

  /** `flush` answers one result per request, in order, from a single atomic statement. */
  constructor(flush: (reqs: Req[]) => Promise<Res[]>, opts: GroupCommitOptions = {}) {
    this.flush = flush;
    this.maxInFlight = opts.maxInFlight ?? 2;
    this.maxBatch = opts.maxBatch ?? 64;
    this.keysOf = opts.keysOf as ((req: Req) => string[]) | undefined;
  }

  submit(req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length) {
      const batch = this.take();
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private take(): Array<Pending<Req, Res>> {
    if (!this.keysOf) return this.queue.splice(0, this.maxBatch);
    const seen = new Set<string>();
    const batch: Array<Pending<Req, Res>> = [];
    const rest: Array<Pending<Req, Res>> = [];
    for (const p of this.queue) {
      const keys = this.keysOf(p.req);
      if (batch.length >= this.maxBatch || keys.some((k) => seen.has(k))) {
        rest.push(p);
        continue;
      }
      for (const k of keys) seen.add(k);
      batch.push(p);
    }
    this.queue = rest;
    return batch;
  }

  private async send(batch: Array<Pending<Req, Res>>): Promise<void> {
    try {
      const results = await this.flush(batch.map((p) => p.req));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (e) {
      if (batch.length === 1) {
        batch[0]!.reject(e);
        return;
      }
      // One bad request must not fail its neighbours: each is retried alone, and only the one
      // the database refuses gets the error.
      for (const p of batch) await this.send([p]);
    }
  }
}
