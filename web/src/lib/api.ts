// The API client: same-origin fetch with the session cookie, the CSRF token on every write, and the
// API's error shape ({error: {code, message, fix}}) turned into an ApiError a page can show.
import type { ErrorBody } from './types.ts';

let csrfToken: string | null = null;
let onSignedOut: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401, so the app can go back to the sign-in page. */
export function onUnauthenticated(fn: (() => void) | null): void {
  onSignedOut = fn;
}

export class ApiError extends Error {
  readonly status: number;
  readonly body: ErrorBody;
  constructor(status: number, body: ErrorBody) {
    super(body.message);
    this.status = status;
    this.body = body;
  }
}

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new ApiError(0, { code: 'network_error', message: 'Tenantflow did not answer.', fix: 'Check that the server is running, then try again.' });
  }
  const text = await res.text();
  let data: unknown;
  try { data = text ? JSON.parse(text) : undefined; } catch { data = undefined; }
  if (!res.ok) {
    const err = (data as { error?: ErrorBody } | undefined)?.error ?? { code: `http_${res.status}`, message: `The server answered ${res.status}.`, fix: 'Try again.' };
    if (res.status === 401 && !path.startsWith('/api/auth/login')) onSignedOut?.();
    throw new ApiError(res.status, err);
  }
  return data as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});

/** A query string from the set values only. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** A websocket on the same origin (ws: or wss: to match the page). */
export function socket(path: string): WebSocket {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return new WebSocket(`${proto}//${location.host}${path}`);
}

export function errorText(e: unknown): ErrorBody {
  if (e instanceof ApiError) return e.body;
  return { code: 'client_error', message: e instanceof Error ? e.message : String(e), fix: 'Reload the page and try again.' };
}
