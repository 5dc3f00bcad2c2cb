/**
 * The processes a chaos run breaks on purpose: one throwaway redis-server with AOF and several
 * real Podium server processes sharing it. Each keeps its port across restarts, so clients can
 * come back to the same addresses, and a Podium process that dies on its own is restarted and
 * counted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startRedisServer, type RedisServerHandle } from '../../test/support/redis-server.ts';
import { startPodiumChild, type PodiumChild } from './podium-process.ts';

export interface ClusterOptions {
  servers: number;
  /** Redis AOF fsync policy; 'always' is what zero loss needs (docs/STORAGE.md). */
  appendfsync: 'always' | 'everysec' | 'no';
  log: (message: string) => void;
}

const START_ATTEMPTS = 5;

/** Redis servers of unfinished runs, killed if this process exits first (e.g. a test timed out). */
const liveRedis = new Set<RedisServerHandle>();
process.once('exit', () => {
  for (const redis of liveRedis) redis.process.kill('SIGKILL');
});

async function startRedis(options: Parameters<typeof startRedisServer>[0]): Promise<RedisServerHandle> {
  const redis = await startRedisServer(options);
  liveRedis.add(redis);
  redis.process.once('exit', () => liveRedis.delete(redis));
  return redis;
}

interface Slot {
  port: number;
  dataDir: string;
  process: PodiumChild | null;
  /** The start in progress, if any (stop waits for it). */
  launching: Promise<void> | null;
  /** True while we kill it on purpose, so its exit is not counted as a crash. */
  expectingExit: boolean;
}

export class ChaosCluster {
  serverKills = 0;
  redisRestarts = 0;
  /** Podium processes that exited without being killed by us. */
  unexpectedExits = 0;
  private stopped = false;

  private constructor(
    private redis: RedisServerHandle,
    private readonly slots: Slot[],
    private readonly options: ClusterOptions,
  ) {}

  /** Start Redis and `servers` Podium processes; resolves once all listen. */
  static async start(options: ClusterOptions): Promise<ChaosCluster> {
    const redis = await startRedis({ appendfsync: options.appendfsync });
    const slots: Slot[] = [];
    for (let i = 0; i < options.servers; i++) {
      slots.push({
        port: await freePort(),
        dataDir: mkdtempSync(join(tmpdir(), 'podium-chaos-')),
        process: null,
        launching: null,
        expectingExit: false,
      });
    }
    const cluster = new ChaosCluster(redis, slots, options);
    await Promise.all(slots.map((_, i) => cluster.launch(i)));
    return cluster;
  }

  get redisUrl(): string {
    return this.redis.url;
  }

  /** http://127.0.0.1:<port> of every server slot (stable across restarts). */
  get urls(): string[] {
    return this.slots.map((s) => `http://127.0.0.1:${s.port}`);
  }

  /**
   * SIGKILL server `index` and start it again on the same port after `downMs`, in the background
   * (a slow start must not hold back the next fault); `allUp()` waits for it.
   */
  async killServer(index: number, downMs: number): Promise<void> {
    const slot = this.slotAt(index);
    slot.expectingExit = true;
    await slot.process?.stop('SIGKILL');
    slot.process = null;
    slot.expectingExit = false;
    this.serverKills++;
    this.options.log(`chaos: SIGKILLed server ${index} (port ${slot.port}); down for ${downMs} ms`);
    slot.launching = sleep(downMs).then(() => this.spawnInto(slot, index));
    slot.launching
      .then(() => this.options.log(`chaos: server ${index} is back`))
      .catch((err: unknown) => this.options.log(`chaos: server ${index} did not come back: ${String(err)}`))
      .finally(() => {
        slot.launching = null;
      });
  }

  /** Resolve once no server is starting (so killing one never leaves the judges without any). */
  async allUp(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.launching?.catch(() => undefined)));
  }

  /** Stop Redis (SIGKILL or SIGTERM), wait `downMs`, start it on the same folder and port (AOF reload). */
  async restartRedis(signal: 'SIGKILL' | 'SIGTERM', downMs: number): Promise<void> {
    const { dir, port } = this.redis;
    await this.redis.stop(signal);
    this.options.log(`chaos: ${signal} to Redis (port ${port}); down for ${downMs} ms`);
    await sleep(downMs);
    this.redis = await startRedis({ appendfsync: this.options.appendfsync, dir, port });
    this.redisRestarts++;
    this.options.log('chaos: Redis is back (AOF reloaded)');
  }

  /** Stop everything gracefully and remove the temporary folders. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.expectingExit = true;
        await slot.launching?.catch(() => undefined);
        await slot.process?.stop('SIGTERM');
        rmSync(slot.dataDir, { recursive: true, force: true });
      }),
    );
    await this.redis.stop('SIGTERM');
    this.redis.cleanup();
  }

  private slotAt(index: number): Slot {
    const slot = this.slots[index];
    if (slot === undefined) throw new RangeError(`no server ${index}`);
    return slot;
  }

  /** Start the process of a slot and watch for exits we did not cause. */
  private launch(index: number): Promise<void> {
    const slot = this.slotAt(index);
    slot.launching = this.spawnInto(slot, index).finally(() => {
      slot.launching = null;
    });
    return slot.launching;
  }

  /** Start a Podium process for the slot, trying again while it cannot start (e.g. Redis is down). */
  private async spawnInto(slot: Slot, index: number): Promise<void> {
    let started: PodiumChild | undefined;
    for (let attempt = 1; started === undefined; attempt++) {
      try {
        started = await startPodiumChild({
          REDIS_URL: this.redis.url,
          PODIUM_DATA_DIR: slot.dataDir,
          PORT: String(slot.port),
          PODIUM_ADMIN_PASSWORD: 'chaos-admin-password',
        });
      } catch (err) {
        if (this.stopped || attempt >= START_ATTEMPTS) throw err;
        this.options.log(
          `chaos: server ${index} could not start (attempt ${attempt}): ${String(err).slice(0, 600)}`,
        );
        await sleep(500);
      }
    }
    slot.process = started;
    started.child.once('exit', (code, signal) => {
      if (slot.expectingExit || this.stopped || slot.process !== started) return;
      this.unexpectedExits++;
      slot.process = null;
      this.options.log(
        `chaos: server ${index} exited on its own (code ${code}, signal ${signal}); restarting\n` +
          started.output().slice(-2000),
      );
      this.launch(index).catch((err: unknown) => {
        if (!this.stopped) this.options.log(`chaos: restart failed: ${String(err)}`);
      });
    });
  }
}

/** Resolve after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
