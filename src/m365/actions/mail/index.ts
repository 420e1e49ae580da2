// The mail actions, in catalog order.
import type { ActionDefinition } from '../action.ts';
import { addMailboxPermission } from './add-mailbox-permission.action.ts';
import { addSendAs } from './add-send-as.action.ts';
import { configureForwarding } from './configure-forwarding.action.ts';
import { convertToShared } from './convert-to-shared.action.ts';
import { removeForwarding } from './remove-forwarding.action.ts';
import { removeMailboxPermission } from './remove-mailbox-permission.action.ts';
import { removeSendAs } from './remove-send-as.action.ts';
import { sendEmail } from './send-email.action.ts';
import { setOutOfOffice } from './set-out-of-office.action.ts';

export const mailActions: ActionDefinition[] = [
  configureForwarding,
  removeForwarding,
  setOutOfOffice,
  convertToShared,
  addMailboxPermission,
  removeMailboxPermission,
  addSendAs,
  removeSendAs,
  sendEmail,
] as unknown as ActionDefinition[];
