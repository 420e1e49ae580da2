// Graph's error envelope: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.
// Handlers throw GraphError; the pipeline renders it with the request's ids.

export class GraphError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  readonly details: Array<Record<string, unknown>> | undefined;
  readonly innerCode: string | undefined;
  constructor(status: number, code: string, message: string, opts: { headers?: Record<string, string>; details?: Array<Record<string, unknown>>; innerCode?: string } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = opts.headers ?? {};
    this.details = opts.details;
    this.innerCode = opts.innerCode;
  }
}

export function graphErrorBody(e: GraphError, requestId: string, clientRequestId: string, now: number): unknown {
  const innerError: Record<string, unknown> = {
    date: new Date(now).toISOString().slice(0, 19),
    'request-id': requestId,
    'client-request-id': clientRequestId,
  };
  if (e.innerCode) innerError.code = e.innerCode;
  const error: Record<string, unknown> = { code: e.code, message: e.message, innerError };
  if (e.details) error.details = e.details;
  return { error };
}

// Microsoft's codes and messages, in one place so handlers say exactly what Graph says.
export const graphErrors = {
  notFound: (id: string) =>
    new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`),
  badRequest: (message: string) => new GraphError(400, 'Request_BadRequest', message),
  invalidRequest: (message: string) => new GraphError(400, 'BadRequest', message),
  unsupportedQuery: (message = 'Unsupported Query.') => new GraphError(400, 'Request_UnsupportedQuery', message),
  segmentNotFound: (segment: string) => new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  methodNotAllowed: () => new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
  unauthenticated: (message = 'Access token is empty.') => new GraphError(401, 'InvalidAuthenticationToken', message),
  denied: () => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  duplicateMember: () =>
    new GraphError(400, 'Request_BadRequest', "One or more added object references already exist for the following modified properties: 'members'."),
  duplicateValue: (property: string) =>
    new GraphError(400, 'Request_BadRequest', `Another object with the same value for property ${property} already exists.`, {
      details: [{ code: 'ObjectConflict', target: property }],
    }),
  invalidUsageLocation: () =>
    new GraphError(400, 'Request_BadRequest', 'License assignment cannot be done for user with invalid usage location.'),
  noFreeUnits: (skuId: string) =>
    new GraphError(400, 'Request_BadRequest', `Subscription with SKU ${skuId} does not have any available licenses.`),
  groupInheritedRemoval: () =>
    new GraphError(400, 'Request_BadRequest', 'User license is inherited from a group membership and it cannot be removed directly from the user.'),
  payloadTooLarge: () => new GraphError(413, 'Request_EntityTooLarge', 'The request body is too large.'),
  unsupportedMediaType: () => new GraphError(415, 'UnsupportedMediaType', 'The content type is not supported; use application/json.'),
  throttled: (retryAfterSeconds: number) =>
    new GraphError(429, 'TooManyRequests', 'Too many requests.', { innerCode: '429', headers: { 'Retry-After': String(retryAfterSeconds) } }),
  serviceUnavailable: (retryAfterSeconds?: number) =>
    new GraphError(503, 'serviceNotAvailable', 'Service unavailable. Please try again later.', retryAfterSeconds ? { headers: { 'Retry-After': String(retryAfterSeconds) } } : {}),
  gatewayTimeout: () => new GraphError(504, 'UnknownError', 'The request timed out.'),
  internal: () => new GraphError(500, 'generalException', 'An unexpected error occurred.'),
  mailboxNotEnabled: () => new GraphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.'),
};
