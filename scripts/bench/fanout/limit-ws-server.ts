/**
 * Baseline "limit": what Podium's design can at best achieve on this machine. A plain `ws` server
 * that keeps the board in memory, coalesces the marks of one board with Podium's window (leading
 * edge, then FANOUT_SHARE × the last write's duration between MIN_WINDOW_MS and the maximum, the
 * same constants and the same merge as server/live/broadcaster.ts and coalesce.ts), builds ONE
 * WebSocket frame per window and writes it to every subscribed TCP socket in one synchronous loop
 * (no slicing, no per-socket framing, a viewer with more than 512 KB queued is skipped as Podium
 * does). No Redis, no validation, no roles: the difference to Podium is what those cost.
 * The protocol and the board are ws-baseline.ts, shared with the bare baseline.
 * Usage: node --import tsx limit-ws-server.ts <port> <competitionId> <board> [maxWindowMs]
 */
import type { Socket as NetSocket } from 'node:net';
import * as ws from 'ws';
import type { BoardDelta } from '../../../shared/events.ts';
import { LeadingEdgeCoalescer, mergeDeltas } from '../../../server/live/coalesce.ts';
import { NS, startBaseline, type BaselineServer } from './ws-baseline.ts';

const [portArg, competitionId = 'bench', board = 'e1|r1|individual', windowArg = '100'] =
  process.argv.slice(2);
/** Podium's adaptive window (server/live/broadcaster.ts): the same constants. */
const FANOUT_SHARE = 3;
const MIN_WINDOW_MS = 10;
const MAX_WINDOW_MS = Number(windowArg);
const SLOW_VIEWER_BYTES = 512 * 1024;

let lastWriteMs: number | undefined;

interface WsSenderStatic {
  frame(
    data: Buffer,
    o: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean },
  ): Buffer[];
}
const Sender = (ws as unknown as { Sender: WsSenderStatic }).Sender;

function frameOf(text: string): Buffer {
  return Buffer.concat(
    Sender.frame(Buffer.from(text), { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }),
  );
}

function writeWindow(delta: BoardDelta): void {
  const started = performance.now();
  const frame = frameOf(`42${NS},${JSON.stringify(['board:delta', delta])}`);
  for (const s of baseline.subscribers) {
    const tcp = (s as unknown as { _socket: NetSocket })._socket;
    if (tcp.destroyed || tcp.writableLength > SLOW_VIEWER_BYTES) continue;
    tcp.write(frame);
  }
  lastWriteMs = performance.now() - started;
}

const coalescer = new LeadingEdgeCoalescer<BoardDelta>(
  () =>
    MAX_WINDOW_MS <= 0 || lastWriteMs === undefined
      ? MAX_WINDOW_MS
      : Math.min(MAX_WINDOW_MS, Math.max(MIN_WINDOW_MS, Math.ceil(FANOUT_SHARE * lastWriteMs))),
  mergeDeltas,
  (_key, delta) => writeWindow(delta),
);

const baseline: BaselineServer = startBaseline(Number(portArg ?? 0), competitionId, board, (delta) =>
  coalescer.push(board, delta),
);
