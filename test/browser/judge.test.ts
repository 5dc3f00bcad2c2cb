/**
 * The judge tablet app in real Chromium against a real Podium process:
 *  - the app reloads without network (service worker) and shows the marks made offline, which reach
 *    the server exactly once when the network returns;
 *  - a chief judge enters a measured value and a deduction and locks a sheet; a judge's later submit
 *    for it is refused as locked;
 *  - a mark made on the tablet reaches a public socket as a board delta;
 *  - screenshots at tablet, desktop and phone sizes in both languages.
 * Needs the built clients (npm run build:client).
 */
import type { Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BoardDelta,
  BoardSnapshot,
  PublicClientToServer,
  PublicServerToClient,
} from '../../shared/events.ts';
import type { Socket } from 'socket.io-client';
import { cspViolations, launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import { spawnLoopbackPodium, type PodiumProcess } from '../support/podium-server.ts';
import { demoCompetition, EVENT, ROUND } from './fixtures.ts';
import { organiserApi, signInOrganiser } from './organiserApi.ts';

const COMPETITION = `judge-ui-${Date.now().toString(36)}`;
/** A second competition whose event also has a measured criterion, for the chief judge. */
const CHIEF_COMPETITION = `${COMPETITION}-chief`;

interface AuditEntry {
  actor: string;
  type: string;
  opId: string;
  payload: {
    contestantId?: string;
    marks?: Record<string, string>;
    criterionId?: string;
    value?: string;
    deduction?: { id: string; points: string; reason: string };
    locked?: boolean;
  };
}

let podium: PodiumProcess;
let browser: TestBrowser;
let adminToken: string;

const api = organiserApi(
  () => podium.url,
  () => adminToken,
);

const command = (name: string, payload: Record<string, unknown>, competition = COMPETITION) =>
  api('POST', `/competitions/${competition}/commands/${name}`, {
    opId: crypto.randomUUID(),
    competitionId: competition,
    ...payload,
  });

async function judgeCode(judgeId: string, competition = COMPETITION): Promise<string> {
  return (await api<{ code: string }>('POST', `/competitions/${competition}/judges/${judgeId}/code`)).code;
}

async function auditOf(competition = COMPETITION): Promise<AuditEntry[]> {
  return (await api<{ entries: AuditEntry[] }>('GET', `/competitions/${competition}/audit.json`)).entries;
}

/** Open the judge app through its QR link and wait for the worklist. */
async function signIn(page: Page, code: string): Promise<void> {
  await page.goto(`${podium.url}/judge/#code=${encodeURIComponent(code)}`);
  await page.locator('[data-contestant="c1"]').first().waitFor();
}

/** The demo set-up plus a measured criterion only the chief judge enters. */
function chiefCompetition(): ReturnType<typeof demoCompetition> {
  const competition = demoCompetition(CHIEF_COMPETITION);
  const [event] = competition.events;
  if (event === undefined) throw new Error('the demo competition has no event');
  event.criteria.push({ id: 'bend', label: '弯曲试验', max: 10, step: 0.5, kind: 'measured' });
  return competition;
}

/** Choose a contestant, type one mark per criterion, submit and confirm. */
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
  podium = await spawnLoopbackPodium();
  adminToken = await signInOrganiser(podium.url);
  await api('PUT', `/competitions/${COMPETITION}/setup`, { competition: demoCompetition(COMPETITION) });
  await command('round.state', { eventId: EVENT, roundId: ROUND, state: 'open' });
  await command('stage.set', { eventId: EVENT, roundId: ROUND, contestantId: 'c1' });
  await api('PUT', `/competitions/${CHIEF_COMPETITION}/setup`, { competition: chiefCompetition() });
  await command('round.state', { eventId: EVENT, roundId: ROUND, state: 'open' }, CHIEF_COMPETITION);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await podium?.stop();
});

