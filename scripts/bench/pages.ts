/**
 * bench:pages — the client pages at event size, in real Chromium (/usr/bin/chromium, headless).
 *   npm run bench:pages -- [--contestants 1000] [--extra 200] [--seconds 20] [--base 20] [--burst 120] [--runs 1]
 * Builds a 1,000-contestant event through the organiser API of a real Podium (own Redis), gives
 * everyone a first mark, then drives marks at --base/s with 2 s bursts of --burst/s every 10 s
 * through seven real judge sockets while it measures, one page at a time:
 *  - spectator page, 390×844, CPU throttled 4× (a mid-range phone): main-thread busy %, p95 frame,
 *    each search keystroke's time to the next frame, rows in the DOM, whether the last row is
 *    reachable by scrolling alone;
 *  - big screen, 1920×1080: busy %, p95 frame, rows moving at once, the pager;
 *  - judge worklist, 1024×768: longest task (load and marking), whether a bib can be searched;
 *  - organiser console, contestants tab of 1,200: time from the tap to the table's first frame.
 * With --runs N every page is measured N times and the medians are reported; --only spectator,screen
 * measures some pages; --profile <dir> writes a Chromium CPU profile of each page's measuring window
 * there (read it with npm run bench:profile). JSON last line.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../../test/support/browser.ts';
import { spawnPodium, TEST_ADMIN_PASSWORD, TEST_ADMIN_USER } from '../../test/support/podium-server.ts';
import { freePort, startRedisServer } from '../../test/support/redis-server.ts';
import { log, numberOption, readOptions } from './lib/args.ts';
import { sleep } from './lib/clock.ts';
import { repoRoot } from './lib/spawn.ts';
import {
  OrganiserApi,
  PAGES_EVENT,
  PAGES_JUDGES,
  PAGES_ROUND,
  pagesBib,
  pagesContestantId,
} from './pages/event.ts';
import { judgeToken, MarkDriver } from './pages/marks.ts';
import { installRecorder, longestTaskSinceLoad, measureWindow, median, timeToFrame } from './pages/probe.ts';

interface Options {
  contestants: number;
  seconds: number;
  base: string;
  competitionId: string;
  judgeCode: string;
  /** Folder for CPU profiles of the measuring windows, or null. */
  profileDir: string | null;
}

/** Start a CPU profile of the page when asked; the returned function stops it and writes the file. */
async function profileWindow(cdp: CDPSession, o: Options, name: string): Promise<() => Promise<void>> {
  if (o.profileDir === null) return async () => {};
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  return async () => {
    const { profile } = await cdp.send('Profiler.stop');
    mkdirSync(o.profileDir ?? '.', { recursive: true });
    writeFileSync(join(o.profileDir ?? '.', `${name}.cpuprofile`), JSON.stringify(profile));
  };
}

const READY_MS = 180_000;

async function cdpOf(page: Page, throttle: number) {
  const cdp = await page.context().newCDPSession(page);
  if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  return cdp;
}

/** The spectator page on a throttled phone. */
async function spectator(browser: TestBrowser, o: Options) {
  const page = await browser.page({ width: 390, height: 844 });
  await installRecorder(page, false);
  const cdp = await cdpOf(page, 4);
  try {
    await page.goto(`${o.base}/watch/?c=${o.competitionId}&e=${PAGES_EVENT}&r=${PAGES_ROUND}`);
    await page.waitForSelector('[data-testid="ranking"] li', { timeout: READY_MS });
    await sleep(2_000);
    const profiled = await profileWindow(cdp, o, 'spectator');
    const stop = await measureWindow(page, cdp);
    await sleep(o.seconds * 1000);
    const measured = await stop();
    await profiled();
    // Type a bib near the end, one keystroke at a time.
    const target = Math.max(0, o.contestants - 13);
    const bib = pagesBib(target);
    const keystrokes: Array<number | null> = [];
    for (let n = 1; n <= bib.length; n++) {
      const value = bib.slice(0, n);
      keystrokes.push(
        await timeToFrame(
          page,
          `const i = document.querySelector('.filters input[type="search"], input[type="search"]'); i.value = ${JSON.stringify(value)}; i.dispatchEvent(new Event('input', { bubbles: true }));`,
          30_000,
        ),
      );
      await sleep(300);
    }
    const found = await page
      .waitForSelector(`[data-testid="ranking"] li[data-id="${pagesContestantId(target)}"]`, {
        timeout: 30_000,
      })
      .then(() => true)
      .catch(() => false);
    await timeToFrame(
      page,
      `const i = document.querySelector('input[type="search"]'); i.value = ''; i.dispatchEvent(new Event('input', { bubbles: true }));`,
      30_000,
    );
    await sleep(1_000);
    // Scroll to the bottom a few times: is the last place reachable without any button?
    let maxRank = 0;
    for (let k = 0; k < 6; k++) {
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await sleep(700);
      maxRank = await page.evaluate(() =>
        Math.max(
          0,
          ...[...document.querySelectorAll('[data-testid="ranking"] li')].map((li) =>
            Number(li.getAttribute('data-rank')),
          ),
        ),
      );
    }
    const dom = await page.evaluate(() => ({
      rows: document.querySelectorAll('[data-testid="ranking"] li').length,
      elements: document.getElementsByTagName('*').length,
    }));
    const timed = keystrokes.filter((k): k is number => k !== null);
    return {
      ...measured,
      searchKeystrokeMs: {
        median: median(timed),
        max: Math.max(0, ...timed),
        timedOut: keystrokes.length - timed.length,
      },
      searchFound: found,
      domRows: dom.rows,
      domElements: dom.elements,
      lastPlaceShownByScroll: maxRank,
      lastRowReachableByScroll: maxRank >= Math.floor(o.contestants * 0.99),
    };
  } finally {
    await page.close();
  }
}

