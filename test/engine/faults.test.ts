// Acceptance of issue 4: with the emulator answering 20% of calls 429 or 503, offboarding runs still
// end Completed with the tenant exactly as a fault-free run leaves it, every Retry-After is waited
// out before the call is sent again, and no write takes effect twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SecretBox } from '../../src/core/secret-box.ts';
import { createRun } from '../../src/engine/planner.ts';
import { isTerminalRun } from '../../src/engine/run-state.ts';
import { groupsOfUser, licenseStates } from '../../src/emulator/state/derived.ts';
import type { TenantState } from '../../src/emulator/state/tenant-state.ts';
import { M365Connector } from '../../src/m365/connector.ts';
import { demoTenants } from '../../src/m365/demo-tenants.ts';
import { parseRetryAfter } from '../../src/m365/retry-policy.ts';
import { TenantRegistry } from '../../src/m365/tenant-registry.ts';
import { startRuntime, type Runtime } from '../../src/server/runtime.ts';
import { bossSchemaOf } from '../../src/jobs/boss.ts';
import { sql } from 'kysely';
import { startHarness, type Harness } from '../emulator/harness.ts';

const DOMAIN = 'contoso.onmicrosoft.com';
const LEAVERS = ['jana.wagner@contoso.com', 'irvin.sayers@contoso.com', 'pradeep.gupta@contoso.com', 'grady.archie@contoso.com', 'lynne.robbins@contoso.com'];
const DELEGATE = 'alex.wilber@contoso.com';
const RETRY_AFTER_S = 0.2;
/** Backoff without Retry-After stays far below it, so a long wait can only be a Retry-After. */
const BACKOFF_MAX_MS = 8;
const MAX_ATTEMPTS = 5;

type WireEvent =
  | { kind: 'request'; crid: string; method: string; url: string }
  | { kind: 'response'; crid: string; status: number; retryAfter: string | undefined }
  | { kind: 'sleep'; ms: number };

let h: Harness;
let rt: Runtime;
const wire: WireEvent[] = [];

before(async () => {
  h = await startHarness({ seeds: ['demo'] });
  const registry = new TenantRegistry(demoTenants({ tlsPort: Number(new URL(h.emu.httpsUrl).port), caPem: h.emu.caPem }));
  // The connector's own retry policy, with its sleeps recorded (and returning at once) and every
  // exchange on the wire logged in the same sequence, so each wait can be matched to its answer.
  const connector = new M365Connector({
    registry, pacing: false,
    retry: {
      maxAttempts: MAX_ATTEMPTS, baseDelayMs: 2, maxDelayMs: BACKOFF_MAX_MS, random: () => 0.5, notFoundDelaysMs: [5, 10, 20, 40],
      sleep: async (ms) => { wire.push({ kind: 'sleep', ms }); },
    },
    wrapSend: (send) => async (req) => {
      const crid = req.headers['client-request-id'];
      if (crid) wire.push({ kind: 'request', crid, method: req.method, url: req.url });
      const res = await send(req);
      if (crid) wire.push({ kind: 'response', crid, status: res.status, retryAfter: res.headers['retry-after'] });
      return res;
    },
  });
  rt = await startRuntime({
    dataDir: 'memory', registry, connector, schema: `t_faults_${process.pid}`, secrets: new SecretBox(Buffer.alloc(32, 5)),
    worker: { leaseMs: 3000, heartbeatMs: 500, sweepMs: 500, backoffScale: 0.001 },
  });
});
after(async () => {
  await rt.worker?.stop();
  if (rt.store.kind === 'postgres') await sql.raw(`drop schema if exists ${bossSchemaOf(rt.store)} cascade`).execute(rt.store.db);
  await rt.close({ dropSchema: true });
  await h.close();
});

const tenant = (): TenantState => h.emu.deps.store.tenant(DOMAIN)!;

/** Proposes, approves and awaits one offboarding per leaver, all at once. */
async function offboardAll(): Promise<Map<string, string>> {
  const outcomes = new Map<string, string>();
  await Promise.all(LEAVERS.map(async (user) => {
    const card = await createRun(rt.ports, { tenantId: tenant().id, workflowId: 'offboard-user', params: { user, convertToShared: true, delegate: DELEGATE }, actor: null });
    assert.deepEqual(card.errors, [], `${user}: ${JSON.stringify(card.errors)}`);
    const done = new Promise<string>((resolve) => {
      const off = rt.bus.subscribe((e) => {
        if (e.type === 'run' && e.runId === card.id && isTerminalRun(e.state)) { off(); resolve(e.state); }
      });
    });
    assert.equal(await rt.runs.approve(card.id, '00000000-0000-4000-8000-00000000000f'), true);
    outcomes.set(user, await done);
  }));
  return outcomes;
}

/** Everything an offboarding touches, with the one time-valued field reduced to "it moved". */
function tenantView(seedSessions: Map<string, string | null>) {
  const t = tenant();
  return LEAVERS.map((upn) => {
    const u = t.user(upn)!;
    const { signInSessionsValidFromDateTime, ...user } = u;
    return {
      user,
      sessionsRevoked: Date.parse(signInSessionsValidFromDateTime ?? '') > Date.parse(seedSessions.get(upn) ?? ''),
      mailbox: t.mailbox(u.id),
      authMethods: t.data.authMethods[u.id] ?? [],
      groups: groupsOfUser(t, u).map((g) => g.displayName).sort(),
      licences: licenseStates(t, u),
    };
  });
}

