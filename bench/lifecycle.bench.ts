// One lifecycle scheduling pass over 100,000 emulated users: 20 generated tenants of 5,000 users
// (the emulator runs in its own process, `emulator --generate 20:5000`) and 50 workflows spread
// over them — time-based joiners and leavers with OData rules, and movers on attribute changes
// (1% of users moved since the previous pass). The directory is read as the scheduler reads it,
// through DirectorySync, four tenants at a time: the first fetch is a full one (a "sync from now"
// deltaLink, then the paged listing, $select, $top=999); then a handful of changes are made over
// Graph (departments, a disabled account, new and deleted users) and the next fetch is one
// /users/delta round per tenant, which must equal a full refetch (also timed, for the ratio).
//
// Figures: the first (full) fetch, the delta fetch after the changes, the full refetch it is
// compared with (all HTTPS, reported apart from the pass), the pass (compiling the workflows'
// conditions and evaluating triggers and rules over the fetched directories: what the scheduler
// does between fetching and scheduling the due users), and a baseline measured in the same run:
// a plain loop reading each user's department once. Options: --tenants N --users N --workflows N
// --rounds N --changes N.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { generatedTenantId } from '../src/emulator/seed/generate.ts';
import { readConditions } from '../src/lifecycle/conditions.ts';
import { fetchDirectory, passSelect, type DirectoryUser } from '../src/lifecycle/directory.ts';
import { DirectorySync } from '../src/lifecycle/directory-sync.ts';
import { attributeSnapshot, compileWorkflow, evaluatePass, type AttributeSnapshot } from '../src/lifecycle/evaluate.ts';
import { T, type Workflow, type WorkflowCategory } from '../src/lifecycle/model.ts';
import { M365Connector } from '../src/m365/connector.ts';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from '../src/m365/demo-tenants.ts';
import { defineTenant } from '../src/m365/tenant-config.ts';
import { TenantRegistry } from '../src/m365/tenant-registry.ts';

const DAY = 86_400_000;

/** Workflow shapes the 50 workflows cycle through. */
const shapes: Array<{ category: WorkflowCategory; rule: string; trigger: Record<string, unknown> }> = [
  { category: 'leaver', rule: "department eq 'Sales'", trigger: { '@odata.type': T.timeBased, timeBasedAttribute: 'employeeLeaveDateTime', offsetInDays: -7 } },
  { category: 'joiner', rule: "(department in ('Finance', 'IT')) and (accountEnabled eq false)", trigger: { '@odata.type': T.timeBased, timeBasedAttribute: 'employeeHireDate', offsetInDays: -7 } },
  { category: 'leaver', rule: "startsWith(jobTitle, 'Senior') or country eq 'United States'", trigger: { '@odata.type': T.timeBased, timeBasedAttribute: 'employeeLeaveDateTime', offsetInDays: 0 } },
  { category: 'mover', rule: "department eq 'Marketing' and not (usageLocation eq 'US')", trigger: { '@odata.type': T.attributeChange, triggerAttributes: [{ name: 'department' }] } },
  { category: 'joiner', rule: "userType eq 'Member' and startsWith(userPrincipalName, 'a')", trigger: { '@odata.type': T.timeBased, timeBasedAttribute: 'createdDateTime', offsetInDays: 1 } },
];

function workflow(i: number, tenantId: string): Workflow {
  const s = shapes[i % shapes.length]!;
  const executionConditions = readConditions({ '@odata.type': T.triggerAndScope, scope: { '@odata.type': T.ruleScope, rule: s.rule }, trigger: s.trigger }, s.category);
  return {
    id: `wf-${i}`, tenantId, category: s.category, displayName: `Workflow ${i}`, description: null, isEnabled: true, isSchedulingEnabled: true, version: 1,
    executionConditions, tasks: [], createdDateTime: '', lastModifiedDateTime: '', deletedDateTime: null, createdBy: null, lastModifiedBy: null,
  };
}