/** The big screen in a hall. */
async function bigScreen(browser: TestBrowser, o: Options) {
  const page = await browser.page({ width: 1920, height: 1080 });
  await installRecorder(page, true);
  const cdp = await cdpOf(page, 1);
  try {
    await page.goto(`${o.base}/screen/?c=${o.competitionId}&e=${PAGES_EVENT}&r=${PAGES_ROUND}`);
    await page.waitForSelector('.ranking li', { timeout: READY_MS });
    await sleep(2_000);
    const profiled = await profileWindow(cdp, o, 'screen');
    const stop = await measureWindow(page, cdp);
    await sleep(o.seconds * 1000);
    const measured = await stop();
    await profiled();
    const pager = await page.evaluate(() => ({
      text: document.querySelector('.pager')?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
      dots: document.querySelectorAll('.pager .dot').length,
      rowsShown: document.querySelectorAll('.ranking li').length,
    }));
    return { ...measured, pager };
  } finally {
    await page.close();
  }
}

/** A judge's tablet with the whole event in its worklist. */
async function judgeTablet(browser: TestBrowser, o: Options) {
  const page = await browser.page({ width: 1024, height: 768 });
  await installRecorder(page, false);
  const cdp = await cdpOf(page, 1);
  try {
    await page.goto(`${o.base}/judge/#code=${encodeURIComponent(o.judgeCode)}`);
    await page.waitForSelector('[data-contestant]', { timeout: READY_MS });
    await sleep(2_000);
    const profiled = await profileWindow(cdp, o, 'judge');
    const stop = await measureWindow(page, cdp);
    await sleep(o.seconds * 1000);
    const measured = await stop();
    await profiled();
    const longestSinceLoad = await longestTaskSinceLoad(page);
    const target = Math.max(0, o.contestants - 13);
    const search = page.locator('[data-testid="worklist-search"]');
    let searchMs: number | null = null;
    let jumped = false;
    if ((await search.count()) > 0) {
      searchMs = await timeToFrame(
        page,
        `const i = document.querySelector('[data-testid="worklist-search"]'); i.value = ${JSON.stringify(pagesBib(target))}; i.dispatchEvent(new Event('input', { bubbles: true }));`,
        30_000,
      );
      jumped = await page
        .locator(`button[data-contestant="${pagesContestantId(target)}"]`)
        .first()
        .isVisible()
        .catch(() => false);
    }
    return {
      ...measured,
      longestTaskSinceLoadMs: longestSinceLoad,
      searchByBib: (await search.count()) > 0,
      searchMs,
      bibShownAfterSearch: jumped,
      worklistRowsInDom: await page.locator('[data-contestant]').count(),
    };
  } finally {
    await page.close();
  }
}

/** The organiser console's contestants table. */
async function consoleTable(browser: TestBrowser, o: Options) {
  const page = await browser.page({ width: 1280, height: 900, locale: 'en' });
  await installRecorder(page, false);
  try {
    await page.goto(`${o.base}/admin/#c=${o.competitionId}&tab=setup`);
    await page.fill('input[name="user"]', TEST_ADMIN_USER);
    await page.fill('input[name="password"]', TEST_ADMIN_PASSWORD);
    await page.click('button[type="submit"]');
    const tab = page.getByRole('tab', { name: 'Contestants' });
    await tab.waitFor({ timeout: READY_MS });
    await sleep(1_000);
    const from = await page.evaluate(() => performance.now());
    const readyMs = await timeToFrame(
      page,
      `[...document.querySelectorAll('[role="tab"]')].find((b) => b.textContent.trim() === 'Contestants').click();`,
      60_000,
    );
    await page.waitForSelector('table.data tbody tr', { timeout: 60_000 });
    const after = await page.evaluate((since) => {
      const rec = (window as unknown as { __bench: { longTasks: number[][] } }).__bench;
      return {
        longestTaskMs: Math.round(
          Math.max(0, ...rec.longTasks.filter((x) => (x[0] ?? 0) >= since - 1).map((x) => x[1] ?? 0)),
        ),
        elements: document.getElementsByTagName('*').length,
        options: document.getElementsByTagName('option').length,
        rowsInDom: document.querySelectorAll('table.data tbody tr').length,
        countText: document.querySelector('.row-form .muted')?.textContent?.trim() ?? '',
      };
    }, from);
    return { readyMs, ...after };
  } finally {
    await page.close();
  }
}

