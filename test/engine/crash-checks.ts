// What the crash test reads after each round, from the emulator only (its ledger, its inspector
// and Graph): no effect made twice, and every leaver in the offboarded state.
import { readFileSync } from 'node:fs';
import { DEMO_SEED_PATH } from '../../src/emulator/seed/load-seeds.ts';
import type { SeedFile } from '../../src/emulator/state/model.ts';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from '../../src/m365/demo-tenants.ts';

export const DOMAIN = 'contoso.onmicrosoft.com';
export const DELEGATE = 'alex.wilber@contoso.com';

/** Contoso's members with a mailbox (guests and mailbox-less users cannot be offboarded fully). */
export function eligibleLeavers(): string[] {
  const seed = JSON.parse(readFileSync(DEMO_SEED_PATH, 'utf8')) as SeedFile;
  const contoso = seed.tenants.find((t) => t.initialDomain === DOMAIN);
  if (!contoso) throw new Error(`The demo seed has no tenant ${DOMAIN}.`);
  const withMailbox = new Set(contoso.mailboxes.map((m) => m.userId));
  return contoso.users
    .filter((u) => u.userType === 'Member' && withMailbox.has(u.id) && u.userPrincipalName !== DELEGATE)
    .map((u) => u.userPrincipalName);
}

interface LedgerEntry { method: string; path: string; cmdlet?: string; clientRequestId: string; outcome: string }

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}

async function graphAll<T>(base: string, token: string, path: string): Promise<T[]> {
  const out: T[] = [];
  for (let url: string | undefined = `${base}/v1.0${path}`; url;) {
    const page: { value: T[]; '@odata.nextLink'?: string } = await json(url, { headers: { authorization: `Bearer ${token}` } });
    out.push(...page.value);
    // nextLink names graph.microsoft.com's shape on the emulator's own origin; keep our base.
    const next = page['@odata.nextLink'];
    url = next ? `${base}${new URL(next).pathname}${new URL(next).search}` : undefined;
  }
  return out;
}

/**
 * The round's findings, as readable lines: a client-request-id with two successful writes, a
 * leaver whose sessions were revoked other than once, and any way a leaver differs from offboarded.
 */
export async function checkRound(base: string, leavers: string[], roundStart: Date): Promise<string[]> {
  const problems: string[] = [];
  const ledger = await json<{ value: LedgerEntry[] }>(`${base}/_emulator/tenants/${DOMAIN}/ledger`);
  const okByRequest = new Map<string, LedgerEntry[]>();
  for (const e of ledger.value) {
    if (e.outcome !== 'ok') continue;
    const list = okByRequest.get(e.clientRequestId) ?? [];
    list.push(e);
    okByRequest.set(e.clientRequestId, list);
  }
  for (const [crid, list] of okByRequest) {
    if (list.length > 1) problems.push(`client-request-id ${crid} took effect ${list.length} times: ${list.map((e) => `${e.method} ${e.cmdlet ?? e.path}`).join(', ')}`);
  }

  const users = (await json<{ value: Array<{ id: string; userPrincipalName: string; accountEnabled: boolean; authMethods: string[] }> }>(`${base}/_emulator/tenants/${DOMAIN}/users?top=1000`)).value;
  const mailboxes = (await json<{ value: Array<{ userPrincipalName: string; recipientTypeDetails: string; forwardingAddress: string | null; forwardingSmtpAddress: string | null; fullAccess: string[]; autoReplyState: string }> }>(`${base}/_emulator/tenants/${DOMAIN}/mailboxes?top=1000`)).value;
  const userByUpn = new Map(users.map((u) => [u.userPrincipalName.toLowerCase(), u]));
  const mailboxByUpn = new Map(mailboxes.map((m) => [m.userPrincipalName.toLowerCase(), m]));

  const token = (await json<{ access_token: string }>(`${base}/${DOMAIN}/oauth2/v2.0/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, scope: 'https://graph.microsoft.com/.default' }),
  })).access_token;
  const groups = await graphAll<{ id: string; displayName: string; groupTypes: string[]; onPremisesSyncEnabled: boolean | null }>(base, token, '/groups?$select=id,displayName,groupTypes,onPremisesSyncEnabled&$top=999');
  const removable = groups.filter((g) => !g.groupTypes.includes('DynamicMembership') && g.onPremisesSyncEnabled !== true);
  const membersOf = new Map<string, Set<string>>();
  await Promise.all(removable.map(async (g) => {
    membersOf.set(g.id, new Set((await graphAll<{ id: string }>(base, token, `/groups/${g.id}/members?$select=id&$top=999`)).map((m) => m.id)));
  }));

  const revokes = new Map<string, number>();
  for (const list of okByRequest.values()) {
    const m = /^\/users\/([^/]+)\/revokeSignInSessions$/.exec(list[0]!.path);
    if (m) revokes.set(m[1]!.toLowerCase(), (revokes.get(m[1]!.toLowerCase()) ?? 0) + list.length);
  }

  await Promise.all(leavers.map(async (upn) => {
    const u = userByUpn.get(upn.toLowerCase());
    const mb = mailboxByUpn.get(upn.toLowerCase());
    if (!u || !mb) return void problems.push(`${upn}: not found in the emulator`);
    const graph = await json<{ accountEnabled: boolean; signInSessionsValidFromDateTime: string | null; licenseAssignmentStates: Array<{ skuId: string; assignedByGroup: string | null }> }>(
      `${base}/v1.0/users/${u.id}?$select=id,accountEnabled,signInSessionsValidFromDateTime,licenseAssignmentStates`, { headers: { authorization: `Bearer ${token}` } });
    const wrong = (what: string, v: unknown) => problems.push(`${upn}: ${what} (${JSON.stringify(v)})`);
    if (u.accountEnabled || graph.accountEnabled) wrong('the account is still enabled', u.accountEnabled);
    if (!(Date.parse(graph.signInSessionsValidFromDateTime ?? '') >= roundStart.getTime() - 1000)) wrong('sessions were not revoked', graph.signInSessionsValidFromDateTime);
    if ((revokes.get(u.id.toLowerCase()) ?? 0) !== 1) wrong('sessions were not revoked exactly once', revokes.get(u.id.toLowerCase()) ?? 0);
    if (u.authMethods.some((t) => t !== 'password')) wrong('MFA methods remain', u.authMethods);
    const direct = graph.licenseAssignmentStates.filter((l) => !l.assignedByGroup);
    if (direct.length) wrong('direct licences remain', direct.map((l) => l.skuId));
    const stillIn = removable.filter((g) => membersOf.get(g.id)?.has(u.id)).map((g) => g.displayName);
    if (stillIn.length) wrong('still in removable groups', stillIn);
    if (mb.forwardingAddress || mb.forwardingSmtpAddress) wrong('mail is still forwarded', [mb.forwardingAddress, mb.forwardingSmtpAddress]);
    if (mb.autoReplyState !== 'Enabled') wrong('no out-of-office', mb.autoReplyState);
    if (mb.recipientTypeDetails !== 'SharedMailbox') wrong('the mailbox is not shared', mb.recipientTypeDetails);
    if (!mb.fullAccess.map((x) => x.toLowerCase()).includes(DELEGATE)) wrong('the delegate has no Full Access', mb.fullAccess);
  }));
  return problems;
}
