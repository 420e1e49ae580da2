// The catalog as tools for a chat-completions model, and the gate every tool call passes before it
// becomes an intent: only catalog actions and known workflows, only their parameters, only values
// their schemas accept. What passes then goes through the same resolution, questions and approval
// as a parsed intent; the model never proposes anything the rules could not.
import type { z } from 'zod';
import type { WorkflowDefinition, WorkflowParameter } from '../../engine/definition.ts';
import { coerce } from '../../engine/params.ts';
import type { ActionDefinition } from '../../m365/actions/action.ts';
import { actionJsonSchema } from '../../m365/actions/catalog.ts';
import { proposableIds, type Lookup, type ParsedIntent } from '../intent.ts';

export interface ToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface Proposable {
  actions: ReadonlyMap<string, ActionDefinition>;
  workflows: ReadonlyMap<string, WorkflowDefinition>;
}

function workflowJsonSchema(def: WorkflowDefinition): Record<string, unknown> {
  const jsonType = (p: WorkflowParameter) => (p.type === 'string[]' ? { type: 'array', items: { type: 'string' } } : { type: p.type });
  return {
    type: 'object',
    properties: Object.fromEntries(def.parameters.map((p) => [p.name, { ...jsonType(p), description: p.description }])),
    required: def.parameters.filter((p) => p.required && p.default === undefined).map((p) => p.name),
    additionalProperties: false,
  };
}

/** One tool per proposable action and workflow, with the catalog's JSON Schemas. */
export function catalogTools(p: Proposable): ToolSpec[] {
  const tools: ToolSpec[] = [];
  for (const id of proposableIds) {
    const action = p.actions.get(id);
    const wf = p.workflows.get(id);
    if (wf) tools.push({ type: 'function', function: { name: id, description: wf.description || wf.name, parameters: workflowJsonSchema(wf) } });
    else if (action) tools.push({ type: 'function', function: { name: id, description: action.description || action.title, parameters: actionJsonSchema(action) } });
  }
  return tools;
}

const personParams = new Set(['user', 'delegate', 'forwardTo', 'to', 'manager']);
const skuParams = new Set(['sku', 'fromSku', 'toSku']);
const groupParams = new Set(['group', 'addGroups', 'removeGroups']);

/**
 * A tool call, checked: an unknown tool is dropped; unknown parameters and values the schema
 * refuses are dropped (the chat then asks for them); names still to look up become lookups.
 */
export function checkToolCall(p: Proposable, name: string, rawArgs: unknown, domain: string): ParsedIntent | undefined {
  if (!(proposableIds as readonly string[]).includes(name)) return undefined;
  let args: unknown = rawArgs;
  if (typeof rawArgs === 'string') {
    try { args = JSON.parse(rawArgs); } catch { return undefined; }
  }
  if (!args || typeof args !== 'object' || Array.isArray(args)) return undefined;
  const params: Record<string, unknown> = {};
  const wf = p.workflows.get(name);
  const action = p.actions.get(name);
  if (!wf && !action) return undefined;
  for (const [key, value] of Object.entries(args as Record<string, unknown>)) {
    if (value === null || value === undefined || value === '') continue;
    if (wf) {
      const param = wf.parameters.find((x) => x.name === key);
      if (!param) continue;
      const personName = personParams.has(key) && typeof value === 'string' && !value.includes('@');
      const ok = personName ? value : coerce(param, value, domain);
      if (ok instanceof Error) continue;
      params[key] = ok;
    } else {
      const shape = (action!.params as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
      const field = shape[key];
      if (!field) continue;
      const personName = personParams.has(key) && typeof value === 'string' && !value.includes('@');
      if (personName || field.safeParse(value).success) params[key] = value;
    }
  }
  const lookups: Lookup[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (personParams.has(key) && typeof value === 'string' && !value.includes('@')) lookups.push({ param: key, kind: 'user', text: value });
    if (skuParams.has(key) && typeof value === 'string') lookups.push({ param: key, kind: 'sku', text: value });
    if (groupParams.has(key)) for (const g of Array.isArray(value) ? value : [value]) if (typeof g === 'string') lookups.push({ param: key, kind: 'group', text: g });
  }
  return { action: name, params, lookups };
}
