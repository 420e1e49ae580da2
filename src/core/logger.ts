import { pino, type Logger } from 'pino';

export type { Logger };

// Redaction is the second line of defence; maskSecrets is applied before anything is logged.
const redact = {
  paths: [
    'password', '*.password', '*.*.password', 'secret', '*.secret', 'clientSecret', '*.clientSecret',
    'token', '*.token', 'accessToken', '*.accessToken', 'refreshToken', '*.refreshToken',
    'temporaryAccessPass', '*.temporaryAccessPass', 'req.headers.authorization', 'req.headers.cookie',
    'headers.authorization', 'headers.cookie',
  ],
  censor: '●●●●●●●●',
};

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info')): Logger {
  return pino({ name, level, redact });
}

export const silentLogger: Logger = pino({ level: 'silent' });
