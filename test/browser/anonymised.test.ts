/**
 * Issue #14 item 2, drawn numbers, in a real browser: the organiser ticks nothing by hand here (the
 * set-up is anonymised) but draws in the console; the judge's tablet (1280×800), the spectator's
 * phone (390×844) and the big screen (1920×1080) show "07号" and never a name; after every result
 * is signed the organiser asks to decode, the chief judge confirms on the tablet, and the names
 * appear on the phone without a reload. Needs the built clients (npm run build).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../server/domain/actor.ts';
import type { RunningPodium } from '../../server/main.ts';
import { screenshot, type TestBrowser } from '../support/browser.ts';
import { startNamedPodium, type NamedPodium } from './namedPodium.ts';
import { command, demoCompetition, EVENT, JUDGES, ROUND } from './fixtures.ts';
import { judgeActor, ORGANISER } from './public-server.ts';

const ID = `anon-${Date.now().toString(36)}`;
const PASSWORD = 'anon-test-password';
const NAMES = ['张伟', '王芳', '李娜', '中国石化第一建设公司', '上海电气集团', '北京石化代表队'];

let running: RunningPodium;
let browser: TestBrowser;
let url: string;
let podium: NamedPodium;
let token: string;
/** The API as Node reaches it (Node does not know podium.test). */
let api: string;

const run = (actor: Actor, c: ReturnType<typeof command>) => running.service.execute(actor, c);
const round = { competitionId: ID, eventId: EVENT, roundId: ROUND };

beforeAll(async () => {
  podium = await startNamedPodium({ redisUrl: inject('redisUrl'), adminPassword: PASSWORD, name: 'anon' });
  running = podium.running;
  url = podium.url;
  const competition = demoCompetition(ID);
  const weld = competition.events[0];
  if (weld === undefined) throw new Error('no event');
  weld.anonymised = true;
  await run(ORGANISER, command('setup.put', { opId: crypto.randomUUID(), competition }));
  token = await podium.organiserToken();
  browser = await podium.browser();
  api = podium.local;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await podium?.stop();
});

async function organiserPage(): Promise<Page> {
  const page = await browser.page({ width: 1280, height: 900, locale: 'zh-CN' });
  await page.addInitScript((t) => localStorage.setItem('podium.admin.token', t), token);
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(`${url}/admin/#c=${ID}&tab=control`);
  await page.getByTestId('draw-panel').waitFor();
  return page;
}

async function judgePage(judgeId: string, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const { code } = await running.auth.issueJudgeCode(ID, judgeId);
  const page = await browser.page({ width: 1280, height: 800, locale });
  await page.goto(`${url}/judge/#code=${encodeURIComponent(code)}`);
  return page;
}

/** Every name and organisation is absent from what the page shows. */
async function showsNoName(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  for (const name of NAMES) expect(text, `${page.url()} shows ${name}`).not.toContain(name);
}

describe('anonymised event in the browser', () => {
  it('is drawn in the console, judged and watched by number, and decoded by organiser and chief judge', async () => {
    const console_ = await organiserPage();
    await console_.getByRole('button', { name: '抽签（服务器随机）' }).click();
    await expect
      .poll(() => console_.getByTestId('draw-status').textContent(), { timeout: 10_000 })
      .toContain('已抽签（12 名选手）');
    const numbers = (await running.service.getControl(ID)).draws?.[EVENT]?.numbers ?? {};
    expect(Object.keys(numbers)).toHaveLength(12);

    await run(ORGANISER, command('round.state', { opId: crypto.randomUUID(), ...round, state: 'open' }));
    await run(ORGANISER, command('stage.set', { opId: crypto.randomUUID(), ...round, contestantId: 'c1' }));

    // The judge's tablet lists drawn numbers only.
    const tablet = await judgePage('j1');
    await tablet.locator('[data-contestant="c1"]').first().waitFor({ timeout: 15_000 });
    await expect
      .poll(() => tablet.locator('[data-contestant="c1"]').first().innerText())
      .toContain(`${numbers.c1}号`);
    await showsNoName(tablet);
    await screenshot(tablet, 'anonymised-judge-tablet');
    await tablet.close();

    for (let i = 1; i <= 12; i++) {
      for (const [j, judge] of JUDGES.entries()) {
        await run(
          judgeActor(ID, judge),
          command('marks.submit', {
            opId: crypto.randomUUID(),
            ...round,
            contestantId: `c${i}`,
            marks: { quality: String(20 + ((i * 7) % 29)), safety: String(10 + j), speed: '8' },
          }),
        );
      }
    }

    const phone = await browser.page({ width: 390, height: 844, locale: 'zh-CN' });
    await phone.goto(`${url}/watch/?c=${ID}&e=${EVENT}&r=${ROUND}`);
    await phone.getByText(`${numbers.c1}号`).first().waitFor({ timeout: 15_000 });
    await showsNoName(phone);
    await screenshot(phone, 'anonymised-watch-phone');

    const screen = await browser.page({ width: 1920, height: 1080, locale: 'en' });
    await screen.goto(`${url}/screen/?c=${ID}&e=${EVENT}&r=${ROUND}&rows=12`);
    await screen.getByText(`No. ${numbers.c1}`).first().waitFor({ timeout: 15_000 });
    await showsNoName(screen);
    await screenshot(screen, 'anonymised-screen');

    // Signed and closed: the organiser asks to decode.
    for (let i = 1; i <= 12; i++) {
      await run(
        judgeActor(ID, 'j3'),
        command('sheet.sign', { opId: crypto.randomUUID(), ...round, contestantId: `c${i}`, signed: true }),
      );
    }
    await run(ORGANISER, command('round.state', { opId: crypto.randomUUID(), ...round, state: 'closed' }));
    await console_.reload();
    await console_.getByRole('button', { name: '申请解密' }).click();
    await expect
      .poll(() => console_.getByTestId('draw-status').textContent(), { timeout: 10_000 })
      .toContain('等待裁判长');
    await screenshot(console_, 'anonymised-console-decode-asked');
    await showsNoName(phone);

    // The chief judge confirms on the tablet; the phone shows names without a reload.
    const chief = await judgePage('j3', 'en');
    const request = chief.getByTestId('decode-request');
    await request.waitFor({ timeout: 15_000 });
    await screenshot(chief, 'anonymised-chief-request');
    await request.getByRole('button', { name: 'Confirm decoding' }).click();
    await chief.locator('dialog[open]').getByRole('button', { name: 'Confirm decoding' }).click();
    await request.waitFor({ state: 'detached', timeout: 10_000 });
    await phone.getByText('张伟').first().waitFor({ timeout: 15_000 });
    await screenshot(phone, 'anonymised-watch-phone-decoded');
    const audit = await fetch(`${api}/api/competitions/${ID}/audit.json`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { entries } = (await audit.json()) as { entries: Array<{ type: string; actor: string }> };
    expect(entries.filter((e) => e.type.startsWith('draw.')).map((e) => `${e.type} ${e.actor}`)).toEqual([
      'draw.make organiser:admin',
      'draw.decode organiser:admin',
      'draw.confirm judge:j3',
    ]);
  }, 120_000);
});
