/**
 * `npm run demo -- --venues 3` (docs/VENUES.md "Demo"): a hub and N venue nodes in this process,
 * each with its own embedded store in a temp folder and its own port, each venue's line to the hub
 * a small TCP proxy this demo can cut. The hub opens the preliminary rounds; simulated judges mark
 * at every venue (through the venue node, which forwards to the hub). Prints every page's address
 * at the public address (LAN, never localhost when there is one), then reads commands on stdin:
 *
 *   cut 2    pull venue 2's plug (its link to the hub): the organiser console shows it down within
 *            10 s, the venue's big screen at once ("overall as of 14:32"); the venue keeps scoring
 *   mend 2   plug it back in: the venue forwards what waited and catches up
 *   status   every venue's link, marks waiting and refusals
 *   quit     stop (Ctrl-C too)
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfig, type PodiumConfig } from '../server/config.ts';
import type { Actor } from '../server/domain/actor.ts';
import { PodiumError } from '../server/domain/errors.ts';
import { demoCompetition } from '../server/demo/demoCompetition.ts';
import { withVenues } from '../server/demo/demoVenues.ts';
import { simulateJudging } from '../server/demo/simulate.ts';
import { createLogger } from '../server/logger.ts';
import { loopbackWarning, startPodium, type RunningPodium } from '../server/main.ts';
import { VenueKeys } from '../server/venue/venueKeys.ts';
import type { Competition } from '../shared/model.ts';
import { LinkProxy } from './chaos/linkProxy.ts';

const ORGANISER: Actor = { kind: 'organiser', id: 'demo' };
const ROUND = 'prelim';

interface DemoVenue {
  index: number;
  id: string;
  name: string;
  proxy: LinkProxy;
  node: RunningPodium;
  dir: string;
}

const say = (line = ''): void => void process.stdout.write(`${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A venue node's config: the environment's, on its own port and folder, linked through `proxy`. */
function venueConfig(
  base: PodiumConfig,
  port: number,
  dir: string,
  proxy: LinkProxy,
  key: string,
): PodiumConfig {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    PODIUM_DATA_DIR: dir,
    PODIUM_HUB_URL: `http://127.0.0.1:${proxy.port}`,
    PODIUM_VENUE_KEY: key,
    LOG_LEVEL: 'error',
  };
  // PUBLIC_URL names the hub; a venue's pages are at its own LAN address and port.
  delete env.PUBLIC_URL;
  delete env.REDIS_URL;
  delete env.PODIUM_ALLOWED_ORIGINS;
  return { ...loadConfig(env), adminUser: base.adminUser, adminPassword: base.adminPassword };
}

/** Retry what a venue refuses while it swaps in the hub's state (`restoring`): a tablet's outbox does the same. */
function retrying(node: RunningPodium, signal: AbortSignal): Pick<RunningPodium['service'], 'execute'> {
  return {
    execute: async (actor, command) => {
      for (;;) {
        try {
          return await node.service.execute(actor, command);
        } catch (err) {
          if (!(err instanceof PodiumError) || !['restoring', 'conflict', 'unavailable'].includes(err.code))
            throw err;
          signal.throwIfAborted();
          await sleep(500);
        }
      }
    },
  };
}

