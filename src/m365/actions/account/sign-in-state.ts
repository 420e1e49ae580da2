// disable-user and enable-user are one change (accountEnabled) in opposite directions, so both are
// built here. A synced user's change is made in the cloud too, but on-premises AD wins at the next
// sync, so the card says so rather than pretending.
import { z } from 'zod';
import { defineAction } from '../action.ts';
import { resolveUser } from '../resolve/user.ts';
import { requestId } from '../support/request-ids.ts';
import { userParam } from '../support/schemas.ts';
import { validateWith } from '../support/validation.ts';
import { earlierBefore, recordBefore } from '../support/step-memory.ts';

const params = z.strictObject({ user: userParam });
const permissions = { graph: [['User.EnableDisableAccount.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All']], exchange: false };

export function signInStateAction(enable: boolean) {
  const verb = enable ? 'Enable' : 'Disable';
  const syncedWarning = (upn: string) =>
    `${upn} is synced from on-premises AD: ${enable ? 'enable' : 'disable'} the account there too, or the next sync restores the on-premises value.`;
  return defineAction({
    id: enable ? 'enable-user' : 'disable-user',
    title: `${verb} user`,
    description: enable
      ? 'Lets the user sign in again (accountEnabled = true).'
      : 'Blocks the user from signing in (accountEnabled = false). Existing sessions stay valid until revoked.',
    category: 'account',
    params,
    secrets: [],
    permissions,
    validate: (ctx, p) => validateWith(ctx, permissions, async (c) => {
      const u = await c.attempt(() => resolveUser(ctx, p.user));
      if (u?.onPremisesSyncEnabled) c.warnings.push(syncedWarning(u.userPrincipalName));
    }),
    async preview(ctx, p) {
      const u = await resolveUser(ctx, p.user);
      const alreadyDone = u.accountEnabled === enable;
      return {
        calls: alreadyDone ? [] : [{ surface: 'graph', method: 'PATCH', target: `/users/${u.id}`, body: { accountEnabled: enable }, description: `${enable ? 'Allow' : 'Block'} sign-in for ${u.userPrincipalName}` }],
        changes: alreadyDone ? [] : [{ object: u.userPrincipalName, field: 'accountEnabled', before: u.accountEnabled, after: enable }],
        skipped: [],
        alreadyDone,
        warnings: u.onPremisesSyncEnabled ? [syncedWarning(u.userPrincipalName)] : [],
      };
    },
    async execute(ctx, p) {
      const u = await resolveUser(ctx, p.user);
      const outputs = { userId: u.id, userPrincipalName: u.userPrincipalName, accountEnabled: enable };
      if (u.accountEnabled === enable) {
        return {
          outputs,
          before: earlierBefore(ctx) ?? { accountEnabled: enable },
          alreadyDone: true,
          skipped: [],
          summary: `${u.userPrincipalName} was already ${enable ? 'enabled' : 'disabled'}.`,
        };
      }
      const before = await recordBefore(ctx, { accountEnabled: u.accountEnabled });
      await ctx.graph.patch(`/users/${u.id}`, { accountEnabled: enable }, { clientRequestId: requestId(ctx.idempotencyKey, enable ? 'enable' : 'disable') });
      return { outputs, before, alreadyDone: false, skipped: [], summary: `${enable ? 'Enabled' : 'Disabled'} ${u.userPrincipalName}.` };
    },
    undo: {
      reversible: true,
      // Undo restores only what this step changed: a user that was already in the target state stays.
      build: (p, r) => (r.before.accountEnabled === !enable ? [{ action: enable ? 'disable-user' : 'enable-user', params: { user: p.user } }] : []),
    },
  });
}
