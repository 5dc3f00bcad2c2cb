/**
 * The judge tablet app in real Chromium against a real Podium process:
 *  - marks made offline survive a reload and reach the server exactly once when the network returns;
 *  - a mark made on the tablet reaches a public socket as a board delta;
 *  - screenshots at tablet, desktop and phone sizes in both languages.
 * Needs the built clients (npm run build:client).
 */
import { createServer } from 'node:net';
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
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';
import {
  spawnPodium,
  TEST_ADMIN_PASSWORD,
  TEST_ADMIN_USER,
  type PodiumProcess,
} from '../support/podium-server.ts';
import { demoCompetition, EVENT, ROUND } from './fixtures.ts';

const COMPETITION = `judge-ui-${Date.now().toString(36)}`;

interface AuditEntry {
  actor: string;
  type: string;
  opId: string;
  payload: { contestantId?: string; marks?: Record<string, string> };
}

let podium: PodiumProcess;
let browser: TestBrowser;
let adminToken: string;

/** A port nobody listens on now, so the server's allowed origin can name it before it starts. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${podium.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as T & { ok: boolean; message?: string };
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${json.message ?? ''}`);
  return json;
}

const command = (name: string, payload: Record<string, unknown>) =>
  api('POST', `/competitions/${COMPETITION}/commands/${name}`, {
    opId: crypto.randomUUID(),
    competitionId: COMPETITION,
    ...payload,
  });

async function judgeCode(judgeId: string): Promise<string> {
  return (await api<{ code: string }>('POST', `/competitions/${COMPETITION}/judges/${judgeId}/code`)).code;
}

async function auditOf(): Promise<AuditEntry[]> {
  return (await api<{ entries: AuditEntry[] }>('GET', `/competitions/${COMPETITION}/audit.json`)).entries;
}

/** Open the judge app through its QR link and wait for the worklist. */
async function signIn(page: Page, code: string): Promise<void> {
  await page.goto(`${podium.url}/judge/#code=${encodeURIComponent(code)}`);
  await page.locator('[data-contestant="c1"]').first().waitFor();
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
  const port = await freePort();
  podium = await spawnPodium({
    env: {
      PORT: String(port),
      PODIUM_ALLOWED_ORIGINS: `http://127.0.0.1:${port}`,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    },
  });
  const signIn = await fetch(`${podium.url}/api/auth/organiser`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: TEST_ADMIN_USER, password: TEST_ADMIN_PASSWORD }),
  });
  adminToken = ((await signIn.json()) as { token: string }).token;
  await api('PUT', `/competitions/${COMPETITION}/setup`, { competition: demoCompetition(COMPETITION) });
  await command('round.state', { eventId: EVENT, roundId: ROUND, state: 'open' });
  await command('stage.set', { eventId: EVENT, roundId: ROUND, contestantId: 'c1' });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await podium?.stop();
});

describe('judge tablet', () => {
  it('keeps offline marks through a reload and sends each exactly once when back online', async () => {
    const page = await browser.page({ width: 1024, height: 768, locale: 'en' });
    await signIn(page, await judgeCode('j1'));
    // The QR code is taken off the address bar once used.
    expect(page.url()).not.toContain('code=');

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

    // Reloading without a network fails like on a real tablet; the page comes back once online.
    await page.reload({ timeout: 5_000 }).catch(() => undefined);
    await page.context().setOffline(false);
    await page.goto(`${podium.url}/judge/`);
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

  it('shows a mark made on the tablet to a public socket within a second', async () => {
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
      console.log(`judge submit → public board delta: ${at - sentAt} ms`);
      expect(at - sentAt).toBeLessThan(1_000);
      await expect.poll(() => statusOf(page, 'c1')).toBe('saved');
      await page.close();
    } finally {
      spectator.disconnect();
    }
  });

  it('revises a saved mark with a new opId, and leaves a refused mark for the judge to resolve', async () => {
    const page = await browser.page({ width: 1024, height: 768, locale: 'en' });
    await signIn(page, await judgeCode('j1'));
    await mark(page, 'c5', { quality: '40', safety: '20', speed: '10' });
    await expect.poll(() => statusOf(page, 'c5')).toBe('saved');
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
