/**
 * The reveal ceremony (issue #15, item 3) in real Chromium against a real Podium (Redis store):
 *  - the ceremony page walks a 6-step reveal driven by Space, → and PageDown, ICPC-resolver style:
 *    pending results are marked pending, a spotlight sits on the row the next step resolves, and
 *    each step changes exactly one visible row (regression: the first steps of a reveal changed
 *    nothing visible, because unchanged bottom rows took steps);
 *  - it ends in "final results"; one more step is refused with `nothing_to_reveal` (regression:
 *    the console counted 7 revealed of 6);
 *  - the big screen shows "final results" after the last step and after finalize (regression: it
 *    kept saying "revealing 6/6").
 * Needs the built clients: npm run build:client.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import { command, EVENT, marksCommand, ROUND, setupCommands } from './fixtures.ts';
import { judgeActor, ORGANISER, startPublicTestServer, type PublicTestServer } from './public-server.ts';

const run = Date.now().toString(36);
let server: PublicTestServer;
let browser: TestBrowser;
let token: string;

beforeAll(async () => {
  if (!existsSync(join(process.cwd(), 'dist', 'client', 'ceremony', 'index.html'))) {
    throw new Error('The clients are not built (no ceremony page): run `npm run build:client` first.');
  }
  server = await startPublicTestServer(inject('redisUrl'));
  browser = await launchBrowser();
  const response = await fetch(`${server.url}/api/auth/organiser`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'admin', password: 'browser-test-password' }),
  });
  token = ((await response.json()) as { token: string }).token;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * Six contestants: c1..c4 marked by one judge before the freeze (c1 > c2 > c3 > c4), then behind
 * the freeze the other two judges reverse that order, and c5, c6 are scored for the first time.
 */
async function seedSixBehindTheFreeze(competitionId: string): Promise<void> {
  for (const c of setupCommands(competitionId, 'c1')) await server.run(ORGANISER, c);
  const early: Record<string, number> = { c1: 40, c2: 35, c3: 30, c4: 25 };
  for (const [id, base] of Object.entries(early)) {
    await server.run(judgeActor(competitionId, 'j1'), marksCommand(competitionId, id, base));
  }
  const round = { competitionId, eventId: EVENT, roundId: ROUND };
  await server.run(ORGANISER, command('board.freeze', { opId: crypto.randomUUID(), ...round, frozen: true }));
  const late: Record<string, number> = { c1: 20, c2: 30, c3: 45, c4: 48 };
  for (const [id, base] of Object.entries(late)) {
    for (const judge of ['j2', 'j3']) {
      await server.run(judgeActor(competitionId, judge), marksCommand(competitionId, id, base));
    }
  }
  for (const [id, base] of [
    ['c5', 33],
    ['c6', 22],
  ] as const) {
    for (const judge of ['j1', 'j2', 'j3']) {
      await server.run(judgeActor(competitionId, judge), marksCommand(competitionId, id, base));
    }
  }
}

interface Shown {
  id: string;
  rank: string;
  total: string;
  pending: boolean;
}

async function shownRows(page: Page): Promise<Shown[]> {
  return page.$$eval('[data-testid="ceremony-rows"] li', (items) =>
    items.map((li) => ({
      id: li.getAttribute('data-id') ?? '',
      rank: li.getAttribute('data-rank') ?? '',
      total: li.getAttribute('data-total') ?? '',
      pending: li.getAttribute('data-pending') === 'true',
    })),
  );
}

const spotlight = (page: Page) =>
  page.locator('[data-testid="ceremony-rows"] li.spotlight').getAttribute('data-id', { timeout: 10_000 });

async function openCeremony(competitionId: string, size: { width: number; height: number }, locale?: 'en') {
  const page = await browser.page({ ...size, ...(locale ? { locale } : {}) });
  await page.addInitScript((t) => localStorage.setItem('podium.admin.token', t), token);
  await page.goto(`${server.url}/ceremony/?c=${competitionId}&e=${EVENT}&r=${ROUND}`);
  await page.waitForSelector('[data-testid="ceremony-rows"] li');
  return page;
}

