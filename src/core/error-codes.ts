// The registry of every Tenantflow error code. docs/errors.md must list exactly these codes;
// test/docs/errors-doc.test.ts fails when the two drift apart.
import type { ErrorClass } from './errors.ts';

export interface ErrorCodeDef {
  status: number;
  errorClass: ErrorClass;
  fix: string;
}

function user(status: number, fix: string): ErrorCodeDef {
  return { status, errorClass: 'user', fix };
}
function transient(status: number, fix: string): ErrorCodeDef {
  return { status, errorClass: 'transient', fix };
}

export const errorCodes = {
  // request shape
  invalid_request: user(400, 'Correct the request body so that it matches the documented schema.'),
  invalid_json: user(400, 'Send a valid JSON body with Content-Type: application/json.'),
  payload_too_large: user(413, 'Send a smaller body; the limit is stated in the message.'),
  invalid_parameter: user(400, 'Correct the parameter value as described in the message.'),
  missing_parameter: user(400, 'Provide a value for the parameter.'),
  unknown_parameter: user(400, 'Remove the parameter or check its spelling against the action schema.'),
  // auth
  unauthenticated: user(401, 'Sign in, or send a valid Bearer token.'),
  invalid_credentials: user(401, 'Check the username and password.'),
  forbidden: user(403, 'Ask an administrator for the role or tenant access this needs.'),
  csrf_failed: user(403, 'Reload the page to get a fresh CSRF token, then retry.'),
  // lookup
  not_found: user(404, 'Check the id or path.'),
  unknown_tenant: user(404, 'Use one of the configured tenants (see `tenantflow tenants`).'),
  unknown_user: user(404, 'Check the user principal name; the closest matches are listed.'),
  unknown_group: user(404, 'Check the group name; the closest matches are listed.'),
  unknown_sku: user(404, 'Use a SKU the tenant has: a friendly name, a partNumber or a skuId.'),
  unknown_action: user(404, 'Use an action id from `tenantflow actions`.'),
  unknown_workflow: user(404, 'Use a workflow id from GET /api/workflows.'),
  // permission and conflict against Microsoft 365
  missing_permission: user(403, 'Grant the named permission to the app registration in the tenant and give admin consent.'),
  conflict: user(409, 'Resolve the conflict described in the message, then retry.'),
  ambiguous_value: user(400, 'Pick one of the listed choices.'),
  no_free_licenses: user(409, 'Buy more licences for the SKU or free one up, then retry.'),
  usage_location_required: user(400, 'Set the user\'s usageLocation (two-letter country code) first.'),
  group_inherited_license: user(409, 'Remove the user from the licensing group instead.'),
  group_not_editable: user(409, 'Change the membership at its source (the dynamic rule or on-premises AD).'),
  user_disabled: user(409, 'Enable the account first, or choose another user.'),
  synced_object: user(409, 'Make the change in on-premises Active Directory; it syncs to the cloud.'),
  mailbox_not_found: user(404, 'The user has no mailbox; assign a licence that includes Exchange Online first.'),
  irreversible: user(409, 'This action cannot be undone; the reason is in the message.'),
  invalid_state: user(409, 'The object is not in a state that allows this; its current state is in the message.'),
  // Microsoft 365 upstream
  m365_bad_request: user(400, 'Microsoft 365 refused the request; correct the value named in the message.'),
  m365_not_found: user(404, 'The object no longer exists in the tenant; refresh and retry.'),
  m365_throttled: transient(429, 'Microsoft 365 throttled the call; it is retried after Retry-After.'),
  m365_unavailable: transient(503, 'Microsoft 365 is temporarily unavailable; it is retried with backoff.'),
  m365_timeout: transient(504, 'The call to Microsoft 365 timed out; it is retried with backoff.'),
  m365_auth_failed: user(401, 'Check the tenant\'s app credentials (client id, secret or certificate).'),
  network_error: transient(503, 'The connection failed; it is retried with backoff.'),
  step_timeout: transient(504, 'The step ran longer than its timeout; raise timeoutSeconds or retry.'),
  // catch-all
  internal_error: { status: 500, errorClass: 'internal', fix: 'This is a bug in Tenantflow. Report it with the request id.' },
} as const satisfies Record<string, ErrorCodeDef>;

export type ErrorCode = keyof typeof errorCodes;
export const allErrorCodes = Object.keys(errorCodes) as ErrorCode[];
