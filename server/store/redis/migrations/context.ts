/** What a migration of this store gets to work on (index.ts runs them). */
import type { Redis } from 'ioredis';

/** What a Redis migration works on. */
export interface RedisMigrationContext {
  redis: Redis;
}
