/**
 * Many venues, one contest — the pages (docs/VENUES.md), real Chromium against a real hub and a
 * real venue node (two Podiums over HTTP, the venue's line to the hub a proxy the test cuts):
 *  - the venue's big screen (on the node, its own venue by default) ranks the venue's contestants
 *    with each one's overall rank beside it, equal to the hub's event-wide ranking; at the hub,
 *    `?v=` shows any venue the same way;
 *  - the spectator page filters by venue (the venue's own board);
 *  - the hub's console shows every venue's link: down after the venue's plug is pulled, up after
 *    it is plugged back in; the venue's screen says the link is down and how old the overall ranks
 *    are ("总排名截至 14:32");
 *  - a venue mark the hub refused (round closed during the cut) is listed on the hub's console and
 *    shown to the venue's chief judge on the node;
 *  - a stage set at the node's own console stays on the node's screen and shows on the hub's
 *    screen of the venue; another venue's contestant set there is refused by the hub and listed on
 *    the node's console ("场地控制台 … 场地只能设置本场地的上场选手").
 * Screenshots zh-CN + en: screen 1920×1080, spectator 390×844, console 1280×800.
 * Needs the built clients: npm run build:client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinkProxy } from '../../scripts/chaos/linkProxy.ts';
import type { PodiumConfig } from '../../server/config.ts';
import type { Actor } from '../../server/domain/actor.ts';
import { withVenues } from '../../server/demo/demoVenues.ts';
import { createLogger } from '../../server/logger.ts';
import { startPodium, type RunningPodium } from '../../server/main.ts';
import { boardRows } from '../../server/venue/digest.ts';
import { VenueKeys } from '../../server/venue/venueKeys.ts';
import type { Competition } from '../../shared/model.ts';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import { freePort } from '../support/redis-server.ts';
import { command, demoCompetition, EVENT, marksCommand, ROUND } from './fixtures.ts';
import { demoBase } from './public-server.ts';

const CID = `venues-${Date.now().toString(36)}`;
const PASSWORD = 'browser-test-password';
const ORGANISER: Actor = { kind: 'organiser', id: 'admin' };
const EVENT_BOARD = `${EVENT}|${ROUND}|individual`;

interface Site {
  /** The address browsers open: a venue-network-like name Chromium maps to loopback, so no page shows a loopback address. */
  url: string;
  /** The same server for Node's own requests. */
  local: string;
  running: RunningPodium;
  dir: string;
}

async function startSite(name: string, venueLink?: PodiumConfig['venueLink']): Promise<Site> {
  const port = await freePort();
  const url = `http://${name}.podium.test:${port}`;
  const local = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'podium-browser-venue-'));
  const config: PodiumConfig = {
    port,
    host: '127.0.0.1',
    dataDir: dir,
    redisUrl: undefined,
    allowedOrigins: [url, local],
    publicUrl: url,
    coalesceMs: 50,
    trustProxy: 'loopback',
    adminUser: 'admin',
    adminPassword: PASSWORD,
    logLevel: 'silent',
    ...(venueLink === undefined ? {} : { venueLink }),
  };
  return { url, local, dir, running: await startPodium(config, createLogger('silent')) };
}

