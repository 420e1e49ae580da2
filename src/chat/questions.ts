// What the chat still needs before a card can be made, asked as questions with choices from the
// tenant: a sign-in address for a joiner (free addresses in the tenant's default domain), a licence
// (SKUs with their free units), a group (groups matching the words), a person (people this
// conversation has been about).
import type { WorkflowDefinition } from '../engine/definition.ts';
import { skuChoices } from '../m365/actions/resolve/sku.ts';
import type { Memory } from './memory.ts';
import { assignableSkuChoices } from './resolve/lookups.ts';
import type { TenantDirectory } from './resolve/tenant-directory.ts';

export interface Choice {
  value: string;
  label: string;
}

export interface Question {
  param: string;
  question: string;
  /** What kind of answer fits: a person, a new sign-in address, a licence, a group, free text, one of a list. */
  kind: 'person' | 'upn' | 'sku' | 'group' | 'text' | 'enum';
  choices?: Choice[];
  /** For a list parameter (several groups): the item this answer replaces. */
  replaces?: string;
}

const personParams = new Set(['user', 'delegate', 'forwardTo', 'to', 'manager']);
const skuParams = new Set(['sku', 'toSku', 'fromSku']);
const groupParams = new Set(['group', 'addGroups', 'removeGroups']);

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
}

/** "adele.vance" → "Adele Vance". */
export function nameFromUpn(upn: string): string | undefined {
  const local = upn.split('@')[0] ?? '';
  const parts = local.split(/[._-]+/).filter((p) => /^[a-z]{2,}$/i.test(p));
  return parts.length >= 2 ? parts.map((p) => p[0]!.toUpperCase() + p.slice(1).toLowerCase()).join(' ') : undefined;
}

/** Addresses a joiner could get, in the usual conventions, that no one has yet; and the ones taken. */
export async function upnSuggestions(dir: TenantDirectory, displayName: string): Promise<{ free: Choice[]; taken: string[] }> {
  const words = displayName.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().split(/\s+/).map((w) => w.replace(/[^a-z0-9]/g, '')).filter(Boolean);
  if (!words.length) return { free: [], taken: [] };
  const domain = await dir.defaultDomain();
  const first = words[0]!;
  const last = words[words.length - 1]!;
  const locals = words.length > 1
    ? [`${first}.${last}`, `${first[0]}${last}`, `${first}${last[0]}`, `${first}.${last[0]}`, `${first[0]}.${last}`, `${first}.${last}2`]
    : [first, `${first}2`];
  const candidates = [...new Set(locals)].map((l) => `${l}@${domain}`);
  const taken = await dir.takenUpns(candidates);
  return { free: candidates.filter((c) => !taken.has(c)).slice(0, 4).map((c) => ({ value: c, label: c })), taken: candidates.filter((c) => taken.has(c)) };
}

function personChoices(memory: Memory): Choice[] | undefined {
  const people = memory.users.slice(0, 5);
  return people.length ? people.map((u) => ({ value: u, label: u })) : undefined;
}

export interface MissingInput {
  action: string;
  definition: WorkflowDefinition;
  params: Record<string, unknown>;
  tenantDefaults: Record<string, string>;
  memory: Memory;
  dir: TenantDirectory;
  /** Words of the message, for groups that match them. */
  text: string;
}

/** Questions for every required parameter the request left out. */
export async function missingQuestions(m: MissingInput): Promise<Question[]> {
  const out: Question[] = [];
  const newUser = m.action === 'onboard-user' || m.action === 'create-user';
  for (const p of m.definition.parameters) {
    if (!p.required || present(m.params[p.name]) || present(m.tenantDefaults[p.name]) || present(p.default)) continue;
    out.push(await ask(m, p.name, newUser, p.description));
  }
  // Removing "a licence" needs to know which one; the person's own licences are the choices.
  if (m.action === 'remove-license' && !present(m.params.sku) && m.params.all !== true && typeof m.params.user === 'string') {
    out.push(await userSkuQuestion(m, 'sku', `Which licence should I remove from ${m.params.user}?`, true));
  }
  return out;
}

async function userSkuQuestion(m: MissingInput, param: string, question: string, offerAll: boolean): Promise<Question> {
  const skus = await m.dir.subscribedSkus();
  const held = typeof m.params.user === 'string' ? new Set((await m.dir.user(m.params.user))?.assignedLicenses?.map((l) => l.skuId.toLowerCase()) ?? []) : new Set<string>();
  const mine = skus.filter((s) => held.has(s.skuId.toLowerCase()));
  const choices = skuChoices(mine.length ? mine : skus);
  if (offerAll && mine.length > 1) choices.push({ value: 'all', label: 'All of their licences' });
  return { param, kind: 'sku', question, choices };
}

async function ask(m: MissingInput, param: string, newUser: boolean, description: string): Promise<Question> {
  const shown = typeof m.params.displayName === 'string' ? m.params.displayName : undefined;
  if (param === 'user' && newUser) {
    const { free, taken } = shown ? await upnSuggestions(m.dir, shown) : { free: [], taken: [] };
    // Someone may already have the obvious address: say so, it may be the same person.
    const note = taken.length ? ` (${taken[0]} is already taken.)` : '';
    return { param, kind: 'upn', question: shown ? `What sign-in address (UPN) should ${shown} get?${note}` : 'What sign-in address (UPN) should the new user get?', ...(free.length ? { choices: free } : {}) };
  }
  if (personParams.has(param)) {
    const what = param === 'user' ? 'Which user is this for?' : param === 'delegate' ? 'Who should get the access?' : param === 'forwardTo' ? 'Where should the mail go?' : param === 'manager' ? 'Who is the manager?' : 'Who should it go to?';
    const choices = param === 'user' ? personChoices(m.memory) : undefined;
    return { param, kind: 'person', question: what, ...(choices ? { choices } : {}) };
  }
  if (param === 'displayName') {
    const guess = typeof m.params.user === 'string' ? nameFromUpn(m.params.user) : undefined;
    return { param, kind: 'text', question: 'What is their full name?', ...(guess ? { choices: [{ value: guess, label: guess }] } : {}) };
  }
  if (param === 'fromSku') return userSkuQuestion(m, param, 'Which licence should be replaced?', false);
  if (skuParams.has(param)) {
    const skus = await m.dir.subscribedSkus();
    return { param, kind: 'sku', question: param === 'toSku' ? 'Which licence should they get instead?' : 'Which licence?', choices: assignableSkuChoices(skus) };
  }
  if (groupParams.has(param)) return { param, kind: 'group', question: 'Which group?', choices: await groupChoicesFor(m) };
  if (param === 'accessRights') return { param, kind: 'enum', question: 'Which access?', choices: [{ value: 'FullAccess', label: 'Full Access' }, { value: 'SendOnBehalf', label: 'Send on Behalf' }] };
  return { param, kind: 'text', question: `${(description || param).replace(/\.$/, '')}?` };
}

/** Groups whose names share a capitalised word of the message; the first groups otherwise. */
async function groupChoicesFor(m: MissingInput): Promise<Choice[]> {
  const words = [...new Set(m.text.match(/\b[A-Z][\w&-]+/g) ?? [])].slice(0, 4);
  const found = new Map<string, string>();
  for (const w of words) for (const g of await m.dir.findGroups(w, 5)) found.set(g.id, g.displayName);
  const list = found.size ? [...found.values()] : (await m.dir.someGroups(10)).map((g) => g.displayName);
  return [...new Set(list)].map((g) => ({ value: g, label: g }));
}
