/**
 * Issue #14 item 5, paper and proof, in a real browser: the console's print menu opens A4 score
 * sheets (dropped marks struck through, signature lines), the results notice and certificates;
 * each is printed to PDF and screenshotted with print media; a certificate's QR code carries the
 * public (non-loopback) verification address, which shows the result as valid, and as revoked
 * once the result is corrected. PUBLIC_URL is http://podium.test:PORT, mapped to 127.0.0.1 by
 * Chromium as in venue-network.test.ts. Needs the built clients (npm run build).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../server/domain/actor.ts';
import type { RunningPodium } from '../../server/main.ts';
import { screenshot, SCREENSHOT_DIR, type TestBrowser } from '../support/browser.ts';
import { startNamedPodium, type NamedPodium } from './namedPodium.ts';
import { command, demoCompetition, EVENT, JUDGES, ROUND } from './fixtures.ts';
import { judgeActor, ORGANISER } from './public-server.ts';

const ID = `paper-${Date.now().toString(36)}`;
const PASSWORD = 'paper-test-password';
const BOARD = `${EVENT}|${ROUND}|individual`;

let running: RunningPodium;
let browser: TestBrowser;
let venueUrl: string;
let podium: NamedPodium;
let token: string;

const run = (actor: Actor, c: ReturnType<typeof command>) => running.service.execute(actor, c);
const round = { competitionId: ID, eventId: EVENT, roundId: ROUND };

beforeAll(async () => {
  podium = await startNamedPodium({ redisUrl: inject('redisUrl'), adminPassword: PASSWORD, name: 'paper' });
  running = podium.running;
  venueUrl = podium.url;
  const competition = demoCompetition(ID);
  const weld = competition.events[0];
  if (weld === undefined) throw new Error('no event');
  weld.scoring = { ...weld.scoring, aggregation: { kind: 'trimmed', trim: 1 } };
  await run(ORGANISER, command('setup.put', { opId: crypto.randomUUID(), competition }));
  await run(ORGANISER, command('round.state', { opId: crypto.randomUUID(), ...round, state: 'open' }));
  for (let i = 1; i <= 12; i++) {
    for (const [j, judge] of JUDGES.entries()) {
      const base = 15 + ((i * 7) % 29) + j * 2;
      await run(
        judgeActor(ID, judge),
        command('marks.submit', {
          opId: crypto.randomUUID(),
          ...round,
          contestantId: `c${i}`,
          marks: { quality: String(base), safety: String(10 + j), speed: String(5 + i / 2) },
        }),
      );
    }
  }
  await run(
    ORGANISER,
    command('deduction.add', {
      opId: crypto.randomUUID(),
      ...round,
      contestantId: 'c2',
      deduction: { id: 'd1', points: '1.5', reason: '未佩戴护目镜' },
    }),
  );
  token = await podium.organiserToken();
  browser = await podium.browser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await podium?.stop();
});

/** A page signed in as the organiser (the token the console keeps in this browser). */
async function organiserPage(width = 1280, height = 900): Promise<Page> {
  const page = await browser.page({ width, height, locale: 'zh-CN' });
  await page.addInitScript((t) => localStorage.setItem('podium.admin.token', t), token);
  return page;
}

