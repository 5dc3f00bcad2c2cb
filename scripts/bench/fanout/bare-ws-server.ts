/**
 * Baseline 1, the practical limit: a bare `ws` server that speaks just enough Engine.IO /
 * Socket.IO for the lean viewers, keeps the board in memory, and for every mark builds ONE frame
 * and writes it to every subscribed socket. Marks arrive on ws path /judge as JSON
 * {id, contestantId, judgeId, value} and are acknowledged with {id, ok: true}.
 * Usage: node --import tsx bare-ws-server.ts <port> <competitionId> <board>
 */
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { SumBoard } from './board-model.ts';

const [portArg, competitionId = 'bench', board = 'e1|r1|individual'] = process.argv.slice(2);
const NS = '/public';
const OPEN = JSON.stringify({
  sid: '',
  upgrades: [],
  pingInterval: 25_000,
  pingTimeout: 20_000,
  maxPayload: 1e6,
});
const state = new SumBoard();
const subscribers = new Set<WebSocket>();

const http = createServer((_req, res) => res.writeHead(404).end());
const viewers = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const judges = new WebSocketServer({ noServer: true, perMessageDeflate: false });
http.on('upgrade', (req, socket, head) => {
  const path = (req.url ?? '').split('?')[0];
  const wss = path === '/socket.io/' ? viewers : path === '/judge' ? judges : null;
  if (!wss) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
});

viewers.on('connection', (ws) => {
  ws.send(`0${OPEN}`);
  ws.on('message', (data: Buffer) => {
    const text = data.toString();
    if (text === '3') return;
    if (text.startsWith(`40${NS},`)) {
      ws.send(`40${NS},${JSON.stringify({ sid: randomUUID() })}`);
      return;
    }
    const m = /^42\/public,(\d+)\["board:subscribe"/.exec(text);
    if (m) {
      subscribers.add(ws);
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
      ws.send(`43${NS},${m[1]}${JSON.stringify([snapshot])}`);
    }
  });
  ws.on('close', () => subscribers.delete(ws));
  ws.on('error', () => subscribers.delete(ws));
});

judges.on('connection', (ws) => {
  ws.on('message', (data: Buffer) => {
    const mark = JSON.parse(data.toString()) as {
      id: number;
      contestantId: string;
      judgeId: string;
      value: number;
    };
    const prev = state.version;
    const row = state.apply(mark.contestantId, mark.judgeId, mark.value);
    const delta = { competitionId, board, prev, version: state.version, rows: [row], removed: [] };
    const frame = Buffer.from(`42${NS},${JSON.stringify(['board:delta', delta])}`);
    for (const s of subscribers) s.send(frame, { binary: false });
    ws.send(JSON.stringify({ id: mark.id, ok: true }));
  });
});

setInterval(() => {
  for (const s of subscribers) s.send('2');
}, 25_000).unref();

http.listen(Number(portArg ?? 0), '127.0.0.1', () => process.send?.({ type: 'ready' }));
process.on('SIGTERM', () => process.exit(0));
