// A lifecycle task Tenantflow cannot carry out (an access package task, on-premises AD, a recipient
// it cannot resolve) still runs through the engine, as a step that fails with the reason. So it
// fails visibly, and continueOnError decides what happens next exactly as for any other task.
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { defineAction } from '../../m365/actions/action.ts';
import { LCW_ACTIONS } from './support.ts';

export const taskFailureAction = defineAction({
  id: LCW_ACTIONS.failure,
  title: 'Lifecycle task Tenantflow cannot run',
  description: 'Fails with the reason the lifecycle task cannot be carried out.',
  category: 'account',
  params: z.strictObject({ reason: z.string().min(1), fix: z.string().optional() }),
  secrets: [],
  permissions: { graph: [], exchange: false },
  validate: async () => ({ errors: [], missing: [], warnings: [] }),
  preview: async (_ctx, p) => ({ calls: [], changes: [], skipped: [], alreadyDone: false, warnings: [p.reason] }),
  async execute(_ctx, p) {
    throw new AppError({ code: 'invalid_state', message: p.reason, fix: p.fix ?? 'Change the task in a new version of the workflow, or remove it.' });
  },
  undo: { reversible: false, reason: 'Nothing was changed.' },
});
