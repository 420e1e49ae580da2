// What the designer reads once per page load: the action catalog with its schemas, the tenant
// defaults bindings may use, and the outputs each action is known to give (learned from the
// workflows already stored).
import { designApi, type CatalogAction, type Definition } from '../../lib/design-api.ts';
import { learnOutputs } from './bindings.ts';

export interface DesignerData {
  actions: CatalogAction[];
  actionMap: ReadonlyMap<string, CatalogAction>;
  tenantDefaults: string[];
  outputsByAction: ReadonlyMap<string, readonly string[]>;
  secretsByAction: ReadonlyMap<string, readonly string[]>;
}

let cached: Promise<DesignerData> | null = null;

async function load(): Promise<DesignerData> {
  const [actions, tenants, workflows] = await Promise.all([designApi.actions(), designApi.tenants().catch(() => []), designApi.list().catch(() => [])]);
  const defs = await Promise.all(workflows.filter((w) => w.latestVersion > 0).map((w) =>
    designApi.version(w.id, w.latestVersion).then((v) => v.definition).catch(() => undefined)));
  const tenantDefaults = [...new Set(tenants.flatMap((t) => Object.keys(t.defaults ?? {})))].sort();
  return {
    actions,
    actionMap: new Map(actions.map((a) => [a.id, a])),
    tenantDefaults,
    outputsByAction: learnOutputs(defs.filter((d): d is Definition => !!d)),
    secretsByAction: new Map(actions.map((a) => [a.id, a.secrets])),
  };
}

export function designerData(): Promise<DesignerData> {
  cached ??= load().catch((e: unknown) => { cached = null; throw e; });
  return cached;
}
