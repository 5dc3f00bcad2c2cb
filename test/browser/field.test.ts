/**
 * The spectator page shows the whole field (issue #15, item 4), real Chromium against a real
 * Podium: every registered contestant in start order with a status, so a registered bib with no
 * score yet is findable (regression: the page listed only the scored ones, and a search for a
 * registered bib found nothing).
 * Needs the built clients: npm run build:client.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import { command, demoCompetition, EVENT, ROUND } from './fixtures.ts';
import { ORGANISER, startPublicTestServer, type PublicTestServer } from './public-server.ts';

const COMPETITION = `field-${Date.now().toString(36)}`;
let server: PublicTestServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await startPublicTestServer(inject('redisUrl'));
  await server.seed(COMPETITION);
  // A13 registers late: no score yet. A012 does not start.
  const setup = demoCompetition(COMPETITION);
  setup.contestants.push({
    id: 'c13',
    eventId: EVENT,
    bib: 'A013',
    name: '迟到的选手',
    organisation: '大连重工',
    region: '辽宁',
  });
  await server.run(ORGANISER, command('setup.put', { opId: crypto.randomUUID(), competition: setup }));
  await server.run(
    ORGANISER,
    command('outcome.set', {
      opId: crypto.randomUUID(),
      competitionId: COMPETITION,
      eventId: EVENT,
      roundId: ROUND,
      contestantId: 'c12',
      outcome: 'dns',
      reason: '未到场',
    }),
  );
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the whole field on the spectator page', () => {
  for (const [locale, size] of [
    ['zh-CN', { width: 390, height: 844 }],
    ['en', { width: 1024, height: 768 }],
  ] as const) {
    it(`lists every registered contestant in start order with a status (${locale})`, async () => {
      const page = await browser.page({ ...size, locale });
      await page.goto(`${server.url}/watch/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
      const field = page.getByTestId('watch-field');
      await field.waitFor();
      await expect
        .poll(() => field.locator('summary').innerText())
        .toContain(locale === 'en' ? '13 registered' : '已报名 13 人');
      await field.locator('summary').click();
      const ids = await field.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-id')));
      expect(ids).toEqual(Array.from({ length: 13 }, (_, i) => `c${i + 1}`));
      const status = (id: string) => field.locator(`li[data-id="${id}"]`).getAttribute('data-status');
      expect(await status('c1')).toBe('being_marked');
      expect(await status('c5')).toBe('scored');
      expect(await status('c12')).toBe('dns');
      expect(await status('c13')).toBe('waiting');

      await page.getByTestId('watch-field-search').fill('A013');
      await expect.poll(() => field.locator('li').count()).toBe(1);
      expect(await field.locator('li').innerText()).toContain(locale === 'en' ? 'waiting' : '等待出场');
      await field.scrollIntoViewIfNeeded();
      await screenshot(page, `watch-field-${locale}-${size.width}`);

      // Charts with one followed contestant (one data point), histogram and team names.
      await page
        .locator('li[data-id="c5"] button.star, li[data-id="c5"] button[aria-pressed]')
        .first()
        .click();
      // On a phone the charts are a tab; wider pages show them beside the ranking.
      const chartsTab = page.getByRole('tab', { name: locale === 'en' ? 'Charts' : '图表' });
      if (await chartsTab.isVisible()) await chartsTab.click();
      await page.locator('canvas').first().waitFor();
      await page.waitForTimeout(800);
      await screenshot(page, `watch-charts-${locale}-${size.width}`);
      await page.close();
    }, 60_000);
  }
});
