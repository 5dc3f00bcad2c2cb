import type { ErrorCode } from '../../shared/events.ts';

/** The one error type the domain throws; transports turn it into `{ ok: false, code, message }`. */
export class PodiumError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PodiumError';
  }
}
