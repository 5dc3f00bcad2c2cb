/**
 * RedisStore's change feed: a dedicated subscriber connection receives the change messages
 * COMMIT_LUA publishes (changes.ts). Redis delivers them in commit order, but pub/sub is
 * at-most-once: after a reconnect the subscriber is told to re-check (`resync`).
 */
import type { Redis } from 'ioredis';
import { boardDeltas, type ChangeHandlers } from '../changeFeed.ts';
import type { StoreLogger } from '../format.ts';
import { CHANGES_PATTERN, competitionOfChannel, decodeChangeMessage } from './changes.ts';

/** Subscribe to every competition's change channel; returns the function that unsubscribes. */
export function subscribeToChanges(redis: Redis, handlers: ChangeHandlers, logger: StoreLogger): () => void {
  // Named so operators (and tests) can tell this node's feed apart in CLIENT LIST. We subscribe
  // on every 'ready' ourselves, so we know when a resubscription is in place before re-checking.
  // No command deadline: a subscriber waits for messages, it does not wait for replies.
  const subscriber = redis.duplicate({
    connectionName: `podium:changes:${process.pid}`,
    autoResubscribe: false,
    lazyConnect: false,
    commandTimeout: undefined,
  });
  let subscribedBefore = false;
  // Messages already read from the socket may still be emitted after disconnect(): drop them.
  let stopped = false;
  subscriber.on('error', (err: Error) => logger.warn(`Redis change feed problem: ${err.message}`));
  subscriber.on('ready', () => {
    subscriber.psubscribe(CHANGES_PATTERN).then(
      () => {
        // What was published while we were away is lost: the subscriber re-checks its boards.
        if (subscribedBefore && !stopped) handlers.resync();
        subscribedBefore = true;
      },
      (err: unknown) => logger.warn(`Cannot subscribe to board changes: ${String(err)}`),
    );
  });
  subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
    const competitionId = competitionOfChannel(channel);
    if (stopped || competitionId === null) return;
    let deltas;
    try {
      deltas = boardDeltas(competitionId, decodeChangeMessage(message));
    } catch (err) {
      logger.warn(`Unreadable change message for ${competitionId}: ${String(err)}`);
      handlers.resync();
      return;
    }
    for (const delta of deltas) handlers.delta(delta);
  });
  return () => {
    stopped = true;
    subscriber.disconnect();
  };
}
