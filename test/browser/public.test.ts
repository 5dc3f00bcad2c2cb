/**
 * The public faces in real Chromium against a real Podium (Redis store, real sockets):
 *  - a judge's mark sent over /judge moves the big screen and the spectator page;
 *  - the reveal ceremony on the big screen: frozen, then the changed result revealed, final results;
 *  - the overlay holds updates back by its delay;
 *  - screenshots of landing, screen, watch and overlay at three sizes in both languages.
 * Needs the built clients: npm run build:client.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Ack, CommandResult, JudgeClientToServer, JudgeServerToClient } from '../../shared/events.ts';
import { cspViolations, launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import { command, EVENT, ROUND } from './fixtures.ts';
import { judgeActor, ORGANISER, startPublicTestServer, type PublicTestServer } from './public-server.ts';

type JudgeSocket = Socket<JudgeServerToClient, JudgeClientToServer>;

const run = Date.now().toString(36);
let server: PublicTestServer;
let browser: TestBrowser;
const sockets: JudgeSocket[] = [];

beforeAll(async () => {
  if (!existsSync(join(process.cwd(), 'dist', 'client', 'screen', 'index.html'))) {
    throw new Error('The clients are not built: run `npm run build:client` first.');
  }
  server = await startPublicTestServer(inject('redisUrl'));
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await browser?.close();
  await server?.stop();
});

/** A judge's socket on /judge, signed in with a real judge code. */
async function judgeSocket(competitionId: string, judgeId: string): Promise<JudgeSocket> {
  const { code } = await server.running.auth.issueJudgeCode(competitionId, judgeId);
  const { token } = await server.running.auth.signInJudge(code, '127.0.0.1');
  const socket: JudgeSocket = io(`${server.url}/judge`, { auth: { token }, transports: ['websocket'] });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Submit a judge's marks over the socket and wait for the acknowledgement. */
async function submitMarks(
  socket: JudgeSocket,
  competitionId: string,
  contestantId: string,
  marks: Record<string, string>,
): Promise<void> {
  const ack: Ack<CommandResult> = await socket.timeout(10_000).emitWithAck('cmd:marks.submit', {
    opId: crypto.randomUUID(),
    competitionId,
    eventId: EVENT,
    roundId: ROUND,
    contestantId,
    marks,
  });
  if (!ack.ok) throw new Error(`marks refused: ${ack.code} ${ack.message}`);
}

const TOP_MARKS = { quality: '50', safety: '30', speed: '20' };

async function rankOn(page: Page, list: string, id: string): Promise<string | null> {
  return page.locator(`${list} li[data-id="${id}"]`).first().getAttribute('data-rank');
}

async function waitForRank(page: Page, list: string, id: string, rank: number): Promise<void> {
  await page.waitForSelector(`${list} li[data-id="${id}"][data-rank="${rank}"]`, { timeout: 10_000 });
}

describe('live updates', () => {
  it("a judge's mark moves the big screen and the spectator page", async () => {
    const competitionId = `pub-live-${run}`;
    await server.seed(competitionId);
    const screen = await browser.page({ width: 1920, height: 1080 });
    const phone = await browser.page({ width: 375, height: 667 });
    await screen.goto(`${server.url}/screen/?c=${competitionId}&e=${EVENT}&r=${ROUND}&rows=12`);
    await phone.goto(`${server.url}/watch/?c=${competitionId}&e=${EVENT}&r=${ROUND}`);
    await phone.waitForSelector('[data-testid="ranking"] li[data-id="c9"]');
    await waitForRank(screen, '.ranking', 'c9', 12); // the weakest sheet of the demo

    // The spectator follows c9: it is pinned above the ranking.
    await phone.locator('[data-testid="ranking"] li[data-id="c9"] button.star').click();
    await phone.waitForSelector('[data-testid="pinned"] li[data-id="c9"]');

    // c1 is on stage with the chief judge's mark pending; then the chief marks.
    await screen.waitForSelector('[data-testid="stage"] [data-judge="j3"][data-marked="false"]');
    const chief = await judgeSocket(competitionId, 'j3');
    await submitMarks(chief, competitionId, 'c1', TOP_MARKS);
    await screen.waitForSelector('[data-testid="stage"] [data-judge="j3"][data-marked="true"]');
    await screen.waitForFunction(() =>
      /\d+\.\d\d/.test(document.querySelector('[data-testid="stage-total"]')?.textContent ?? ''),
    );

    // Every judge gives c9 full marks: c9 climbs to first place on both pages.
    for (const judgeId of ['j1', 'j2', 'j3']) {
      const socket = judgeId === 'j3' ? chief : await judgeSocket(competitionId, judgeId);
      await submitMarks(socket, competitionId, 'c9', TOP_MARKS);
    }
    await waitForRank(screen, '.ranking', 'c9', 1);
    await waitForRank(phone, '[data-testid="pinned"]', 'c9', 1);
    await waitForRank(phone, '[data-testid="ranking"]', 'c9', 1);
    expect(await screen.locator('.ranking li[data-id="c9"] .score').innerText()).toContain('100.00');
    const updated = await phone.locator('[data-testid="last-update"]').innerText();
    expect(updated).toMatch(/\d\d:\d\d:\d\d/);
    await screenshot(screen, 'live-screen-after-mark');
    await screenshot(phone, 'live-watch-after-mark');
    await screen.close();
    await phone.close();
  }, 60_000);

  it('the overlay shows a change only after its delay', async () => {
    const competitionId = `pub-delay-${run}`;
    await server.seed(competitionId);
    const overlay = await browser.page({ width: 1920, height: 1080 });
    await overlay.goto(`${server.url}/overlay/?c=${competitionId}&e=${EVENT}&r=${ROUND}&delay=2500&top=5`);
    await overlay.waitForSelector('[data-testid="overlay-stage"] [data-marked="false"]', { timeout: 10_000 });
    await server.run(
      judgeActor(competitionId, 'j3'),
      command('marks.submit', {
        opId: crypto.randomUUID(),
        competitionId,
        eventId: EVENT,
        roundId: ROUND,
        contestantId: 'c1',
        marks: TOP_MARKS,
      }),
    );
    const sent = Date.now();
    await overlay.waitForFunction(
      () => !document.querySelector('[data-testid="overlay-stage"] [data-marked="false"]'),
      undefined,
      { timeout: 10_000 },
    );
    expect(Date.now() - sent).toBeGreaterThanOrEqual(2_400);
    await overlay.close();
  }, 60_000);
});

describe('reveal ceremony', () => {
  it('freezes the big screen, then reveals the result that changed behind the freeze', async () => {
    const competitionId = `pub-reveal-${run}`;
    await server.seed(competitionId);
    const round = { competitionId, eventId: EVENT, roundId: ROUND };
    const freeze = () =>
      server.run(ORGANISER, command('board.freeze', { opId: crypto.randomUUID(), ...round, frozen: true }));
    const reveal = () =>
      server.run(ORGANISER, command('board.reveal', { opId: crypto.randomUUID(), ...round }));
    const screen = await browser.page({ width: 1920, height: 1080 });
    await screen.goto(`${server.url}/screen/?c=${competitionId}&e=${EVENT}&r=${ROUND}&rows=12`);
    await screen.waitForSelector('.ranking li[data-id="c9"][data-rank="12"]');

    await freeze();
    await screen.waitForSelector('[data-testid="frozen-banner"]');

    // Behind the freeze c9 becomes the best: the public screen must not show it yet.
    for (const judgeId of ['j1', 'j2', 'j3']) {
      await server.run(
        judgeActor(competitionId, judgeId),
        command('marks.submit', {
          opId: crypto.randomUUID(),
          ...round,
          contestantId: 'c9',
          marks: TOP_MARKS,
        }),
      );
    }
    await screen.waitForTimeout(1_000);
    expect(await rankOn(screen, '.ranking', 'c9')).toBe('12');

    // The only result that changed behind the freeze is c9's: one step shows it, ICPC-style
    // (the old bottom-up count took eleven steps that changed nothing visible first).
    await reveal();
    await waitForRank(screen, '.ranking', 'c9', 1);
    await screen.waitForSelector('[data-testid="final-banner"]');
    await screen.waitForTimeout(800); // let the rise to first place finish animating
    await screenshot(screen, 'reveal-screen-final');
    await screen.close();
  }, 60_000);
});

describe('screenshots', () => {
  const sizes = [
    { name: 'tablet', width: 1024, height: 768 },
    { name: 'desktop', width: 1920, height: 1080 },
    { name: 'phone', width: 375, height: 667 },
  ] as const;

  it('renders every public page at three sizes in both languages', async () => {
    const competitionId = `pub-shots-${run}`;
    await server.seed(competitionId);
    const query = `c=${competitionId}&e=${EVENT}&r=${ROUND}`;
    const pages = [
      { name: 'landing', path: '/', ready: '[data-competition]' },
      { name: 'screen', path: `/screen/?${query}`, ready: '.ranking li' },
      { name: 'watch', path: `/watch/?${query}`, ready: '[data-testid="ranking"] li' },
      { name: 'overlay', path: `/overlay/?${query}`, ready: '[data-testid="overlay-top"] li' },
    ];
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const size of sizes) {
        const page = await browser.page({ width: size.width, height: size.height, locale });
        for (const target of pages) {
          await page.goto(server.url + target.path);
          await page.waitForSelector(target.ready, { timeout: 10_000 });
          await page.waitForTimeout(400); // let entry animations settle
          expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale);
          // Nothing may overflow the page sideways (long CJK and English names included).
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          expect(overflow, `${target.name} ${size.name} ${locale}`).toBeLessThanOrEqual(0);
          await screenshot(page, `${target.name}-${size.name}-${locale}`);
        }
        await page.close();
      }
    }
  }, 180_000);
});