async function startEmulatorProcess(spec: string, dataDir: string): Promise<{ child: ChildProcess; httpsUrl: string; caPem: string }> {
  const child = spawn(process.execPath, ['src/cli/main.ts', 'emulator', '--generate', spec, '--port', '0', '--tls-port', '0', '--controls', 'off', '--no-snapshot', '--data-dir', dataDir], {
    cwd: join(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  let out = '';
  const httpsUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGTERM'); reject(new Error(`the emulator did not start within 180 s: ${out}`)); }, 180_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(https:\/\/\S+)\s+\(HTTPS/.exec(out);
      if (m && out.includes('Tenants')) { clearTimeout(timer); resolve(m[1]!); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the emulator exited with ${code}: ${out}`)); });
  });
  return { child, httpsUrl, caPem: readFileSync(join(dataDir, 'emulator-cert.pem'), 'utf8') };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export default async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { tenants: { type: 'string', default: '20' }, users: { type: 'string', default: '5000' }, workflows: { type: 'string', default: '50' }, rounds: { type: 'string', default: '7' }, changes: { type: 'string', default: '10' } } });
  const tenants = Number(values.tenants), perTenant = Number(values.users), workflowCount = Number(values.workflows), rounds = Number(values.rounds), changeCount = Number(values.changes);
  const dataDir = mkdtempSync(join(tmpdir(), 'tf-lcw-bench-'));
  const startedEmu = performance.now();
  const emu = await startEmulatorProcess(`${tenants}:${perTenant}`, dataDir);
  console.log(`emulator (own process, --generate ${tenants}:${perTenant}) ready in ${((performance.now() - startedEmu) / 1000).toFixed(1)} s`);
  const configs = Array.from({ length: tenants }, (_, i) => defineTenant({
    id: generatedTenantId(i + 1), domain: `gen${String(i + 1).padStart(2, '0')}.onmicrosoft.com`, displayName: `Generated ${i + 1}`,
    loginBaseUrl: emu.httpsUrl, graphBaseUrl: emu.httpsUrl, exchangeBaseUrl: `${emu.httpsUrl}/adminapi/beta`, caPem: emu.caPem,
    credentials: { kind: 'clientSecret', clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET }, defaults: { usageLocation: 'US' }, size: 'L',
  }));
  const connector = new M365Connector({ registry: new TenantRegistry(configs), pacing: false });
  try {
    const byTenant = new Map<string, Workflow[]>(configs.map((c) => [c.id, []]));
    for (let i = 0; i < workflowCount; i++) {
      const tenantId = configs[i % configs.length]!.id;
      byTenant.get(tenantId)!.push(workflow(i, tenantId));
    }
    const props = new Set(Object.values(Object.fromEntries(byTenant)).flat().flatMap((w) => compileWorkflow(w).conditions.properties));
    const select = passSelect(props);

    // Every tenant's directory, four tenants at a time (as a scheduler tick would).
    const sync = new DirectorySync();
    const directories = new Map<string, DirectoryUser[]>();
    const fetchAll = async (read: (tenantId: string) => Promise<DirectoryUser[]>) => {
      const start = performance.now();
      const queue = [...configs];
      await Promise.all(Array.from({ length: 4 }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) directories.set(c.id, await read(c.id));
      }));
      return (performance.now() - start) / 1000;
    };
    const modes = new Set<string>();
    let received = 0;
    const viaSync = async (tenantId: string) => {
      const r = await sync.fetch(tenantId, connector.graph(tenantId), select);
      modes.add(r.mode);
      received += r.received;
      return r.users;
    };
    const fetchSeconds = await fetchAll(viaSync);
    const users = [...directories.values()].reduce((n, d) => n + d.length, 0);
    if ([...modes].join() !== 'full') throw new Error(`the first fetch should be full, was ${[...modes].join()}`);
    console.log(`first (full) fetch: ${users.toLocaleString('en-US')} users of ${tenants} tenants over HTTPS (a delta token, then paged, $top=999, $select of ${select.length} properties) in ${fetchSeconds.toFixed(2)} s (${Math.round(users / fetchSeconds).toLocaleString('en-US')} users/s)`);

    // A handful of changes over Graph, spread over the tenants.
    for (let i = 0; i < changeCount; i++) {
      const c = configs[i % configs.length]!;
      const graph = connector.graph(c.id);
      const dir = directories.get(c.id)!;
      const u = dir[100 + 37 * i]!;
      switch (i % 5) {
        case 0: case 1: await graph.patch(`/users/${u.id}`, { department: u.department === 'Finance' ? 'Marketing' : 'Finance' }); break;
        case 2: await graph.patch(`/users/${u.id}`, { accountEnabled: false }); break;
        case 3: {
          const nick = `delta.bench.${i}`;
          await graph.post('/users', { accountEnabled: true, displayName: `Delta Bench ${i}`, mailNickname: nick, userPrincipalName: `${nick}@${c.domain}`, department: 'Sales', passwordProfile: { password: 'xWwvJ]6NMw+bWH-d' } });
          break;
        }
        case 4: await graph.delete(`/users/${u.id}`); break;
      }
    }
    modes.clear();
    received = 0;
    const deltaSeconds = await fetchAll(viaSync);
    if ([...modes].join() !== 'delta') throw new Error(`the fetch after the changes should be delta, was ${[...modes].join()}`);
    const deltaItems = received;
    const deltaUsers = [...directories.values()].reduce((n, d) => n + d.length, 0);
    const viaDelta = new Map(directories);
    const refetchSeconds = await fetchAll((tenantId) => fetchDirectory(connector.graph(tenantId), select));
    for (const [id, dir] of directories) {
      if (!isDeepStrictEqual(dir, viaDelta.get(id))) throw new Error(`tenant ${id}: the directory after the delta round differs from a full refetch`);
    }
    console.log(`delta fetch after ${changeCount} changes: ${deltaItems} users received in one /users/delta round per tenant, ${deltaUsers.toLocaleString('en-US')} users kept, in ${(deltaSeconds * 1000).toFixed(1)} ms`);
    console.log(`full refetch (the same ${deltaUsers.toLocaleString('en-US')} users, equal to the delta result): ${refetchSeconds.toFixed(2)} s; full refetch / delta = ${(refetchSeconds / deltaSeconds).toFixed(1)}×`);

    // What the previous pass saw: 1% of users had another department.
    const previous = new Map<string, { generation: number; data: AttributeSnapshot }>();
    for (const [id, dir] of directories) {
      const data = attributeSnapshot(dir, ['department']);
      dir.forEach((u, i) => { if (i % 100 === 7) data[u.id] = { department: 'Previously elsewhere' }; });
      previous.set(id, { generation: 1, data });
    }
    const now = Date.now();
    const pass = () => {
      let due = 0, evaluations = 0;
      for (const [tenantId, dir] of directories) {
        const compiled = byTenant.get(tenantId)!.map(compileWorkflow);
        for (const list of evaluatePass(compiled, { now, users: dir, attributes: previous.get(tenantId) }).values()) due += list.length;
        evaluations += dir.length * compiled.length;
      }
      return { due, evaluations };
    };
    const baseline = () => {
      let sales = 0;
      for (const dir of directories.values()) for (const u of dir) if (u.department === 'Sales') sales++;
      return sales;
    };
    const passTimes: number[] = [], baseTimes: number[] = [];
    let result = pass();
    let baseCount = baseline();
    for (let r = 0; r < rounds; r++) {
      let t = performance.now();
      result = pass();
      passTimes.push((performance.now() - t) / 1000);
      t = performance.now();
      baseCount = baseline();
      baseTimes.push((performance.now() - t) / 1000);
    }
    const passSeconds = median(passTimes), baselineSeconds = median(baseTimes);
    const usersPerSecond = Math.round(users / passSeconds);
    console.log(`pass: ${workflowCount} workflows over ${users.toLocaleString('en-US')} users (${result.evaluations.toLocaleString('en-US')} user × workflow evaluations), ${result.due} users due, median of ${rounds}: ${(passSeconds * 1000).toFixed(1)} ms`);
    console.log(`baseline (a plain loop reading each user's department once, ${baseCount} in Sales): ${(baselineSeconds * 1000).toFixed(2)} ms; pass / baseline = ${(passSeconds / baselineSeconds).toFixed(1)}×`);
    console.log(`users evaluated per second: ${usersPerSecond.toLocaleString('en-US')}; pass ${passSeconds < 2 ? 'within' : 'OVER'} the 2 s target; with the delta fetch: ${(deltaSeconds + passSeconds).toFixed(2)} s (with a full fetch: ${(fetchSeconds + passSeconds).toFixed(2)} s)`);
    console.log(JSON.stringify({
      usersPerSecond, passSeconds: Number(passSeconds.toFixed(4)), fullFetchSeconds: Number(fetchSeconds.toFixed(3)),
      deltaFetchSeconds: Number(deltaSeconds.toFixed(4)), deltaItems, refetchSeconds: Number(refetchSeconds.toFixed(3)),
    }));
  } finally {
    await connector.close();
    emu.child.kill('SIGTERM');
    await new Promise((resolve) => emu.child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
