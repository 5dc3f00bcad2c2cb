/**
 * The servers a fan-out run measures, each started as its own process(es) so its CPU and memory
 * can be read from /proc: the limit (plain `ws`, coalesced like Podium, one pre-built frame per
 * window), the bare `ws` baseline (one frame per mark), the naive Socket.IO baseline, and Podium.
 */
import { freePort } from '../../../test/support/redis-server.ts';
import { spawnNode, type NodeChild } from '../lib/spawn.ts';
import { startPodium } from './podium.ts';
import type { JudgeSpec } from './submitters.ts';

export type TargetKind = 'podium' | 'limit' | 'bare' | 'naive';

/** Podium's maximum coalescing window, which the limit baseline copies (PODIUM_COALESCE_MS). */
export function coalesceMs(): number {
  return Number(process.env.PODIUM_COALESCE_MS ?? 100);
}

export interface TargetOptions {
  /** Unique per run, so runs never see each other's data. */
  competitionId: string;
  board: string;
  contestants: number;
  judges: number;
  redisUrl: string;
  /** Podium processes (cluster runs); the baselines always run one. */
  servers: number;
}

export interface RunningTarget {
  kind: TargetKind;
  bases: string[];
  competitionId: string;
  board: string;
  /** The measured server processes (event-loop probe over IPC, CPU and memory from /proc). */
  processes: NodeChild[];
  /**
   * The judges (signed in where the target needs it), for the judge worker to connect after the
   * viewers, so connecting them never competes with the ramp.
   */
  judgeSpec(): Promise<JudgeSpec>;
  stop(): Promise<void>;
}

const HERE = new URL('./', import.meta.url).pathname;

/** Start the servers of `kind` and resolve once they accept connections. */
export async function startTarget(kind: TargetKind, o: TargetOptions): Promise<RunningTarget> {
  if (kind === 'podium') return startPodium(o);
  const port = await freePort();
  const script = {
    limit: `${HERE}limit-ws-server.ts`,
    bare: `${HERE}bare-ws-server.ts`,
    naive: `${HERE}naive-server.ts`,
  }[kind];
  const args = {
    limit: [String(port), o.competitionId, o.board, String(coalesceMs())],
    bare: [String(port), o.competitionId, o.board],
    naive: [String(port), o.redisUrl, o.competitionId, o.board],
  }[kind];
  const server = spawnNode(script, args, { probe: true });
  await server.next('ready', 30_000);
  const base = `http://127.0.0.1:${port}`;
  const tokens = Array.from({ length: o.judges }, (_, j) => `j${j}`);
  return {
    kind,
    bases: [base],
    competitionId: o.competitionId,
    board: o.board,
    processes: [server],
    judgeSpec: () =>
      Promise.resolve(
        kind !== 'naive'
          ? { kind: 'bare', base, judges: o.judges }
          : {
              kind: 'socket.io',
              bases: [base],
              tokens,
              target: { competitionId: o.competitionId, eventId: 'e1', roundId: 'r1', criterionId: 'c1' },
            },
      ),
    stop: () => server.stop(),
  };
}
