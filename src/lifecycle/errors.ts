// Errors the lifecycle model raises for a client's mistake. They carry Graph's status and code
// (the LCW API answers in Graph's error shape), and a message that says what to change.

export class LcwError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'LcwError';
    this.status = status;
    this.code = code;
  }
}

export const lcwErrors = {
  invalid: (message: string) => new LcwError(400, 'invalidRequest', message),
  notFound: (what: string, id: string) => new LcwError(404, 'ResourceNotFound', `The ${what} '${id}' does not exist or is not available in this tenant.`),
  limit: (message: string) => new LcwError(400, 'invalidRequest', message),
  forbidden: (message: string) => new LcwError(403, 'Authorization_RequestDenied', message),
  methodNotAllowed: (method: string, path: string) => new LcwError(405, 'Request_BadRequest', `The method ${method} is not allowed on '${path}'.`),
  noRoute: (path: string) => new LcwError(400, 'BadRequest', `Resource not found for the segment '${path}'.`),
};

export function isLcwError(e: unknown): e is LcwError {
  return e instanceof LcwError;
}
