// Authenticated encryption for secrets at rest (generated passwords, passes, step scratch):
// AES-256-GCM with a random IV per value. The key comes from TENANTFLOW_SECRET_KEY (shared by every
// process of a deployment) or, embedded, from a key file in the data dir.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class SecretBox {
  private readonly key: Buffer;
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('The secret key must be 32 bytes (64 hex characters or 44 base64 characters).');
    this.key = key;
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `v1.${iv.toString('base64url')}.${c.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
  }

  open(sealed: string): string {
    const [v, iv, tag, body] = sealed.split('.');
    if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('Not a sealed value.');
    const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
  }
}

export function parseKey(text: string): Buffer {
  const t = text.trim();
  return /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
}

/** TENANTFLOW_SECRET_KEY, else `${dataDir}/secret.key` (created on first use, mode 600). */
export function loadSecretBox(dataDir: string, env: string | undefined = process.env.TENANTFLOW_SECRET_KEY): SecretBox {
  if (env) return new SecretBox(parseKey(env));
  const path = join(dataDir, 'secret.key');
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return new SecretBox(parseKey(readFileSync(path, 'utf8')));
}
