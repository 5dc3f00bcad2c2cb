/**
 * True for the errors ioredis rejects a command with while Redis is unreachable: its retry limit
 * (`maxRetriesPerRequest`) ran out, the connection was closed or refused, or the command got no
 * answer within the store's deadline (`commandTimeout`, server/store/index.ts). Transports answer
 * these with 'unavailable': not known to be saved, send it again with the same opId.
 */
export function isRedisOutageError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'MaxRetriesPerRequestError') return true;
  if (err.message === 'Connection is closed.' || err.message === 'Command timed out') return true;
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT';
}
