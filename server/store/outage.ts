/**
 * True for the errors ioredis rejects a command with while Redis is unreachable: its retry limit
 * (`maxRetriesPerRequest`) ran out, or the connection was closed or refused. Transports answer
 * these with 'unavailable' (retry later) instead of masking them as 'internal'.
 */
export function isRedisOutageError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'MaxRetriesPerRequestError') return true;
  if (err.message === 'Connection is closed.') return true;
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT';
}
