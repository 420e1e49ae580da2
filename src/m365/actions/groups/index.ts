// The groups actions, in catalog order.
import type { ActionDefinition } from '../action.ts';
import { addToGroup } from './add-to-group.action.ts';
import { createGroup } from './create-group.action.ts';
import { listGroupMembers } from './list-group-members.action.ts';
import { removeFromGroup } from './remove-from-group.action.ts';

export const groupsActions: ActionDefinition[] = [
  addToGroup,
  removeFromGroup,
  createGroup,
  listGroupMembers,
] as unknown as ActionDefinition[];
