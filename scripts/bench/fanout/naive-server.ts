/**
 * Baseline 2, the naive way: a Socket.IO server that stores each mark in Redis, then re-reads the
 * whole board and emits all of it to every viewer on every mark (no deltas, no coalescing).
 * Same wire contract as Podium for viewers (/public board:subscribe, board:delta) and judges
 * (/judge 'cmd:marks.submit' with ack; handshake auth {token: <judge id>}).
 * Usage: node --import tsx naive-server.ts <port> <redisUrl> <competitionId> <board>
 */
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { benchRankKey } from './board-model.ts';

const [portArg, redisUrl = 'redis://127.0.0.1:6379', competitionId = 'bench', board = 'e1|r1|individual'] =
  process.argv.slice(2);
const redis = new Redis(redisUrl);
const marksKey = `naive:${competitionId}:${board}:marks`;
const versionKey = `naive:${competitionId}:${board}:version`;
const room = `board:${competitionId}:${board}`;

/** Every row of the board, ranked, from all judges' marks (contestant:judge → mark). */
function boardRows(marks: Record<string, string>): Array<Record<string, unknown>> {
  const totals = new Map<string, number>();
  for (const [key, value] of Object.entries(marks)) {
    const contestant = key.slice(0, key.indexOf(':'));
    totals.set(contestant, (totals.get(contestant) ?? 0) + Number(value));
  }
  const sorted = [...totals].sort((a, b) => b[1] - a[1]);
  return sorted.map(([id, total]) => ({
    id,
    total: String(total),
    complete: false,
    outcome: 'ok',
    rankKey: benchRankKey(id, total),
    rank: 1 + sorted.filter(([, t]) => t > total).length,
    previousRank: null,
    previousTotal: null,
  }));
}

/** Store one mark and re-read the whole board in the same transaction (so versions stay in order). */
async function writeAndReadBoard(
  field: string,
  value: number,
): Promise<{ version: number; rows: Array<Record<string, unknown>> }> {
  const replies =
    (await redis.multi().hset(marksKey, field, value).incr(versionKey).hgetall(marksKey).exec()) ?? [];
  const version = Number(replies[1]?.[1]);
  return { version, rows: boardRows((replies[2]?.[1] ?? {}) as Record<string, string>) };
}

/** The whole board, re-read from Redis. */
async function readBoard(): Promise<{ version: number; rows: Array<Record<string, unknown>> }> {
  const replies = (await redis.multi().get(versionKey).hgetall(marksKey).exec()) ?? [];
  return {
    version: Number(replies[0]?.[1] ?? 0),
    rows: boardRows((replies[1]?.[1] ?? {}) as Record<string, string>),
  };
}

const http = createServer();
const io = new Server(http, { transports: ['websocket'], serveClient: false });

io.of('/public').on('connection', (socket) => {
  socket.on('board:subscribe', (_req: unknown, ack: (r: object) => void) => {
    void socket.join(room);
    readBoard().then(
      (b) =>
        ack({
          ok: true,
          competitionId,
          board,
          version: b.version,
          rows: b.rows,
          total: b.rows.length,
          frozen: false,
        }),
      (e: unknown) => ack({ ok: false, code: 'unavailable', message: String(e) }),
    );
  });
});

io.of('/judge').on('connection', (socket) => {
  const judgeId = String((socket.handshake.auth as { token?: unknown }).token ?? 'anonymous');
  socket.on(
    'cmd:marks.submit',
    (p: { contestantId: string; marks: Record<string, number> }, ack: (r: object) => void) => {
      const value = Object.values(p.marks).reduce((a, b) => a + Number(b), 0);
      writeAndReadBoard(`${p.contestantId}:${judgeId}`, value)
        .then((b) => {
          io.of('/public')
            .to(room)
            .emit('board:delta', {
              competitionId,
              board,
              prev: b.version - 1,
              version: b.version,
              rows: b.rows,
              removed: [],
            });
          ack({ ok: true, logId: String(b.version), duplicate: false });
        })
        .catch((e: unknown) => ack({ ok: false, code: 'unavailable', message: String(e) }));
    },
  );
});

http.listen(Number(portArg ?? 0), '127.0.0.1', () => process.send?.({ type: 'ready' }));
process.on('SIGTERM', () => {
  redis.disconnect();
  process.exit(0);
});
