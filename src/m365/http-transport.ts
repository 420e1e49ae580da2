// The one place the connector touches the network. Every byte to Microsoft 365 (tokens, Graph,
// Exchange) goes through a Send function bound to a tenant's TLS trust, so the emulator's
// self-signed certificate is trusted only for the tenants that name it, and tests can wrap Send to
// count or inspect calls. Bodies are read in full: every answer we handle is small JSON.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import { AppError } from '../core/errors.ts';

export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Abort when no response head arrives in time (default 100 s, like Microsoft's SDKs). */
  timeoutMs?: number;
}

export interface WireResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  text: string;
}

export type Send = (req: WireRequest) => Promise<WireResponse>;

export interface TlsTrust {
  caPem?: string;
  caPemPath?: string;
}

const DEFAULT_TIMEOUT_MS = 100_000;

/** Keeps one connection pool per distinct CA, shared by every tenant that trusts it. */
export class TransportPool {
  private readonly agents = new Map<string, Agent>();
  private readonly caFiles = new Map<string, string>();
  private readonly defaultTimeoutMs: number;

  constructor(opts: { timeoutMs?: number } = {}) {
    this.defaultTimeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  forTrust(trust: TlsTrust): Send {
    return async (req) => this.send(this.agentFor(trust), req);
  }

  async close(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map((a) => a.close()));
  }

  private agentFor(trust: TlsTrust): Agent {
    const ca = trust.caPem ?? (trust.caPemPath !== undefined ? this.caFromPath(trust.caPemPath) : undefined);
    const key = ca ?? '';
    let agent = this.agents.get(key);
    if (!agent) {
      // Extra CAs are added to Node's defaults, not substituted, so a tenant that names the
      // emulator's CA still reaches public hosts with publicly trusted certificates.
      agent = new Agent({ keepAliveTimeout: 30_000, ...(ca ? { connect: { ca: [...tlsRootCertificates(), ca] } } : {}) });
      this.agents.set(key, agent);
    }
    return agent;
  }

  /** Read once, when the first connection needs it: the emulator may write the file after we start. */
  private caFromPath(path: string): string {
    let ca = this.caFiles.get(path);
    if (ca === undefined) {
      ca = readCa(path);
      this.caFiles.set(path, ca);
    }
    return ca;
  }

  private async send(agent: Agent, req: WireRequest): Promise<WireResponse> {
    const timeout = req.timeoutMs ?? this.defaultTimeoutMs;
    try {
      const res = await agent.request({
        origin: new URL(req.url).origin,
        path: pathOf(req.url),
        method: req.method as 'GET',
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const text = await res.body.text();
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      }
      return { status: res.statusCode, headers, text };
    } catch (e) {
      throw networkError(e, req);
    }
  }
}

function pathOf(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

function tlsRootCertificates(): readonly string[] {
  return rootCertificates;
}

function readCa(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new AppError({
      code: 'network_error', param: 'caPemPath', value: path,
      message: `The CA certificate ${path} cannot be read, so its hosts cannot be trusted.`,
      fix: 'Start the emulator once (it writes its certificate there), or correct caPemPath.',
    });
  }
}

const tlsTrustCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/** Connection failures are transient: network_error, or m365_timeout when nothing came back in time. */
export function networkError(e: unknown, req: Pick<WireRequest, 'method' | 'url'>): AppError {
  if (e instanceof AppError) return e;
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? 'UNKNOWN';
  const host = safeHost(req.url);
  if (tlsTrustCodes.has(code)) {
    // Retrying cannot fix an untrusted certificate: it is configuration, so not transient.
    return new AppError({
      code: 'invalid_parameter', param: 'caPem', value: host,
      message: `The TLS certificate of ${host} is not trusted (${code}).`,
      fix: "Give the tenant the host's CA certificate (caPem or caPemPath; for the emulator, its emulator-cert.pem), or correct the base URL.",
      cause: e, details: { networkCode: code, host },
    });
  }
  if (timeoutCodes.has(code)) {
    return new AppError({ code: 'm365_timeout', message: `${req.method} to ${host} timed out (${code}).`, cause: e, details: { networkCode: code, host } });
  }
  return new AppError({
    code: 'network_error',
    message: `${req.method} to ${host} failed before an answer arrived: ${err.cause?.message ?? err.message ?? code} (${code}).`,
    cause: e,
    details: { networkCode: code, host },
  });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}
