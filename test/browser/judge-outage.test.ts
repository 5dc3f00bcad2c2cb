/**
 * The judge tablet during a Redis outage (issue #12, item 9), in real Chromium against a real
 * server/main.ts on a throwaway Redis: with Redis frozen (SIGSTOP) a submitted mark is answered
 * `unavailable`, and the tablet tells the judge the mark is safe on the tablet and will be sent;
 * once Redis is back it is saved, exactly once. Needs the built clients (npm run build:client).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import { spawnLoopbackPodium, type PodiumProcess } from '../support/podium-server.ts';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts';
import { demoCompetition, EVENT, ROUND } from './fixtures.ts';
import { organiserApi, signInOrganiser } from './organiserApi.ts';

const COMPETITION = `judge-outage-${Date.now().toString(36)}`;

let redis: RedisServerHandle;
let podium: PodiumProcess;
let browser: TestBrowser;
let adminToken: string;

const api = organiserApi(
  () => podium.url,
  () => adminToken,
);

async function submitted(): Promise<Array<{ opId: string; payload: { contestantId?: string } }>> {
  const { entries } = await api<{
    entries: Array<{ type: string; opId: string; payload: { contestantId?: string } }>;
  }>('GET', `/competitions/${COMPETITION}/audit.json`);
  return entries.filter((e) => e.type === 'marks.submit');
}

async function mark(page: Page, contestantId: string, marks: Record<string, string>): Promise<void> {
  await page.locator(`button[data-contestant="${contestantId}"]`).click();
  await page.locator(`[data-testid="mark-sheet"][data-contestant="${contestantId}"]`).waitFor();
  for (const [criterionId, value] of Object.entries(marks)) await page.fill(`#mark-${criterionId}`, value);
  await page.getByTestId('submit-marks').click();
  await page.getByTestId('confirm-ok').click();
}

const statusOf = (page: Page, contestantId: string) =>
  page.locator(`button[data-contestant="${contestantId}"]`).getAttribute('data-status');

beforeAll(async () => {
  redis = await startRedisServer({ appendfsync: 'always' });
  podium = await spawnLoopbackPodium({ redisUrl: redis.url });
  adminToken = await signInOrganiser(podium.url);
  await api('PUT', `/competitions/${COMPETITION}/setup`, { competition: demoCompetition(COMPETITION) });
  await api('POST', `/competitions/${COMPETITION}/commands/round.state`, {
    opId: crypto.randomUUID(),
    competitionId: COMPETITION,
    eventId: EVENT,
    roundId: ROUND,
    state: 'open',
  });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  redis?.process.kill('SIGCONT');
  await browser?.close();
  await podium?.stop('SIGKILL');
  await redis?.stop('SIGKILL');
  redis?.cleanup();
});

describe('judge tablet during a Redis outage', () => {
  it.each(['zh-CN', 'en'] as const)(
    'says the mark is safe on the tablet while the server cannot save, then saves it once (%s)',
    async (locale) => {
      const contestantId = locale === 'en' ? 'c3' : 'c2';
      const page = await browser.page({ width: 1024, height: 768, locale });
      const { code } = await api<{ code: string }>(
        'POST',
        `/competitions/${COMPETITION}/judges/${locale === 'en' ? 'j2' : 'j1'}/code`,
      );
      await page.goto(`${podium.url}/judge/#code=${encodeURIComponent(code)}`);
      await page.locator('[data-contestant="c1"]').first().waitFor();
      const before = (await submitted()).length;

      redis.process.kill('SIGSTOP');
      try {
        await mark(page, contestantId, { quality: '41', safety: '26', speed: '16.5' });
        const banner = page.getByTestId('server-trouble-banner');
        await banner.waitFor({ timeout: 20_000 });
        expect(await banner.getAttribute('data-trouble')).toBe('unavailable');
        expect(await banner.textContent()).toContain(
          locale === 'en' ? 'safe on this tablet' : '安全保存在本机',
        );
        // The tablet moved on to the next contestant after the submit: open this one again.
        await page.locator(`button[data-contestant="${contestantId}"]`).click();
        await page.locator(`[data-testid="mark-sheet"][data-contestant="${contestantId}"]`).waitFor();
        expect(await page.getByTestId('pending-item').textContent()).toContain(
          locale === 'en' ? 'Kept safe on this tablet' : '评分已安全保存在本机',
        );
        expect(await statusOf(page, contestantId)).toBe('pending');
        await screenshot(page, `judge-redis-outage-${locale}-1024x768`);
      } finally {
        redis.process.kill('SIGCONT');
      }

      await expect.poll(() => statusOf(page, contestantId), { timeout: 45_000 }).toBe('saved');
      await expect.poll(() => page.getByTestId('server-trouble-banner').count()).toBe(0);
      const after = await submitted();
      expect(after).toHaveLength(before + 1);
      expect(after.filter((e) => e.payload.contestantId === contestantId)).toHaveLength(1);
      await page.close();
    },
  );
});
