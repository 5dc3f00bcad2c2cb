/**
 * The board feed across nodes: a dedicated subscriber connection receives the change messages
 * COMMIT_LUA publishes (server/store/redis/changes.ts). Redis delivers them in commit order, but
 * pub/sub is at-most-once: after a reconnect the broadcaster is asked to re-check its boards.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { CHANGES_PATTERN, competitionOfChannel, decodeChangeMessage } from '../store/redis/changes.ts';
import { CompetitionKeys } from '../store/redis/keys.ts';
import type { BoardFeed, BoardFeedHandlers } from './boardFeed.ts';

export class RedisBoardFeed implements BoardFeed {
  /** `redis` is duplicated for the subscription and used as-is for version reads. */
  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {}

  /** Subscribe to every competition's change channel; returns the function that unsubscribes. */
  start(handlers: BoardFeedHandlers): () => void {
    // Named so operators (and tests) can tell this node's feed apart in CLIENT LIST. We subscribe
    // on every 'ready' ourselves, so we know when a resubscription is in place before re-checking.
    const subscriber = this.redis.duplicate({
      connectionName: `podium:changes:${process.pid}`,
      autoResubscribe: false,
    });
    let subscribedBefore = false;
    subscriber.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'redis change feed error'));
    subscriber.on('ready', () => {
      subscriber.psubscribe(CHANGES_PATTERN).then(
        () => {
          // What was published while we were away is lost: the broadcaster re-checks its boards.
          if (subscribedBefore) handlers.resync();
          subscribedBefore = true;
        },
        (err: unknown) => this.logger.error({ err }, 'cannot subscribe to board changes'),
      );
    });
    subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
      const competitionId = competitionOfChannel(channel);
      if (competitionId === null) return;
      let deltas;
      try {
        deltas = decodeChangeMessage(competitionId, message);
      } catch (err) {
        this.logger.error({ err, competitionId }, 'unreadable change message');
        handlers.resync();
        return;
      }
      for (const delta of deltas) handlers.delta(delta);
    });
    return () => subscriber.disconnect();
  }

  /** The board's version as the store has it now. */
  async currentVersion(competitionId: string, board: string): Promise<number> {
    const version = await this.redis.hget(new CompetitionKeys(competitionId).versions, `board:${board}`);
    return Number(version ?? 0);
  }
}
