/**
 * Baseline "limit": what Podium's design can at best achieve on this machine. A plain `ws` server
 * that keeps the board in memory, coalesces the marks of one board with Podium's window (leading
 * edge, then FANOUT_SHARE × the last write's duration between MIN_WINDOW_MS and the maximum, the
 * same constants and the same merge as server/live/broadcaster.ts and coalesce.ts), builds ONE
 * WebSocket frame per window and writes it to every subscribed TCP socket in one synchronous loop
 * (no slicing, no per-socket framing, a viewer with more than 512 KB queued is skipped as Podium
 * does). No Redis, no validation, no roles: the difference to Podium is what those cost.
 * Speaks just enough Engine.IO / Socket.IO for the lean viewers; marks arrive on ws path /judge as
 * JSON {id, contestantId, judgeId, value} and are acknowledged with {id, ok: true}.
 * Usage: node --import tsx limit-ws-server.ts <port> <competitionId> <board> [maxWindowMs]
 */
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Socket as NetSocket } from 'node:net';
import * as ws from 'ws';
import type { BoardDelta } from '../../../shared/events.ts';
import { LeadingEdgeCoalescer, mergeDeltas } from '../../../server/live/coalesce.ts';
import { SumBoard } from './board-model.ts';

const [portArg, competitionId = 'bench', board = 'e1|r1|individual', windowArg = '100'] =
  process.argv.slice(2);
const NS = '/public';
const OPEN = JSON.stringify({
  sid: '',
  upgrades: [],
  pingInterval: 25_000,
  pingTimeout: 20_000,
  maxPayload: 1e6,
});
/** Podium's adaptive window (server/live/broadcaster.ts): the same constants. */
const FANOUT_SHARE = 3;
const MIN_WINDOW_MS = 10;
const MAX_WINDOW_MS = Number(windowArg);
const SLOW_VIEWER_BYTES = 512 * 1024;

const state = new SumBoard();
const subscribers = new Set<ws.WebSocket>();
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
  for (const s of subscribers) {
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

const http = createServer((_req, res) => res.writeHead(404).end());
const viewers = new ws.WebSocketServer({ noServer: true, perMessageDeflate: false });
const judges = new ws.WebSocketServer({ noServer: true, perMessageDeflate: false });
http.on('upgrade', (req, socket, head) => {
  const path = (req.url ?? '').split('?')[0];
  const wss = path === '/socket.io/' ? viewers : path === '/judge' ? judges : null;
  if (!wss) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (client) => wss.emit('connection', client));
});

viewers.on('connection', (client) => {
  client.send(`0${OPEN}`);
  client.on('message', (data: Buffer) => {
    const text = data.toString();
    if (text === '3') return;
    if (text.startsWith(`40${NS},`)) {
      client.send(`40${NS},${JSON.stringify({ sid: randomUUID() })}`);
      return;
    }
    const m = /^42\/public,(\d+)\["board:subscribe"/.exec(text);
    if (m) {
      subscribers.add(client);
      const rows = state.rows();
      const snapshot = {
        ok: true,
        competitionId,
        board,
        version: state.version,
        rows,
        total: rows.length,
        frozen: false,
      };
      client.send(`43${NS},${m[1]}${JSON.stringify([snapshot])}`);
    }
  });
  client.on('close', () => subscribers.delete(client));
  client.on('error', () => subscribers.delete(client));
});

judges.on('connection', (client) => {
  client.on('message', (data: Buffer) => {
    const mark = JSON.parse(data.toString()) as {
      id: number;
      contestantId: string;
      judgeId: string;
      value: number;
    };
    const prev = state.version;
    const row = state.apply(mark.contestantId, mark.judgeId, mark.value);
    coalescer.push(board, { competitionId, board, prev, version: state.version, rows: [row], removed: [] });
    client.send(JSON.stringify({ id: mark.id, ok: true }));
  });
});

setInterval(() => {
  for (const s of subscribers) s.send('2');
}, 25_000).unref();

http.listen(Number(portArg ?? 0), '127.0.0.1', () => process.send?.({ type: 'ready' }));
process.on('SIGTERM', () => process.exit(0));
