import { describe, expect, it } from 'vitest';
import { announcement, mergeChanges, type AnnouncedRow } from '../../../client/src/watch/announce.ts';
import type { DeltaRow } from '../../../shared/events.ts';

const delta = (id: string, rank: number, previousRank: number | null): DeltaRow => ({
  id,
  rank,
  previousRank,
  total: String(100 - rank),
  previousTotal: null,
  complete: true,
  outcome: 'ok',
  rankKey: String(rank),
});
const t = (key: string, p: Record<string, string | number>) =>
  `${key.split('.').at(-1)}:${Object.values(p).join('/')}`;

describe('rank change announcements (issue #15: screen readers hear a short summary)', () => {
  it('keeps the first previous rank across deltas and names the best three, counting the rest', () => {
    const pending = new Map<string, AnnouncedRow>();
    mergeChanges(pending, [delta('a', 5, 9), delta('b', 2, 2)]);
    mergeChanges(pending, [delta('a', 3, 5), delta('c', 1, null), delta('d', 7, 6), delta('e', 8, 7)]);
    expect(pending.get('a')?.previousRank).toBe(9);
    expect(announcement([...pending.values()], (id) => id.toUpperCase(), t)).toBe(
      'new:C/1/99；rank:B/2/98；up:A/3/97；more:2',
    );
  });
});
