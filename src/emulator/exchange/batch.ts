// The adminapi $batch: up to 10 InvokeCommand sub-requests, run in order through the same
// pipeline as single calls. As in OData JSON batching, processing stops at the first failed
// sub-request unless the client sends `Prefer: odata.continue-on-error` (the EXO module does).
import { exchangeErrorBody, exchangeErrors, type ExchangeError } from './errors.ts';
import { EXCHANGE_CONTENT_TYPE, type ExchangeInput, type ExchangePipeline, type ExchangeResult } from './pipeline.ts';

export const MAX_BATCH = 10;

interface SubResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export async function runExchangeBatch(pipeline: ExchangePipeline, outer: ExchangeInput): Promise<ExchangeResult> {
  const requests = outer.body !== null && typeof outer.body === 'object' ? (outer.body as Record<string, unknown>).requests : undefined;
  if (!Array.isArray(requests)) return fail(exchangeErrors.badInput("The batch body must be a JSON object with a 'requests' array."));
  if (requests.length === 0) return fail(exchangeErrors.badInput('The batch contains no requests.'));
  if (requests.length > MAX_BATCH) {
    return fail(exchangeErrors.badInput(`The batch contains ${requests.length} requests; a batch can contain at most ${MAX_BATCH}.`));
  }
  const ids = new Set<string>();
  for (const r of requests) {
    const id = r !== null && typeof r === 'object' ? (r as Record<string, unknown>).id : undefined;
    if (typeof id !== 'string' && typeof id !== 'number') return fail(exchangeErrors.badInput("Every batch request needs an 'id'."));
    if (ids.has(String(id))) return fail(exchangeErrors.badInput(`The batch request id '${String(id)}' is used more than once.`));
    ids.add(String(id));
  }
  const continueOnError = /odata\.continue-on-error/i.test(outer.headers.prefer ?? '');
  const responses: SubResponse[] = [];
  for (const raw of requests as Array<Record<string, unknown>>) {
    const id = String(raw.id);
    const sub = toInput(outer, raw);
    const res = 'error' in sub
      ? { status: sub.error.status, body: exchangeErrorBody(sub.error), headers: {} as Record<string, string> }
      : await pipeline.dispatch(sub.input);
    if ('reset' in res && res.reset) return { status: 0, headers: {}, reset: true };
    responses.push({ id, status: res.status, headers: { 'Content-Type': EXCHANGE_CONTENT_TYPE, ...res.headers }, body: res.body });
    if (res.status >= 400 && !continueOnError) break;
  }
  return { status: 200, body: { responses }, headers: {} };
}

function toInput(outer: ExchangeInput, r: Record<string, unknown>): { input: ExchangeInput } | { error: ExchangeError } {
  const method = typeof r.method === 'string' ? r.method.toUpperCase() : '';
  const url = typeof r.url === 'string' ? r.url : '';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (method !== 'POST' || !/(^|\/)InvokeCommand$/i.test(path)) {
    return { error: exchangeErrors.badInput("Batch requests must be 'POST' to '.../InvokeCommand'.") };
  }
  let body = r.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return { error: exchangeErrors.badInput('The batch request body is not valid JSON.') };
    }
  }
  const headers: Record<string, string | undefined> = { ...outer.headers };
  if (r.headers !== null && typeof r.headers === 'object') {
    for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
  }
  const query = Object.fromEntries(new URLSearchParams(q < 0 ? '' : url.slice(q + 1)));
  return { input: { ...outer, body, headers, query, batched: true } };
}

function fail(e: ExchangeError): ExchangeResult {
  return { status: e.status, body: exchangeErrorBody(e), headers: {} };
}
