/**
 * SCAN over every master. A plain client's SCAN walks its one server; an ioredis Cluster sends
 * SCAN to a single node, which in a Redis Cluster holds only its own slots, so there each master
 * is walked in turn (a competition's op keys share its hash tag and so sit on one of them).
 */
import { Cluster, type Redis } from 'ioredis';

/** Every key matching `pattern`, in batches of up to ~`count`, on every master of `redis`. */
export async function* scanKeys(
  redis: Redis | Cluster,
  pattern: string,
  count = 1000,
): AsyncGenerator<string[]> {
  const servers: Redis[] = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      if (keys.length > 0) yield keys;
      cursor = next;
    } while (cursor !== '0');
  }
}
