// Issues and verifies the emulator's access tokens: RS256 JWTs shaped like Entra's v1 app tokens
// (aud, iss, tid, appid, roles, idtyp). Verification is cached per token string because every
// request carries one and the read benchmark must not be bound by RSA.
import { createPrivateKey, createPublicKey, createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, exportJWK, type JWK } from 'jose';
import { stableId } from '../../core/ids.ts';

export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
export const EXCHANGE_AUDIENCE = 'https://outlook.office365.com';

export interface AccessClaims {
  aud: string;
  iss: string;
  tid: string;
  appid: string;
  roles: string[];
  /** Delegated scopes (GDAP partner tokens). */
  scp?: string;
  upn?: string;
  idtyp: 'app' | 'user';
  oid: string;
  exp: number;
  iat: number;
}

export class TokenService {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  readonly kid: string;
  private readonly cache = new Map<string, AccessClaims>();
  lifetimeSeconds = 3599;

  constructor(keyPem: string, certPem: string) {
    this.privateKey = createPrivateKey(keyPem);
    this.publicKey = createPublicKey(keyPem);
    this.kid = createHash('sha1').update(new X509Certificate(certPem).raw).digest('base64url');
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    const jwk = await exportJWK(this.publicKey);
    return { keys: [{ ...jwk, kid: this.kid, use: 'sig', alg: 'RS256', kty: 'RSA' }] };
  }

  async issue(input: { tenantId: string; appId: string; audience: string; roles: string[]; scp?: string; upn?: string }, nowMs: number): Promise<{ token: string; expiresIn: number }> {
    const iat = Math.floor(nowMs / 1000);
    const claims: Record<string, unknown> = {
      aud: input.audience,
      iss: `https://sts.windows.net/${input.tenantId}/`,
      tid: input.tenantId,
      appid: input.appId,
      azp: input.appId,
      oid: stableId(`sp:${input.tenantId}:${input.appId}`),
      idtyp: input.upn ? 'user' : 'app',
      ver: '1.0',
    };
    if (input.roles.length) claims.roles = input.roles;
    if (input.scp) claims.scp = input.scp;
    if (input.upn) claims.upn = input.upn;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid, x5t: this.kid })
      .setIssuedAt(iat)
      .setNotBefore(iat - 300)
      .setExpirationTime(iat + this.lifetimeSeconds)
      .sign(this.privateKey);
    return { token, expiresIn: this.lifetimeSeconds };
  }

  /** Verifies signature and expiry. Returns undefined for any bad token. */
  async verify(token: string, nowMs: number): Promise<AccessClaims | undefined> {
    const cached = this.cache.get(token);
    if (cached) return cached.exp * 1000 > nowMs ? cached : undefined;
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { algorithms: ['RS256'], currentDate: new Date(nowMs) });
      const claims: AccessClaims = {
        aud: String(payload.aud),
        iss: String(payload.iss),
        tid: String(payload.tid),
        appid: String(payload.appid),
        roles: Array.isArray(payload.roles) ? (payload.roles as string[]) : [],
        idtyp: payload.idtyp === 'user' ? 'user' : 'app',
        oid: String(payload.oid),
        exp: Number(payload.exp),
        iat: Number(payload.iat),
      };
      if (typeof payload.scp === 'string') claims.scp = payload.scp;
      if (typeof payload.upn === 'string') claims.upn = payload.upn;
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(token, claims);
      return claims;
    } catch {
      return undefined;
    }
  }
}
