/**
 * Issue #14 item 3, the team leader's path in a real browser: the organiser issues a team leader
 * code in the console (a card whose address is the server's public one), the leader signs in with
 * it on a phone, files an appeal for a contestant of the team, sees it awaiting a decision; the
 * console lists it as filed by that team's leader; the arbitration's decision reaches the phone;
 * after the deadline the phone says so and keeps the button disabled. Screenshots (zh-CN, en; 390×844) in
 * test-output/screenshots/leader-*. Needs the built clients (npm run build).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OfficialLines } from '../../shared/officialLines.ts';
import type { Actor } from '../../server/domain/actor.ts';
import { screenshot, SCREENSHOT_DIR, type TestBrowser } from '../support/browser.ts';
import { command, demoCompetition, EVENT, ROUND } from './fixtures.ts';
import { startNamedPodium, type NamedPodium } from './namedPodium.ts';
import { organiserApi } from './organiserApi.ts';
import { ORGANISER } from './public-server.ts';

const ID = `leader-${Date.now().toString(36)}`;
const PASSWORD = 'leader-test-password';

let podium: NamedPodium;
let browser: TestBrowser;
let token: string;
const api = organiserApi(
  () => podium.local,
  () => token,
);
const run = (actor: Actor, c: ReturnType<typeof command>) => podium.running.service.execute(actor, c);
const official = () =>
  api<OfficialLines>('GET', `/competitions/${ID}/official?event=${EVENT}&round=${ROUND}`);

beforeAll(async () => {
  podium = await startNamedPodium({ redisUrl: inject('redisUrl'), adminPassword: PASSWORD, name: 'leader' });
  await run(ORGANISER, command('setup.put', { opId: crypto.randomUUID(), competition: demoCompetition(ID) }));
  const round = { competitionId: ID, eventId: EVENT, roundId: ROUND };
  await run(ORGANISER, command('round.state', { opId: crypto.randomUUID(), ...round, state: 'open' }));
  await run(
    ORGANISER,
    command('appeal.deadline', {
      opId: crypto.randomUUID(),
      competitionId: ID,
      eventId: EVENT,
      closesAt: Date.now() + 2 * 3600_000,
    }),
  );
  token = await podium.organiserToken();
  browser = await podium.browser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await podium?.stop();
});

/** Nothing on the page is wider than the window (no sideways scrolling on a phone). */
async function noSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** The whole page (the team's appeals sit below the form on a phone). */
async function fullPage(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

describe('team leader appeals in the browser', () => {
  let code = '';
  let phone: Page;

  it('the organiser issues a team leader code in the console, on a card with the public address', async () => {
    const page = await browser.page({ width: 1280, height: 800, locale: 'zh-CN' });
    await page.addInitScript((t) => localStorage.setItem('podium.admin.token', t), token);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${podium.url}/admin/#c=${ID}&tab=codes`);
    const panel = page.getByTestId('leader-codes');
    await panel.locator('tr[data-team="t1"]').getByRole('button', { name: '发放' }).click();
    const shown = panel.locator('tr[data-team="t1"] [data-testid="leader-code"]');
    await shown.waitFor();
    code = (await shown.textContent())?.trim() ?? '';
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const card = page.locator('.qr-card', { hasText: '北京石化代表队' });
    await expect(card.locator('.url').textContent()).resolves.toBe(`${podium.url}/leader/`);
    await screenshot(page, 'leader-console-codes-zh-CN-tablet');
    await page.close();
  });

  it('the leader signs in on a phone and files an appeal for a contestant of the team', async () => {
    phone = await browser.page({ width: 390, height: 844, locale: 'zh-CN' });
    await phone.goto(`${podium.url}/leader/`);
    await phone.locator('#leader-code').fill(code.toLowerCase());
    await phone.getByRole('button', { name: '登录' }).click();
    await phone.locator('[data-testid="leader-team"]', { hasText: '北京石化代表队' }).waitFor();
    // Only the team's two contestants are offered.
    const options = await phone.getByTestId('leader-contestant').locator('option').allTextContents();
    expect(options.slice(1)).toEqual(['张伟 · 焊工', '刘洋 · 焊工']);
    await phone.getByTestId('leader-contestant').selectOption('c4');
    await phone.locator('[data-testid="leader-deadline"]', { hasText: '申诉截止：' }).waitFor();
    // Round 2 has not started: only round 1 can be appealed.
    expect(await phone.getByTestId('leader-round').locator('option').allTextContents()).toEqual(['实操考核']);
    await phone.getByTestId('leader-grounds').fill('第二道焊缝评分与录像不符，请复核');
    await phone.getByTestId('leader-submit').click();
    await phone.locator('[data-testid="leader-notice"]', { hasText: '申诉已提交' }).waitFor();
    const item = phone.locator('[data-testid="leader-appeals"] li[data-state="open"]');
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('刘洋');
    await expect(item.textContent()).resolves.toContain('待仲裁');
    await noSidewaysScroll(phone);
    await screenshot(phone, 'leader-filed-zh-CN-390x844');
  });

  it('the console lists the appeal as filed by the team leader; the decision reaches the phone', async () => {
    const c4 = (await official()).lines.find((l) => l.contestantId === 'c4');
    expect(c4?.appeals).toEqual([
      {
        id: expect.any(String),
        grounds: '第二道焊缝评分与录像不符，请复核',
        status: 'open',
        leaderTeamId: 't1',
      },
    ]);
    const page = await browser.page({ width: 1280, height: 800, locale: 'zh-CN' });
    await page.addInitScript((t) => localStorage.setItem('podium.admin.token', t), token);
    await page.goto(`${podium.url}/admin/#c=${ID}&tab=official`);
    const filer = page.locator('li[data-state="open"] [data-testid="appeal-filer"]');
    await expect(filer.textContent()).resolves.toBe('领队提交 · 北京石化代表队');
    await page.getByTestId('appeal-list').scrollIntoViewIfNeeded();
    await screenshot(page, 'leader-console-appeal-zh-CN-tablet');
    await page.close();

    await api('POST', `/competitions/${ID}/commands/appeal.decide`, {
      opId: crypto.randomUUID(),
      eventId: EVENT,
      roundId: ROUND,
      contestantId: 'c4',
      appealId: c4?.appeals[0]?.id,
      decision: 'rejected',
      reason: '经复核录像，评分无误',
    });
    await phone.getByRole('button', { name: '刷新' }).click();
    const decided = phone.locator('[data-testid="leader-appeals"] li[data-state="rejected"]');
    await decided.waitFor();
    await expect(decided.textContent()).resolves.toContain('经复核录像，评分无误');
    await fullPage(phone, 'leader-decided-zh-CN-390x844');
    // The English switch: the same page in English.
    await phone.getByRole('button', { name: 'English' }).click();
    await phone.getByRole('heading', { name: 'Team leader appeals' }).waitFor();
    await expect(decided.textContent()).resolves.toContain('rejected');
    await noSidewaysScroll(phone);
    await fullPage(phone, 'leader-decided-en-390x844');
    await phone.getByRole('button', { name: '中文' }).click();
  });

  it('after the deadline the phone says so and the button stays disabled', async () => {
    await api('POST', `/competitions/${ID}/commands/appeal.deadline`, {
      opId: crypto.randomUUID(),
      eventId: EVENT,
      closesAt: Date.now() - 1000,
    });
    await phone.reload();
    await phone.getByTestId('leader-contestant').selectOption('c1');
    await phone.locator('[data-testid="leader-deadline"]', { hasText: '申诉已于' }).waitFor();
    await phone.getByTestId('leader-grounds').fill('迟到的申诉');
    await expect(phone.getByTestId('leader-submit').isDisabled()).resolves.toBe(true);
    await screenshot(phone, 'leader-closed-zh-CN-390x844');
    await phone.close();
  });
});
