// "Run a Custom Task Extension": POSTs Microsoft's callout payload to the extension's HTTPS
// endpoint, then — when the extension has a callbackConfiguration — waits for the `resume`
// callback within its timeoutDuration. The call is remembered in the step's scratch, so a step
// resumed after a crash keeps waiting instead of calling out twice.
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import { defineAction } from '../../m365/actions/action.ts';
import type { LifecycleRepo } from '../../store/lifecycle-repo.ts';
import type { LifecycleResultsRepo } from '../../store/lifecycle-results-repo.ts';
import { calloutPayload, extensionConfig, type ResumeWaiters } from '../custom-extension.ts';
import { fetchManager } from '../directory.ts';
import { LCW_ACTIONS } from './support.ts';

export type CalloutFetch = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number }>;

export interface CustomExtensionDeps {
  repo: LifecycleRepo;
  results: LifecycleResultsRepo;
  waiters: ResumeWaiters;
  clock: Clock;
  fetch: CalloutFetch;
  log: Logger;
  /** How often a waiting step re-reads the result when no in-process wake-up comes (ms). */
  pollMs: number;
}

function failure(message: string, fix: string): AppError {
  return new AppError({ code: 'invalid_state', message, fix });
}

export function customExtensionAction(deps: CustomExtensionDeps) {
  return defineAction({
    id: LCW_ACTIONS.customExtension,
    title: 'Run a Custom Task Extension',
    description: 'Calls the custom task extension\'s endpoint and waits for its callback.',
    category: 'account',
    params: z.strictObject({ taskProcessingResultId: z.string().uuid(), customTaskExtensionId: z.string().min(1) }),
    secrets: [],
    permissions: { graph: [], exchange: false },
    validate: async () => ({ errors: [], missing: [], warnings: [] }),
    async preview(ctx, p) {
      const x = await deps.repo.extension(ctx.tenant.id, p.customTaskExtensionId);
      const url = x ? extensionConfig(x).url : undefined;
      return { calls: url ? [{ surface: 'graph', method: 'POST', target: url, description: `Call the custom task extension ${x!.displayName}` }] : [], changes: [], skipped: [], alreadyDone: false, warnings: [] };
    },
    async execute(ctx, p) {
      const tpr = await deps.results.taskResult(p.taskProcessingResultId);
      if (!tpr) throw failure(`Task processing result ${p.taskProcessingResultId} no longer exists.`, 'Run the workflow again.');
      const x = await deps.repo.extension(ctx.tenant.id, p.customTaskExtensionId);
      if (!x) throw failure(`The custom task extension ${p.customTaskExtensionId} does not exist in this tenant.`, 'Create the extension, or point the task at an existing one in a new workflow version.');
      const cfg = extensionConfig(x);
      if (!cfg.url) {
        throw failure(`The custom task extension '${x.displayName}' has no endpointConfiguration.url. Tenantflow calls the extension's HTTPS endpoint directly (for a Logic App, its HTTP trigger URL); it cannot start a Logic App from its subscription and resource group.`, 'PATCH the extension with endpointConfiguration.url set to the Logic App\'s HTTP trigger URL.');
      }
      let called = ctx.scratch.get<{ at: number }>('calledOut');
      if (!called) {
        const wf = await deps.repo.workflowById(tpr.workflowId);
        const manager = await fetchManager(ctx.graph, tpr.subject.id);
        const body = JSON.stringify(calloutPayload({
          tenantId: ctx.tenant.id,
          workflow: { id: tpr.workflowId, displayName: wf?.displayName ?? '', workflowVersion: (await deps.results.userResult(tpr.userResultId))?.workflowVersion ?? wf?.version ?? 1 },
          task: { id: tpr.taskId, displayName: tpr.task.displayName },
          taskProcessingResult: { id: tpr.id, createdDateTime: tpr.createdAt.toISOString() },
          subject: {
            id: tpr.subject.id, displayName: tpr.subject.displayName, email: tpr.subject.mail, userPrincipalName: tpr.subject.userPrincipalName,
            manager: manager ? { id: manager.id, displayName: manager.displayName, email: manager.mail } : null,
          },
        }));
        // The task is in progress before the call goes out: a Logic App may call resume at once,
        // before the engine's progress has reached the task's own record.
        await deps.results.markTaskInProgress(tpr.id, deps.clock.date());
        // The callback window opens when the call goes out, not when its answer is recorded.
        const sentAt = deps.clock.now();
        let lastProblem = '';
        let ok = false;
        for (let attempt = 0; attempt <= cfg.maximumRetries && !ok; attempt++) {
          try {
            const res = await deps.fetch(cfg.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(cfg.timeoutMs) });
            ok = res.status >= 200 && res.status < 300;
            if (!ok) lastProblem = `answered HTTP ${res.status}`;
          } catch (e) {
            lastProblem = (e as Error).name === 'TimeoutError' ? `did not answer within ${cfg.timeoutMs} ms` : `could not be reached (${(e as Error).message})`;
          }
        }
        if (!ok) throw failure(`The custom task extension '${x.displayName}' ${lastProblem} after ${cfg.maximumRetries + 1} attempt(s).`, 'Check that the endpoint is up and accepts the call, then run the workflow again for this user.');
        called = { at: sentAt };
        await ctx.scratch.set('calledOut', called);
      }
      const outputs = { customTaskExtensionId: x.id, endpoint: new URL(cfg.url).host };
      if (cfg.callbackTimeoutMs === undefined) {
        return { outputs, before: {}, alreadyDone: false, skipped: [], summary: `Started the custom task extension '${x.displayName}' (launch and continue).` };
      }
      const deadline = called.at + cfg.callbackTimeoutMs;
      for (;;) {
        const now = await deps.results.taskResult(tpr.id);
        if (now?.resumeStatus === 'completed') {
          return { outputs, before: {}, alreadyDone: false, skipped: [], summary: `The custom task extension '${x.displayName}' reported completion.` };
        }
        if (now?.resumeStatus === 'failed') throw failure(`The custom task extension '${x.displayName}' reported operationStatus 'failed'.`, 'See the Logic App\'s run history for why it failed.');
        if (deps.clock.now() >= deadline) {
          throw failure(`The custom task extension '${x.displayName}' did not call back (resume) within ${Math.round(cfg.callbackTimeoutMs / 60_000)} minutes.`, 'Make the Logic App call resume at the callbackUriPath it received, or raise callbackConfiguration.timeoutDuration.');
        }
        await deps.waiters.wait(tpr.id, Math.min(deps.pollMs, Math.max(1, deadline - deps.clock.now())));
      }
    },
    undo: { reversible: false, reason: 'What the extension did is up to the extension.' },
  });
}