/** Print media: a PDF (A4) and a screenshot of the page as printed; returns the PDF's page count. */
async function printed(page: Page, name: string): Promise<number> {
  await page.locator('body[data-ready="1"]').waitFor();
  await page.evaluate(() => document.fonts.ready);
  await page.emulateMedia({ media: 'print' });
  await screenshot(page, `${name}-print`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  writeFileSync(join(SCREENSHOT_DIR, `${name}.pdf`), pdf);
  await page.emulateMedia({ media: 'screen' });
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}

describe('paper and proof', () => {
  it('the console print menu opens score sheets: every judge’s mark, dropped ones struck through, signature lines', async () => {
    const page = await organiserPage();
    await page.goto(`${venueUrl}/admin/#c=${ID}&tab=exports`);
    await page.getByRole('heading', { name: '打印与证书' }).waitFor();
    await screenshot(page, 'paper-console-menu');
    const [sheets] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: '打印评分表' }).click(),
    ]);
    await sheets.locator('body[data-ready="1"]').waitFor();
    expect(new URL(sheets.url()).pathname).toBe('/print/');
    const c1 = sheets.locator('article[data-contestant="c1"]');
    // Three judges, trimmed mean of 1: per judged criterion two marks are struck, one counts.
    expect(await c1.locator('s.dropped').count()).toBe(6);
    await expect(c1.textContent()).resolves.toContain('裁判长签字（陈裁判长）');
    await expect(c1.textContent()).resolves.toContain('选手签字');
    await expect(c1.textContent()).resolves.toContain('裁判员签字（李评委）');
    const c2 = await sheets.locator('article[data-contestant="c2"]').textContent();
    expect(c2).toContain('未佩戴护目镜');
    // The sheet's struck mark really is crossed out in print.
    const decoration = await c1
      .locator('s.dropped')
      .first()
      .evaluate((el) => getComputedStyle(el).textDecorationLine);
    expect(decoration).toBe('line-through');
    const pages = await printed(sheets, 'paper-sheets');
    expect(pages).toBeGreaterThanOrEqual(12); // one A4 page per contestant
    const font = await c1.locator('h1').evaluate((el) => getComputedStyle(el).fontFamily);
    expect(font).toContain('Noto Sans CJK SC');
  });

  it('prints the results notice (成绩公示表) of a board', async () => {
    const page = await organiserPage(1000, 1300);
    await page.goto(`${venueUrl}/print/?c=${ID}&kind=notice&b=${encodeURIComponent(BOARD)}`);
    await page.locator('body[data-ready="1"]').waitFor();
    await expect(page.locator('h1').textContent()).resolves.toBe('成绩公示表');
    expect(await page.locator('tbody tr').count()).toBe(12);
    expect(await printed(page, 'paper-notice')).toBeGreaterThanOrEqual(1);
  });

  it('a certificate’s QR code opens the public check: valid, then revoked after a correction', async () => {
    const page = await organiserPage(1300, 950);
    await page.goto(`${venueUrl}/print/?c=${ID}&kind=certificates&b=${encodeURIComponent(BOARD)}`);
    await page.locator('body[data-ready="1"]').waitFor();
    const first = page.locator('article.certificate').first();
    await expect(first.textContent()).resolves.toContain('获奖证书');
    await expect(first.textContent()).resolves.toContain('第 1 名');
    expect(await printed(page, 'paper-certificates')).toBeGreaterThanOrEqual(6);

    const img = first.locator('img');
    const address = (await img.getAttribute('data-verify')) ?? '';
    expect(address.startsWith(`${venueUrl}/verify/?`)).toBe(true);
    expect(address).not.toMatch(/127\.0\.0\.1|localhost/);
    // The image is the QR code of exactly that address (same library, same settings).
    const svg = await QRCode.toString(address, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    expect(await img.getAttribute('src')).toBe(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    const contestantId = (await first.getAttribute('data-contestant')) ?? '';

    // A phone with no sign-in opens the address.
    const phone = await browser.page({ width: 390, height: 844, locale: 'zh-CN' });
    await phone.goto(address);
    await phone.locator('[data-verdict]').waitFor();
    expect(await phone.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    await expect(phone.locator('main').textContent()).resolves.toContain('证书有效');
    await screenshot(phone, 'paper-verify-valid');

    // The chief judge's correction changes that contestant's result: the certificate no longer holds.
    await run(
      ORGANISER,
      command('mark.correct', {
        opId: crypto.randomUUID(),
        ...round,
        contestantId,
        // The middle of three marks: the one the trimmed mean keeps.
        judgeId: 'j2',
        criterionId: 'safety',
        value: '1',
        reason: '复核更正',
      }),
    );
    await phone.reload();
    await phone.locator('[data-verdict]').waitFor();
    expect(await phone.locator('[data-verdict]').getAttribute('data-verdict')).toBe('revoked');
    await expect(phone.locator('main').textContent()).resolves.toContain('证书已撤销');
    await screenshot(phone, 'paper-verify-revoked');

    // A forged total: invalid.
    const forged = new URL(address);
    forged.searchParams.set('t', '99.99');
    await phone.goto(forged.toString());
    await phone.locator('[data-verdict]').waitFor();
    expect(await phone.locator('[data-verdict]').getAttribute('data-verdict')).toBe('invalid');
    await screenshot(phone, 'paper-verify-invalid');
  });
});
