// The licenses actions, in catalog order.
import type { ActionDefinition } from '../action.ts';
import { assignLicense } from './assign-license.action.ts';
import { auditLicenses } from './audit-licenses.action.ts';
import { removeLicense } from './remove-license.action.ts';
import { swapLicense } from './swap-license.action.ts';

export const licensesActions: ActionDefinition[] = [
  assignLicense,
  removeLicense,
  swapLicense,
  auditLicenses,
] as unknown as ActionDefinition[];
