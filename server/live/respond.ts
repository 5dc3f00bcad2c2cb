/**
 * The one path every socket request takes: validate → (re)authenticate → rate-limit → run →
 * acknowledge. Domain errors travel as their code; anything unexpected is logged and masked as
 * 'internal' so no stack or storage detail reaches a client.
 */
import type { z } from 'zod';
import type { Logger } from '../logger.ts';
import type { Ack, ErrorCode } from '../../shared/events.ts';
import { errorCodes } from '../../shared/events.ts';
import { describeIssues } from '../../shared/model.ts';
import { PodiumError } from '../domain/errors.ts';
import { isRedisOutageError } from '../store/outage.ts';

/** A socket acknowledgement (a no-op when the client sent no callback; see socketGuard.ts). */
export type AckFn = (response: Ack<object>) => void;

/** Parse with a zod schema or throw PodiumError('invalid_payload') naming the fields. */
export function parseOrThrow<S extends z.ZodType>(schema: S, payload: unknown): z.output<S> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new PodiumError('invalid_payload', describeIssues(parsed.error));
  return parsed.data;
}

/** The `{ ok: false }` answer for an error; unexpected errors are logged and masked. */
export function failure(err: unknown, logger: Logger, context: Record<string, unknown>): Ack<object> {
  if (err instanceof PodiumError && (errorCodes as readonly string[]).includes(err.code)) {
    return { ok: false, code: err.code, message: err.message };
  }
  if (isRedisOutageError(err)) {
    logger.warn({ err, ...context }, 'store unreachable');
    return {
      ok: false,
      code: 'unavailable',
      message: 'The score store did not answer: not known to be saved; send it again with the same opId',
    };
  }
  logger.error({ err, ...context }, 'socket request failed');
  return { ok: false, code: 'internal' satisfies ErrorCode, message: 'Something went wrong on the server' };
}

/** Run `work` and acknowledge its result (spread into `{ ok: true }`) or its error. */
export async function respond<T extends object>(
  ack: AckFn,
  logger: Logger,
  context: Record<string, unknown>,
  work: () => Promise<T>,
): Promise<Ack<T>> {
  let response: Ack<T>;
  try {
    response = { ok: true, ...(await work()) };
  } catch (err) {
    response = failure(err, logger, context) as Ack<T>;
  }
  ack(response);
  return response;
}
