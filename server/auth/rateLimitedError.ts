/** The error every rate limit throws. */
import { PodiumError } from '../domain/errors.ts';

/** Thrown when a limit is exceeded; transports answer 'rate_limited' (HTTP 429 + Retry-After). */
export class RateLimitedError extends PodiumError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', `too many attempts: try again in ${retryAfterSeconds} s`);
  }
}
