/** The process logger (pino). Secrets — tokens, judge codes, passwords, auth headers — are redacted. */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The secret fields, by name. Not `code`: that is also `err.code` (ECONNREFUSED, EADDRINUSE), which
 * an operator needs to read; judges' access codes are never logged, and would be `accessCode`.
 */
const REDACT = [
  'token',
  'password',
  'authorization',
  'accessCode',
  '*.token',
  '*.password',
  '*.authorization',
  '*.accessCode',
  'req.headers.authorization',
  'req.headers.cookie',
  'auth.token',
  'handshake.auth',
];

/** A JSON logger at `level` that never prints a secret. */
export function createLogger(level: string = 'info', destination?: DestinationStream): Logger {
  const options = { level, base: { app: 'podium' }, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination === undefined ? pino(options) : pino(options, destination);
}