describe('reveal ceremony page', () => {
  it('walks six steps from the last place up, one visible change per step, into final results', async () => {
    const competitionId = `cer-${run}`;
    await seedSixBehindTheFreeze(competitionId);
    const page = await openCeremony(competitionId, { width: 1920, height: 1080 });
    await page.waitForSelector('[data-testid="ceremony"][data-state="frozen"]');

    // Before the first step: four ranked rows pending (their score changed) and two new results
    // waiting below the ranking; the spotlight is on the last line.
    await expect.poll(async () => (await shownRows(page)).filter((r) => r.pending).length).toBe(6);
    expect((await shownRows(page)).map((r) => r.id)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(await spotlight(page)).toBe('c6');
    await screenshot(page, 'ceremony-1080-zh-start');

    const screen = await browser.page({ width: 1920, height: 1080 });
    await screen.goto(`${server.url}/screen/?c=${competitionId}&e=${EVENT}&r=${ROUND}`);
    await screen.waitForSelector('[data-testid="frozen-banner"]');

    const keys = ['Space', 'ArrowRight', 'PageDown', 'Space', 'ArrowRight', 'PageDown'];
    const order: string[] = [];
    for (const [i, key] of keys.entries()) {
      const before = await shownRows(page);
      const lit = await spotlight(page);
      if (lit === null) throw new Error(`no spotlight before step ${i + 1}`);
      await page.keyboard.press(key);
      const left = 6 - (i + 1);
      await expect
        .poll(async () => (await shownRows(page)).filter((r) => r.pending).length, { timeout: 15_000 })
        .toBe(left);
      const after = await shownRows(page);
      // Exactly one row changed what it shows (its score, or it entered the ranking): the spotlit one.
      const changed = after.filter((row) => {
        const was = before.find((b) => b.id === row.id);
        return was === undefined || was.total !== row.total || was.pending !== row.pending;
      });
      expect(changed.map((r) => r.id)).toEqual([lit]);
      order.push(lit);
      if (i === 2) await screenshot(page, 'ceremony-1080-zh-step3-moving');
      if (i === 4) {
        await page.bringToFront(); // a background tab pauses animations
        await page.waitForTimeout(1_200); // the settled state after the move
        await screenshot(page, 'ceremony-1080-zh-step5');
      }
    }
    // New results first (worst first), then from the bottom of the frozen ranking up.
    expect(order).toEqual(['c6', 'c5', 'c4', 'c3', 'c2', 'c1']);

    await page.waitForSelector('[data-testid="ceremony"][data-state="final"]');
    expect(await page.locator('[data-testid="ceremony-final"]').innerText()).toContain('最终成绩');
    expect(await page.locator('[data-testid="ceremony-next"]').count()).toBe(0);
    expect((await shownRows(page)).map((r) => `${r.rank}:${r.id}`)).toEqual([
      '1:c4',
      '2:c3',
      '3:c5',
      '4:c2',
      '5:c1',
      '6:c6',
    ]);
    // Team and organisation standings follow once every contestant is revealed (regression: they
    // stayed frozen under "final results").
    const service = server.running.service;
    for (const scope of ['team', 'organisation']) {
      const teamBoard = `${EVENT}|${ROUND}|${scope}`;
      const shown = await service.boardSnapshot(competitionId, teamBoard, 'public');
      const live = await service.boardSnapshot(competitionId, teamBoard, 'staff');
      expect(shown.rows.map((r) => `${r.id}:${r.total}`)).toEqual(live.rows.map((r) => `${r.id}:${r.total}`));
    }
    await page.bringToFront(); // a background tab pauses animations
    await page.waitForTimeout(1_500); // let the last rise finish animating
    await screenshot(page, 'ceremony-1080-zh-final');

    // A seventh step is refused with a clear code and changes nothing.
    await page.keyboard.press('Space');
    const round = { competitionId, eventId: EVENT, roundId: ROUND };
    await expect(
      server.run(ORGANISER, command('board.reveal', { opId: crypto.randomUUID(), ...round })),
    ).rejects.toMatchObject({ code: 'nothing_to_reveal' });
    expect((await server.running.service.getControl(competitionId)).frozen[`${EVENT}|${ROUND}`]).toEqual({
      revealed: 6,
    });

    // The big screen followed: final results, not "revealing 6/6"; still so after finalize.
    await screen.waitForSelector('[data-testid="final-banner"]', { timeout: 15_000 });
    expect(await screen.locator('[data-testid="reveal-banner"]').count()).toBe(0);
    await server.run(ORGANISER, command('round.finalize', { opId: crypto.randomUUID(), ...round }));
    await screen.reload();
    await screen.waitForSelector('[data-testid="final-banner"]');
    expect(await screen.locator('[data-testid="final-banner"]').innerText()).toContain('最终成绩');
    await screen.bringToFront();
    await screenshot(screen, 'ceremony-screen-1080-zh-final');
    await page.reload();
    await page.waitForSelector('[data-testid="ceremony"][data-state="final"]');

    // The console says everything is revealed and offers no further step (regression: the
    // button stayed enabled and counted "7 revealed" of 6).
    const consolePage = await browser.page({ width: 1280, height: 900 });
    await consolePage.goto(`${server.url}/admin/#c=${competitionId}&tab=control`);
    await expect
      .poll(() => consolePage.getByTestId('reveal-count').innerText(), { timeout: 15_000 })
      .toContain('已全部揭晓（6 名）');
    expect(await consolePage.getByTestId('reveal-next').isDisabled()).toBe(true);
    await consolePage.close();

    // A spectator's phone says "final results" too (regression: it kept saying "revealing 6").
    const phone = await browser.page({ width: 390, height: 844 });
    await phone.goto(`${server.url}/watch/?c=${competitionId}&e=${EVENT}&r=${ROUND}`);
    await phone.waitForSelector('[data-testid="watch-final-banner"]', { timeout: 15_000 });
    expect(await phone.locator('[data-testid="watch-final-banner"]').innerText()).toContain('最终成绩');
    expect(await phone.locator('.banner.reveal').count()).toBe(0);
    await screenshot(phone, 'ceremony-watch-390-zh-final');
    await phone.close();
    await screen.close();
    await page.close();
  }, 180_000);

  it('marks pending rows on the big screen and fits tablet and phone in both languages', async () => {
    const competitionId = `cer-sizes-${run}`;
    await seedSixBehindTheFreeze(competitionId);
    const round = { competitionId, eventId: EVENT, roundId: ROUND };
    await server.run(ORGANISER, command('board.reveal', { opId: crypto.randomUUID(), ...round }));

    const screen = await browser.page({ width: 1920, height: 1080 });
    await screen.goto(`${server.url}/screen/?c=${competitionId}&e=${EVENT}&r=${ROUND}`);
    await screen.waitForSelector('[data-testid="reveal-banner"]');
    await expect
      .poll(() => screen.locator('.ranking li[data-pending="true"]').count(), { timeout: 15_000 })
      .toBe(4);
    expect(await screen.locator('[data-testid="reveal-banner"]').innerText()).toContain('待揭晓 5');
    // c1 is on stage and was marked behind the freeze: the stage panel must not give its 48.83 away.
    expect(await screen.locator('[data-testid="screen"]').innerText()).not.toContain('48.83');
    await screenshot(screen, 'ceremony-screen-1080-zh-pending');
    await screen.close();

    for (const [name, size, locale] of [
      ['tablet-en', { width: 1024, height: 768 }, 'en'],
      ['tablet-zh', { width: 1024, height: 768 }, undefined],
      ['phone-zh', { width: 390, height: 844 }, undefined],
      ['phone-en', { width: 390, height: 844 }, 'en'],
    ] as const) {
      const page = await openCeremony(competitionId, size, locale);
      await page.waitForSelector('[data-testid="ceremony"][data-state="revealing"]');
      expect(await spotlight(page)).toBe('c5');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      if (locale === 'en') {
        expect(await page.locator('[data-testid="ceremony-progress"]').innerText()).toContain('5 to reveal');
      }
      await screenshot(page, `ceremony-${name}`);
      await page.close();
    }
  }, 180_000);
});
