// Workflows designed and activated in Tenantflow (not the built-in ones) are proposed by their
// name: "new sales starter Carlos Mendes" runs the Active "New sales starter" for Carlos Mendes.
// The name must open the message (after an optional "run"/"start"); the rest says who it is for.
import type { WorkflowDefinition } from '../engine/definition.ts';
import type { Lookup, ParsedIntent } from './intent.ts';

export interface DesignedWorkflow {
  id: string;
  name: string;
  definition: WorkflowDefinition;
}

const words = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}@._'#-]+/gu, ' ').trim().split(/\s+/).filter(Boolean);
const email = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The designed workflow the message asks for, as an intent, or undefined. Longest name wins. */
export function matchDesignedWorkflow(text: string, workflows: readonly DesignedWorkflow[]): ParsedIntent | undefined {
  const raw = text.trim().replace(/^(please\s+)?(run|start|use)\s+(the\s+)?/i, '');
  const said = words(raw);
  let best: { wf: DesignedWorkflow; len: number } | undefined;
  for (const wf of workflows) {
    const name = words(wf.name);
    if (!name.length || name.length > said.length) continue;
    if (name.every((w, i) => said[i] === w) && (!best || name.length > best.len)) best = { wf, len: name.length };
  }
  if (!best) return undefined;
  // What follows the name, in the person's own spelling.
  const rest = raw.split(/\s+/).slice(best.len).join(' ').replace(/^(for|:|-)\s*/i, '').trim();
  const params: Record<string, unknown> = {};
  const lookups: Lookup[] = [];
  const declared = new Set(best.wf.definition.parameters.map((p) => p.name));
  if (rest) {
    const addr = rest.split(/\s+/).find((w) => email.test(w.replace(/[.,;]$/, '')));
    if (addr && declared.has('user')) params.user = addr.replace(/[.,;]$/, '').toLowerCase();
    else if (declared.has('displayName') && !addr) params.displayName = rest.replace(/[.,;]$/, '');
    else if (declared.has('user')) lookups.push({ param: 'user', kind: 'user', text: rest });
  }
  return { action: best.wf.id, params, lookups };
}
