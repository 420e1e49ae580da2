// The permission check of validate(): reads the roles in the tenant's access token and names the
// first missing one, so the fix says exactly what to grant.
import { AppError } from '../../../core/errors.ts';
import type { ActionContext, RequiredPermissions } from '../action.ts';

export async function missingPermissions(ctx: ActionContext, required: RequiredPermissions): Promise<AppError[]> {
  const errors: AppError[] = [];
  if (required.graph.length) {
    const roles = new Set(await ctx.graph.grantedRoles());
    for (const alternatives of required.graph) {
      if (!alternatives.some((r) => roles.has(r))) {
        errors.push(new AppError({
          code: 'missing_permission',
          message: `The app registration in ${ctx.tenant.domain} lacks the Microsoft Graph application permission ${alternatives[0]}.`,
          fix: `In Entra admin centre › App registrations › API permissions, add Microsoft Graph › Application › ${alternatives[0]} and grant admin consent for ${ctx.tenant.domain}.`,
          details: { surface: 'graph', permission: alternatives[0], alternatives },
        }));
      }
    }
  }
  if (required.exchange) {
    const roles = await ctx.exchange.grantedRoles();
    if (!roles.includes('Exchange.ManageAsApp')) {
      errors.push(new AppError({
        code: 'missing_permission',
        message: `The app registration in ${ctx.tenant.domain} lacks the Office 365 Exchange Online application permission Exchange.ManageAsApp.`,
        fix: `Add Office 365 Exchange Online › Application › Exchange.ManageAsApp, grant admin consent for ${ctx.tenant.domain}, and assign the app the Exchange Administrator role.`,
        details: { surface: 'exchange', permission: 'Exchange.ManageAsApp' },
      }));
    }
  }
  return errors;
}
