// Bulk offboarding through the connector under Microsoft's throttling budgets: disable, revoke
// sessions, reset MFA, remove licences, remove from groups, remove forwarding and set an
// out-of-office for 500 users of a generated tenant, with the emulator enforcing the budgets.
// Prints the elapsed time, the floor the budgets allow for the same calls (the best possible time:
// the larger of the budget floor and the same workload run with throttling off, measured in this
// run), their ratio, and the share of calls answered 429. Options: --users N, --concurrency C.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/core/clock.ts';
import { newId } from '../src/core/ids.ts';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.ts';
import { generatedTenantId } from '../src/emulator/seed/generate.ts';
import type { ActionContext, ActionDefinition, Scratch } from '../src/m365/actions/action.ts';
import { getAction } from '../src/m365/actions/catalog.ts';
import { checkParams } from '../src/m365/actions/support/params.ts';
import { M365Connector } from '../src/m365/connector.ts';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from '../src/m365/demo-tenants.ts';
import { PacingBudget, microsoftLimits } from '../src/m365/pacing.ts';
import { graphRequestCost } from '../src/m365/resource-cost.ts';
import { defineTenant, tenantInfo } from '../src/m365/tenant-config.ts';
import { TenantRegistry } from '../src/m365/tenant-registry.ts';

const steps: Array<[string, (user: string) => Record<string, unknown>]> = [
  ['disable-user', (user) => ({ user })],
  ['revoke-sessions', (user) => ({ user })],
  ['reset-mfa', (user) => ({ user })],
  ['remove-forwarding', (user) => ({ user })],
  ['set-out-of-office', (user) => ({ user, message: 'I have left the company. Please contact the office.' })],
  ['remove-from-group', (user) => ({ user, all: true })],
  ['remove-license', (user) => ({ user, all: true })],
];

interface Counts {
  calls: number;
  status429: number;
  ru: number;
  writes: number;
  failures: string[];
}

async function offboardAll(emu: RunningEmulator, users: string[], concurrency: number, throttled: boolean): Promise<{ seconds: number; counts: Counts }> {
  const tenantId = generatedTenantId(1);
  const tenant = defineTenant({
    id: tenantId, domain: 'gen01.onmicrosoft.com', displayName: 'Generated 01',
    loginBaseUrl: emu.httpsUrl, graphBaseUrl: emu.httpsUrl, exchangeBaseUrl: `${emu.httpsUrl}/adminapi/beta`, caPem: emu.caPem,
    credentials: { kind: 'clientSecret', clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET },
    defaults: { usageLocation: 'US' }, size: 'L',
  });
  const counts: Counts = { calls: 0, status429: 0, ru: 0, writes: 0, failures: [] };
  const pacing = new PacingBudget({ headroom: 0.97 });
  pacing.setTenantSize(tenantId, 'L');
  const connector = new M365Connector({
    registry: new TenantRegistry([tenant]),
    pacing: throttled ? pacing : false,
    wrapSend: (send) => async (req) => {
      const res = await send(req);
      const url = new URL(req.url);
      if (!url.pathname.includes('/oauth2/')) {
        counts.calls++;
        if (res.status === 429) counts.status429++;
        if (url.pathname.startsWith('/v1.0/') || url.pathname.startsWith('/beta/')) {
          const c = graphRequestCost(req.method, url.pathname.replace(/^\/(v1\.0|beta)/, ''), url.searchParams);
          if (res.status !== 429) { counts.ru += c.ru; counts.writes += c.writes; }
        }
      }
      return res;
    },
  });
  const ctxFor = (key: string): ActionContext => {
    const values = new Map<string, unknown>();
    const scratch: Scratch = { get: <T>(k: string) => values.get(k) as T | undefined, set: async (k, v) => { values.set(k, v); } };
    return { tenant: tenantInfo(tenant), graph: connector.graph(tenantId), exchange: connector.exchange(tenantId), idempotencyKey: key, scratch, clock: systemClock };
  };
  const actions = steps.map(([id, params]) => [getAction(id)!, params] as [ActionDefinition, (u: string) => Record<string, unknown>]);
  // Warm the token cache so sign-in is not part of the measurement.
  await connector.graph(tenantId).get('/organization');
  const queue = [...users];
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let u = queue.shift(); u; u = queue.shift()) {
      for (const [action, params] of actions) {
        const checked = checkParams(action.params, params(u), tenant.domain);
        if (!checked.ok) { counts.failures.push(`${action.id} ${u}: ${checked.errors[0]?.message}`); continue; }
        try {
          await action.execute(ctxFor(`bench:${newId()}`), checked.params as never);
        } catch (e) {
          counts.failures.push(`${action.id} ${u}: ${(e as Error).message}`);
        }
      }
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  await connector.close();
  return { seconds, counts };
}

