/**
 * Issue #16, what it takes and why this rank on the displays, real Chromium against a real Podium:
 *  - the big screen's stage panel (?insight=1&line=10) shows the threshold totals the API computes
 *    and the mark the chief judge still has to give on the one open criterion;
 *  - the overlay shows the same for the contestant on stage;
 *  - on the spectator page, tapping a name opens the panel with the judges' marks per criterion.
 * Phone, tablet and 1920×1080, zh-CN and English. Needs the built clients: npm run build.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { InsightAnswer } from '../../shared/insight/answer.ts';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import { command, EVENT, ROUND } from './fixtures.ts';
import { judgeActor, startPublicTestServer, type PublicTestServer } from './public-server.ts';
import { randomUUID } from 'node:crypto';

const COMPETITION = `ins-${Date.now().toString(36)}`;
const BOARD = `${EVENT}|${ROUND}|individual`;
let server: PublicTestServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await startPublicTestServer(inject('redisUrl'));
  await server.seed(COMPETITION);
  // c1 is on stage: the chief judge has marked two of three criteria, so only 操作效率 is open.
  await server.run(
    judgeActor(COMPETITION, 'j3'),
    command('marks.submit', {
      opId: randomUUID(),
      competitionId: COMPETITION,
      eventId: EVENT,
      roundId: ROUND,
      contestantId: 'c1',
      marks: { quality: '27', safety: '13.5' },
    }),
  );
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function apiInsight(contestant: string, line = ''): Promise<InsightAnswer> {
  const res = await fetch(
    `${server.url}/api/competitions/${COMPETITION}/insight?board=${encodeURIComponent(BOARD)}&contestant=${contestant}${line}`,
  );
  return (await res.json()) as InsightAnswer;
}

async function goalText(page: Page, testid: string, goal: string): Promise<string> {
  return page.locator(`[data-testid="${testid}"] [data-goal="${goal}"]`).innerText();
}

describe('what it takes and why this rank on the displays', () => {
  it('the big screen’s stage panel shows the thresholds and the open mark (zh-CN and English, 1920×1080)', async () => {
    // c1 cannot catch the leader any more, but can still reach the 10th place.
    const expected = await apiInsight('c1', '&line=10');
    expect(expected.goals.find((g) => g.kind === 'lead')?.status).toBe('out_of_reach');
    const lead = expected.goals.find((g) => g.kind === 'line');
    expect(lead?.status).toBe('reachable');
    expect(lead?.mark?.criterionId).toBe('speed');
    for (const locale of ['zh-CN', 'en'] as const) {
      const page = await browser.page({ width: 1920, height: 1080, locale });
      await page.goto(`${server.url}/screen/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}&insight=1&line=10`);
      await page.getByTestId('stage-insight').waitFor();
      const text = await goalText(page, 'insight-goals', 'line');
      expect(text).toContain(lead!.total!);
      expect(text).toContain(lead!.mark!.mark!);
      expect(text).toContain('操作效率');
      expect(await page.locator('[data-testid="insight-goals"] [data-goal]').count()).toBe(3);
      await screenshot(page, `insight-screen-1080p-${locale}`);
      await page.close();
    }
  });

  it('without ?insight=1 the big screen shows no forecast', async () => {
    const page = await browser.page({ width: 1920, height: 1080 });
    await page.goto(`${server.url}/screen/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
    await page.getByTestId('stage-total').waitFor();
    await page.waitForTimeout(500);
    expect(await page.getByTestId('stage-insight').count()).toBe(0);
    await page.close();
  });

  it('the overlay shows what it takes for the contestant on stage', async () => {
    const page = await browser.page({ width: 1920, height: 1080, locale: 'en' });
    await page.goto(`${server.url}/overlay/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}&insight=1&line=10`);
    await page.getByTestId('overlay-insight').waitFor();
    expect(await goalText(page, 'overlay-insight', 'lead')).toContain('out of reach');
    expect(await goalText(page, 'overlay-insight', 'line')).toContain('needs');
    await screenshot(page, 'insight-overlay-1080p-en');
    await page.close();
  });

  it('tapping a name on the spectator page opens what it takes and why this rank (phone, tablet; zh-CN, English)', async () => {
    const expected = await apiInsight('c5');
    for (const [width, height, label] of [
      [390, 844, 'phone'],
      [1280, 800, 'tablet'],
    ] as const) {
      for (const locale of ['zh-CN', 'en'] as const) {
        const page = await browser.page({ width, height, locale });
        await page.goto(`${server.url}/watch/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
        await page.locator('[data-testid="ranking"] li[data-id="c5"] button.open').click();
        const panel = page.getByTestId('insight-panel');
        await panel.getByTestId('insight-why').waitFor();
        const quality = panel.locator('tr[data-criterion="quality"]');
        expect(await quality.locator('.mark').count()).toBe(3);
        expect(await quality.innerText()).toContain(expected.sheet!.criteria[0]!.score!);
        await screenshot(page, `insight-watch-${label}-${locale}`);
        await page.keyboard.press('Escape');
        await panel.waitFor({ state: 'detached' });
        await page.close();
      }
    }
  });
});
