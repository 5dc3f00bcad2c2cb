/**
 * The pages at event size (issue #20), in real Chromium against a real Podium with 1,000
 * contestants, each marked once (distinct totals, so every place is known):
 *  - the spectator page keeps far fewer rows in the page than contestants, yet the last place is
 *    reachable by scrolling and a bib near the end is found by search (regression: 100 rows and a
 *    "more" button, 9,536 elements, every row animated);
 *  - the big screen pages 1,000 rows as "page N / M" (regression: 100 pager dots) and animates only
 *    the rows that changed place, the rising one on top (regression: animate:flip on every row);
 *  - the judge worklist jumps to a typed bib (regression: no search in a 1,000-row list);
 *  - the console's contestants table has no per-row list of every team (regression: 80,800 <option>s).
 * Screenshots at phone, tablet and desktop size in both languages. Needs npm run build:client.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompetitionInput } from '../../shared/model.ts';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import { command } from './fixtures.ts';
import { judgeActor, ORGANISER, startPublicTestServer, type PublicTestServer } from './public-server.ts';

const COUNT = 1000;
const EVENT = 'weld';
const ROUND = 'r1';
const competitionId = `size-${Date.now().toString(36)}`;
const id = (i: number): string => `c${String(i + 1).padStart(4, '0')}`;
const bib = (i: number): string => `A${String(i + 1).padStart(4, '0')}`;
/** Distinct scores 0…999 in a shuffled order (7919 is prime to 1000). */
const score = (i: number): number => (i * 7919) % COUNT;

let server: PublicTestServer;
let browser: TestBrowser;

