// The permissions every Exchange-backed mail action needs. (The validate() skeleton and the
// before-state memory they use are in ../support/.)
import type { RequiredPermissions } from '../action.ts';

/** Users are resolved through Graph (for closest matches); the change itself goes through Exchange. */
export const exchangeMailPermissions: RequiredPermissions = {
  graph: [['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']],
  exchange: true,
};
