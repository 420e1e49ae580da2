// The retry loop without a network: a scripted Send answers each attempt, so every branch
// (Retry-After, backoff, 401 refresh, read-after-create, limits) is exercised exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../src/core/errors.ts';
import { TestClock } from '../../src/core/clock.ts';
import { GraphClient } from '../../src/m365/graph-client.ts';
import type { Send, WireRequest, WireResponse } from '../../src/m365/http-transport.ts';
import { backoffDelay, parseRetryAfter } from '../../src/m365/retry-policy.ts';
import { defineTenant } from '../../src/m365/tenant-config.ts';
import type { TokenSource } from '../../src/m365/token-provider.ts';
import { instantRetry } from './helpers.ts';

const tenant = defineTenant({
  id: '3f2c1b7a-9d4e-4c1a-8b2f-0a1b2c3d4e5f', domain: 'northwind.onmicrosoft.com', displayName: 'Northwind',
  credentials: { kind: 'clientSecret', clientId: 'app', clientSecret: 'secret' },
});

function scripted(answers: Array<Partial<WireResponse> | Error>): { send: Send; seen: WireRequest[] } {
  const seen: WireRequest[] = [];
  const send: Send = async (req) => {
    seen.push(structuredClone(req));
    const a = answers[Math.min(seen.length - 1, answers.length - 1)]!;
    if (a instanceof Error) throw a;
    return { status: a.status ?? 200, headers: a.headers ?? {}, text: a.text ?? '{}' };
  };
  return { send, seen };
}

function fakeTokens(): TokenSource & { calls: Array<boolean> } {
  const calls: boolean[] = [];
  return {
    calls,
    async getToken(_t, _s, opts) {
      calls.push(opts?.forceRefresh === true);
      return `token-${calls.length}`;
    },
  };
}

const graphError = (code: string, message = 'x') => JSON.stringify({ error: { code, message, innerError: { date: '2025-01-01T00:00:00', 'request-id': 'r', 'client-request-id': 'c' } } });

test('Retry-After is parsed as (fractional) seconds or an HTTP date', () => {
  assert.equal(parseRetryAfter('2.128', 0), 2128);
  assert.equal(parseRetryAfter('10', 0), 10_000);
  assert.equal(parseRetryAfter(new Date(65_000).toUTCString(), 5_000), 60_000);
  assert.equal(parseRetryAfter('soon', 0), undefined);
  assert.equal(parseRetryAfter(undefined, 0), undefined);
});

test('backoff doubles per retry, is capped, and jitters within the upper half of each step', () => {
  const p = { baseDelayMs: 500, maxDelayMs: 4000 };
  assert.equal(backoffDelay(1, { ...p, random: () => 0 }), 250);
  assert.equal(backoffDelay(1, { ...p, random: () => 1 }), 500);
  assert.equal(backoffDelay(3, { ...p, random: () => 1 }), 2000);
  assert.equal(backoffDelay(10, { ...p, random: () => 1 }), 4000);
  assert.equal(backoffDelay(10, { ...p, random: () => 0 }), 2000);
});

test('429 and 503 are retried after exactly their Retry-After, keeping the client-request-id', async () => {
  const { send, seen } = scripted([
    { status: 429, headers: { 'retry-after': '2.128' }, text: graphError('TooManyRequests') },
    { status: 503, headers: { 'retry-after': '1' }, text: graphError('serviceNotAvailable') },
    { status: 200, text: '{"id":"u1"}' },
  ]);
  const { retry, sleeps } = instantRetry();
  const graph = new GraphClient({ tenant, tokens: fakeTokens(), send, retry });
  const user = await graph.get<{ id: string }>('/users/u1', { clientRequestId: 'fixed-id-1' });
  assert.equal(user.id, 'u1');
  assert.deepEqual(sleeps, [2128, 1000]);
  assert.equal(seen.length, 3);
  assert.deepEqual(seen.map((r) => r.headers['client-request-id']), ['fixed-id-1', 'fixed-id-1', 'fixed-id-1']);
  assert.equal(seen[0]!.headers['x-ms-throttle-priority'], 'normal');
  assert.equal(seen[0]!.url, 'https://graph.microsoft.com/v1.0/users/u1');
});

test('without Retry-After, 504 and dropped connections back off exponentially; attempts are bounded', async () => {
  const reset = new AppError({ code: 'network_error', message: 'socket hang up' });
  const { send, seen } = scripted([{ status: 504, text: graphError('UnknownError') }, reset, { status: 504, text: graphError('UnknownError') }]);
  const { retry, sleeps } = instantRetry({ maxAttempts: 4, random: () => 1 });
  const graph = new GraphClient({ tenant, tokens: fakeTokens(), send, retry });
  const err = await graph.get('/users').then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof AppError);
  assert.equal(err.code, 'm365_timeout');
  assert.equal(err.details?.graphCode, 'UnknownError');
  assert.equal(seen.length, 4, 'four attempts in all');
  assert.deepEqual(sleeps, [500, 1000, 2000]);
});