function competition(): CompetitionInput {
  return {
    id: competitionId,
    name: '2026 全国职业技能大赛 · 千人规模',
    events: [
      {
        id: EVENT,
        name: '焊工',
        criteria: [{ id: 'score', label: '得分', max: 1000, step: 0.5 }],
        scoring: { aggregation: { kind: 'mean' }, decimals: 1, blind: false },
        rounds: [{ id: ROUND, name: '实操考核', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: Array.from({ length: COUNT }, (_, i) => ({
      id: id(i),
      eventId: EVENT,
      bib: bib(i),
      name: i % 97 === 0 ? `欧阳慕容雪晴·阿依古丽 ${i + 1}` : `选手 ${i + 1}`,
      organisation: `第${(i % 100) + 1}职业技术学院`,
      region: `地区${(i % 31) + 1}`,
      teamId: `t${Math.floor(i / 3) + 1}`,
    })),
    teams: Array.from({ length: Math.ceil(COUNT / 3) }, (_, i) => ({
      id: `t${i + 1}`,
      name: `代表队 ${i + 1}`,
    })),
    judges: [
      { id: 'j1', name: '李评委', role: 'judge', eventIds: [EVENT] },
      { id: 'j2', name: '王评委', role: 'judge', eventIds: [EVENT] },
    ],
  };
}

/** j1's mark for contestant `i`. */
const mark = (i: number, value: number) =>
  server.run(
    judgeActor(competitionId, 'j1'),
    command('marks.submit', {
      opId: crypto.randomUUID(),
      competitionId,
      eventId: EVENT,
      roundId: ROUND,
      contestantId: id(i),
      marks: { score: String(value) },
    }),
  );

/** Index of the contestant holding place `rank` (1 = best). */
const atRank = (rank: number): number => {
  const wanted = COUNT - rank;
  return Array.from({ length: COUNT }, (_, i) => i).find((i) => score(i) === wanted) ?? -1;
};

beforeAll(async () => {
  if (!existsSync(join(process.cwd(), 'dist', 'client', 'watch', 'index.html'))) {
    throw new Error('The clients are not built: run `npm run build:client` first.');
  }
  server = await startPublicTestServer(inject('redisUrl'));
  await server.run(
    ORGANISER,
    command('setup.put', { opId: crypto.randomUUID(), competition: competition() }),
  );
  await server.run(
    ORGANISER,
    command('round.state', {
      opId: crypto.randomUUID(),
      competitionId,
      eventId: EVENT,
      roundId: ROUND,
      state: 'open',
    }),
  );
  for (let i = 0; i < COUNT; i++) await mark(i, score(i));
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const query = `c=${competitionId}&e=${EVENT}&r=${ROUND}`;

describe('spectator page at 1,000 contestants', () => {
  it('renders only the rows in view, reaches the last place by scrolling, and finds a bib near the end', async () => {
    const page = await browser.page({ width: 390, height: 844 });
    await page.goto(`${server.url}/watch/?${query}`);
    await page.waitForSelector(`[data-testid="ranking"][data-rows="${COUNT}"] li`, { timeout: 30_000 });
    const inPage = await page.locator('[data-testid="ranking"] li').count();
    expect(inPage).toBeGreaterThan(5);
    expect(inPage).toBeLessThanOrEqual(60);

    // Scrolling alone (no "more" button) brings the last place into the page.
    await expect
      .poll(
        async () => {
          await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
          return page.locator(`[data-testid="ranking"] li[data-rank="${COUNT}"]`).count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    expect(await page.locator('[data-testid="ranking"] li').count()).toBeLessThanOrEqual(60);

    // Search for a bib near the end: it is found and shown.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.fill('.filters input[type="search"]', bib(COUNT - 10));
    const row = page.locator(`[data-testid="ranking"] li[data-id="${id(COUNT - 10)}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.isVisible()).toBe(true);
    // Full-width input finds it too (NFKC).
    await page.fill('.filters input[type="search"]', 'Ａ０９９０');
    await page.locator(`[data-testid="ranking"] li[data-id="${id(989)}"]`).waitFor({ timeout: 10_000 });
    // The region filter is a searchable field, not a <select> of every region.
    expect(await page.locator('.filters select').count()).toBe(0);
    await page.close();
  }, 90_000);
});

describe('big screen at 1,000 contestants', () => {
  it('shows "page N / M" instead of one dot per page, with rows and pages settable per display', async () => {
    const page = await browser.page({ width: 1920, height: 1080, locale: 'en' });
    await page.goto(`${server.url}/screen/?${query}`);
    await page.waitForSelector('.ranking li', { timeout: 30_000 });
    const pager = page.getByTestId('pager');
    await expect.poll(() => pager.innerText()).toContain('Page 1 / 84');
    expect(await page.locator('.pager .dot').count()).toBe(0);
    expect(await page.locator('.ranking li').count()).toBe(12);

    await page.goto(`${server.url}/screen/?${query}&rows=25&upto=100`);
    await page.waitForSelector('.ranking li', { timeout: 30_000 });
    await expect.poll(() => page.getByTestId('pager').innerText()).toContain('Page 1 / 4');
    expect(await page.locator('.ranking li').count()).toBe(25);
    await page.close();
  }, 60_000);

  it('animates only the rows that changed place, the rising row on top', async () => {
    const page = await browser.page({ width: 1920, height: 1080 });
    await page.goto(`${server.url}/screen/?${query}&rows=20&page=120000`);
    await page.waitForSelector(`.ranking li[data-rank="20"]`, { timeout: 30_000 });
    // Record every row that is given the move animation class, and whether it was rising.
    await page.evaluate(() => {
      const seen: Record<string, string[]> = {};
      (window as unknown as { moved: Record<string, string[]> }).moved = seen;
      new MutationObserver((records) => {
        for (const r of records) {
          const li = r.target as HTMLElement;
          if (li.classList.contains('moving')) seen[li.dataset.id ?? '?'] = [...li.classList];
        }
      }).observe(document.querySelector('.ranking') as Node, {
        attributes: true,
        attributeFilter: ['class'],
        subtree: true,
      });
    });
    // Place 6 overtakes place 5: exactly two rows change place.
    const riser = atRank(6);
    const passed = atRank(5);
    await mark(riser, COUNT - 5 + 0.5);
    await page.waitForSelector(`.ranking li[data-id="${id(riser)}"][data-rank="5"]`, { timeout: 10_000 });
    await page.waitForTimeout(300);
    const moved = await page.evaluate(() => (window as unknown as { moved: Record<string, string[]> }).moved);
    expect(Object.keys(moved).sort()).toEqual([id(riser), id(passed)].sort());
    expect(moved[id(riser)]).toContain('rising');
    expect(moved[id(passed)]).not.toContain('rising');
    await page.close();
  }, 60_000);
});

describe('judge worklist at 1,000 contestants', () => {
  it('jumps to a typed bib', async () => {
    const { code } = await server.running.auth.issueJudgeCode(competitionId, 'j2');
    const page = await browser.page({ width: 1024, height: 768, locale: 'en' });
    await page.goto(`${server.url}/judge/#code=${encodeURIComponent(code)}`);
    await page.getByTestId('worklist-search').waitFor({ timeout: 30_000 });
    await page.getByTestId('worklist-search').fill(bib(COUNT - 7));
    const row = page.locator(`button[data-contestant="${id(COUNT - 7)}"]`);
    await row.waitFor({ timeout: 10_000 });
    await expect.poll(() => row.isVisible()).toBe(true);
    const box = await row.boundingBox();
    expect(box !== null && box.y >= 0 && box.y + box.height <= 768).toBe(true);
    // Enter opens the first match's mark sheet.
    await page.getByTestId('worklist-search').press('Enter');
    await page.locator(`[data-testid="mark-sheet"][data-contestant="${id(COUNT - 7)}"]`).waitFor();
    await page.close();
  }, 60_000);
});

describe('organiser console at 1,000 contestants', () => {
  it('lists contestants a page at a time with one shared team list, not every team in every row', async () => {
    const page = await browser.page({ width: 1280, height: 900, locale: 'en' });
    await page.goto(`${server.url}/admin/#c=${competitionId}&tab=setup`);
    await page.fill('input[name="user"]', 'admin');
    await page.fill('input[name="password"]', 'browser-test-password');
    await page.click('button[type="submit"]');
    await page.getByRole('tab', { name: 'Contestants' }).click();
    await page.waitForSelector('table.data tbody tr');
    expect(await page.locator('table.data tbody tr').count()).toBeLessThanOrEqual(100);
    expect(await page.locator('option').count()).toBeLessThan(1_000);
    // The first row's team shows as its name and is edited through the shared list.
    const team = page.getByTestId('team-input').first();
    expect(await team.inputValue()).toBe('代表队 1');
    await team.fill('代表队 2');
    await team.press('Tab');
    await page.getByTestId('contestant-pager').getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => page.getByTestId('contestant-pager').innerText()).toContain('2 / 10');
    await page.close();
  }, 60_000);
});

describe('screenshots at event size', () => {
  const sizes = [
    { name: 'phone', width: 390, height: 844 },
    { name: 'tablet', width: 1024, height: 768 },
    { name: 'desktop', width: 1920, height: 1080 },
  ] as const;

  async function settle(page: Page, name: string): Promise<void> {
    await page.waitForTimeout(500);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, name).toBeLessThanOrEqual(0);
    await screenshot(page, name);
  }

  it('renders the screen, the spectator page and the worklist with 1,000 rows at three sizes in both languages', async () => {
    const { code } = await server.running.auth.issueJudgeCode(competitionId, 'j2');
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const size of sizes) {
        const page = await browser.page({ width: size.width, height: size.height, locale });
        await page.goto(`${server.url}/screen/?${query}`);
        await page.waitForSelector('.ranking li');
        await settle(page, `size-screen-${size.name}-${locale}`);
        await page.goto(`${server.url}/watch/?${query}`);
        await page.waitForSelector('[data-testid="ranking"] li');
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        await settle(page, `size-watch-end-${size.name}-${locale}`);
        await page.goto(`${server.url}/judge/#code=${encodeURIComponent(code)}`);
        await page.getByTestId('worklist-search').waitFor({ timeout: 30_000 });
        await page.getByTestId('worklist-search').fill(bib(COUNT - 1));
        await settle(page, `size-judge-${size.name}-${locale}`);
        await page.close();
      }
    }
  }, 240_000);
});