function okWritesByRequestId(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of h.emu.deps.ledger.list(tenant().id)) {
    if (e.outcome === 'ok') counts.set(e.clientRequestId, (counts.get(e.clientRequestId) ?? 0) + 1);
  }
  return counts;
}

let withFaults: ReturnType<typeof tenantView>;
let seedSessions: Map<string, string | null>;

test('offboardings under 20% injected 429/503 faults end Completed, with no write made twice', async (t) => {
  seedSessions = new Map(LEAVERS.map((u) => [u, tenant().user(u)!.signInSessionsValidFromDateTime]));
  tenant().data.controls.faults = [{ rate: 0.1, kind: 429, retryAfterSeconds: RETRY_AFTER_S }, { rate: 0.1, kind: 503 }];
  tenant().data.controls.randomSeed = 20240604;
  const outcomes = await offboardAll();
  tenant().data.controls.faults = [];
  for (const [user, state] of outcomes) assert.equal(state, 'Completed', user);

  const ledger = h.emu.deps.ledger.list(tenant().id);
  const faults = ledger.filter((e) => e.outcome === 'fault');
  t.diagnostic(`${ledger.length} writes in the ledger, ${faults.length} of them answered with an injected fault`);
  assert.ok(faults.some((e) => e.status === 429) && faults.some((e) => e.status === 503), 'the emulator did inject both kinds of fault into writes');
  const twice = [...okWritesByRequestId()].filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], 'no client-request-id took effect twice');
  // The one write that is not idempotent by nature: each leaver's sessions were revoked once.
  const revokes = ledger.filter((e) => e.outcome === 'ok' && e.path.endsWith('/revokeSignInSessions'));
  assert.equal(revokes.length, LEAVERS.length);

  withFaults = structuredClone(tenantView(seedSessions));
  for (const v of withFaults) {
    assert.equal(v.user.accountEnabled, false);
    assert.equal(v.sessionsRevoked, true);
    assert.deepEqual(v.authMethods.map((m) => m.type), ['password']);
    assert.deepEqual(v.user.directLicenses, []);
    assert.equal(v.mailbox!.recipientTypeDetails, 'SharedMailbox');
    assert.equal(v.mailbox!.autoReply.autoReplyState, 'Enabled');
  }
});

test('every Retry-After was waited out before the call went again', (t) => {
  assert.ok(withFaults, 'the faulty runs ran');
  const lastStatus = new Map<string, number>();
  const transientInARow = new Map<string, number>();
  const retryAfterMs = RETRY_AFTER_S * 1000;
  let honoured = 0;
  let owed = 0;
  let throttled = 0;
  for (const e of wire) {
    if (e.kind === 'sleep') {
      assert.ok(e.ms <= BACKOFF_MAX_MS || e.ms >= retryAfterMs, `a wait of ${e.ms} ms is neither a backoff nor a Retry-After`);
      if (e.ms >= retryAfterMs) honoured++;
    } else if (e.kind === 'response') {
      lastStatus.set(e.crid, e.status);
      const transient = e.status === 429 || e.status === 503;
      transientInARow.set(e.crid, transient ? (transientInARow.get(e.crid) ?? 0) + 1 : 0);
      if (e.status === 429) {
        throttled++;
        assert.equal(parseRetryAfter(e.retryAfter, Date.now()), retryAfterMs, 'a 429 carries Retry-After');
      }
    } else if (lastStatus.get(e.crid) === 429) {
      // A call sent again after a 429: the connector must have slept at least Retry-After first.
      // (After MAX_ATTEMPTS answers in a row the connector gives up and the engine retries the step.)
      if ((transientInARow.get(e.crid) ?? 0) < MAX_ATTEMPTS) owed++;
      assert.ok(honoured >= owed, `call ${e.method} ${e.url} was sent again before its Retry-After was waited out`);
      lastStatus.delete(e.crid);
    }
  }
  assert.ok(throttled >= 5, `enough 429s were answered to tell (${throttled})`);
  assert.equal(honoured, owed, 'each retry after a 429 waited its Retry-After, and only those did');
  t.diagnostic(`${wire.filter((e) => e.kind === 'request').length} calls, ${throttled} answered 429, ${owed} sent again after waiting Retry-After`);
});

test('the tenant ends exactly as fault-free runs leave it', async () => {
  assert.ok(withFaults, 'the faulty runs ran');
  const reset = await fetch(`${h.base}/_emulator/tenants/${DOMAIN}/reset`, { method: 'POST' });
  assert.equal(reset.status, 200);
  assert.deepEqual(tenant().data.controls.faults, []);
  const outcomes = await offboardAll();
  for (const [user, state] of outcomes) assert.equal(state, 'Completed', user);
  assert.equal(h.emu.deps.ledger.list(tenant().id).filter((e) => e.outcome === 'fault').length, 0);
  assert.deepEqual(tenantView(seedSessions), withFaults);
});
