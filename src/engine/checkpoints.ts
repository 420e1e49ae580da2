// A run's step checkpoints, written in as few round trips as durability allows.
//
// A step's end (Completed, Failed, Skipped) does not need a statement of its own: it is durable in
// time as long as it commits before the run's next effect, and every effect is preceded by a write
// (the next step's Running checkpoint, the fence in front of each action) unless the run ends, whose
// final transition is also a write. So a sequential step's end is queued here and committed in the
// same statement as the next write, and its event is emitted only once that statement committed.
// A crash before then re-runs the step with the same idempotency key, exactly as a crash between an
// effect and its own checkpoint would. Every write is guarded by the worker's lease.
import type { FinalWrite, RunRepository, StepWrite } from './ports.ts';

interface Queued {
  write: StepWrite;
  /** Runs once the write committed (emits the step's event). */
  applied: () => void;
}

export class Checkpoints {
  private queued: Queued[] = [];
  private readonly runs: RunRepository;
  private readonly runId: string;
  private readonly owner: string;

  constructor(runs: RunRepository, runId: string, owner: string) {
    this.runs = runs;
    this.runId = runId;
    this.owner = owner;
  }

  /** Queues a step checkpoint to commit with the next write. */
  defer(write: StepWrite, applied: () => void): void {
    this.queued.push({ write, applied });
  }

  /** Writes a step checkpoint now, with everything queued; true when this one applied. */
  async write(write: StepWrite): Promise<boolean> {
    const queued = this.take();
    const res = await this.runs.checkpoint(this.runId, this.owner, [...queued.map((q) => q.write), write]);
    this.settle(queued, res.steps);
    return res.steps.at(-1) === true;
  }

  /** The run's final transition, with everything queued; true when it applied. */
  async finish(final: FinalWrite): Promise<boolean> {
    const queued = this.take();
    const res = await this.runs.checkpoint(this.runId, this.owner, queued.map((q) => q.write), final);
    this.settle(queued, res.steps);
    return res.final;
  }

  private take(): Queued[] {
    const q = this.queued;
    this.queued = [];
    return q;
  }

  private settle(queued: Queued[], applied: boolean[]): void {
    queued.forEach((q, i) => {
      if (applied[i]) q.applied();
    });
  }
}
