// The emulator's self-signed certificate, generated on first start and kept in the data dir.
// MSAL accepts only https authorities, so clients trust this PEM (NODE_EXTRA_CA_CERTS or a CA
// option). The same RSA key signs the emulator's access tokens.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface EmulatorKeyMaterial {
  certPem: string;
  keyPem: string;
  certPath: string;
  keyPath: string;
  generated: boolean;
}

export async function loadOrCreateCertificate(dataDir: string): Promise<EmulatorKeyMaterial> {
  mkdirSync(dataDir, { recursive: true });
  const certPath = join(dataDir, 'emulator-cert.pem');
  const keyPath = join(dataDir, 'emulator-key.pem');
  if (existsSync(certPath) && existsSync(keyPath)) {
    return { certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8'), certPath, keyPath, generated: false };
  }
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: 'Tenantflow M365 emulator' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 86_400_000),
    notAfterDate: new Date(now.getTime() + 5 * 365 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 2, value: 'login.emulator.local' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  writeFileSync(certPath, pems.cert);
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  return { certPem: pems.cert, keyPem: pems.private, certPath, keyPath, generated: true };
}
