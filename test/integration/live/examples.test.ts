/**
 * Issue #17: the example clients in examples/ work against a real server as docs/API.md
 * describes — spawned as `node examples/<x>.mjs <url> …` with a bounded runtime, their printed
 * board must match the server's board after random marks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../../server/domain/actor.ts';
import type { BoardResults } from '../../../shared/results.ts';
import { startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import { BOARD, seedCompetition, uniqueCompetitionId } from './fixtures.ts';

interface Run {
  child: ChildProcess;
  out: () => string;
  exited: Promise<unknown>;
}

function run(script: string, args: string[]): Run {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return { child, out: () => out, exited: once(child, 'exit') };
}

/** The last complete "board … end" block printed: its header and rows [place, id, total]. */
function lastBlock(out: string): { header: string; rows: string[][] } | null {
  const end = out.lastIndexOf('\nend');
  if (end < 0) return null;
  const start = out.lastIndexOf('board ', end);
  const [header = '', ...lines] = out.slice(start, end).split('\n');
  return { header, rows: lines.map((l) => l.split('\t').slice(0, 3)) };
}

describe('example clients against a real server (Redis)', () => {
  let podium: TestPodium;

  beforeAll(async () => {
    podium = await startTestPodium({ redisUrl: inject('redisUrl'), coalesceMs: 50 });
  });
  afterAll(async () => podium.stop());

  async function randomMarks(id: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const judgeId = i % 2 === 0 ? 'j1' : 'chief';
      const actor: Actor = {
        kind: 'judge',
        judgeId,
        competitionId: id,
        role: judgeId === 'chief' ? 'chief' : 'judge',
      };
      await podium.service.execute(actor, {
        name: 'marks.submit',
        payload: {
          opId: randomUUID(),
          competitionId: id,
          eventId: 'e1',
          roundId: 'r1',
          contestantId: `c${1 + Math.floor(Math.random() * 8)}`,
          marks: { q: String(80 + Math.floor(Math.random() * 8) / 2) },
        },
      });
    }
  }

  async function truth(id: string): Promise<string[][]> {
    const res = await fetch(`${podium.url}/api/competitions/${id}/results/${encodeURIComponent(BOARD)}`);
    const body = (await res.json()) as BoardResults;
    return body.rows.map((r) => [r.rank === null ? '—' : String(r.rank), r.id, r.total]);
  }

  it('follow-board.mjs prints the board the server holds (places from rankKey)', async () => {
    const id = uniqueCompetitionId();
    await seedCompetition(podium.service, id, 8);
    const follower = run('examples/follow-board.mjs', [podium.url, id, BOARD, '--seconds', '20']);
    await expect
      .poll(() => lastBlock(follower.out())?.header ?? '', { timeout: 15_000 })
      .toContain('version 0');
    await randomMarks(id, 40);
    const snapshot = await podium.service.boardSnapshot(id, BOARD, 'public');
    await expect
      .poll(() => lastBlock(follower.out())?.header ?? '', { timeout: 15_000 })
      .toContain(`version ${snapshot.version} `);
    expect(lastBlock(follower.out())?.rows).toEqual(await truth(id));
    follower.child.kill();
    await follower.exited;
  });

  it('tail-feed.mjs keeps the board the results API shows, and prints a token to resume from', async () => {
    const id = uniqueCompetitionId();
    await seedCompetition(podium.service, id, 8);
    const tail = run('examples/tail-feed.mjs', [podium.url, id, '--board', BOARD, '--seconds', '10']);
    await expect
      .poll(() => tail.out(), { timeout: 15_000 })
      .toMatch(/boards e1\|r1\|individual token=\d+-\d+/);
    await randomMarks(id, 30);
    await tail.exited;
    const out = tail.out();
    expect(out).toMatch(/rows e1\|r1\|individual\/c\d token=/);
    expect(out).toMatch(/resume with --since \d+-\d+/);
    expect(lastBlock(out)?.rows).toEqual(await truth(id));
  });
});
