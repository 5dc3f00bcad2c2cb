/**
 * bench:venues — a contest at several venues (docs/VENUES.md), two figures for docs/BENCHMARKS.md:
 *
 *  1. Mark to overall ranking, link up: the time from a mark acknowledged at a venue node (its
 *     service answered, which is what the judge's tablet gets as its ack) to the overall (event-wide)
 *     ranking carrying it on a spectator's socket at the hub (`board:delta` on /public). p50/p99.
 *  2. Catch-up: the venue's line to the hub is cut, `--backlog` marks (1,000) are acknowledged at the
 *     venue meanwhile, then the line comes back: how long until nothing waits at the venue, until the
 *     hub's spectator sees the last of them, and until the venue is in sync again (digest equal).
 *     "Cut off for 10 minutes" is simulated by the backlog: the elapsed minutes cost nothing, the
 *     marks waiting do.
 *
 * A hub and one venue node in this process (embedded stores in temp folders, loopback, ports chosen
 * by the OS), the venue's line a TCP proxy (scripts/chaos/linkProxy.ts).
 *   npx tsx scripts/bench/venues.ts [--samples 150] [--backlog 1000]
 * Progress on stderr; the last stdout line is JSON, with `uptime` (the machine's load).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import type { PodiumConfig } from '../../server/config.ts';
import type { Actor } from '../../server/domain/actor.ts';
import { createLogger } from '../../server/logger.ts';
import { startPodium, type RunningPodium } from '../../server/main.ts';
import { VenueKeys } from '../../server/venue/venueKeys.ts';
import type { BoardDelta } from '../../shared/events.ts';
import { competitionSchema } from '../../shared/model.ts';
import { LinkProxy } from '../chaos/linkProxy.ts';
import { log, numberOption, readOptions } from './lib/args.ts';
import { now, sleep } from './lib/clock.ts';
import { percentileOf, round2 } from './lib/histogram.ts';

const CID = 'bench-venues';
const BOARD = 'e1|r1|individual';
const ORGANISER: Actor = { kind: 'organiser', id: 'bench' };
const JUDGE: Actor = { kind: 'judge', judgeId: 'j-v1', competitionId: CID, role: 'judge' };

const values = readOptions({ samples: { type: 'string' }, backlog: { type: 'string' } });
const samples = numberOption(values, 'samples', 150);
const backlog = numberOption(values, 'backlog', 1000);

const dirs: string[] = [];
async function start(venueLink?: PodiumConfig['venueLink']): Promise<RunningPodium> {
  const dir = mkdtempSync(join(tmpdir(), 'podium-bench-venues-'));
  dirs.push(dir);
  return startPodium(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: dir,
      redisUrl: undefined,
      allowedOrigins: ['http://localhost:3000'],
      publicUrl: 'http://localhost:3000',
      coalesceMs: 100,
      trustProxy: 'loopback',
      adminUser: 'admin',
      adminPassword: 'bench-venues-password',
      logLevel: 'silent',
      ...(venueLink === undefined ? {} : { venueLink }),
    },
    createLogger('silent'),
  );
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  limitMs = 300_000,
): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await sleep(5);
  }
}

const contestants = Math.max(samples, backlog);
const setup = competitionSchema.parse({
  id: CID,
  name: 'Venue bench',
  venues: [
    { id: 'v1', name: 'Venue 1', region: 'R1', address: 'A1', kind: 'site' },
    { id: 'v2', name: 'Venue 2', region: 'R2', address: 'A2', kind: 'site' },
  ],
  events: [
    {
      id: 'e1',
      name: 'Event',
      criteria: [{ id: 'q', label: 'Quality', max: 100, step: 0.5 }],
      scoring: { aggregation: { kind: 'mean' }, decimals: 2 },
      rounds: [{ id: 'r1', name: 'Final', kind: 'final', mode: 'onsite' }],
    },
  ],
  contestants: Array.from({ length: contestants + 50 }, (_, i) => ({
    id: `c${i}`,
    eventId: 'e1',
    bib: String(i + 1),
    name: `Contestant ${i + 1}`,
    organisation: 'Org',
    region: 'R',
    venueId: i < contestants ? 'v1' : 'v2',
  })),
  teams: [],
  judges: [
    { id: 'j-v1', name: 'Judge 1', role: 'judge', eventIds: ['e1'], venueId: 'v1' },
    { id: 'j-v2', name: 'Judge 2', role: 'judge', eventIds: ['e1'], venueId: 'v2' },
  ],
});

const hub = await start();
await hub.service.execute(ORGANISER, {
  name: 'setup.put',
  payload: { opId: 'bench-venues-setup', competition: setup },
});
await hub.service.execute(ORGANISER, {
  name: 'round.state',
  payload: { opId: 'bench-venues-open', competitionId: CID, eventId: 'e1', roundId: 'r1', state: 'open' },
});
const key = await new VenueKeys(hub.store).issue({ competitionId: CID, venueId: 'v1' });
const proxy = await LinkProxy.open(() => hub.port);
const venue = await start({ hubUrl: `http://127.0.0.1:${proxy.port}`, key });
const status = () => venue.venueNode!.status();
await until('the venue took the set-up', () => status().resyncs >= 1, 60_000);
log(`hub on ${hub.port}, venue on ${venue.port}`);

// The spectator: the overall ranking on the hub's public socket.
const spectator = io(`http://127.0.0.1:${hub.port}/public`, { transports: ['websocket'] });
const seen = new Map<string, { total: string; at: number }>();
spectator.on('board:delta', (delta: BoardDelta) => {
  if (delta.board !== BOARD) return;
  const at = now();
  for (const row of delta.rows) seen.set(`${row.id}=${row.total}`, { total: row.total, at });
});
await new Promise<void>((resolve, reject) => {
  spectator.once('connect', () =>
    spectator.emit('board:subscribe', { competitionId: CID, board: BOARD }, (answer: { ok: boolean }) =>
      answer.ok ? resolve() : reject(new Error('subscribe refused')),
    ),
  );
  spectator.once('connect_error', reject);
});

let op = 0;
async function mark(contestant: number, value: number): Promise<{ key: string; ackedAt: number }> {
  await venue.service.execute(JUDGE, {
    name: 'marks.submit',
    payload: {
      opId: `bench-mark-${op++}`,
      competitionId: CID,
      eventId: 'e1',
      roundId: 'r1',
      contestantId: `c${contestant}`,
      marks: { q: String(value) },
    },
  });
  return { key: `c${contestant}=${value.toFixed(2)}`, ackedAt: now() };
}

// 1. Link up: one mark at a time, at a random phase of the venue's link cycle.
const latencies: number[] = [];
for (let i = 0; i < samples; i++) {
  const { key: seenKey, ackedAt } = await mark(i, 10 + (i % 150) * 0.5);
  await until(`mark ${i} on the spectator's socket`, () => seen.has(seenKey), 60_000);
  latencies.push(seen.get(seenKey)!.at - ackedAt);
  await sleep(Math.random() * 600);
}
log(`link up: ${samples} marks, p50 ${percentileOf(latencies, 50).toFixed(0)} ms`);

// 2. Cut the line, build the backlog at the venue, restore, time the catch-up.
await until('nothing waits before the cut', () => status().waiting === 0 && status().inSync);
proxy.sever();
await until('the venue sees the cut', () => !status().linkUp, 30_000);
const buildStart = now();
let last = '';
for (let i = 0; i < backlog; i++) last = (await mark(i, 90 - (i % 150) * 0.5)).key;
const buildMs = now() - buildStart;
await until('the venue counts the backlog', () => status().waiting >= backlog, 30_000);
log(`cut: ${backlog} marks acknowledged at the venue in ${buildMs.toFixed(0)} ms; restoring the line`);
const restoredAt = now();
proxy.restore();
let lastSeenMs = NaN;
await until('nothing waits at the venue', () => {
  if (Number.isNaN(lastSeenMs) && seen.has(last)) lastSeenMs = seen.get(last)!.at - restoredAt;
  return status().waiting === 0;
});
const forwardedMs = now() - restoredAt;
await until('the last backlog mark on the spectator socket', () => seen.has(last), 120_000);
if (Number.isNaN(lastSeenMs)) lastSeenMs = seen.get(last)!.at - restoredAt;
await until('the venue in sync again', () => status().inSync);
const inSyncMs = now() - restoredAt;
const hubMarks = (await hub.store.readLog(CID, undefined, 100_000)).filter(
  (e) => e.type === 'marks.submit',
).length;

spectator.close();
await venue.stop();
await hub.stop();
await proxy.close();
for (const dir of dirs) rmSync(dir, { recursive: true, force: true });

const result = {
  bench: 'venues',
  linkUp: {
    samples,
    p50Ms: round2(percentileOf(latencies, 50)),
    p99Ms: round2(percentileOf(latencies, 99)),
    maxMs: round2(Math.max(...latencies)),
  },
  catchUp: {
    backlog,
    buildMs: round2(buildMs),
    forwardedMs: round2(forwardedMs),
    lastOnSpectatorMs: round2(lastSeenMs),
    inSyncMs: round2(inSyncMs),
    marksAtHub: hubMarks,
    expectedAtHub: samples + backlog,
  },
  uptime: execFileSync('uptime', { encoding: 'utf8' }).trim(),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(hubMarks === samples + backlog ? 0 : 1);
