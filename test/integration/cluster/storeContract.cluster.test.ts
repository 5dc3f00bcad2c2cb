/** The store contract against RedisStore on a real three-master Redis Cluster (ioredis Cluster). */
import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import type Redis from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { RedisStore } from '../../../server/store/redis/redisStore.ts';
import { scratchId } from '../../../server/store/types.ts';
import { startRedisCluster, type RedisClusterHandle } from '../../support/redis-cluster.ts';
import { storeContract } from '../store/contract.ts';

let cluster: RedisClusterHandle;
let client: Cluster;

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  client = new Cluster(
    cluster.addresses.map((a) => ({ host: a.split(':')[0], port: Number(a.split(':')[1]) })),
  );
}, 60_000);
afterAll(async () => {
  await client.quit();
  await cluster.stop();
});

storeContract('Redis Cluster', async () => {
  const store = new RedisStore(client as unknown as Redis);
  const competitionId = `t-${randomUUID()}`;
  return {
    store,
    competitionId,
    async dispose() {
      await store.deleteCompetition(competitionId);
      await store.deleteCompetition(scratchId(competitionId));
      await store.close();
    },
  };
});
