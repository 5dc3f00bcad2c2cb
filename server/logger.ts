/** The process logger (pino). Secrets — tokens, judge codes, passwords, auth headers — are redacted. */
import { pino, type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'token',
  'code',
  'password',
  'authorization',
  '*.token',
  '*.code',
  '*.password',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'auth.token',
  'handshake.auth',
];

/** A JSON logger at `level` that never prints a secret. */
export function createLogger(level: string = 'info'): Logger {
  return pino({
    level,
    base: { app: 'podium' },
    redact: { paths: REDACT, censor: '[redacted]' },
  });
}
