/**
 * Ids named like Object.prototype members (issue #12) in the judge tablet, in real Chromium against a
 * real Podium process: criteria "toString" and "valueOf", a measured criterion "hasOwnProperty",
 * a chief judge "isPrototypeOf". Their empty inputs must be empty (not a function's source text),
 * an unentered measured value must read "not entered", and the marks must reach the server as typed.
 * Needs the built clients (npm run build:client).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompetitionInput } from '../../shared/model.ts';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { spawnLoopbackPodium, type PodiumProcess } from '../support/podium-server.ts';
import { organiserApi, signInOrganiser } from './organiserApi.ts';

const COMPETITION = `ids-ui-${Date.now().toString(36)}`;
const EVENT = 'valueOf';
const ROUND = 'toString';
const CHIEF = 'isPrototypeOf';

let podium: PodiumProcess;
let browser: TestBrowser;
let adminToken: string;

const api = organiserApi(
  () => podium.url,
  () => adminToken,
);

function competition(): CompetitionInput {
  return {
    id: COMPETITION,
    name: 'Ids',
    events: [
      {
        id: EVENT,
        name: '焊工',
        criteria: [
          { id: 'toString', label: '质量', max: 10, step: 0.5 },
          { id: 'valueOf', label: '安全', max: 10, step: 0.5 },
          { id: 'hasOwnProperty', label: '弯曲试验', max: 10, step: 0.5, kind: 'measured' },
        ],
        scoring: { aggregation: { kind: 'mean' }, decimals: 2, blind: false },
        rounds: [{ id: ROUND, name: '决赛', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: [
      { id: 'c1', eventId: EVENT, bib: 'A001', name: '张伟', organisation: '一厂', region: '北京' },
    ],
    judges: [{ id: CHIEF, name: '裁判长', role: 'chief', eventIds: [EVENT] }],
  };
}

beforeAll(async () => {
  podium = await spawnLoopbackPodium();
  adminToken = await signInOrganiser(podium.url);
  await api('PUT', `/competitions/${COMPETITION}/setup`, { competition: competition() });
  await api('POST', `/competitions/${COMPETITION}/commands/round.state`, {
    opId: crypto.randomUUID(),
    eventId: EVENT,
    roundId: ROUND,
    state: 'open',
  });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await podium?.stop();
});

describe('judge tablet with ids named like Object.prototype members', () => {
  it('shows empty inputs and "not entered", and sends the marks as typed (issue #12)', async () => {
    const { code } = await api<{ code: string }>('POST', `/competitions/${COMPETITION}/judges/${CHIEF}/code`);
    const page = await browser.page({ width: 1024, height: 768, locale: 'en' });
    await page.goto(`${podium.url}/judge/#code=${encodeURIComponent(code)}`);
    await page.locator('button[data-contestant="c1"]').click();
    await page.locator('[data-testid="mark-sheet"][data-contestant="c1"]').waitFor();
    expect(await page.inputValue('#mark-toString')).toBe('');
    expect(await page.inputValue('#mark-valueOf')).toBe('');
    expect(await page.inputValue('#measured-hasOwnProperty')).toBe('');
    expect((await page.getByTestId('measured-value-hasOwnProperty').textContent())?.trim()).toBe(
      'Not entered',
    );
    expect(await page.getByTestId('chief-panel').getByRole('alert').count()).toBe(0);

    await page.fill('#mark-toString', '8');
    await page.fill('#mark-valueOf', '9.5');
    await page.getByTestId('submit-marks').click();
    await page.getByTestId('confirm-ok').click();
    await expect
      .poll(() => page.locator('button[data-contestant="c1"]').getAttribute('data-status'), {
        timeout: 15_000,
      })
      .toBe('saved');
    const audit = await api<{
      entries: Array<{ type: string; actor: string; payload: { marks?: unknown } }>;
    }>('GET', `/competitions/${COMPETITION}/audit.json`);
    expect(audit.entries.filter((e) => e.type === 'marks.submit')).toEqual([
      expect.objectContaining({
        actor: `judge:${CHIEF}`,
        payload: expect.objectContaining({ marks: { toString: '8', valueOf: '9.5' } }),
      }),
    ]);
  });
});