function pickUsers(emu: RunningEmulator, n: number): string[] {
  const t = emu.deps.store.tenant(generatedTenantId(1))!;
  return t.data.users
    .filter((u) => u.userType === 'Member' && u.accountEnabled && !u.onPremisesSyncEnabled && t.mailbox(u.id) && u.directLicenses.length > 0)
    .slice(0, n)
    .map((u) => u.userPrincipalName);
}

/** The shortest time Microsoft's token buckets allow for `ru` resource units and `writes` writes. */
function budgetFloorSeconds(ru: number, writes: number): number {
  const l = microsoftLimits;
  const ruCap = l.identityRuPer10s.L;
  const w = Math.max(0, (writes - l.appTenantWritesPer150s) / (l.appTenantWritesPer150s / 150));
  const tw = Math.max(0, (writes - l.tenantWritesPer5min) / (l.tenantWritesPer5min / 300));
  const r = Math.max(0, (ru - ruCap) / (ruCap / 10));
  return Math.max(w, tw, r);
}

export default async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { users: { type: 'string' }, concurrency: { type: 'string' } } });
  const n = Number(values.users ?? 500);
  const concurrency = Number(values.concurrency ?? 32);
  const run = (throttled: boolean) => runWith(n, throttled);
  async function runWith(n: number, throttled: boolean) {
    const dataDir = mkdtempSync(join(tmpdir(), 'tf-bench-conn-'));
    const emu = await startEmulator({
      dataDir, seeds: [], generate: `1:${Math.max(600, Math.ceil(n * 1.3))}`, snapshot: false,
      controls: { latency: { mode: 'off' }, throttling: { enabled: throttled }, faults: [], readAfterCreateDelayMs: 0 },
    });
    try {
      const users = pickUsers(emu, n);
      if (users.length < n) throw new Error(`Only ${users.length} suitable users in the generated tenant.`);
      return { users: users.length, ...(await offboardAll(emu, users, concurrency, throttled)) };
    } finally {
      await emu.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.log(`Offboarding ${n} users (7 actions each), ${concurrency} at a time.`);
  // A short unmeasured pass first, so neither measured run pays for JIT warm-up.
  await runWith(40, false);
  const base = await run(false);
  console.log(`baseline, throttling off:  ${base.seconds.toFixed(1)} s, ${base.counts.calls} calls, ${base.counts.writes} directory writes, ${base.counts.ru} RU`);
  const real = await run(true);
  const floorBudget = budgetFloorSeconds(real.counts.ru, real.counts.writes);
  const floor = Math.max(floorBudget, base.seconds);
  const share429 = real.counts.calls ? real.counts.status429 / real.counts.calls : 0;
  console.log(`with Microsoft's budgets:  ${real.seconds.toFixed(1)} s, ${real.counts.calls} calls, ${real.counts.status429} answered 429`);
  console.log(`budget floor (token buckets, ${real.counts.writes} writes, ${real.counts.ru} RU): ${floorBudget.toFixed(1)} s`);
  console.log(`floor = max(budget floor, unthrottled run) = ${floor.toFixed(1)} s`);
  console.log(`ratio elapsed / floor: ${(real.seconds / floor).toFixed(3)}  (target ≤ 1.25)`);
  console.log(`share of calls answered 429: ${(share429 * 100).toFixed(2)} %  (target < 1 %)`);
  const failures = [...base.counts.failures, ...real.counts.failures];
  if (failures.length) console.log(`failures (${failures.length}): ${failures.slice(0, 5).join(' | ')}`);
  console.log(JSON.stringify({ elapsedSeconds: round(real.seconds), floorSeconds: round(floor), ratio: round(real.seconds / floor), share429: round(share429, 5), budgetFloorSeconds: round(floorBudget), unthrottledSeconds: round(base.seconds), users: n, calls: real.counts.calls, failures: failures.length }));
}

function round(x: number, d = 3): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
