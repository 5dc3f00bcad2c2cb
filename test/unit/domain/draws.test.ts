/**
 * Drawn numbers, the pure rules (docs/RULES.md §13, "Anonymised judging"): the server's draw is a permutation fixed by its
 * seed, an upload must number everyone once, the decode takes a request and a confirmation, and
 * "fully signed" means every written result of every judged round.
 */
import { describe, expect, it } from 'vitest';
import { initialControl, type ControlState } from '../../../server/domain/control.ts';
import {
  applyDrawCommand,
  drawFromSeed,
  requireSignedOff,
  withServerSeed,
  type DrawCommand,
} from '../../../server/domain/draws.ts';
import { PodiumError } from '../../../server/domain/errors.ts';
import { namesHidden, presentedSetup } from '../../../server/domain/visibility.ts';
import { competitionSchema, emptySheet, type Competition } from '../../../shared/model.ts';

const SEED = '0f'.repeat(32);

function contest(anonymised = true): Competition {
  return competitionSchema.parse({
    id: 'c',
    name: 'Contest',
    events: [
      {
        id: 'e',
        name: 'Welding',
        anonymised,
        criteria: [{ id: 'q', label: 'Q', max: 10, step: 1 }],
        scoring: { aggregation: { kind: 'mean' }, decimals: 2 },
        rounds: [{ id: 'r1', name: 'Final', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: Array.from({ length: 12 }, (_, i) => ({
      id: `p${i + 1}`,
      eventId: 'e',
      bib: `B${i + 1}`,
      name: `Name ${i + 1}`,
      organisation: 'Works',
      region: 'North',
    })),
  });
}

const target = { opId: 'op-00000001', competitionId: 'c', eventId: 'e' };
const make = (extra: { numbers?: Record<string, string>; seed?: string }): DrawCommand => ({
  name: 'draw.make',
  payload: { ...target, ...extra },
});
const decode: DrawCommand = { name: 'draw.decode', payload: target };
const confirm: DrawCommand = { name: 'draw.confirm', payload: target };

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof PodiumError ? `${err.code}: ${err.message}` : String(err);
  }
  return 'ok';
}

describe('the draw', () => {
  it('refuses to draw while a contestant id is the bib or holds the name (it would link the number to the person)', () => {
    const setup = contest();
    const [first, second] = setup.contestants;
    if (first === undefined || second === undefined) throw new Error('fixture');
    const telling = {
      ...setup,
      contestants: [
        { ...first, id: first.bib.toLowerCase() },
        { ...second, id: `x-${second.name}` },
        ...setup.contestants.slice(2),
      ],
    };
    const draw: DrawCommand = {
      name: 'draw.make',
      payload: { opId: 'op-draw-1', competitionId: 'c', eventId: 'e', seed: SEED },
    };
    expect(() => applyDrawCommand(telling, initialControl(), draw)).toThrow(
      /b1, x-Name 2 equal their bib or contain their name/,
    );
    expect(() => applyDrawCommand(setup, initialControl(), draw)).not.toThrow();
  });

  it('numbers every contestant 01…12 once, the same for the same seed, differently for another', () => {
    const ids = contest().contestants.map((c) => c.id);
    const a = drawFromSeed(SEED, ids);
    expect(Object.keys(a).sort()).toEqual([...ids].sort());
    expect(Object.values(a).sort()).toEqual(ids.map((_, i) => String(i + 1).padStart(2, '0')));
    expect(drawFromSeed(SEED, [...ids].reverse())).toEqual(a);
    expect(drawFromSeed('1e'.repeat(32), ids)).not.toEqual(a);
  });

  it('the server picks the seed: a client-sent seed is refused, an upload keeps none', () => {
    const drawn = withServerSeed(make({}));
    expect(drawn.payload).toMatchObject({ seed: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(codeOf(() => withServerSeed(make({ seed: SEED })))).toMatch(/^invalid_payload/);
    expect(withServerSeed(make({ numbers: { p1: '7' } })).payload).not.toHaveProperty('seed');
  });

  it('an uploaded draw must number each contestant once with distinct numbers', () => {
    const setup = contest();
    const all = Object.fromEntries(setup.contestants.map((c, i) => [c.id, `W${i + 1}`]));
    expect(applyDrawCommand(setup, initialControl(), make({ numbers: all })).draws?.e?.numbers).toEqual(all);
    expect(
      codeOf(() => applyDrawCommand(setup, initialControl(), make({ numbers: { ...all, p2: 'W1' } }))),
    ).toBe('invalid_payload: numbers: p1 and p2 both drew W1');
    const { p3: _dropped, ...missing } = all;
    expect(codeOf(() => applyDrawCommand(setup, initialControl(), make({ numbers: missing })))).toBe(
      'invalid_payload: numbers: no number for p3',
    );
    expect(codeOf(() => applyDrawCommand(contest(false), initialControl(), make({ seed: SEED })))).toMatch(
      /is not anonymised/,
    );
  });

  it('is fixed once judging started, and closed once decoded', () => {
    const setup = contest();
    const drawn = applyDrawCommand(setup, initialControl(), make({ seed: SEED }));
    expect(codeOf(() => applyDrawCommand(setup, drawn, make({ seed: '1e'.repeat(32) })))).toBe('ok');
    const judging: ControlState = { ...drawn, rounds: { 'e|r1': 'open' } };
    expect(codeOf(() => applyDrawCommand(setup, judging, make({ seed: SEED })))).toMatch(
      /fixed: judging has started/,
    );
  });
});

describe('the decode', () => {
  it('takes the organiser’s request, then the chief’s confirmation; only then are names shown', () => {
    const setup = contest();
    const drawn = applyDrawCommand(setup, initialControl(), make({ seed: SEED }));
    expect(codeOf(() => applyDrawCommand(setup, drawn, confirm))).toMatch(/sends draw.decode first/);
    const asked = applyDrawCommand(setup, drawn, decode);
    const event = setup.events[0]!;
    expect(namesHidden(event, asked.draws)).toBe(true);
    const decoded = applyDrawCommand(setup, asked, confirm);
    expect(namesHidden(event, decoded.draws)).toBe(false);
    expect(codeOf(() => applyDrawCommand(setup, decoded, decode))).toMatch(/already decoded/);

    const shown = presentedSetup(setup, asked.draws).contestants[0];
    expect(shown).toEqual({
      id: 'p1',
      eventId: 'e',
      bib: asked.draws?.e?.numbers.p1,
      name: '',
      organisation: '',
      region: '',
      draw: asked.draws?.e?.numbers.p1,
    });
    expect(presentedSetup(setup, decoded.draws).contestants[0]?.name).toBe('Name 1');
    // No draw yet: still no names.
    expect(presentedSetup(setup, undefined).contestants[0]).toMatchObject({ name: '', draw: '' });
  });

  it('needs every judged round closed and every written result signed', () => {
    const event = contest().events[0]!;
    const signed = { ...emptySheet(), signed: { by: 'c1' } };
    const control = (state: 'open' | 'closed' | 'finalized'): ControlState => ({
      ...initialControl(),
      rounds: { 'e|r1': state },
    });
    expect(codeOf(() => requireSignedOff(event, initialControl(), []))).toMatch(/^not_signed: no round of e/);
    expect(codeOf(() => requireSignedOff(event, control('open'), []))).toMatch(
      /^not_signed: round r1 of e is still open/,
    );
    const sheets = [
      { roundId: 'r1', contestantId: 'p1', sheet: signed },
      { roundId: 'r1', contestantId: 'p2', sheet: emptySheet() },
      { roundId: 'r1', contestantId: 'p3', sheet: null },
    ];
    expect(codeOf(() => requireSignedOff(event, control('closed'), sheets))).toBe(
      'not_signed: 1 result(s) of e are not signed by the chief judge yet (first: p2 in r1)',
    );
    expect(codeOf(() => requireSignedOff(event, control('finalized'), [sheets[0]!, sheets[2]!]))).toBe('ok');
  });
});
