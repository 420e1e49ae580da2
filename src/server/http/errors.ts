// Every error leaves the API as {error: {code, message, fix, param?, value?}} with the code's
// status; nothing a client sends can produce a 500.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, toAppError } from '../../core/errors.ts';
import { maskSecrets } from '../../core/secrets.ts';
import type { Logger } from '../../core/logger.ts';

export function errorHandler(log: Logger) {
  return (err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => {
    let e: AppError;
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({ path: (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.'), message: v.message ?? 'invalid' }));
      const first = issues[0];
      e = new AppError({
        code: 'invalid_request',
        message: `Invalid request${first ? `: ${first.path || 'body'}: ${first.message}` : ''}.`,
        fix: 'Correct the listed fields; see /docs for the schema.',
        ...(first?.path ? { param: first.path } : {}),
        details: { issues },
      });
    } else if ('code' in err && typeof err.code === 'string' && err.code.startsWith('FST_')) {
      const code = err.code;
      e = code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err instanceof SyntaxError
        ? new AppError({ code: 'invalid_json', message: 'The body is not valid JSON.' })
        : code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? new AppError({ code: 'payload_too_large', message: 'The body is larger than 1 MB.' })
          : code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? new AppError({ code: 'invalid_request', message: 'Unsupported content type.', fix: 'Send JSON with Content-Type: application/json.' })
            : new AppError({ code: 'invalid_request', message: err.message });
    } else {
      e = toAppError(err);
    }
    if (e.errorClass === 'internal') log.error({ err, url: req.url, reqId: req.id }, 'internal error');
    return reply.code(e.status).send({ error: maskSecrets(e.toJSON()) });
  };
}
