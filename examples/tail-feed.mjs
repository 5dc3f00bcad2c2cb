#!/usr/bin/env node
/**
 * Tails a Podium competition's event feed (GET /api/competitions/:id/event-feed, NDJSON) and
 * keeps the boards it describes. No build step, no dependency (Node's fetch):
 *
 *   node examples/tail-feed.mjs <podium url> <competition id> [--board <board id>] [--since <token>] [--seconds N]
 *
 * Prints one line per feed line: "<type> <id> token=<token>". On exit (after --seconds, or when
 * the server ends the feed) prints the board given with --board as a block like
 * follow-board.mjs does, and "resume with --since <last token>". Reconnects with since_token
 * after a dropped connection.
 */
import { placesOf } from './lib/board.mjs';

const args = process.argv.slice(2);
const [url, competitionId] = args;
if (!url || !competitionId) {
  console.error('usage: tail-feed.mjs <url> <competition id> [--board B] [--since TOKEN] [--seconds N]');
  process.exit(2);
}
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const board = option('--board');
const seconds = Number(option('--seconds') ?? Infinity);
let token = option('--since');

/** board id → (row id → row): a `boards` line replaces a board, a `rows` line one row. */
const boards = new Map();
const stop = new AbortController();

function apply(line) {
  if (line.type === 'boards') {
    boards.set(line.id, new Map(line.data.rows.map((row) => [row.id, row])));
  } else if (line.type === 'rows') {
    const rows = boards.get(line.data.board) ?? new Map();
    boards.set(line.data.board, rows);
    if (line.data.row === null) rows.delete(line.data.rowId);
    else rows.set(line.data.rowId, line.data.row);
  }
  if (line.token) token = line.token;
}

/** One connection: read lines until the server or we end it. */
async function follow() {
  const query = token ? `?since_token=${encodeURIComponent(token)}` : '';
  const res = await fetch(`${url.replace(/\/$/, '')}/api/competitions/${competitionId}/event-feed${query}`, {
    signal: stop.signal,
  });
  if (res.status !== 200) {
    const body = await res.json().catch(() => ({}));
    throw new Error(`feed refused: ${res.status} ${body.code ?? ''} ${body.message ?? ''}`);
  }
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (text === '') continue; // keep-alive
      const line = JSON.parse(text);
      apply(line);
      console.log(`${line.type} ${line.id ?? '-'} token=${line.token ?? '-'}`);
    }
  }
}

function finish() {
  if (board !== undefined) {
    const rows = placesOf((boards.get(board) ?? new Map()).values());
    const lines = rows.map((r) =>
      [r.place ?? '—', r.id, r.total, r.outcome, r.complete ? 'complete' : 'provisional'].join('\t'),
    );
    console.log([`board ${board} rows ${rows.length}`, ...lines, 'end'].join('\n'));
  }
  console.log(`resume with --since ${token ?? '(none)'}`);
  process.exit(0);
}

if (Number.isFinite(seconds)) {
  setTimeout(() => {
    stop.abort();
    finish();
  }, seconds * 1000);
}

for (let attempt = 0; !stop.signal.aborted; attempt++) {
  try {
    await follow();
  } catch (err) {
    if (stop.signal.aborted) break;
    console.error(`feed dropped: ${err.message}; resuming from ${token ?? 'the start'}`);
  }
  await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** Math.min(attempt, 6))));
}
