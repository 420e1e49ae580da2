// What an action needs from Microsoft 365, and nothing more. The Graph and Exchange clients of
// src/m365 implement these ports; tests and the engine never see HTTP details.

export interface CallOptions {
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Sent as client-request-id; derived from the step's idempotency key. */
  clientRequestId?: string;
  /** Retry 404s for a while: the object was just created (Entra replication). */
  retryNotFound?: boolean;
}

export interface GraphBatchItem {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  dependsOn?: string[];
}

export interface GraphBatchResult {
  id: string;
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface GraphPort {
  get<T = Record<string, unknown>>(path: string, opts?: CallOptions): Promise<T>;
  post<T = Record<string, unknown>>(path: string, body: unknown, opts?: CallOptions): Promise<T>;
  patch(path: string, body: unknown, opts?: CallOptions): Promise<void>;
  put(path: string, body: unknown, opts?: CallOptions): Promise<void>;
  delete(path: string, opts?: CallOptions): Promise<void>;
  /** Every item of a collection, following @odata.nextLink. */
  list<T = Record<string, unknown>>(path: string, opts?: CallOptions): Promise<T[]>;
  /** Sub-requests in chunks of 20, each retried on 429/5xx; results in request order. */
  batch(items: GraphBatchItem[], opts?: CallOptions): Promise<GraphBatchResult[]>;
  /** Application permissions (roles) the tenant granted this app, read from the access token. */
  grantedRoles(): Promise<string[]>;
}

export interface ExchangeResult {
  value: Array<Record<string, unknown>>;
  warnings: string[];
}

export interface ExchangePort {
  invoke(cmdlet: string, parameters: Record<string, unknown>, opts?: { anchorMailbox?: string; clientRequestId?: string }): Promise<ExchangeResult>;
  /** Exchange roles granted to the app (Exchange.ManageAsApp), read from the access token. */
  grantedRoles(): Promise<string[]>;
}
