/**
 * What the plain-`ws` baselines (bare-ws-server.ts, limit-ws-server.ts) share: just enough
 * Engine.IO / Socket.IO for the lean viewers (open packet, namespace connect, `board:subscribe`
 * answered with a snapshot, pings), an in-memory board, and judges on ws path /judge sending JSON
 * {id, contestantId, judgeId, value}, acknowledged with {id, ok: true}. Each baseline decides only
 * what to do with the delta a mark makes.
 */
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BoardDelta } from '../../../shared/events.ts';
import { SumBoard } from './board-model.ts';

export const NS = '/public';
const OPEN = JSON.stringify({
  sid: '',
  upgrades: [],
  pingInterval: 25_000,
  pingTimeout: 20_000,
  maxPayload: 1e6,
});

export interface BaselineServer {
  /** The sockets that subscribed to the board. */
  subscribers: Set<WebSocket>;
}

/** Listen on `port` (127.0.0.1) and hand every mark's delta to `onDelta`; tells the parent when ready. */
export function startBaseline(
  port: number,
  competitionId: string,
  board: string,
  onDelta: (delta: BoardDelta, subscribers: ReadonlySet<WebSocket>) => void,
): BaselineServer {
  const state = new SumBoard();
  const subscribers = new Set<WebSocket>();
  const http = createServer((_req, res) => res.writeHead(404).end());
  const viewers = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const judges = new WebSocketServer({ noServer: true, perMessageDeflate: false });
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
      onDelta({ competitionId, board, prev, version: state.version, rows: [row], removed: [] }, subscribers);
      client.send(JSON.stringify({ id: mark.id, ok: true }));
    });
  });

  setInterval(() => {
    for (const s of subscribers) s.send('2');
  }, 25_000).unref();

  http.listen(port, '127.0.0.1', () => process.send?.({ type: 'ready' }));
  process.on('SIGTERM', () => process.exit(0));
  return { subscribers };
}
