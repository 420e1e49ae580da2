// What the licence and group actions share around their calls: the read permissions they check,
// and a "did it happen anyway?" check after a failed write. (The validate() skeleton and the
// before-state memory are in ../support/.)
import { isAppError } from '../../../core/errors.ts';

/** Graph permissions needed to read users (resolution, licence states, memberships). */
export const userRead = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
/** Graph permissions needed to read groups (names, types, members). */
export const groupRead = ['Group.Read.All', 'Group.ReadWrite.All', 'GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

/**
 * Runs a write; when it fails, asks whether the tenant reached the desired state anyway (the
 * response of a successful call was lost and the retry was refused as a duplicate, or a parallel
 * change did it). State is re-read rather than error text parsed, so any refusal is judged alike.
 */
export async function writeOrConfirm(write: () => Promise<unknown>, reached: () => Promise<boolean>): Promise<void> {
  try {
    await write();
  } catch (e) {
    if (isAppError(e) && e.errorClass === 'user' && (await reached())) return;
    throw e;
  }
}
