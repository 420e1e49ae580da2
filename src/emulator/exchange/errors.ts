// Exchange's adminapi error shape. Callers read error.details[0].message or
// error.innererror.internalexception.message, as the EXO v3 module does.

export class ExchangeError extends Error {
  readonly status: number;
  readonly exceptionType: string;
  readonly errorId: string;
  readonly headers: Record<string, string>;
  constructor(status: number, exceptionType: string, errorId: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.exceptionType = exceptionType;
    this.errorId = errorId;
    this.headers = headers;
  }
}

export function exchangeErrorBody(e: ExchangeError): unknown {
  const full = `|${e.exceptionType}|${e.message}`;
  return {
    error: {
      code: e.status === 400 ? 'BadRequest' : e.status === 404 ? 'NotFound' : e.status === 403 ? 'Forbidden' : e.status === 429 ? 'TooManyRequests' : e.status === 401 ? 'Unauthorized' : 'InternalServerError',
      message: e.status >= 500 ? 'An internal server error occurred. The operation failed.' : full,
      details: [{ code: e.errorId, target: '', message: full }],
      innererror: {
        message: full,
        type: 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException',
        internalexception: { message: e.message, type: e.exceptionType },
      },
    },
  };
}

const BINDING = 'Microsoft.Exchange.Management.Tasks.ParameterBindingException';
const NOT_FOUND = 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException';
const BAD_INPUT = 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException';

export const exchangeErrors = {
  notFound: (identity: string, tenantDomain: string) =>
    new ExchangeError(404, NOT_FOUND, 'Ex6F9304',
      `The operation couldn't be performed because object '${identity}' couldn't be found on '${tenantDomain}'.`),
  /** A recipient named in a parameter (Member, User, Trustee, ForwardingAddress …) that doesn't exist. */
  recipientNotFound: (ref: string) =>
    new ExchangeError(404, NOT_FOUND, 'Ex6F9304',
      `Couldn't find object "${ref}". Please make sure that it was spelled correctly or specify a different object.`),
  ambiguous: (identity: string) =>
    new ExchangeError(400, 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException', 'Ex0A2E62',
      `The operation couldn't be performed because '${identity}' matches multiple entries.`),
  badParameter: (message: string) => new ExchangeError(400, BINDING, 'Ex2C4E35', message),
  unknownParameter: (name: string) => new ExchangeError(400, BINDING, 'Ex2C4E35', `A parameter cannot be found that matches parameter name '${name}'.`),
  missingParameters: (names: string[]) =>
    new ExchangeError(400, BINDING, 'Ex2C4E35', `Cannot process command because of one or more missing mandatory parameters: ${names.join(' ')}.`),
  conversion: (name: string, value: unknown, type: string, detail = '') =>
    new ExchangeError(400, BINDING, 'Ex2C4E35',
      `Cannot process argument transformation on parameter '${name}'. Cannot convert value "${display(value)}" to type "${type}".${detail ? ` Error: "${detail}"` : ''}`),
  badEnum: (name: string, value: unknown, type: string, allowed: readonly string[]) =>
    new ExchangeError(400, BINDING, 'Ex2C4E35',
      `Cannot bind parameter '${name}'. Cannot convert value "${display(value)}" to type "${type}". Error: "Unable to match the identifier name ${display(value)} to a valid enumerator name. Specify one of the following enumerator names and try again: ${allowed.join(', ')}"`),
  invalidOperation: (message: string, exceptionType = 'Microsoft.Exchange.Configuration.Tasks.TaskInvalidOperationException', errorId = 'ExA4B5D1') =>
    new ExchangeError(400, exceptionType, errorId, message),
  badInput: (message: string) => new ExchangeError(400, BAD_INPUT, 'ExBadInput', message),
  unknownCmdlet: (name: string) =>
    new ExchangeError(400, 'System.Management.Automation.CommandNotFoundException', 'ExB1A5D5',
      `The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program.`),
  unauthorized: (reason: string) => new ExchangeError(401, 'System.UnauthorizedAccessException', 'Ex3F0F2B', reason),
  denied: () =>
    new ExchangeError(403, 'Microsoft.Exchange.Configuration.Tasks.AccessDeniedException', 'Ex9A0B4B',
      "The user or app doesn't have the Exchange.ManageAsApp permission or an Exchange role that allows this cmdlet."),
  throttled: (retryAfterSeconds: number, message = 'The request was throttled. Retry after the time given in Retry-After.') =>
    new ExchangeError(429, 'Microsoft.Exchange.Data.Storage.TooManyObjectsOpenedException', 'ExE0B8C1', message, { 'Retry-After': String(retryAfterSeconds) }),
  unavailable: (retryAfterSeconds?: number) =>
    new ExchangeError(503, 'Microsoft.Exchange.Data.Directory.ADTransientException', 'Ex5E7A86',
      'The service is temporarily unavailable.', retryAfterSeconds ? { 'Retry-After': String(retryAfterSeconds) } : {}),
  timeout: () => new ExchangeError(504, 'System.TimeoutException', 'Ex8C3D1E', 'The operation timed out.'),
  internal: () => new ExchangeError(500, 'System.InvalidOperationException', 'Ex5C3A1F', 'An internal server error occurred.'),
};

function display(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
