/**
 * The organiser console in real Chromium against a real Podium process:
 *  - a CSV import with one bad row shows that row's line number and imports nothing; fixed, it imports;
 *  - round control reaches the server and comes back live;
 *  - screenshots of the main pages at tablet, desktop and phone sizes in both languages.
 * Needs the built clients (npm run build:client).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Competition } from '../../shared/model.ts';
import { cspViolations, launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import {
  spawnLoopbackPodium,
  TEST_ADMIN_PASSWORD,
  TEST_ADMIN_USER,
  type PodiumProcess,
} from '../support/podium-server.ts';
import { demoCompetition, EVENT, ROUND } from './fixtures.ts';
import { organiserApi, signInOrganiser } from './organiserApi.ts';

const COMPETITION = `admin-ui-${Date.now().toString(36)}`;

let podium: PodiumProcess;
let browser: TestBrowser;
let adminToken: string;

const api = organiserApi(
  () => podium.url,
  () => adminToken,
);

const contestantsOnServer = async (): Promise<Competition['contestants']> =>
  (await api<{ competition: Competition }>('GET', `/competitions/${COMPETITION}/setup`)).competition
    .contestants;

/** Open the console on a page (#c=…&tab=…) and sign in through the form. */
async function openConsole(page: Page, tab: string): Promise<void> {
  await page.goto(`${podium.url}/admin/#c=${COMPETITION}&tab=${tab}`);
  await page.evaluate(() => localStorage.removeItem('podium.admin.token'));
  await page.reload();
  await page.fill('input[name="user"]', TEST_ADMIN_USER);
  await page.fill('input[name="password"]', TEST_ADMIN_PASSWORD);
  await page.click('button[type="submit"]');
  await page.locator('nav.tabs').waitFor();
}

const csv = (bib2: string): string =>
  [
    '参赛号,姓名,单位,地区,赛项',
    'B001,孙明,江南造船集团,上海,焊工',
    `${bib2},钱亮,沈阳鼓风机集团,辽宁,焊工`,
    'B003,郑华,大连重工,辽宁,焊工',
  ].join('\n');

beforeAll(async () => {
  podium = await spawnLoopbackPodium();
  adminToken = await signInOrganiser(podium.url);
  await api('PUT', `/competitions/${COMPETITION}/setup`, { competition: demoCompetition(COMPETITION) });
  for (const [name, payload] of [
    ['round.state', { eventId: EVENT, roundId: ROUND, state: 'open' }],
    ['stage.set', { eventId: EVENT, roundId: ROUND, contestantId: 'c1' }],
  ] as const) {
    await api('POST', `/competitions/${COMPETITION}/commands/${name}`, {
      opId: crypto.randomUUID(),
      competitionId: COMPETITION,
      ...payload,
    });
  }
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await podium?.stop();
});

describe('organiser console', () => {
  it('shows a bad CSV row with its line number, imports nothing, then imports the fixed file', async () => {
    const page = await browser.page({ width: 1280, height: 900, locale: 'en' });
    await openConsole(page, 'import');
    await page.getByTestId('csv-text').fill(csv('B0#2'));
    await page.getByRole('button', { name: 'Preview (dry run)' }).click();

    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    const row = errors.locator('tr[data-line="3"]');
    expect(await row.locator('td').first().textContent()).toBe('3');
    expect(await row.locator('td').nth(1).textContent()).toBe('参赛号'); // the header the file used
    // The offending line is quoted next to the problem.
    expect(await row.locator('td').nth(3).textContent()).toContain('B0#2,钱亮');
    expect(await errors.locator('tbody tr').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    expect(await contestantsOnServer()).toHaveLength(12);

    await page.getByTestId('csv-text').fill(csv('B002'));
    await page.getByRole('button', { name: 'Preview (dry run)' }).click();
    await page.getByTestId('import-preview').waitFor();
    expect(await page.getByTestId('import-preview').locator('tbody tr').count()).toBe(3);
    expect(await contestantsOnServer()).toHaveLength(12);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(async () => (await contestantsOnServer()).length).toBe(15);
    expect((await contestantsOnServer()).map((c) => c.bib)).toEqual(
      expect.arrayContaining(['B001', 'B002', 'B003']),
    );
    await page.close();
  });

  it('opens a round from the console and shows the new state pushed back by the server', async () => {
    const page = await browser.page({ width: 1280, height: 900, locale: 'en' });
    await openConsole(page, 'control');
    const badge = page.locator(`section[data-event="${EVENT}"] tr[data-round="r2"] .badge`);
    await expect.poll(() => badge.getAttribute('data-state')).toBe('pending');
    await page
      .locator(`section[data-event="${EVENT}"] tr[data-round="r2"]`)
      .getByRole('button', { name: 'Open' })
      .click();
    await expect.poll(() => badge.getAttribute('data-state')).toBe('open');
    expect(await page.getByTestId(`on-stage-${EVENT}`).textContent()).toContain('A001');
    await page.close();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    it(`takes screenshots of the console pages at tablet, desktop and phone sizes in ${locale}`, async () => {
      const sizes = [
        [1024, 768],
        [1920, 1080],
        [375, 667],
      ] as const;
      for (const [width, height] of sizes) {
        const page = await browser.page({ width, height, locale });
        page.on('dialog', (dialog) => void dialog.accept());
        const name = (tab: string) => `admin-${tab}-${locale}-${width}x${height}`;
        const tab = (index: number) => page.locator('nav.tabs button').nth(index).click();
        await openConsole(page, 'control');
        await page.locator(`section[data-event="${EVENT}"]`).waitFor();
        await screenshot(page, name('control'));
        await tab(1);
        await page.getByTestId('display-round').first().waitFor();
        await screenshot(page, name('displays'));
        await tab(2);
        await page.locator('.lights').waitFor();
        await screenshot(page, name('chief'));
        await tab(3);
        await page.locator('.setup').waitFor();
        await screenshot(page, name('setup'));
        await tab(4);
        await page.getByTestId('csv-text').fill(csv('B0#9'));
        await page.locator('.import button.btn').first().click();
        await page.getByTestId('import-errors').waitFor();
        await screenshot(page, name('import'));
        await tab(5);
        await page.locator('.codes .row-form button').first().click();
        await page.locator('.qr-card').first().waitFor();
        await screenshot(page, name('codes'));
        await page.close();
      }
    }, 120_000);
  }
});

describe('policy', () => {
  it('no console page broke the Content-Security-Policy (run last: it reads what every test above saw)', () => {
    expect(cspViolations).toEqual([]);
  });
});
