// The account actions, in catalog order.
import type { ActionDefinition } from '../action.ts';
import { createTemporaryAccessPass } from './create-temporary-access-pass.action.ts';
import { createUser } from './create-user.action.ts';
import { deleteUser } from './delete-user.action.ts';
import { disableUser } from './disable-user.action.ts';
import { enableUser } from './enable-user.action.ts';
import { resetMfa } from './reset-mfa.action.ts';
import { resetPassword } from './reset-password.action.ts';
import { restoreUser } from './restore-user.action.ts';
import { revokeSessions } from './revoke-sessions.action.ts';
import { updateUser } from './update-user.action.ts';

export const accountActions: ActionDefinition[] = [
  disableUser,
  enableUser,
  resetPassword,
  resetMfa,
  revokeSessions,
  createUser,
  updateUser,
  deleteUser,
  restoreUser,
  createTemporaryAccessPass,
] as unknown as ActionDefinition[];
