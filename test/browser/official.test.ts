/**
 * Issue #14, the official path walked in a real browser: judges mark (through the service, as the
 * other browser tests do), the chief judge signs on the judge tablet's chief panel, the organiser
 * sets the appeal deadline and files an appeal in the console, the arbitration upholds it and the
 * console carries out the correction it orders, the round is finalized with a public notice — the
 * big screen, the spectator page and the overlay then say "成绩公示中 · 至 …" — a certificate's QR
 * address shows the result on notice, a second appeal disqualifies a qualifier and retaking the line
 * moves the next one up (递补), the certificate shows as revoked, and after the deadline the console
 * refuses new appeals. Screenshots (zh-CN and en; tablet, desktop, phone) in test-output/screenshots.
 * Needs the built clients (npm run build:client).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OfficialLines } from '../../shared/officialLines.ts';
import type { Actor } from '../../server/domain/actor.ts';
import type { RunningPodium } from '../../server/main.ts';
import { screenshot, SCREENSHOT_DIR, type TestBrowser } from '../support/browser.ts';
import { startNamedPodium, type NamedPodium } from './namedPodium.ts';
import { command, demoCompetition, EVENT, JUDGES, ROUND } from './fixtures.ts';
import { organiserApi } from './organiserApi.ts';
import { compact, expectOfficialPaper, printedPdf } from './pdfPages.ts';
import { judgeActor, ORGANISER } from './public-server.ts';

const ID = `official-${Date.now().toString(36)}`;
const PASSWORD = 'official-test-password';
const BOARD = `${EVENT}|${ROUND}|individual`;
const SIZES = [
  ['tablet', 1280, 800],
  ['desktop', 1920, 1080],
  ['phone', 390, 844],
] as const;

let running: RunningPodium;
let browser: TestBrowser;
let url: string;
/** The same server as Node reaches it (podium.test resolves only inside Chromium). */
let local: string;
let podium: NamedPodium;
let token: string;
const api = organiserApi(
  () => local,
  () => token,
);

const run = (actor: Actor, c: ReturnType<typeof command>) => running.service.execute(actor, c);
const round = { competitionId: ID, eventId: EVENT, roundId: ROUND };
const official = () =>
  api<OfficialLines>('GET', `/competitions/${ID}/official?event=${EVENT}&round=${ROUND}`);

beforeAll(async () => {
  podium = await startNamedPodium({
    redisUrl: inject('redisUrl'),
    adminPassword: PASSWORD,
    name: 'official',
  });
  running = podium.running;
  url = podium.url;
  local = podium.local;
  const competition = demoCompetition(ID);
  const weld = competition.events[0];
  const r1 = weld?.rounds[0];
  if (weld === undefined || r1 === undefined) throw new Error('no event');
  r1.advance = 3; // the best three go on: a qualifying round (递补 below)
  await run(ORGANISER, command('setup.put', { opId: crypto.randomUUID(), competition }));
  await run(ORGANISER, command('round.state', { opId: crypto.randomUUID(), ...round, state: 'open' }));
  // Contestant i: every judge gives quality 20 + i, safety 10, speed 5 → total 35 + i (c12 leads).
  for (let i = 1; i <= 12; i++) {
    for (const judge of JUDGES) {
      await run(
        judgeActor(ID, judge),
        command('marks.submit', {
          opId: crypto.randomUUID(),
          ...round,
          contestantId: `c${i}`,
          marks: { quality: String(20 + i), safety: '10', speed: '5' },
        }),
      );
    }
  }
  token = await podium.organiserToken();
  browser = await podium.browser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await podium?.stop();
});

/** The console signed in as the organiser, on the sign-off/appeals/notice page. */
async function consolePage(width: number, height: number, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const page = await browser.page({ width, height, locale });
  await page.addInitScript((t) => localStorage.setItem('podium.admin.token', t), token);
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(`${url}/admin/#c=${ID}&tab=official`);
  await page.getByTestId('signatures').waitFor();
  return page;
}

