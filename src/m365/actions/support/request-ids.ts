import { stableId } from '../../../core/ids.ts';

/**
 * The client-request-id of the n-th call of a step: derived from the step's idempotency key, so a
 * re-run after a crash sends the same ids and the emulator's ledger (or Microsoft's logs) ties
 * both attempts to one step.
 */
export function requestId(idempotencyKey: string, call: string | number): string {
  return stableId(`${idempotencyKey}#${call}`);
}
