// Security actions (incident response), in catalog order.
import type { ActionDefinition } from '../action.ts';
import { auditUserSecurity } from './audit-user-security.action.ts';

export const securityActions: ActionDefinition[] = [auditUserSecurity] as unknown as ActionDefinition[];
