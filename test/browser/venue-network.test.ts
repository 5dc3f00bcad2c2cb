/**
 * Podium as a venue uses it: tablets and phones open the server's network address over plain HTTP,
 * which is not a secure context (no crypto.randomUUID, no service worker, no navigator.storage).
 * Chromium maps the name podium.test to 127.0.0.1, so the traffic stays on loopback while the page's
 * origin is http://podium.test:PORT — not localhost, so not secure. Covers:
 *  - a judge signs in and saves a mark over plain HTTP, and the server holds it;
 *  - the judge is told the offline start is unavailable; the outbox write asks for strict durability;
 *  - on a secure origin the app asks for persistent storage and shows no such note;
 *  - QR codes, their text and the judge login cards carry PUBLIC_URL, not the address the screen PC used.
 * Needs the built clients (npm run build:client).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import {
  spawnPodium,
  TEST_ADMIN_PASSWORD,
  TEST_ADMIN_USER,
  type PodiumProcess,
} from '../support/podium-server.ts';
import { freePort } from '../support/redis-server.ts';
import { demoCompetition, EVENT, ROUND } from './fixtures.ts';
import { organiserApi, signInOrganiser } from './organiserApi.ts';

const COMPETITION = `venue-${Date.now().toString(36)}`;
/** A competition whose judges have no codes yet (the console issues the first ones). */
const CARDS_COMPETITION = `${COMPETITION}-cards`;

let podium: PodiumProcess;
let browser: TestBrowser;
let adminToken: string;
/** http://podium.test:PORT — the venue address (PUBLIC_URL), resolved by Chromium to 127.0.0.1. */
let venueUrl: string;

interface AuditEntry {
  actor: string;
  type: string;
  payload: { contestantId?: string; marks?: Record<string, string> };
}

const api = organiserApi(
  () => podium.url,
  () => adminToken,
);

const command = (name: string, payload: Record<string, unknown>) =>
  api('POST', `/competitions/${COMPETITION}/commands/${name}`, {
    opId: crypto.randomUUID(),
    competitionId: COMPETITION,
    ...payload,
  });

const judgeCode = async (judgeId: string): Promise<string> =>
  (await api<{ code: string }>('POST', `/competitions/${COMPETITION}/judges/${judgeId}/code`)).code;

const marksOnServer = async (contestantId: string): Promise<AuditEntry[]> =>
  (await api<{ entries: AuditEntry[] }>('GET', `/competitions/${COMPETITION}/audit.json`)).entries.filter(
    (e) => e.type === 'marks.submit' && e.payload.contestantId === contestantId,
  );

/** Record every IndexedDB transaction the page opens (stores, mode, durability asked for). */
async function recordTransactions(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: Array<{ stores: string; mode: string; durability: string }> = [];
    Object.assign(window, { __transactions: seen });
    const original = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (
      this: IDBDatabase,
      stores: string | string[],
      mode?: IDBTransactionMode,
      options?: IDBTransactionOptions,
    ) {
      seen.push({
        stores: String(stores),
        mode: mode ?? 'readonly',
        durability: options?.durability ?? 'default',
      });
      return original.call(this, stores, mode, options);
    };
  });
}

