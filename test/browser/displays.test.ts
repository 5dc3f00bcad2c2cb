/**
 * The organiser reaches every display (issue #15, item 2), real Chromium against a real Podium:
 *  - the landing page links to the console and the judge app (regression: it had no such links);
 *  - the console's Displays tab lists the big screen, spectator page, overlay and ceremony page of
 *    each event round at the public address, with open, copy and QR (regression: no link at all);
 *  - big-screen settings go into its address and the screen honours them: rows per page, text
 *    size, no second line, a colour legend;
 *  - a named screen (`d=`) takes settings the organiser pushes from the console at once, without a
 *    reload, and falls back to its address when they are removed (regression: address only);
 *  - the text size scales the screen's own size (regression: `scale` replaced it with 16 px, so a
 *    4K screen drew 1080p-sized text).
 * Needs the built clients: npm run build:client.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import { EVENT, ROUND } from './fixtures.ts';
import { startPublicTestServer, type PublicTestServer } from './public-server.ts';

const COMPETITION = `disp-${Date.now().toString(36)}`;
let server: PublicTestServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await startPublicTestServer(inject('redisUrl'));
  await server.seed(COMPETITION);
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const rootSize = (page: Page): Promise<number> =>
  page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));

async function openDisplays(page: Page): Promise<void> {
  await page.goto(`${server.url}/admin/#c=${COMPETITION}&tab=displays`);
  await page.evaluate(() => localStorage.removeItem('podium.admin.token'));
  await page.reload();
  await page.fill('input[name="user"]', 'admin');
  await page.fill('input[name="password"]', 'browser-test-password');
  await page.click('button[type="submit"]');
  await page.getByTestId('display-round').first().waitFor();
}

describe('displays', () => {
  it('links the console, the judge app and the team leaders’ page from the landing page', async () => {
    const page = await browser.page({ width: 390, height: 844 });
    await page.goto(`${server.url}/`);
    expect(await page.getByTestId('link-console').getAttribute('href')).toBe('/admin/');
    expect(await page.getByTestId('link-judge').getAttribute('href')).toBe('/judge/');
    expect(await page.getByTestId('link-leader').getAttribute('href')).toBe('/leader/');
    await screenshot(page, 'landing-staff-links-phone-zh');
    await page.close();
  });

  it('lists every display of each round with open, copy and QR, and the screen honours its settings', async () => {
    const page = await browser.page({ width: 1024, height: 768 });
    await openDisplays(page);
    const round = page.locator(`[data-testid="display-round"][data-event="${EVENT}"][data-round="${ROUND}"]`);
    const urlOf = (kind: string) =>
      round.locator(`li[data-kind="${kind}"] [data-testid="display-url"]`).innerText();
    const base = `${server.url}`;
    expect(await urlOf('screen')).toBe(`${base}/screen/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
    expect(await urlOf('watch')).toBe(`${base}/watch/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
    expect(await urlOf('overlay')).toBe(`${base}/overlay/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
    expect(await urlOf('ceremony')).toBe(`${base}/ceremony/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
    expect(await round.locator('li[data-kind="screen"] a').getAttribute('href')).toBe(await urlOf('screen'));

    // QR on demand; copying works on plain HTTP too (no Clipboard API there).
    await round.locator('li[data-kind="watch"] button', { hasText: '二维码' }).click();
    await round.locator('li[data-kind="watch"] img.qr').waitFor();
    await round.locator('li[data-kind="watch"] button', { hasText: '复制地址' }).click();
    await page.getByText('地址已复制').first().waitFor();

    await page.getByTestId('display-rows').fill('6');
    await page.getByTestId('display-scale').fill('130');
    await page.getByTestId('display-detail').uncheck();
    await page.getByTestId('display-legend').check();
    const screenUrl = await urlOf('screen');
    expect(screenUrl).toBe(
      `${base}/screen/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}&rows=6&scale=130&detail=0&legend=1`,
    );
    await screenshot(page, 'displays-tablet-zh');

    const screen = await browser.page({ width: 1920, height: 1080 });
    await screen.goto(screenUrl);
    await screen.locator('.ranking li').first().waitFor();
    expect(await screen.locator('.ranking li').count()).toBe(6);
    await screen.getByTestId('screen-legend').waitFor();
    expect(await screen.getByTestId('screen-legend').innerText()).toContain('金牌');
    expect(await screen.locator('.ranking li .detail').first().isVisible()).toBe(false);
    // 1080p: one rem is 1.05 % of the width (20.16 px), times 130 %.
    expect(await rootSize(screen)).toBeCloseTo(26.21, 1);
    await screenshot(screen, 'displays-screen-1080-zh-settings');
    await screen.close();
    await page.close();
  }, 120_000);

  it('pushes settings live to a named screen that is already open, and takes them back', async () => {
    const screen = await browser.page({ width: 1920, height: 1080 });
    await screen.goto(`${server.url}/screen/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}&d=hall-a`);
    await screen.locator('.ranking li').first().waitFor();
    const before = await screen.locator('.ranking li').count();
    expect(before).toBeGreaterThan(6);
    expect(await screen.getByTestId('screen-legend').count()).toBe(0);
    expect(await rootSize(screen)).toBeCloseTo(20.16, 1);

    const page = await browser.page({ width: 1280, height: 800 });
    await openDisplays(page);
    await page.getByTestId('display-name').fill('hall-a');
    const round = page.locator(`[data-testid="display-round"][data-event="${EVENT}"][data-round="${ROUND}"]`);
    expect(await round.locator('li[data-kind="screen"] [data-testid="display-url"]').innerText()).toBe(
      `${server.url}/screen/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}&d=hall-a`,
    );
    await page.getByTestId('display-rows').fill('6');
    await page.getByTestId('display-scale').fill('130');
    await page.getByTestId('display-detail').uncheck();
    await page.getByTestId('display-legend').check();
    await page.getByTestId('display-push').click();
    await page.getByText('设置已推送到大屏 hall-a').waitFor();
    await page.locator('[data-testid="named-displays"] li[data-display="hall-a"]').waitFor();
    await screenshot(page, 'displays-named-push-tablet-zh');

    // The open screen changes without a reload.
    await screen.getByTestId('screen-legend').waitFor();
    await expect.poll(() => screen.locator('.ranking li').count()).toBe(6);
    expect(await screen.locator('.ranking li .detail').first().isVisible()).toBe(false);
    expect(await rootSize(screen)).toBeCloseTo(26.21, 1);
    await screenshot(screen, 'displays-named-screen-1080-zh-pushed');

    await page
      .locator('[data-testid="named-displays"] li[data-display="hall-a"] button', { hasText: '移除' })
      .click();
    await screen.getByTestId('screen-legend').waitFor({ state: 'detached' });
    await expect.poll(() => screen.locator('.ranking li').count()).toBe(before);
    expect(await rootSize(screen)).toBeCloseTo(20.16, 1);
    await screen.close();
    await page.close();
  }, 120_000);

  it('sizes text by the screen, so a 4K screen draws twice the 1080p size', async () => {
    const screen = await browser.page({ width: 3840, height: 2160 });
    await screen.goto(`${server.url}/screen/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
    await screen.locator('.ranking li').first().waitFor();
    expect(await rootSize(screen)).toBeCloseTo(40.32, 1);
    await screen.close();
  }, 60_000);

  it('draws bib, organisation, category and the provisional tag at 24 px or more at 1080p (regression: 17.6 and 14 px)', async () => {
    const page = await browser.page({ width: 1920, height: 1080 });
    await page.goto(`${server.url}/screen/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
    await page.locator('.ranking li .prov').first().waitFor();
    const sizes = await page.evaluate(() =>
      ['.ranking li .detail', '.ranking li .bib', '.ranking li .prov'].map((selector) => {
        const el = document.querySelector(selector);
        return el === null ? 0 : parseFloat(getComputedStyle(el).fontSize);
      }),
    );
    for (const size of sizes) expect(size).toBeGreaterThanOrEqual(24);
    await screenshot(page, 'screen-1080-zh-text-sizes');
    await page.close();
  }, 60_000);

  it('names the event and round on the stream overlay (regression: the overlay showed neither)', async () => {
    const page = await browser.page({ width: 1920, height: 1080 });
    await page.goto(`${server.url}/overlay/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
    await page.getByTestId('overlay-where').waitFor();
    expect((await page.getByTestId('overlay-where').innerText()).replace(/\s+/g, ' ')).toBe(
      '焊工 · 实操考核',
    );
    await screenshot(page, 'overlay-1080-zh-where');
    await page.close();
  }, 60_000);

  it('fits a phone in English', async () => {
    const page = await browser.page({ width: 390, height: 844, locale: 'en' });
    await openDisplays(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'displays-phone-en');
    await page.close();
  }, 60_000);
});
