// The designer's wire formats: how a definition arrives (an object, or YAML/JSON text for runbooks
// kept in git), how the version precondition is read, and how versions, reviews and audit rows
// are shown.
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { checkDefinitionShape, parseDefinition, type WorkflowDefinition } from '../engine/definition.ts';
import type { LintProblem } from '../engine/lint.ts';
import type { AuditRecord, ReviewRecord, VersionRecord } from '../store/design-repo.ts';

/** The envelope around a definition; a body without `definition` or `text` is the definition itself. */
const envelope = z.strictObject({
  definition: z.unknown().optional(),
  format: z.enum(['yaml', 'json']).optional(),
  text: z.string().max(512 * 1024).optional(),
  note: z.string().max(2000).optional(),
  baseVersion: z.number().int().positive().optional(),
});
const envelopeKeys = new Set(Object.keys(envelope.shape));

export interface DefinitionInput {
  definition: WorkflowDefinition;
  note: string | undefined;
  baseVersion: number | undefined;
}

export function readDefinitionBody(body: unknown): DefinitionInput {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError({ code: 'invalid_request', message: 'The body must be a workflow definition, {definition}, or {format, text}.', fix: 'Send the definition as a JSON object, or {"format":"yaml","text":"..."} to import YAML.' });
  }
  const raw = body as Record<string, unknown>;
  const wrapped = 'definition' in raw || 'text' in raw;
  const env = envelope.safeParse(wrapped ? raw : Object.fromEntries(Object.entries(raw).filter(([k]) => k === 'note' || k === 'baseVersion')));
  if (!env.success) {
    const i = env.error.issues[0]!;
    throw new AppError({ code: 'invalid_request', message: `Invalid request: ${i.path.join('.') || 'body'}: ${i.message}.`, param: i.path.join('.') || undefined, details: { issues: env.error.issues.map((x) => ({ path: x.path.join('.'), message: x.message })) } });
  }
  const e = env.data;
  let definition: WorkflowDefinition;
  if (!wrapped) definition = checkDefinitionShape(Object.fromEntries(Object.entries(raw).filter(([k]) => !envelopeKeys.has(k))));
  else if (e.text !== undefined) {
    if (e.definition !== undefined) throw new AppError({ code: 'invalid_request', message: 'Send either definition or text, not both.' });
    definition = parseDefinition(e.text, e.format);
  } else {
    if (e.format !== undefined) throw new AppError({ code: 'invalid_request', param: 'text', message: '`format` needs the definition as `text`.', fix: 'Send {"format":"yaml","text":"..."} or {"definition":{...}}.' });
    definition = checkDefinitionShape(e.definition);
  }
  return { definition, note: e.note, baseVersion: e.baseVersion };
}

/** The version a save is based on: body.baseVersion, or the If-Match header ("3", "\"3\"" or W/"3"). */
export function baseVersionOf(bodyVersion: number | undefined, ifMatch: string | string[] | undefined): number {
  const header = Array.isArray(ifMatch) ? ifMatch[0] : ifMatch;
  let fromHeader: number | undefined;
  if (header !== undefined) {
    const m = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
    if (!m) throw new AppError({ code: 'invalid_request', param: 'If-Match', value: header, message: `If-Match must name a version number, e.g. "3"; got ${header}.` });
    fromHeader = Number(m[1]);
  }
  if (bodyVersion !== undefined && fromHeader !== undefined && bodyVersion !== fromHeader) {
    throw new AppError({ code: 'invalid_request', param: 'baseVersion', message: `baseVersion ${bodyVersion} and If-Match ${fromHeader} disagree.`, fix: 'Send one of them.' });
  }
  const base = bodyVersion ?? fromHeader;
  if (base === undefined) {
    throw new AppError({ code: 'invalid_request', param: 'baseVersion', message: 'Saving needs the version your edit is based on, so a concurrent save is detected instead of overwritten.', fix: 'Send baseVersion in the body (or an If-Match header) with the version you loaded.' });
  }
  return base;
}

export function etagOf(version: number): string {
  return `"${version}"`;
}

