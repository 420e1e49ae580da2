// Workflow definitions are data (JSON or YAML):
// {name, description, parameters: [{name, type, required, format, default, description}],
//  steps: [{id, action, inputs, when?, parallel?, continueOnError?, timeoutSeconds?, retry?}],
//  outputs: {k: value}}
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { AppError } from '../core/errors.ts';

export const paramTypes = ['string', 'boolean', 'integer', 'number', 'string[]'] as const;
export const paramFormats = ['email', 'upn', 'sku', 'group', 'date', 'datetime', 'country', 'text'] as const;

const identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'Use letters, digits, - and _, starting with a letter.');

export const parameterSchema = z.strictObject({
  name: identifier,
  type: z.enum(paramTypes).default('string'),
  required: z.boolean().default(false),
  format: z.enum(paramFormats).optional(),
  default: z.unknown().optional(),
  description: z.string().default(''),
  secret: z.boolean().optional(),
});

export const retrySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(10).default(3),
  backoffSeconds: z.number().min(0).max(600).default(2),
});

export const stepSchema = z.strictObject({
  id: identifier,
  name: z.string().optional(),
  action: z.string().min(1),
  inputs: z.record(z.string(), z.unknown()).default({}),
  when: z.string().optional(),
  parallel: z.string().optional(),
  continueOnError: z.boolean().default(false),
  timeoutSeconds: z.number().int().min(1).max(3600).optional(),
  retry: retrySchema.optional(),
});

export const definitionSchema = z.strictObject({
  id: identifier.optional(),
  name: z.string().min(1),
  description: z.string().default(''),
  category: z.string().optional(),
  parameters: z.array(parameterSchema).default([]),
  steps: z.array(stepSchema).min(1, 'A workflow needs at least one step.'),
  outputs: z.record(z.string(), z.unknown()).default({}),
});

export type WorkflowParameter = z.infer<typeof parameterSchema>;
export type WorkflowStep = z.infer<typeof stepSchema>;
export type WorkflowDefinition = z.infer<typeof definitionSchema>;

/** Parses JSON or YAML text into a definition, or throws invalid_request listing every problem. */
export function parseDefinition(text: string, format: 'json' | 'yaml' = text.trimStart().startsWith('{') ? 'json' : 'yaml'): WorkflowDefinition {
  let raw: unknown;
  try {
    raw = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new AppError({ code: 'invalid_request', message: `The definition is not valid ${format.toUpperCase()}: ${(e as Error).message}`, fix: `Correct the ${format.toUpperCase()} syntax.` });
  }
  return checkDefinitionShape(raw);
}

export function checkDefinitionShape(raw: unknown): WorkflowDefinition {
  const res = definitionSchema.safeParse(raw);
  if (res.success) return res.data;
  const problems = res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new AppError({
    code: 'invalid_request',
    message: `The workflow definition is invalid: ${problems.join('; ')}.`,
    fix: 'Correct each listed field.',
    details: { problems: res.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
  });
}
