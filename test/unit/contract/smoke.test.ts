import { describe, expect, it } from 'vitest';
import { boardKey, parseBoardKey } from '../../../shared/boards.ts';

describe('board keys', () => {
  it('round-trips a category with separators and Chinese text', () => {
    const ref = { eventId: 'weld', roundId: 'final', scope: 'individual' as const, category: '职工组|A' };
    expect(parseBoardKey(boardKey(ref))).toEqual(ref);
  });
  it('refuses malformed keys', () => {
    expect(parseBoardKey('weld|final')).toBeNull();
    expect(parseBoardKey('weld|final|bogus')).toBeNull();
  });
});
