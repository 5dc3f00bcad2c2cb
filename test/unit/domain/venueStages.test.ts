/**
 * Stages per venue (docs/VENUES.md "Stages"): each venue has its own contestant on stage at the
 * same time, a contestant goes on their own venue's stage, clearing one venue leaves the others,
 * finalize clears the round's stage at every venue, and a control document written before venues
 * (one stage per event, key `eventId`) reads as before.
 */
import { describe, expect, it } from 'vitest';
import type { StageState } from '../../../shared/events.ts';
import { emptySheet } from '../../../shared/model.ts';
import { stageFor, stagesFrom, withStage } from '../../../shared/stages.ts';
import type { Command } from '../../../shared/commands.ts';
import { demoCompetition } from '../../../server/demo/demoCompetition.ts';
import { withVenues } from '../../../server/demo/demoVenues.ts';
import {
  initialControl,
  isOnStage,
  parseControl,
  setRoundState,
  stagesOfEvent,
  type ControlState,
} from '../../../server/domain/control.ts';
import { applyControlCommand, type ControlCommand } from '../../../server/domain/controlOps.ts';
import { PodiumError } from '../../../server/domain/errors.ts';
import { sheetPushes } from '../../../server/domain/sheetFanout.ts';
import { stageView } from '../../../server/domain/views.ts';
import { venueStages } from '../../../server/venue/digest.ts';
import { applyMirroredStages, VENUE_STAGES } from '../../../server/domain/mirroredStages.ts';
import { replayEntry } from '../../../server/domain/rebuild.ts';

const setup = withVenues(demoCompetition({ competitionId: 'venues', contestantsPerEvent: 9 }), 3);
const event = setup.events.find((e) => e.id === 'welding');
if (event === undefined) throw new Error('the demo has a welding event');
const at = (venueId: string, n = 0) => {
  const found = setup.contestants.filter((c) => c.eventId === 'welding' && c.venueId === venueId)[n];
  if (found === undefined) throw new Error(`no contestant at ${venueId}`);
  return found.id;
};
const target = { competitionId: 'venues', eventId: 'welding', roundId: 'prelim' };

function run(control: ControlState, command: Command): ControlState {
  return applyControlCommand(setup, control, command as ControlCommand, new Map()).control;
}
const stage = (control: ControlState, contestantId: string | null, venueId?: string): ControlState =>
  run(control, {
    name: 'stage.set',
    payload: { ...target, opId: `s-${String(contestantId)}`, contestantId, ...(venueId ? { venueId } : {}) },
  } as Command);
const onStage = (control: ControlState) =>
  Object.fromEntries(
    stagesOfEvent(control, 'welding').map((s) => [s.venueId ?? '-', s.onStage.contestantId]),
  );

const open = setRoundState(initialControl(), 'welding', 'prelim', 'open');

