// A user's authentication methods as Graph lists them, and the order Microsoft requires when
// removing them: the default (system-preferred) method cannot be deleted while others remain, and
// the mobile phone cannot be deleted while an alternate mobile exists. Graph does not say which
// method is the default, so methods are removed weakest first (the system-preferred method is the
// strongest one registered), and a method refused as "still the default" is retried last.
import type { ActionContext } from '../action.ts';

export interface AuthMethod {
  id: string;
  /** Graph's method kind: phone, microsoftAuthenticator, fido2, password, … */
  type: string;
  /** What a person recognises: the phone number, device name or key model. */
  label: string;
}

export const PHONE_MOBILE_ID = '3179e48a-750b-4051-897c-87b9720928f7';
export const PHONE_ALT_MOBILE_ID = 'b6332ec1-7057-4abe-9331-3d72feddfe41';

/** Removal order, weakest first: the system-preferred default is the strongest, so it comes last. */
const STRENGTH: Record<string, number> = {
  email: 0, phone: 1, softwareOath: 2, temporaryAccessPass: 3, microsoftAuthenticator: 4,
  qrCodePin: 5, platformCredential: 6, windowsHelloForBusiness: 7, fido2: 8,
};

export function methodType(odataType: unknown): string {
  const m = /^#?microsoft\.graph\.(\w+?)AuthenticationMethod$/.exec(String(odataType ?? ''));
  return m ? m[1]! : 'unknown';
}

function labelOf(type: string, raw: Record<string, unknown>): string {
  const pick = (k: string) => (typeof raw[k] === 'string' && raw[k] ? String(raw[k]) : undefined);
  switch (type) {
    case 'phone': return `${pick('phoneType') ?? 'phone'} ${pick('phoneNumber') ?? ''}`.trim();
    case 'email': return pick('emailAddress') ?? 'email';
    case 'fido2': return pick('model') ?? pick('displayName') ?? 'security key';
    case 'temporaryAccessPass': return 'temporary access pass';
    default: return pick('displayName') ?? type;
  }
}

export async function listAuthMethods(ctx: ActionContext, userId: string): Promise<AuthMethod[]> {
  const raw = await ctx.graph.list<Record<string, unknown>>(`/users/${userId}/authentication/methods`);
  return raw.map((m) => {
    const type = methodType(m['@odata.type']);
    return { id: String(m.id), type, label: labelOf(type, m) };
  });
}

/** The path that deletes one method (Graph has one collection per kind). */
export function deletePath(userId: string, m: AuthMethod): string {
  if (m.type === 'qrCodePin') return `/users/${userId}/authentication/qrCodePinMethod`;
  return `/users/${userId}/authentication/${m.type}Methods/${m.id}`;
}

/** The second factors in a removal order Microsoft accepts; the password is not one of them. */
export function removalOrder(methods: readonly AuthMethod[]): AuthMethod[] {
  const rank = (m: AuthMethod) => {
    if (m.type !== 'phone') return (STRENGTH[m.type] ?? 5) * 10;
    // alternateMobile before mobile; the office phone is independent of both.
    return STRENGTH.phone! * 10 + (m.id === PHONE_ALT_MOBILE_ID ? 0 : m.id === PHONE_MOBILE_ID ? 2 : 1);
  };
  return methods.filter((m) => m.type !== 'password').sort((a, b) => rank(a) - rank(b));
}
