// The validate() skeleton every action shares: permissions first (a missing grant makes every
// other check meaningless), then every existence or conflict problem collected, so one card lists
// all that is wrong rather than the first thing.
import { isAppError, toAppError, type AppError } from '../../../core/errors.ts';
import type { ActionContext, MissingParam, RequiredPermissions, Validation } from '../action.ts';
import { missingPermissions } from './permissions.ts';

export interface Checks {
  errors: AppError[];
  warnings: string[];
  missing: MissingParam[];
  /** Runs one check; a user-class AppError it throws is collected and the result is undefined. */
  attempt<T>(fn: () => Promise<T>): Promise<T | undefined>;
}

export async function validateWith(ctx: ActionContext, permissions: RequiredPermissions, body: (c: Checks) => Promise<void>): Promise<Validation> {
  const errors = await missingPermissions(ctx, permissions);
  const warnings: string[] = [];
  const missing: MissingParam[] = [];
  if (errors.length) return { errors, missing, warnings };
  const checks: Checks = {
    errors,
    warnings,
    missing,
    async attempt(fn) {
      try {
        return await fn();
      } catch (e) {
        // Transient and internal failures are not findings about the request: let them propagate.
        if (!isAppError(e) || e.errorClass !== 'user') throw e;
        errors.push(toAppError(e));
        return undefined;
      }
    },
  };
  await body(checks);
  return { errors, missing, warnings };
}
