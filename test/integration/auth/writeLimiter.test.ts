/** The per-actor write limit: exact on one node, shared across nodes through Redis after a flush. */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { WriteLimiter } from '../../../server/auth/writeLimiter.ts';

describe('WriteLimiter', () => {
  const redis = new Redis(inject('redisUrl'));
  afterAll(async () => {
    await redis.quit();
  });

  it('allows the limit per one-second window, per actor, and says when the next window starts', () => {
    let now = 10_000;
    const limiter = new WriteLimiter(undefined, 'unused', 3, () => now);
    expect([1, 2, 3, 4].map(() => limiter.consume('judge:a'))).toEqual([0, 0, 0, 1000]);
    expect(limiter.consume('judge:b')).toBe(0);
    now = 10_400;
    expect(limiter.consume('judge:a')).toBe(600);
    now = 11_000;
    expect(limiter.consume('judge:a')).toBe(0);
  });

  it("counts an actor's writes on another node once both have flushed to Redis", async () => {
    // A frozen clock keeps the whole test inside one window however slow the machine is.
    const clock = (): number => 50_000;
    const prefix = `test:writes:${randomUUID()}`;
    const nodeA = new WriteLimiter(redis, prefix, 5, clock);
    const nodeB = new WriteLimiter(redis, prefix, 5, clock);
    for (let i = 0; i < 4; i++) expect(nodeA.consume('judge:j1')).toBe(0);
    await sleep(200);
    expect(nodeB.consume('judge:j1')).toBe(0);
    await sleep(200);
    expect(nodeB.consume('judge:j1')).toBeGreaterThan(0);
    expect(nodeB.consume('judge:j2')).toBe(0);
  });
});
