/**
 * Vitest global setup: one throwaway redis-server for the whole run, on a free port, so no test
 * touches anybody's data. Tests read its URL with `inject('redisUrl')` and isolate themselves
 * with unique competition ids. Fails (never skips) when redis-server is missing.
 */
import type { TestProject } from 'vitest/node';
import 'vitest';
import { startRedisServer } from './redis-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedisServer();
  project.provide('redisUrl', redis.url);
  return async () => {
    await redis.stop();
    redis.cleanup();
  };
}
