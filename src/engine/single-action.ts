// Every catalog action is also a one-step workflow under the same id: its parameters are the
// action's inputs, each bound straight through.
import type { z } from 'zod';
import type { ActionDefinition } from '../m365/actions/action.ts';
import type { WorkflowDefinition, WorkflowParameter } from './definition.ts';
import { isRequired } from './lint.ts';

type Shape = Record<string, z.ZodType>;

function typeOf(field: z.ZodType): WorkflowParameter['type'] {
  if (field.safeParse(true).success && !field.safeParse('x').success) return 'boolean';
  if (field.safeParse(5).success && !field.safeParse('x').success) return field.safeParse(1.5).success ? 'number' : 'integer';
  if (field.safeParse(['a@b.co']).success && !field.safeParse('a@b.co').success) return 'string[]';
  return 'string';
}

export function singleActionWorkflow(a: ActionDefinition): WorkflowDefinition {
  const shape = ((a.params as unknown as { shape?: Shape }).shape ?? {}) as Shape;
  const parameters: WorkflowParameter[] = Object.entries(shape).map(([name, field]) => ({
    name,
    type: typeOf(field),
    required: isRequired(field),
    description: field.description ?? '',
    ...(a.secrets.includes(name) ? { secret: true } : {}),
  }));
  return {
    id: a.id,
    name: a.title,
    description: a.description,
    category: a.category,
    parameters,
    steps: [{ id: 'action', name: a.title, action: a.id, inputs: Object.fromEntries(parameters.map((p) => [p.name, `{{params.${p.name}}}`])), continueOnError: false }],
    outputs: {},
  };
}
