// Every answer of the lifecycle Graph API that is an error has Graph's shape:
// {"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}. Tenantflow
// errors (authentication, tenant scope, upstream Microsoft 365) are mapped onto Graph's codes.
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { isLcwError, LcwError } from '../../lifecycle/errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    graphRequestId?: string;
  }
}

/** The request-id of this request (one per request, echoed in headers and errors). */
export function requestIdOf(req: FastifyRequest): string {
  req.graphRequestId ??= randomUUID();
  return req.graphRequestId;
}

export function graphHeaders(req: FastifyRequest, reply: FastifyReply): void {
  reply.header('request-id', requestIdOf(req));
  const client = req.headers['client-request-id'];
  reply.header('client-request-id', typeof client === 'string' && client ? client : requestIdOf(req));
}

function toLcwError(err: unknown): { e: LcwError; internal: boolean } {
  if (isLcwError(err)) return { e: err, internal: false };
  if (isAppError(err)) {
    switch (err.status) {
      case 401: return { e: new LcwError(401, 'InvalidAuthenticationToken', err.message), internal: false };
      case 403: return { e: new LcwError(403, 'Authorization_RequestDenied', err.message), internal: false };
      case 404: return { e: new LcwError(404, 'ResourceNotFound', err.message), internal: false };
      case 409: return { e: new LcwError(409, 'Conflict', err.message), internal: false };
      case 429: return { e: new LcwError(429, 'TooManyRequests', err.message), internal: false };
      default:
        if (err.status >= 400 && err.status < 500) return { e: new LcwError(err.status, 'BadRequest', err.message), internal: false };
        return { e: new LcwError(err.status >= 500 ? err.status : 500, err.errorClass === 'transient' ? 'serviceNotAvailable' : 'generalException', err.message), internal: err.errorClass === 'internal' };
    }
  }
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && code.startsWith('FST_')) {
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { e: new LcwError(413, 'RequestEntityTooLarge', 'The request body is larger than 1 MB.'), internal: false };
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { e: new LcwError(415, 'UnsupportedMediaType', 'Send the body as application/json.'), internal: false };
    return { e: new LcwError(400, 'BadRequest', (err as Error).message), internal: false };
  }
  return { e: new LcwError(500, 'generalException', 'An unexpected error occurred. It was logged with the request id.'), internal: true };
}

/** Graph's innerError.date: UTC, whole seconds, no zone designator. */
function graphDate(d: Date): string {
  return d.toISOString().slice(0, 19);
}

export function sendGraphError(req: FastifyRequest, reply: FastifyReply, err: unknown, log: Logger): FastifyReply {
  const { e, internal } = toLcwError(err);
  if (internal) log.error({ err, url: req.url, requestId: requestIdOf(req) }, 'lifecycle API internal error');
  graphHeaders(req, reply);
  const client = req.headers['client-request-id'];
  return reply.code(e.status).header('content-type', 'application/json; charset=utf-8').send({
    error: {
      code: e.code,
      message: e.message,
      innerError: { date: graphDate(new Date()), 'request-id': requestIdOf(req), 'client-request-id': typeof client === 'string' && client ? client : requestIdOf(req) },
    },
  });
}