test('a Retry-After beyond the in-process limit ends the call with m365_throttled carrying retryAfterMs', async () => {
  const { send, seen } = scripted([{ status: 429, headers: { 'retry-after': '600' }, text: graphError('TooManyRequests') }]);
  const { retry } = instantRetry();
  const graph = new GraphClient({ tenant, tokens: fakeTokens(), send, retry });
  const err = await graph.patch('/users/u1', { jobTitle: 'x' }).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof AppError);
  assert.equal(err.code, 'm365_throttled');
  assert.equal(err.retryable, true);
  assert.equal(err.retryAfterMs, 600_000);
  assert.equal(seen.length, 1);
});

test('a 401 refreshes the token once; a second 401 is m365_auth_failed', async () => {
  const ok = scripted([{ status: 401, text: graphError('InvalidAuthenticationToken') }, { status: 200, text: '{"id":"u1"}' }]);
  const tokens = fakeTokens();
  const graph = new GraphClient({ tenant, tokens, send: ok.send, retry: instantRetry().retry });
  await graph.get('/users/u1');
  assert.deepEqual(tokens.calls, [false, true]);
  assert.deepEqual(ok.seen.map((r) => r.headers.Authorization), ['Bearer token-1', 'Bearer token-2']);

  const bad = scripted([{ status: 401, text: graphError('InvalidAuthenticationToken') }]);
  const g2 = new GraphClient({ tenant, tokens: fakeTokens(), send: bad.send, retry: instantRetry().retry });
  const err = await g2.get('/users/u1').then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof AppError);
  assert.equal(err.code, 'm365_auth_failed');
  assert.equal(bad.seen.length, 2);
});

test('read-after-create: a 404 is retried on the configured schedule only when asked', async () => {
  const answers = [
    { status: 404, text: graphError('Request_ResourceNotFound') },
    { status: 404, text: graphError('Request_ResourceNotFound') },
    { status: 200, text: '{"id":"new"}' },
  ];
  const a = scripted(answers);
  const { retry, sleeps } = instantRetry({ notFoundDelaysMs: [10, 20, 40] });
  const graph = new GraphClient({ tenant, tokens: fakeTokens(), send: a.send, retry });
  assert.deepEqual(await graph.get('/users/new', { retryNotFound: true }), { id: 'new' });
  assert.deepEqual(sleeps, [10, 20]);

  const b = scripted(answers);
  const plain = new GraphClient({ tenant, tokens: fakeTokens(), send: b.send, retry: instantRetry().retry });
  const err = await plain.get('/users/new').then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof AppError);
  assert.equal(err.code, 'm365_not_found');
  assert.equal(err.details?.graphCode, 'Request_ResourceNotFound');
  assert.equal(b.seen.length, 1);

  const c = scripted([{ status: 404, text: graphError('Request_ResourceNotFound') }]);
  const gc = new GraphClient({ tenant, tokens: fakeTokens(), send: c.send, retry: instantRetry({ notFoundDelaysMs: [1, 2, 4, 8] }).retry });
  await gc.get('/users/never', { retryNotFound: true }).catch(() => undefined);
  assert.equal(c.seen.length, 5, 'the first try and four scheduled retries');
});

test('errors that are the caller\'s (400, 403) are not retried', async () => {
  const a = scripted([{ status: 403, text: graphError('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.') }]);
  const graph = new GraphClient({ tenant, tokens: fakeTokens(), send: a.send, retry: instantRetry().retry });
  const err = await graph.delete('/users/u1').then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof AppError);
  assert.equal(err.code, 'missing_permission');
  assert.equal(a.seen.length, 1);
});

test('nextLinks that leave the tenant\'s Graph host are refused, so the token never leaks', async () => {
  const a = scripted([{ status: 200, text: JSON.stringify({ value: [{ id: 1 }], '@odata.nextLink': 'https://evil.example/v1.0/users?$skiptoken=x' }) }]);
  const graph = new GraphClient({ tenant, tokens: fakeTokens(), send: a.send, retry: instantRetry().retry });
  const err = await graph.list('/users').then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof AppError);
  assert.equal(a.seen.length, 1);
  assert.ok(!a.seen.some((r) => r.url.includes('evil.example')));
});

test('the clock in the policy decides HTTP-date Retry-After waits', async () => {
  const clock = new TestClock('2025-01-01T00:00:00Z');
  const { send } = scripted([{ status: 503, headers: { 'retry-after': new Date(clock.now() + 7000).toUTCString() } }, { status: 204, text: '' }]);
  const { retry, sleeps } = instantRetry({ clock });
  const graph = new GraphClient({ tenant, tokens: fakeTokens(), send, retry });
  await graph.delete('/groups/g1/members/u1/$ref');
  assert.deepEqual(sleeps, [7000]);
});
