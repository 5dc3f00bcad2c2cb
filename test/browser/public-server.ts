/**
 * A real Podium for the public-page browser tests: in this process (so tests can act through its
 * services), on a known free port so the page's own origin is the allowed socket origin, with the
 * demo competition set up and every contestant but the one on stage fully marked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PodiumConfig } from '../../server/config.ts';
import type { Actor } from '../../server/domain/actor.ts';
import { createLogger } from '../../server/logger.ts';
import { startPodium, type RunningPodium } from '../../server/main.ts';
import type { Command } from '../../shared/commands.ts';
import { freePort } from '../support/redis-server.ts';
import { JUDGES, marksCommand, setupCommands } from './fixtures.ts';

export const ORGANISER: Actor = { kind: 'organiser', id: 'admin' };

/** A judge of the demo competition acting directly on the service. */
export function judgeActor(competitionId: string, judgeId: string): Actor {
  return { kind: 'judge', judgeId, competitionId, role: judgeId === 'j3' ? 'chief' : 'judge' };
}

/** The demo totals: contestant i gets sheets around 20 + (i·7 mod 29), so ranks are mixed. */
export function demoBase(i: number): number {
  return 20 + ((i * 7) % 29);
}

export interface PublicTestServer {
  url: string;
  running: RunningPodium;
  run(actor: Actor, command: Command): Promise<void>;
  /** Set up `competitionId`: round open, c1 on stage marked by j1 and j2 only, c2..c12 fully marked. */
  seed(competitionId: string): Promise<void>;
  stop(): Promise<void>;
}

/** Start Podium on 127.0.0.1 with `redisUrl` as its store. */
export async function startPublicTestServer(redisUrl: string): Promise<PublicTestServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'podium-browser-'));
  const config: PodiumConfig = {
    port,
    host: '127.0.0.1',
    redisUrl,
    dataDir,
    allowedOrigins: [url],
    publicUrl: url,
    coalesceMs: 50,
    trustProxy: 'loopback',
    adminUser: 'admin',
    adminPassword: 'browser-test-password',
    logLevel: 'silent',
  };
  const running = await startPodium(config, createLogger('silent'));
  const run = async (actor: Actor, command: Command): Promise<void> => {
    await running.service.execute(actor, command);
  };
  return {
    url,
    running,
    run,
    async seed(competitionId) {
      for (const command of setupCommands(competitionId, 'c1')) await run(ORGANISER, command);
      for (let i = 1; i <= 12; i++) {
        for (const judge of JUDGES) {
          if (i === 1 && judge === 'j3') continue; // c1 is on stage, waiting for the chief judge
          await run(judgeActor(competitionId, judge), marksCommand(competitionId, `c${i}`, demoBase(i)));
        }
      }
    },
    async stop() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
