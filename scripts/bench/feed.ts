/**
 * `npm run bench:feed -- [--entries 5000] [--contestants 200]`: the event feed's costs on a real
 * Redis (a throwaway redis-server): how long a fresh connection takes to its first token (it
 * scans the log for its newest id and sends every board), and how fast a resume from the first
 * token replays every entry. Prints one JSON line.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { parseArgs } from 'node:util';
import express from 'express';
import { AuthServiceImpl } from '../../server/auth/service.ts';
import type { Actor } from '../../server/domain/actor.ts';
import { ContestService } from '../../server/domain/service.ts';
import { createHttpApi } from '../../server/http/index.ts';
import { createLogger } from '../../server/logger.ts';
import { RedisStore } from '../../server/store/index.ts';
import { competitionSchema } from '../../shared/model.ts';
import { startRedisServer } from '../../test/support/redis-server.ts';

const { values } = parseArgs({ options: { entries: { type: 'string' }, contestants: { type: 'string' } } });
const entries = Math.min(100_000, Number(values.entries ?? 5000));
const contestants = Math.min(10_000, Number(values.contestants ?? 200));

/** Read a feed until a line carries `until` as its token (or the first token when undefined). */
async function timeToToken(url: string, until?: string): Promise<{ ms: number; lines: number }> {
  const started = performance.now();
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal });
  const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let lines = 0;
  for (;;) {
    const chunk = await reader?.read();
    if (chunk === undefined || chunk.done) throw new Error('feed ended early');
    buffer += chunk.value;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (text === '') continue;
      lines += 1;
      const token = (JSON.parse(text) as { token: string | null }).token;
      if (token !== null && (until === undefined || token === until)) {
        abort.abort();
        return { ms: Math.round(performance.now() - started), lines };
      }
    }
  }
}

const redis = await startRedisServer();
const store = new RedisStore(redis.url);
const logger = createLogger('silent');
const service = new ContestService({ store, logger });
const auth = new AuthServiceImpl({ store, logger });
const api = createHttpApi({ service, auth, store, logger, publicUrl: 'http://localhost' });
const app = express().use('/api', api);
const server = await new Promise<Server>((resolve) => {
  const s = app.listen(0, '127.0.0.1', () => resolve(s));
});
try {
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  const id = `feedbench-${randomUUID().slice(0, 6)}`;
  const organiser: Actor = { kind: 'organiser', id: 'admin' };
  const competition = competitionSchema.parse({
    id,
    name: 'Feed bench',
    events: [
      {
        id: 'e1',
        name: 'Event',
        criteria: [{ id: 'q', label: 'Q', max: 100, step: 0.5 }],
        scoring: { aggregation: { kind: 'mean' }, decimals: 2 },
        rounds: [{ id: 'r1', name: 'Final', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: Array.from({ length: contestants }, (_, i) => ({
      id: `c${i}`,
      eventId: 'e1',
      bib: `B${i}`,
      name: `C ${i}`,
      organisation: `Org ${i % 20}`,
      region: 'R',
    })),
    judges: [{ id: 'j1', name: 'J', role: 'judge', eventIds: ['e1'] }],
  });
  await service.execute(organiser, { name: 'setup.put', payload: { opId: randomUUID(), competition } });
  await service.execute(organiser, {
    name: 'round.state',
    payload: { opId: randomUUID(), competitionId: id, eventId: 'e1', roundId: 'r1', state: 'open' },
  });
  const judge: Actor = { kind: 'judge', judgeId: 'j1', competitionId: id, role: 'judge' };
  let first = '';
  let last = '';
  for (let i = 0; i < entries; i++) {
    const { logId } = await service.execute(judge, {
      name: 'marks.submit',
      payload: {
        opId: randomUUID(),
        competitionId: id,
        eventId: 'e1',
        roundId: 'r1',
        contestantId: `c${i % contestants}`,
        marks: { q: String(50 + (i % 100) / 2) },
      },
    });
    if (i === 0) first = logId;
    last = logId;
  }
  const feed = `${base}/api/competitions/${id}/event-feed`;
  const fresh = await timeToToken(feed);
  const resume = await timeToToken(`${feed}?since_token=${encodeURIComponent(first)}`, last);
  console.log(
    JSON.stringify({
      bench: 'feed',
      logEntries: entries + 2,
      contestants,
      freshConnectionToFirstTokenMs: fresh.ms,
      resumeReplayMs: resume.ms,
      resumeEntriesPerS: Math.round(((entries - 1) * 1000) / Math.max(1, resume.ms)),
    }),
  );
} finally {
  server.closeAllConnections();
  server.close();
  await api.close();
  await store.close();
  await redis.stop();
  redis.cleanup();
}
