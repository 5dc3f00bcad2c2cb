import { describe, expect, it } from 'vitest';
import { DEFAULT_DISPLAY, displayUrl } from '../../../client/src/admin/displays.ts';
import { revealPhase } from '../../../client/src/lib/reveal.ts';
import { rotatedEvent } from '../../../client/src/lib/rounds.ts';
import type { PublicCompetition } from '../../../shared/events.ts';

const target = { competitionId: 'cup', eventId: 'weld', roundId: 'r1' };

describe('displayUrl (issue #15: the console links every display at the public address)', () => {
  it('writes only the settings that differ from the defaults into the big screen address', () => {
    const base = 'http://192.168.1.20:3000';
    expect(displayUrl(base, 'screen', target)).toBe(`${base}/screen/?c=cup&e=weld&r=r1`);
    expect(
      displayUrl(base, 'screen', target, { scale: 150, rows: 6, detail: false, legend: true, rotate: 20 }),
    ).toBe(`${base}/screen/?c=cup&e=weld&r=r1&rows=6&scale=150&detail=0&legend=1&rotate=20`);
    expect(displayUrl(base, 'watch', target, { ...DEFAULT_DISPLAY, rows: 6 })).toBe(
      `${base}/watch/?c=cup&e=weld&r=r1`,
    );
    expect(displayUrl(base, 'ceremony', target)).toBe(`${base}/ceremony/?c=cup&e=weld&r=r1`);
  });
});

describe('rotatedEvent', () => {
  const competition = { events: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] } as unknown as PublicCompetition;
  it('starts at the requested event and wraps around', () => {
    expect([0, 1, 2, 3].map((step) => rotatedEvent(competition, 'b', step)?.id)).toEqual([
      'b',
      'c',
      'a',
      'b',
    ]);
  });
});

describe('revealPhase (issue #15: "final results" instead of "revealing 6/6")', () => {
  const reveal = (left: number) => ({
    pending: Array.from({ length: left }, (_, i) => `c${i}`),
    hidden: [],
    next: left > 0 ? 'c0' : null,
  });
  it('goes frozen → revealing → final, and a finalized round is final', () => {
    expect(revealPhase(null, null, 'open')).toBe('live');
    expect(revealPhase(null, null, 'finalized')).toBe('final');
    expect(revealPhase({ revealed: 0 }, reveal(3), 'closed')).toBe('frozen');
    expect(revealPhase({ revealed: 2 }, reveal(1), 'closed')).toBe('revealing');
    expect(revealPhase({ revealed: 6 }, reveal(0), 'closed')).toBe('final');
    expect(revealPhase({ revealed: 6 }, reveal(0), 'finalized')).toBe('final');
    expect(revealPhase({ revealed: 0 }, reveal(0), 'open')).toBe('frozen');
  });
});
