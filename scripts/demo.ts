/**
 * `npm run demo`: a complete Podium to click through. Starts the server (embedded store in a temp
 * folder unless REDIS_URL is set), seeds the demo competition, opens its preliminary rounds,
 * issues judge codes and lets simulated judges mark in real time while you watch. Ctrl-C stops.
 * `npm run demo -- --venues 3`: a hub and three venue nodes instead (scripts/demo-venues.ts).
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../server/config.ts';
import type { Actor } from '../server/domain/actor.ts';
import { demoCompetition } from '../server/demo/demoCompetition.ts';
import { simulateJudging } from '../server/demo/simulate.ts';
import { createLogger } from '../server/logger.ts';
import { loopbackWarning, reachableUrls, startPodium } from '../server/main.ts';
import { parseArgs } from 'node:util';
import { runVenueDemo } from './demo-venues.ts';

const ORGANISER: Actor = { kind: 'organiser', id: 'demo' };
const ROUND = 'prelim';

async function main(): Promise<void> {
  const base = loadConfig();
  const tempDir = base.redisUrl ? undefined : mkdtempSync(join(tmpdir(), 'podium-demo-'));
  const adminPassword = base.adminPassword ?? `demo-${randomBytes(6).toString('hex')}`;
  const config = { ...base, dataDir: tempDir ?? base.dataDir, adminPassword, logLevel: 'warn' as const };
  const running = await startPodium(config, createLogger(config.logLevel));
  const say = (line = '') => process.stdout.write(`${line}\n`);

  const setup = demoCompetition();
  const runId = `demo${Date.now().toString(36)}`;
  await running.service.execute(ORGANISER, {
    name: 'setup.put',
    payload: { opId: `${runId}-setup`, competition: setup },
  });
  // Links for other devices: PUBLIC_URL, else the LAN address (never localhost when there is one).
  const url = running.publicUrl;
  const c = encodeURIComponent(setup.id);

  say();
  say(`Podium demo — ${setup.name}`);
  say(running.storeDescription);
  say();
  say(`Big screen   ${url}/screen/?c=${c}`);
  say(`Spectators   ${url}/watch/?c=${c}`);
  say(`Overlay      ${url}/overlay/?c=${c}&e=${setup.events[0]?.id ?? ''}`);
  say(`Organisers   ${url}/admin/#c=${c}   user "${config.adminUser}", password "${adminPassword}"`);
  const others = reachableUrls(config, running.port, url).filter((u) => u !== url);
  if (others.length > 0) say(`(also reachable at ${others.join(', ')})`);
  const warning = loopbackWarning(config);
  if (warning !== null) say(warning);
  say();
  say('Judges (open a link on a tablet or phone to sign in; simulated judges also mark meanwhile):');
  for (const judge of setup.judges) {
    const { code } = await running.auth.issueJudgeCode(setup.id, judge.id);
    const role = judge.role === 'chief' ? 'chief ' : 'judge ';
    say(
      `  ${role} ${judge.name.padEnd(4, '　')} ${judge.eventIds.join(',').padEnd(12)} ${url}/judge/#code=${encodeURIComponent(code)}`,
    );
  }
  say();

  let commands = 0;
  const controller = new AbortController();
  // Every simulated judge's pause listens to this signal.
  setMaxListeners(1_000, controller.signal);
  const judging = simulateJudging(running.service, setup, {
    roundId: ROUND,
    runId,
    pauseMs: 1_500,
    limit: 20,
    close: false,
    signal: controller.signal,
    onCommand: () => {
      commands += 1;
    },
  });
  const progress = setInterval(() => say(`  … ${commands} judging actions so far`), 15_000);
  progress.unref();

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    controller.abort(new Error('demo stopped'));
    clearInterval(progress);
    await judging.catch(() => undefined);
    await running.stop();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  await judging.then(
    () => say(`Simulated judging of the preliminaries is done (${commands} actions). Ctrl-C stops the demo.`),
    (err: unknown) => {
      if (!controller.signal.aborted)
        say(`Simulated judging stopped: ${err instanceof Error ? err.message : String(err)}`);
    },
  );
}

const { values } = parseArgs({ options: { venues: { type: 'string' } } });
const venueCount = values.venues === undefined ? 0 : Number(values.venues);
if (!Number.isInteger(venueCount) || venueCount < 0 || venueCount > 20) {
  process.stderr.write('--venues takes a number of venues from 1 to 20\n');
  process.exit(1);
}

(venueCount > 0 ? runVenueDemo(venueCount) : main()).catch((err: unknown) => {
  process.stderr.write(`The demo could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
