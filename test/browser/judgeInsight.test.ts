/**
 * Issue #16, judge consistency and rank over time on the pages, real Chromium against a real Podium:
 *  - the console's chief view (1280×800) shows each judge's leave-one-out deviation, offset and
 *    divergence flags as the API computes them, and a newly flagged mark moves them live;
 *  - the chief judge's own tablet shows them too (a plain judge's does not);
 *  - the printed report (/print/?kind=consistency) lists the same figures, on one A4 page of PDF;
 *  - the overlay (1920×1080, ?movers=1) shows the biggest movers line;
 *  - on the spectator page (390×844) a tapped contestant's panel shows the rank over time chart.
 * zh-CN and English. Needs the built clients: npm run build.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ConsistencyAnswer } from '../../shared/insight/judgeConsistency.ts';
import type { MoversAnswer, RankHistoryAnswer } from '../../shared/insight/rankHistory.ts';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import { command, demoCompetition, EVENT, JUDGES, marksCommand, ROUND, setupCommands } from './fixtures.ts';
import { compact, expectOfficialPaper, printedPdf } from './pdfPages.ts';
import {
  demoBase,
  judgeActor,
  ORGANISER,
  startPublicTestServer,
  type PublicTestServer,
} from './public-server.ts';

const COMPETITION = `jin-${Date.now().toString(36)}`;
const BOARD = `${EVENT}|${ROUND}|individual`;
/** How far each judge marks from the sheet's base: 王评委 (j2) is generous. */
const LEAN: Record<(typeof JUDGES)[number], number> = { j1: 0, j2: 4, j3: -1 };
let server: PublicTestServer;
let browser: TestBrowser;
let token: string;

async function api<T>(path: string, auth = true): Promise<T> {
  const res = await fetch(`${server.url}/api/competitions/${COMPETITION}${path}`, {
    headers: auth ? { authorization: `Bearer ${token}` } : {},
  });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

beforeAll(async () => {
  server = await startPublicTestServer(inject('redisUrl'));
  for (const c of setupCommands(COMPETITION, 'c1')) await server.run(ORGANISER, c);
  // A tolerance on 焊缝质量, so the generous judge gets flagged now and then.
  const setup = await server.running.service.getSetup(COMPETITION);
  const event = setup!.events[0]!;
  await server.run(
    ORGANISER,
    command('setup.put', {
      opId: randomUUID(),
      competition: {
        ...setup!,
        events: [
          {
            ...event,
            criteria: event.criteria.map((c) => (c.id === 'quality' ? { ...c, divergenceTolerance: 3 } : c)),
          },
        ],
      },
    }),
  );
  // Contestants are marked one after another, in an order that makes ranks move.
  for (const i of [3, 1, 7, 2, 9, 5, 12, 4, 11, 6, 10, 8])
    for (const judge of JUDGES)
      await server.run(
        judgeActor(COMPETITION, judge),
        marksCommand(COMPETITION, `c${i}`, Math.min(50, demoBase(i) + LEAN[judge] * (i % 2 === 0 ? 1 : 0.5))),
      );
  const res = await fetch(`${server.url}/api/auth/organiser`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'admin', password: 'browser-test-password' }),
  });
  token = ((await res.json()) as { token: string }).token;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const signed = (v: string): string => (v.startsWith('-') ? `−${v.slice(1)}` : `+${v}`);

