/**
 * Podium as a fan-out target: seeds a fresh benchmark competition into the shared Redis, starts
 * `servers` real server processes (server/main.ts) on it, and signs the judges in over HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../test/support/redis-server.ts';
import {
  BENCH_CRITERION,
  BENCH_EVENT,
  BENCH_ROUND,
  seedCompetition,
  signInJudges,
} from '../lib/podium-seed.ts';
import { repoRoot, spawnNode, waitForPort, type NodeChild } from '../lib/spawn.ts';
import type { RunningTarget, TargetOptions } from './targets.ts';

/** Start Podium server process(es) sharing Redis, with a fresh benchmark competition. */
export async function startPodium(o: TargetOptions): Promise<RunningTarget> {
  const codes = await seedCompetition(o.redisUrl, o.competitionId, o.contestants, o.judges);
  const started = await startPodiumProcesses(o.redisUrl, o.servers);
  return {
    kind: 'podium',
    bases: started.bases,
    competitionId: o.competitionId,
    board: o.board,
    processes: started.processes,
    async judgeSpec() {
      const tokens = await signInJudges(started.bases[0] ?? '', codes);
      return {
        kind: 'socket.io',
        bases: started.bases,
        tokens,
        target: {
          competitionId: o.competitionId,
          eventId: BENCH_EVENT,
          roundId: BENCH_ROUND,
          criterionId: BENCH_CRITERION,
        },
      };
    },
    stop: started.stop,
  };
}

/** `count` server/main.ts processes on one Redis (with the event-loop probe), once they listen. */
export async function startPodiumProcesses(
  redisUrl: string,
  count: number,
): Promise<{ bases: string[]; processes: NodeChild[]; stop(): Promise<void> }> {
  const processes: NodeChild[] = [];
  const bases: string[] = [];
  const dirs: string[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(processes.map((p) => p.stop()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      const dataDir = mkdtempSync(join(tmpdir(), 'podium-bench-'));
      dirs.push(dataDir);
      const server = spawnNode(join(repoRoot, 'server/main.ts'), [], {
        probe: true,
        env: {
          PORT: String(port),
          HOST: '127.0.0.1',
          REDIS_URL: redisUrl,
          LOG_LEVEL: 'warn',
          PODIUM_DATA_DIR: dataDir,
          PODIUM_ADMIN_PASSWORD: 'benchmark-only-password',
        },
      });
      processes.push(server);
      const exited = (): string | null =>
        server.child.exitCode !== null ? `Podium exited at start:\n${server.output()}` : null;
      await waitForPort(port, 60_000, exited);
      bases.push(`http://127.0.0.1:${port}`);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { bases, processes, stop };
}