describe('filters on a narrow phone', () => {
  it('shows every filter placeholder whole at 375 px in both languages (regression: "All organisatio")', async () => {
    const competitionId = `pub-filters-${run}`;
    await server.seed(competitionId);
    for (const locale of ['zh-CN', 'en'] as const) {
      const phone = await browser.page({ width: 375, height: 667, locale });
      await phone.goto(`${server.url}/watch/?c=${competitionId}&e=${EVENT}&r=${ROUND}`);
      await phone.waitForSelector('[data-testid="ranking"] li');
      // The placeholder's width in the input's own font, against the room the input leaves for text
      // (less ~40 px Chromium keeps for the datalist drop-down arrow and the search field's clear
      // button: the old layout cut "All organisations" after "organisatio" in a 130 px text box).
      const fits = await phone.evaluate(() =>
        [...document.querySelectorAll<HTMLInputElement>('.filters input[placeholder]')].map((input) => {
          const style = getComputedStyle(input);
          const probe = document.createElement('span');
          probe.textContent = input.placeholder;
          Object.assign(probe.style, {
            position: 'absolute',
            visibility: 'hidden',
            whiteSpace: 'pre',
            fontFamily: style.fontFamily,
            fontSize: style.fontSize,
            fontWeight: style.fontWeight,
            letterSpacing: style.letterSpacing,
          });
          document.body.append(probe);
          const text = Math.ceil(probe.getBoundingClientRect().width);
          probe.remove();
          const arrow = input.list === null ? 0 : 40;
          const box =
            input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - arrow;
          return { placeholder: input.placeholder, text, box };
        }),
      );
      expect(fits.length).toBeGreaterThanOrEqual(3);
      for (const f of fits) expect(f.text, `${locale}: ${f.placeholder}`).toBeLessThanOrEqual(f.box);
      await screenshot(phone, `watch-filters-375-${locale}`);
      await phone.close();
    }
  }, 60_000);
});

describe('page weight and policy', () => {
  it('a phone downloads Chart.js only once the charts tab is opened (regression: it was in the watch page’s entry chunk)', async () => {
    const competitionId = `pub-charts-${run}`;
    await server.seed(competitionId);
    const phone = await browser.page({ width: 375, height: 667 });
    const scripts: string[] = [];
    phone.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    const response = await phone.goto(`${server.url}/watch/?c=${competitionId}&e=${EVENT}&r=${ROUND}`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await phone.waitForSelector('[data-testid="ranking"] li');
    await phone.waitForTimeout(500); // time for any eager chunk to be requested
    expect(scripts.some((path) => /\/chart-[^/]*\.js$/.test(path))).toBe(false);

    await phone.locator('button[role="tab"]').nth(1).click();
    await phone.waitForSelector('.chartsCol canvas', { timeout: 10_000 });
    expect(scripts.some((path) => /\/chart-[^/]*\.js$/.test(path))).toBe(true);
    await phone.close();
  }, 60_000);

  it('no page broke the Content-Security-Policy (run last: it reads what every test above saw)', () => {
    expect(cspViolations).toEqual([]);
  });
});
