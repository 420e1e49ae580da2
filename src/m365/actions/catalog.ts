// The action catalog: every action Tenantflow can run, by id. Ids are part of the API.
import { z } from 'zod';
import type { ActionDefinition } from './action.ts';
import { accountActions } from './account/index.ts';
import { licensesActions } from './licenses/index.ts';
import { groupsActions } from './groups/index.ts';
import { mailActions } from './mail/index.ts';
import { securityActions } from './security/index.ts';

const all: ActionDefinition[] = [...accountActions, ...licensesActions, ...groupsActions, ...mailActions, ...securityActions];

export const actionCatalog: ReadonlyMap<string, ActionDefinition> = new Map(all.map((a) => [a.id, a]));

export function getAction(id: string): ActionDefinition | undefined {
  return actionCatalog.get(id);
}

/** The parameter schema of an action as JSON Schema (for the API, the chat's tool calling, the UI). */
export function actionJsonSchema(a: ActionDefinition): Record<string, unknown> {
  return z.toJSONSchema(a.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
