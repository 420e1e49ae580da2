// Settles the names a message used against the tenant: "Jane Smith" becomes her UPN, "finance"
// the Finance group, "Business Premium" the SPB SKU. A name that fits several (two E3 SKUs, two
// Smiths) or none becomes a question with choices drawn from the tenant, never a guess.
import { freeUnits, matchSkus, skuChoices, type TenantSku } from '../../m365/actions/resolve/sku.ts';
import type { Lookup, ParsedIntent } from '../intent.ts';
import type { Question } from '../questions.ts';
import type { DirectoryGroup, DirectoryUser, TenantDirectory } from './tenant-directory.ts';

export interface Settled {
  params: Record<string, unknown>;
  questions: Question[];
}

export function userLabel(u: DirectoryUser): string {
  const extra = [u.jobTitle, u.department].filter(Boolean).join(', ');
  return `${u.displayName} (${u.userPrincipalName})${extra ? `, ${extra}` : ''}`;
}

function groupChoices(groups: readonly DirectoryGroup[]): Question['choices'] {
  const counts = new Map<string, number>();
  for (const g of groups) counts.set(g.displayName.toLowerCase(), (counts.get(g.displayName.toLowerCase()) ?? 0) + 1);
  // Two groups with one name can only be told apart by id.
  return groups.map((g) => ({ value: counts.get(g.displayName.toLowerCase())! > 1 ? g.id : g.displayName, label: g.mail ? `${g.displayName} (${g.mail})` : g.displayName }));
}

/** SKUs someone can still be given, with their free units; all of them when none is free. */
export function assignableSkuChoices(skus: readonly TenantSku[]): NonNullable<Question['choices']> {
  const free = skus.filter((s) => freeUnits(s) > 0);
  return skuChoices(free.length ? free : skus);
}

/** "megan.bowen": a sign-in name typed without its domain. */
const handle = /^[\p{L}][\p{L}\p{N}'’]*(?:\.[\p{L}][\p{L}\p{N}'’]*)+$/u;

async function settleUser(dir: TenantDirectory, l: Lookup): Promise<string | Question> {
  if (handle.test(l.text)) {
    const byHandle = await dir.usersWithHandle(l.text);
    if (byHandle.length === 1) return byHandle[0]!.userPrincipalName;
    if (byHandle.length > 1) return { param: l.param, kind: 'person', question: `Which ${l.text} do you mean?`, choices: byHandle.map((u) => ({ value: u.userPrincipalName, label: userLabel(u) })) };
  }
  const found = await dir.findUsers(handle.test(l.text) ? l.text.replace(/\./g, ' ') : l.text);
  const exact = found.filter((u) => u.displayName.toLowerCase() === l.text.toLowerCase());
  const pick = exact.length === 1 ? exact[0] : found.length === 1 ? found[0] : undefined;
  if (pick) return pick.userPrincipalName;
  if (found.length > 1) {
    const list = exact.length > 1 ? exact : found;
    return { param: l.param, kind: 'person', question: `Which ${l.text} do you mean?`, choices: list.map((u) => ({ value: u.userPrincipalName, label: userLabel(u) })) };
  }
  // No one by that name: offer people who share a word of it.
  const words = l.text.split(/\s+/).filter((w) => w.length > 1);
  const near = new Map<string, DirectoryUser>();
  for (const w of words.slice(0, 3)) for (const u of await dir.findUsers(w, 5)) near.set(u.userPrincipalName, u);
  return {
    param: l.param, kind: 'person',
    question: `I found no one called '${l.text}' in this tenant. Who do you mean?`,
    ...(near.size ? { choices: [...near.values()].slice(0, 8).map((u) => ({ value: u.userPrincipalName, label: userLabel(u) })) } : {}),
  };
}

/** "her manager": the person named is settled first, then the directory's manager of that person. */
async function settleManager(dir: TenantDirectory, l: Lookup): Promise<string | Question> {
  const of = l.text.includes('@') ? l.text.toLowerCase() : await settleUser(dir, { ...l, kind: 'user' });
  if (typeof of !== 'string') return { ...of, question: `Whose manager do you mean? ${of.question}` };
  const manager = await dir.managerOf(of);
  if (manager) return manager.userPrincipalName;
  return { param: l.param, kind: 'person', question: `${of} has no manager in the directory. Who do you mean?` };
}

/** "Marketing DL", "VPN group": the kind of group said after its name. */
const kindSuffix = /\s+(?:dl|distribution list|distribution group|mailing list|security group|sg|m365 group|group|list)$/i;

async function settleGroup(dir: TenantDirectory, l: Lookup): Promise<string | Question> {
  let named = await dir.groupsNamed(l.text);
  // "Marketing DL" names the Marketing list unless a group is really called that.
  if (!named.length && kindSuffix.test(l.text)) named = await dir.groupsNamed(l.text.replace(kindSuffix, ''));
  if (named.length === 1) return named[0]!.displayName;
  if (named.length > 1) return { param: l.param, kind: 'group', replaces: l.text, question: `There are ${named.length} groups called '${l.text}'. Which one?`, choices: groupChoices(named) };
  const found = await dir.findGroups(l.text);
  if (found.length === 1) return found[0]!.displayName;
  if (found.length > 1) return { param: l.param, kind: 'group', replaces: l.text, question: `Which group do you mean by '${l.text}'?`, choices: groupChoices(found) };
  const near = new Map<string, DirectoryGroup>();
  for (const w of l.text.split(/\s+/).filter((x) => x.length > 1).slice(0, 3)) for (const g of await dir.findGroups(w, 5)) near.set(g.id, g);
  return {
    param: l.param, kind: 'group', replaces: l.text,
    question: `There is no group called '${l.text}'. Which group do you mean?`,
    ...(near.size ? { choices: groupChoices([...near.values()]) } : {}),
  };
}

async function settleSku(dir: TenantDirectory, l: Lookup): Promise<string | Question> {
  const skus = await dir.subscribedSkus();
  const hits = matchSkus(l.text, skus);
  if (hits.length === 1) return hits[0]!.skuPartNumber;
  if (hits.length > 1) return { param: l.param, kind: 'sku', question: `'${l.text}' fits ${hits.length} licences. Which one?`, choices: skuChoices(hits) };
  return { param: l.param, kind: 'sku', question: `This tenant has no '${l.text}' licence. Which one do you mean?`, choices: assignableSkuChoices(skus) };
}

/** Replaces each looked-up name with what the tenant calls it, or asks. */
export async function settleLookups(intent: ParsedIntent, dir: TenantDirectory): Promise<Settled> {
  const params = structuredClone(intent.params);
  const questions: Question[] = [];
  for (const l of intent.lookups) {
    const got = l.kind === 'user' ? await settleUser(dir, l) : l.kind === 'manager' ? await settleManager(dir, l)
      : l.kind === 'group' ? await settleGroup(dir, l) : await settleSku(dir, l);
    if (typeof got !== 'string') {
      questions.push(got);
      if (!Array.isArray(params[l.param])) delete params[l.param];
      continue;
    }
    const current = params[l.param];
    if (Array.isArray(current)) params[l.param] = current.map((x) => (x === l.text ? got : x));
    else params[l.param] = got;
  }
  return { params, questions };
}
