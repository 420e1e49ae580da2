// `tenantflow action <id> --tenant T --param k=v … [--dry-run] [--yes] [--json]`: runs one catalog
// action without a server. It prints the card (secrets masked, preview diff), asks for approval
// unless --yes, shows the step's progress and prints the outputs.
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { systemClock } from '../../core/clock.ts';
import { isAppError, toAppError, type AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Scratch } from '../../m365/actions/action.ts';
import { actionCatalog, actionJsonSchema, getAction } from '../../m365/actions/catalog.ts';
import { closestMatches } from '../../m365/actions/support/closest.ts';
import { checkParams } from '../../m365/actions/support/params.ts';
import { defaultDomain } from '../../m365/actions/support/tenant-domain.ts';
import { M365Connector } from '../../m365/connector.ts';
import { tenantInfo } from '../../m365/tenant-config.ts';
import { loadTenantRegistry } from '../../m365/tenant-registry.ts';
import { bold, dim, green, red, renderCard, renderOutputs } from '../card.ts';
import { parseParamArgs, type ObjectSchema } from '../param-values.ts';

const help = `Usage: tenantflow action <id> --tenant T [--param key=value]... [--dry-run] [--yes] [--json]

  --tenant T        tenant id, domain or prefix (contoso)
  --param k=v       an action parameter; repeat for several. k=a,b (or k given twice)
                    for a list, where the parameter takes one; k=null clears a value
  --dry-run         show the card and stop
  --yes             approve without asking
  --json            print one JSON document instead of the card

'tenantflow actions' lists the actions and their parameters.`;

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        tenant: { type: 'string' }, param: { type: 'string', multiple: true }, 'dry-run': { type: 'boolean' },
        yes: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (e) {
    console.error(`${(e as Error).message.split('. ')[0]}.\n\n${help}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || !positionals[0]) {
    console.log(help);
    return values.help ? 0 : 2;
  }
  const out = values.json ? (_: string) => {} : (s: string) => console.log(s);
  const fail = (e: AppError, code = 1): number => {
    if (values.json) console.log(JSON.stringify({ ok: false, error: e.toJSON() }, null, 2));
    else console.error(`${red('✗')} ${e.message}${e.fix ? `\n  ${dim('Fix:')} ${e.fix}` : ''}`);
    return code;
  };
  const action = getAction(positionals[0]);
  if (!action) {
    const close = closestMatches(positionals[0], [...actionCatalog.keys()]);
    console.error(`Unknown action '${positionals[0]}'.${close.length ? ` Did you mean ${close.join(', ')}?` : ''} Run 'tenantflow actions' for the list.`);
    return 2;
  }
  if (!values.tenant) {
    console.error('--tenant is required (a tenant id, domain or prefix such as contoso).');
    return 2;
  }
  const parsedParams = parseParamArgs(values.param ?? [], actionJsonSchema(action) as ObjectSchema);
  if (!parsedParams.ok) {
    console.error(parsedParams.error);
    return 2;
  }
  const raw = parsedParams.raw;
  const registry = loadTenantRegistry();
  const connector = new M365Connector({ registry });
  try {
    let tenant;
    try {
      tenant = registry.get(values.tenant);
    } catch (e) {
      return fail(toAppError(e), 2);
    }
    const values0: Record<string, unknown> = {};
    const scratchValues = new Map<string, unknown>();
    const scratch: Scratch = { get: <T>(k: string) => scratchValues.get(k) as T | undefined, set: async (k, v) => { scratchValues.set(k, v); } };
    const ctx = { tenant: tenantInfo(tenant), graph: connector.graph(tenant.id), exchange: connector.exchange(tenant.id), idempotencyKey: `cli:${newId()}`, scratch, clock: systemClock };
    let checked = checkParams(action.params, raw, tenant.domain);
    // The fixes name an address in the domain the tenant's users really have (contoso.com).
    if (!checked.ok && checked.errors.length) checked = checkParams(action.params, raw, await defaultDomain(ctx));
    if (!checked.ok) {
      if (values.json) console.log(JSON.stringify({ ok: false, errors: checked.errors.map((e) => e.toJSON()), missing: checked.missing }, null, 2));
      else {
        for (const e of checked.errors) console.error(`${red('✗')} ${e.param ? `${e.param}: ` : ''}${e.message}`);
        for (const m of checked.missing) console.error(`${red('✗')} --param ${m.param}=… is required: ${m.question}`);
      }
      return 2;
    }
    Object.assign(values0, checked.params);
    const validation = await action.validate(ctx, checked.params as never);
    if (validation.errors.length) {
      if (values.json) console.log(JSON.stringify({ ok: false, errors: validation.errors.map((e) => e.toJSON()) }, null, 2));
      else for (const e of validation.errors) fail(e);
      return 2;
    }
    const planned = await action.preview(ctx, checked.params as never);
    // validate() finds some things worth knowing that the preview does not repeat (a disabled account).
    const preview = { ...planned, warnings: [...planned.warnings, ...validation.warnings.filter((w) => !planned.warnings.includes(w))] };
    out(renderCard(action, tenant.domain, values0, preview));
    if (values['dry-run']) {
      if (values.json) console.log(JSON.stringify({ ok: true, dryRun: true, preview }, null, 2));
      return 0;
    }
    // A report or a listing changes nothing, so there is nothing to approve.
    if (!values.yes && !action.readOnly) {
      if (!process.stdin.isTTY) {
        console.error('\nNot approved: pass --yes to run without a prompt.');
        return 2;
      }
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      const answer = (await rl.question(`\n${bold('Approve?')} [y/N] `)).trim().toLowerCase();
      rl.close();
      if (answer !== 'y' && answer !== 'yes') {
        out('Rejected: nothing was changed.');
        return 1;
      }
    }
    out(`\n${dim('●')} ${action.title} … running`);
    const started = Date.now();
    const result = await action.execute(ctx, checked.params as never);
    const ms = Date.now() - started;
    if (values.json) {
      console.log(JSON.stringify({ ok: true, alreadyDone: result.alreadyDone, summary: result.summary, outputs: result.outputs, skipped: result.skipped, durationMs: ms }, null, 2));
      return 0;
    }
    out(`${green('✓')} ${action.title} · Completed (${ms} ms)${result.alreadyDone ? dim(' · already in the desired state') : ''}`);
    out(`  ${result.summary}`);
    for (const s of result.skipped) out(`  ${dim('skipped')} ${s.item}: ${s.reason}`);
    out(`\n${bold('Outputs')}`);
    for (const line of renderOutputs(result.outputs, action.secrets)) out(line);
    return 0;
  } catch (e) {
    return fail(isAppError(e) ? e : toAppError(e));
  } finally {
    await connector.close();
  }
}
