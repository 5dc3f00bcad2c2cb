/**
 * Chaos for a contest at several venues (docs/VENUES.md): a hub and N venue nodes as separate
 * processes (embedded stores, loopback, ports chosen by the OS), each venue's line to the hub a
 * LinkProxy; simulated judge tablets mark at every venue over real sockets while each line is cut
 * several times, one venue node and the hub are SIGKILLed and restarted, and the hub closes a
 * round while a venue is cut off. Then every line is restored, the venues catch up, and the run
 * checks the stores: every mark acknowledged at a venue is at the hub exactly once (applied, or
 * refused and audited), each venue's boards equal the hub's, and the hub rebuilds with zero differences.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCompetition } from '../../server/demo/demoCompetition.ts';
import { withVenues } from '../../server/demo/demoVenues.ts';
import { seededRandom } from '../../server/demo/random.ts';
import type { Actor } from '../../server/domain/actor.ts';
import { rebuild } from '../../server/domain/rebuild.ts';
import { ContestService } from '../../server/domain/service.ts';
import { EmbeddedStore } from '../../server/store/index.ts';
import { boardRows, venueBoardIds } from '../../server/venue/digest.ts';
import { VenueKeys } from '../../server/venue/venueKeys.ts';
import { sleep } from './cluster.ts';
import { planMarks, SimulatedJudge } from './judge.ts';
import { LinkProxy } from './linkProxy.ts';
import { startPodiumChild, type PodiumChild } from './podium-process.ts';
import { CHAOS_ROUND, signInJudge } from './seed.ts';
import { readWholeLog } from './verify.ts';

export interface VenueChaosOptions {
  venues: number;
  /** Marks each judge means to make. */
  marks: number;
  contestantsPerEvent: number;
  /** Cuts of each venue's line. */
  cutsPerVenue: number;
  cutMs: number;
  paceMs: number;
  seed: number;
  deadlineMs: number;
  log: (line: string) => void;
}

export interface VenueChaosReport {
  acknowledged: number;
  lost: number;
  duplicated: number;
  mismatches: number;
  partitions: number;
  venueKills: number;
  hubKills: number;
  refusedAudited: number;
  /** Acknowledged marks the hub refused (each audited). */
  refusedAcknowledged: number;
  problems: string[];
}

const ORGANISER: Actor = { kind: 'organiser', id: 'chaos' };
const ENV = { PODIUM_ADMIN_USER: 'admin', PODIUM_ADMIN_PASSWORD: 'chaos-admin-password', LOG_LEVEL: 'error' };

function portOf(child: PodiumChild): number {
  const match = /listening on port (\d+)/.exec(child.output());
  if (match?.[1] === undefined) throw new Error('no port in the output');
  return Number(match[1]);
}

interface VenueSite {
  id: string;
  dir: string;
  proxy: LinkProxy;
  node: PodiumChild;
  port: number;
}

