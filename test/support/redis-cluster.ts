/**
 * A throwaway Redis Cluster for tests: `masters` redis-server processes with cluster mode on, on
 * free loopback ports in temporary folders, joined with `redis-cli --cluster create` (no replicas),
 * resolved once every node reports cluster_state:ok.
 */
import { spawnSync } from 'node:child_process';
import { startRedisServer, type RedisServerHandle } from './redis-server.ts';

export interface RedisClusterHandle {
  nodes: RedisServerHandle[];
  /** host:port of every master, the form REDIS_CLUSTER_NODES takes. */
  addresses: string[];
  stop(): Promise<void>;
}

/** Start and join a cluster of `masters` (at least 3, as redis-cli requires). */
export async function startRedisCluster(masters = 3): Promise<RedisClusterHandle> {
  const nodes: RedisServerHandle[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()));
    for (const n of nodes) n.cleanup();
  };
  try {
    for (let i = 0; i < masters; i++) {
      nodes.push(
        await startRedisServer({
          extraArgs: ['--cluster-enabled', 'yes', '--cluster-node-timeout', '3000'],
        }),
      );
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (create.status !== 0)
      throw new Error(`redis-cli --cluster create failed:\n${create.stdout}${create.stderr}`);
    await waitForClusterOk(nodes);
    return { nodes, addresses, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function waitForClusterOk(nodes: RedisServerHandle[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ok = nodes.every((n) => {
      const info = spawnSync('redis-cli', ['-p', String(n.port), 'cluster', 'info'], { encoding: 'utf8' });
      return /cluster_state:ok/.test(info.stdout ?? '');
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('Redis Cluster did not reach cluster_state:ok within 30 s');
}
