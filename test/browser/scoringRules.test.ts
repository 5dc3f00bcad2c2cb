/**
 * Issue #14 in real Chromium against a real Podium process: a lower-wins time event shows the
 * fastest first and "—" (no rank) for DSQ/DNS rows on the big screen, and the organiser's event
 * form sets the new scoring rules (ranking direction, rounding of weighted rounds, floor at zero,
 * a measured criterion's linear scale) in both languages, with screenshots at three sizes.
 * Needs the built clients (npm run build:client).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Competition, CompetitionInput } from '../../shared/model.ts';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import {
  spawnLoopbackPodium,
  TEST_ADMIN_PASSWORD,
  TEST_ADMIN_USER,
  type PodiumProcess,
} from '../support/podium-server.ts';
import { demoCompetition, EVENT, ROUND } from './fixtures.ts';
import { organiserApi, signInOrganiser } from './organiserApi.ts';

const COMPETITION = `rules-ui-${Date.now().toString(36)}`;

let podium: PodiumProcess;
let browser: TestBrowser;
let adminToken: string;

const api = organiserApi(
  () => podium.url,
  () => adminToken,
);

const run = (name: string, payload: Record<string, unknown>) =>
  api('POST', `/competitions/${COMPETITION}/commands/${name}`, {
    opId: crypto.randomUUID(),
    competitionId: COMPETITION,
    eventId: EVENT,
    roundId: ROUND,
    ...payload,
  });

/** The browser demo, turned into a time trial: one measured time, lower wins, one round. */
function timeTrial(): CompetitionInput {
  const base = demoCompetition(COMPETITION);
  return {
    ...base,
    events: base.events.map((e) => ({
      ...e,
      criteria: [{ id: 'time', label: '用时（秒）', kind: 'measured', max: 600, step: 0.01 }],
      scoring: {
        aggregation: { kind: 'mean' },
        decimals: 2,
        better: 'lower',
        medals: { kind: 'rank', gold: 1, silver: 2, bronze: 3 },
      },
      rounds: [
        { id: ROUND, name: '实操考核', kind: 'final', mode: 'onsite', weight: '0.7' },
        { id: 'r2', name: '理论考试', kind: 'final', mode: 'online', weight: '0.3' },
      ],
    })),
  };
}

async function openSetup(page: Page): Promise<void> {
  await page.goto(`${podium.url}/admin/#c=${COMPETITION}&tab=setup`);
  await page.evaluate(() => localStorage.removeItem('podium.admin.token'));
  await page.reload();
  await page.fill('input[name="user"]', TEST_ADMIN_USER);
  await page.fill('input[name="password"]', TEST_ADMIN_PASSWORD);
  await page.click('button[type="submit"]');
  await page.locator(`section[data-event="${EVENT}"]`).waitFor();
}

const setupOnServer = async (): Promise<Competition> =>
  (await api<{ competition: Competition }>('GET', `/competitions/${COMPETITION}/setup`)).competition;

beforeAll(async () => {
  podium = await spawnLoopbackPodium();
  adminToken = await signInOrganiser(podium.url);
  await api('PUT', `/competitions/${COMPETITION}/setup`, { competition: timeTrial() });
  await run('round.state', { state: 'open' });
  const times: Record<string, string> = { c1: '61.25', c2: '58.90', c3: '58.9', c4: '75.5' };
  for (const [contestantId, value] of Object.entries(times)) {
    await run('measured.enter', { contestantId, criterionId: 'time', value });
  }
  await run('outcome.set', { contestantId: 'c5', outcome: 'dsq', reason: '违规' });
  await run('outcome.set', { contestantId: 'c6', outcome: 'dns', reason: '弃权' });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await podium?.stop();
});

describe('scoring rules on the pages (issue #14)', () => {
  it('big screen: the fastest time ranks first, ties share a rank, DSQ and DNS show "—" instead of a rank (regression: DSQ showed a rank number)', async () => {
    const page = await browser.page({ width: 1920, height: 1080, locale: 'zh-CN' });
    await page.goto(`${podium.url}/screen/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}&rows=12`);
    const row = (id: string) => page.locator(`.ranking li[data-id="${id}"]`);
    await row('c6').waitFor();
    expect(await row('c2').getAttribute('data-rank')).toBe('1');
    expect(await row('c3').getAttribute('data-rank')).toBe('1');
    expect(await row('c1').getAttribute('data-rank')).toBe('3');
    expect(await row('c4').getAttribute('data-rank')).toBe('4');
    for (const id of ['c5', 'c6']) {
      expect(await row(id).locator('.rank').innerText()).toBe('—');
      expect(await row(id).getAttribute('data-rank')).toBeNull();
    }
    const order = await page
      .locator('.ranking li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-id')));
    expect(order).toEqual(['c2', 'c3', 'c1', 'c4', 'c6', 'c5']);
    await screenshot(page, 'rules-screen-lower-wins-zh-CN-1920x1080');
    await page.close();
  });

  it('the event form saves the ranking direction, round rounding, floor at zero and a linear scale', async () => {
    const page = await browser.page({ width: 1280, height: 900, locale: 'en' });
    await openSetup(page);
    const form = page.locator(`section[data-event="${EVENT}"]`);
    expect(await form.getByTestId('scoring-better').inputValue()).toBe('lower');
    await form.getByTestId('scoring-round-rounding').selectOption('once-at-end');
    await form.getByTestId('scoring-floor').uncheck();
    await form.getByLabel('Conversion').selectOption('linear');
    await form.getByLabel('Best', { exact: true }).fill('30');
    await form.getByLabel('Cut-off', { exact: true }).fill('90');
    await form.getByLabel('Points', { exact: true }).fill('20');
    await page.getByRole('button', { name: 'Save set-up' }).click();
    await expect
      .poll(async () => (await setupOnServer()).events[0]?.scoring)
      .toMatchObject({ better: 'lower', roundRounding: 'once-at-end', floorAtZero: false });
    expect((await setupOnServer()).events[0]?.criteria[0]?.convert).toEqual({
      kind: 'linear',
      best: '30',
      cutoff: '90',
      points: '20',
    });
    await page.close();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    it(`screenshots of the event form's scoring rules at tablet, desktop and phone sizes in ${locale}`, async () => {
      for (const [width, height] of [
        [1024, 768],
        [1920, 1080],
        [375, 667],
      ] as const) {
        const page = await browser.page({ width, height, locale });
        await openSetup(page);
        const scoring = page.getByTestId('scoring-better');
        await scoring.scrollIntoViewIfNeeded();
        await screenshot(page, `rules-event-form-${locale}-${width}x${height}`);
        await page.close();
      }
    }, 120_000);
  }
});
