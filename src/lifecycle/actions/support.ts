// What the lifecycle actions share: their ids, a scratch namespaced per inner catalog action (so
// two actions run by one step cannot overwrite each other's saved values), and running a catalog
// action inside another action's step.
import { AppError } from '../../core/errors.ts';
import type { ActionContext, ActionDefinition, ExecuteResult, Scratch } from '../../m365/actions/action.ts';
import { getAction } from '../../m365/actions/catalog.ts';

/** Engine actions only lifecycle workflows use; they are not in the technicians' catalog. */
export const LCW_ACTIONS = {
  failure: 'lcw-task-failure',
  tapEmail: 'lcw-generate-tap-and-email',
  removeAllTeams: 'lcw-remove-from-all-teams',
  customExtension: 'lcw-custom-task-extension',
} as const;

export function namespaced(scratch: Scratch, prefix: string): Scratch {
  return {
    get: <T>(key: string) => scratch.get<T>(`${prefix}.${key}`),
    set: (key: string, value: unknown) => scratch.set(`${prefix}.${key}`, value),
  };
}

export function catalogAction(id: string): ActionDefinition {
  const a = getAction(id);
  if (!a) throw new AppError({ code: 'unknown_action', message: `Catalog action '${id}' is missing; lifecycle tasks need it.` });
  return a;
}

/** Runs a catalog action as part of this step, with its own scratch and request ids. */
export async function runInner(ctx: ActionContext, id: string, params: Record<string, unknown>): Promise<ExecuteResult<Record<string, unknown>>> {
  const action = catalogAction(id);
  const parsed = action.params.safeParse(params);
  if (!parsed.success) {
    throw new AppError({ code: 'invalid_parameter', message: `${action.title}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}` });
  }
  const inner: ActionContext = { ...ctx, scratch: namespaced(ctx.scratch, id), idempotencyKey: `${ctx.idempotencyKey}:${id}` };
  return action.execute(inner, parsed.data as never);
}
