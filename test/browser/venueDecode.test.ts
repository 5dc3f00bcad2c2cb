/**
 * An anonymised event at a venue node, in a real browser (docs/VENUES.md "Anonymised events"): a
 * real hub and a real node; the hub draws, judges, signs and asks to decode. The venue's chief
 * judge, signed in on the node's judge app, sees the decode request — the node has the hub's
 * draw — but no confirm button: the node refuses a decode (the hub decodes), so the tablet says to
 * confirm at the hub; numbers, never names, until then. Needs the built clients (npm run build).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withVenues } from '../../server/demo/demoVenues.ts';
import type { RunningPodium } from '../../server/main.ts';
import { VenueKeys } from '../../server/venue/venueKeys.ts';
import type { Actor } from '../../server/domain/actor.ts';
import { competitionSchema, type Competition } from '../../shared/model.ts';
import { screenshot, type TestBrowser } from '../support/browser.ts';
import { venueInSync } from '../support/venueContest.ts';
import { command, demoCompetition, EVENT, marksCommand, ROUND } from './fixtures.ts';
import { startNamedPodium, type NamedPodium } from './namedPodium.ts';
import { demoBase, ORGANISER } from './public-server.ts';

const ID = `vdec-${Date.now().toString(36)}`;
const PASSWORD = 'venue-decode-test-password';
const NAMES = ['张伟', '王芳', '李娜', '中国石化第一建设公司', '上海电气集团'];

let hub: NamedPodium;
let node: NamedPodium;
let browser: TestBrowser;
let setup: Competition;
const round = { competitionId: ID, eventId: EVENT, roundId: ROUND };
const atHub = (actor: Actor, c: ReturnType<typeof command>) => hub.running.service.execute(actor, c);
const judge = (id: string): Actor => ({
  kind: 'judge',
  judgeId: id,
  competitionId: ID,
  role: setup.judges.find((j) => j.id === id)?.role ?? 'judge',
});

beforeAll(async () => {
  hub = await startNamedPodium({ redisUrl: inject('redisUrl'), adminPassword: PASSWORD, name: 'vdec-hub' });
  const base = competitionSchema.parse(demoCompetition(ID));
  setup = withVenues({ ...base, events: base.events.map((e) => ({ ...e, anonymised: true })) }, 2);
  await atHub(ORGANISER, command('setup.put', { opId: crypto.randomUUID(), competition: setup }));
  const key = await new VenueKeys(hub.running.store).issue({ competitionId: ID, venueId: 'v1' });
  node = await startNamedPodium({
    redisUrl: undefined,
    adminPassword: PASSWORD,
    name: 'vdec-node',
    venueLink: { hubUrl: hub.local, key },
  });
  browser = await node.browser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await node?.stop();
  await hub?.stop();
});

async function judgePage(running: RunningPodium, url: string, judgeId: string): Promise<Page> {
  const { code } = await running.auth.issueJudgeCode(ID, judgeId);
  const page = await browser.page({ width: 1280, height: 800, locale: 'zh-CN' });
  await page.goto(`${url}/judge/#code=${encodeURIComponent(code)}`);
  return page;
}

describe('an anonymised event at a venue node, in the browser', () => {
  it('shows the venue’s chief judge the hub’s decode request, to be confirmed at the hub', async () => {
    // The hub draws, judges one v1 contestant with v1's panel, closes, signs and asks to decode.
    await atHub(
      ORGANISER,
      command('draw.make', { opId: crypto.randomUUID(), competitionId: ID, eventId: EVENT }),
    );
    await atHub(ORGANISER, command('round.state', { opId: crypto.randomUUID(), ...round, state: 'open' }));
    const contestant = setup.contestants.find((c) => c.venueId === 'v1');
    if (contestant === undefined) throw new Error('no contestant at v1');
    const panel = setup.judges.filter((j) => j.venueId === 'v1' && (j.role === 'judge' || j.panel === true));
    for (const j of panel) await atHub(judge(j.id), marksCommand(ID, contestant.id, demoBase(1)));
    await atHub(ORGANISER, command('round.state', { opId: crypto.randomUUID(), ...round, state: 'closed' }));
    const chiefId = setup.judges.find((j) => j.venueId === 'v1' && j.role === 'chief')?.id ?? '';
    await atHub(
      judge(chiefId),
      command('sheet.sign', {
        opId: crypto.randomUUID(),
        ...round,
        contestantId: contestant.id,
        signed: true,
      }),
    );
    await atHub(
      ORGANISER,
      command('draw.decode', { opId: crypto.randomUUID(), competitionId: ID, eventId: EVENT }),
    );
    await venueInSync(node.running, 'after the decode was asked for', 30_000);

    const chief = await judgePage(node.running, node.url, chiefId);
    const request = chief.getByTestId('decode-request');
    await request.waitFor({ timeout: 15_000 });
    await chief.getByTestId('decode-at-hub').waitFor({ timeout: 10_000 });
    expect(await request.getByRole('button', { name: '确认解密' }).count()).toBe(0);
    const text = await chief.locator('body').innerText();
    for (const name of NAMES) expect(text, `the node's tablet shows ${name}`).not.toContain(name);
    await screenshot(chief, 'venue-decode-at-hub-zh-CN-1280x800');
  }, 90_000);
});