export async function runVenueChaos(o: VenueChaosOptions): Promise<VenueChaosReport> {
  const rng = seededRandom(o.seed);
  const dirs: string[] = [];
  const tempDir = (name: string): string => {
    const dir = mkdtempSync(join(tmpdir(), `podium-venues-${name}-`));
    dirs.push(dir);
    return dir;
  };
  const setup = withVenues(
    demoCompetition({
      competitionId: `chaos-v-${randomUUID().slice(0, 6)}`,
      contestantsPerEvent: o.contestantsPerEvent,
      seed: o.seed,
    }),
    o.venues,
  );
  const cid = setup.id;
  const events = ['welding', 'cnc'];
  const hubDir = tempDir('hub');
  const keys = new Map<string, string>();
  {
    const store = await EmbeddedStore.open(hubDir);
    const service = new ContestService({ store });
    await service.execute(ORGANISER, {
      name: 'setup.put',
      payload: { opId: randomUUID(), competition: setup },
    });
    for (const eventId of events) {
      await service.execute(ORGANISER, {
        name: 'round.state',
        payload: { opId: randomUUID(), competitionId: cid, eventId, roundId: CHAOS_ROUND, state: 'open' },
      });
    }
    const venueKeys = new VenueKeys(store);
    for (const v of setup.venues ?? [])
      keys.set(v.id, await venueKeys.issue({ competitionId: cid, venueId: v.id }));
    await store.close();
  }
  let hub = await startPodiumChild({ ...ENV, PORT: '0', PODIUM_DATA_DIR: hubDir });
  const hubPort = portOf(hub);
  o.log(`hub on port ${hubPort}`);

  const sites: VenueSite[] = [];
  const judges: SimulatedJudge[] = [];
  for (const venue of setup.venues ?? []) {
    const dir = tempDir(venue.id);
    const proxy = await LinkProxy.open(() => hubPort);
    const env = {
      ...ENV,
      PODIUM_DATA_DIR: dir,
      PODIUM_HUB_URL: `http://127.0.0.1:${proxy.port}`,
      PODIUM_VENUE_KEY: keys.get(venue.id) ?? '',
    };
    const node = await startPodiumChild({ ...env, PORT: '0' });
    const site: VenueSite = { id: venue.id, dir, proxy, node, port: portOf(node) };
    sites.push(site);
    await waitFor(
      `venue ${venue.id} resynced`,
      o.deadlineMs,
      async () => ((await venueStatus(site)).resyncs as number) >= 1,
    );
    // A venue organiser prints the judges' codes at the venue, once it has the set-up.
    const codes = new Map<string, string>();
    for (const j of setup.judges.filter((x) => x.venueId === venue.id && x.role === 'judge'))
      codes.set(j.id, await issueCode(site.port, cid, j.id));
    for (const [judgeId, code] of codes) {
      const judge = setup.judges.find((j) => j.id === judgeId);
      const eventId = judge?.eventIds.find((e) => events.includes(e));
      const event = setup.events.find((e) => e.id === eventId);
      if (judge === undefined || event === undefined) continue;
      const chaosJudge = {
        id: judgeId,
        eventId: event.id,
        code,
        criteria: event.criteria.filter((c) => c.kind === 'judged'),
        contestantIds: setup.contestants
          .filter((c) => c.eventId === event.id && c.venueId === venue.id)
          .map((c) => c.id),
      };
      const token = await signInJudge(`http://127.0.0.1:${site.port}`, code);
      const plan = planMarks(chaosJudge, o.marks, rng, `cv${o.seed}`);
      judges.push(
        new SimulatedJudge(
          chaosJudge,
          cid,
          token,
          plan,
          () => [`http://127.0.0.1:${site.port}`],
          rng,
          0.05,
          o.paceMs,
        ),
      );
    }
  }
  o.log(`${sites.length} venues, ${judges.length} judges marking`);

  const deadline = Date.now() + o.deadlineMs;
  const judging = Promise.all(judges.map((j) => j.run(deadline)));
  let venueKills = 0;
  let hubKills = 0;
  const faults = (async () => {
    for (let round = 0; round < o.cutsPerVenue; round++) {
      for (const [i, site] of sites.entries()) {
        site.proxy.sever();
        o.log(`cut ${site.id}`);
        if (round === 0 && i === 0) {
          // The hub closes a round while this venue cannot hear it; the venue keeps scoring it.
          await sleep(o.cutMs / 2);
          await hubCommand(hubPort, cid, 'cnc');
          o.log(`hub closed cnc|${CHAOS_ROUND} while ${site.id} was cut off`);
        }
        if (round === 0 && i === 1) {
          await site.node.stop('SIGKILL');
          venueKills++;
          o.log(`SIGKILL venue ${site.id}`);
          site.node = await startPodiumChild({
            ...ENV,
            PORT: String(site.port),
            PODIUM_DATA_DIR: site.dir,
            PODIUM_HUB_URL: `http://127.0.0.1:${site.proxy.port}`,
            PODIUM_VENUE_KEY: keys.get(site.id) ?? '',
          });
        }
        await sleep(o.cutMs);
        site.proxy.restore();
        o.log(`restored ${site.id}`);
      }
      if (round === 0) {
        await hub.stop('SIGKILL');
        hubKills++;
        o.log('SIGKILL hub');
        await sleep(o.cutMs / 2);
        hub = await startPodiumChild({ ...ENV, PORT: String(hubPort), PODIUM_DATA_DIR: hubDir });
        o.log('hub restarted');
      }
    }
  })();
  await Promise.all([judging, faults]);
  for (const site of sites) site.proxy.restore();
  // Catch-up: every venue has nothing waiting and has converged on the hub.
  for (const site of sites) {
    await waitFor(`venue ${site.id} caught up`, 120_000, async () => {
      const s = await venueStatus(site);
      return s.linkUp === true && s.waiting === 0 && s.inSync === true;
    });
  }
  await hub.stop('SIGTERM');
  for (const site of sites) {
    await site.node.stop('SIGTERM');
    await site.proxy.close();
  }

  const report = await verify(hubDir, sites, judges, setup, cid);
  report.venueKills = venueKills;
  report.hubKills = hubKills;
  report.partitions = sites.reduce((n, s) => n + s.proxy.cuts, 0);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  return report;
}

