/**
 * Baseline "bare ws": a plain `ws` server (ws-baseline.ts) that keeps the board in memory and for
 * every mark builds ONE frame and writes it to every subscribed socket — no coalescing.
 * Usage: node --import tsx bare-ws-server.ts <port> <competitionId> <board>
 */
import { NS, startBaseline } from './ws-baseline.ts';

const [portArg, competitionId = 'bench', board = 'e1|r1|individual'] = process.argv.slice(2);

startBaseline(Number(portArg ?? 0), competitionId, board, (delta, subscribers) => {
  const frame = Buffer.from(`42${NS},${JSON.stringify(['board:delta', delta])}`);
  for (const s of subscribers) s.send(frame, { binary: false });
});
