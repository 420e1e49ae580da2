// Where the engine finds workflows: stored (built-in and designed) ones by their Active version,
// and every catalog action as a one-step workflow under its own id.
import type { ActionRegistry, WorkflowSource } from './ports.ts';
import { singleActionWorkflow } from './single-action.ts';

export interface StoredWorkflows extends WorkflowSource {}

export function workflowSource(stored: StoredWorkflows, actions: ActionRegistry): WorkflowSource {
  return {
    async get(id, version) {
      const found = await stored.get(id, version);
      if (found) return found;
      const action = actions.get(id);
      if (action && (version === undefined || version === 1)) return { definition: singleActionWorkflow(action), version: 1 };
      return undefined;
    },
  };
}