describe('stages per venue', () => {
  it('puts two venues’ contestants on their own stages at once, keyed eventId@venueId', () => {
    const control = stage(stage(open, at('v1')), at('v2'));
    expect(onStage(control)).toEqual({ v1: at('v1'), v2: at('v2') });
    expect(Object.keys(control.stage).sort()).toEqual(['welding@v1', 'welding@v2']);
    // The most recent change has the highest seq (the event-wide screen follows it).
    expect(control.stage['welding@v2']?.seq).toBeGreaterThan(control.stage['welding@v1']?.seq ?? 0);
    const key = (contestantId: string) => ({ eventId: 'welding', roundId: 'prelim', contestantId });
    expect(isOnStage(control, key(at('v1')), 'v1')).toBe(true);
    expect(isOnStage(control, key(at('v2')), 'v2')).toBe(true);
    // A judge at v1 sees v2's contestant as not on stage (their own venue's stage only).
    expect(isOnStage(control, key(at('v2')), 'v2', 'v1')).toBe(false);
    expect(isOnStage(control, key(at('v1', 1)), 'v1')).toBe(false);
  });

  it('clears one venue’s stage and leaves the other', () => {
    const control = stage(stage(stage(open, at('v1')), at('v2')), null, 'v1');
    expect(onStage(control)).toEqual({ v1: null, v2: at('v2') });
    // Without a venue, nobody goes on the event-wide stage; the venues keep theirs.
    expect(onStage(stage(control, null))).toEqual({ '-': null, v1: null, v2: at('v2') });
  });

  it('finalize clears the round’s stage at every venue', () => {
    let control = stage(stage(open, at('v1')), at('v2'));
    control = setRoundState(control, 'welding', 'prelim', 'closed');
    control = run(control, { name: 'round.finalize', payload: { ...target, opId: 'fin' } } as Command);
    expect(control.stage).toEqual({});
  });

  it('refuses a venue that is not the contestant’s, or not in the set-up', () => {
    expect(() => stage(open, at('v1'), 'v2')).toThrow(PodiumError);
    expect(() => stage(open, null, 'nowhere')).toThrow(/unknown venue/);
    expect(onStage(stage(open, at('v3'), 'v3'))).toEqual({ v3: at('v3') });
  });

  it('reads a control document written before venues (one stage per event) as before', () => {
    const old = parseControl({
      rounds: { 'welding|prelim': 'open' },
      stage: { welding: { roundId: 'prelim', contestantId: at('v2') } },
    });
    const key = { eventId: 'welding', roundId: 'prelim', contestantId: at('v2') };
    expect(isOnStage(old, key, 'v2')).toBe(true);
    expect(isOnStage(old, key, 'v2', 'v1')).toBe(true);
    expect(stagesOfEvent(old, 'welding')).toEqual([
      { onStage: { roundId: 'prelim', contestantId: at('v2') } },
    ]);
    // A contestant without a venue still goes on the event-wide key, exactly as before venues.
    const single = demoCompetition({ competitionId: 'one', contestantsPerEvent: 3 });
    const first = single.contestants.find((c) => c.eventId === 'welding')?.id ?? '';
    const next = applyControlCommand(
      single,
      old,
      { name: 'stage.set', payload: { ...target, opId: 'x', contestantId: first } } as ControlCommand,
      new Map(),
    ).control;
    expect(next.stage).toEqual({ welding: { roundId: 'prelim', contestantId: first } });
  });

  it('a venue mirrors its own and the event-wide stages, not the other venues’', () => {
    const control = stage(stage(stage(open, at('v1')), at('v2')), null);
    expect(Object.keys(venueStages(control.stage, 'v1')).sort()).toEqual(['welding', 'welding@v1']);
  });

  it('a node takes the hub’s stages as they are (seq included), and its log replays them', () => {
    // The hub: v2 then v1 went on stage (v1's seq 2). The node follows only v1, so it could not
    // recompute seq 2 with a stage.set of its own: it takes the hub's stage verbatim.
    const hub = stage(stage(open, at('v2')), at('v1'));
    const stages = venueStages(hub.stage, 'v1');
    const node = applyMirroredStages(setup, open, stages);
    expect(venueStages(node.stage, 'v1')).toEqual(stages);
    expect(node.stage['welding@v1']?.seq).toBe(2);
    const state = { setup, sheets: new Map(), control: open };
    replayEntry(
      state,
      {
        id: '1-0',
        at: 0,
        actor: 'venue:hub',
        opId: 'stages-1',
        type: VENUE_STAGES,
        payload: { competitionId: 'venues', stages },
      },
      'venues',
    );
    expect(state.control).toEqual(node);
    // Only stages of the set-up's events, rounds and venues, never in a finalized round.
    expect(() =>
      applyMirroredStages(setup, open, { 'welding@nowhere': { roundId: 'prelim', contestantId: null } }),
    ).toThrow(PodiumError);
    expect(() =>
      applyMirroredStages(setup, open, { welding: { roundId: 'nope', contestantId: null } }),
    ).toThrow(PodiumError);
    const finalized = run(open, { name: 'round.finalize', payload: { ...target, opId: 'f-1' } } as Command);
    expect(() => applyMirroredStages(setup, finalized, stages)).toThrow(/finalized/);
  });

  it('a venue stage lists that venue’s panel and carries its venue', () => {
    const view = stageView('venues', setup, event, 'prelim', null, null, 'v2');
    expect(view.venueId).toBe('v2');
    const venues = new Set(view.judges.map((j) => setup.judges.find((x) => x.id === j.judgeId)?.venueId));
    expect([...venues]).toEqual(['v2']);
    expect(stageView('venues', setup, event, 'prelim', null, null).venueId).toBeUndefined();
  });

  it('judges’ pushed lines say "on stage" by their own venue’s stage', () => {
    const contestantId = at('v1');
    const key = { eventId: 'welding', roundId: 'prelim', contestantId };
    const after = { ...emptySheet(), locked: true };
    const pushes = sheetPushes({
      setup,
      key,
      before: emptySheet(),
      after,
      onStage: true,
      stageVenueId: 'v1',
      by: null,
    });
    const statusOf = (venueId: string) =>
      pushes.find((p) => p.judgeIds.some((id) => id.endsWith(`-${venueId}`)))?.line.status;
    expect(statusOf('v1')).toBe('on_stage');
    expect(statusOf('v2')).not.toBe('on_stage');
  });
});

describe('which stage a page shows (shared/stages.ts)', () => {
  const s = (contestantId: string | null, venueId?: string): StageState => ({
    competitionId: 'venues',
    eventId: 'welding',
    ...(venueId === undefined ? {} : { venueId }),
    roundId: 'prelim',
    contestantId,
    judges: [],
    total: null,
    complete: false,
  });

  it('a venue shows its own stage; the event-wide screen the venue stage that changed last', () => {
    let stages = stagesFrom([s(null), s('a1', 'v1'), s('b1', 'v2')]);
    expect(stageFor(stages, 'welding', 'v1')?.contestantId).toBe('a1');
    expect(stageFor(stages, 'welding', 'v2')?.contestantId).toBe('b1');
    expect(stageFor(stages, 'welding', 'v3')?.contestantId).toBeNull(); // the event-wide stage
    expect(stageFor(stages, 'welding')?.contestantId).toBe('b1');
    stages = withStage(stages, s('a2', 'v1'));
    expect(stageFor(stages, 'welding')?.contestantId).toBe('a2');
    // A cleared venue stage is skipped; someone on the event-wide stage comes first.
    stages = withStage(stages, s(null, 'v1'));
    expect(stageFor(stages, 'welding')?.contestantId).toBe('b1');
    expect(stageFor(withStage(stages, s('x')), 'welding')?.contestantId).toBe('x');
    expect(stageFor({}, 'welding')).toBeNull();
  });
});
