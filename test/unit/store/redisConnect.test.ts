import { describe, expect, it } from 'vitest';
import { clusterSeeds, isClusterUrl } from '../../../server/store/redis/connect.ts';

describe('REDIS_URL for a Redis Cluster', () => {
  it('tells a cluster URL from a plain one', () => {
    expect(isClusterUrl('redis+cluster://10.0.0.5:7000')).toBe(true);
    expect(isClusterUrl('rediss+cluster://user:pw@redis.example.org:7000')).toBe(true);
    expect(isClusterUrl('redis://10.0.0.5:6379')).toBe(false);
    expect(isClusterUrl('not a url')).toBe(false);
  });

  it('seeds the cluster with the host and every ?seeds= node', () => {
    expect(clusterSeeds('redis+cluster://10.0.0.5:7000?seeds=10.0.0.6:7001,10.0.0.7:7002')).toEqual([
      { host: '10.0.0.5', port: 7000 },
      { host: '10.0.0.6', port: 7001 },
      { host: '10.0.0.7', port: 7002 },
    ]);
    expect(clusterSeeds('redis+cluster://redis.example.org')).toEqual([
      { host: 'redis.example.org', port: 6379 },
    ]);
  });

  it('refuses a seed with a bad port', () => {
    expect(() => clusterSeeds('redis+cluster://10.0.0.5:7000?seeds=10.0.0.6:99999')).toThrow(
      /Invalid cluster seed/,
    );
  });
});
