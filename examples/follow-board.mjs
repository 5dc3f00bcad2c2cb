#!/usr/bin/env node
/**
 * Follows one Podium board over Socket.IO and prints it after every change, applying deltas
 * exactly as docs/API.md ("Keeping a board in sync") says. No build step:
 *
 *   node examples/follow-board.mjs <podium url> <competition id> <board id> [--seconds N]
 *
 * e.g. node examples/follow-board.mjs http://localhost:3000 skills-2026 'weld|r1|individual'
 * Each print is a block: "board <id> version <v> rows <n>", then one tab-separated line per row
 * (place, id, total, outcome, complete|provisional), then "end". With --seconds it exits after N s.
 */
import { io } from 'socket.io-client';
import { applyDelta, deltaDecision, exactThrough, holdSnapshot, placesOf } from './lib/board.mjs';

const [url, competitionId, board, ...rest] = process.argv.slice(2);
if (!url || !competitionId || !board) {
  console.error('usage: follow-board.mjs <url> <competition id> <board id> [--seconds N]');
  process.exit(2);
}
const secondsAt = rest.indexOf('--seconds');
const seconds = secondsAt >= 0 ? Number(rest[secondsAt + 1]) : Infinity;

/** What we hold: rows by id, the board version, and the snapshot (for the exactness bound). */
let held = new Map();
let version = -1;
let snapshot = null;
let subscribing = false;

const socket = io(`${url.replace(/\/$/, '')}/public`, { transports: ['websocket', 'polling'] });

/** Step 1 (and 3): subscribe and replace everything with the snapshot. */
async function subscribe() {
  if (subscribing) return;
  subscribing = true;
  try {
    const ack = await socket.timeout(10_000).emitWithAck('board:subscribe', { competitionId, board });
    if (!ack.ok) {
      console.error(`subscribe refused: ${ack.code} ${ack.message}`);
      process.exit(1);
    }
    snapshot = ack;
    held = holdSnapshot(ack);
    version = ack.version;
    print();
  } catch (err) {
    console.error(`subscribe failed: ${err.message}`);
  } finally {
    subscribing = false;
  }
}

/** Step 4: places from rankKey, never from the rows' `rank`. */
function print() {
  const bound = snapshot === null ? null : exactThrough(snapshot);
  const lines = placesOf(held.values()).map((row) => {
    const exact = bound === null || row.rankKey <= bound;
    const place = !exact ? '-' : row.place === null ? '—' : String(row.place);
    return [place, row.id, row.total, row.outcome, row.complete ? 'complete' : 'provisional'].join('\t');
  });
  console.log([`board ${board} version ${version} rows ${held.size}`, ...lines, 'end'].join('\n'));
}

socket.on('connect', () => void subscribe());
socket.on('connect_error', (err) => console.error(`cannot connect: ${err.message}`));

/** Step 2: apply, ignore, or (after a gap) subscribe again. */
socket.on('board:delta', (delta) => {
  if (delta.competitionId !== competitionId || delta.board !== board || snapshot === null) return;
  const decision = deltaDecision(version, delta);
  if (decision === 'stale') return;
  if (decision === 'gap') {
    void subscribe();
    return;
  }
  applyDelta(held, delta);
  version = delta.version;
  print();
});

/** Step 3: the view changed as a whole (freeze, reveal, embargo, set-up change). */
socket.on('board:reset', (req) => {
  if (req.competitionId === competitionId && req.board === board) void subscribe();
});

if (Number.isFinite(seconds)) {
  setTimeout(() => {
    socket.close();
    process.exit(0);
  }, seconds * 1000);
}