async function until(what: string, check: () => Promise<boolean> | boolean, limitMs = 30_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

let hub: Site;
let venue: Site;
let proxy: LinkProxy;
let browser: TestBrowser;
let setup: Competition;

const judge = (id: string): Actor => {
  const j = setup.judges.find((x) => x.id === id);
  return { kind: 'judge', judgeId: id, competitionId: CID, role: j?.role ?? 'judge' };
};
const at = (venueId: string) => setup.contestants.filter((c) => c.venueId === venueId);
const panel = (venueId: string) =>
  setup.judges.filter((j) => j.venueId === venueId && (j.role === 'judge' || j.panel === true));

beforeAll(async () => {
  const put = command('setup.put', {
    opId: `${CID}-setup`,
    competition: demoCompetition(CID),
  });
  setup = withVenues((put.payload as { competition: Competition }).competition, 2);
  hub = await startSite('hub');
  const hubService = hub.running.service;
  await hubService.execute(ORGANISER, {
    name: 'setup.put',
    payload: { opId: `${CID}-setup-v`, competition: setup },
  });
  await hubService.execute(
    ORGANISER,
    command('round.state', {
      opId: `${CID}-open`,
      competitionId: CID,
      eventId: EVENT,
      roundId: ROUND,
      state: 'open',
    }),
  );
  // Venue 2 scores straight at the hub; venue 1 runs its own node.
  for (const [i, c] of setup.contestants.entries()) {
    if (c.venueId !== 'v2') continue;
    for (const j of panel('v2'))
      await hubService.execute(judge(j.id), marksCommand(CID, c.id, demoBase(i + 1)));
  }
  const key = await new VenueKeys(hub.running.store).issue({ competitionId: CID, venueId: 'v1' });
  proxy = await LinkProxy.open(() => hub.running.port);
  venue = await startSite('v1', { hubUrl: `http://127.0.0.1:${proxy.port}`, key });
  await until('the venue took the set-up', () => (venue.running.venueNode?.status().resyncs ?? 0) >= 1);
  for (const [i, c] of setup.contestants.entries()) {
    if (c.venueId !== 'v1') continue;
    for (const j of panel('v1'))
      await venue.running.service.execute(judge(j.id), marksCommand(CID, c.id, demoBase(i + 1)));
  }
  await until('the venue caught up', () => {
    const s = venue.running.venueNode?.status();
    return s?.waiting === 0 && s.inSync;
  });
  browser = await launchBrowser({ args: ['--host-resolver-rules=MAP *.podium.test 127.0.0.1'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const site of [venue, hub]) {
    await site?.running.stop();
    if (site) rmSync(site.dir, { recursive: true, force: true });
  }
  await proxy?.close();
});

/** The hub's event-wide ranks, by contestant. */
async function hubRanks(): Promise<Map<string, number | null>> {
  const rows = await boardRows(hub.running.store, CID, EVENT_BOARD);
  return new Map(rows.map((r) => [r.id, r.rank]));
}

async function screenRows(page: Page): Promise<Array<{ id: string; rank: string; overall: string }>> {
  return page.locator('[data-testid="screen"] li.row').evaluateAll((rows) =>
    rows.map((row) => ({
      id: row.getAttribute('data-id') ?? '',
      rank: row.getAttribute('data-rank') ?? '',
      overall: row.querySelector('[data-testid="overall-rank"]')?.getAttribute('data-overall') ?? '',
    })),
  );
}

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/admin/#c=${CID}&tab=control`);
  // Pages share the browser profile: a second console page is already signed in.
  const user = page.locator('input[name="user"]');
  await Promise.race([page.getByTestId('venue-panel').waitFor(), user.waitFor()]);
  if (!(await user.isVisible())) return;
  await page.fill('input[name="user"]', 'admin');
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.getByTestId('venue-panel').waitFor();
}

describe('venue pages', () => {
  it('shows the venue’s ranking with each contestant’s overall rank beside it (node and hub)', async () => {
    const ranks = await hubRanks();
    for (const locale of ['zh-CN', 'en'] as const) {
      const page = await browser.page({ width: 1920, height: 1080, locale });
      await page.goto(`${venue.url}/screen/?c=${CID}`);
      await page.getByTestId('venue-strip').waitFor();
      await until('every venue row has its overall rank', async () => {
        const rows = await screenRows(page);
        return rows.length === at('v1').length && rows.every((r) => r.overall !== '');
      });
      const rows = await screenRows(page);
      expect(new Set(rows.map((r) => r.id))).toEqual(new Set(at('v1').map((c) => c.id)));
      expect(rows.map((r) => r.rank)).toEqual(rows.map((_, i) => String(i + 1)));
      for (const r of rows) expect(r.overall).toBe(String(ranks.get(r.id)));
      // Someone ranked here below their overall number: the two ranks really differ.
      expect(rows.some((r) => r.rank !== r.overall)).toBe(true);
      const strip = await page.getByTestId('venue-strip').innerText();
      expect(strip).toContain('郑州实训中心');
      expect(await page.getByTestId('overall-rank').first().innerText()).toMatch(
        locale === 'en' ? /^\d+ overall$/ : /^总第\d+$/,
      );
      await screenshot(page, `venue-screen-node-${locale}-1920x1080`);
      await page.close();
    }

    const page = await browser.page({ width: 1920, height: 1080 });
    await page.goto(`${hub.url}/screen/?c=${CID}&v=v2`);
    await until('the hub screen ranks venue 2 with overall ranks', async () => {
      const rows = await screenRows(page);
      return rows.length === at('v2').length && rows.every((r) => r.overall === String(ranks.get(r.id)));
    });
    expect(await page.getByTestId('venue-strip').getAttribute('data-link')).toBe('hub');
    await screenshot(page, 'venue-screen-hub-v2-zh-CN-1920x1080');
    await page.close();
  });

  it('filters the spectator page by venue', async () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const page = await browser.page({ width: 390, height: 844, locale });
      await page.goto(`${hub.url}/watch/?c=${CID}`);
      const list = page.getByTestId('ranking');
      await list.locator('li').first().waitFor();
      expect(await list.locator('li').count()).toBe(setup.contestants.length);
      await page.getByTestId('filter-venue').selectOption('v2');
      await until(
        'only venue 2 is listed',
        async () => (await list.locator('li').count()) === at('v2').length,
      );
      const names = await list.locator('li').allInnerTexts();
      for (const c of at('v2')) expect(names.join('\n')).toContain(c.name);
      for (const c of at('v1')) expect(names.join('\n')).not.toContain(c.name);
      expect(page.url()).toContain('v=v2');
      await screenshot(page, `venue-watch-filter-${locale}-390x844`);
      // The address keeps the venue: a shared link opens the same view.
      await page.reload();
      await until('reopened on venue 2', async () => (await list.locator('li').count()) === at('v2').length);
      await page.close();
    }
  });

  it('shows a venue cut off on the hub’s console and the venue’s screen, and back after the plug', async () => {
    const consoles = await Promise.all(
      (['zh-CN', 'en'] as const).map((locale) => browser.page({ width: 1280, height: 800, locale })),
    );
    for (const page of consoles) await signIn(page, hub.url);
    const row = (page: Page) => page.locator('[data-testid="venue-panel"] tr[data-venue="v1"]');
    for (const page of consoles)
      await until('v1 up', async () => (await row(page).getAttribute('data-link')) === 'up');
    await screenshot(consoles[0]!, 'venue-console-up-zh-CN-1280x800');

    const screen = await browser.page({ width: 1920, height: 1080, locale: 'zh-CN' });
    await screen.goto(`${venue.url}/screen/?c=${CID}`);
    await screen.getByTestId('venue-strip').waitFor();
    expect(await screen.getByTestId('venue-link-down').count()).toBe(0);

    proxy.sever();
    // The round closes at the hub while venue 1 cannot hear it; venue 1's judge still marks it.
    await hub.running.service.execute(
      ORGANISER,
      command('round.state', {
        opId: `${CID}-close`,
        competitionId: CID,
        eventId: EVENT,
        roundId: ROUND,
        state: 'closed',
      }),
    );
    const late = at('v1')[0]!;
    await venue.running.service.execute(judge(panel('v1')[0]!.id), marksCommand(CID, late.id, 45));

    await screen.getByTestId('venue-link-down').waitFor({ timeout: 15_000 });
    const asOf = await screen.getByTestId('overall-as-of').innerText();
    expect(asOf).toMatch(/^总排名截至 \d\d:\d\d$/);
    // The overall ranks stay beside the venue's while the link is down.
    expect((await screenRows(screen)).every((r) => r.overall !== '')).toBe(true);
    await screenshot(screen, 'venue-screen-link-down-zh-CN-1920x1080');
    const screenEn = await browser.page({ width: 1920, height: 1080, locale: 'en' });
    await screenEn.goto(`${venue.url}/screen/?c=${CID}`);
    await screenEn.getByTestId('venue-link-down').waitFor({ timeout: 15_000 });
    await until('overall ranks beside (en)', async () =>
      (await screenRows(screenEn)).every((r) => r.overall !== ''),
    );
    expect(await screenEn.getByTestId('overall-as-of').innerText()).toMatch(/^overall as of \d\d:\d\d$/);
    await screenshot(screenEn, 'venue-screen-link-down-en-1920x1080');
    await screenEn.close();

    for (const page of consoles)
      await until(
        'v1 down on the hub console',
        async () => (await row(page).getAttribute('data-link')) === 'down',
        25_000,
      );
    for (const [i, page] of consoles.entries())
      await screenshot(page, `venue-console-down-${i === 0 ? 'zh-CN' : 'en'}-1280x800`);

    // The venue's own console shows its link down and the marks waiting to reach the hub.
    const nodeConsole = await browser.page({ width: 1280, height: 800, locale: 'zh-CN' });
    await signIn(nodeConsole, venue.url);
    const nodeLink = nodeConsole.getByTestId('venue-node-link');
    await until(
      'the node console shows the link down',
      async () => (await nodeLink.getAttribute('data-link')) === 'down',
    );
    expect(await nodeConsole.getByTestId('venue-waiting').innerText()).toBe('1');
    expect(await nodeLink.innerText()).toContain('等待恢复连接');
    await screenshot(nodeConsole, 'venue-node-console-down-zh-CN-1280x800');

    proxy.restore();
    await until(
      'the node console shows the link up',
      async () => (await nodeLink.getAttribute('data-link')) === 'up',
    );
    await nodeConsole.close();
    for (const page of consoles)
      await until('v1 up again', async () => (await row(page).getAttribute('data-link')) === 'up', 25_000);
    await screen.getByTestId('venue-link-down').waitFor({ state: 'detached', timeout: 15_000 });

    // The late mark was refused at the hub: listed on the console, never dropped silently.
    for (const page of consoles) {
      await page.getByTestId('venue-refusals').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('venue-refusals').innerText()).toContain(late.name);
      expect(await row(page).locator('td').nth(5).innerText()).toBe('1');
    }
    expect(await consoles[0]!.getByTestId('venue-refusals').innerText()).toContain('总部已结束该轮次');
    expect(await consoles[1]!.getByTestId('venue-refusals').innerText()).toContain(
      'the hub had closed the round',
    );
    for (const [i, page] of consoles.entries())
      await screenshot(page, `venue-console-refused-${i === 0 ? 'zh-CN' : 'en'}-1280x800`);
    // On a phone the venue table scrolls sideways inside its panel; the page itself does not.
    await consoles[0]!.setViewportSize({ width: 390, height: 844 });
    expect(await consoles[0]!.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(consoles[0]!, 'venue-console-refused-zh-CN-390x844');
    for (const page of [...consoles, screen]) await page.close();
  }, 120_000);

  it('shows the venue’s chief judge the marks the hub refused', async () => {
    const chief = setup.judges.find((j) => j.venueId === 'v1' && j.role === 'chief')!;
    const { code } = await venue.running.auth.issueJudgeCode(CID, chief.id);
    const page = await browser.page({ width: 1280, height: 800, locale: 'zh-CN' });
    await page.goto(`${venue.url}/judge/#code=${encodeURIComponent(code)}`);
    const banner = page.getByTestId('chief-venue-refusals');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.innerText()).toContain('1 条提交（评分或上场）被总部拒绝');
    await banner.getByRole('button').click();
    expect(await banner.getByTestId('venue-refusals').innerText()).toContain('总部已结束该轮次');
    await screenshot(page, 'venue-chief-refusals-zh-CN-1280x800');
    // A judge who is not the chief may not read them.
    const token = (
      await venue.running.auth.signInJudge(
        (await venue.running.auth.issueJudgeCode(CID, panel('v1')[0]!.id)).code,
        '127.0.0.1',
      )
    ).token;
    const res = await fetch(`${venue.local}/api/venue/refusals`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(403);
    await page.close();
  });
  it('shows each venue its own contestant on stage (the node’s screen and the hub’s)', async () => {
    const [a, b] = [at('v1')[0]!, at('v2')[0]!];
    for (const c of [a, b])
      await hub.running.service.execute(
        ORGANISER,
        command('stage.set', {
          opId: `${CID}-stage-${c.id}`,
          competitionId: CID,
          eventId: EVENT,
          roundId: ROUND,
          contestantId: c.id,
        }),
      );
    const onStage = (page: Page) => page.locator('[data-testid="stage"] .who .name').innerText();
    const shows = async (page: Page, name: string) =>
      until(`${page.url()} shows ${name} on stage`, async () => {
        const who = page.locator('[data-testid="stage"] .who .name');
        return (await who.count()) > 0 && (await onStage(page)) === name;
      });
    // The node's own screen (venue 1, reached by the node's resync), the hub's screen of venue 2,
    // and the hub's event-wide screen, which follows the stage that changed last (venue 2).
    const node = await browser.page({ width: 1920, height: 1080, locale: 'zh-CN' });
    await node.goto(`${venue.url}/screen/?c=${CID}`);
    await shows(node, a.name);
    const v2 = await browser.page({ width: 1920, height: 1080, locale: 'en' });
    await v2.goto(`${hub.url}/screen/?c=${CID}&v=v2`);
    await shows(v2, b.name);
    const all = await browser.page({ width: 1920, height: 1080, locale: 'zh-CN' });
    await all.goto(`${hub.url}/screen/?c=${CID}`);
    await shows(all, b.name);
    await screenshot(node, 'venue-stage-node-zh-CN-1920x1080');
    await screenshot(v2, 'venue-stage-hub-v2-en-1920x1080');
    // Clearing venue 1's stage empties the node's panel and leaves venue 2's.
    await hub.running.service.execute(
      ORGANISER,
      command('stage.set', {
        opId: `${CID}-unstage-v1`,
        competitionId: CID,
        eventId: EVENT,
        roundId: ROUND,
        contestantId: null,
        venueId: 'v1',
      }),
    );
    await until(
      'the node’s stage is empty',
      async () => (await node.locator('[data-testid="stage"] .who').count()) === 0,
    );
    expect(await onStage(v2)).toBe(b.name);
    // The hub's console lists each venue's stage; its "clear" empties venue 2's screen.
    const organiser = await browser.page({ width: 1280, height: 800, locale: 'zh-CN' });
    await signIn(organiser, hub.url);
    const row = organiser.getByTestId(`venue-stage-${EVENT}-v2`);
    await row.waitFor();
    expect(await row.innerText()).toContain(b.name);
    expect(await organiser.getByTestId(`venue-stage-${EVENT}-v1`).innerText()).toContain('—');
    await row.scrollIntoViewIfNeeded();
    await screenshot(organiser, 'venue-stage-console-zh-CN-1280x800');
    await row.getByRole('button').click();
    await until(
      'venue 2’s stage is empty',
      async () => (await v2.locator('[data-testid="stage"] .who').count()) === 0,
    );
    for (const page of [node, v2, all, organiser]) await page.close();
  }, 90_000);

  it('keeps a stage set at the node’s console, shows it at the hub, and reports another venue’s as refused', async () => {
    const [mine, theirs] = [at('v1')[1]!, at('v2')[1]!];
    const nodeConsole = await browser.page({ width: 1280, height: 800, locale: 'zh-CN' });
    await signIn(nodeConsole, venue.url);
    const pick = nodeConsole.locator(`select:has(option[value="${mine.id}"])`).first();
    const setStage = nodeConsole.getByRole('button', { name: '设为上场' });
    await pick.selectOption(mine.id);
    await setStage.first().click();
    const onStage = (page: Page) => page.locator('[data-testid="stage"] .who .name');
    const shows = (page: Page, name: string) =>
      until(`${page.url()} shows ${name} on stage`, async () => {
        const who = onStage(page);
        return (await who.count()) > 0 && (await who.innerText()) === name;
      });
    const node = await browser.page({ width: 1920, height: 1080, locale: 'zh-CN' });
    await node.goto(`${venue.url}/screen/?c=${CID}`);
    await shows(node, mine.name);
    const hubV1 = await browser.page({ width: 1920, height: 1080, locale: 'zh-CN' });
    await hubV1.goto(`${hub.url}/screen/?c=${CID}&v=v1`);
    await shows(hubV1, mine.name);
    // Link cycles later the node's screen still shows it (before: the hub's stage flipped it back).
    const status = () => venue.running.venueNode?.status();
    const cycles = status()?.lastContact ?? 0;
    await until('three more link cycles in sync', () => {
      const s = status();
      return s?.inSync === true && (s.lastContact ?? 0) > cycles + 1_000;
    });
    expect(await onStage(node).innerText()).toBe(mine.name);
    await screenshot(node, 'venue-stage-set-at-node-zh-CN-1920x1080');

    // Another venue's contestant chosen at the node's console: the hub refuses it, the console says so.
    const refusedBefore = status()?.refused ?? 0;
    await pick.selectOption(theirs.id);
    await setStage.first().click();
    await until('refused', () => (status()?.refused ?? 0) > refusedBefore);
    const listed = nodeConsole.getByTestId('venue-refusals');
    await until('listed on the node console', async () =>
      (await listed.innerText()).includes('场地只能设置本场地的上场选手'),
    );
    expect(await listed.innerText()).toContain('场地控制台');
    await screenshot(nodeConsole, 'venue-stage-refused-node-console-zh-CN-1280x800');
    await until('the node is back in sync', () => status()?.inSync === true);
    expect(await onStage(node).innerText()).toBe(mine.name);
    for (const page of [nodeConsole, node, hubV1]) await page.close();
  }, 90_000);
});
