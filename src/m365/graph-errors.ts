// Graph's error envelope → Tenantflow's AppError. The Graph code (and innerError.code) travel in
// details.graphCode / details.innerCode so callers branch on codes, never on message text.
import { AppError } from '../core/errors.ts';
import type { ErrorCode } from '../core/error-codes.ts';

export interface GraphErrorInput {
  status: number;
  body: unknown;
  method: string;
  /** Path relative to the version, for the message. */
  path: string;
  clientRequestId: string;
  requestId?: string | undefined;
  retryAfterMs?: number | undefined;
}

interface GraphErrorBody {
  code?: unknown;
  message?: unknown;
  innerError?: { code?: unknown; 'request-id'?: unknown };
  details?: unknown;
}

export function graphErrorToAppError(e: GraphErrorInput): AppError {
  const err = (typeof e.body === 'object' && e.body !== null ? (e.body as { error?: GraphErrorBody }).error : undefined) ?? {};
  const graphCode = typeof err.code === 'string' ? err.code : `Http${e.status}`;
  const graphMessage = typeof err.message === 'string' ? err.message : typeof e.body === 'string' && e.body ? e.body.slice(0, 300) : '';
  const innerCode = typeof err.innerError?.code === 'string' ? err.innerError.code : undefined;
  const requestId = e.requestId ?? (typeof err.innerError?.['request-id'] === 'string' ? err.innerError['request-id'] : undefined);
  const code = appCodeFor(e.status);
  const target = `${e.method} ${e.path}`;
  const message = (() => {
    switch (code) {
      case 'missing_permission':
        return `The app is not allowed to ${target}: ${graphMessage || graphCode}`;
      case 'm365_throttled':
        return `Microsoft Graph throttled ${target}${e.retryAfterMs !== undefined ? ` (retry after ${(e.retryAfterMs / 1000).toFixed(1)} s)` : ''}.`;
      default:
        return `Microsoft Graph answered ${e.status} ${graphCode} to ${target}${graphMessage ? `: ${graphMessage}` : '.'}`;
    }
  })();
  const details: Record<string, unknown> = { status: e.status, graphCode, graphMessage, clientRequestId: e.clientRequestId };
  if (innerCode !== undefined) details.innerCode = innerCode;
  if (err.details !== undefined) details.graphDetails = err.details;
  if (requestId !== undefined) details.requestId = requestId;
  return new AppError({ code, message, details, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) });
}

function appCodeFor(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'm365_bad_request';
    case 401:
      return 'm365_auth_failed';
    case 403:
      return 'missing_permission';
    case 404:
    case 410:
      return 'm365_not_found';
    case 409:
    case 412:
      return 'conflict';
    case 429:
      return 'm365_throttled';
    case 504:
      return 'm365_timeout';
    default:
      return status >= 500 ? 'm365_unavailable' : 'm365_bad_request';
  }
}