async function verify(
  hubDir: string,
  sites: VenueSite[],
  judges: SimulatedJudge[],
  setup: ReturnType<typeof withVenues>,
  cid: string,
): Promise<VenueChaosReport> {
  const problems: string[] = [];
  const hub = await EmbeddedStore.open(hubDir);
  const log = await readWholeLog(hub, cid);
  const applied = new Map<string, number>();
  const refused = new Map<string, number>();
  for (const e of log) {
    if (e.type === 'marks.submit') applied.set(e.opId, (applied.get(e.opId) ?? 0) + 1);
    if (e.type === 'venue.refused') {
      const opId = (e.payload as { opId: string }).opId;
      refused.set(opId, (refused.get(opId) ?? 0) + 1);
    }
  }
  const saved = judges.flatMap((j) => j.saved);
  let lost = 0;
  let duplicated = 0;
  let refusedAcknowledged = 0;
  for (const mark of saved) {
    const times = (applied.get(mark.opId) ?? 0) + (refused.get(mark.opId) ?? 0);
    if (times === 0) lost++;
    if (times > 1) duplicated++;
    if (refused.has(mark.opId)) refusedAcknowledged++;
  }
  let mismatches = 0;
  for (const site of sites) {
    const venue = await EmbeddedStore.open(site.dir);
    for (const board of venueBoardIds(setup, site.id)) {
      const a = JSON.stringify(await boardRows(hub, cid, board));
      const b = JSON.stringify(await boardRows(venue, cid, board));
      if (a !== b) {
        mismatches++;
        problems.push(`board ${board}: the venue differs from the hub`);
      }
    }
    await venue.close();
  }
  const report = await rebuild(hub, cid);
  mismatches += report.differences.length;
  if (report.differences.length > 0)
    problems.push(`${report.differences.length} rebuild differences at the hub`);
  await hub.close();
  return {
    acknowledged: saved.length,
    lost,
    duplicated,
    mismatches,
    partitions: 0,
    venueKills: 0,
    hubKills: 0,
    refusedAudited: [...refused.values()].reduce((a, b) => a + b, 0),
    refusedAcknowledged,
    problems,
  };
}

async function venueStatus(site: VenueSite): Promise<Record<string, unknown>> {
  try {
    const res = await fetch(`http://127.0.0.1:${site.port}/api/venue/status`, {
      signal: AbortSignal.timeout(3_000),
    });
    return (await res.json()) as Record<string, unknown>;
  } catch {
    return {};
  }
}

async function waitFor(what: string, limitMs: number, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await sleep(200);
  }
}

async function organiserToken(port: number): Promise<string> {
  const signIn = await fetch(`http://127.0.0.1:${port}/api/auth/organiser`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: ENV.PODIUM_ADMIN_USER, password: ENV.PODIUM_ADMIN_PASSWORD }),
  });
  return ((await signIn.json()) as { token: string }).token;
}

/** A judge's access code issued by the venue's organiser (POST …/judges/:judgeId/code). */
async function issueCode(port: number, cid: string, judgeId: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/competitions/${cid}/judges/${judgeId}/code`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await organiserToken(port)}` },
  });
  const body = (await res.json()) as { code?: string };
  if (body.code === undefined) throw new Error(`no code for ${judgeId}: ${res.status}`);
  return body.code;
}

/** The organiser closes a round at the hub over HTTP (sign-in, then the command route). */
async function hubCommand(hubPort: number, cid: string, eventId: string): Promise<void> {
  const base = `http://127.0.0.1:${hubPort}/api`;
  const token = await organiserToken(hubPort);
  const res = await fetch(`${base}/competitions/${cid}/commands/round.state`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      opId: randomUUID(),
      competitionId: cid,
      eventId,
      roundId: CHAOS_ROUND,
      state: 'closed',
    }),
  });
  if (!res.ok) throw new Error(`closing the round failed: ${res.status} ${await res.text()}`);
}
