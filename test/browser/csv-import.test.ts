/**
 * CSV import in the console (issue #15, item 6), real Chromium against a real Podium:
 *  - problems are shown in the page's language with the column header the file used (regression:
 *    English messages with model field names, `eventId`, `no event "电焊" in this competition`);
 *  - the preview names the event (regression: it showed the id `weld`);
 *  - the import templates are offered on the import tab itself.
 * Needs the built clients: npm run build:client.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import { setupCommands } from './fixtures.ts';
import { ORGANISER, startPublicTestServer, type PublicTestServer } from './public-server.ts';

const COMPETITION = `csv-${Date.now().toString(36)}`;
let server: PublicTestServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await startPublicTestServer(inject('redisUrl'));
  for (const c of setupCommands(COMPETITION, 'c1')) await server.run(ORGANISER, c);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openImport(page: Page): Promise<void> {
  await page.goto(`${server.url}/admin/#c=${COMPETITION}&tab=import`);
  // Pages share the browser profile: sign in afresh each time.
  await page.evaluate(() => localStorage.removeItem('podium.admin.token'));
  await page.reload();
  await page.fill('input[name="user"]', 'admin');
  await page.fill('input[name="password"]', 'browser-test-password');
  await page.click('button[type="submit"]');
  await page.getByTestId('csv-text').waitFor();
}

const BAD = [
  '编号,选手姓名,工作单位,省份,比赛项目',
  'B101,孙明,江南造船集团,上海,电焊',
  'B 102,钱亮,沈阳鼓风机集团,辽宁,焊工',
  'B103,,大连重工,辽宁,焊工',
].join('\n');

const GOOD = ['编号,选手姓名,工作单位,省份,比赛项目', 'B101,孙明,江南造船集团,上海,焊工'].join('\n');

describe('CSV import in the console', () => {
  for (const [locale, size] of [
    ['zh-CN', { width: 1024, height: 768 }],
    ['en', { width: 390, height: 844 }],
  ] as const) {
    it(`shows problems in ${locale} with the file's own column headers, previews event names, offers templates`, async () => {
      const page = await browser.page({ ...size, locale });
      await openImport(page);
      const zh = locale === 'zh-CN';

      // Templates are on this tab.
      expect(await page.getByTestId('template-contestants').getAttribute('href')).toBe(
        '/api/templates/contestants.csv',
      );
      expect(await page.getByTestId('template-judges').getAttribute('href')).toBe(
        '/api/templates/judges.csv',
      );

      await page.getByTestId('csv-text').fill(BAD);
      await page.getByRole('button', { name: zh ? '预览（不导入）' : 'Preview (dry run)' }).click();
      const errors = page.getByTestId('import-errors');
      await errors.waitFor();
      const cell = (line: number, testId: string) =>
        errors.locator(`tr[data-line="${line}"] [data-testid="${testId}"]`).innerText();
      expect(await cell(2, 'import-error-column')).toBe('比赛项目');
      expect(await cell(2, 'import-error-problem')).toBe(
        zh ? '本比赛没有赛项“电焊”' : 'This competition has no event "电焊"',
      );
      expect(await cell(3, 'import-error-column')).toBe('编号');
      expect(await cell(3, 'import-error-problem')).toBe(
        zh ? '参赛号只能是 1–12 位字母、数字或“-”' : 'A bib is 1-12 letters, digits or "-"',
      );
      expect(await cell(4, 'import-error-column')).toBe('选手姓名');
      expect(await cell(4, 'import-error-problem')).toBe(zh ? '不能为空' : 'Must not be empty');
      const text = await errors.innerText();
      for (const internal of ['eventId', 'organisation', 'in this competition', 'must '])
        expect(text).not.toContain(internal);
      await errors.scrollIntoViewIfNeeded();
      await screenshot(page, `csv-import-errors-${locale}-${size.width}`);

      await page.getByTestId('csv-text').fill(GOOD);
      await page.getByRole('button', { name: zh ? '预览（不导入）' : 'Preview (dry run)' }).click();
      const preview = page.getByTestId('import-preview');
      await preview.waitFor();
      const row = await preview.locator('tbody tr').first().innerText();
      expect(row).toContain('焊工');
      expect(row).not.toContain('weld');
      await preview.scrollIntoViewIfNeeded();
      await screenshot(page, `csv-import-preview-${locale}-${size.width}`);
      await page.close();
    }, 90_000);
  }
});
