/**
 * Which stages a venue forwards and which the hub applies for it (docs/VENUES.md "Stages set at the
 * venue"): a node forwards every `stage.set` sent to it (not the hub's stages it took in); the hub
 * applies only the venue's own stage and refuses the rest with a reason.
 */
import { describe, expect, it } from 'vitest';
import { stageRefusal } from '../../../server/venue/hubLink.ts';
import { forwardable } from '../../../server/venue/venueNode.ts';
import { twoVenueContest } from '../../support/venueContest.ts';

const setup = twoVenueContest('sfu');
const venue = { competitionId: setup.id, venueId: 'v1' };
const at = (venueId: string) =>
  setup.contestants.find((c) => c.eventId === 'welding' && c.venueId === venueId)?.id ?? 'none';
const stage = (contestantId: string | null, extra: { venueId?: string; competitionId?: string } = {}) => ({
  opId: 'op-1',
  competitionId: setup.id,
  eventId: 'welding',
  roundId: 'prelim',
  contestantId,
  ...extra,
});

describe('stages a venue sets', () => {
  it('forwards judges’ sheet commands and every stage.set sent to the node, nothing else', () => {
    expect(forwardable({ actor: 'judge:j1', type: 'marks.submit' })).toBe(true);
    expect(forwardable({ actor: 'organiser:admin', type: 'stage.set' })).toBe(true);
    expect(forwardable({ actor: 'integration:k1', type: 'stage.set' })).toBe(true);
    expect(forwardable({ actor: 'venue:hub', type: 'venue.stages' })).toBe(false);
    expect(forwardable({ actor: 'organiser:admin', type: 'round.state' })).toBe(false);
    expect(forwardable({ actor: 'organiser:admin', type: 'marks.submit' })).toBe(false);
  });

  it('lets the hub apply the venue’s own stage only', () => {
    expect(stageRefusal(setup, venue, stage(at('v1')))).toBeNull();
    expect(stageRefusal(setup, venue, stage(at('v1'), { venueId: 'v1' }))).toBeNull();
    expect(stageRefusal(setup, venue, stage(null, { venueId: 'v1' }))).toBeNull();
    expect(stageRefusal(setup, venue, stage(at('v2')))).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('performs at venue v2'),
    });
    expect(stageRefusal(setup, venue, stage(null, { venueId: 'v2' }))).toMatchObject({ code: 'forbidden' });
    expect(stageRefusal(setup, venue, stage(null))).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('event-wide'),
    });
    expect(stageRefusal(setup, venue, stage(at('v1'), { venueId: 'v2' }))).toMatchObject({
      code: 'invalid_payload',
    });
    expect(stageRefusal(setup, venue, stage(at('v1'), { competitionId: 'other' }))).toMatchObject({
      code: 'forbidden',
    });
  });
});
