// MSAL's network module on our transport, so token requests use the tenant's TLS trust (the
// emulator's CA) and go through the same Send that tests can wrap. MSAL itself stays unmodified.
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { AppError } from '../core/errors.ts';
import type { Send, WireResponse } from './http-transport.ts';

export class MsalNetworkClient implements INetworkModule {
  private readonly send: Send;
  /**
   * MSAL replaces anything a network module throws with a bare "network_error"; the token provider
   * reads the real failure from here to say what went wrong.
   */
  lastFailure: AppError | undefined;

  constructor(send: Send) {
    this.send = send;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.call<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.call<T>('POST', url, options);
  }

  private async call<T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions | undefined, timeout?: number): Promise<NetworkResponse<T>> {
    let res: WireResponse;
    try {
      res = await this.send({
        method, url,
        headers: { ...(options?.headers ?? {}) },
        ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
        ...(timeout ? { timeoutMs: timeout } : {}),
      });
    } catch (e) {
      this.lastFailure = e instanceof AppError ? e : undefined;
      throw e;
    }
    let body: T;
    try {
      body = (res.text ? JSON.parse(res.text) : {}) as T;
    } catch {
      this.lastFailure = new AppError({
        code: 'm365_auth_failed',
        message: `The identity endpoint ${new URL(url).host} answered ${res.status} with a body that is not JSON.`,
        fix: "Check the tenant's loginBaseUrl: it must point at Entra ID (or the emulator).",
        details: { status: res.status },
      });
      throw this.lastFailure;
    }
    return { status: res.status, headers: res.headers, body };
  }
}
