// Exchange admin API errors → AppError. The message comes from error.details[0].message or
// error.innererror.internalexception.message (as the EXO v3 module reads it), and the .NET
// exception type travels in details.exceptionType so callers branch on the type, never the text.
import { AppError } from '../core/errors.ts';
import type { ErrorCode } from '../core/error-codes.ts';

export interface ExchangeErrorInfo {
  /** error.code, e.g. NotFound, BadRequest. */
  errorCode: string | undefined;
  /** details[0].code, e.g. Ex6F9304. */
  errorId: string | undefined;
  /** Full .NET type, e.g. Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException. */
  exceptionType: string | undefined;
  /** The type's last segment, e.g. ManagementObjectNotFoundException. */
  exceptionName: string | undefined;
  message: string;
}

export function readExchangeError(body: unknown): ExchangeErrorInfo {
  const err = (body !== null && typeof body === 'object' ? (body as { error?: Record<string, unknown> }).error : undefined) ?? {};
  const details = Array.isArray(err.details) ? (err.details[0] as Record<string, unknown> | undefined) : undefined;
  const inner = err.innererror as { internalexception?: { message?: unknown; type?: unknown }; message?: unknown } | undefined;
  const rawMessage = str(details?.message) ?? str(inner?.internalexception?.message) ?? str(inner?.message) ?? str(err.message) ?? (typeof body === 'string' ? body.slice(0, 300) : '');
  // Exchange prefixes messages with "|Exception.Type|".
  const prefixed = /^\|([^|]+)\|([\s\S]*)$/.exec(rawMessage);
  const exceptionType = str(inner?.internalexception?.type) ?? prefixed?.[1];
  return {
    errorCode: str(err.code),
    errorId: str(details?.code),
    exceptionType,
    exceptionName: exceptionType?.split('.').pop(),
    message: (prefixed ? prefixed[2]! : rawMessage).trim(),
  };
}

export function isExchangeNotFound(status: number, info: ExchangeErrorInfo): boolean {
  return info.exceptionName === 'ManagementObjectNotFoundException' || info.exceptionName === 'RecipientNotFoundException' || status === 404;
}

export function exchangeErrorToAppError(e: { status: number; body: unknown; cmdlet: string; clientRequestId: string; retryAfterMs?: number | undefined }): AppError {
  const info = readExchangeError(e.body);
  const code = appCodeFor(e.status, info);
  const what = `Exchange ${e.cmdlet}`;
  const message = code === 'm365_throttled'
    ? `${what} was throttled${e.retryAfterMs !== undefined ? ` (retry after ${(e.retryAfterMs / 1000).toFixed(1)} s)` : ''}: ${info.message}`
    : `${what} failed (${e.status}${info.exceptionName ? ` ${info.exceptionName}` : ''}): ${info.message || 'no message'}`;
  const details: Record<string, unknown> = { status: e.status, cmdlet: e.cmdlet, clientRequestId: e.clientRequestId };
  if (info.errorCode) details.exchangeCode = info.errorCode;
  if (info.errorId) details.errorId = info.errorId;
  if (info.exceptionType) details.exceptionType = info.exceptionType;
  if (info.exceptionName) details.exceptionName = info.exceptionName;
  return new AppError({ code, message, details, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) });
}

function appCodeFor(status: number, info: ExchangeErrorInfo): ErrorCode {
  if (isExchangeNotFound(status, info)) return 'm365_not_found';
  if (status === 401) return 'm365_auth_failed';
  if (status === 403 || info.exceptionName === 'AccessDeniedException') return 'missing_permission';
  if (status === 429) return 'm365_throttled';
  if (status === 504) return 'm365_timeout';
  if (status >= 500) return 'm365_unavailable';
  if (status === 409) return 'conflict';
  return 'm365_bad_request';
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
