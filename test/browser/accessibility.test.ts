/**
 * Accessibility on contest day (issue #15, item 9), real Chromium against a real Podium:
 *  - the spectator page announces rank changes politely to screen readers (an aria-live="polite"
 *    region with a short summary); before, nothing was announced;
 *  - the judge app has a skip link past the contestant list into the mark sheet;
 *  - keyboard focus is visible on every input (the judge's code and mark fields had none).
 * Needs the built clients: npm run build:client.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import { command, EVENT, ROUND } from './fixtures.ts';
import { judgeActor, startPublicTestServer, type PublicTestServer } from './public-server.ts';

const COMPETITION = `a11y-${Date.now().toString(36)}`;
let server: PublicTestServer;
let browser: TestBrowser;
let token: string;

beforeAll(async () => {
  server = await startPublicTestServer(inject('redisUrl'));
  await server.seed(COMPETITION);
  browser = await launchBrowser();
  const response = await fetch(`${server.url}/api/auth/organiser`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'admin', password: 'browser-test-password' }),
  });
  token = ((await response.json()) as { token: string }).token;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The focused element's outline, as drawn. */
const focusOutline = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (el === null) return null;
    const style = getComputedStyle(el);
    return { tag: el.tagName, style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });

describe('accessibility', () => {
  it('announces rank changes politely on the spectator page', async () => {
    const page = await browser.page({ width: 390, height: 844 });
    await page.goto(`${server.url}/watch/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
    const region = page.getByTestId('rank-announcer');
    await region.waitFor({ state: 'attached' });
    expect(await region.getAttribute('aria-live')).toBe('polite');
    expect((await region.innerText()).trim()).toBe('');
    await page.locator('[data-id="c1"]').first().waitFor();

    // The chief judge's top marks lift c1 (张伟).
    await server.run(
      judgeActor(COMPETITION, 'j3'),
      command('marks.submit', {
        opId: crypto.randomUUID(),
        competitionId: COMPETITION,
        eventId: EVENT,
        roundId: ROUND,
        contestantId: 'c1',
        marks: { quality: '50', safety: '30', speed: '20' },
      }),
    );
    await expect.poll(() => region.innerText(), { timeout: 20_000 }).toMatch(/张伟 (升至第|第) \d+ 名/);
    await page.close();
  }, 60_000);

  it('offers the judge a skip link past the contestant list, and shows focus on every input', async () => {
    const page = await browser.page({ width: 1024, height: 768 });
    // The sign-in code field shows where the focus is.
    await page.goto(`${server.url}/judge/`);
    await page.locator('input[name="code"]').waitFor();
    await page.keyboard.press('Tab');
    for (let i = 0; i < 6 && (await page.evaluate(() => document.activeElement?.tagName)) !== 'INPUT'; i++) {
      await page.keyboard.press('Tab');
    }
    const signIn = await focusOutline(page);
    expect(signIn).toMatchObject({ tag: 'INPUT', style: 'solid' });
    expect(signIn?.width).toBeGreaterThanOrEqual(2);

    const issued = await fetch(`${server.url}/api/competitions/${COMPETITION}/judges/j1/code`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    const { code } = (await issued.json()) as { code: string };
    await page.goto(`${server.url}/judge/#code=${encodeURIComponent(code)}`);
    await page.locator('[data-contestant="c1"]').first().waitFor();
    await page.locator('[data-contestant="c1"]').first().click();
    await page.locator('#sheet-pane input[type="text"]').first().waitFor();

    // The skip link is hidden until reached by keyboard, then visible, and lands in the sheet.
    const skip = page.getByTestId('skip-to-sheet');
    expect((await skip.boundingBox())?.y ?? 0).toBeLessThan(0);
    await skip.focus();
    expect((await skip.boundingBox())?.y ?? -1).toBeGreaterThanOrEqual(0);
    await screenshot(page, 'judge-skip-link-tablet-zh');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120)))
      .toContain('input');
    expect(await page.evaluate(() => document.activeElement?.closest('#sheet-pane') !== null)).toBe(true);
    const mark = await focusOutline(page);
    expect(mark).toMatchObject({ tag: 'INPUT', style: 'solid' });
    expect(mark?.width).toBeGreaterThanOrEqual(2);
    await page.close();
  }, 60_000);
});