/** Full-page screenshots of the console page at the three sizes, in one language. */
async function consoleShots(name: string, locale: 'zh-CN' | 'en'): Promise<void> {
  for (const [size, width, height] of SIZES) {
    const page = await consolePage(width, height, locale);
    await page.getByTestId('appeal-list').waitFor();
    // Nothing on the page is wider than the window (no sideways scrolling on a phone).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} ${locale} ${size}`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${locale}-${size}.png`), fullPage: true });
    await page.close();
  }
}

/** The address a certificate's QR code holds, for one contestant. */
async function certificateAddress(contestantId: string): Promise<string> {
  const page = await browser.page({ width: 1300, height: 950, locale: 'zh-CN' });
  await page.addInitScript((t) => localStorage.setItem('podium.admin.token', t), token);
  await page.goto(`${url}/print/?c=${ID}&kind=certificates&b=${encodeURIComponent(BOARD)}`);
  await page.locator('body[data-ready="1"]').waitFor();
  const address =
    (await page
      .locator(`article.certificate[data-contestant="${contestantId}"] img`)
      .getAttribute('data-verify')) ?? '';
  await page.close();
  return address;
}

describe('official results, the whole path in the browser', () => {
  let appealed: Page;
  let certificate = '';

  it('the chief judge signs on the tablet; the console shows every signature', async () => {
    // Eleven results signed over the judge socket's command path, the twelfth on the chief panel.
    for (let i = 1; i <= 11; i++)
      await run(
        judgeActor(ID, 'j3'),
        command('sheet.sign', { opId: crypto.randomUUID(), ...round, contestantId: `c${i}`, signed: true }),
      );
    const { code } = await api<{ code: string }>('POST', `/competitions/${ID}/judges/j3/code`);
    const chief = await browser.page({ width: 1280, height: 800, locale: 'zh-CN' });
    await chief.goto(`${url}/judge/#code=${encodeURIComponent(code)}`);
    await chief.locator('button[data-contestant="c12"]').click();
    const panel = chief.getByTestId('chief-panel');
    await panel.getByTestId('sheet-sign').click();
    await panel.locator('[data-testid="sign-state"][data-signed="true"]').waitFor();
    await expect(panel.getByTestId('sign-state').textContent()).resolves.toContain('裁判长已签字');
    await screenshot(chief, 'official-chief-signed-zh-CN-tablet');
    await chief.close();

    const page = await consolePage(1280, 800);
    await page.locator('[data-testid="signed-count"]', { hasText: '已签字 12 / 12' }).waitFor();
    expect(await page.locator('li[data-signed="true"]').count()).toBe(12);
    await expect(page.getByTestId('official-state').textContent()).resolves.toContain('暂定成绩');
    // The console's chief judge view lists the same signatures.
    await page.goto(`${url}/admin/#c=${ID}&tab=chief`);
    await page.reload();
    await page.locator('[data-testid="signed-count"]', { hasText: '已签字 12 / 12' }).waitFor();
    await screenshot(page, 'official-console-chief-zh-CN-tablet');
    await page.close();
  });

  it('the organiser sets the deadline and files an appeal; boards mark the row under appeal', async () => {
    const page = await consolePage(1280, 800);
    const inTwoHours = await page.evaluate(() => {
      const d = new Date(Date.now() + 2 * 3600_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    });
    await page.getByTestId('deadline-input').fill(inTwoHours);
    await page.getByTestId('deadline-set').click();
    await page.locator('[data-testid="deadline-state"]', { hasText: '本项目申诉截止' }).waitFor();

    await page.getByTestId('appeal-contestant').selectOption('c12');
    await page.getByTestId('appeal-grounds').fill('评委一漏看第三道焊缝');
    await page.getByTestId('appeal-submit').click();
    const item = page.locator('li[data-state="open"]');
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('A012');
    await expect(item.textContent()).resolves.toContain('待仲裁');
    await page.locator('li[data-contestant="c12"] .badge.appealed').waitFor();
    await consoleShots('official-console-appeal', 'zh-CN');
    await consoleShots('official-console-appeal', 'en');
    appealed = page;

    // The big screen and the spectator page mark c12's row under appeal and say "provisional".
    const screen = await browser.page({ width: 1920, height: 1080, locale: 'zh-CN' });
    await screen.goto(`${url}/screen/?c=${ID}&e=${EVENT}&r=${ROUND}`);
    await screen.locator('[data-testid="appealed"]').first().waitFor();
    await expect(screen.getByTestId('official-state').getAttribute('data-status')).resolves.toBe(
      'provisional',
    );
    await screenshot(screen, 'official-screen-appeal-zh-CN-1920x1080');
    await screen.close();
    const phone = await browser.page({ width: 390, height: 844, locale: 'zh-CN' });
    await phone.goto(`${url}/watch/?c=${ID}&e=${EVENT}&r=${ROUND}`);
    await phone.locator('[data-testid="appealed"]').first().waitFor();
    await expect(phone.getByTestId('official-state').textContent()).resolves.toContain('暂定成绩');
    await screenshot(phone, 'official-watch-appeal-zh-CN-390x844');
    await phone.close();
  });

  it('arbitration upholds it; the console carries out the correction it orders', async () => {
    const page = appealed;
    await page.getByTestId('decide').click();
    await page.getByTestId('decide-upheld').check();
    await page.getByTestId('decide-reason').fill('录像确认漏看');
    await page.getByTestId('decide-submit').click();
    const correction = page.getByTestId('appeal-correction');
    await correction.waitFor();
    await screenshot(page, 'official-console-correction-zh-CN-tablet');
    // j1's quality mark 32 → 30: c12's total 47.00 → 46.33, still first (c11 has 46.00).
    await correction.locator('select').filter({ hasText: '李评委' }).selectOption('j1');
    await correction.locator('select').filter({ hasText: '焊缝质量' }).selectOption('quality');
    await correction.locator('input[inputmode="decimal"]').fill('30');
    await correction.locator('input[maxlength="200"]').first().fill('按申诉更正');
    await correction.getByRole('button', { name: '提交更正' }).click();
    await page.locator('li[data-state="upheld"]', { hasText: '更正: 1' }).waitFor();
    const lines = await official();
    const c12 = lines.lines.find((l) => l.contestantId === 'c12');
    expect(c12?.appeals).toEqual([
      {
        id: expect.any(String),
        grounds: '评委一漏看第三道焊缝',
        status: 'upheld',
        reason: '录像确认漏看',
        corrections: 1,
      },
    ]);
    expect(c12?.signed).toBe(true);
    const results = await fetch(`${local}/api/competitions/${ID}/results/${encodeURIComponent(BOARD)}`);
    const board = (await results.json()) as { rows: Array<{ id: string; total: string }> };
    expect(board.rows[0]).toMatchObject({ id: 'c12', total: '46.33' });
  });

  it('finalize with a notice: the screen, the spectator page and the overlay say until when', async () => {
    const page = appealed;
    await page.getByTestId('notice-submit').click();
    await page.locator('[data-testid="notice-state"]', { hasText: '公示中，至' }).waitFor();
    await page.locator('[data-testid="official-state"][data-status="finalized"]').waitFor();
    await page.locator('[data-testid="qualifier-list"]', { hasText: 'A012' }).waitFor();
    const { noticeEndsAt } = await official();
    expect(noticeEndsAt).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000); // the default: in 7 days

    const screen = await browser.page({ width: 1920, height: 1080, locale: 'zh-CN' });
    await screen.goto(`${url}/screen/?c=${ID}&e=${EVENT}&r=${ROUND}`);
    const banner = screen.getByTestId('notice-banner');
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toMatch(/成绩公示中 · 至 .*\d{2}:\d{2}/);
    // The notice, not "final": the results are not final until the notice ends.
    expect(await screen.getByTestId('final-banner').count()).toBe(0);
    await screenshot(screen, 'official-screen-notice-zh-CN-1920x1080');
    await screen.close();

    for (const locale of ['zh-CN', 'en'] as const) {
      const phone = await browser.page({ width: 390, height: 844, locale });
      await phone.goto(`${url}/watch/?c=${ID}&e=${EVENT}&r=${ROUND}`);
      const watchBanner = phone.getByTestId('notice-banner');
      await watchBanner.waitFor();
      await expect(watchBanner.textContent()).resolves.toContain(
        locale === 'en' ? 'Results on public notice until' : '成绩公示中 · 至',
      );
      expect(await phone.getByTestId('watch-final-banner').count()).toBe(0);
      await screenshot(phone, `official-watch-notice-${locale}-390x844`);
      await phone.close();
    }

    const overlay = await browser.page({ width: 1920, height: 1080, locale: 'zh-CN' });
    await overlay.goto(`${url}/overlay/?c=${ID}&e=${EVENT}&r=${ROUND}`);
    await overlay.locator('[data-testid="official-state"][data-status="finalized"]').waitFor();
    await screenshot(overlay, 'official-overlay-notice-zh-CN-1920x1080');
    await overlay.close();
  });

  it('at the notice end the pages turn to "final" by themselves', async () => {
    // Round 2 finalized with a notice of a few seconds (over the API: the console takes minutes).
    await api('POST', `/competitions/${ID}/commands/round.state`, {
      opId: crypto.randomUUID(),
      ...round,
      roundId: 'r2',
      state: 'open',
    });
    const endsAt = Date.now() + 4_000;
    await api('POST', `/competitions/${ID}/commands/round.finalize`, {
      opId: crypto.randomUUID(),
      ...round,
      roundId: 'r2',
      noticeEndsAt: endsAt,
    });
    const phone = await browser.page({ width: 390, height: 844, locale: 'zh-CN' });
    await phone.goto(`${url}/watch/?c=${ID}&e=${EVENT}&r=r2`);
    await phone.getByTestId('notice-banner').waitFor();
    expect(Date.now()).toBeLessThan(endsAt);
    // No reload, no new server message: the page's clock passes the end.
    await phone.getByTestId('watch-final-banner').waitFor({ timeout: 15_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(endsAt);
    expect(await phone.getByTestId('notice-banner').count()).toBe(0);
    await expect(phone.getByTestId('watch-final-banner').textContent()).resolves.toContain('最终成绩');
    await phone.close();
  });

  it('a certificate’s QR address shows the result on notice', async () => {
    certificate = await certificateAddress('c11');
    expect(certificate.startsWith(`${url}/verify/?`)).toBe(true);
    const phone = await browser.page({ width: 390, height: 844, locale: 'zh-CN' });
    await phone.goto(certificate);
    await phone.locator('[data-verdict]').waitFor();
    expect(await phone.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    await expect(phone.locator('main').textContent()).resolves.toContain('公示中');
    await screenshot(phone, 'official-verify-notice-zh-CN-390x844');
    await phone.close();
  });

  it('during the notice a second appeal disqualifies a qualifier; retaking the line moves the next one up', async () => {
    const page = appealed;
    await page.getByTestId('appeal-contestant').selectOption('c11');
    await page.getByTestId('appeal-grounds').fill('使用违规工具');
    await page.getByTestId('appeal-submit').click();
    await page.locator('li[data-state="open"]', { hasText: 'A011' }).waitFor();
    await page.locator('li[data-state="open"]').getByTestId('decide').click();
    await page.getByTestId('decide-upheld').check();
    await page.getByTestId('decide-reason').fill('现场录像确认');
    await page.getByTestId('decide-submit').click();
    const correction = page.getByTestId('appeal-correction');
    await correction.locator('h2', { hasText: 'A011' }).waitFor();
    await correction.locator('select').filter({ hasText: '取消资格' }).selectOption('dsq');
    await correction.getByRole('button', { name: '设置结果' }).click();
    await page
      .locator('li[data-state="upheld"]', { hasText: 'A011' })
      .filter({ hasText: '更正: 1' })
      .waitFor();

    await page.getByTestId('qualifiers-retake').click();
    const move = page.getByTestId('qualifier-moves');
    await move.waitFor();
    await expect(move.textContent()).resolves.toContain('A011');
    await expect(move.textContent()).resolves.toMatch(/A011 .*退出，A009 .*递补/);
    const { qualification } = await official();
    expect(qualification).toEqual({
      qualifiers: ['c12', 'c10', 'c9'],
      moves: [{ removed: ['c11'], promoted: ['c9'] }],
    });
    await screenshot(page, 'official-console-moved-up-zh-CN-tablet');

    // The certificate printed before the disqualification no longer holds.
    const phone = await browser.page({ width: 390, height: 844, locale: 'zh-CN' });
    await phone.goto(certificate);
    await phone.locator('[data-verdict]').waitFor();
    expect(await phone.locator('[data-verdict]').getAttribute('data-verdict')).toBe('revoked');
    await screenshot(phone, 'official-verify-revoked-zh-CN-390x844');
    await phone.close();
  });

  it('after the deadline the console refuses a new appeal, and so does the server', async () => {
    const page = appealed;
    const past = await page.evaluate(() => {
      const d = new Date(Date.now() - 60_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    });
    await page.getByTestId('deadline-input').fill(past);
    await page.getByTestId('deadline-set').click();
    const refused = page.getByTestId('appeal-refused');
    await refused.waitFor();
    await expect(refused.textContent()).resolves.toContain('申诉已截止');
    await page.getByTestId('appeal-contestant').selectOption('c5');
    await page.getByTestId('appeal-grounds').fill('迟到的申诉');
    expect(await page.getByTestId('appeal-submit').isDisabled()).toBe(true);
    await screenshot(page, 'official-console-closed-zh-CN-tablet');
    await expect(
      api('POST', `/competitions/${ID}/commands/appeal.file`, {
        opId: crypto.randomUUID(),
        ...round,
        contestantId: 'c5',
        appealId: 'late',
        grounds: '迟到的申诉',
      }),
    ).rejects.toThrow(/409/);
    await page.close();
  });

  it('prints the results notice (成绩公示表) on notice to PDF', async () => {
    const page = await browser.page({ width: 1000, height: 1300, locale: 'zh-CN' });
    await page.addInitScript((t) => localStorage.setItem('podium.admin.token', t), token);
    await page.goto(`${url}/print/?c=${ID}&kind=notice&b=${encodeURIComponent(BOARD)}`);
    await page.locator('body[data-ready="1"]').waitFor();
    await page.evaluate(() => document.fonts.ready);
    await expect(page.locator('body').textContent()).resolves.toContain('公示中');
    await expect(page.getByTestId('notice-period').textContent()).resolves.toMatch(
      /公示期至 .*申诉截止时间：/,
    );
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'official-notice-print.png'), fullPage: true });
    // The paper itself (pdfPages.ts): one portrait A4 page saying it is on notice until when, with
    // the disqualified contestant marked so and the signature lines.
    const paper = await printedPdf(page, 'official-notice');
    expectOfficialPaper(paper, { pages: 1, orientation: 'portrait' });
    const text = compact(paper.text);
    for (const words of ['成绩公示表', demoCompetition(ID).name, '成绩公示中', '公示期至', '申诉截止时间'])
      expect(text).toContain(compact(words));
    for (const words of ['名次', '取消资格', '裁判长', '组委会（盖章）'])
      expect(text).toContain(compact(words));
    for (const c of demoCompetition(ID).contestants) expect(text).toContain(compact(c.name));
    await page.close();
  });
});