describe('judge tablet', () => {
  it('reloads offline with the marks made offline, and sends each exactly once when back online', async () => {
    const page = await browser.page({ width: 1024, height: 768, locale: 'en' });
    await signIn(page, await judgeCode('j1'));
    // The QR code is taken off the address bar once used.
    expect(page.url()).not.toContain('code=');
    // The service worker is active and holds the page and every asset it links.
    const shell = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      const cache = await caches.open((await caches.keys())[0] ?? '');
      const html = await (await cache.match('/judge/'))?.text();
      const linked = [...(html ?? '').matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
      const missing = (
        await Promise.all(linked.map(async (url) => ((await cache.match(url)) ? null : url)))
      ).filter((url) => url !== null);
      return { cached: html !== undefined, linked: linked.length, missing };
    });
    expect(shell).toMatchObject({ cached: true, missing: [] });
    expect(shell.linked).toBeGreaterThan(2);

    await page.context().setOffline(true);
    await page.getByTestId('offline-banner').waitFor();
    await mark(page, 'c2', { quality: '40', safety: '25.5', speed: '15' });
    await mark(page, 'c3', { quality: '35.5', safety: '20', speed: '18' });
    await expect.poll(() => page.getByTestId('outbox-pending').getAttribute('data-count')).toBe('2');
    expect(await statusOf(page, 'c2')).toBe('pending');
    expect(await statusOf(page, 'c3')).toBe('pending');

    // The outbox is in IndexedDB: read the opIds the server must end up with.
    const queued = await page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open('podium-judge');
          open.onerror = () => reject(new Error('cannot open the outbox'));
          open.onsuccess = () => {
            const all = open.result.transaction('outbox').objectStore('outbox').getAllKeys();
            all.onsuccess = () => resolve(all.result.map(String));
          };
        }),
    );
    expect(queued).toHaveLength(2);
    expect((await auditOf()).filter((e) => e.type === 'marks.submit')).toHaveLength(0);

    // Reloading without a network still opens the app, with both marks waiting.
    await page.reload({ timeout: 10_000 });
    await page.getByTestId('offline-banner').waitFor();
    await expect.poll(() => page.getByTestId('outbox-pending').getAttribute('data-count')).toBe('2');
    expect(await statusOf(page, 'c2')).toBe('pending');
    expect(await statusOf(page, 'c3')).toBe('pending');
    // The round state and the stage are remembered too: the judge is not told the round is closed.
    expect(await page.locator('.round-state').getAttribute('class')).toContain('state-open');
    await screenshot(page, 'judge-offline-reload-en-1024x768');
    expect((await auditOf()).filter((e) => e.type === 'marks.submit')).toHaveLength(0);

    await page.context().setOffline(false);
    await expect.poll(() => statusOf(page, 'c2'), { timeout: 15_000 }).toBe('saved');
    await expect.poll(() => statusOf(page, 'c3'), { timeout: 15_000 }).toBe('saved');
    expect(await page.getByTestId('outbox-pending').count()).toBe(0);

    const submitted = (await auditOf()).filter((e) => e.type === 'marks.submit' && e.actor === 'judge:j1');
    expect(submitted.map((e) => e.opId).sort()).toEqual([...queued].sort());
    expect(submitted.map((e) => e.payload.contestantId).sort()).toEqual(['c2', 'c3']);
    expect(submitted.find((e) => e.payload.contestantId === 'c2')?.payload.marks).toEqual({
      quality: '40',
      safety: '25.5',
      speed: '15',
    });
    await page.close();
  });

  it('shows a mark made on the tablet page on the big-screen and spectator pages and to a public socket', async () => {
    const board = `${EVENT}|${ROUND}|individual`;
    const spectator: Socket<PublicServerToClient, PublicClientToServer> = io(`${podium.url}/public`, {
      transports: ['websocket'],
    });
    try {
      const snapshot = await new Promise<BoardSnapshot>((resolve, reject) => {
        spectator.emit('board:subscribe', { competitionId: COMPETITION, board }, (ack) =>
          ack.ok ? resolve(ack) : reject(new Error(ack.message)),
        );
      });
      expect(snapshot.rows.find((r) => r.id === 'c1')).toBeUndefined();
      const seen = new Promise<{ delta: BoardDelta; at: number }>((resolve) => {
        spectator.on('board:delta', (delta) => {
          if (delta.rows.some((r) => r.id === 'c1')) resolve({ delta, at: Date.now() });
        });
      });

      // Two more pages watch the same board: the venue's big screen and a spectator's phone.
      const screen = await browser.page({ width: 1920, height: 1080 });
      const phone = await browser.page({ width: 375, height: 667 });
      await screen.goto(`${podium.url}/screen/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
      await phone.goto(`${podium.url}/watch/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
      // Both pages are connected and following the competition (c1 is shown on stage).
      for (const view of [screen, phone]) await view.locator('.conn[data-status="online"]').first().waitFor();
      await screen.locator('[data-testid="stage"]').waitFor();
      await phone.locator('[data-testid="watch-stage"]').waitFor();
      expect(await screen.locator('.ranking li[data-id="c1"]').count()).toBe(0);

      const page = await browser.page({ width: 1024, height: 768, locale: 'zh-CN' });
      await signIn(page, await judgeCode('j2'));
      // c1 is on stage: it is highlighted and offered first.
      await expect
        .poll(() => page.locator('button[data-contestant="c1"]').getAttribute('class'))
        .toMatch(/\bstage\b/);
      await mark(page, 'c1', { quality: '45', safety: '28', speed: '19.5' });
      const sentAt = Date.now();
      const { delta, at } = await seen;
      const row = delta.rows.find((r) => r.id === 'c1');
      // j2 alone has marked (mean of one judge): 45 + 28 + 19.5.
      expect(row?.total).toBe('92.50');
      expect(row?.complete).toBe(false);
      // A measurement for the log, not an assertion: speed belongs to scripts/bench.
      console.log(`judge submit → public board delta: ${at - sentAt} ms`);
      await expect.poll(() => statusOf(page, 'c1')).toBe('saved');
      await expect
        .poll(() => screen.locator('.ranking li[data-id="c1"] .score').innerText())
        .toContain('92.50');
      await expect
        .poll(() => phone.locator('[data-testid="ranking"] li[data-id="c1"]').innerText())
        .toContain('92.50');
      await page.close();
      await screen.close();
      await phone.close();
    } finally {
      spectator.disconnect();
    }
  });

  it('revises a saved mark with a new opId, and leaves a refused mark for the judge to resolve', async () => {
    const page = await browser.page({ width: 1024, height: 768, locale: 'en' });
    await signIn(page, await judgeCode('j1'));
    await mark(page, 'c5', { quality: '40', safety: '20', speed: '10' });
    await expect.poll(() => statusOf(page, 'c5')).toBe('saved');
    // A submit opens the next contestant: go back to c5 to revise it.
    await page.locator('button[data-contestant="c5"]').click();
    await page.locator('[data-testid="mark-sheet"][data-contestant="c5"]').waitFor();
    await page.fill('#mark-quality', '41');
    expect(await page.getByTestId('submit-marks').textContent()).toContain('Revise');
    await page.getByTestId('submit-marks').click();
    await page.getByTestId('confirm-ok').click();
    await expect
      .poll(async () =>
        (await auditOf()).filter((e) => e.type === 'marks.submit' && e.payload.contestantId === 'c5'),
      )
      .toHaveLength(2);
    const revisions = (await auditOf()).filter((e) => e.payload.contestantId === 'c5');
    expect(new Set(revisions.map((e) => e.opId)).size).toBe(2);
    expect(revisions.at(-1)?.payload.marks?.quality).toBe('41');

    // The organiser locks c6 while the tablet is offline; the judge's mark for it is refused on return.
    await page.context().setOffline(true);
    await command('sheet.lock', { eventId: EVENT, roundId: ROUND, contestantId: 'c6', locked: true });
    await mark(page, 'c6', { quality: '30', safety: '20', speed: '10' });
    await page.context().setOffline(false);
    await expect.poll(() => statusOf(page, 'c6'), { timeout: 15_000 }).toBe('failed');
    await page.locator('button[data-contestant="c6"]').click();
    await page.getByTestId('failed-item').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('failed-item').textContent()).toContain('The sheet is locked');
    expect(await page.getByTestId('outbox-failed').getAttribute('data-count')).toBe('1');
    expect(await statusOf(page, 'c6')).toBe('failed');
    await screenshot(page, 'judge-refused-en-1024x768');
    await page.getByRole('button', { name: 'Discard it' }).click();
    await expect.poll(() => page.getByTestId('outbox-failed').count()).toBe(0);
    expect(await statusOf(page, 'c6')).toBe('locked');
    await page.close();
  });

  it('refuses marks off the step and previews the running total', async () => {
    const page = await browser.page({ width: 1024, height: 768, locale: 'en' });
    await signIn(page, await judgeCode('j1'));
    await page.locator('button[data-contestant="c4"]').click();
    await page.fill('#mark-quality', '40.3');
    await expect
      .poll(() => page.locator('[data-criterion="quality"] .problem').textContent())
      .toContain('0.5');
    expect(await page.getByTestId('submit-marks').isDisabled()).toBe(true);
    await page.fill('#mark-quality', '40');
    await page.getByRole('button', { name: 'Increase 安全规范' }).click();
    await page.getByRole('button', { name: 'Increase 安全规范' }).click();
    expect(await page.inputValue('#mark-safety')).toBe('0.5');
    await page.fill('#mark-speed', '10');
    await expect.poll(() => page.getByTestId('preview-total').textContent()).toBe('50.50');
    await page.close();
  });

  it('lets the chief judge enter a measured value and a deduction and lock a sheet; a judge is then refused', async () => {
    const judge = await browser.page({ width: 1024, height: 768, locale: 'en' });
    await signIn(judge, await judgeCode('j1', CHIEF_COMPETITION));
    // Round states come with the worklist (judge:sheets), not from a public watch.
    await judge.locator('.round-state.state-open').waitFor();
    await judge.locator('button[data-contestant="c7"]').click();
    for (const [id, value] of Object.entries({ quality: '40', safety: '25', speed: '15' }))
      await judge.fill(`#mark-${id}`, value);
    // The judge has pressed submit and is looking at the confirmation when the chief locks the sheet.
    await judge.getByTestId('submit-marks').click();
    await judge.getByTestId('confirm-ok').waitFor();
    expect(await judge.getByTestId('chief-panel').count()).toBe(0);

    const chief = await browser.page({ width: 1024, height: 768, locale: 'en' });
    await signIn(chief, await judgeCode('j3', CHIEF_COMPETITION));
    await chief.locator('button[data-contestant="c7"]').click();
    const panel = chief.getByTestId('chief-panel');
    await chief.fill('#measured-bend', '7.3');
    expect(await panel.getByRole('alert').textContent()).toContain('0.5');
    expect(await chief.getByTestId('measured-save-bend').isDisabled()).toBe(true);
    await chief.fill('#measured-bend', '7.5');
    await chief.getByTestId('measured-save-bend').click();
    // Saved means shown and no longer pending (an empty value is "not pending" too, so poll both).
    const shown = chief.getByTestId('measured-value-bend');
    await expect
      .poll(async () => [(await shown.textContent())?.trim(), await shown.getAttribute('data-pending')])
      .toEqual(['7.5', 'false']);

    await chief.fill('#deduction-points', '2');
    expect(await chief.getByTestId('deduction-add').isDisabled()).toBe(true);
    await chief.fill('#deduction-reason', 'Slag not cleaned');
    await chief.getByTestId('deduction-add').click();
    await expect
      .poll(async () => (await panel.getByTestId('deduction').textContent())?.trim())
      .toMatch(/^−2\s*Slag not cleaned\s*Remove$/);

    await chief.getByTestId('sheet-lock').click();
    await expect.poll(() => chief.getByTestId('lock-state').getAttribute('data-locked')).toBe('true');
    await expect.poll(() => chief.getByTestId('lock-state').textContent()).not.toContain('Pending');
    expect(await chief.getByTestId('sheet-lock').textContent()).toBe('Unlock sheet');
    await screenshot(chief, 'judge-chief-done-en-1024x768');

    // Each reached the server exactly once, from the chief.
    const log = (await auditOf(CHIEF_COMPETITION)).filter((e) => e.payload.contestantId === 'c7');
    expect(log.map((e) => [e.type, e.actor])).toEqual([
      ['measured.enter', 'judge:j3'],
      ['deduction.add', 'judge:j3'],
      ['sheet.lock', 'judge:j3'],
    ]);
    expect(log[0]?.payload).toMatchObject({ criterionId: 'bend', value: '7.5' });
    expect(log[1]?.payload.deduction).toMatchObject({ points: '2', reason: 'Slag not cleaned' });

    // The judge's tablet learns of the lock at once; confirming anyway is refused, clearly.
    await judge.getByText('This sheet is locked and can no longer be changed.').waitFor();
    await judge.getByTestId('confirm-ok').click();
    await expect.poll(() => statusOf(judge, 'c7'), { timeout: 15_000 }).toBe('failed');
    // The submit opened the next contestant; the refusal waits on c7's sheet.
    await judge.locator('button[data-contestant="c7"]').click();
    await judge.getByTestId('failed-item').waitFor({ timeout: 15_000 });
    expect(await judge.getByTestId('failed-item').textContent()).toContain('The sheet is locked');
    expect(await statusOf(judge, 'c7')).toBe('failed');
    await screenshot(judge, 'judge-locked-refused-en-1024x768');
    const marks = (await auditOf(CHIEF_COMPETITION)).filter((e) => e.type === 'marks.submit');
    expect(marks).toHaveLength(0);
    await judge.close();
    await chief.close();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    it(`takes screenshots of the chief judge's panel at 1024x768 in ${locale}`, async () => {
      const page = await browser.page({ width: 1024, height: 768, locale });
      await signIn(page, await judgeCode('j3', CHIEF_COMPETITION));
      const contestant = locale === 'en' ? 'c8' : 'c9';
      await page.locator(`button[data-contestant="${contestant}"]`).click();
      await page.fill('#measured-bend', '8.5');
      await page.getByTestId('measured-save-bend').click();
      await page.fill('#deduction-points', '1.5');
      await page.fill(
        '#deduction-reason',
        locale === 'en' ? 'Helmet off during welding' : '焊接时未佩戴面罩',
      );
      await page.getByTestId('deduction-add').click();
      await expect.poll(() => page.getByTestId('deduction').count()).toBe(1);
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await screenshot(page, `judge-chief-panel-${locale}-1024x768`);
      await page.locator('[data-outcome="dsq"][role="radio"]').click();
      await page.getByTestId('outcome-set').scrollIntoViewIfNeeded();
      await screenshot(page, `judge-chief-outcome-${locale}-1024x768`);
      await page.fill('#outcome-reason', locale === 'en' ? 'Unsafe work' : '违规操作');
      await page.getByTestId('outcome-set').click();
      await expect.poll(() => page.getByTestId('outcome-value').getAttribute('data-outcome')).toBe('dsq');
      await expect.poll(() => statusOf(page, contestant)).toBe('dsq');
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await screenshot(page, `judge-chief-dsq-${locale}-1024x768`);
      await page.close();
    });
  }

  for (const locale of ['zh-CN', 'en'] as const) {
    it(`takes screenshots at tablet, desktop and phone sizes in ${locale}`, async () => {
      const code = await judgeCode('j3');
      const sizes = [
        [1024, 768],
        [1920, 1080],
        [375, 667],
      ] as const;
      for (const [width, height] of sizes) {
        const page = await browser.page({ width, height, locale });
        await page.goto(`${podium.url}/judge/`);
        await page.evaluate(() => localStorage.removeItem('podium.judge.session'));
        await page.reload();
        await page.locator('#judge-code').waitFor();
        await screenshot(page, `judge-signin-${locale}-${width}x${height}`);
        await signIn(page, code);
        await screenshot(page, `judge-worklist-${locale}-${width}x${height}`);
        await page.locator('button[data-contestant="c2"]').click();
        await page.fill('#mark-quality', '42.5');
        await page.fill('#mark-safety', '27');
        await screenshot(page, `judge-sheet-${locale}-${width}x${height}`);
        await page.fill('#mark-speed', '18');
        await page.getByTestId('submit-marks').click();
        await page.getByTestId('confirm-ok').waitFor();
        await screenshot(page, `judge-confirm-${locale}-${width}x${height}`);
        await page.close();
      }
    }, 120_000);
  }
});

describe('policy', () => {
  it('no judge page broke the Content-Security-Policy (run last: it reads what every test above saw)', () => {
    expect(cspViolations).toEqual([]);
  });
});
