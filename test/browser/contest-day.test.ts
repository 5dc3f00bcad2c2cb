/**
 * What a judge and an organiser notice on contest day, in real Chromium against a real Podium:
 *  - after a submit the next contestant still to mark in start order opens (past locked rows);
 *  - the sign-in page fits a 390 px phone;
 *  - marks typed with full-width digits or a decimal comma are accepted and stored as numbers;
 *  - finalize is offered only for rounds that started, and the server refuses the others;
 *  - every page loads without a 404 (favicon) and its scripts arrive compressed.
 * Needs the built clients (npm run build:client).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import {
  spawnLoopbackPodium,
  TEST_ADMIN_PASSWORD,
  TEST_ADMIN_USER,
  type PodiumProcess,
} from '../support/podium-server.ts';
import { demoCompetition, EVENT, ROUND } from './fixtures.ts';
import { signInOrganiser } from './organiserApi.ts';

const COMPETITION = `day-${Date.now().toString(36)}`;

let podium: PodiumProcess;
let browser: TestBrowser;
let adminToken: string;

interface AuditEntry {
  actor: string;
  type: string;
  payload: { contestantId?: string; marks?: Record<string, string> };
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${podium.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as T & { ok: boolean; code?: string; message?: string };
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${json.code ?? ''} ${json.message ?? ''}`);
  return json;
}

const command = (name: string, payload: Record<string, unknown>) =>
  api('POST', `/competitions/${COMPETITION}/commands/${name}`, {
    opId: crypto.randomUUID(),
    competitionId: COMPETITION,
    ...payload,
  });

const judgeCode = async (judgeId: string): Promise<string> =>
  (await api<{ code: string }>('POST', `/competitions/${COMPETITION}/judges/${judgeId}/code`)).code;

async function openJudgeApp(page: Page, code: string): Promise<void> {
  await page.goto(`${podium.url}/judge/#code=${encodeURIComponent(code)}`);
  await page.locator('[data-contestant="c1"]').first().waitFor();
}

async function fillAndSubmit(page: Page, marks: Record<string, string>): Promise<void> {
  for (const [criterionId, value] of Object.entries(marks)) await page.fill(`#mark-${criterionId}`, value);
  await page.getByTestId('submit-marks').click();
  await page.getByTestId('confirm-ok').click();
}

const openSheet = (page: Page) => page.getByTestId('mark-sheet').getAttribute('data-contestant');

beforeAll(async () => {
  podium = await spawnLoopbackPodium();
  adminToken = await signInOrganiser(podium.url);
  await api('PUT', `/competitions/${COMPETITION}/setup`, { competition: demoCompetition(COMPETITION) });
  await command('round.state', { eventId: EVENT, roundId: ROUND, state: 'open' });
  // The chief judge locked c2 … c9 (already dealt with): the next one to mark after c1 is c10.
  for (let i = 2; i <= 9; i++) {
    await command('sheet.lock', { eventId: EVENT, roundId: ROUND, contestantId: `c${i}`, locked: true });
  }
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await podium?.stop();
});

describe('judges on contest day', () => {
  it('opens the next contestant to mark in start order after a submit, past locked rows (regression: "choose a contestant")', async () => {
    const page = await browser.page({ width: 1024, height: 600, locale: 'en' });
    await openJudgeApp(page, await judgeCode('j1'));
    await page.locator('button[data-contestant="c1"]').click();
    await fillAndSubmit(page, { quality: '40', safety: '25', speed: '15' });
    await expect.poll(() => openSheet(page)).toBe('c10');
    expect(await page.getByTestId('submitted-note').textContent()).toContain('A001');
    // The opened contestant is visible in the list too, although it sits below eight locked rows.
    const row = page.locator('button[data-contestant="c10"]');
    await expect.poll(() => row.getAttribute('aria-current')).toBe('true');
    const list = await page.locator('nav.worklist').boundingBox();
    const box = await row.boundingBox();
    expect(
      box !== null && list !== null && box.y >= list.y && box.y + box.height <= list.y + list.height,
    ).toBe(true);
    await screenshot(page, 'day-judge-next-en-1024x600');
    await page.close();
  });

  it('stores marks typed with full-width digits and a decimal comma (regression: "enter a number")', async () => {
    const page = await browser.page({ width: 1024, height: 768, locale: 'zh-CN' });
    await openJudgeApp(page, await judgeCode('j2'));
    await page.locator('button[data-contestant="c11"]').click();
    await page.fill('#mark-quality', '４０');
    await page.fill('#mark-safety', '25,5');
    await page.fill('#mark-speed', '１５．５');
    expect(await page.locator('.problem').count()).toBe(0);
    await expect.poll(() => page.getByTestId('preview-total').textContent()).toBe('81.00');
    await page.getByTestId('submit-marks').click();
    await page.getByTestId('confirm-ok').click();
    await expect
      .poll(async () =>
        (await api<{ entries: AuditEntry[] }>('GET', `/competitions/${COMPETITION}/audit.json`)).entries
          .filter((e) => e.type === 'marks.submit' && e.payload.contestantId === 'c11')
          .map((e) => e.payload.marks),
      )
      .toEqual([{ quality: '40', safety: '25.5', speed: '15.5' }]);
    await page.close();
  });

  it('fits the sign-in page on a 390 px phone (regression: 477 px wide)', async () => {
    const page = await browser.page({ width: 390, height: 844, locale: 'en' });
    await page.goto(`${podium.url}/judge/`);
    await page.evaluate(() => localStorage.removeItem('podium.judge.session'));
    await page.reload();
    await page.locator('#judge-code').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.close();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    it(`takes screenshots of sign-in and the opened next contestant at three sizes in ${locale}`, async () => {
      const code = await judgeCode('j3');
      for (const [width, height] of [
        [1280, 800],
        [1920, 1080],
        [390, 844],
      ] as const) {
        const page = await browser.page({ width, height, locale });
        await page.goto(`${podium.url}/judge/`);
        await page.evaluate(() => localStorage.removeItem('podium.judge.session'));
        await page.reload();
        await page.locator('#judge-code').waitFor();
        await page.fill('#judge-code', 'K7QM-3XWD');
        await screenshot(page, `day-judge-signin-${locale}-${width}x${height}`);
        await openJudgeApp(page, code);
        const contestant = `c${width === 1280 ? 1 : width === 1920 ? 11 : 12}`;
        await page.locator(`button[data-contestant="${contestant}"]`).click();
        await fillAndSubmit(page, { quality: '４２,５', safety: '２７', speed: '18' });
        await page.getByTestId('submitted-note').waitFor();
        await screenshot(page, `day-judge-next-${locale}-${width}x${height}`);
        await page.close();
      }
    }, 120_000);
  }
});

describe('the organiser and every page', () => {
  it('offers finalize only for rounds that started, and the server refuses the others', async () => {
    const page = await browser.page({ width: 1280, height: 800, locale: 'en' });
    await page.goto(`${podium.url}/admin/#c=${COMPETITION}&tab=control`);
    await page.fill('input[name="user"]', TEST_ADMIN_USER);
    await page.fill('input[name="password"]', TEST_ADMIN_PASSWORD);
    await page.click('button[type="submit"]');
    const finalize = (round: string) => page.locator(`tr[data-round="${round}"] [data-testid="finalize"]`);
    await finalize('r2').waitFor();
    await expect.poll(() => finalize('r1').isEnabled()).toBe(true);
    expect(await finalize('r2').isDisabled()).toBe(true);
    await page.close();
    await expect(command('round.finalize', { eventId: EVENT, roundId: 'r2' })).rejects.toThrow(
      /409 round_not_open/,
    );
  });

  it('loads every page without a 404 (regression: no favicon) and with compressed, long-cached scripts', async () => {
    const page = await browser.page({ width: 1280, height: 800 });
    const failed: string[] = [];
    const scripts: Array<{ url: string; encoding: string | undefined; cache: string | undefined }> = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
      if (response.request().resourceType() === 'script') {
        const headers = response.headers();
        scripts.push({
          url: response.url(),
          encoding: headers['content-encoding'],
          cache: headers['cache-control'],
        });
      }
    });
    for (const path of ['/', '/judge/', '/screen/', '/watch/', '/admin/', '/overlay/']) {
      await page.goto(`${podium.url}${path}?c=${COMPETITION}`, { waitUntil: 'networkidle' });
      const icon = await page.evaluate(() =>
        document.querySelector('link[rel="icon"]')?.getAttribute('href'),
      );
      expect(icon).toBe('/favicon.svg');
    }
    expect((await fetch(`${podium.url}/favicon.svg`)).status).toBe(200);
    expect(failed).toEqual([]);
    const assets = scripts.filter((s) => new URL(s.url).pathname.startsWith('/assets/'));
    expect(assets.length).toBeGreaterThan(5);
    for (const script of assets) {
      expect(script.cache).toBe('public, max-age=31536000, immutable');
    }
    // Every script the build precompressed (all but chunks under 1 KiB) arrived brotli-encoded.
    const precompressed = assets.filter((s) =>
      existsSync(join('dist/client', `${new URL(s.url).pathname}.br`)),
    );
    expect(precompressed.length).toBeGreaterThan(5);
    for (const script of precompressed)
      expect({ url: script.url, encoding: script.encoding }).toEqual({ url: script.url, encoding: 'br' });
    await page.close();
  });
});
