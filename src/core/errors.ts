// The error model of DESIGN.md: every visible error has a stable code, a message (what happened)
// and a fix (what to do). Retry decisions read `errorClass`, never the message text.
import { errorCodes, type ErrorCode } from './error-codes.ts';

export const errorClasses = ['user', 'transient', 'internal'] as const;
export type ErrorClass = (typeof errorClasses)[number];

export interface AppErrorInit {
  code: ErrorCode;
  message: string;
  fix?: string;
  param?: string;
  value?: unknown;
  status?: number;
  cause?: unknown;
  details?: Record<string, unknown>;
  retryAfterMs?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fix: string;
  readonly param: string | undefined;
  readonly value: unknown;
  readonly status: number;
  readonly errorClass: ErrorClass;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: AppErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    const def = errorCodes[init.code];
    this.name = 'AppError';
    this.code = init.code;
    this.fix = init.fix ?? def.fix;
    this.param = init.param;
    this.value = init.value;
    this.status = init.status ?? def.status;
    this.errorClass = def.errorClass;
    this.details = init.details;
    this.retryAfterMs = init.retryAfterMs;
  }

  get retryable(): boolean {
    return this.errorClass === 'transient';
  }

  toJSON(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message, fix: this.fix, errorClass: this.errorClass };
    if (this.param !== undefined) body.param = this.param;
    if (this.value !== undefined) body.value = this.value;
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

export interface ErrorBody {
  code: string;
  message: string;
  fix: string;
  errorClass: ErrorClass;
  param?: string;
  value?: unknown;
  details?: Record<string, unknown>;
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Wraps anything thrown into an AppError; unknown throwables are internal errors (bugs). */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new AppError({ code: 'internal_error', message: `Unexpected error: ${message}`, cause: e });
}
