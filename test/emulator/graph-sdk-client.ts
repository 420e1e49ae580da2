// Microsoft's Graph SDK pointed at the emulator's HTTPS listener. The SDK attaches the bearer token
// only for https URLs on Graph hosts or `customHosts`, so the client trusts the emulator's
// self-signed certificate through an undici dispatcher.
import { Client } from '@microsoft/microsoft-graph-client';
import { Agent } from 'undici';
import type { Harness } from './harness.ts';

export function graphSdkClient(h: Harness, opts: { version?: 'v1.0' | 'beta'; token?: () => Promise<string> } = {}): { client: Client; close(): Promise<void> } {
  const agent = new Agent({ connect: { ca: h.emu.caPem } });
  const token = opts.token ?? (() => h.token());
  const client = Client.init({
    authProvider: (done) => {
      token().then((t) => done(null, t), (e: unknown) => done(e as Error, null));
    },
    baseUrl: h.emu.httpsUrl,
    defaultVersion: opts.version ?? 'v1.0',
    customHosts: new Set([new URL(h.emu.httpsUrl).hostname]),
    fetchOptions: { dispatcher: agent } as RequestInit,
  });
  return { client, close: () => agent.close() };
}