/** "step 'license' (inputs.sku): message" — the form a person reads in an error message. */
export function describeProblem(p: LintProblem): string {
  const where = p.step ? `step '${p.step}'${p.field ? ` (${p.field})` : ''}` : p.field ?? 'workflow';
  return `${where}: ${p.message}`;
}

export function lintFailure(workflowId: string, version: number, problems: LintProblem[]): AppError {
  const errors = problems.filter((p) => p.severity === 'error');
  return new AppError({
    code: 'invalid_request',
    message: `Version ${version} of '${workflowId}' cannot be submitted: ${errors.length} problem${errors.length === 1 ? '' : 's'}: ${errors.map(describeProblem).join('; ')}.`,
    fix: 'Fix each listed problem in the designer, save a new version and submit that.',
    details: { problems: errors },
  });
}

export function versionView(v: VersionRecord) {
  return {
    workflowId: v.workflowId,
    version: v.version,
    state: v.state,
    name: v.definition.name,
    author: v.author ? { id: v.author, username: v.authorName } : null,
    note: v.note,
    createdAt: v.createdAt,
    review: v.reviewRound > 0 ? { round: v.reviewRound, submittedBy: v.submittedBy, submittedAt: v.submittedAt, note: v.submitNote, testParams: v.testParams, testTenant: v.testTenant } : null,
  };
}

export function reviewView(r: ReviewRecord) {
  return { version: r.version, round: r.round, reviewer: { id: r.reviewer, username: r.reviewerName }, decision: r.decision, comment: r.comment, createdAt: r.createdAt };
}

export function auditView(a: AuditRecord) {
  const { version, action, ...detail } = a.detail as { version?: number; action?: string } & Record<string, unknown>;
  return { at: a.at, actor: a.actor ? { id: a.actor, username: a.actorName } : null, version: version ?? null, action: action ?? null, from: a.from, to: a.to, detail };
}

/** The definition as a runbook file: stable key order, the workflow's id first. */
export function exportDefinition(id: string, def: WorkflowDefinition, format: 'yaml' | 'json'): string {
  const { id: _ignored, ...rest } = def;
  const ordered = { id, ...rest };
  return format === 'json' ? `${JSON.stringify(ordered, null, 2)}\n` : toYaml(ordered, { lineWidth: 0 });
}

/**
 * A runbook file read for the designer: YAML or JSON into a definition-shaped object. Only the
 * shape is checked here (an object with a list of steps); the designer's lint shows the rest, step
 * by step, so an imperfect runbook can still be imported and fixed.
 */
export function readRunbookText(text: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new AppError({ code: 'invalid_request', param: 'text', message: `The text is not valid YAML or JSON: ${(e as Error).message}`, fix: 'Correct the syntax at the place named, or paste the file again.' });
  }
  const bad = (message: string) => new AppError({ code: 'invalid_request', param: 'text', message, fix: 'Import a workflow definition: name, description, parameters, steps and outputs.' });
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad('A workflow definition is an object with a name, parameters and steps.');
  const d = raw as Record<string, unknown>;
  if (!Array.isArray(d.steps)) throw bad('The definition has no list of steps.');
  if (d.parameters !== undefined && !Array.isArray(d.parameters)) throw bad('parameters must be a list.');
  return {
    ...(d.id ? { id: String(d.id) } : {}), name: String(d.name ?? ''), description: String(d.description ?? ''), ...(d.category ? { category: d.category } : {}),
    parameters: d.parameters ?? [], steps: d.steps, outputs: d.outputs ?? {},
  };
}

/** Any definition-shaped object (saved or not) as runbook text, in the designer's key order. */
export function writeRunbookText(def: Record<string, unknown>, format: 'yaml' | 'json'): string {
  const ordered = { ...(def.id ? { id: def.id } : {}), name: def.name, description: def.description, ...(def.category ? { category: def.category } : {}), parameters: def.parameters, steps: def.steps, outputs: def.outputs };
  return format === 'json' ? `${JSON.stringify(ordered, null, 2)}\n` : toYaml(ordered, { lineWidth: 0 });
}

/** A workflow id from a name: "New sales starter" → new-sales-starter. */
export function slugOf(name: string): string {
  const s = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return /^[a-z]/.test(s) ? s : `workflow-${s || 'new'}`.replace(/-+$/, '');
}