async function openJudgeApp(page: Page, base: string, code: string): Promise<void> {
  await page.goto(`${base}/judge/#code=${encodeURIComponent(code)}`);
  await page.locator('[data-contestant="c1"]').first().waitFor();
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
  const port = await freePort();
  venueUrl = `http://podium.test:${port}`;
  podium = await spawnPodium({
    env: {
      PORT: String(port),
      PUBLIC_URL: venueUrl,
      PODIUM_ALLOWED_ORIGINS: `${venueUrl},http://127.0.0.1:${port}`,
    },
  });
  adminToken = await signInOrganiser(podium.url);
  await api('PUT', `/competitions/${COMPETITION}/setup`, { competition: demoCompetition(COMPETITION) });
  await command('round.state', { eventId: EVENT, roundId: ROUND, state: 'open' });
  await command('stage.set', { eventId: EVENT, roundId: ROUND, contestantId: 'c1' });
  await api('PUT', `/competitions/${CARDS_COMPETITION}/setup`, {
    competition: demoCompetition(CARDS_COMPETITION),
  });
  browser = await launchBrowser({ args: ['--host-resolver-rules=MAP podium.test 127.0.0.1'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await podium?.stop();
});

describe('judge tablet on the venue network over plain HTTP', () => {
  it('saves a mark at http://podium.test (regression: "crypto.randomUUID is not a function", mark lost)', async () => {
    const page = await browser.page({ width: 1024, height: 768, locale: 'en' });
    await recordTransactions(page);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await openJudgeApp(page, venueUrl, await judgeCode('j1'));

    // The page really is a non-secure context, as on a venue LAN address.
    expect(
      await page.evaluate(() => ({
        secure: window.isSecureContext,
        randomUUID: typeof crypto.randomUUID,
        storage: typeof navigator.storage,
      })),
    ).toEqual({ secure: false, randomUUID: 'undefined', storage: 'undefined' });

    await mark(page, 'c2', { quality: '40', safety: '25.5', speed: '15' });
    await expect.poll(() => statusOf(page, 'c2'), { timeout: 15_000 }).toBe('saved');
    const saved = await marksOnServer('c2');
    expect(saved.map((e) => [e.actor, e.payload.marks])).toEqual([
      ['judge:j1', { quality: '40', safety: '25.5', speed: '15' }],
    ]);
    expect(errors).toEqual([]);

    // What the browser forbids here is said on the judge's screen.
    const note = page.getByTestId('no-offline-start');
    await note.waitFor();
    expect(await note.textContent()).toContain('Offline start unavailable (not HTTPS)');
    // The mark was written to the outbox with strict durability before it was sent.
    const transactions = await page.evaluate(
      () => (window as unknown as { __transactions: Array<Record<string, string>> }).__transactions,
    );
    expect(transactions).toContainEqual({ stores: 'outbox', mode: 'readwrite', durability: 'strict' });
    await page.close();
  });

  it('asks for persistent storage and shows no offline-start note on a secure origin', async () => {
    const page = await browser.page({ width: 1024, height: 768, locale: 'en' });
    await page.addInitScript(() => {
      const calls: string[] = [];
      Object.assign(window, { __persistCalls: calls });
      const original = navigator.storage.persist.bind(navigator.storage);
      navigator.storage.persist = () => {
        calls.push('persist');
        return original();
      };
    });
    await openJudgeApp(page, podium.url, await judgeCode('j2'));
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __persistCalls: string[] }).__persistCalls))
      .toEqual(['persist']);
    await page.evaluate(() => navigator.serviceWorker.ready);
    expect(await page.getByTestId('no-offline-start').count()).toBe(0);
    await page.close();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    it(`takes screenshots of the plain-HTTP judge screen at tablet, desktop and phone sizes in ${locale}`, async () => {
      const code = await judgeCode('j3');
      for (const [width, height] of [
        [1280, 800],
        [1920, 1080],
        [390, 844],
      ] as const) {
        const page = await browser.page({ width, height, locale });
        await openJudgeApp(page, venueUrl, code);
        await page.getByTestId('no-offline-start').waitFor();
        await screenshot(page, `venue-http-judge-${locale}-${width}x${height}`);
        await page.close();
      }
    }, 120_000);
  }
});

describe('addresses other devices open (PUBLIC_URL), whatever address this PC used', () => {
  it('puts the public address in the big screen QR code and in the text under it (regression: localhost)', async () => {
    // The screen PC opened Podium by a loopback address, as a laptop driving the hall screen does.
    const page = await browser.page({ width: 1920, height: 1080, locale: 'zh-CN' });
    await page.goto(`${podium.url}/screen/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
    const qr = page.getByTestId('watch-qr');
    await expect
      .poll(() => qr.getAttribute('data-url'))
      .toBe(`${venueUrl}/watch/?c=${COMPETITION}&e=${EVENT}&r=${ROUND}`);
    await qr.locator('img').waitFor();
    expect(await page.getByTestId('watch-url').textContent()).toBe(
      `podium.test:${new URL(venueUrl).port}/watch/?c=${COMPETITION}`,
    );
    await screenshot(page, 'venue-screen-qr-zh-CN-1920x1080');
    await page.close();
  });

  it('prints the public address on the judge login cards, and warns of replacing codes only when some exist', async () => {
    const page = await browser.page({ width: 1280, height: 800, locale: 'en' });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    await page.goto(`${podium.url}/admin/#c=${CARDS_COMPETITION}&tab=codes`);
    await page.fill('input[name="user"]', TEST_ADMIN_USER);
    await page.fill('input[name="password"]', TEST_ADMIN_PASSWORD);
    await page.click('button[type="submit"]');
    const issueAll = page.getByRole('button', { name: 'Issue for all judges' });
    await issueAll.waitFor();
    // The first issue: no code exists, so nothing is said about old codes stopping to work.
    await issueAll.click();
    await page.locator('.print-sheet .qr-card').nth(2).waitFor();
    expect(dialogs).toEqual([]);
    const printed = await page.locator('.print-sheet .url').allTextContents();
    expect(printed).toEqual([`${venueUrl}/judge/`, `${venueUrl}/judge/`, `${venueUrl}/judge/`]);
    await screenshot(page, 'venue-judge-cards-en-1280x800');

    // A fresh console (another organiser's PC) does not know the codes, but the server does.
    await page.reload();
    await page.locator('tr[data-judge="j1"]').getByText('Issued (shown once)').waitFor();
    await issueAll.click();
    await expect
      .poll(() => dialogs)
      .toEqual(['Issue new codes for every judge? All old codes stop working.']);
    await page.close();
  });
});
