// Custom task extensions: checking a client's configuration, Microsoft's callout payload, and the
// wait for the `resume` callback. The wait is woken in-process when resume arrives here, and polls
// the database otherwise (resume may reach another Tenantflow process); its deadline is read from
// the lifecycle clock, so tests move past it without waiting.
import { lcwErrors } from './errors.ts';
import { LIMITS } from './model.ts';

const durationRe = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** ISO 8601 duration (PT30M, PT1H30M, P0DT3H) in milliseconds, or undefined if it is not one. */
export function parseDuration(s: string): number | undefined {
  const m = durationRe.exec(s);
  if (!m || s === 'P' || s.endsWith('T')) return undefined;
  const [, d, h, min, sec] = m;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(sec ?? 0) * 1000;
}

export interface ExtensionConfig {
  url: string | undefined;
  maximumRetries: number;
  timeoutMs: number;
  /** Undefined: "launch and continue", the task succeeds once the endpoint accepted the call. */
  callbackTimeoutMs: number | undefined;
}

const ns = (t: unknown) => (typeof t === 'string' ? t.replace(/^#/, '') : '');

function section(body: Record<string, unknown>, name: string, types: string[], required: boolean): Record<string, unknown> | null {
  const v = body[name];
  if (v === undefined || v === null) {
    if (required) throw lcwErrors.invalid(`${name} is required.`);
    return null;
  }
  if (typeof v !== 'object' || Array.isArray(v)) throw lcwErrors.invalid(`${name} must be an object.`);
  const o = v as Record<string, unknown>;
  if (o['@odata.type'] !== undefined && !types.includes(ns(o['@odata.type']))) {
    throw lcwErrors.invalid(`${name} has an unsupported @odata.type '${String(o['@odata.type'])}'; use ${types.map((t) => `#${t}`).join(' or ')}.`);
  }
  return o;
}

/** Checks the configuration parts of a create or update body; returns them normalized. */
export function readExtensionConfig(body: Record<string, unknown>, partial: boolean) {
  const endpoint = section(body, 'endpointConfiguration', ['microsoft.graph.logicAppTriggerEndpointConfiguration', 'microsoft.graph.httpRequestEndpoint'], false);
  if (endpoint?.url !== undefined && endpoint.url !== null) {
    let u: URL | undefined;
    try { u = new URL(String(endpoint.url)); } catch { u = undefined; }
    if (!u || u.protocol !== 'https:') throw lcwErrors.invalid(`endpointConfiguration.url must be an https URL, not '${String(endpoint.url)}'.`);
  }
  const auth = section(body, 'authenticationConfiguration', ['microsoft.graph.azureAdTokenAuthentication', 'microsoft.graph.azureAdPopTokenAuthentication'], false);
  const client = section(body, 'clientConfiguration', ['microsoft.graph.customExtensionClientConfiguration'], false);
  if (client) {
    const r = client.maximumRetries, t = client.timeoutInMilliseconds;
    if (r !== undefined && r !== null && (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r > 3)) throw lcwErrors.invalid('clientConfiguration.maximumRetries must be 0 to 3.');
    if (t !== undefined && t !== null && (typeof t !== 'number' || !Number.isInteger(t) || t < 1000 || t > 60_000)) throw lcwErrors.invalid('clientConfiguration.timeoutInMilliseconds must be 1000 to 60000.');
  }
  const callback = section(body, 'callbackConfiguration', ['microsoft.graph.identityGovernance.customTaskExtensionCallbackConfiguration'], false);
  if (callback) {
    const d = typeof callback.timeoutDuration === 'string' ? parseDuration(callback.timeoutDuration) : undefined;
    const { min, max } = LIMITS.callbackTimeoutMinutes;
    if (d === undefined || d < min * 60_000 || d > max * 60_000) {
      throw lcwErrors.invalid(`callbackConfiguration.timeoutDuration must be an ISO 8601 duration from PT${min}M to PT${max / 60}H, not '${String(callback.timeoutDuration)}'.`);
    }
  }
  if (!partial && !body.displayName) throw lcwErrors.invalid('displayName is required.');
  return { endpoint, auth, client, callback };
}

export function extensionConfig(x: { endpointConfiguration: Record<string, unknown> | null; clientConfiguration: Record<string, unknown> | null; callbackConfiguration: Record<string, unknown> | null }): ExtensionConfig {
  const url = typeof x.endpointConfiguration?.url === 'string' ? x.endpointConfiguration.url : undefined;
  const retries = x.clientConfiguration?.maximumRetries;
  const timeout = x.clientConfiguration?.timeoutInMilliseconds;
  const duration = typeof x.callbackConfiguration?.timeoutDuration === 'string' ? parseDuration(x.callbackConfiguration.timeoutDuration) : undefined;
  return {
    url,
    maximumRetries: typeof retries === 'number' ? retries : 1,
    timeoutMs: typeof timeout === 'number' ? timeout : 10_000,
    callbackTimeoutMs: x.callbackConfiguration ? duration : undefined,
  };
}

export interface CalloutData {
  tenantId: string;
  workflow: { id: string; displayName: string; workflowVersion: number };
  task: { id: string; displayName: string };
  taskProcessingResult: { id: string; createdDateTime: string };
  subject: { id: string; displayName: string | null; email: string | null; userPrincipalName: string | null; manager: { id: string; displayName: string | null; email: string | null } | null };
}

/** Microsoft's callout body (ED configure-logic-app-lifecycle-workflows.md). */
export function calloutPayload(d: CalloutData): Record<string, unknown> {
  return {
    source: `/tenants/${d.tenantId}/workflows/${d.workflow.id}`,
    type: 'lifecycleEvent',
    data: {
      '@odata.type': 'microsoft.graph.identityGovernance.customTaskExtensionCalloutData',
      callbackUriPath: `/identityGovernance/lifecycleWorkflows/workflows/${d.workflow.id}/tasks/${d.task.id}/taskProcessingResults/${d.taskProcessingResult.id}/resume`,
      subject: d.subject,
      task: d.task,
      taskProcessingResult: d.taskProcessingResult,
      workflow: d.workflow,
    },
  };
}

/** Wakes the step waiting for a task processing result's callback. */
export class ResumeWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();

  /** Resolves on notify(id), on wakeAll(), or after `ms`, whichever comes first. */
  wait(id: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiting.get(id);
      if (!set) this.waiting.set(id, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        set!.delete(done);
        if (!set!.size) this.waiting.delete(id);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  notify(id: string): void {
    for (const f of [...(this.waiting.get(id) ?? [])]) f();
  }

  wakeAll(): void {
    for (const id of [...this.waiting.keys()]) this.notify(id);
  }

  get size(): number {
    return this.waiting.size;
  }
}