export async function runVenueDemo(count: number): Promise<void> {
  const dirs: string[] = [];
  const tempDir = (name: string): string => {
    const dir = mkdtempSync(join(tmpdir(), `podium-demo-${name}-`));
    dirs.push(dir);
    return dir;
  };
  const base = loadConfig();
  const adminPassword = base.adminPassword ?? `demo-${randomBytes(6).toString('hex')}`;
  const hubConfig = {
    ...base,
    dataDir: tempDir('hub'),
    redisUrl: undefined,
    adminPassword,
    logLevel: 'warn' as const,
  };
  const hub = await startPodium(hubConfig, createLogger(hubConfig.logLevel));

  const setup: Competition = withVenues(demoCompetition({ contestantsPerEvent: 12 * count }), count);
  const runId = `demo${Date.now().toString(36)}`;
  await hub.service.execute(ORGANISER, {
    name: 'setup.put',
    payload: { opId: `${runId}-setup`, competition: setup },
  });
  // The hub owns control: it opens the rounds every venue then scores.
  for (const event of setup.events) {
    if (!event.rounds.some((r) => r.id === ROUND)) continue;
    await hub.service.execute(ORGANISER, {
      name: 'round.state',
      payload: {
        opId: `${runId}-${event.id}-open`,
        competitionId: setup.id,
        eventId: event.id,
        roundId: ROUND,
        state: 'open',
      },
    });
  }
  const keys = new VenueKeys(hub.store);
  const venues: DemoVenue[] = [];
  for (const [i, venue] of (setup.venues ?? []).entries()) {
    const key = await keys.issue({ competitionId: setup.id, venueId: venue.id });
    const proxy = await LinkProxy.open(() => hub.port);
    const dir = tempDir(venue.id);
    const port = hubConfig.port === 0 ? 0 : hub.port + i + 1;
    const config = venueConfig(hubConfig, port, dir, proxy, key);
    const node = await startPodium(config, createLogger('error'));
    venues.push({ index: i + 1, id: venue.id, name: venue.name, proxy, node, dir });
  }
  // Each venue takes the set-up and the open rounds from the hub before its judges start.
  for (const v of venues) {
    const end = Date.now() + 60_000;
    while ((v.node.venueNode?.status().resyncs ?? 0) < 1) {
      if (Date.now() > end) throw new Error(`venue ${v.id} did not reach the hub`);
      await sleep(200);
    }
  }

  const c = encodeURIComponent(setup.id);
  const url = hub.publicUrl;
  say();
  say(`Podium demo — ${setup.name}: a hub and ${count} venues`);
  say();
  say(`Hub (the overall ranking)   ${url}`);
  say(
    `  Organisers (venues panel on the control page)  ${url}/admin/#c=${c}   user "${hubConfig.adminUser}", password "${adminPassword}"`,
  );
  say(`  Big screen, overall       ${url}/screen/?c=${c}`);
  say(`  Spectators                ${url}/watch/?c=${c}   (filter by venue on the page)`);
  for (const v of venues) {
    const at = v.node.publicUrl;
    say();
    say(`Venue ${v.index}: ${v.name} (${v.id})   ${at}   — type "cut ${v.index}" / "mend ${v.index}"`);
    say(`  Big screen (here + overall)  ${at}/screen/?c=${c}`);
    say(`  Big screen at the hub        ${url}/screen/?c=${c}&v=${v.id}`);
    say(`  Spectators                   ${at}/watch/?c=${c}&v=${v.id}`);
    say(`  Organisers (this venue)      ${at}/admin/#c=${c}   same user and password`);
    const chief = setup.judges.find((j) => j.venueId === v.id && j.role === 'chief');
    if (chief !== undefined) {
      const { code } = await v.node.auth.issueJudgeCode(setup.id, chief.id);
      say(`  Chief judge ${chief.name.padEnd(4, '　')}       ${at}/judge/#code=${encodeURIComponent(code)}`);
    }
  }
  const warning = loopbackWarning(hubConfig);
  if (warning !== null) say(`\n${warning}`);
  say();
  say('Simulated judges mark at every venue. Commands: cut N, mend N, status, quit.');

  const controller = new AbortController();
  setMaxListeners(1_000, controller.signal);
  let commands = 0;
  const judging = venues.map((v) =>
    simulateJudging(retrying(v.node, controller.signal), setup, {
      roundId: ROUND,
      runId: `${runId}-${v.id}`,
      // A judge every few seconds: a few minutes of marking, time to pull a plug and watch.
      pauseMs: 6_000,
      limit: 12,
      close: false,
      venueId: v.id,
      organiserSteps: false,
      signal: controller.signal,
      onCommand: () => {
        commands += 1;
      },
    }).catch((err: unknown) => {
      if (!controller.signal.aborted)
        say(`Simulated judging at ${v.id} stopped: ${err instanceof Error ? err.message : String(err)}`);
      return 0;
    }),
  );
  void Promise.all(judging).then(() => {
    if (!controller.signal.aborted)
      say(`Simulated judging is done (${commands} actions). quit stops the demo.`);
  });

  const venueOf = (arg: string | undefined): DemoVenue | undefined =>
    venues.find((v) => String(v.index) === arg || v.id === arg);
  const status = (): void => {
    for (const v of venues) {
      const s = v.node.venueNode?.status();
      say(
        `  venue ${v.index} ${v.id}: plug ${v.proxy.severed ? 'PULLED' : 'in'}, link ${s?.linkUp === true ? 'up' : 'down'}, ` +
          `${s?.waiting ?? 0} waiting, ${s?.forwarded ?? 0} forwarded, ${s?.refused ?? 0} refused`,
      );
    }
    say(`  ${commands} judging actions so far`);
  };

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    controller.abort(new Error('demo stopped'));
    await Promise.all(judging);
    for (const v of venues) {
      await v.node.stop();
      await v.proxy.close();
    }
    await hub.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    const [word, arg] = line.trim().split(/\s+/);
    const v = venueOf(arg);
    if (word === 'cut' && v !== undefined) {
      v.proxy.sever();
      say(
        `Venue ${v.index} (${v.name}) cut off from the hub: it keeps scoring; its screen says so now, the hub's console within 10 s.`,
      );
    } else if (word === 'mend' && v !== undefined) {
      v.proxy.restore();
      say(`Venue ${v.index} (${v.name}) linked again: it forwards what waited and catches up.`);
    } else if (word === 'status') status();
    else if (word === 'quit' || word === 'exit') void stop();
    else if (word !== undefined && word !== '')
      say(`Commands: cut N, mend N (N = 1…${venues.length}), status, quit.`);
  });
}