describe('judge consistency and rank over time on the pages', () => {
  it('the chief view shows each judge’s deviation, offset and flags, and follows a new mark live (1280×800, zh-CN and English)', async () => {
    const expected = await api<ConsistencyAnswer>(`/judge-consistency?event=${EVENT}`);
    const j2 = expected.judges.find((j) => j.judgeId === 'j2')!;
    expect(Number(j2.offset)).toBeGreaterThan(0);
    for (const locale of ['zh-CN', 'en'] as const) {
      const page = await browser.page({ width: 1280, height: 800, locale });
      await page.addInitScript((t) => localStorage.setItem('podium.admin.token', t), token);
      await page.goto(`${server.url}/admin/#c=${COMPETITION}&tab=chief`);
      const panel = page.getByTestId('judge-consistency');
      const row = panel.locator('tr[data-judge="j2"]');
      await row.waitFor();
      expect(await row.locator('[data-field="mean"]').innerText()).toBe(signed(j2.meanDeviation!));
      expect(await row.locator('[data-field="offset"]').innerText()).toContain(`${signed(j2.offset!)}%`);
      expect(await row.locator('[data-field="flagged"]').innerText()).toBe(`${j2.flagged} / ${j2.checked}`);
      await panel.scrollIntoViewIfNeeded();
      await screenshot(page, `judge-consistency-console-${locale}`);
      await page.close();
    }

    // Live: c1 (on stage) is marked again with j2 far above the others; the panel follows.
    const page = await browser.page({ width: 1280, height: 800, locale: 'en' });
    await page.addInitScript((t) => localStorage.setItem('podium.admin.token', t), token);
    await page.goto(`${server.url}/admin/#c=${COMPETITION}&tab=chief`);
    const flagged = page.locator(
      '[data-testid="judge-consistency"] tr[data-judge="j2"] [data-field="flagged"]',
    );
    await flagged.waitFor();
    const before = await flagged.innerText();
    await server.run(
      judgeActor(COMPETITION, 'j2'),
      command('marks.submit', {
        opId: randomUUID(),
        competitionId: COMPETITION,
        eventId: EVENT,
        roundId: ROUND,
        contestantId: 'c1',
        marks: { quality: '50' },
      }),
    );
    const after = await api<ConsistencyAnswer>(`/judge-consistency?event=${EVENT}`);
    const j2After = after.judges.find((j) => j.judgeId === 'j2')!;
    expect(j2After.flagged).toBe(j2.flagged + 1);
    await page.waitForFunction(
      ([sel, text]) => document.querySelector(sel!)?.textContent?.trim() === text,
      [
        '[data-testid="judge-consistency"] tr[data-judge="j2"] [data-field="flagged"]',
        `${j2After.flagged} / ${j2After.checked}`,
      ],
      { timeout: 30_000 },
    );
    expect(await flagged.innerText()).not.toBe(before);
    await page.close();
  });

  it('the chief judge’s tablet shows the same figures; a plain judge’s shows none (1280×800)', async () => {
    const expected = await api<ConsistencyAnswer>(`/judge-consistency?event=${EVENT}`);
    const code = async (judgeId: string): Promise<string> => {
      const res = await fetch(`${server.url}/api/competitions/${COMPETITION}/judges/${judgeId}/code`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      return ((await res.json()) as { code: string }).code;
    };
    for (const locale of ['zh-CN', 'en'] as const) {
      const page = await browser.page({ width: 1280, height: 800, locale });
      await page.goto(`${server.url}/judge/#code=${encodeURIComponent(await code('j3'))}`);
      const panel = page.getByTestId('chief-consistency');
      const row = panel.locator('tr[data-judge="j2"]');
      await row.waitFor();
      const j2 = expected.judges.find((j) => j.judgeId === 'j2')!;
      expect(await row.locator('[data-field="flagged"]').innerText()).toBe(`${j2.flagged} / ${j2.checked}`);
      await screenshot(page, `judge-consistency-chief-tablet-${locale}`);
      await page.evaluate(() => localStorage.clear());
      await page.close();
    }
    const page = await browser.page({ width: 1280, height: 800 });
    await page.goto(`${server.url}/judge/#code=${encodeURIComponent(await code('j1'))}`);
    await page.locator('[data-contestant="c1"]').first().waitFor();
    await page.waitForTimeout(500);
    expect(await page.getByTestId('chief-consistency').count()).toBe(0);
    await page.evaluate(() => localStorage.clear());
    await page.close();
  });

  it('the printed report lists the same figures (A4, zh-CN)', async () => {
    const expected = await api<ConsistencyAnswer>(`/judge-consistency?event=${EVENT}`);
    const page = await browser.page({ width: 1280, height: 800, locale: 'zh-CN' });
    await page.addInitScript((t) => localStorage.setItem('podium.admin.token', t), token);
    await page.goto(`${server.url}/print/?c=${COMPETITION}&kind=consistency&e=${EVENT}`);
    const report = page.getByTestId('consistency-report');
    await report.waitFor();
    expect(await report.innerText()).toContain('裁判评分一致性报告');
    for (const j of expected.judges) {
      const text = await report.locator(`tr[data-judge="${j.judgeId}"]`).innerText();
      expect(text).toContain(j.name);
      if (j.offset !== null) expect(text).toContain(`${signed(j.offset)}%`);
    }
    await screenshot(page, 'judge-consistency-print-zh-CN');
    // On paper (pdfPages.ts): one portrait A4 page with every judge's figures and the signature
    // lines; this page is opened at 127.0.0.1, and that address must not be printed.
    const paper = await printedPdf(page, 'judge-consistency-print-zh-CN');
    expectOfficialPaper(paper, { pages: 1, orientation: 'portrait' });
    const text = compact(paper.text);
    for (const words of ['裁判评分一致性报告', demoCompetition(COMPETITION).name, '宽严倾向', '分歧提醒'])
      expect(text).toContain(compact(words));
    for (const j of expected.judges) {
      expect(text).toContain(compact(j.name));
      if (j.offset !== null) expect(text).toContain(`${signed(j.offset)}%`);
    }
    for (const words of ['裁判长', '组委会（盖章）', '日期', '打印时间'])
      expect(text).toContain(compact(words));
    await page.close();
  });

  it('the overlay shows the biggest movers (1920×1080, zh-CN and English)', async () => {
    const expected = await api<MoversAnswer>(
      `/movers?board=${encodeURIComponent(BOARD)}&window=10&limit=3`,
      false,
    );
    expect(expected.movers.length).toBeGreaterThan(0);
    for (const locale of ['zh-CN', 'en'] as const) {
      const page = await browser.page({ width: 1920, height: 1080, locale });
      await page.goto(`${server.url}/overlay/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}&movers=1`);
      const line = page.getByTestId('overlay-movers');
      await line.waitFor();
      const first = expected.movers[0]!;
      const text = await line.locator(`[data-mover="${first.id}"]`).innerText();
      expect(text).toContain(`${first.delta > 0 ? '↑' : '↓'}${Math.abs(first.delta)}`);
      expect(await line.locator('[data-mover]').count()).toBe(expected.movers.length);
      await screenshot(page, `judge-insight-overlay-movers-${locale}`);
      await page.close();
    }
  });

  it('without ?movers=1 the overlay shows no movers line', async () => {
    const page = await browser.page({ width: 1920, height: 1080 });
    await page.goto(`${server.url}/overlay/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
    await page.getByTestId('overlay-top').waitFor();
    await page.waitForTimeout(500);
    expect(await page.getByTestId('overlay-movers').count()).toBe(0);
    await page.close();
  });

  it('a tapped contestant’s panel shows their rank over time (390×844, zh-CN and English)', async () => {
    const expected = await api<RankHistoryAnswer>(
      `/rank-history?board=${encodeURIComponent(BOARD)}&contestant=c3`,
      false,
    );
    expect(expected.points.length).toBeGreaterThan(1);
    for (const locale of ['zh-CN', 'en'] as const) {
      const page = await browser.page({ width: 390, height: 844, locale });
      await page.goto(`${server.url}/watch/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
      await page.locator('[data-testid="ranking"] li[data-id="c3"] button.open').click();
      const history = page.getByTestId('insight-panel').getByTestId('rank-history');
      await history.locator('canvas').waitFor();
      const summary = await history.getByTestId('rank-history-summary').innerText();
      expect(summary).toContain(String(expected.points.length));
      expect(summary).toContain(String(expected.points.at(-1)!.rank));
      await history.scrollIntoViewIfNeeded();
      await page.waitForTimeout(400); // the chart's draw animation
      await screenshot(page, `judge-insight-watch-history-${locale}`);
      await page.close();
    }
  });
});