/** Median of each numeric field over runs (non-numeric fields from the first run). */
function medians<T extends Record<string, unknown>>(runs: T[]): T {
  const first = runs[0] as T;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(first)) {
    out[key] = typeof value === 'number' ? median(runs.map((r) => r[key] as number)) : value;
  }
  return out as T;
}

async function main(): Promise<void> {
  const values = readOptions({
    contestants: { type: 'string' },
    extra: { type: 'string' },
    seconds: { type: 'string' },
    base: { type: 'string' },
    burst: { type: 'string' },
    runs: { type: 'string' },
    only: { type: 'string' },
    profile: { type: 'string' },
  });
  const only = typeof values.only === 'string' ? values.only.split(',') : null;
  const profileDir = typeof values.profile === 'string' ? values.profile : null;
  const contestants = Math.round(numberOption(values, 'contestants', 1000));
  const extra = Math.round(numberOption(values, 'extra', 200));
  const seconds = numberOption(values, 'seconds', 20);
  const baseRate = numberOption(values, 'base', 20);
  const burstRate = numberOption(values, 'burst', 120);
  const runs = Math.min(5, Math.round(numberOption(values, 'runs', 1)));
  if (!existsSync(join(repoRoot, 'dist', 'client', 'watch', 'index.html'))) {
    throw new Error('The clients are not built: run `npm run build:client` first.');
  }
  const redis = await startRedisServer();
  const port = await freePort();
  const podium = await spawnPodium({
    redisUrl: redis.url,
    env: {
      PORT: String(port),
      PODIUM_ALLOWED_ORIGINS: `http://127.0.0.1:${port}`,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    },
  });
  const browser = await launchBrowser();
  const competitionId = `pages-${Date.now().toString(36)}`;
  let driver: MarkDriver | null = null;
  try {
    log(`pages: building ${contestants} + ${extra} contestants through the API …`);
    const api = await OrganiserApi.signIn(podium.url, TEST_ADMIN_USER, TEST_ADMIN_PASSWORD);
    const codes = await api.build(competitionId, contestants, extra);
    const tokens = await Promise.all(PAGES_JUDGES.map((j) => judgeToken(podium.url, codes[j] ?? '')));
    driver = new MarkDriver(podium.url, competitionId, contestants);
    await driver.connect(tokens);
    log('pages: a first mark for everyone …');
    await driver.markEveryone(120);
    const rates = { base: baseRate, burst: burstRate, burstMs: 2_000, periodMs: 10_000 };
    driver.start(rates);
    const o: Options = {
      contestants,
      seconds,
      base: podium.url,
      competitionId,
      judgeCode: codes.j1 ?? '',
      profileDir,
    };
    const result: Record<string, unknown> = {};
    const pages = [
      ['spectatorPhone4x', 'spectator', spectator],
      ['bigScreen', 'screen', bigScreen],
      ['judgeWorklist', 'judge', judgeTablet],
      ['consoleContestants', 'console', consoleTable],
    ] as const;
    for (const [name, short, measure] of pages) {
      if (only !== null && !only.includes(short)) continue;
      const all: Array<Record<string, unknown>> = [];
      for (let r = 0; r < runs; r++) {
        log(`pages: ${name} (run ${r + 1}/${runs}) …`);
        // Bounded: a page that stops answering is reported as such, and the run goes on.
        const limitMs = (o.seconds * 4 + 240) * 1000;
        let timer: ReturnType<typeof setTimeout> | undefined;
        all.push(
          await Promise.race([
            measure(browser, o),
            new Promise<Record<string, unknown>>((resolve) => {
              timer = setTimeout(
                () => resolve({ error: `no result within ${limitMs / 1000} s (page not answering)` }),
                limitMs,
              );
            }),
          ]),
        );
        clearTimeout(timer);
        log(`  ${JSON.stringify(all[all.length - 1])}`);
      }
      result[name] = runs === 1 ? all[0] : { median: medians(all), runs: all };
    }
    await driver.stop();
    console.log(
      JSON.stringify({
        bench: 'pages',
        contestants,
        consoleRows: contestants + extra,
        marksPerS: { base: baseRate, burst: burstRate, burstSPer10s: 2 },
        secondsPerPage: seconds,
        runs,
        marks: driver.tally,
        ...result,
      }),
    );
  } finally {
    driver?.close();
    await browser.close();
    await podium.stop();
    await redis.stop();
    redis.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
